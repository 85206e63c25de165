package html

import (
	"strings"
	"testing"
	"time"

	"github.com/osgauge/osgauge/reports"
)

// The dashboard's lifecycle section lists the proposals awaiting
// confirmation (maker-checker) in a short table — kind, subject, proposed
// by, when, what — in the report's language; the proposer's name is
// outside text and escaped.
func TestLifecycleAwaitingConfirmation(t *testing.T) {
	for _, tc := range []struct {
		lang, title, header string
		row1, row2          []string
	}{
		{"en", "Awaiting confirmation (maker-checker: proposed, not yet in force)", "IDKindSubjectProposed byProposed onWhat",
			[]string{"prop-1", "intake approval", "pkg:maven/com.alibaba/fastjson 1.2.83", evilWhy, "2026-11-20", "approve"},
			[]string{"prop-2", "exit cancellation", "pkg:maven/com.fasterxml.jackson.core/jackson-databind 2.9.x", "alice", "2026-11-21", "take off the exit list: exit-jackson"}},
		{"zh", "待复核（双人复核：已提议，尚未生效）", "编号类型对象提议人提议时间内容",
			[]string{"prop-1", "准入批准", "pkg:maven/com.alibaba/fastjson 1.2.83", evilWhy, "2026-11-20", "批准"},
			[]string{"prop-2", "撤销退出", "pkg:maven/com.fasterxml.jackson.core/jackson-databind 2.9.x", "alice", "2026-11-21", "移出退出清单：exit-jackson"}},
	} {
		t.Run(tc.lang, func(t *testing.T) {
			r := sampleReport(t, tc.lang)
			r.Lifecycle = lifecycleFixture()
			r.Lifecycle.AwaitingConfirmation = []reports.LcPending{
				{ID: "prop-1", Kind: "intake", Subject: "pkg:maven/com.alibaba/fastjson", Versions: "1.2.83", By: evilWhy,
					At: time.Date(2026, 11, 20, 10, 0, 0, 0, time.UTC), Action: "approved", Why: "grade B"},
				{ID: "prop-2", Kind: "exit", Subject: "pkg:maven/com.fasterxml.jackson.core/jackson-databind", Versions: "2.9.x", By: "alice",
					At: time.Date(2026, 11, 21, 23, 30, 0, 0, time.UTC), Action: reports.PendingCancelExit, Detail: "exit-jackson"},
			}
			out := renderHTML(t, r)
			if strings.Contains(out, evilWhy) {
				t.Errorf("the proposer's name is not escaped")
			}
			doc, _ := parse(t, out)
			sec := byID(doc, "lifecycle")
			if !strings.Contains(text(sec), tc.title) {
				t.Errorf("no heading %q", tc.title)
			}
			tbl := byID(sec, "lc-pending")
			if tbl == nil {
				t.Fatal("no table lc-pending in the lifecycle section")
			}
			rows := elements(tbl, "tr")
			if len(rows) != 3 {
				t.Fatalf("%d rows, want header + 2", len(rows))
			}
			if h := text(rows[0]); h != tc.header {
				t.Errorf("header %q, want %q", h, tc.header)
			}
			for i, want := range [][]string{tc.row1, tc.row2} {
				cells := elements(rows[i+1], "td")
				if len(cells) != len(want) {
					t.Fatalf("row %d: %d cells", i+1, len(cells))
				}
				for j := range want {
					if got := text(cells[j]); got != want[j] {
						t.Errorf("row %d cell %d: %q, want %q", i+1, j+1, got, want[j])
					}
				}
			}
		})
	}
	// None awaiting: no table.
	r := sampleReport(t, "en")
	r.Lifecycle = lifecycleFixture()
	doc, _ := parse(t, renderHTML(t, r))
	if byID(doc, "lc-pending") != nil {
		t.Error("an empty lc-pending table is rendered")
	}
}
