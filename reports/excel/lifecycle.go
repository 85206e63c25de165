package excel

import (
	"fmt"
	"strings"

	"github.com/xuri/excelize/v2"

	"github.com/osgauge/osgauge/models"
	"github.com/osgauge/osgauge/reports"
)

// The Lifecycle sheet (生命周期, issue 23): key figures of the components
// in use by ledger state, use without intake by system and by component,
// the exit list with the systems remaining and the progress since the
// previous period, the exit candidates and the ledger's decisions. Every
// text from outside (names, reasons, who and why) is written as a string,
// never a formula.

// lcRelation shows how a system runs an exit-listed component.
func (w *writer) lcRelation(rel string) string {
	switch rel {
	case "direct":
		return w.t("lc.directly")
	case "transitive":
		return w.t("lc.transitively")
	}
	return w.t("lc.depth_unknown")
}

// lcSubject is a proposal's subject with its versions.
func lcSubject(p reports.LcPending) string {
	if p.Versions == "" {
		return p.Subject
	}
	return p.Subject + " " + p.Versions
}

// lcPendingWhat is what a proposal would do, in the report's language,
// and its detail.
func (w *writer) lcPendingWhat(p reports.LcPending) string {
	what := w.lcValue("lc.pending.action.", p.Action)
	if p.Detail != "" {
		what += w.t("lc.pending.sep") + p.Detail
	}
	return what
}

func (w *writer) lcValue(prefix, v string) string {
	if v == "" {
		return ""
	}
	return w.valueLabel(prefix, v)
}

func (w *writer) writeLifecycle() error {
	lc := w.r.Lifecycle
	sh := w.lifecycle
	put := w.cellRows(sh)
	if err := w.colWidths(sh, []float64{40, 16, 18, 16, 22, 16, 14, 18, 14, 50, 14, 14, 14, 14, 12}); err != nil {
		return err
	}
	row := 1
	if err := put(row, []any{excelize.Cell{StyleID: w.st.title, Value: w.t("lc.key_figures")}}); err != nil {
		return err
	}
	row += 2
	n := lc.InUse
	share := any(nil)
	if n.NeedIntake > 0 {
		share = w.pct(float64(n.Decided) / float64(n.NeedIntake))
	}
	figures := [][]any{
		{w.b(w.t("lc.in_use")), n.Total},
		{w.b(w.t("lc.state.approved")), n.Approved},
		{w.b(w.t("lc.state.conditional")), n.Conditional},
		{w.b(w.t("lc.state.rejected")), n.Rejected},
		{w.b(w.t("lc.state.exit")), n.Exit},
		{w.b(w.t("lc.unapproved")), n.Unapproved},
		{w.b(w.t("lc.transitive")), n.TransitiveNoIntake},
		{w.b(w.t("lc.not_required")), n.IntakeNotRequired},
		{w.b(w.t("lc.not_third_party")), n.NotThirdParty},
		{w.b(w.t("lc.decided_share")), share, w.s(fmt.Sprintf("%d / %d", n.Decided, n.NeedIntake))},
		{w.b(w.t("lc.exits_listed")), len(lc.Exits)},
		{w.b(w.t("lc.overdue_exits")), n.OverdueExits},
		{w.b(w.t("lc.intake_required")), w.s(w.lcValue("lc.required.", lc.IntakeRequired))},
	}
	for _, f := range figures {
		if err := put(row, f); err != nil {
			return err
		}
		row++
	}
	var err error
	if row, err = w.writeLifecycleGMI(put, row); err != nil {
		return err
	}
	section := w.sectionRows(put, &row)
	// Use without intake by system.
	if err := section(w.t("lc.by_system"), w.t("lc.system"), w.t("lc.unapproved"), w.t("lc.components")); err != nil {
		return err
	}
	for _, s := range lc.UnapprovedBySystem {
		if err := put(row, []any{w.s(s.System), s.Unapproved, s.Components}); err != nil {
			return err
		}
		row++
	}
	// Components used without intake.
	if err := section(w.t("lc.unapproved_list"), w.t("lc.component"), w.t("lc.version"), w.t("lc.target"), w.t("lc.systems"), w.t("lc.purl")); err != nil {
		return err
	}
	if len(lc.UnapprovedInUse) == 0 {
		if err := put(row, []any{w.s(w.t("lc.none_unapproved"))}); err != nil {
			return err
		}
		row++
	}
	for _, u := range lc.UnapprovedInUse {
		if err := put(row, []any{w.s(u.Component), w.s(u.Version), w.s(u.Target), w.s(strings.Join(u.Systems, ", ")), w.s(u.PURL)}); err != nil {
			return err
		}
		row++
	}
	// The exit list.
	prev := w.t("lc.previous")
	if !lc.PreviousAsOf.IsZero() {
		prev = strings.ReplaceAll(prev, "{d}", lc.PreviousAsOf.Format("2006-01-02"))
	} else {
		prev = strings.ReplaceAll(prev, " ({d})", "")
		prev = strings.ReplaceAll(prev, "（{d}）", "")
	}
	if err := section(w.t("lc.exit_list"), w.t("lc.target"), w.t("lc.versions"), w.t("lc.reason"), w.t("lc.replacement"), w.t("lc.deadline"),
		w.t("lc.owner"), w.t("lc.remaining"), prev, w.t("lc.status"), w.t("lc.systems")); err != nil {
		return err
	}
	if len(lc.Exits) == 0 {
		if err := put(row, []any{w.s(w.t("lc.no_exits"))}); err != nil {
			return err
		}
		row++
	}
	for _, x := range lc.Exits {
		var was any
		if x.SystemsRemainingPrevious != nil {
			was = *x.SystemsRemainingPrevious
		}
		status := w.t("lc.on_track")
		switch {
		case x.Overdue:
			status = w.t("lc.overdue")
		case x.SystemsRemaining == 0:
			status = w.t("lc.done")
		}
		var sys []string
		for _, s := range x.Systems {
			sys = append(sys, s.System+" "+s.Version+" ("+w.lcRelation(s.Relation)+")")
		}
		if err := put(row, []any{w.s(x.Component), w.s(x.Versions), w.s(w.lcValue("lc.reason.", x.Reason)), w.s(x.Replacement), w.s(x.Deadline),
			w.s(x.Owner), x.SystemsRemaining, was, w.s(status), w.s(strings.Join(sys, "; "))}); err != nil {
			return err
		}
		row++
	}
	// Exit candidates.
	if len(lc.ExitCandidates) > 0 {
		if err := section(w.t("lc.candidates"), w.t("lc.component"), w.t("lc.version"), w.t("lc.target"), w.t("lc.project"), w.t("lc.gates"),
			w.t("lc.proposed_reason"), w.t("lc.systems")); err != nil {
			return err
		}
		for _, c := range lc.ExitCandidates {
			if err := put(row, []any{w.s(c.Component), w.s(c.Version), w.s(c.Target), w.s(c.Project), w.s(strings.Join(c.Gates, ", ")),
				w.s(w.lcValue("lc.reason.", c.Reason)), w.s(strings.Join(c.Systems, ", "))}); err != nil {
				return err
			}
			row++
		}
		if err := put(row, []any{w.s(w.t("lc.candidates_hint"))}); err != nil {
			return err
		}
		row++
	}
	// Proposals awaiting a second person (maker-checker).
	if len(lc.AwaitingConfirmation) > 0 {
		if err := section(w.t("lc.pending"), w.t("lc.id"), w.t("lc.pending.kind"), w.t("lc.pending.subject"), w.t("lc.pending.by"),
			w.t("lc.pending.at"), w.t("lc.pending.what"), w.t("lc.why")); err != nil {
			return err
		}
		for _, p := range lc.AwaitingConfirmation {
			if err := put(row, []any{w.s(p.ID), w.s(w.lcValue("lc.pending.kind.", p.Kind)), w.s(lcSubject(p)), w.s(p.By), w.date(p.At),
				w.s(w.lcPendingWhat(p)), w.s(p.Why)}); err != nil {
				return err
			}
			row++
		}
		for _, k := range []string{"lc.pending_note", "lc.pending_hint"} {
			if err := put(row, []any{w.s(w.t(k))}); err != nil {
				return err
			}
			row++
		}
	}
	// Decisions.
	if err := section(w.t("lc.decisions"), w.t("lc.id"), w.t("lc.target"), w.t("lc.versions"), w.t("lc.decision"), w.t("lc.status"),
		w.t("lc.by"), w.t("lc.at"), w.t("lc.review_by"), w.t("lc.decided_in_use"), w.t("lc.why"), w.t("lc.conditions"),
		w.t("lc.system"), w.t("lc.department"), w.t("lc.owner")); err != nil {
		return err
	}
	if len(lc.Decisions) == 0 {
		return put(row, []any{w.s(w.t("lc.no_decisions"))})
	}
	for _, d := range lc.Decisions {
		review := d.ReviewBy
		if d.ReviewDue {
			review += " " + w.t("lc.review_due")
		}
		if err := put(row, []any{w.s(d.ID), w.s(d.Target), w.s(d.Versions), w.s(w.lcValue("lc.state.", d.Decision)),
			w.s(w.lcValue("lc.status.", d.Status)), w.s(d.By), w.date(d.At), w.s(review), d.InUse, w.s(d.Why),
			w.s(strings.Join(d.Conditions, "; ")), w.s(d.System), w.s(d.Department), w.s(d.Owner)}); err != nil {
			return err
		}
		row++
	}
	return nil
}

// writeLifecycleGMI lists the governance practices the lifecycle measures
// (source lifecycle): the evidence level and its text, which names the
// questionnaire's answer beside it and says DISCREPANCY when the answer
// claims more. It returns the next free row.
func (w *writer) writeLifecycleGMI(put rowFunc, row int) (int, error) {
	var rows [][]any
	m := w.model(models.GovernanceMaturity)
	for _, s := range w.r.OfKind(models.KindInstitution) {
		res := s.Result(models.GovernanceMaturity)
		if res == nil {
			continue
		}
		for _, in := range res.Indicators {
			if !strings.Contains(in.Source, "lifecycle") {
				continue
			}
			name := ""
			if m != nil {
				if d := m.Indicator(in.ID); d != nil {
					name = d.Name.In(w.lang)
				}
			}
			rows = append(rows, []any{w.s(in.ID), w.s(name), w.optNum(in.Raw), excelize.Cell{StyleID: w.st.wrap, Value: in.Evidence}})
		}
	}
	if len(rows) == 0 {
		return row, nil
	}
	row++
	if err := put(row, []any{w.b(w.t("lc.gmi"))}); err != nil {
		return row, err
	}
	row++
	if err := put(row, []any{w.h(w.t("lc.practice")), w.h(w.t("lc.practice_name")), w.h(w.t("lc.evidence_level")), w.h(w.t("lc.evidence"))}); err != nil {
		return row, err
	}
	row++
	for _, r := range rows {
		if err := put(row, r); err != nil {
			return row, err
		}
		row++
	}
	return row, nil
}
