package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// check (validate) reports the respondent's date and warns when the
// answers are undated or older than their validity before the check.
func TestQuestionnaireCheckDates(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir) // no osgauge.yaml here: the built-in models
	questionnaireNow = func() time.Time { return time.Date(2026, 11, 29, 9, 0, 0, 0, time.UTC) }
	t.Cleanup(func() { questionnaireNow = time.Now })
	file := func(name, respondent string) string {
		p := filepath.Join(dir, name)
		body := "model: supplier\nsubject: Acme OSS Services\nrespondent: " + respondent + "\nanswers:\n  QUA-1: 3\n"
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	recent := file("recent.yaml", "{name: Wang Fang, date: 2026-10-20}")
	// 18 months before 2026-11-29 09:00 is 2025-05-29 09:00: 2025-05-01 is
	// older and expired on 2025-05-01 + 18 months = 2026-11-01.
	old := file("old.yaml", "{name: Wang Fang, date: 2025-05-01}")
	undated := file("undated.yaml", "{name: Wang Fang}")

	out, err := runCLI(t, "questionnaire", "check", recent, old, undated)
	if err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	for _, want := range []string{
		recent + ": ok: model supplier 0.2.0, 16 questions, 1 answered, 15 not answered; respondent Wang Fang; for Acme OSS Services; answered 2026-10-20\n",
		old + ": ok: model supplier 0.2.0, 16 questions, 1 answered, 15 not answered; respondent Wang Fang; for Acme OSS Services; answered 2025-05-01\n",
		"warning: " + old + ": the answers are dated 2025-05-01, older than 18 months (answer_validity_months of model supplier) before 2026-11-29: they expired on 2026-11-01",
		undated + ": ok: model supplier 0.2.0, 16 questions, 1 answered, 15 not answered; respondent Wang Fang; for Acme OSS Services; not dated\n",
		"warning: " + undated + ": the answers are not dated: give the respondent's date (respondent: {date: YYYY-MM-DD})",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "warning: "+recent) {
		t.Errorf("a recent file was warned about:\n%s", out)
	}

	// A date later than the check is an error naming the file and line.
	future := file("future.yaml", "{name: Wang Fang, date: 2026-12-01}")
	out, err = runCLI(t, "questionnaire", "validate", future)
	if err == nil || !strings.Contains(err.Error(), future+": line 3: respondent.date: the answer date 2026-12-01 is later than the date of collection, 2026-11-29") {
		t.Errorf("err = %v\n%s", err, out)
	}
}
