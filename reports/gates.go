package reports

import (
	"fmt"
	"strings"

	"github.com/osgauge/osgauge/models"
)

// GateStates are the result's gates in three states. Results stored
// before GateStates existed give their fired gates (Gates) and the gates
// none of whose metrics had data (GatesUnknown) as not evaluated.
func GateStates(res *models.Result) []models.GateState {
	if len(res.GateStates) > 0 {
		return res.GateStates
	}
	var out []models.GateState
	for _, g := range res.Gates {
		out = append(out, models.GateState{ID: g.ID, State: models.GateFired, Cap: g.Cap, Reason: g.Reason, Waived: g.Waived})
	}
	for _, id := range res.GatesUnknown {
		out = append(out, models.GateState{ID: id, State: models.GateNotEvaluated})
	}
	return out
}

// NotEvaluatedList names the gates not evaluated with the sources that
// would evaluate them, with lang's punctuation: "G-KEV (osv),
// G-DANGEROUS-WORKFLOW (scorecard)"; "" when every gate was evaluated.
func NotEvaluatedList(res *models.Result, lang string) string {
	open, close, sep := " (", ")", ", "
	if lang == "zh" {
		open, close, sep = "（", "）", "，"
	}
	var parts []string
	for _, g := range GateStates(res) {
		if g.State != models.GateNotEvaluated {
			continue
		}
		p := g.ID
		if len(g.Sources) > 0 {
			p += open + strings.Join(g.Sources, " / ") + close
		}
		parts = append(parts, p)
	}
	return strings.Join(parts, sep)
}

// LevelRange is a staged result's level: "L2–L4" while the evidence
// proves L2 and L4 is reachable, "L3" when the two agree, "L<Level>" for
// results stored without a range, "" without a level.
func LevelRange(res *models.Result) string {
	if len(res.LevelRange) == 2 {
		if res.LevelRange[0] == res.LevelRange[1] {
			return fmt.Sprintf("L%d", res.LevelRange[0])
		}
		return fmt.Sprintf("L%d–L%d", res.LevelRange[0], res.LevelRange[1])
	}
	if res.Level > 0 {
		return fmt.Sprintf("L%d", res.Level)
	}
	return ""
}

// LevelOpen reports whether a staged result's level is not decided.
func LevelOpen(res *models.Result) bool {
	return len(res.LevelRange) == 2 && res.LevelRange[0] != res.LevelRange[1]
}
