package pipeline

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/osgauge/osgauge/store"
)

const recordedOK = `{"label": "recorded sample data", "note": "n", "recorder": "test",
 "snapshot": "2026-08-22T23:59:59Z", "backfill": ["2026Q2"],
 "projects": [{"name": "gson", "repo": "https://github.com/google/gson", "use_type": "simple"}],
 "observations": [
  {"subject": "github.com/google/gson", "metric": "gitlocal.commits_12m", "value": 94, "source": "gitlocal",
   "observed_at": "2026-06-30T23:59:59Z", "commit": "ff724a98aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "evidence": "git log"},
  {"subject": "github.com/google/gson", "metric": "gitlocal.commits_12m", "value": 98, "source": "gitlocal",
   "observed_at": "2026-08-22T23:59:59Z", "commit": "bf5d3d66aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "evidence": "git log"},
  {"subject": "github.com/google/gson", "metric": "license.spdx", "value": null, "text": "Apache-2.0", "source": "license",
   "observed_at": "2026-08-22T23:59:59Z", "commit": "bf5d3d66aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"}]}`

func TestReadRecordedRefusesWithFieldNamed(t *testing.T) {
	cases := map[string]struct{ body, want string }{
		"short commit":    {strings.Replace(recordedOK, "ff724a98aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "ff724a98", 1), "p.json: observations[0].commit"},
		"unknown project": {strings.Replace(recordedOK, `"subject": "github.com/google/gson", "metric": "license.spdx"`, `"subject": "github.com/x/y", "metric": "license.spdx"`, 1), "p.json: observations[2].subject"},
		"after snapshot":  {strings.Replace(recordedOK, "2026-06-30T23:59:59Z", "2026-09-30T23:59:59Z", 1), "p.json: observations[0].observed_at"},
		"unknown field":   {strings.Replace(recordedOK, `"note": "n"`, `"notes": "n"`, 1), `p.json: json: unknown field "notes"`},
		"no label":        {strings.Replace(recordedOK, `"label": "recorded sample data"`, `"label": ""`, 1), "p.json: label"},
		"bad quarter":     {strings.Replace(recordedOK, `"2026Q2"`, `"2026Q5"`, 1), "p.json: backfill[0]"},
		"syntax":          {strings.Replace(recordedOK, `"source": "license",`, `"source": "license"`, 1), "p.json: line 10"}, // the comma dropped on line 9 is noticed at line 10's next key
	}
	for name, c := range cases {
		if _, err := ReadRecorded("p.json", []byte(c.body)); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: err = %v, want it to name %q", name, err, c.want)
		}
	}
}

func TestImportRecordedOnceWithProvenance(t *testing.T) {
	ctx := context.Background()
	st, err := store.Open(ctx, filepath.Join(t.TempDir(), "t.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	rec, err := ReadRecorded("p.json", []byte(recordedOK))
	if err != nil {
		t.Fatal(err)
	}
	sum, err := ImportRecorded(ctx, st, rec, "p.json", []byte(recordedOK))
	if err != nil {
		t.Fatal(err)
	}
	// Two instants (2026-06-30 and 2026-08-22): two runs; three observations.
	if sum.Already || sum.Runs != 2 || sum.Observations != 3 {
		t.Fatalf("first import = %+v, want 2 runs, 3 observations", sum)
	}
	again, err := ImportRecorded(ctx, st, rec, "p.json", []byte(recordedOK))
	if err != nil || !again.Already || again.Runs != 0 {
		t.Fatalf("second import = %+v, %v; want already imported, nothing stored", again, err)
	}
	h, err := st.History(ctx, "github.com/google/gson", "gitlocal.commits_12m")
	if err != nil || len(h) != 2 {
		t.Fatalf("history = %d observations, %v; want 2 (not doubled)", len(h), err)
	}
	// The evidence keeps the label and the commit; the instant is kept.
	if !strings.HasSuffix(h[0].Evidence, "git log; recorded sample data at commit ff724a98aaaa") || h[0].ObservedAt.Format("2006-01-02") != "2026-06-30" {
		t.Errorf("first observation = %+v", h[0])
	}
	runs, err := st.Runs(ctx, 10)
	if err != nil || len(runs) != 2 {
		t.Fatalf("runs = %v, %v", runs, err)
	}
	for _, r := range runs {
		if r.Status != store.RunComplete || !strings.HasPrefix(r.Note, "recorded sample data imported from p.json") {
			t.Errorf("run %d: %s %q", r.ID, r.Status, r.Note)
		}
	}
	// The newest instant's commit is the project's recorded commit.
	if c, at := rec.RecordedCommit("github.com/google/gson"); c != "bf5d3d66aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa" || at.Format("2006-01-02") != "2026-08-22" {
		t.Errorf("RecordedCommit = %s %s", c, at)
	}
}
