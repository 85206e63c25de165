package assess

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/osgauge/osgauge/models"
)

// Exceptions (accepted risks and false positives) in scoring.
//
// An exception is judged at the last instant of the period assessed:
// env.Now is the period's exclusive end for a past period (the wall clock
// within the current one), so an exception expiring on the period's last
// day still applies to it and one accepted after the period does not.
//
// A gate exception waives a gate only for what it accepted. What a firing
// gate carries is read from the observation that fired it:
//   - vulnerabilities: the ids at the end of its evidence (models.WithIDs;
//     osv.* metrics); an exception covers a vulnerability by any of its
//     aliases;
//   - a licence: the project's declared licence (license.spdx) for a gate
//     on a licence metric (license.*, relicensing);
//   - otherwise a value: the number or text the gate fired on (a
//     maintainer count of 1, "banned").
//
// Vulnerabilities and licences are identifiers: an exception on such a gate
// must name them (accepts:), or it is refused, since a waiver written for
// one known-exploited CVE must not silence the next. On a value gate an
// exception without accepts waives the gate whatever the value (osgauge's
// behaviour before accepts existed). Anything the gate fires on that no
// exception in force accepted fires the gate again, its reason naming the
// new identifiers.

// inForce is this subject's exceptions in force at the period's end, by
// target (gate or indicator id): indexes into the result's Exceptions.
type inForce map[string][]int

// exceptionsFor records every exception of this subject on the result
// (in force or not, with why) and returns those in force by target. A
// gate exception is recorded provisionally; waiveGates settles whether it
// applied.
func exceptionsFor(m *models.Model, s models.Subject, env Env, res *models.Result) inForce {
	at := exceptionInstant(env.Now)
	active := inForce{}
	for _, e := range env.Exceptions {
		if (e.Subject != s.ID && e.Subject != s.Name) || (e.Model != "" && e.Model != m.ID) {
			continue
		}
		if e.Gate != "" && !slices.ContainsFunc(m.Gates, func(g models.Gate) bool { return g.ID == e.Gate }) {
			continue
		}
		if e.Indicator != "" && m.Indicator(e.Indicator) == nil {
			continue
		}
		ae := models.AppliedException{Exception: e}
		switch why := e.InactiveWhy(at); {
		case why != "":
			ae.Effect = why
		case e.Gate != "":
			ae.Active = true
			ae.Effect = "gate " + e.Gate + " waived" // settled by waiveGates
			active[e.Gate] = append(active[e.Gate], len(res.Exceptions))
		case e.Normalized == nil:
			ae.Effect = "refused: an indicator exception needs normalized, the value (0..1) to use instead"
		case len(active[e.Indicator]) > 0:
			first := res.Exceptions[active[e.Indicator][0]]
			ae.Effect = fmt.Sprintf("not applied: the exception by %s accepted %s, listed first, sets %s", first.Who, first.Accepted, e.Indicator)
		default:
			ae.Active = true
			ae.Effect = fmt.Sprintf("indicator %s set to %.2f", e.Indicator, *e.Normalized)
			active[e.Indicator] = []int{len(res.Exceptions)}
		}
		res.Exceptions = append(res.Exceptions, ae)
	}
	return active
}

// exceptionInstant is the instant exceptions are judged at: the last one
// the period holds (now is its exclusive end, or the wall clock).
func exceptionInstant(now time.Time) time.Time {
	return now.Add(-time.Nanosecond)
}

// applyIndicatorException replaces the normalised value of an indicator or
// penalty (modifier) with its exception's, when one is in force.
func applyIndicatorException(ir models.IndicatorResult, active inForce, res *models.Result) models.IndicatorResult {
	idx, ok := active[ir.ID]
	if !ok || len(idx) == 0 {
		return ir
	}
	e := res.Exceptions[idx[0]].Exception
	ir.Normalized = models.Num(*e.Normalized)
	ir.Status = models.StatusOK
	ir.Exception = exceptionNote(e)
	ir.Explanation = fmt.Sprintf("set to %.2f by exception (%s); measured: %s", *e.Normalized, ir.Exception, ir.Explanation)
	if ir.Dimension == "modifier" {
		res.Exceptions[idx[0]].Effect = fmt.Sprintf("penalty %s set to %.2f (%.2f points)", e.Indicator, *e.Normalized, ir.Weight**e.Normalized)
	}
	return ir
}

// waiveGates settles the gate exceptions in force against the gates'
// states: a fired gate is waived when the exceptions accepted everything
// it fires on; a gate not evaluated only by an exception that needs no
// identifiers (what it would fire on is unknown); a clear gate has nothing
// to waive. Each exception's recorded effect says which happened.
func waiveGates(m *models.Model, facts Facts, active inForce, res *models.Result) {
	for i, gs := range res.GateStates {
		idx := active[gs.ID]
		if len(idx) == 0 {
			continue
		}
		g := m.Gates[slices.IndexFunc(m.Gates, func(g models.Gate) bool { return g.ID == gs.ID })]
		settle := func(k int, applied bool, effect string) {
			res.Exceptions[k].Active = applied
			res.Exceptions[k].Effect = effect
		}
		switch gs.State {
		case models.GateClear:
			for _, k := range idx {
				settle(k, false, "gate "+gs.ID+" is clear: nothing to waive")
			}
		case models.GateNotEvaluated:
			var used []models.Exception
			for _, k := range idx {
				e := res.Exceptions[k].Exception
				switch {
				case len(e.Accepts) > 0:
					settle(k, false, "gate "+gs.ID+" not evaluated: what it would fire on is unknown, so what the exception accepts cannot be matched; not applied")
				case gateKind(g) != kindValue:
					settle(k, false, fmt.Sprintf("refused: gate %s fires on %s; name the ones accepted (accepts: […])", gs.ID, gateKind(g)))
				default:
					used = append(used, e)
					settle(k, true, "gate "+gs.ID+" waived whatever it would fire on (not evaluated): it does not cap the grade")
				}
			}
			if len(used) > 0 {
				res.GateStates[i].Waived = exceptionNotes(used)
			}
		case models.GateFired:
			waiveFired(g, facts, idx, res, &res.GateStates[i], settle)
		}
	}
}

// waiveFired settles the exceptions on one fired gate.
func waiveFired(g models.Gate, facts Facts, idx []int, res *models.Result, gs *models.GateState, settle func(int, bool, string)) {
	kind := gateKind(g)
	items, known := firingItems(g, facts)
	if !known {
		for _, k := range idx {
			settle(k, false, fmt.Sprintf("refused: the observation that fired %s names no %s (collected before osgauge recorded them: collect again)", g.ID, kind))
		}
		gs.Reason += fmt.Sprintf(" [exception not applied: the observation names no %s]", kind)
		return
	}
	var byAccepts, blanket []int
	for _, k := range idx {
		e := res.Exceptions[k].Exception
		switch {
		case len(e.Accepts) > 0:
			byAccepts = append(byAccepts, k)
		case kind != kindValue:
			settle(k, false, fmt.Sprintf("refused: gate %s fires on %s (%s); name the ones accepted (accepts: […])", g.ID, kind, itemsText(items)))
		default:
			blanket = append(blanket, k)
		}
	}
	if len(byAccepts) == 0 && len(blanket) == 0 {
		gs.Reason += " [exception refused: it names no " + string(kind) + "]"
		return
	}
	// Which exceptions cover which items; an item is covered by any of its
	// aliases.
	covers := map[int][]string{}
	var uncovered [][]string
	for _, it := range items {
		found := false
		for _, k := range byAccepts {
			if slices.ContainsFunc(it, res.Exceptions[k].AcceptsID) {
				covers[k] = append(covers[k], it[0])
				found = true
			}
		}
		if !found && len(blanket) == 0 {
			uncovered = append(uncovered, it)
		}
	}
	if len(uncovered) > 0 {
		var accepted []string
		for _, k := range byAccepts {
			accepted = append(accepted, res.Exceptions[k].Accepts...)
		}
		newText := itemsText(uncovered)
		for _, k := range byAccepts {
			settle(k, false, fmt.Sprintf("gate %s fires on %s, which no exception accepted: not waived", g.ID, newText))
		}
		gs.Reason += fmt.Sprintf(" [not waived: new since the exception: %s; accepted: %s]", newText, strings.Join(accepted, ", "))
		return
	}
	var used []models.Exception
	for _, k := range byAccepts {
		if len(covers[k]) == 0 {
			settle(k, false, fmt.Sprintf("gate %s fires on %s, none of which this exception accepted (%s): nothing to waive",
				g.ID, itemsText(items), strings.Join(res.Exceptions[k].Accepts, ", ")))
			continue
		}
		used = append(used, res.Exceptions[k].Exception)
		settle(k, true, fmt.Sprintf("gate %s waived for %s: it does not cap the grade", g.ID, strings.Join(covers[k], ", ")))
	}
	for _, k := range blanket {
		used = append(used, res.Exceptions[k].Exception)
		settle(k, true, fmt.Sprintf("gate %s waived (value %s): it does not cap the grade", g.ID, itemsText(items)))
	}
	// Said in the reason too, so every report shows it beside the gate.
	gs.Waived = exceptionNotes(used)
	gs.Reason += " [waived: " + gs.Waived + "]"
}

// gateItemKind is what a gate's firing carries.
type gateItemKind string

const (
	kindVulns   gateItemKind = "vulnerabilities"
	kindLicence gateItemKind = "licence"
	kindValue   gateItemKind = "value"
)

// gateKind: vulnerabilities for osv.* gates, a licence for gates on
// licence metrics (license.* but license.found, which has no licence to
// name; relicensing counts), else a value.
func gateKind(g models.Gate) gateItemKind {
	for _, metric := range g.MetricList() {
		switch {
		case strings.HasPrefix(metric, "osv."):
			return kindVulns
		case strings.HasPrefix(metric, "license.") && metric != "license.found", strings.Contains(metric, "relicens"):
			return kindLicence
		}
	}
	return kindValue
}

// firingItems are what a fired gate fires on, each with its aliases: the
// vulnerabilities named in the firing observation's evidence, the
// project's declared licence, or the value. known is false when the
// identifiers cannot be read (an osv observation from before they were
// recorded, a licence gate without a declared licence).
func firingItems(g models.Gate, facts Facts) (items [][]string, known bool) {
	o, ok := firingObservation(g, facts)
	if !ok {
		return nil, false
	}
	switch gateKind(g) {
	case kindVulns:
		return models.EvidenceIDs(o.Evidence)
	case kindLicence:
		if l := strings.TrimSpace(facts["license.spdx"].Text); l != "" {
			return [][]string{{l}}, true
		}
		return nil, false
	}
	_, shown := conditionHolds(g.Op, g.Value, g.Equals, o)
	return [][]string{{shown}}, true
}

// firingObservation is the observation that fired g: the first of its
// metrics with usable data that meets its condition (as mainCondition
// decides it).
func firingObservation(g models.Gate, facts Facts) (models.Observation, bool) {
	for _, metric := range g.MetricList() {
		o, ok := facts[metric]
		if !ok || !usable(g.Equals, o) {
			continue
		}
		if fired, _ := conditionHolds(g.Op, g.Value, g.Equals, o); fired {
			return o, true
		}
		if g.Combine != "any" {
			return models.Observation{}, false
		}
	}
	return models.Observation{}, false
}

// itemsText shows items by their first id: "CVE-2021-44228, CVE-2022-22965".
func itemsText(items [][]string) string {
	out := make([]string, 0, len(items))
	for _, it := range items {
		out = append(out, it[0])
	}
	return strings.Join(out, ", ")
}

func exceptionNotes(es []models.Exception) string {
	notes := make([]string, 0, len(es))
	for _, e := range es {
		notes = append(notes, exceptionNote(e))
	}
	return strings.Join(notes, "; ")
}

func exceptionNote(e models.Exception) string {
	n := fmt.Sprintf("accepted by %s on %s until %s: %s", e.Who, e.Accepted, e.Expires, e.Why)
	if len(e.Accepts) > 0 {
		n = fmt.Sprintf("%s accepted by %s on %s until %s: %s", strings.Join(e.Accepts, ", "), e.Who, e.Accepted, e.Expires, e.Why)
	}
	return n
}
