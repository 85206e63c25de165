package html

import (
	"bytes"
	"html/template"
	"io"
	"strings"
	"testing"

	"github.com/osgauge/osgauge/reports"
	"github.com/osgauge/osgauge/reports/labels"
)

// whole renders the dashboard the way it was before the project data was
// streamed: the data built whole and printed by the template.
func whole(t *testing.T, r *reports.Report) string {
	t.Helper()
	v, err := build(r)
	if err != nil {
		t.Fatal(err)
	}
	tp, err := tpl.Clone()
	if err != nil {
		t.Fatal(err)
	}
	tp.Funcs(template.FuncMap{"t": func(key string) string { return labels.T(v.Lang, key) }})
	if v.projectData != nil {
		var b bytes.Buffer
		if err := v.projectData(&b); err != nil {
			t.Fatal(err)
		}
		v.ProjectData, v.projectData = template.JS(b.String()), nil
	}
	var out bytes.Buffer
	if err := tp.Execute(&out, v); err != nil {
		t.Fatal(err)
	}
	return out.String()
}

// The streamed dashboard is byte for byte the one with the data built
// whole.
func TestProjectDataStreamed(t *testing.T) {
	for _, lang := range []string{"en", "zh"} {
		large := largeReport(t, 120, 12)
		large.Lang = lang
		for name, rep := range map[string]*reports.Report{"sample": sampleReport(t, lang), "large": large} {
			want := whole(t, rep)
			if !strings.Contains(want, `var D = {"dims":`) || strings.Contains(want, "__osgauge_project_data_") {
				t.Fatalf("%s/%s: no project data in the dashboard", lang, name)
			}
			var got bytes.Buffer
			if err := Write(&got, rep); err != nil {
				t.Fatal(err)
			}
			if got.String() != want {
				t.Errorf("%s/%s: streamed dashboard differs (%d bytes, want %d)", lang, name, got.Len(), len(want))
			}
		}
	}
}

// The splicer finds its mark however the output is cut into writes, and
// replaces only the first one.
func TestSplicer(t *testing.T) {
	in := "abc<MA<MARK>def<MARK>gh<"
	want := "abc<MA[data]def<MARK>gh<"
	for size := 1; size <= len(in); size++ {
		var out bytes.Buffer
		sp := &splicer{w: &out, mark: []byte("<MARK>"), fill: func(w io.Writer) error {
			_, err := io.WriteString(w, "[data]")
			return err
		}}
		for i := 0; i < len(in); i += size {
			if n, err := sp.Write([]byte(in[i:min(i+size, len(in))])); err != nil || n != min(size, len(in)-i) {
				t.Fatalf("size %d: write = %d, %v", size, n, err)
			}
		}
		if err := sp.close(); err != nil {
			t.Fatal(err)
		}
		if out.String() != want {
			t.Errorf("size %d: %q, want %q", size, out.String(), want)
		}
	}
	sp := &splicer{w: io.Discard, mark: []byte("<MARK>"), fill: func(io.Writer) error { return nil }}
	sp.Write([]byte("no mark"))
	if sp.close() == nil {
		t.Error("a missing mark is not an error")
	}
}
