// Command osgauge assesses open-source projects, suppliers and the
// institution's own governance, and writes board-ready reports.
package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := newRoot().ExecuteContext(ctx)
	stop()
	if err != nil {
		code := 1
		var ec interface{ ExitCode() int }
		if errors.As(err, &ec) {
			code = ec.ExitCode() // check: 1 blocked (its report said why), 2 bad input
		}
		if msg := err.Error(); msg != "" {
			fmt.Fprintln(os.Stderr, "osgauge:", msg)
		}
		os.Exit(code)
	}
}
