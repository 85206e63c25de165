package pipeline

import (
	"fmt"
	"io"
	"os"
	"sync"
	"time"
)

// Progress reports long work: a line that rewrites itself on a terminal,
// plain log lines otherwise.
type Progress interface {
	Start(total int)
	Step(source, subject string, err error, took time.Duration)
	Done()
}

type nopProgress struct{}

func (nopProgress) Start(int)                                 {}
func (nopProgress) Step(string, string, error, time.Duration) {}
func (nopProgress) Done()                                     {}

// LineProgress writes progress to w.
type LineProgress struct {
	W        io.Writer
	Terminal bool
	mu       sync.Mutex
	total    int
	done     int
	start    time.Time
}

// NewProgress returns progress on stderr, rewriting one line when stderr
// is a terminal.
func NewProgress() *LineProgress {
	term := false
	if fi, err := os.Stderr.Stat(); err == nil && fi.Mode()&os.ModeCharDevice != 0 {
		term = true
	}
	return &LineProgress{W: os.Stderr, Terminal: term}
}

// Note prints one line about work done outside the jobs (an SBOM import).
func (p *LineProgress) Note(line string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	fmt.Fprintln(p.W, line)
}

func (p *LineProgress) Start(total int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.total, p.done, p.start = total, 0, time.Now()
	fmt.Fprintf(p.W, "collecting: %d jobs\n", total)
}

func (p *LineProgress) Step(source, subject string, err error, took time.Duration) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.done++
	status := "ok"
	if err != nil {
		status = "FAILED: " + err.Error()
	}
	if p.Terminal && err == nil {
		width := 30
		filled := width * p.done / max(p.total, 1)
		bar := make([]byte, width)
		for i := range bar {
			bar[i] = '.'
			if i < filled {
				bar[i] = '#'
			}
		}
		fmt.Fprintf(p.W, "\r[%s] %d/%d %-10s %-50.50s", bar, p.done, p.total, source, subject)
		return
	}
	if p.Terminal {
		fmt.Fprint(p.W, "\r\033[K")
	}
	// In a log, print failures and a line per tenth of the work, not a line per job.
	if err == nil && p.done%max(1, p.total/10) != 0 && p.done != p.total {
		return
	}
	fmt.Fprintf(p.W, "[%d/%d] %s %s: %s (%s)\n", p.done, p.total, source, subject, status, took.Round(time.Millisecond))
}

func (p *LineProgress) Done() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.Terminal {
		fmt.Fprint(p.W, "\r\033[K")
	}
	fmt.Fprintf(p.W, "collected: %d jobs in %s\n", p.done, time.Since(p.start).Round(time.Millisecond))
}
