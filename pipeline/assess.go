package pipeline

import (
	"context"
	"time"

	"github.com/osgauge/osgauge/assess"
	"github.com/osgauge/osgauge/models"
	"github.com/osgauge/osgauge/store"
)

// Assess scores every registered subject with every model for its kind,
// from the latest observations before the period's end (or now, when the
// period is under way), judged at that instant, and stores the results as
// one assessment run.
func Assess(ctx context.Context, st *store.Store, set models.Set, period assess.Period, now time.Time, exceptions []models.Exception) ([]models.Result, error) {
	runID, err := st.StartRun(ctx, "assess", period.Name)
	if err != nil {
		return nil, err
	}
	results, err := score(ctx, st, set, period, now, exceptions)
	if err == nil {
		err = st.SaveResults(ctx, runID, period.Name, results)
	}
	if err != nil {
		st.FinishRun(context.WithoutCancel(ctx), runID, store.RunFailed, err.Error(), nil)
		return nil, err
	}
	return results, st.FinishRun(ctx, runID, store.RunComplete, "", map[string]int{"results": len(results)})
}

func score(ctx context.Context, st *store.Store, set models.Set, period assess.Period, now time.Time, exceptions []models.Exception) ([]models.Result, error) {
	subjects, err := st.Subjects(ctx)
	if err != nil {
		return nil, err
	}
	until := period.End
	if now.Before(until) {
		until = now
	}
	facts, err := st.LatestFacts(ctx, until)
	if err != nil {
		return nil, err
	}
	// Evidence and waivers are judged at the end of the period (or now,
	// for the period under way): re-assessing a past quarter ages its
	// evidence to that quarter's end, not to today.
	env := assess.Env{Now: until, Portfolio: assess.NewPortfolio(facts), Exceptions: exceptions}
	var results []models.Result
	for _, s := range subjects {
		if s.Attrs[CandidateAttr] != "" {
			continue // an intake candidate, not in the portfolio (intake.go)
		}
		for _, m := range set.For(s.Kind) {
			r := assess.Score(m, s, facts[s.ID], env)
			assess.DateEvidence(&r, facts[s.ID])
			assess.NoteOverrides(m, &r, facts[s.ID])
			results = append(results, r)
		}
	}
	return results, nil
}
