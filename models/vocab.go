// Package models holds osgauge's vocabulary (subjects, observations, results)
// and the scoring-model schema. The built-in models live in builtin/*.yaml.
package models

import "time"

// SubjectKind names what is being assessed.
type SubjectKind string

const (
	KindProject     SubjectKind = "project"
	KindSupplier    SubjectKind = "supplier"
	KindInstitution SubjectKind = "institution"
)

// Subject is one thing osgauge assesses: a project, a supplier or the institution.
type Subject struct {
	Kind SubjectKind `json:"kind"`
	ID   string      `json:"id"`
	Name string      `json:"name"`
	// Attrs carries facts from the config that models may use, such as
	// "use_type" (simple, deep, custom) for weight profiles.
	Attrs map[string]string `json:"attrs,omitempty"`
}

// Observation is one measured fact about a subject, with its provenance.
// Value is nil when the source could not tell (inconclusive); Reason says why.
type Observation struct {
	SubjectID  string    `json:"subject"`
	Metric     string    `json:"metric"`
	Value      *float64  `json:"value"`
	Text       string    `json:"text,omitempty"`
	Unit       string    `json:"unit,omitempty"`
	Source     string    `json:"source"`
	ObservedAt time.Time `json:"observed_at"`
	RunID      int64     `json:"run_id,omitempty"`
	Evidence   string    `json:"evidence,omitempty"`
	Reason     string    `json:"reason,omitempty"`
}

// HasData reports whether the observation carries a usable value.
func (o Observation) HasData() bool { return o.Value != nil || o.Text != "" }

// Num returns a pointer to v, for building observations.
func Num(v float64) *float64 { return &v }

// Bool returns 1 or 0 as an observation value.
func Bool(b bool) *float64 {
	if b {
		return Num(1)
	}
	return Num(0)
}

// Result statuses.
const (
	StatusOK           = "ok"
	StatusInconclusive = "inconclusive"
)

// Result is one model's assessment of one subject.
type Result struct {
	SubjectID    string   `json:"-"`
	Model        string   `json:"model"`
	ModelVersion string   `json:"model_version"`
	ModelHash    string   `json:"model_hash"`
	Score        *float64 `json:"score"`
	// ScoreRange is [low, high]: the score with every missing indicator at
	// its worst and at its best (missing penalties at their full weight and
	// at none). Absent in results stored before it existed.
	ScoreRange []float64 `json:"score_range,omitempty"`
	// Grade is given only when it is decided: the worst and best cases
	// (ScoreRange's ends, gates not evaluated counted as fired at worst
	// and capping the best case at their unevaluated_cap) agree, or a
	// fired gate decides.
	Grade string `json:"grade,omitempty"`
	// GradeRange is [worst, best] when the two cases grade differently:
	// the result is "between worst and best" and has no Grade.
	GradeRange []string `json:"grade_range,omitempty"`
	// GradeEstimate is the point score's grade (fired gates applied,
	// within GradeRange), shown labelled as an estimate, when the result
	// has a GradeRange.
	GradeEstimate string `json:"grade_estimate,omitempty"`
	// Partial is set when the result is graded below the coverage minimum
	// because the missing indicators cannot change its grade.
	Partial bool `json:"graded_on_partial_data,omitempty"`
	// Missing lists the indicators without data, the ones that would
	// narrow ScoreRange most first.
	Missing []MissingIndicator `json:"missing,omitempty"`
	Level   int                `json:"level,omitempty"`
	// LevelRange is [low, high] for a staged result: low the level the
	// evidence proves (= Level), high the best level reachable were every
	// unanswered practice answered at the top evidence value. Absent in
	// results stored before it existed and for index models.
	LevelRange []int     `json:"level_range,omitempty"`
	Coverage   float64   `json:"coverage"`
	Status     string    `json:"status"`
	Profile    string    `json:"profile,omitempty"`
	Gates      []GateHit `json:"gates"`
	// GatesUnknown are the gates none of whose metrics has data: they
	// neither fire nor pass, and bound the worst case of an ungraded result.
	GatesUnknown []string `json:"gates_unknown,omitempty"`
	// GateStates gives every gate of the model in one of three states:
	// fired, clear or not evaluated (with what is missing); a waived gate
	// is fired with its waiver. Absent in results stored before it existed.
	GateStates  []GateState        `json:"gate_states,omitempty"`
	Dimensions  []DimensionResult  `json:"dimensions"`
	Indicators  []IndicatorResult  `json:"indicators"`
	Gaps        []Gap              `json:"gaps,omitempty"`
	Modifiers   []IndicatorResult  `json:"modifiers,omitempty"`
	Explanation string             `json:"explanation,omitempty"`
	Exceptions  []AppliedException `json:"exceptions,omitempty"`
	AssessedAt  time.Time          `json:"assessed_at"`
}

// MissingIndicator is an indicator without data and what measuring it
// would do to the result.
type MissingIndicator struct {
	ID        string   `json:"id"`
	Dimension string   `json:"dimension"`
	Metrics   []string `json:"metrics"`
	// Swing is the index points between the indicator at its worst and at
	// its best: how much of ScoreRange it accounts for.
	Swing float64 `json:"swing"`
	// Sources are the metric sources that measure it ("github",
	// "scorecard", …): what to run, or configure, to get it.
	Sources []string `json:"sources"`
}

// GateHit is a knock-out that fired and capped the grade.
type GateHit struct {
	ID     string `json:"id"`
	Reason string `json:"reason"`
	Cap    string `json:"cap,omitempty"`
	// Waived is set when an active exception accepted the risk: the gate
	// is still listed but does not cap the grade.
	Waived string `json:"waived,omitempty"`
}

// Gate states.
const (
	GateFired        = "fired"
	GateClear        = "clear"
	GateNotEvaluated = "not-evaluated"
)

// GateState is one gate's outcome for one subject.
type GateState struct {
	ID    string `json:"id"`
	State string `json:"state"`
	// Cap is the grade the gate caps at when it fires; BestCap the best
	// grade while it is not evaluated.
	Cap     string `json:"cap,omitempty"`
	BestCap string `json:"best_cap,omitempty"`
	// Reason: why it fired, what cleared it, or what is missing.
	Reason string `json:"reason,omitempty"`
	// Sources to run or configure for a gate not evaluated.
	Sources []string `json:"sources,omitempty"`
	Waived  string   `json:"waived,omitempty"`
}

// DimensionResult is the score of one dimension (for GMI: one domain).
type DimensionResult struct {
	ID       string   `json:"id"`
	Score    *float64 `json:"score"`
	Coverage float64  `json:"coverage"`
	Weight   float64  `json:"weight"`
	Level    int      `json:"level,omitempty"`
}

// IndicatorResult explains one indicator: where its number came from and
// what it contributed.
type IndicatorResult struct {
	ID           string   `json:"id"`
	Dimension    string   `json:"dimension"`
	Raw          *float64 `json:"raw"`
	RawText      string   `json:"raw_text,omitempty"`
	Normalized   *float64 `json:"normalized"`
	Weight       float64  `json:"weight"`
	Contribution *float64 `json:"contribution"`
	Metric       string   `json:"metric,omitempty"`
	Source       string   `json:"source,omitempty"`
	Evidence     string   `json:"evidence,omitempty"`
	Status       string   `json:"status"`
	Explanation  string   `json:"explanation,omitempty"`
	Level        int      `json:"level,omitempty"`
	// Exception describes an active exception that changed this indicator.
	Exception string `json:"exception,omitempty"`
	// ObservedAt is when the evidence was observed (the oldest of the
	// observations used); nil for an indicator without data and in results
	// stored before it existed.
	ObservedAt *time.Time `json:"observed_at,omitempty"`
	// Measured is the share of the indicator's metrics that had data, for
	// an indicator combining several (mean, min, max, sum) of which some
	// were missing; NormalizedRange is then [worst, best] of its
	// normalised value with the missing metrics at their worst and best.
	Measured        *float64  `json:"measured,omitempty"`
	NormalizedRange []float64 `json:"normalized_range,omitempty"`
	// NotApplicable: who set the indicator aside, and why (status
	// not-applicable).
	NotApplicable *NotApplicable `json:"not_applicable,omitempty"`
}

// Gap is a practice missing for a domain's next maturity level.
type Gap struct {
	Domain   string   `json:"domain"`
	Practice string   `json:"practice"`
	Level    int      `json:"level"`
	Evidence *float64 `json:"evidence"`
	Clause   string   `json:"clause,omitempty"`
	Weight   float64  `json:"weight"`
}
