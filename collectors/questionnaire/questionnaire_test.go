package questionnaire

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/osgauge/osgauge/collectors"
	"github.com/osgauge/osgauge/examples"
	"github.com/osgauge/osgauge/models"
)

func set(t *testing.T) models.Set {
	s, err := models.Load(nil)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func write(t *testing.T, name, body string) string {
	p := filepath.Join(t.TempDir(), name)
	os.WriteFile(p, []byte(body), 0o644)
	return p
}

func TestExamplesAreValid(t *testing.T) {
	dir := t.TempDir()
	if _, err := examples.Write(dir, false); err != nil {
		t.Fatal(err)
	}
	c := New(set(t))
	c.Now = func() time.Time { return time.Date(2026, 11, 24, 0, 0, 0, 0, time.UTC) }
	tgt := collectors.Target{
		Subject:       models.Subject{Kind: models.KindSupplier, ID: "supplier:acme", Name: "Acme OSS Services"},
		Questionnaire: filepath.Join(dir, "suppliers", "acme.yaml"),
	}
	obs, _, err := c.Collect(context.Background(), tgt)
	if err != nil {
		t.Fatal(err)
	}
	byMetric := map[string]models.Observation{}
	for _, o := range obs {
		byMetric[o.Metric] = o
	}
	// acme.yaml answers QUA-1 with level 3 on line 9 of the file.
	q := byMetric["questionnaire.QUA-1"]
	if q.Value == nil || *q.Value != 3 || !strings.HasPrefix(q.Evidence, "acme.yaml line 9 (answered 2026-10-20 by Wang Fang, Solution Director): Audited") ||
		!q.ObservedAt.Equal(time.Date(2026, 10, 20, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("QUA-1 = %+v", q)
	}
	// TEC-1 is fed by upstream evidence, not asked: no observation here.
	if _, ok := byMetric["questionnaire.TEC-1"]; ok {
		t.Error("a question the model does not ask was recorded")
	}
	// Self-assessment parses too.
	if _, err := Parse("self", mustRead(t, filepath.Join(dir, "self-assessment.yaml")), set(t), models.KindInstitution); err != nil {
		t.Error(err)
	}
}

func mustRead(t *testing.T, p string) []byte {
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestUnansweredIsInconclusive(t *testing.T) {
	p := write(t, "s.yaml", "model: supplier\nsubject: S\nrespondent: {name: X, date: 2026-11-01}\nanswers:\n  QUA-1: 2\n")
	obs, err := collect(t, set(t), models.Subject{ID: "s", Name: "S", Kind: models.KindSupplier}, p)
	if err != nil {
		t.Fatal(err)
	}
	for _, o := range obs {
		if o.Metric == "questionnaire.QUA-2" && (o.Value != nil || o.Reason != "not answered in s.yaml") {
			t.Errorf("QUA-2 = %+v", o)
		}
		if o.Metric == "questionnaire.QUA-1" && *o.Value != 2 {
			t.Errorf("QUA-1 = %v", *o.Value)
		}
	}
}

func TestBadAnswersNameTheLineAndRejectTheFile(t *testing.T) {
	cases := []struct{ body, want string }{
		{"model: supplier\nanswers:\n  QUA-1: {level: 5}\n", "bad.yaml: line 3: answers.QUA-1.level: evidence level must be 0-4, got \"5\""},
		{"model: supplier\nanswers:\n  QUA-1: 3\n  NOPE-9: 2\n", "line 4: answers.NOPE-9: no such question in model supplier 0.3.0"},
		{"model: supplier\nanswers:\n  QUA-4: {value: many}\n", "line 3: answers.QUA-4.value must be a number, got \"many\""},
		{"model: supplier\nmodel_version: 9.9.9\nanswers: {}\n", "made for supplier version 9.9.9, but the model in use is version 0.3.0"},
		{"model: governance-maturity\nanswers: {}\n", "model \"governance-maturity\" assesses institutions"},
		{"model: supplier\nanswers:\n  QUA-1: {level: 3, evidense: x}\n", "line 3: answers.QUA-1: unknown key \"evidense\""},
		{"model: supplier\ncolour: red\nanswers: {}\n", "line 2: unknown key \"colour\""},
		{"model: supplier\nanswers:\n  QUA-1: \"=HYPERLINK(1)\"\n", "answers.QUA-1.level must be a number"},
	}
	for _, c := range cases {
		// Dated after the rest, so that the lines above stay put (an
		// undated file is refused: TestUndatedYAMLIsRefusedWhenAnswersExpire).
		_, err := Parse("bad.yaml", []byte(c.body+"respondent: {name: X, date: 2026-11-01}\n"), set(t), models.KindSupplier)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%q:\n got %v\nwant %q", c.body, err, c.want)
		}
	}
	// One bad answer among good ones: the collector returns nothing.
	p := write(t, "mixed.yaml", "model: supplier\nanswers:\n  QUA-1: 3\n  QUA-2: 7\n")
	obs, _, err := New(set(t)).Collect(context.Background(), collectors.Target{Subject: models.Subject{ID: "s", Kind: models.KindSupplier}, Questionnaire: p})
	if err == nil || obs != nil {
		t.Errorf("partially valid file was taken: %v %v", obs, err)
	}
}

func TestSubjectMismatch(t *testing.T) {
	p := write(t, "a.yaml", "model: supplier\nsubject: Other Co\nrespondent: {name: X, date: 2026-11-01}\nanswers: {QUA-1: 1}\n")
	_, _, err := New(set(t)).Collect(context.Background(), collectors.Target{Subject: models.Subject{ID: "s", Name: "Acme", Kind: models.KindSupplier}, Questionnaire: p})
	if err == nil || !strings.Contains(err.Error(), `questionnaire is for "Other Co" but the config names "Acme"`) {
		t.Errorf("err = %v", err)
	}
}

// A form made for an earlier version the model lists in answers_from
// reads (the questions did not change); any other version is refused.
func TestAnswersFromEarlierVersion(t *testing.T) {
	ms := set(t)
	if _, err := Parse("s.yaml", []byte("model: supplier\nmodel_version: 0.2.0\nsubject: Acme\nrespondent: {name: A, date: 2026-11-01}\nanswers: {}\n"), ms, models.KindSupplier); err != nil {
		t.Errorf("0.2.0 form refused under supplier %s: %v", ms["supplier"].Version, err)
	}
	if _, err := Parse("s.yaml", []byte("model: supplier\nmodel_version: 0.1.0\nsubject: Acme\nrespondent: {name: A, date: 2026-11-01}\nanswers: {}\n"), ms, models.KindSupplier); err == nil {
		t.Error("a 0.1.0 form read")
	}
}
