package reports

import (
	"regexp"
	"strings"
	"testing"

	"github.com/osgauge/osgauge/models"
)

var cjk = regexp.MustCompile(`\p{Han}`)

func builtin(t *testing.T, id string) *models.Model {
	t.Helper()
	m, err := models.Builtin(id)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// Every gate and every indicator (and modifier) of every built-in model has
// a sentence in English and in Chinese, built without falling back to
// "metric = value" and without naming the metric.
func TestEveryBuiltinGateAndIndicatorIsExplained(t *testing.T) {
	one := 1.0
	for _, id := range models.BuiltinIDs() {
		def := builtin(t, id)
		for _, g := range def.Gates {
			if !Explains(def, g.ID) {
				t.Errorf("%s gate %s: no sentence", id, g.ID)
				continue
			}
			metric := g.MetricList()[0]
			st := models.GateState{ID: g.ID, State: models.GateFired, Cap: g.Cap,
				Reason: metric + " = 1: some evidence"}
			for _, lang := range []string{"en", "zh"} {
				e := ExplainGate(def, st, lang)
				checkSentence(t, id+" gate "+g.ID+" "+lang, e.Text, lang, metric)
				if e.Detail != st.Reason {
					t.Errorf("%s gate %s %s: detail %q, want the reason", id, g.ID, lang, e.Detail)
				}
			}
		}
		var ins []models.Indicator
		for _, d := range def.Dimensions {
			ins = append(ins, d.Indicators...)
		}
		ins = append(ins, def.Modifiers...)
		for _, in := range ins {
			if !Explains(def, in.ID) {
				t.Errorf("%s indicator %s: no sentence", id, in.ID)
				continue
			}
			ir := models.IndicatorResult{ID: in.ID, Raw: &one, Status: models.StatusOK}
			if len(in.Normalize.Bands) > 0 && in.Normalize.Bands[0].Equals != "" {
				ir = models.IndicatorResult{ID: in.ID, RawText: in.Normalize.Bands[0].Equals, Status: models.StatusOK}
			}
			for _, lang := range []string{"en", "zh"} {
				// The English name may hold a Chinese term of art ("信创").
				got := strings.ReplaceAll(ExplainIndicator(def, ir, lang), in.Name.En, "name")
				checkSentence(t, id+" indicator "+in.ID+" "+lang, got, lang, in.Metrics[0])
			}
		}
	}
}

func checkSentence(t *testing.T, what, s, lang, metric string) {
	t.Helper()
	switch {
	case s == "":
		t.Errorf("%s: empty", what)
	case strings.Contains(s, metric):
		t.Errorf("%s: %q names the metric %s", what, s, metric)
	case strings.Contains(s, "{"):
		t.Errorf("%s: %q has a placeholder left", what, s)
	case lang == "zh" && !cjk.MatchString(s):
		t.Errorf("%s: %q is not Chinese", what, s)
	case lang == "en" && cjk.MatchString(s):
		t.Errorf("%s: %q is not English", what, s)
	}
}

// Hand-written expectations: the sentence a reader sees for concrete
// gate reasons as the engine records them.
func TestExplainGateCases(t *testing.T) {
	phi, sei := builtin(t, "project-health"), builtin(t, "supplier")
	fired := func(id, reason string) models.GateState {
		return models.GateState{ID: id, State: models.GateFired, Reason: reason}
	}
	cases := []struct {
		def      *models.Model
		g        models.GateState
		lang     string
		want     string
		wantInDt string
	}{
		// The bus factor's evidence gives the top author's share, "(84%)":
		// 84 of 100 commits.
		{phi, fired("G-KEY-PERSON", "gitlocal.bus_factor_12m = 1: top 1 author of 5 made 84 of 100 non-merge commits by people (84%) since 2025-11-24: alice 84"), "en",
			"One person made 84 % of last year's commits (bus factor 1).", "gitlocal.bus_factor_12m = 1"},
		{phi, fired("G-KEY-PERSON", "gitlocal.bus_factor_12m = 1: top 1 author of 5 made 84 of 100 non-merge commits by people (84%) since 2025-11-24: alice 84"), "zh",
			"近一年 84% 的提交由一人完成（巴士系数为 1）。", "alice 84"},
		// Without a share in the evidence (a forge's count): "half or more".
		{phi, fired("G-KEY-PERSON", "forge.bus_factor_12m = 1"), "en",
			"One person made half or more of last year's commits (bus factor 1).", "forge.bus_factor_12m = 1"},
		// 13.4167 months shown with one decimal; the limit is the gate's value, 12.
		{phi, fired("G-UNMAINTAINED", "gitlocal.months_since_last_commit = 13.4167: 2026-12-01 − 2025-10-19 in repo"), "en",
			"No one has committed to the project for 13.4 months (the limit is 12).", ""},
		// One KEV: the ".one" sentence; three: the counted one.
		{phi, fired("G-KEV", "osv.kev_unpatched = 1: CVE-2021-44228"), "en",
			"The version in use has an unpatched vulnerability that attackers are known to exploit.", "CVE-2021-44228"},
		{phi, fired("G-KEV", "osv.kev_unpatched = 3: CVE-1; CVE-2; CVE-3"), "zh",
			"在用版本存在 3 个已被攻击者利用且未修补的漏洞。", ""},
		// The class text has a colon of its own: "source-available:distributed".
		{phi, fired("G-SOURCE-AVAILABLE-IN-USE", "license.class_in_use = source-available:distributed: BUSL-1.1 in the SBOM of core-banking"), "zh",
			"在用版本为源码可见许可证而非开源许可证（使用方式：对外分发）。", "BUSL-1.1"},
		// Two conditions joined by "; and "; the repeated scorecard
		// fragments are collapsed in the detail.
		{phi, fired("G-SINGLE-MAINTAINER", "gitlocal.authors_12m = 1: 1 author; and scorecard.Security-Policy = 0: no security file to analyze; no security file to analyze; … 1 more"), "en",
			"One person wrote all of last year's code, and there is no private way to report a vulnerability.",
			"scorecard.Security-Policy = 0: no security file to analyze (×2); … 1 more"},
		// The supplier gate of the demo: SCC-4 answered 0, 2 needed (op lt 2).
		{sei, fired("G-NO-COMPLIANCE-ARTEFACTS", "questionnaire.SCC-4 = 0: beta.yaml line 17 (answered 2026-10-28 by Li Lei, Account Manager)"), "en",
			"The supplier cannot show documented licence-compliance deliverables (evidence level 0 of 4; 2 needed).", "beta.yaml line 17"},
		{sei, fired("G-NO-COMPLIANCE-ARTEFACTS", "questionnaire.SCC-4 = 0: beta.yaml line 17"), "zh",
			"该供应商无法提供成文的许可证合规交付物（证据等级 0/4，至少需要 2）。", ""},
		// A gate the catalogue does not know (a custom model): its name and
		// the observation.
		{phi, fired("G-CUSTOM", "forge.stars = 3: api"), "en", "G-CUSTOM (observed: forge.stars = 3).", "forge.stars = 3: api"},
		// Other states.
		{phi, models.GateState{ID: "G-KEV", State: models.GateNotEvaluated, Reason: "no data: osv.kev_unpatched: no observation"}, "zh",
			"尚未检查：缺少判断所需的数据。", "osv.kev_unpatched: no observation"},
	}
	for _, c := range cases {
		got := ExplainGate(c.def, c.g, c.lang)
		if got.Text != c.want {
			t.Errorf("%s %s:\n got %q\nwant %q", c.g.ID, c.lang, got.Text, c.want)
		}
		if !strings.Contains(got.Detail, c.wantInDt) {
			t.Errorf("%s %s: detail %q lacks %q", c.g.ID, c.lang, got.Detail, c.wantInDt)
		}
	}
}

func TestExplainIndicatorCases(t *testing.T) {
	phi, gmi := builtin(t, "project-health"), builtin(t, "governance-maturity")
	num := func(v float64) *float64 { return &v }
	cases := []struct {
		def  *models.Model
		ir   models.IndicatorResult
		lang string
		want string
	}{
		// 0.85 of change requests closed: 85 %.
		{phi, models.IndicatorResult{ID: "RSP-3", Raw: num(0.85)}, "en", "85 % of the proposed changes of the last 6 months were merged or closed."},
		{phi, models.IndicatorResult{ID: "COM-3", Raw: num(2)}, "zh", "近一年半数提交来自 2 人（巴士系数）。"},
		{phi, models.IndicatorResult{ID: "LIC-2", RawText: "strong-copyleft:saas"}, "zh", "其许可证类别为强著佐权（使用方式：对外提供服务）。"},
		{phi, models.IndicatorResult{ID: "LIC-4", RawText: "needs-review"}, "en", "Its licence is needs review with the systems that use it."},
		// A GMI practice answered 2: "documented".
		{gmi, models.IndicatorResult{ID: "G1-1", Raw: num(2)}, "en", "Named owner for open-source governance: evidence level 2 of 4 (documented)."},
		{gmi, models.IndicatorResult{ID: "G1-1", Raw: num(2)}, "zh", "明确开源治理负责人：证据等级 2/4（有文件）。"},
		// No data: no sentence (the explanation says what is missing).
		{phi, models.IndicatorResult{ID: "ACT-1", Status: models.StatusInconclusive}, "en", ""},
	}
	for _, c := range cases {
		if got := ExplainIndicator(c.def, c.ir, c.lang); got != c.want {
			t.Errorf("%s %s:\n got %q\nwant %q", c.ir.ID, c.lang, got, c.want)
		}
	}
}

func TestDedupEvidence(t *testing.T) {
	for in, want := range map[string]string{
		"no security file to analyze; no security file to analyze; … 1 more": "no security file to analyze (×2); … 1 more",
		"a; b; a; a": "a (×3); b",
		"a; b":       "a; b",
		"single":     "single",
	} {
		if got := DedupEvidence(in); got != want {
			t.Errorf("DedupEvidence(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestCapLabel(t *testing.T) {
	sei := builtin(t, "supplier")
	// supplier.yaml: not-approved is labelled {en: Not approved, zh: 不予准入}.
	if got := CapLabel(sei, "not-approved", "en"); got != "Not approved" {
		t.Errorf("en cap %q", got)
	}
	if got := CapLabel(sei, "not-approved", "zh"); got != "不予准入" {
		t.Errorf("zh cap %q", got)
	}
}
