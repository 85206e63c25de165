package pipeline

import (
	"fmt"
	"io"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/osgauge/osgauge/reports"
	"github.com/osgauge/osgauge/reports/labels"
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
	// Lang is the language of the lines (the report's: "zh" or "en",
	// English when empty); error texts stay as they are.
	Lang  string
	mu    sync.Mutex
	total int
	done  int
	start time.Time
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
	// "sbom: 2 of 2 systems' SBOMs imported …": the source by its label,
	// the line in the language when it is a known phrase.
	if src, rest, ok := strings.Cut(line, ": "); ok && p.Lang == "zh" && labels.Has("source."+src) {
		line = labels.TermLine(p.Lang, "term.progress.note", "{source}", reports.SourceLabel(p.Lang, src), "{line}", labels.TermPhrase(p.Lang, rest))
	}
	fmt.Fprintln(p.W, line)
}

func (p *LineProgress) Start(total int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.total, p.done, p.start = total, 0, time.Now()
	fmt.Fprintln(p.W, labels.TermLine(p.Lang, "term.progress.start", "{n}", fmt.Sprint(total)))
}

func (p *LineProgress) Step(source, subject string, err error, took time.Duration) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.done++
	status := labels.T(p.Lang, "term.progress.ok")
	if err != nil {
		status = labels.TermLine(p.Lang, "term.progress.failed", "{err}", err.Error())
	}
	source = reports.SourceLabel(p.Lang, source)
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
	fmt.Fprintln(p.W, labels.TermLine(p.Lang, "term.progress.step", "{i}", fmt.Sprint(p.done), "{n}", fmt.Sprint(p.total),
		"{source}", source, "{subject}", subject, "{status}", status, "{took}", took.Round(time.Millisecond).String()))
}

func (p *LineProgress) Done() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.Terminal {
		fmt.Fprint(p.W, "\r\033[K")
	}
	fmt.Fprintln(p.W, labels.TermLine(p.Lang, "term.progress.done", "{n}", fmt.Sprint(p.done), "{took}", time.Since(p.start).Round(time.Millisecond).String()))
}
