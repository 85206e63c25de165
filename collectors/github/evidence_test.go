package github

import (
	"context"
	"testing"
	"time"

	"github.com/osgauge/osgauge/collectors/evidence"
	"github.com/osgauge/osgauge/models"
)

// Supplier evidence from the fake GitHub: the contributors the collector
// records are attributed to a supplier by company and by login.
func TestSupplierEvidenceFromFakeGitHub(t *testing.T) {
	h := newHarness(t, nil)
	h.f.setRepo("acme/widget", widget(h.f, "acme/widget"))
	obs, _, err := h.c.Collect(context.Background(), target(h.f, "acme/widget"))
	if err != nil {
		t.Fatal(err)
	}
	facts := map[string]models.Observation{}
	for _, o := range obs {
		facts[o.Metric] = o
	}
	derive := func(s evidence.Supplier) map[string]models.Observation {
		got := map[string]models.Observation{}
		for _, o := range evidence.Derive(s, []evidence.Project{{Name: "widget", Facts: facts}}, time.Now()) {
			got[o.Metric] = o
		}
		return got
	}
	// The fixture's 12 months (see TestCollectMetrics): commits + merged
	// PRs: alice 5+1, bob 4+1, dave 2+0, carol 1+0, frank 0+2 = 16.
	// BigCorp by company ("@BigCorp Inc." is bob) and by e-mail domain
	// (carol@bigcorp.com): 5 + 1 = 6 of 16 = 37.5%; its top two made all 6.
	bc := derive(evidence.Supplier{ID: "supplier/bigcorp", Orgs: []string{"bigcorp"}, EmailDomains: []string{"bigcorp.com"}})
	if v := bc["evidence.contribution_share_pct"].Value; v == nil || *v != 37.5 {
		t.Errorf("bigcorp share = %+v", bc["evidence.contribution_share_pct"])
	}
	if v := bc["evidence.top2_share_pct"].Value; v == nil || *v != 100 {
		t.Errorf("bigcorp top2 = %+v", bc["evidence.top2_share_pct"])
	}
	// A supplier known only by its engineer's login: dave 2 of 16 = 12.5%.
	d := derive(evidence.Supplier{ID: "supplier/dave-co", Logins: []string{"dave"}})
	if v := d["evidence.contribution_share_pct"].Value; v == nil || *v != 12.5 {
		t.Errorf("dave share = %+v", d["evidence.contribution_share_pct"])
	}
}
