package pipeline

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	git "github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing/object"

	"github.com/osgauge/osgauge/collectors"
	"github.com/osgauge/osgauge/collectors/gitlocal"
	"github.com/osgauge/osgauge/config"
	"github.com/osgauge/osgauge/store"
)

// upstream makes a git repository where the supplier's engineer (alice,
// acme.com) and someone else (bob, other.org) commit.
func upstream(t *testing.T, dir string) {
	repo, err := git.PlainInit(dir, false)
	if err != nil {
		t.Fatal(err)
	}
	wt, _ := repo.Worktree()
	now := time.Now()
	commit := func(name, email, msg string, daysAgo int, files map[string]string) {
		for p, body := range files {
			os.MkdirAll(filepath.Dir(filepath.Join(dir, p)), 0o755)
			os.WriteFile(filepath.Join(dir, p), []byte(body), 0o644)
			wt.Add(p)
		}
		os.WriteFile(filepath.Join(dir, "n.txt"), []byte(msg), 0o644)
		wt.Add("n.txt")
		when := now.AddDate(0, 0, -daysAgo)
		sig := &object.Signature{Name: name, Email: email, When: when}
		if _, err := wt.Commit(msg, &git.CommitOptions{Author: sig, Committer: sig}); err != nil {
			t.Fatal(err)
		}
	}
	commit("Bob", "bob@other.org", "init", 200, map[string]string{"CODEOWNERS": "* @acme-dev1 @bob\n"})
	commit("Alice", "alice@acme.com", "Fix CVE-2026-11111 in the parser", 100, nil)
	commit("Bob", "bob@other.org", "b2", 90, nil)
	commit("Alice", "alice@acme.com", "a2", 80, nil)
	commit("Bob", "bob@other.org", "b3", 70, nil)
	commit("Bob", "bob@other.org", "b4", 60, nil)
	commit("Alice", "alice@acme.com", "a3", 50, nil)
	commit("Bob", "bob@other.org", "b5", 40, nil)
}

func TestSupplierEvidenceFromGitHistory(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	upstream(t, filepath.Join(dir, "up"))
	cfg := &config.Config{Dir: dir,
		Projects: []config.Project{{Name: "up", Repo: "https://github.com/o/up", LocalPath: "up", UseType: "simple"}},
		Suppliers: []config.Supplier{
			{Name: "Acme", EmailDomains: []string{"acme.com"}, Logins: []string{"acme-dev1"}, Supports: []string{"up"}, Claims: map[string]float64{"maintainers": 3}},
			{Name: "Nobody", EmailDomains: []string{"nobody.example"}, Supports: []string{"up"}},
		}}
	st, err := store.Open(ctx, filepath.Join(dir, "t.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if _, err := Collect(ctx, st, Targets(cfg), []collectors.Collector{gitlocal.New()}, CollectOptions{}); err != nil {
		t.Fatal(err)
	}
	sups, supports := Suppliers(cfg)
	if _, err := DeriveEvidence(ctx, st, sups, supports, time.Now()); err != nil {
		t.Fatal(err)
	}
	facts, _ := st.LatestFacts(ctx, time.Now().Add(time.Minute))
	acme := facts["supplier/acme"]
	// 8 commits in 12 months: alice 3, bob 5 → Acme's share 3/8 = 37.5%.
	if v := acme["evidence.contribution_share_pct"].Value; v == nil || *v != 37.5 {
		t.Errorf("share = %+v", acme["evidence.contribution_share_pct"])
	}
	// CODEOWNERS names @acme-dev1 (an Acme login) and @bob: 1 maintainer;
	// Acme claimed 3 → more than twice the evidence: a discrepancy.
	m := acme["evidence.maintainers"]
	if m.Value == nil || *m.Value != 1 || !strings.HasPrefix(m.Evidence, "DISCREPANCY: claims 3, evidence shows 1") {
		t.Errorf("maintainers = %+v", m)
	}
	// alice's "Fix CVE-2026-11111" → 1 security fix.
	if v := acme["evidence.security_fixes"].Value; v == nil || *v != 1 {
		t.Errorf("fixes = %+v", acme["evidence.security_fixes"])
	}
	// Acme's only engineer made all of its commits: top two share 100%.
	if v := acme["evidence.top2_share_pct"].Value; v == nil || *v != 100 {
		t.Errorf("top2 = %+v", acme["evidence.top2_share_pct"])
	}
	nobody := facts["supplier/nobody"]
	if v := nobody["evidence.contribution_share_pct"].Value; v == nil || *v != 0 {
		t.Errorf("nobody share = %+v", nobody["evidence.contribution_share_pct"])
	}
	if o := nobody["evidence.top2_share_pct"]; o.Value != nil || o.Reason == "" {
		t.Errorf("nobody top2 should be inconclusive: %+v", o)
	}
}
