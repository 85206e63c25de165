package jsonreport

import (
	"bytes"
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/osgauge/osgauge/models"
	"github.com/osgauge/osgauge/reports"
)

func TestWriteMatchesPlainEncoding(t *testing.T) {
	for _, subjects := range [][]reports.SubjectReport{nil, {
		{Kind: models.KindProject, ID: "p", Name: "<b>p</b>", Results: []models.Result{{Model: "project-health", Score: models.Num(71.2), Grade: "B", Status: "ok"}},
			History: []reports.HistoryPoint{{Period: "2026Q4", Model: "project-health", Comparable: true}}},
		{Kind: models.KindSupplier, ID: "s", Name: "s"},
	}} {
		r := &reports.Report{Period: "2026Q4", GeneratedAt: time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC), Lang: "en",
			Models: []reports.ModelRef{{ID: "project-health", Version: "1.0.0", Hash: "sha256:x"}}, Subjects: subjects, PreviousPeriod: "2026Q3",
			Delta: &reports.PortfolioDelta{PreviousPeriod: "2026Q3", Added: []reports.SubjectRef{{Kind: models.KindProject, ID: "p", Name: "p"}}}}
		var buf bytes.Buffer
		if err := Write(&buf, r); err != nil {
			t.Fatal(err)
		}
		var got, want map[string]any
		if err := json.Unmarshal(buf.Bytes(), &got); err != nil {
			t.Fatalf("invalid JSON: %v\n%s", err, buf.String())
		}
		plain, _ := json.Marshal(r)
		json.Unmarshal(plain, &want)
		if want["subjects"] == nil {
			want["subjects"] = []any{}
		}
		checkFigures(t, got, r)
		if !reflect.DeepEqual(got, want) {
			t.Errorf("streamed JSON differs:\n%s\nwant %s", buf.String(), plain)
		}
	}
}

// The report has one "subjects" member (the header does not repeat it as
// null); above CompactAbove subjects it is written without indentation,
// with the same members.
func TestWriteCompactAndOneSubjects(t *testing.T) {
	for _, n := range []int{0, 2, CompactAbove, CompactAbove + 1} {
		r := &reports.Report{Period: "2026Q4", GeneratedAt: time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC), Lang: "en", PreviousPeriod: "2026Q3"}
		for i := range n {
			r.Subjects = append(r.Subjects, reports.SubjectReport{Kind: models.KindProject, ID: fmt.Sprint("p", i), Name: "<p>",
				Results: []models.Result{{Model: "project-health", Score: models.Num(float64(i)), Grade: "B", Status: "ok",
					Gates: []models.GateHit{{ID: "G", Reason: "r"}}}}})
		}
		var buf bytes.Buffer
		if err := Write(&buf, r); err != nil {
			t.Fatal(err)
		}
		out := buf.String()
		if c := strings.Count(out, `"subjects"`); c != 1 {
			t.Errorf("%d subjects: \"subjects\" %d times", n, c)
		}
		if indented := strings.Contains(out, "\n  \""); indented != (n <= CompactAbove) {
			t.Errorf("%d subjects: indented = %v", n, indented)
		}
		if !strings.HasSuffix(out, "}\n") {
			t.Errorf("%d subjects: output does not end with }\\n", n)
		}
		var got, want map[string]any
		if err := json.Unmarshal(buf.Bytes(), &got); err != nil {
			t.Fatalf("%d subjects: invalid JSON: %v", n, err)
		}
		plain, _ := json.Marshal(r)
		json.Unmarshal(plain, &want)
		if want["subjects"] == nil {
			want["subjects"] = []any{}
		}
		checkFigures(t, got, r)
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%d subjects: JSON differs from the plain encoding", n)
		}
	}
}

// checkFigures checks the added "figures" member against r.Figures() and
// removes it, so that the rest compares with the plain encoding: every
// member of the report is kept, under its name.
func checkFigures(t *testing.T, got map[string]any, r *reports.Report) {
	t.Helper()
	var want any
	b, _ := json.Marshal(r.Figures())
	json.Unmarshal(b, &want)
	if !reflect.DeepEqual(got["figures"], want) {
		t.Errorf("figures = %v, want %v", got["figures"], want)
	}
	delete(got, "figures")
}

// The figures of a small report, worked by hand: two projects (one graded
// B with a gate fired, one between D and B) and a supplier, which is not
// counted as a project.
func TestFiguresMember(t *testing.T) {
	r := &reports.Report{Period: "2026Q4", Subjects: []reports.SubjectReport{
		{Kind: models.KindProject, ID: "a", Results: []models.Result{{Model: "project-health", Grade: "B", Status: "ok", Gates: []models.GateHit{{ID: "G"}}}}},
		{Kind: models.KindProject, ID: "b", Results: []models.Result{{Model: "project-health", GradeRange: []string{"D", "B"}, Status: "inconclusive"}}},
		{Kind: models.KindSupplier, ID: "s"},
	}}
	var buf bytes.Buffer
	if err := Write(&buf, r); err != nil {
		t.Fatal(err)
	}
	var doc struct {
		F map[string]any `json:"figures"`
	}
	if err := json.Unmarshal(buf.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	pg, _ := doc.F["project_grades"].(map[string]any)
	for k, want := range map[string]float64{"projects": 2, "suppliers": 1, "gates_fired": 1} {
		if doc.F[k] != want {
			t.Errorf("figures.%s = %v, want %v", k, doc.F[k], want)
		}
	}
	for k, want := range map[string]float64{"assessed": 2, "graded": 1, "undecided": 1} {
		if pg[k] != want {
			t.Errorf("figures.project_grades.%s = %v, want %v", k, pg[k], want)
		}
	}
}
