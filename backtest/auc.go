package backtest

import "sort"

// AUC is the area under the ROC curve of a score that predicts a positive
// case (here: abandoned) by being low, in the Mann–Whitney formulation: over
// every pair of one positive and one negative case, the share in which the
// positive scored lower, a tie counting half. It is the probability that a
// randomly picked abandoned project scored below a randomly picked one that
// was not. 0.5 is no signal, 1.0 a perfect warning, below 0.5 an inverted
// one. ok is false when either side is empty (no pair to compare).
func AUC(positives, negatives []float64) (auc float64, ok bool) {
	if len(positives) == 0 || len(negatives) == 0 {
		return 0, false
	}
	neg := append([]float64(nil), negatives...)
	sort.Float64s(neg)
	var wins float64
	for _, p := range positives {
		// negatives strictly above p are wins, equal ones ties.
		lo := sort.SearchFloat64s(neg, p)                                   // first ≥ p
		hi := sort.Search(len(neg), func(i int) bool { return neg[i] > p }) // first > p
		wins += float64(len(neg)-hi) + 0.5*float64(hi-lo)
	}
	return wins / float64(len(positives)*len(negatives)), true
}

// AUCResult is one AUC with the counts it rests on.
type AUCResult struct {
	// AUC is null when there is no pair: no abandoned project, or none
	// that was not, among those the measure exists for.
	AUC *float64 `json:"auc"`
	// Abandoned and Others count the projects compared.
	Abandoned int `json:"abandoned"`
	Others    int `json:"others"`
	// Note says what was compared when it is not a score (a gate: fired
	// counts as the lower score).
	Note string `json:"note,omitempty"`
}

func aucOf(pos, neg []float64) AUCResult {
	r := AUCResult{Abandoned: len(pos), Others: len(neg)}
	if a, ok := AUC(pos, neg); ok {
		a = float64(int64(a*10000+0.5)) / 10000
		r.AUC = &a
	}
	return r
}
