package evidence

import (
	"strings"
	"testing"
	"time"

	"github.com/osgauge/osgauge/models"
)

func TestGitHubContributorsByLoginAndCompany(t *testing.T) {
	p := Project{Name: "karmada", Facts: map[string]models.Observation{
		"forge.contributors_12m": {Text: `[
			{"login":"zhang","name":"Zhang San","company":"@acme","commits":30,"merged_prs":10},
			{"login":"li","name":"Li Si","company":"Acme Inc.","commits":5,"merged_prs":5},
			{"login":"wang","name":"Wang","company":"","commits":2,"merged_prs":0},
			{"login":"other","name":"O","company":"Globex","commits":100,"merged_prs":48}]`},
	}}
	s := Supplier{ID: "supplier/acme", Orgs: []string{"acme"}, Logins: []string{"wang"}, Claims: map[string]float64{"contribution_share_pct": 20}}
	obs := Derive(s, []Project{p}, time.Now())
	got := map[string]models.Observation{}
	for _, o := range obs {
		got[o.Metric] = o
	}
	// Acme: zhang 40 (company @acme), li 10 (Acme Inc.), wang 2 (login) = 52
	// of 52 + 148 = 200 commits and merged PRs → 26.0%; claim 20 is fine.
	sh := got["evidence.contribution_share_pct"]
	if sh.Value == nil || *sh.Value != 26 || !strings.HasPrefix(sh.Evidence, "claim 20 confirmed") {
		t.Errorf("share = %+v", sh)
	}
	// Top two: 40 + 10 = 50 of 52 → 96.2%.
	if v := got["evidence.top2_share_pct"].Value; v == nil || *v != 96.2 {
		t.Errorf("top2 = %+v", got["evidence.top2_share_pct"])
	}
	// Without a clone: no maintainer files, no git history → inconclusive.
	if o := got["evidence.maintainers"]; o.Value != nil || o.Reason == "" {
		t.Errorf("maintainers = %+v", o)
	}
	if o := got["evidence.security_fixes"]; o.Value != nil || o.Reason == "" {
		t.Errorf("fixes = %+v", o)
	}
}

func TestNoSupportedProjects(t *testing.T) {
	for _, o := range Derive(Supplier{ID: "s"}, nil, time.Now()) {
		if o.Value != nil || !strings.Contains(o.Reason, "no supported projects") {
			t.Errorf("%+v", o)
		}
	}
}

// Bots in a stored contributor list (older gitlocal lists kept them) are
// nobody's engineers and no part of the total; a no-reply login matches
// the supplier's logins.
func TestBotsLeftOutOfShares(t *testing.T) {
	p := Project{Name: "karmada", Facts: map[string]models.Observation{
		"gitlocal.contributors_12m": {Text: `[
			{"email":"76678816+karmada-bot@users.noreply.github.com","name":"karmada-bot","commits":347},
			{"email":"49699333+dependabot[bot]@users.noreply.github.com","name":"dependabot[bot]","commits":62},
			{"email":"7+zhang@users.noreply.github.com","name":"Zhang San","login":"zhang","commits":30},
			{"email":"li@acme.example","name":"Li Si","commits":10},
			{"email":"o@globex.example","name":"O","commits":60}]`},
	}}
	s := Supplier{ID: "supplier/acme", Logins: []string{"zhang"}, EmailDomains: []string{"acme.example"}}
	got := map[string]models.Observation{}
	for _, o := range Derive(s, []Project{p}, time.Now()) {
		got[o.Metric] = o
	}
	// People only: zhang 30 + li 10 = 40 of 30 + 10 + 60 = 100 → 40.0%
	// (with the bots it would be 40 of 509 = 7.9%).
	if sh := got["evidence.contribution_share_pct"]; sh.Value == nil || *sh.Value != 40 {
		t.Errorf("share = %+v", sh)
	}
}

// A maintainer file lists logins; offline the supplier's people are known
// by their company address. A login that is a name the same person signs
// commits with (gitlocal's names) counts, and says how it was matched;
// a login nobody of the supplier signs with does not. karmada's shape:
// OWNERS names RainbowMango, who commits as "RainbowMango" from a Gmail
// address and as "Hongcai Ren" from huawei.com.
func TestMaintainerLoginByGitName(t *testing.T) {
	p := Project{Name: "karmada", Facts: map[string]models.Observation{
		"gitlocal.contributors_12m": {Text: `[
			{"email":"qdurenhongcai@gmail.com","name":"RainbowMango","commits":101,"names":["Hongcai Ren","RainbowMango"]},
			{"email":"renhongcai@huawei.com","name":"Hongcai Ren","commits":3,"names":["Hongcai Ren","RainbowMango"]},
			{"email":"changzhen5@huawei.com","name":"changzhen","commits":34,"names":["changzhen"]},
			{"email":"o@globex.example","name":"Garrybest","commits":10,"names":["Garrybest"]},
			{"email":"alex@huawei.com","name":"Alex","commits":0,"security_fixes":1,"names":["Alex"]}]`},
		"gitlocal.maintainers": {Text: `{"files":["OWNERS"],"logins":["alex","garrybest","rainbowmango"],"emails":[]}`},
	}}
	s := Supplier{ID: "supplier/huawei", EmailDomains: []string{"huawei.com"}, Claims: map[string]float64{"maintainers": 1}}
	got := map[string]models.Observation{}
	for _, o := range Derive(s, []Project{p}, time.Now()) {
		got[o.Metric] = o
	}
	// rainbowmango: a git name of Hongcai Ren (huawei.com) → 1;
	// garrybest signs from globex.example, not the supplier's → not counted;
	// alex is a first name, not a handle: that Alex of huawei.com holds the
	// login is not shown offline → not counted.
	m := got["evidence.maintainers"]
	if m.Value == nil || *m.Value != 1 || !strings.Contains(m.Evidence, "@rainbowmango (a git name of Hongcai Ren, huawei.com)") ||
		strings.Contains(m.Evidence, "garrybest") || strings.Contains(m.Evidence, "@alex") || strings.Contains(m.Evidence, "DISCREPANCY") {
		t.Errorf("maintainers = %v, evidence %q", m.Value, m.Evidence)
	}
	// Shares stay by each commit's address: 3 + 34 = 37 of 148 → 25.0%.
	if sh := got["evidence.contribution_share_pct"]; sh.Value == nil || *sh.Value != 25 {
		t.Errorf("share = %+v", sh.Value)
	}
}
