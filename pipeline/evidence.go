package pipeline

import (
	"context"
	"time"

	"github.com/osgauge/osgauge/collectors/evidence"
	"github.com/osgauge/osgauge/config"
	"github.com/osgauge/osgauge/store"
)

// Suppliers turns the config's suppliers into evidence specifications.
func Suppliers(c *config.Config) ([]evidence.Supplier, map[string][]string) {
	ids := map[string]string{}
	for _, p := range c.Projects {
		ids[p.Name] = ProjectID(p.Name, p.Repo)
	}
	var out []evidence.Supplier
	supports := map[string][]string{}
	for _, s := range c.Suppliers {
		sp := evidence.Supplier{ID: "supplier/" + slug(s.Name), Name: s.Name, Orgs: s.GitHubOrgs, Logins: s.Logins, EmailDomains: s.EmailDomains, Claims: s.Claims}
		for _, name := range s.Supports {
			supports[sp.ID] = append(supports[sp.ID], ids[name])
		}
		out = append(out, sp)
	}
	return out, supports
}

// DeriveEvidence records each supplier's objective evidence from the latest
// observations of the projects it supports, as one run of its own (one
// transaction per supplier). Run it after a collection.
func DeriveEvidence(ctx context.Context, st *store.Store, suppliers []evidence.Supplier, supports map[string][]string, now time.Time) (int, error) {
	if len(suppliers) == 0 {
		return 0, nil
	}
	facts, err := st.LatestFacts(ctx, now)
	if err != nil {
		return 0, err
	}
	subjects, err := st.Subjects(ctx)
	if err != nil {
		return 0, err
	}
	names := map[string]string{}
	for _, s := range subjects {
		names[s.ID] = s.Name
	}
	runID, err := st.StartRun(ctx, "evidence", "")
	if err != nil {
		return 0, err
	}
	n := 0
	for _, s := range suppliers {
		var projects []evidence.Project
		for _, id := range supports[s.ID] {
			projects = append(projects, evidence.Project{Name: names[id], Facts: facts[id]})
		}
		obs := evidence.Derive(s, projects, now)
		for i := range obs {
			obs[i].RunID = runID
		}
		if err := st.AppendObservations(ctx, runID, obs); err != nil {
			st.FinishRun(context.WithoutCancel(ctx), runID, store.RunFailed, err.Error(), nil)
			return n, err
		}
		n += len(obs)
	}
	return n, st.FinishRun(ctx, runID, store.RunComplete, "", map[string]int{"observations": n})
}
