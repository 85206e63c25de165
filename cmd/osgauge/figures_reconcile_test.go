package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/osgauge/osgauge/models"
	"github.com/osgauge/osgauge/reports"
	"github.com/osgauge/osgauge/reports/excel"
	"github.com/osgauge/osgauge/reports/html"
	"github.com/osgauge/osgauge/reports/jsonreport"
	"github.com/osgauge/osgauge/reports/labels"
)

// reconcileReport is one report with every kind of result the key figures
// tell apart, under the built-in models:
//
//	projects (7): a1 A, b1 B (a gate waived), d1 D (gate G-KEV fired),
//	  u1 and u2 between D and B, u3 between C and A, n1 no grade and no
//	  range (status inconclusive)
//	suppliers (2): s1 preferred (a gate fired), s2 between conditional
//	  and preferred (status inconclusive) — neither counted as a project
//
// By hand: projects 7, suppliers 2; graded 3 (a1, b1, d1), undecided 4
// (u1, u2, u3, n1); decided grades A 1, B 1, C 0, D 1; gates fired 2
// (d1's and s1's; b1's is waived).
func reconcileReport(t *testing.T, lang string) *reports.Report {
	t.Helper()
	defs := models.Set{}
	for _, id := range []string{models.ProjectHealth, models.Supplier} {
		m, err := models.Builtin(id)
		if err != nil {
			t.Fatal(err)
		}
		defs[id] = m
	}
	ph, sp := models.ProjectHealth, models.Supplier
	res := func(model string, score float64, grade string, rng []string, status string) models.Result {
		r := models.Result{Model: model, Score: models.Num(score), Grade: grade, GradeRange: rng, Status: status, Coverage: 0.6}
		if rng != nil {
			r.GradeEstimate = rng[1]
			r.Missing = []models.MissingIndicator{{ID: "ACT-1", Swing: 12, Sources: []string{"github"}}}
		}
		return r
	}
	subj := func(k models.SubjectKind, id string, r models.Result) reports.SubjectReport {
		return reports.SubjectReport{Kind: k, ID: id, Name: id, Results: []models.Result{r}}
	}
	b1 := res(ph, 70, "B", nil, models.StatusOK)
	b1.Gates = []models.GateHit{{ID: "G-ARCHIVED", Waived: "EX-1"}}
	d1 := res(ph, 30, "D", nil, models.StatusOK)
	d1.Gates = []models.GateHit{{ID: "G-KEV", Reason: "known exploited", Cap: "D"}}
	s1 := res(sp, 70, "preferred", nil, models.StatusOK)
	s1.Gates = []models.GateHit{{ID: "S-GATE", Reason: "r"}}
	return &reports.Report{Period: "2026Q4", Lang: lang, GeneratedAt: time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC), Defs: defs,
		Models: []reports.ModelRef{{ID: ph, Version: defs[ph].Version}, {ID: sp, Version: defs[sp].Version}},
		Subjects: []reports.SubjectReport{
			subj(models.KindProject, "a1", res(ph, 85, "A", nil, models.StatusOK)),
			subj(models.KindProject, "b1", b1),
			subj(models.KindProject, "d1", d1),
			subj(models.KindProject, "u1", res(ph, 98, "", []string{"D", "B"}, models.StatusInconclusive)),
			subj(models.KindProject, "u2", res(ph, 60, "", []string{"D", "B"}, models.StatusOK)),
			subj(models.KindProject, "u3", res(ph, 66, "", []string{"C", "A"}, models.StatusOK)),
			subj(models.KindProject, "n1", models.Result{Model: ph, Status: models.StatusInconclusive}),
			subj(models.KindSupplier, "s1", s1),
			subj(models.KindSupplier, "s2", res(sp, 55, "", []string{"conditional", "preferred"}, models.StatusInconclusive)),
		}}
}

// Every key figure is the same in the four outputs: the JSON's "figures",
// the workbook's Summary (counts and grade distribution), the dashboard's
// overview cards and grade chart, and the terminal summary.
func TestFiguresReconcile(t *testing.T) {
	const projects, suppliers, graded, undecided, gates = 7, 2, 3, 4, 2
	grades := map[string]int{"A": 1, "B": 1, "C": 0, "D": 1}
	for _, lang := range []string{"en", "zh"} {
		t.Run(lang, func(t *testing.T) {
			r := reconcileReport(t, lang)
			L := func(k string) string { return labels.T(lang, k) }

			// JSON.
			var jb bytes.Buffer
			if err := jsonreport.Write(&jb, r); err != nil {
				t.Fatal(err)
			}
			var doc struct {
				F struct {
					Projects   int `json:"projects"`
					Suppliers  int `json:"suppliers"`
					GatesFired int `json:"gates_fired"`
					PG         struct {
						Graded, Undecided int
						Grades            []struct {
							Grade string
							N     int
						}
					} `json:"project_grades"`
				} `json:"figures"`
			}
			if err := json.Unmarshal(jb.Bytes(), &doc); err != nil {
				t.Fatal(err)
			}
			jg := map[string]int{}
			for _, g := range doc.F.PG.Grades {
				jg[g.Grade] = g.N
			}
			if got := []int{doc.F.Projects, doc.F.Suppliers, doc.F.PG.Graded, doc.F.PG.Undecided, doc.F.GatesFired}; !slices.Equal(got, []int{projects, suppliers, graded, undecided, gates}) {
				t.Errorf("JSON figures (projects, suppliers, graded, undecided, gates) = %v", got)
			}
			if fmt.Sprint(jg) != fmt.Sprint(grades) {
				t.Errorf("JSON grades = %v, want %v", jg, grades)
			}

			// Workbook: the Summary's key figures and grade distribution.
			path := filepath.Join(t.TempDir(), "r.xlsx")
			if err := excel.Write(path, r); err != nil {
				t.Fatal(err)
			}
			f, err := excelize.OpenFile(path)
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			rows, err := f.GetRows(L("xlsx.sheet.summary"))
			if err != nil {
				t.Fatal(err)
			}
			first := func(key string, col int) string { // the first row starting with key
				for _, row := range rows {
					if len(row) > col && row[0] == key {
						return row[col]
					}
				}
				t.Errorf("workbook Summary has no row %q", key)
				return ""
			}
			for key, want := range map[string]int{L("xlsx.count.projects"): projects, L("xlsx.count.suppliers"): suppliers,
				L("xlsx.count.gates"): gates, L("fig.projects_graded"): graded, L("fig.projects_undecided"): undecided} {
				if got := first(key, 1); got != fmt.Sprint(want) {
					t.Errorf("workbook %q = %q, want %d", key, got, want)
				}
			}
			// the distribution: grade, label, count; then one undecided row
			for g, n := range grades {
				if got := first(g, 2); got != fmt.Sprint(n) {
					t.Errorf("workbook grade %s = %q, want %d", g, got, n)
				}
			}
			if got := first(L("fig.undecided"), 2); got != fmt.Sprint(undecided) {
				t.Errorf("workbook distribution undecided = %q, want %d", got, undecided)
			}

			// Dashboard: the overview cards and the grade chart's bars.
			var hb bytes.Buffer
			if err := html.Write(&hb, r); err != nil {
				t.Fatal(err)
			}
			page := hb.String()
			card := func(key string) string {
				m := regexp.MustCompile(`<div class="card">` + regexp.QuoteMeta(L(key)) + `<b[^>]*>(\d+)</b>`).FindStringSubmatch(page)
				if m == nil {
					t.Errorf("dashboard has no card %q", L(key))
					return ""
				}
				return m[1]
			}
			for key, want := range map[string]int{"html.count_projects": projects, "html.count_suppliers": suppliers, "html.count_gates": gates,
				"fig.projects_graded": graded, "fig.projects_undecided": undecided} {
				if got := card(key); got != fmt.Sprint(want) {
					t.Errorf("dashboard card %q = %q, want %d", L(key), got, want)
				}
			}
			bar := func(name string, n int) {
				b, _ := json.Marshal(name)
				if !strings.Contains(page, fmt.Sprintf(`{"name":%s,"value":%d`, b, n)) {
					t.Errorf("dashboard grade chart lacks %s with %d", b, n)
				}
			}
			for g, n := range grades {
				bar(r.Defs[models.ProjectHealth].GradeLabel(g, lang), n)
			}
			bar(L("fig.undecided"), undecided)

			// Terminal.
			var tb bytes.Buffer
			printSummary(&tb, r, 0)
			term := tb.String()
			want := map[string][]string{
				"en": {"projects: 7, suppliers: 2", "Gates fired: 2", "3 graded, 4 undecided", "Undecided 4:", "Decided grades: A 1 · B 1 · C 0 · D 1"},
				"zh": {"开源项目 7 个，供应商 2 家", "触发否决项 2 项", "已定级 3 个，未定级 4 个", "未定级 4 个：", "已定等级：A 1 · B 1 · C 0 · D 1"},
			}[lang]
			for _, w := range want {
				if !strings.Contains(term, w) {
					t.Errorf("terminal summary lacks %q:\n%s", w, term)
				}
			}
		})
	}
}
