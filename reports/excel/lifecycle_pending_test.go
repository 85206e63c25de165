package excel

import (
	"slices"
	"testing"
	"time"

	"github.com/osgauge/osgauge/reports"
)

// The proposals awaiting confirmation (maker-checker) are a table of the
// Lifecycle sheet, in the report's language: an intake approval of
// fastjson 1.2.83 by alice and a waiver of G-KEV by carol; the waiver's
// why looks like a formula and stays text.
func TestLifecycleSheetAwaitingConfirmation(t *testing.T) {
	pending := []reports.LcPending{
		{ID: "prop-1", Kind: "intake", Subject: "pkg:maven/com.alibaba/fastjson", Versions: "1.2.83", By: "alice",
			At: time.Date(2026, 11, 20, 10, 0, 0, 0, time.UTC), Action: "approved", Why: "grade B"},
		{ID: "prop-2", Kind: "waiver", Subject: "github.com/apache/logging-log4j2", By: "carol", At: time.Date(2026, 11, 21, 9, 0, 0, 0, time.UTC),
			Action: reports.PendingWaive, Detail: "G-KEV: CVE-2021-44228 (2026-11-21 – 2027-03-31)", Why: "=cmd|' /C calc'!A0"},
	}
	for _, tc := range []struct {
		lang, sheet, title string
		header             []string
		intake, waive      []string // kind, what
		note               string
	}{
		{"en", "Lifecycle", "Awaiting confirmation (maker-checker: proposed, not yet in force)",
			[]string{"ID", "Kind", "Subject", "Proposed by", "Proposed on", "What", "Why"},
			[]string{"intake approval", "approve"}, []string{"waiver", "waive: G-KEV: CVE-2021-44228 (2026-11-21 – 2027-03-31)"},
			"These proposals change no state or count above until an approver other than the proposer confirms them."},
		{"zh", "生命周期", "待复核（双人复核：已提议，尚未生效）",
			[]string{"编号", "类型", "对象", "提议人", "提议时间", "内容", "理由"},
			[]string{"准入批准", "批准"}, []string{"豁免", "豁免：G-KEV: CVE-2021-44228 (2026-11-21 – 2027-03-31)"},
			"上述状态与计数不含这些提议；须由提议人以外的审批人确认后方生效。"},
	} {
		r := testReport(t, tc.lang)
		r.Lifecycle = testLifecycle()
		r.Lifecycle.AwaitingConfirmation = pending
		f, _ := writeOpen(t, r)
		rows, err := f.GetRows(tc.sheet)
		if err != nil {
			t.Fatal(err)
		}
		at := slices.IndexFunc(rows, func(r []string) bool { return len(r) > 0 && r[0] == tc.title })
		if at < 0 || at+4 >= len(rows) {
			t.Fatalf("%s: no table %q in %q", tc.lang, tc.title, rows)
		}
		if !slices.Equal(rows[at+1], tc.header) {
			t.Errorf("%s: header %q, want %q", tc.lang, rows[at+1], tc.header)
		}
		// Subject with its versions; when it was proposed (the workbook's
		// date-time style, UTC).
		want1 := []string{"prop-1", tc.intake[0], "pkg:maven/com.alibaba/fastjson 1.2.83", "alice", "2026-11-20 10:00:00", tc.intake[1], "grade B"}
		want2 := []string{"prop-2", tc.waive[0], "github.com/apache/logging-log4j2", "carol", "2026-11-21 09:00:00", tc.waive[1], "=cmd|' /C calc'!A0"}
		if !slices.Equal(rows[at+2], want1) {
			t.Errorf("%s: row 1 %q, want %q", tc.lang, rows[at+2], want1)
		}
		if !slices.Equal(rows[at+3], want2) {
			t.Errorf("%s: row 2 %q, want %q", tc.lang, rows[at+3], want2)
		}
		if len(rows[at+4]) == 0 || rows[at+4][0] != tc.note {
			t.Errorf("%s: note %q", tc.lang, rows[at+4])
		}
		if fm, _ := f.GetCellFormula(tc.sheet, cell(7, at+4)); fm != "" {
			t.Errorf("%s: the why became a formula %q", tc.lang, fm)
		}
	}
	// None awaiting: no table.
	r := testReport(t, "en")
	r.Lifecycle = testLifecycle()
	f, _ := writeOpen(t, r)
	rows, _ := f.GetRows("Lifecycle")
	if slices.ContainsFunc(rows, func(r []string) bool {
		return len(r) > 0 && r[0] == "Awaiting confirmation (maker-checker: proposed, not yet in force)"
	}) {
		t.Error("an empty awaiting-confirmation table is written")
	}
}
