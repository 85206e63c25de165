package main

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/osgauge/osgauge/collectors"
	"github.com/osgauge/osgauge/config"
	"github.com/osgauge/osgauge/models"
	"github.com/osgauge/osgauge/store"
)

// A report being written does not hold up a worker's collections: while a
// report waits on the store (here: the store's one SQLite connection is
// taken), looking up a collection's target returns at once.
func TestWorkerReportDoesNotBlockCollections(t *testing.T) {
	ctx := context.Background()
	st, err := store.Open(ctx, filepath.Join(t.TempDir(), "osgauge.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	cfg := &config.Config{}
	cfg.Report.Out = t.TempDir()
	cfg.Report.Lang = "en"
	s := &session{w: &bytesDiscard{}, cfg: cfg, st: st}
	id := "github.com/example/lib"
	r := &queueRunner{s: s, colls: map[string]collectors.Collector{},
		targets: map[string]collectors.Target{id: {Subject: models.Subject{ID: id, Kind: models.KindProject}}}}

	conn, err := st.DB().Conn(ctx) // the store's only connection: the report's first query waits
	if err != nil {
		t.Fatal(err)
	}
	reported := make(chan error, 1)
	go func() { reported <- r.Report(ctx, "2026Q1", []string{"json"}) }()
	time.Sleep(200 * time.Millisecond) // the report is under way, waiting for the store

	got := make(chan error, 1)
	go func() {
		_, err := r.target(ctx, id)
		got <- err
	}()
	select {
	case err := <-got:
		if err != nil {
			t.Errorf("target: %v", err)
		}
	case <-time.After(3 * time.Second):
		t.Error("a collection's target lookup waited for a report")
		conn.Close()
		<-got
	}
	conn.Close()
	<-reported
}

type bytesDiscard struct{}

func (*bytesDiscard) Write(p []byte) (int, error) { return len(p), nil }
