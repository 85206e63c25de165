//go:build postgres

package main

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/osgauge/osgauge/scheduler"
	"github.com/osgauge/osgauge/server"
	"github.com/osgauge/osgauge/store"
	"github.com/osgauge/osgauge/store/storetest"
)

// Two serve nodes on one PostgreSQL store behind a load balancer: POST
// /api/v1/runs starts the run on the leader (202) and, on the follower,
// answers 503 with Retry-After naming the leader — never 500.
func TestFollowerAnswers503NamingTheLeader(t *testing.T) {
	dsn := storetest.PostgresDSN(t)
	type node struct {
		id   string
		jobs *leadingJobs
		url  string
	}
	started := make(chan string, 4)
	mk := func(id string) *node {
		st, err := store.Open(context.Background(), dsn)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { st.Close() })
		newSched := func() *scheduler.Scheduler {
			s := scheduler.New(st, scheduler.Options{Shared: true})
			s.Add(scheduler.Job{Name: "collect", Run: func(ctx context.Context) (scheduler.Result, error) {
				started <- id
				<-ctx.Done()
				return scheduler.Result{}, ctx.Err()
			}})
			return s
		}
		n := &node{id: id, jobs: &leadingJobs{template: newSched(), st: st}}
		srv, err := server.New(server.Options{Store: st, Jobs: n.jobs})
		if err != nil {
			t.Fatal(err)
		}
		hs := httptest.NewServer(srv.Handler())
		t.Cleanup(hs.Close)
		n.url = hs.URL
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan struct{})
		el := &scheduler.Elector{DB: st.DB(), Driver: st.Driver(), ID: id, Retry: 200 * time.Millisecond}
		go func() {
			defer close(done)
			el.Run(ctx, func(lctx context.Context) {
				s := newSched()
				if _, err := s.Start(lctx); err != nil {
					t.Error(err)
					return
				}
				n.jobs.set(s)
				<-lctx.Done()
				n.jobs.set(nil)
				sctx, c := context.WithTimeout(context.Background(), 5*time.Second)
				defer c()
				s.Stop(sctx)
			})
		}()
		t.Cleanup(func() { cancel(); <-done })
		return n
	}
	a := mk("node-a")
	deadline := time.Now().Add(10 * time.Second)
	for a.jobs.leader() == nil {
		if time.Now().After(deadline) {
			t.Fatal("node A never led")
		}
		time.Sleep(10 * time.Millisecond)
	}
	b := mk("node-b")
	time.Sleep(500 * time.Millisecond) // B tried the lock at least twice
	if b.jobs.leader() != nil {
		t.Fatal("both nodes lead")
	}
	post := func(n *node) (*http.Response, map[string]any) {
		req, _ := http.NewRequest("POST", n.url+"/api/v1/runs", strings.NewReader(`{"kind":"collect"}`))
		req.Header.Set("Content-Type", "application/json")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var body map[string]any
		json.NewDecoder(resp.Body).Decode(&body)
		return resp, body
	}
	resp, body := post(b)
	if resp.StatusCode != http.StatusServiceUnavailable || resp.Header.Get("Retry-After") != "5" || body["leader"] != "node-a" ||
		!strings.Contains(body["error"].(string), "node-a does") {
		t.Errorf("follower: %d, Retry-After %q, %v; want 503, 5, leader node-a", resp.StatusCode, resp.Header.Get("Retry-After"), body)
	}
	resp, body = post(a)
	if resp.StatusCode != http.StatusAccepted {
		t.Fatalf("leader: %d %v; want 202", resp.StatusCode, body)
	}
	select {
	case id := <-started:
		if id != "node-a" {
			t.Errorf("the run started on %s", id)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("the leader's run never started")
	}
	select {
	case id := <-started:
		t.Errorf("a second run started on %s", id)
	case <-time.After(200 * time.Millisecond):
	}
}
