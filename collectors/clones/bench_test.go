package clones

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// makeHistory builds a repository of n commits with git fast-import:
// each commit changes one of 200 source files, every 1000th the LICENSE,
// and every 500th is tagged.
func makeHistory(b *testing.B, dir string, n int) {
	b.Helper()
	if out, err := exec.Command("git", "init", "-q", dir).CombinedOutput(); err != nil {
		b.Fatalf("%v %s", err, out)
	}
	cmd := exec.Command("git", "-C", dir, "fast-import", "--quiet")
	stdin, _ := cmd.StdinPipe()
	if err := cmd.Start(); err != nil {
		b.Fatal(err)
	}
	w := bufio.NewWriter(stdin)
	t0 := int64(1_600_000_000)
	for i := 1; i <= n; i++ {
		fmt.Fprintf(w, "commit refs/heads/main\nmark :%d\ncommitter Dev%d <dev%d@example.org> %d +0000\n", i, i%37, i%37, t0+int64(i)*600)
		msg := fmt.Sprintf("change %d", i)
		fmt.Fprintf(w, "data %d\n%s\n", len(msg), msg)
		if i > 1 {
			fmt.Fprintf(w, "from :%d\n", i-1)
		}
		body := fmt.Sprintf("package p\n\n// revision %d\nfunc F%d() int { return %d }\n", i, i, i*7)
		fmt.Fprintf(w, "M 100644 inline src/f%03d.go\ndata %d\n%s\n", i%200, len(body), body)
		if i%1000 == 1 {
			lic := fmt.Sprintf("MIT License\n\nCopyright (c) %d Example\n", 2000+i/1000)
			fmt.Fprintf(w, "M 100644 inline LICENSE\ndata %d\n%s\n", len(lic), lic)
		}
		if i%500 == 0 {
			fmt.Fprintf(w, "reset refs/tags/v%d\nfrom :%d\n\n", i, i)
		}
	}
	w.Flush()
	stdin.Close()
	if err := cmd.Wait(); err != nil {
		b.Fatal(err)
	}
	exec.Command("git", "-C", dir, "symbolic-ref", "HEAD", "refs/heads/main").Run()
}

var histories = map[int]string{}

func history(b *testing.B, n int) string {
	if _, err := exec.LookPath("git"); err != nil {
		b.Skip("fast-import needs the git program")
	}
	if d, ok := histories[n]; ok {
		return d
	}
	d, err := os.MkdirTemp("", fmt.Sprintf("osgauge-history-%d-", n))
	if err != nil {
		b.Fatal(err)
	}
	makeHistory(b, d, n)
	histories[n] = d
	return d
}

// BenchmarkClone: time and disk per project for a first clone (the
// Manager's blob-less git clone, go-git's full clone) against a plain
// `git clone` of the same history, and for a fetch with nothing new.
// Disk is reported as disk-bytes/op.
func BenchmarkClone(b *testing.B) {
	for _, n := range []int{1000, 10000, 50000} {
		src := history(b, n)
		url := fileURL(src)
		for _, tool := range []string{"git", "go-git"} {
			b.Run(fmt.Sprintf("commits=%d/manager-%s-clone", n, tool), func(b *testing.B) {
				var disk int64
				for i := 0; i < b.N; i++ {
					m, err := New(Options{Dir: b.TempDir(), Tool: tool})
					if err != nil {
						b.Fatal(err)
					}
					r := m.Prepare(context.Background(), []string{url})[url]
					if r.Err != nil {
						b.Fatal(r.Err)
					}
					disk = r.Bytes
					m.Release()
				}
				b.ReportMetric(float64(disk), "disk-bytes/op")
			})
		}
		b.Run(fmt.Sprintf("commits=%d/manager-git-fetch-unchanged", n), func(b *testing.B) {
			url := fileURL(src)
			o := Options{Dir: b.TempDir(), Tool: "git"}
			m, _ := New(o)
			m.Prepare(context.Background(), []string{url})
			m.Release()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				m, _ := New(o)
				if r := m.Prepare(context.Background(), []string{url})[url]; r.Err != nil || r.Cloned {
					b.Fatalf("%+v", r)
				}
				m.Release()
			}
		})
		b.Run(fmt.Sprintf("commits=%d/git-clone", n), func(b *testing.B) {
			var disk int64
			for i := 0; i < b.N; i++ {
				dst := filepath.Join(b.TempDir(), "c")
				if out, err := exec.Command("git", "clone", "-q", fileURL(src), dst).CombinedOutput(); err != nil {
					b.Fatalf("%v %s", err, out)
				}
				disk = DirSize(dst)
			}
			b.ReportMetric(float64(disk), "disk-bytes/op")
		})
	}
}
