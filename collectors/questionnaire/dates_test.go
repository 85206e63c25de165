package questionnaire

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/osgauge/osgauge/assess"
	"github.com/osgauge/osgauge/collectors"
	"github.com/osgauge/osgauge/models"
	"github.com/osgauge/osgauge/store"
)

// collectAt runs the collector at when, with its warnings kept.
func collectAt(t *testing.T, s models.Set, subj models.Subject, path string, when time.Time) ([]models.Observation, []string, error) {
	t.Helper()
	var warnings []string
	c := New(s)
	c.Now = func() time.Time { return when }
	c.Warn = func(msg string) { warnings = append(warnings, msg) }
	obs, _, err := c.Collect(context.Background(), collectors.Target{Subject: subj, Questionnaire: path})
	return obs, warnings, err
}

func day(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

// Every observation of a YAML questionnaire carries the respondent's date,
// answered or not, and the evidence says when and by whom.
func TestYAMLAnswersCarryTheRespondentDate(t *testing.T) {
	s := set(t)
	p := write(t, "acme.yaml", "model: supplier\nsubject: Acme OSS Services\n"+
		"respondent: {name: Wang Fang, role: Solution Director, date: 2025-09-15}\n"+
		"answers:\n  QUA-1: {level: 3, evidence: audited reports}\n")
	obs, warnings, err := collectAt(t, s, acme, p, now)
	if err != nil {
		t.Fatal(err)
	}
	if len(warnings) != 0 {
		t.Errorf("warnings for a dated file: %v", warnings)
	}
	if len(obs) != 16 { // the supplier model asks 16 questions
		t.Fatalf("%d observations, want 16", len(obs))
	}
	for _, o := range obs {
		if !o.ObservedAt.Equal(day(2025, 9, 15)) {
			t.Errorf("%s observed at %v, want the respondent's date 2025-09-15", o.Metric, o.ObservedAt)
		}
	}
	fs := facts(obs)
	if o := fs["questionnaire.QUA-1"]; o.Evidence != "acme.yaml line 5 (answered 2025-09-15 by Wang Fang, Solution Director): audited reports" {
		t.Errorf("QUA-1 evidence = %q", o.Evidence)
	}

	// Other spellings of a date, year first.
	for text, want := range map[string]time.Time{
		"2025/9/5": day(2025, 9, 5), `"2025.09.05"`: day(2025, 9, 5), "2025年9月5日": day(2025, 9, 5),
		"2025-09-05T10:30:00+08:00": time.Date(2025, 9, 5, 2, 30, 0, 0, time.UTC),
	} {
		a, err := Parse("d.yaml", []byte("model: supplier\nrespondent: {name: X, date: "+text+"}\nanswers: {QUA-1: 1}\n"), s, models.KindSupplier)
		if err != nil || !a.Date.Equal(want) {
			t.Errorf("%s: date %v, err %v; want %v", text, a.Date, err, want)
		}
	}
}

// noValidity is set with the supplier model changed to set no
// answer_validity_months (a custom model that never expires answers).
func noValidity(t *testing.T) models.Set {
	t.Helper()
	src, err := models.BuiltinSource("supplier")
	if err != nil {
		t.Fatal(err)
	}
	y := strings.Replace(string(src), "\nanswer_validity_months: 18\n", "\nanswer_validity_months: 0\n", 1)
	if y == string(src) {
		t.Fatal("the built-in supplier model no longer sets answer_validity_months: 18")
	}
	m, err := models.Parse("my-supplier.yaml", []byte(y))
	if err != nil {
		t.Fatal(err)
	}
	if m.AnswerValidityMonths != 0 {
		t.Fatalf("validity %d", m.AnswerValidityMonths)
	}
	s := set(t)
	s["supplier"] = m
	return s
}

// The built-in supplier model expires answers after 18 months, so an
// undated file is refused: taken as of every collection, its answers would
// never expire. The error names the file and line and says what to write
// and why; nothing is collected.
func TestUndatedYAMLIsRefusedWhenAnswersExpire(t *testing.T) {
	s := set(t)
	const why = "answers expire 18 months after the respondent's date (answer_validity_months of model supplier), so undated answers cannot be used"
	for _, c := range []struct{ name, body, want string }{
		{"no date", "model: supplier\nrespondent: {name: Li Lei}\nanswers:\n  QUA-1: 2\n",
			"beta.yaml: line 2: respondent.date is required: add the date the answers were given, as YYYY-MM-DD (respondent: {name: …, date: 2026-11-20}): " + why},
		{"blank date", "model: supplier\nrespondent:\n  name: Li Lei\n  date: \"\"\nanswers:\n  QUA-1: 2\n",
			"beta.yaml: line 4: respondent.date is required: add the date"},
		{"no respondent", "model: supplier\nanswers:\n  QUA-1: 2\n",
			"beta.yaml: line 1: respondent is required: add respondent: {name: NAME, date: YYYY-MM-DD} with the date the answers were given (e.g. 2026-11-20): " + why},
		// Reported with the other problems, first (the respondent comes
		// before the answers).
		{"with a bad answer", "model: supplier\nrespondent: {name: Li Lei}\nanswers:\n  QUA-1: 7\n",
			"beta.yaml: line 2: respondent.date is required: add the date the answers were given, as YYYY-MM-DD (respondent: {name: …, date: 2026-11-20}): " + why +
				"\n  line 4: answers.QUA-1.level: evidence level must be 0-4, got \"7\""},
	} {
		p := write(t, "beta.yaml", c.body)
		obs, warnings, err := collectAt(t, s, acme, p, now)
		if err == nil || obs != nil || !strings.HasPrefix(err.Error(), p+": ") || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: obs %d, err %v\nwant %q", c.name, len(obs), err, c.want)
		}
		if len(warnings) != 0 {
			t.Errorf("%s: warnings %q", c.name, warnings)
		}
	}
	// Nothing answered: nothing to date, nothing expires.
	p := write(t, "empty.yaml", "model: supplier\nanswers: {}\n")
	obs, _, err := collectAt(t, s, acme, p, now)
	if err != nil || len(obs) != 16 {
		t.Errorf("empty file: %d observations, err %v", len(obs), err)
	}
}

// A model without answer_validity_months never expires answers: an undated
// file is still taken as of the collection, each observation says so, and
// a warning names the file.
func TestUndatedYAMLIsTakenAsOfTheCollectionWithoutValidity(t *testing.T) {
	s := noValidity(t)
	p := write(t, "beta.yaml", "model: supplier\nrespondent: {name: Li Lei}\nanswers:\n  QUA-1: 2\n")
	obs, warnings, err := collectAt(t, s, acme, p, now)
	if err != nil {
		t.Fatal(err)
	}
	if len(warnings) != 1 || warnings[0] != p+": the answers are not dated (no respondent date): taken as of 2026-11-24, the collection date; add the date they were given" {
		t.Errorf("warnings = %q", warnings)
	}
	fs := facts(obs)
	if o := fs["questionnaire.QUA-1"]; !o.ObservedAt.Equal(now) ||
		o.Evidence != "beta.yaml line 4 (answered by Li Lei; answer not dated: taken as of 2026-11-24)" {
		t.Errorf("QUA-1 = %+v", o)
	}
	if o := fs["questionnaire.QUA-2"]; !o.ObservedAt.Equal(now) || o.Value != nil {
		t.Errorf("QUA-2 = %+v", o)
	}
}

// A date later than the collection, or not a date, rejects the file with
// its line; a date of today where the day has begun ahead of the
// collector's clock is taken as of the collection.
func TestBadRespondentDatesAreErrors(t *testing.T) {
	s := set(t)
	cases := []struct{ date, want string }{
		// now is 2026-11-24 10:00 UTC.
		{"2026-11-25", "bad.yaml: line 2: respondent.date: the answer date 2026-11-25 is later than the date of collection, 2026-11-24"},
		{"2027-01-10", "line 2: respondent.date: the answer date 2027-01-10 is later than the date of collection, 2026-11-24"},
		{"20/11/2026", `bad.yaml: line 2: respondent.date: "20/11/2026" is not a date: write it as YYYY-MM-DD`},
		{"2026-02-30", `line 2: respondent.date: "2026-02-30" is not a calendar date`},
		{"last week", `line 2: respondent.date: "last week" is not a date`},
	}
	for _, c := range cases {
		p := write(t, "bad.yaml", "model: supplier\nrespondent: {name: X, date: "+c.date+"}\nanswers: {QUA-1: 1}\n")
		obs, _, err := collectAt(t, s, acme, p, now)
		if err == nil || obs != nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: obs %d, err %v\nwant %q", c.date, len(obs), err, c.want)
		}
	}
	// 01:00 on 25 November in Beijing is 17:00 on the 24th UTC: an answer
	// dated the 25th is today's there, not the future; it is stored as of
	// the collection (midnight UTC of the 25th would be after it, and the
	// store would not find it until then).
	beijing := time.FixedZone("CST", 8*3600)
	at := time.Date(2026, 11, 25, 1, 0, 0, 0, beijing)
	p := write(t, "today.yaml", "model: supplier\nrespondent: {name: X, date: 2026-11-25}\nanswers: {QUA-1: 1}\n")
	obs, _, err := collectAt(t, s, acme, p, at)
	if err != nil {
		t.Fatal(err)
	}
	if o := facts(obs)["questionnaire.QUA-1"]; !o.ObservedAt.Equal(at) || !strings.Contains(o.Evidence, "answered 2026-11-25 by X") {
		t.Errorf("QUA-1 = %+v", o)
	}
}

// The workbook's date cell (D6): typed text, or a date Excel recognised;
// a bad or future date is a problem at its cell; blank, the workbook is
// refused (its last save does not stand for the date), unless the model
// sets no answer_validity_months: then the collection time, with a warning.
func TestWorkbookRespondentDate(t *testing.T) {
	s := set(t)
	const sh = "sheet 供应商评估"
	answers := map[string]any{"QUA-1": 3}

	p := template(t, s, "supplier", "zh", "")
	fill(t, p, respondent{"王芳", "解决方案总监", "2025-12-01"}, answers, nil, nil, nil)
	obs, warnings, err := collectAt(t, s, acme, p, now)
	if err != nil || len(warnings) != 0 {
		t.Fatalf("err %v, warnings %v", err, warnings)
	}
	for _, o := range obs {
		if !o.ObservedAt.Equal(day(2025, 12, 1)) {
			t.Errorf("%s observed at %v, want 2025-12-01", o.Metric, o.ObservedAt)
		}
	}
	if o := facts(obs)["questionnaire.QUA-1"]; o.Evidence != filepath.Base(p)+", sheet 供应商评估, cell G9 (answered 2025-12-01 by 王芳, 解决方案总监)" {
		t.Errorf("QUA-1 evidence = %q", o.Evidence)
	}

	// A date Excel recognised is stored as a serial number.
	p = template(t, s, "supplier", "zh", "")
	fill(t, p, respondent{"王芳", "", ""}, answers, nil, nil, func(f *excelize.File, sheet string) {
		if err := f.SetCellValue(sheet, "D6", time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC)); err != nil {
			t.Fatal(err)
		}
	})
	a, err := ParseWorkbook(p, s, models.KindSupplier)
	if err != nil || !a.Date.Equal(day(2026, 3, 2)) {
		t.Errorf("serial date: %v %v", a, err)
	}

	for _, c := range []struct{ date, want string }{
		{"2026-12-24", sh + ", cell D6: the answer date 2026-12-24 is later than the date of collection, 2026-11-24"},
		{"24.11.2026", sh + `, cell D6: the respondent's date: "24.11.2026" is not a date: write it as YYYY-MM-DD`},
		{"soon", sh + `, cell D6: the respondent's date: "soon" is not a date`},
	} {
		p := template(t, s, "supplier", "zh", "")
		fill(t, p, respondent{"王芳", "", c.date}, answers, nil, nil, nil)
		obs, _, err := collectAt(t, s, acme, p, now)
		var we *WorkbookError
		if err == nil || obs != nil || !strings.Contains(err.Error(), c.want) || !strings.HasPrefix(err.Error(), p+": ") || !errors.As(err, &we) {
			t.Errorf("%s: obs %d, err %v\nwant %q", c.date, len(obs), err, c.want)
		}
	}

	// No date, though saved by a spreadsheet program after it was made:
	// refused at D6 (saving the form again would otherwise renew the
	// answers), saying what to type and why.
	saved := func(f *excelize.File, _ string) {
		if err := f.SetDocProps(&excelize.DocProperties{Created: "2026-06-01T08:00:00Z", Modified: "2026-06-03T09:30:00Z"}); err != nil {
			t.Fatal(err)
		}
	}
	p = template(t, s, "supplier", "en", "")
	fill(t, p, respondent{"Li Lei", "", ""}, answers, nil, nil, saved)
	obs, warnings, err = collectAt(t, s, acme, p, now)
	const wantD6 = ": sheet Supplier evaluation, cell D6: the respondent's date is required: type the date the answers were given, as YYYY-MM-DD (e.g. 2026-11-20): " +
		"answers expire 18 months after the respondent's date (answer_validity_months of model supplier), so undated answers cannot be used"
	var we *WorkbookError
	if err == nil || obs != nil || err.Error() != p+wantD6 || !errors.As(err, &we) || len(warnings) != 0 {
		t.Errorf("saved, undated: obs %d, warnings %q, err %v\nwant %s", len(obs), warnings, err, p+wantD6)
	}
	// The same without a save, and for the self-assessment (GMI 0.3.0,
	// 18 months too); with other problems, all at once.
	p = template(t, s, "governance-maturity", "zh", "")
	fill(t, p, respondent{"", "", ""}, map[string]any{"G1-1": 3}, nil, nil, nil)
	_, err = ParseWorkbook(p, s, models.KindInstitution)
	if err == nil || !strings.Contains(err.Error(), "sheet 治理成熟度自评, cell D4: the respondent's name is required") ||
		!strings.Contains(err.Error(), "sheet 治理成熟度自评, cell D6: the respondent's date is required: type the date the answers were given, as YYYY-MM-DD (e.g. 2026-11-20): "+
			"answers expire 18 months after the respondent's date (answer_validity_months of model governance-maturity)") {
		t.Errorf("GMI, undated: %v", err)
	}
	// A formula in D6 is one problem, not two.
	p = template(t, s, "supplier", "en", "")
	fill(t, p, respondent{"Li Lei", "", ""}, answers, nil, nil, func(f *excelize.File, sheet string) { f.SetCellFormula(sheet, "D6", "TODAY()") })
	_, err = ParseWorkbook(p, s, models.KindSupplier)
	if !errors.As(err, &we) || len(we.Problems) != 1 || we.Problems[0].Msg != "contains a formula (=TODAY()); type the value, not a formula" {
		t.Errorf("formula date: %v", err)
	}
	// A blank form needs no date.
	p = template(t, s, "supplier", "en", "")
	fill(t, p, respondent{"", "", ""}, nil, nil, nil, nil)
	if _, err := ParseWorkbook(p, s, models.KindSupplier); err != nil {
		t.Errorf("blank form: %v", err)
	}

	// A model without answer_validity_months: a blank date is taken as of
	// the collection, with a warning naming the workbook; the last save
	// does not stand in for it either.
	s0 := noValidity(t)
	for _, edit := range []func(*excelize.File, string){nil, saved} {
		p = template(t, s0, "supplier", "en", "")
		fill(t, p, respondent{"Li Lei", "", ""}, answers, nil, nil, edit)
		obs, warnings, err = collectAt(t, s0, acme, p, now)
		if err != nil {
			t.Fatal(err)
		}
		if len(warnings) != 1 || !strings.HasPrefix(warnings[0], p+": the answers are not dated") {
			t.Errorf("warnings = %q", warnings)
		}
		if o := facts(obs)["questionnaire.QUA-1"]; !o.ObservedAt.Equal(now) || !strings.HasSuffix(o.Evidence, "(answered by Li Lei; answer not dated: taken as of 2026-11-24)") {
			t.Errorf("QUA-1 = %+v", o)
		}
	}
}

// An unanswered question records no value, so a gate on it is not
// evaluated (neither passed nor fired), in the YAML form and the workbook
// alike; answered 0, the gate fires.
func TestUnansweredGateIsNotEvaluated(t *testing.T) {
	s := set(t)
	m := s["supplier"]
	gate := func(t *testing.T, obs []models.Observation, id string) models.GateState {
		t.Helper()
		r := assess.Score(m, acme, facts(obs), assess.Env{Now: now})
		for _, g := range r.GateStates {
			if g.ID == id {
				return g
			}
		}
		t.Fatalf("gate %s not in the result", id)
		return models.GateState{}
	}
	// SCC-1 is left out; SCC-4 is answered 0 (G-NO-COMPLIANCE-ARTEFACTS: SCC-4 eq 0).
	y := write(t, "s.yaml", "model: supplier\nrespondent: {name: X, date: 2026-11-01}\nanswers:\n  QUA-1: 3\n  SCC-4: 0\n")
	w := template(t, s, "supplier", "en", "")
	fill(t, w, respondent{"X", "", "2026-11-01"}, map[string]any{"QUA-1": 3, "SCC-4": 0}, nil, nil, nil)
	for name, p := range map[string]string{"yaml": y, "workbook": w} {
		t.Run(name, func(t *testing.T) {
			obs, _, err := collectAt(t, s, acme, p, now)
			if err != nil {
				t.Fatal(err)
			}
			o, ok := facts(obs)["questionnaire.SCC-1"]
			if !ok || o.Value != nil || o.HasData() || o.Reason != "not answered in "+filepath.Base(p) {
				t.Errorf("SCC-1 = %+v", o)
			}
			if g := gate(t, obs, "G-NO-VULN-PROCESS"); g.State != models.GateNotEvaluated {
				t.Errorf("G-NO-VULN-PROCESS %s (%s), want not evaluated", g.State, g.Reason)
			}
			if g := gate(t, obs, "G-NO-COMPLIANCE-ARTEFACTS"); g.State != models.GateFired {
				t.Errorf("G-NO-COMPLIANCE-ARTEFACTS %s (%s), want fired: SCC-4 answered 0", g.State, g.Reason)
			}
		})
	}
}

// Answers dated before the assessed period are still found: the store
// takes the latest stored observation with observed_at ≤ the period's end
// (or now), and an answer's observed_at is its date. A period that ended
// before the answers were given does not see them.
func TestAnswersDatedBeforeThePeriodAreFound(t *testing.T) {
	s := set(t)
	ctx := context.Background()
	st, err := store.Open(ctx, filepath.Join(t.TempDir(), "osgauge.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	// Dated 2026-05-10, in 2026Q2; collected 2026-11-24 and assessed for
	// 2026Q4 (2026-10-01 to 2027-01-01), so the cut-off is now.
	p := write(t, "acme.yaml", "model: supplier\nrespondent: {name: X, date: 2026-05-10}\nanswers:\n  QUA-1: 3\n")
	obs, _, err := collectAt(t, s, acme, p, now)
	if err != nil {
		t.Fatal(err)
	}
	run, err := st.StartRun(ctx, "collect", "")
	if err != nil {
		t.Fatal(err)
	}
	if err := st.AppendObservations(ctx, run, obs); err != nil {
		t.Fatal(err)
	}
	if err := st.FinishRun(ctx, run, store.RunComplete, "", nil); err != nil {
		t.Fatal(err)
	}
	q4, err := assess.ParsePeriod("2026Q4")
	if err != nil {
		t.Fatal(err)
	}
	if !q4.Start.After(day(2026, 5, 10)) {
		t.Fatalf("period %+v", q4)
	}
	f, err := st.LatestFacts(ctx, now)
	if err != nil {
		t.Fatal(err)
	}
	if o := f[acme.ID]["questionnaire.QUA-1"]; o.Value == nil || *o.Value != 3 || !o.ObservedAt.Equal(day(2026, 5, 10)) {
		t.Errorf("QUA-1 = %+v", o)
	}
	// 2026Q1 ended 2026-04-01, before the answers: not there.
	f, err = st.LatestFacts(ctx, day(2026, 4, 1))
	if err != nil {
		t.Fatal(err)
	}
	if o, ok := f[acme.ID]["questionnaire.QUA-1"]; ok {
		t.Errorf("answers dated 2026-05-10 used for 2026Q1: %+v", o)
	}
}

// Expiry by calendar months, as the engine counts them: an answer dated
// D expires on D + n months, the day clamped to the end of the month
// (2024-08-31 + 18 months is 2026-02-28, not Go's AddDate 2026-03-03), and
// is expired from that instant on.
func TestExpiry(t *testing.T) {
	a18 := &Answers{Model: &models.Model{AnswerValidityMonths: 18}}
	for _, c := range []struct {
		at, expiry time.Time
	}{
		{day(2024, 8, 31), day(2026, 2, 28)}, // February 2026 has 28 days
		{day(2024, 8, 30), day(2026, 2, 28)},
		{day(2024, 8, 29), day(2026, 2, 28)},
		{day(2024, 8, 28), day(2026, 2, 28)},
		{day(2024, 8, 27), day(2026, 2, 27)},
		{day(2026, 8, 31), day(2028, 2, 29)}, // 2028 is a leap year
		{day(2024, 5, 31), day(2025, 11, 30)},
		{day(2025, 5, 1), day(2026, 11, 1)},
		{day(2025, 3, 31), day(2026, 9, 30)},
		{day(2024, 10, 15), day(2026, 4, 15)},
	} {
		if got := a18.Expiry(c.at); !got.Equal(c.expiry) {
			t.Errorf("%s + 18 months = %s, want %s", c.at.Format(time.DateOnly), got.Format(time.DateOnly), c.expiry.Format(time.DateOnly))
		}
		if a18.Expired(c.at, c.expiry.Add(-time.Nanosecond)) || !a18.Expired(c.at, c.expiry) {
			t.Errorf("dated %s: expired before %s, or not on it", c.at.Format(time.DateOnly), c.expiry.Format(time.DateOnly))
		}
	}
	// Checked on 2026-11-29 at 09:00.
	check := time.Date(2026, 11, 29, 9, 0, 0, 0, time.UTC)
	for _, c := range []struct {
		at     time.Time
		months int
		want   bool
	}{
		{day(2025, 5, 30), 18, false}, // expires 2026-11-30
		{day(2025, 5, 29), 18, true},  // expired 2026-11-29 00:00
		{day(2025, 5, 31), 18, false}, // expires 2026-11-30 (clamped), not 2026-12-01
		{day(2025, 5, 28), 0, true},   // 0: check's default, 18: expired 2026-11-28
		{day(2025, 6, 1), 0, false},   // expires 2026-12-01
		{day(2025, 11, 28), 12, true}, // expired 2026-11-28
		{day(2025, 11, 29), 12, true}, // expired 2026-11-29 00:00
		{day(2025, 11, 30), 12, false},
		{day(2026, 10, 29), 1, true},  // expired 2026-11-29 00:00
		{day(2026, 10, 31), 1, false}, // expires 2026-11-30 (clamped)
	} {
		a := &Answers{Model: &models.Model{AnswerValidityMonths: c.months}}
		if got := a.Expired(c.at, check); got != c.want {
			t.Errorf("dated %s, %d months: expired %v, want %v", c.at.Format(time.DateOnly), c.months, got, c.want)
		}
	}
	// The model's answer_validity_months when set, else 18.
	if n := (&Answers{Model: &models.Model{AnswerValidityMonths: 12}}).ValidityMonths(); n != 12 {
		t.Errorf("validity %d, want the model's 12", n)
	}
	if n := (&Answers{Model: &models.Model{}}).ValidityMonths(); n != 18 {
		t.Errorf("validity %d, want the default 18", n)
	}
}

// Collecting answers that have expired warns: the assessment will not use
// them. Dated 2024-08-31, they expired on 2026-02-28.
func TestCollectingExpiredAnswersWarns(t *testing.T) {
	s := set(t)
	p := write(t, "old.yaml", "model: supplier\nrespondent: {name: X, date: 2024-08-31}\nanswers:\n  QUA-1: 3\n")
	for _, c := range []struct {
		at   time.Time
		want []string
	}{
		{time.Date(2026, 2, 27, 23, 59, 0, 0, time.UTC), nil},
		{day(2026, 2, 28), []string{p + ": the answers are dated 2024-08-31 and expired on 2026-02-28 (answer_validity_months of model supplier: 18): the assessment will not use them; ask for new answers"}},
	} {
		obs, warnings, err := collectAt(t, s, acme, p, c.at)
		if err != nil || len(obs) != 16 {
			t.Fatalf("%d observations, err %v", len(obs), err)
		}
		if strings.Join(warnings, "|") != strings.Join(c.want, "|") {
			t.Errorf("at %s: warnings %q, want %q", c.at, warnings, c.want)
		}
		// Stored all the same, as of the respondent's date: the engine
		// expires them.
		if o := facts(obs)["questionnaire.QUA-1"]; !o.ObservedAt.Equal(day(2024, 8, 31)) || o.Value == nil {
			t.Errorf("QUA-1 = %+v", o)
		}
	}
}
