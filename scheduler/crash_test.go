package scheduler

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/osgauge/osgauge/collectors"
	"github.com/osgauge/osgauge/store"
)

const crashChildEnv = "OSGAUGE_TEST_CRASH_CHILD_DB"

// TestCrashChild is the child process of TestRestartAfterKill: it starts
// a collection that hangs on the fifth subject, says so on stdout and
// waits to be killed.
func TestCrashChild(t *testing.T) {
	db := os.Getenv(crashChildEnv)
	if db == "" {
		t.Skip("run by TestRestartAfterKill")
	}
	st, err := store.Open(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	fc := &fakeCollector{name: "fake", metrics: nMetrics, value: 1, gate: func(ctx context.Context, tg collectors.Target) error {
		if tg.Subject.ID == "github.com/o/r04" {
			fmt.Println("HANGING")
			os.Stdout.Sync()
			select {
			case <-time.After(time.Minute): // killed long before
				os.Exit(3)
			case <-ctx.Done():
			}
			return ctx.Err()
		}
		return nil
	}}
	s := New(st, Options{})
	job := CollectJob{Store: st, Targets: func() []collectors.Target { return targets(nSubjects) }, Workers: 1,
		Collectors: func() ([]collectors.Collector, error) { return []collectors.Collector{fc}, nil }}
	if err := s.Add(Job{Name: "collect", Spec: "@daily", Run: job.Func()}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Trigger("collect"); err != nil {
		t.Fatal(err)
	}
	time.Sleep(time.Minute)
	os.Exit(3)
}

// The process is killed (SIGKILL) in the middle of a collection. On
// restart the run is marked interrupted, never complete; the collect job
// runs again at once and stores every observation exactly once; what the
// killed run had committed is kept but not used.
func TestRestartAfterKill(t *testing.T) {
	if testing.Short() {
		t.Skip("re-executes the test binary")
	}
	_, db := openStore(t) // creates the schema; the child opens it too
	cmd := exec.Command(os.Args[0], "-test.run=^TestCrashChild$", "-test.count=1")
	cmd.Env = append(os.Environ(), crashChildEnv+"="+db)
	cmd.Stderr = os.Stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	lines := make(chan string)
	go func() {
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			lines <- sc.Text()
		}
		close(lines)
	}()
	timeout := time.After(30 * time.Second)
wait:
	for {
		select {
		case l, ok := <-lines:
			if !ok {
				cmd.Wait()
				t.Fatal("child exited before hanging")
			}
			if strings.Contains(l, "HANGING") {
				break wait
			}
		case <-timeout:
			cmd.Process.Kill()
			t.Fatal("child never reached the fifth subject")
		}
	}
	if err := cmd.Process.Kill(); err != nil { // kill -9, mid-collection
		t.Fatal(err)
	}
	cmd.Wait()
	go func() {
		for range lines {
		}
	}()

	ctx := context.Background()
	st, err := store.Open(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	runs, _ := st.Runs(ctx, 10)
	if len(runs) != 1 || runs[0].Status != store.RunRunning {
		t.Fatalf("after the kill: %+v", runs)
	}
	killed := runs[0].ID
	if j := storedJob(t, st, "collect"); j.LastOutcome != store.JobRunning {
		t.Fatalf("job after the kill: %+v", j)
	}

	fc := &fakeCollector{name: "fake", metrics: nMetrics, value: 2}
	job := CollectJob{Store: st, Targets: func() []collectors.Target { return targets(nSubjects) }, Workers: 2,
		Collectors: func() ([]collectors.Collector, error) { return []collectors.Collector{fc}, nil }}
	s := New(st, Options{})
	s.Add(Job{Name: "collect", Spec: "@daily", Run: job.Func()})
	resumed, err := s.Start(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer stopped(t, s)
	if len(resumed) != 1 || resumed[0] != "collect" {
		t.Errorf("resumed %v", resumed)
	}
	got := waitIdle(t, s, "collect", 2)
	if got.LastOutcome != store.RunComplete || got.LastRunID == killed || got.Failures != 1 {
		t.Fatalf("after restart: %+v", got)
	}
	if status := runStatus(t, st, killed); status != store.RunInterrupted {
		t.Errorf("killed run is %q, want interrupted", status)
	}
	if n, _ := st.RunObservations(ctx, killed); n != 4*nMetrics {
		t.Errorf("killed run kept %d observations, want %d (four subjects committed)", n, 4*nMetrics)
	}
	checkFresh(t, st, got.LastRunID, 2)
}
