package main

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/osgauge/osgauge/ledger"
	"github.com/osgauge/osgauge/models"
	"github.com/osgauge/osgauge/store"
)

// intakeFixture is a config with the payments and teller SBOMs of the
// inventory test collected, and a stored PHI result for fastjson's project.
func intakeFixture(t *testing.T) (dir, cfg string) {
	t.Helper()
	dir = t.TempDir()
	os.WriteFile(filepath.Join(dir, "payments.cdx.json"), []byte(invPayments), 0o644)
	os.WriteFile(filepath.Join(dir, "teller.cdx.xml"), []byte(invTeller), 0o644)
	cfg = filepath.Join(dir, "osgauge.yaml")
	os.WriteFile(cfg, []byte(`
institution: {name: Example Bank}
store: {dsn: osgauge.db}
projects:
  - {name: fastjson, repo: https://github.com/alibaba/fastjson}
sboms:
  - {system: payments, path: payments.cdx.json, licence: Apache-2.0, use: distributed}
  - {system: teller, path: teller.cdx.xml}
osv: {api_url: "off"}
server: {auth: {maker_checker: []}} # one analyst: decisions take effect at once (confirm_test.go: the default)
`), 0o644)
	if out, err := runCLI(t, "--config", cfg, "collect", "--only", "sbom"); err != nil {
		t.Fatalf("collect: %v\n%s", err, out)
	}
	ctx := context.Background()
	st, err := store.Open(ctx, filepath.Join(dir, "osgauge.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	run, err := st.StartRun(ctx, "assess", "2026Q4")
	if err != nil {
		t.Fatal(err)
	}
	score := 58.25
	res := models.Result{SubjectID: "github.com/alibaba/fastjson", Model: models.ProjectHealth, ModelVersion: "0.6.0", ModelHash: "sha256:x",
		Score: &score, ScoreRange: []float64{52.5, 66}, GradeRange: []string{"C", "B"}, Coverage: 0.7, Status: "ok",
		Gates:      []models.GateHit{{ID: "G-KEV", Reason: "CVE-2022-25845"}},
		AssessedAt: time.Date(2026, 12, 1, 6, 0, 0, 0, time.UTC)}
	if err := st.SaveResults(ctx, run, "2026Q4", []models.Result{res}); err != nil {
		t.Fatal(err)
	}
	if err := st.FinishRun(ctx, run, store.RunComplete, "", nil); err != nil {
		t.Fatal(err)
	}
	return dir, cfg
}

func setIntakeNow(t *testing.T, now time.Time) {
	t.Helper()
	old := intakeNow
	intakeNow = func() time.Time { return now }
	t.Cleanup(func() { intakeNow = old })
}

func TestIntakeDecideSupersedeListAndExit(t *testing.T) {
	asUser(t, "alice") // --by is the OS user's (cliBy)
	dir, cfg := intakeFixture(t)
	day1 := time.Date(2026, 12, 7, 10, 0, 0, 0, time.UTC)
	setIntakeNow(t, day1)

	// No result for elasticsearch's project (no repository known): an
	// approval is refused, a rejection is recorded.
	out, err := runCLI(t, "--config", cfg, "intake", "decide", "pkg:maven/org.elasticsearch/elasticsearch@7.11.0",
		"--decision", "approved", "--by", "alice", "--why", "search")
	if err == nil || !strings.Contains(err.Error(), "no assessment on record for pkg:maven/org.elasticsearch/elasticsearch@7.11.0: run 'osgauge intake assess") {
		t.Fatalf("approval without an assessment: %v\n%s", err, out)
	}
	out, err = runCLI(t, "--config", cfg, "intake", "decide", "pkg:maven/org.elasticsearch/elasticsearch@7.11.0",
		"--decision", "rejected", "--by", "alice", "--why", "SSPL-1.0 OR Elastic-2.0: source-available")
	if err != nil || !strings.Contains(out, "recorded rejected for pkg:maven/org.elasticsearch/elasticsearch (7.11.0)") ||
		!strings.Contains(out, "based on: no assessment on record") {
		t.Fatalf("rejection: %v\n%s", err, out)
	}

	// fastjson 1.2.24, approved for payments: the assessment is the stored
	// result (58.25 in 52.5–66, between C and B, G-KEV; %.1f rounds the
	// exact binary 58.25 half to even: 58.2), the licence judged
	// for payments (Apache-2.0 in an Apache-2.0 system, distributed).
	out, err = runCLI(t, "--config", cfg, "intake", "decide", "pkg:maven/com.alibaba/fastjson@1.2.24",
		"--decision", "approved", "--by", "alice", "--why", "in use for years", "--system", "payments",
		"--department", "retail IT", "--owner", "bob")
	if err != nil {
		t.Fatalf("approval: %v\n%s", err, out)
	}
	for _, want := range []string{
		"recorded approved for pkg:maven/com.alibaba/fastjson (1.2.24): " + filepath.Join(dir, "ledger", "decisions", "2026-12-07-dec-"),
		"based on: between C and B; score 58.2 (52.5–66.0); gates G-KEV; licence Apache-2.0: allowed, directly-compatible with Apache-2.0 (payments, distributed); project-health 0.6.0 assessed 2026-12-01",
		"review by 2027-12-07", // the default: 12 months (lifecycle.policy.review_months)
		"ledger mirrored into the store: 1 added, 0 updated, 0 withdrawn", // the rejection was mirrored before
	} {
		if !strings.Contains(out, want) {
			t.Errorf("approval output lacks %q:\n%s", want, out)
		}
	}

	// A day later the approval becomes conditional: it supersedes the first.
	day2 := day1.Add(24 * time.Hour)
	setIntakeNow(t, day2)
	asUser(t, "carol")
	out, err = runCLI(t, "--config", cfg, "intake", "decide", "pkg:maven/com.alibaba/fastjson@1.2.24",
		"--decision", "conditional", "--by", "carol", "--why", "G-KEV: upgrade planned", "--system", "payments",
		"--conditions", "upgrade to >= 1.2.83 by 2027-03-31", "--conditions", "safeMode on", "--review-by", "2027-03-31")
	if err != nil || !strings.Contains(out, "  supersedes dec-") || !strings.Contains(out, "1 added, 1 updated, 0 withdrawn") {
		t.Fatalf("conditional: %v\n%s", err, out)
	}
	asUser(t, "alice")
	files, _ := filepath.Glob(filepath.Join(dir, "ledger", "decisions", "*.yaml"))
	if len(files) != 3 {
		t.Fatalf("decision files %v, want 3 (nothing overwritten)", files)
	}
	l, err := ledger.Load(filepath.Join(dir, "ledger"))
	if err != nil {
		t.Fatal(err)
	}
	first, _ := l.Decision("pkg:maven/com.alibaba/fastjson", "1.2.24")
	if first.Decision != ledger.Conditional || first.Supersedes == "" || first.Owner != "" {
		t.Errorf("the decision in force: %+v", first)
	}

	// The store mirror holds both fastjson decisions, the first superseded.
	st, err := store.Open(context.Background(), filepath.Join(dir, "osgauge.db"))
	if err != nil {
		t.Fatal(err)
	}
	recs, err := st.LedgerRecords(context.Background(), ledger.KindDecision)
	st.Close()
	if err != nil {
		t.Fatal(err)
	}
	var fj []store.LedgerRecord
	for _, r := range recs {
		if r.Target == "pkg:maven/com.alibaba/fastjson" {
			fj = append(fj, r)
		}
	}
	if len(fj) != 2 || fj[0].State != "approved" || fj[0].Status != store.LedgerSuperseded || fj[0].ID != first.Supersedes ||
		fj[1].State != "conditional" || fj[1].Status != store.LedgerCurrent || fj[0].SupersededBy != fj[1].ID {
		t.Fatalf("store mirror %+v", fj)
	}
	var rec ledger.Decision
	if err := json.Unmarshal(fj[0].Record, &rec); err != nil || rec.Owner != "bob" || rec.Department != "retail IT" || rec.Assessment == nil || *rec.Assessment.Score != 58.25 {
		t.Errorf("mirrored record %s: %v", fj[0].Record, err)
	}

	// Elasticsearch goes on the exit list.
	out, err = runCLI(t, "--config", cfg, "intake", "exit", "pkg:maven/org.elasticsearch/elasticsearch", "--reason", "licence",
		"--replacement", "pkg:maven/org.opensearch.client/opensearch-java", "--deadline", "2026-12-31", "--owner", "dave",
		"--by", "alice", "--why", "relicensed to SSPL / Elastic-2.0")
	if err != nil || !strings.Contains(out, "recorded exit of pkg:maven/org.elasticsearch/elasticsearch (every version), licence, by 2026-12-31") {
		t.Fatalf("exit: %v\n%s", err, out)
	}
	if l, _ := ledger.Load(filepath.Join(dir, "ledger")); l.State("pkg:maven/org.elasticsearch/elasticsearch", "7.11.0") != ledger.StateExit {
		t.Error("elasticsearch 7.11.0 is not in the exit state")
	}

	// The list on 2027-01-05: fastjson's review date (2027-03-31) not due,
	// the exit's deadline (2026-12-31) passed.
	setIntakeNow(t, time.Date(2027, 1, 5, 9, 0, 0, 0, time.UTC))
	out, err = runCLI(t, "--config", cfg, "intake", "list")
	if err != nil {
		t.Fatal(err)
	}
	l, _ = ledger.Load(filepath.Join(dir, "ledger"))
	cond, _ := l.Decision("pkg:maven/com.alibaba/fastjson", "1.2.24")
	ex, _ := l.Exit("pkg:maven/org.elasticsearch/elasticsearch", "")
	rej := l.Decisions[0] // the rejection, recorded first
	want := `Approved list (白名单), as of 2027-01-05: 1 entry
TARGET                          VERSIONS  DECISION     REVIEW BY   SYSTEM    OWNER  DECIDED     BY     ID
pkg:maven/com.alibaba/fastjson  1.2.24    conditional  2027-03-31  payments  -      2026-12-08  carol  ` + cond.ID + `
  pkg:maven/com.alibaba/fastjson 1.2.24 conditions: upgrade to >= 1.2.83 by 2027-03-31; safeMode on

Exit list (不推荐使用清单): 1 entry
TARGET                                     VERSIONS  REASON   REPLACEMENT                                      DEADLINE            OWNER  ID
pkg:maven/org.elasticsearch/elasticsearch  all       licence  pkg:maven/org.opensearch.client/opensearch-java  2026-12-31 OVERDUE  dave   ` + ex.ID + `

Rejected: 1 entry
TARGET                                     VERSIONS  DECIDED     BY     WHY                                        ID
pkg:maven/org.elasticsearch/elasticsearch  7.11.0    2026-12-07  alice  SSPL-1.0 OR Elastic-2.0: source-available  ` + rej.ID + `
`
	if out != want {
		t.Errorf("intake list:\n%s\nwant:\n%s", out, want)
	}

	// JSON: the review is not due, the exit overdue.
	out, err = runCLI(t, "--config", cfg, "intake", "list", "--format", "json")
	if err != nil {
		t.Fatal(err)
	}
	var js struct {
		Approved []struct {
			ID        string `json:"id"`
			ReviewDue bool   `json:"review_due"`
		} `json:"approved"`
		Exits []struct {
			Target  string `json:"target"`
			Overdue bool   `json:"overdue"`
		} `json:"exits"`
		Rejected []json.RawMessage `json:"rejected"`
	}
	if err := json.Unmarshal([]byte(out), &js); err != nil || len(js.Approved) != 1 || js.Approved[0].ReviewDue || len(js.Exits) != 1 || !js.Exits[0].Overdue || len(js.Rejected) != 1 {
		t.Errorf("intake list json %v:\n%s", err, out)
	}
}

func TestIntakeTargets(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "osgauge.yaml")
	os.WriteFile(path, []byte("projects:\n  - {name: karmada, repo: https://github.com/karmada-io/karmada}\ncomponent_repos: {\"pkg:maven/com.alibaba/fastjson\": https://github.com/alibaba/fastjson}\n"), 0o644)
	c, err := (&globals{configPath: path}).loadConfig()
	if err != nil {
		t.Fatal(err)
	}
	for arg, want := range map[string]intakeTarget{
		"pkg:maven/com.alibaba/fastjson@1.2.83": {Target: "pkg:maven/com.alibaba/fastjson", Version: "1.2.83", ProjectID: "github.com/alibaba/fastjson"},
		"pkg:npm/left-pad":                      {Target: "pkg:npm/left-pad"},
		"karmada":                               {Target: "github.com/karmada-io/karmada", ProjectID: "github.com/karmada-io/karmada"},
		"https://GitHub.com/a/b.git":            {Target: "github.com/a/b", ProjectID: "github.com/a/b"},
		"git@gitee.com:c/d.git":                 {Target: "gitee.com/c/d", ProjectID: "gitee.com/c/d"},
	} {
		got, err := resolveIntakeTarget(c, arg)
		want.Name = arg
		if err != nil || got != want {
			t.Errorf("resolveIntakeTarget(%q) = %+v, %v; want %+v", arg, got, err, want)
		}
	}
	if _, err := resolveIntakeTarget(c, "nonsense"); err == nil || !strings.Contains(err.Error(), "TARGET must be a package URL") {
		t.Errorf("nonsense target: %v", err)
	}
}
