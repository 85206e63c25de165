//go:build postgres

package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"testing"
	"time"

	"github.com/osgauge/osgauge/assess"
	"github.com/osgauge/osgauge/store/storetest"
)

// The same pipeline on SQLite and on PostgreSQL, against the same fake
// GitHub, gives the same report: collect, assess and report through the
// CLI, the JSON reports compared once the generation time is dropped and
// numbers rounded to 3 decimals (times since the last push move on by
// milliseconds between the two runs).
func TestSameReportOnSQLiteAndPostgres(t *testing.T) {
	const token = "ghp_sqlite_and_pg"
	srv, _ := fakeEnterprise(t, token)
	t.Setenv("OSGAUGE_TEST_TOKEN", token)
	t.Setenv("OSGAUGE_TEST_PG", storetest.PostgresDSN(t))
	period := assess.CurrentQuarter(time.Now()).Name
	report := func(storeYAML string) map[string]any {
		t.Helper()
		dir := t.TempDir()
		cfg := filepath.Join(dir, "osgauge.yaml")
		os.WriteFile(cfg, []byte(fmt.Sprintf(`github: {api_url: %s/api/v3/, token_env: OSGAUGE_TEST_TOKEN}
%s
projects:
  - {name: tool, repo: %s/bank/tool}
report: {lang: en, formats: [json]}
`, srv.URL, storeYAML, srv.URL)), 0o644)
		for _, args := range [][]string{{"collect", "--only", "github"}, {"assess"}, {"report"}} {
			if out, err := runCLI(t, append(args, "--config", cfg, "--period", period)...); err != nil {
				t.Fatalf("%v: %v\n%s", args, err, out)
			}
		}
		data, err := os.ReadFile(filepath.Join(dir, "osgauge-report", "osgauge-"+period+".json"))
		if err != nil {
			t.Fatal(err)
		}
		var v map[string]any
		if err := json.Unmarshal(data, &v); err != nil {
			t.Fatal(err)
		}
		delete(v, "generated_at")
		return roundAll(v).(map[string]any)
	}
	lite := report("store: {driver: sqlite}")
	pg := report("store: {driver: postgres, dsn_env: OSGAUGE_TEST_PG}")
	a, _ := json.MarshalIndent(lite, "", " ")
	b, _ := json.MarshalIndent(pg, "", " ")
	if !bytes.Equal(a, b) {
		t.Errorf("reports differ:\nsqlite:\n%s\npostgres:\n%s", a, b)
	}
	if !bytes.Contains(a, []byte(`"forge.adoption"`)) {
		t.Errorf("the report holds no forge data:\n%s", a)
	}
}

// timestamp is an RFC 3339 time: the run's clock, not data.
var timestamp = regexp.MustCompile(`\d{4}-\d\d-\d\d[T ]\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)?`)

// roundAll rounds every number in a decoded JSON value to 3 decimals and
// replaces timestamps, in values and inside texts (evidence), by <time>.
func roundAll(v any) any {
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			x[k] = roundAll(e)
		}
	case []any:
		for i, e := range x {
			x[i] = roundAll(e)
		}
	case float64:
		return math.Round(x*1000) / 1000
	case string:
		return timestamp.ReplaceAllString(x, "<time>")
	}
	return v
}
