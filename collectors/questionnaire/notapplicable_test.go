package questionnaire

import (
	"strings"
	"testing"
)

// Issue 22 item 9: a self-assessment may answer a practice "N/A" (or
// 不适用) with the reason in notes; the observation says not applicable,
// with who (the evidence) and why (its Reason), and no value.
func TestNotApplicableAnswerYAML(t *testing.T) {
	s := set(t)
	p := write(t, "self.yaml", `model: governance-maturity
subject: Example Bank
respondent: {name: Chen Jing, role: Head of OSPO, date: 2026-11-10}
answers:
  G1-1: 3
  G1-2: {level: 不适用, notes: "no OSPO: governance sits with the CIO office"}
`)
	obs, err := collect(t, s, bank, p)
	if err != nil {
		t.Fatal(err)
	}
	o := facts(obs)["questionnaire.G1-2"]
	if !o.IsNotApplicable() || o.Reason != "no OSPO: governance sits with the CIO office" ||
		o.Evidence != "self.yaml line 6 (answered 2026-11-10 by Chen Jing, Head of OSPO)" {
		t.Errorf("G1-2 = %+v", o)
	}

	// Without a reason: refused, naming the line.
	p = write(t, "self.yaml", `model: governance-maturity
subject: Example Bank
respondent: {name: Chen Jing, date: 2026-11-10}
answers:
  G1-2: N/A
`)
	if _, err := collect(t, s, bank, p); err == nil || !strings.Contains(err.Error(), "line 5: answers.G1-2: N/A needs a reason") {
		t.Errorf("N/A without a reason: %v", err)
	}
	// A supplier cannot set its own questions aside.
	p = write(t, "acme.yaml", `model: supplier
subject: Acme OSS Services
respondent: {name: Wang Fang, date: 2026-10-20}
answers:
  QUA-1: {level: N/A, notes: "we do not think so"}
`)
	if _, err := collect(t, s, acme, p); err == nil || !strings.Contains(err.Error(), "answers.QUA-1: N/A is only for a self-assessment") {
		t.Errorf("supplier N/A: %v", err)
	}
}

// The workbook: "N/A" typed (or chosen from the drop-down) in the answer
// cell, the reason in the notes column; without a reason the cell is
// named.
func TestNotApplicableAnswerWorkbook(t *testing.T) {
	s := set(t)
	p := template(t, s, "governance-maturity", "en", "Example Bank")
	fill(t, p, respondent{"Chen Jing", "Head of OSPO", "2026-11-10"}, map[string]any{"G1-1": 3, "G1-2": "N/A", "G1-4": "n/a"},
		nil, map[string]string{"G1-2": "no OSPO of its own"}, nil)
	_, err := collect(t, s, bank, p)
	if err == nil || !strings.Contains(err.Error(), "N/A needs a reason: say why practice G1-4 does not apply in the notes column I") {
		t.Fatalf("G1-4 without a reason: %v", err)
	}
	p = template(t, s, "governance-maturity", "en", "Example Bank")
	fill(t, p, respondent{"Chen Jing", "Head of OSPO", "2026-11-10"}, map[string]any{"G1-1": 3, "G1-2": "N/A"},
		nil, map[string]string{"G1-2": "no OSPO of its own"}, nil)
	obs, err := collect(t, s, bank, p)
	if err != nil {
		t.Fatal(err)
	}
	o := facts(obs)["questionnaire.G1-2"]
	if !o.IsNotApplicable() || o.Reason != "no OSPO of its own" || !strings.Contains(o.Evidence, "(answered 2026-11-10 by Chen Jing, Head of OSPO)") {
		t.Errorf("G1-2 = %+v", o)
	}
}
