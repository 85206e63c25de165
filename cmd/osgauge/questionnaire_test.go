package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
)

// setQuestionnaireNow fixes the time of checks and imports for a test.
func setQuestionnaireNow(t *testing.T, now time.Time) {
	questionnaireNow = func() time.Time { return now }
	t.Cleanup(func() { questionnaireNow = time.Now })
}

// check (validate) reports the respondent's date, warns when the answers
// have expired by the check (by calendar months, clamped to the end of the
// month) and refuses an undated file: the built-in models expire answers
// after 18 months.
func TestQuestionnaireCheckDates(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir) // no osgauge.yaml here: the built-in models
	setQuestionnaireNow(t, time.Date(2026, 11, 29, 9, 0, 0, 0, time.UTC))
	file := func(name, respondent string) string {
		p := filepath.Join(dir, name)
		body := "model: supplier\nsubject: Acme OSS Services\nrespondent: " + respondent + "\nanswers:\n  QUA-1: 3\n"
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	recent := file("recent.yaml", "{name: Wang Fang, date: 2026-10-20}")
	// 2025-05-01 + 18 months = 2026-11-01, before the check: expired.
	old := file("old.yaml", "{name: Wang Fang, date: 2025-05-01}")
	// 2025-05-30 + 18 months = 2026-11-30, after it: not expired.
	edge := file("edge.yaml", "{name: Wang Fang, date: 2025-05-30}")

	out, err := runCLI(t, "questionnaire", "check", recent, old, edge)
	if err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	for _, want := range []string{
		recent + ": ok: model supplier 0.3.0, 16 questions, 1 answered, 15 not answered; respondent Wang Fang; for Acme OSS Services; answered 2026-10-20\n",
		old + ": ok: model supplier 0.3.0, 16 questions, 1 answered, 15 not answered; respondent Wang Fang; for Acme OSS Services; answered 2025-05-01\n",
		"warning: " + old + ": the answers are dated 2025-05-01, 18 months or more (answer_validity_months of model supplier) before 2026-11-29: they expired on 2026-11-01 and are not evidence any more; ask for new answers\n",
		edge + ": ok: model supplier 0.3.0, 16 questions, 1 answered, 15 not answered; respondent Wang Fang; for Acme OSS Services; answered 2025-05-30\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	for _, f := range []string{recent, edge} {
		if strings.Contains(out, "warning: "+f) {
			t.Errorf("%s was warned about:\n%s", f, out)
		}
	}

	// Undated: refused, naming the file and line, what to write and why.
	undated := file("undated.yaml", "{name: Wang Fang}")
	out, err = runCLI(t, "questionnaire", "check", recent, undated)
	const want = ": line 3: respondent.date is required: add the date the answers were given, as YYYY-MM-DD (respondent: {name: …, date: 2026-11-20}): " +
		"answers expire 18 months after the respondent's date (answer_validity_months of model supplier), so undated answers cannot be used"
	if err == nil || !strings.Contains(err.Error(), undated+want) || !strings.Contains(out, recent+": ok:") || strings.Contains(out, undated+": ok") {
		t.Errorf("undated: err = %v\n%s", err, out)
	}

	// A date later than the check is an error naming the file and line.
	future := file("future.yaml", "{name: Wang Fang, date: 2026-12-01}")
	out, err = runCLI(t, "questionnaire", "validate", future)
	if err == nil || !strings.Contains(err.Error(), future+": line 3: respondent.date: the answer date 2026-12-01 is later than the date of collection, 2026-11-29") {
		t.Errorf("err = %v\n%s", err, out)
	}
}

// The end of a month: answers dated 2024-08-31 expire 18 months later on
// 2026-02-28 (February has no 31st; Go's AddDate would say 2026-03-03), as
// the assessment expires them.
func TestQuestionnaireCheckExpiryAtTheEndOfAMonth(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	p := filepath.Join(dir, "aug31.yaml")
	if err := os.WriteFile(p, []byte("model: supplier\nrespondent: {name: Wang Fang, date: 2024-08-31}\nanswers:\n  QUA-1: 3\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	setQuestionnaireNow(t, time.Date(2026, 2, 27, 23, 0, 0, 0, time.UTC))
	out, err := runCLI(t, "questionnaire", "check", p)
	if err != nil || strings.Contains(out, "warning") {
		t.Errorf("on 2026-02-27: err %v\n%s", err, out)
	}
	setQuestionnaireNow(t, time.Date(2026, 2, 28, 0, 0, 0, 0, time.UTC))
	out, err = runCLI(t, "questionnaire", "check", p)
	if err != nil || !strings.Contains(out, "warning: "+p+": the answers are dated 2024-08-31, 18 months or more (answer_validity_months of model supplier) before 2026-02-28: they expired on 2026-02-28 and are not evidence any more") {
		t.Errorf("on 2026-02-28: err %v\n%s", err, out)
	}
}

// init, then a form from the template, filled in as in Excel: without the
// respondent's date it is refused at D6 (check and import alike), with it
// it is checked and imported.
func TestQuestionnaireTemplateFillCheckImport(t *testing.T) {
	dir := t.TempDir()
	if _, err := runCLI(t, "init", "--dir", dir); err != nil {
		t.Fatal(err)
	}
	t.Chdir(dir)
	setQuestionnaireNow(t, time.Date(2026, 11, 29, 9, 0, 0, 0, time.UTC))
	out, err := runCLI(t, "questionnaire", "template", "--model", "supplier", "--lang", "en", "--subject", "Acme OSS Services", "-o", "acme.xlsx")
	if err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	fill := func(date string) {
		t.Helper()
		f, err := excelize.OpenFile("acme.xlsx")
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		const sh = "Supplier evaluation"
		if a6, _ := f.GetCellValue(sh, "A6"); a6 != "Date (required)" {
			t.Errorf("A6 = %q", a6)
		}
		for ref, v := range map[string]string{"D4": "Wang Fang", "D5": "Solution Director", "D6": date, "G9": "3", "H9": "audited reports"} {
			if err := f.SetCellStr(sh, ref, v); err != nil {
				t.Fatal(err)
			}
		}
		if err := f.Save(); err != nil {
			t.Fatal(err)
		}
	}
	fill("")
	const d6 = "acme.xlsx: sheet Supplier evaluation, cell D6: the respondent's date is required: type the date the answers were given, as YYYY-MM-DD (e.g. 2026-11-20): " +
		"answers expire 18 months after the respondent's date (answer_validity_months of model supplier), so undated answers cannot be used"
	out, err = runCLI(t, "questionnaire", "check", "acme.xlsx")
	if err == nil || !strings.Contains(out, d6) {
		t.Errorf("undated form checked: %v\n%s", err, out)
	}
	out, err = runCLI(t, "questionnaire", "import", "acme.xlsx", "--subject", "Acme OSS Services")
	if err == nil || !strings.Contains(out, d6) || !strings.Contains(err.Error(), "nothing was stored") {
		t.Errorf("undated form imported: %v\n%s", err, out)
	}
	if _, err := os.Stat(filepath.Join(dir, "osgauge.db")); err == nil {
		t.Error("the store was opened for a refused form")
	}

	fill("2026-11-20")
	out, err = runCLI(t, "questionnaire", "check", "acme.xlsx")
	if err != nil || !strings.Contains(out, "acme.xlsx: ok: model supplier 0.3.0, 16 questions, 1 answered, 15 not answered; respondent Wang Fang, Solution Director; for Acme OSS Services; answered 2026-11-20\n") {
		t.Errorf("check: %v\n%s", err, out)
	}
	out, err = runCLI(t, "questionnaire", "import", "acme.xlsx", "--subject", "Acme OSS Services")
	if err != nil || !strings.Contains(out, "imported acme.xlsx for Acme OSS Services") {
		t.Errorf("import: %v\n%s", err, out)
	}
}
