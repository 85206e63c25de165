package intake

import (
	"bytes"
	"encoding/json"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
	xhtml "golang.org/x/net/html"

	"github.com/osgauge/osgauge/policy"
)

const hostile = `<script>alert("x")</script><img src=http://evil.example/x.png>`

// sample is a selection of two: one with a hostile repository name (text
// from outside is data), one rejected.
func sample() *Report {
	score, low := 81.0, 62.5
	return &Report{
		GeneratedAt: time.Date(2026, 12, 7, 10, 0, 0, 0, time.UTC), System: "core-banking", SystemLicence: "proprietary",
		SystemLicenceFrom: "sboms[core-banking].licence", Use: "distributed", UseFrom: "--use", Model: "project-health 0.6.0",
		GatesNotApplicable: []string{"G-KEV"}, IndicatorsNotApplicable: []string{"VUL-1"}, Policy: policy.Defaults(),
		Candidates: []Candidate{
			{Name: hostile, Target: "local/" + hostile, Input: "./x", Kind: "clone", Project: "local/x", Score: &score,
				ScoreRange: []float64{low, 90}, GradeRange: []string{"C", "A"}, GradeEstimate: "A", Coverage: 0.8,
				Gates:   []Gate{{ID: "G-KEY-PERSON", Reason: "bus factor 1 " + hostile, Cap: "B"}},
				Missing: []Missing{{ID: "RSP-1", Swing: 4, Sources: []string{"forge"}}}, Licence: "=HYPERLINK(\"http://evil.example\")",
				LicenceClass: "unknown", Compatibility: "needs-review", LicencePolicy: "review", VulnsChecked: true,
				Vulnerabilities: []Vuln{{ID: "GHSA-1", Severity: "high", Fixed: "1.1.0"}}, NearestFixed: "1.1.0",
				Suppliers:      []string{"Acme"},
				Recommendation: policy.Recommendation{Decision: "conditional", Conditions: []string{"minimum version 1.1.0"}, ReviewBy: "2027-12-07"}},
			{Name: "vaultdb", Target: "pkg:golang/example.com/vaultdb", Version: "v2.0.0", Licence: "SSPL-1.0", LicenceClass: "source-available",
				Compatibility: "incompatible", LicencePolicy: "banned", Grade: "D",
				Recommendation: policy.Recommendation{Decision: "rejected", Reasons: []string{"licence SSPL-1.0 banned"}}},
		},
	}
}

// The page: no script element, nothing loaded from elsewhere (no src,
// no stylesheet link), the hostile name shown as text, the comparison
// with one column per candidate.
func TestHTMLSelfContainedAndEscaped(t *testing.T) {
	var b bytes.Buffer
	if err := WriteHTML(&b, sample(), "en"); err != nil {
		t.Fatal(err)
	}
	doc, err := xhtml.Parse(strings.NewReader(b.String()))
	if err != nil {
		t.Fatal(err)
	}
	var scripts, external int
	var texts []string
	var walk func(n *xhtml.Node)
	walk = func(n *xhtml.Node) {
		if n.Type == xhtml.ElementNode {
			if n.Data == "script" {
				scripts++
			}
			for _, a := range n.Attr {
				if a.Key == "src" || (n.Data == "link" && a.Key == "href") {
					external++
				}
			}
		}
		if n.Type == xhtml.TextNode {
			texts = append(texts, n.Data)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
	if scripts != 0 || external != 0 {
		t.Errorf("%d script elements, %d external resources; want none", scripts, external)
	}
	if !slices.Contains(texts, hostile) {
		t.Errorf("the hostile name is not shown as text")
	}
	if strings.Contains(b.String(), "<script>alert") || strings.Contains(b.String(), "<img src=http") {
		t.Errorf("the hostile name reached the page unescaped")
	}
	for _, want := range []string{"Comparison", "between C and A (estimate A)", "approve with conditions", "reject",
		"licence SSPL-1.0 banned", "minimum version 1.1.0", "Not applicable before intake", "G-KEV, VUL-1", "@media print"} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("page lacks %q", want)
		}
	}
	// Chinese labels.
	b.Reset()
	if err := WriteHTML(&b, sample(), "zh"); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"开源组件引入评估：2 个候选组件选型对比", "建议拒绝", "建议附条件批准"} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("zh page lacks %q", want)
		}
	}
}

// The JSON carries the contract's fields, lists as [] rather than null.
func TestJSONFields(t *testing.T) {
	var b bytes.Buffer
	if err := WriteJSON(&b, sample()); err != nil {
		t.Fatal(err)
	}
	var doc map[string]any
	if err := json.Unmarshal(b.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"generated_at", "system", "use", "candidates"} {
		if _, ok := doc[k]; !ok {
			t.Errorf("top level lacks %q", k)
		}
	}
	cands := doc["candidates"].([]any)
	for i, c := range cands {
		m := c.(map[string]any)
		for _, k := range []string{"name", "target", "version", "project", "score", "score_range", "grade", "grade_range", "gates",
			"missing", "licence", "licence_class", "compatibility", "why", "obligations", "vulnerabilities", "nearest_fixed",
			"suppliers", "recommendation"} {
			if _, ok := m[k]; !ok && !(k == "version" && i == 0) {
				t.Errorf("candidate %d lacks %q", i, k)
			}
		}
		rec := m["recommendation"].(map[string]any)
		if _, ok := rec["decision"]; !ok {
			t.Errorf("candidate %d: recommendation lacks decision", i)
		}
		if m["gates"] == nil || m["vulnerabilities"] == nil || m["suppliers"] == nil {
			t.Errorf("candidate %d: a list is null: %v", i, m)
		}
	}
	v := cands[0].(map[string]any)["vulnerabilities"].([]any)[0].(map[string]any)
	for _, k := range []string{"id", "severity", "kev", "fixed"} {
		if _, ok := v[k]; !ok {
			t.Errorf("vulnerability lacks %q", k)
		}
	}
	rec := cands[1].(map[string]any)["recommendation"].(map[string]any)
	if rec["decision"] != "rejected" || len(rec["reasons"].([]any)) != 1 {
		t.Errorf("second recommendation = %v", rec)
	}
}

// The workbook: the comparison with a column per candidate, text from
// outside as string cells (a licence that looks like a formula is not
// one), the vulnerabilities and the recommendation lines.
func TestWorkbook(t *testing.T) {
	dir := t.TempDir()
	paths, err := Write(sample(), dir, "en", nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(paths) != 3 || filepath.Base(paths[1]) != "intake-2026-12-07.xlsx" {
		t.Fatalf("paths %v", paths)
	}
	f, err := excelize.OpenFile(paths[1])
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if got := f.GetSheetList(); !slices.Equal(got, []string{"Comparison", "Candidates", "Vulnerabilities", "Recommendation"}) {
		t.Errorf("sheets %v", got)
	}
	rows, _ := f.GetRows("Comparison")
	if len(rows[0]) != 3 || rows[0][1] != hostile || rows[0][2] != "vaultdb" {
		t.Errorf("header %q", rows[0])
	}
	var licRow int
	for i, r := range rows {
		if len(r) > 0 && r[0] == "Licence and verdict" {
			licRow = i + 1
		}
	}
	if licRow == 0 {
		t.Fatal("no licence row")
	}
	if formula, _ := f.GetCellFormula("Comparison", "B"+strconv.Itoa(licRow)); formula != "" {
		t.Errorf("a licence became a formula: %q", formula)
	}
	if typ, _ := f.GetCellType("Comparison", "B"+strconv.Itoa(licRow)); typ != excelize.CellTypeSharedString && typ != excelize.CellTypeInlineString {
		t.Errorf("licence cell type %v, want a string", typ)
	}
	vr, _ := f.GetRows("Vulnerabilities")
	if len(vr) != 2 || vr[1][2] != "GHSA-1" || vr[1][5] != "1.1.0" {
		t.Errorf("vulnerabilities %q", vr)
	}
	rr, _ := f.GetRows("Recommendation")
	if len(rr) != 3 || rr[1][3] != "licence SSPL-1.0 banned" && rr[2][3] != "licence SSPL-1.0 banned" {
		t.Errorf("recommendation rows %q", rr)
	}
}
