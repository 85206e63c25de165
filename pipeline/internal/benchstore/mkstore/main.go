// Command mkstore writes a benchmark store for `osgauge report`:
//
//	go run ./pipeline/internal/benchstore/mkstore -db /tmp/bench/osgauge.db
//	go build -o /tmp/osgauge ./cmd/osgauge
//	cd /tmp/bench && /usr/bin/time -v /tmp/osgauge report --period 2026Q4 --out /tmp/bench/out
//
// Beside the store it writes the 40-indicator model and an osgauge.yaml
// that names both.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"time"

	"github.com/osgauge/osgauge/pipeline/internal/benchstore"
)

func main() {
	db := flag.String("db", "", "path of the store to write (must not exist)")
	projects := flag.Int("projects", 10000, "projects")
	suppliers := flag.Int("suppliers", 30, "suppliers")
	periods := flag.Int("periods", 4, "quarterly periods, ending 2026Q4")
	obs := flag.Bool("observations", true, "store the latest period's observations")
	flag.Parse()
	if *db == "" {
		fmt.Fprintln(os.Stderr, "mkstore: -db PATH is required")
		os.Exit(2)
	}
	if _, err := os.Stat(*db); err == nil {
		fmt.Fprintf(os.Stderr, "mkstore: %s exists; remove it first\n", *db)
		os.Exit(2)
	}
	t0 := time.Now()
	b, err := benchstore.Build(context.Background(), *db, benchstore.Options{Projects: *projects, Suppliers: *suppliers, Periods: *periods, Observations: *obs})
	if err != nil {
		fmt.Fprintln(os.Stderr, "mkstore:", err)
		os.Exit(1)
	}
	fmt.Printf("wrote %s: %d results over %v in %s\nconfig %s\nreport: osgauge --config %s report --period %s\n",
		*db, b.Results, b.Periods, time.Since(t0).Round(time.Millisecond), b.ConfigPath, b.ConfigPath, b.Periods[len(b.Periods)-1])
}
