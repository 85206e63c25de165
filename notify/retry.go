package notify

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"time"
)

// Retry is the send retry policy: at most Attempts tries, waiting between
// them an exponential backoff with jitter — before try n+1 a time drawn
// from [d/2, d) with d = min(Max, Base·2ⁿ⁻¹) — or the server's
// Retry-After when it asks for longer (capped at Max). Only retryable
// errors are tried again (5xx, 429, a robot's rate limit, a network
// error, an SMTP 4xx); a 4xx or a refused signature is not.
type Retry struct {
	Attempts int           // default 5
	Base     time.Duration // default 2s
	Max      time.Duration // default 1m
	// Jitter returns a number in [0, 1) (tests fix it); default math/rand.
	Jitter func() float64
	// Sleep waits d or until ctx ends (tests record the waits).
	Sleep func(ctx context.Context, d time.Duration) error
}

func (r Retry) withDefaults() Retry {
	if r.Attempts <= 0 {
		r.Attempts = 5
	}
	if r.Base <= 0 {
		r.Base = 2 * time.Second
	}
	if r.Max <= 0 {
		r.Max = time.Minute
	}
	if r.Jitter == nil {
		r.Jitter = rand.Float64
	}
	if r.Sleep == nil {
		r.Sleep = sleep
	}
	return r
}

// Backoff is the wait before try n+1 (n ≥ 1) for a jitter j in [0, 1).
func (r Retry) Backoff(n int, j float64) time.Duration {
	d := r.Base
	for i := 1; i < n && d < r.Max; i++ {
		d *= 2
	}
	d = min(d, r.Max)
	return d/2 + time.Duration(j*float64(d/2))
}

// Do calls f until it succeeds, fails with an error that is not
// retryable, the attempts are spent or ctx ends. It returns the attempts
// made and the last error.
func (r Retry) Do(ctx context.Context, f func(ctx context.Context) error) (int, error) {
	r = r.withDefaults()
	var err error
	for n := 1; ; n++ {
		if cerr := ctx.Err(); cerr != nil {
			if err == nil {
				err = cerr
			}
			return n - 1, err
		}
		err = f(ctx)
		if err == nil {
			return n, nil
		}
		if !retryable(err) {
			return n, err
		}
		if n >= r.Attempts {
			return n, fmt.Errorf("%w (gave up after %d attempts)", err, n)
		}
		wait := r.Backoff(n, r.Jitter())
		var se *sendError
		if errors.As(err, &se) && se.after > wait {
			wait = min(se.after, r.Max)
		}
		if serr := r.Sleep(ctx, wait); serr != nil {
			return n, fmt.Errorf("%w (stopped: %v)", err, serr)
		}
	}
}

// sendError is a failed attempt: its message (redacted), whether trying
// again may help, and the wait the server asked for.
type sendError struct {
	msg   string
	retry bool
	after time.Duration
}

func (e *sendError) Error() string { return e.msg }

func temporary(after time.Duration, format string, args ...any) error {
	return &sendError{msg: fmt.Sprintf(format, args...), retry: true, after: after}
}

func permanent(format string, args ...any) error {
	return &sendError{msg: fmt.Sprintf(format, args...)}
}

// retryable: a sendError says so; a context error is not; anything else
// (a network error) is.
func retryable(err error) bool {
	var se *sendError
	if errors.As(err, &se) {
		return se.retry
	}
	return !errors.Is(err, context.Canceled) && !errors.Is(err, context.DeadlineExceeded)
}

func sleep(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

func lookupEnv(k string) string { return os.Getenv(k) }
