// Package benchstore builds a large osgauge store for benchmarks of
// `osgauge report`: many projects, each scored with a 40-indicator project
// model over several quarterly periods, suppliers and the institution. It
// writes through the store API (runs, subjects, observations, results),
// and scores with assess.Score, so the stored detail JSON is what a real
// assessment stores; it skips the collectors and the LatestFacts query,
// which the report never reads, to build quickly.
package benchstore

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/osgauge/osgauge/assess"
	"github.com/osgauge/osgauge/models"
	"github.com/osgauge/osgauge/store"
)

// Options size the store.
type Options struct {
	Projects  int // default 10,000
	Suppliers int // default 30
	Periods   int // default 4, the latest last: 2026Q1…2026Q4
	// Observations stores the latest period's observations (one per
	// indicator with data), as a real collection would; the report does
	// not read them, but they give the store its real size.
	Observations bool
}

// Dims × PerDim are the project model's indicators.
const (
	Dims   = 5
	PerDim = 8
)

// Built is what Build made.
type Built struct {
	Periods    []string // oldest first; the last is the report's
	ModelPath  string   // the 40-indicator project-health model, for the config's models: override
	ConfigPath string   // an osgauge.yaml naming the store and the model
	Results    int
}

// Build writes the store at dbPath, the model and a config beside it.
func Build(ctx context.Context, dbPath string, o Options) (*Built, error) {
	if o.Projects == 0 {
		o.Projects = 10000
	}
	if o.Suppliers == 0 {
		o.Suppliers = 30
	}
	if o.Periods == 0 {
		o.Periods = 4
	}
	dir := filepath.Dir(dbPath)
	b := &Built{ModelPath: filepath.Join(dir, "bench-project-health.yaml"), ConfigPath: filepath.Join(dir, "osgauge.yaml")}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	phYAML := ProjectModelYAML("1.0.0")
	if err := os.WriteFile(b.ModelPath, []byte(phYAML), 0o644); err != nil {
		return nil, err
	}
	ph, err := models.Parse(b.ModelPath, []byte(phYAML))
	if err != nil {
		return nil, err
	}
	// The oldest period was scored with an earlier version of the model:
	// its scores are not comparable.
	phOld, err := models.Parse("old.yaml", []byte(ProjectModelYAML("0.9.0")))
	if err != nil {
		return nil, err
	}
	sup, err := models.Builtin(models.Supplier)
	if err != nil {
		return nil, err
	}
	gmi, err := models.Builtin("governance-maturity")
	if err != nil {
		return nil, err
	}
	cfg := fmt.Sprintf("institution: {name: 示例银行 Example Bank}\nstore: {driver: sqlite, dsn: %s}\nmodels: {project-health: %s}\nreport: {out: reports, formats: [xlsx, html, json], lang: zh}\n",
		filepath.Base(dbPath), filepath.Base(b.ModelPath))
	if err := os.WriteFile(b.ConfigPath, []byte(cfg), 0o644); err != nil {
		return nil, err
	}

	st, err := store.Open(ctx, dbPath)
	if err != nil {
		return nil, err
	}
	defer st.Close()

	subjects := make([]models.Subject, 0, o.Projects+o.Suppliers+1)
	useTypes := []string{"simple", "simple", "deep", "custom"}
	for p := 0; p < o.Projects; p++ {
		name := fmt.Sprintf("project-%05d", p)
		if p%10 == 3 {
			name = fmt.Sprintf("核心交易组件-%05d", p) // Chinese names, as banks' internal projects have
		}
		subjects = append(subjects, models.Subject{Kind: models.KindProject, ID: fmt.Sprintf("github.com/org-%03d/%s", p%500, fmt.Sprintf("repo-%05d", p)),
			Name: name, Attrs: map[string]string{"use_type": useTypes[p%len(useTypes)], "description": fmt.Sprintf("Component %d: a library <used> by several systems & services", p)}})
	}
	for i := 0; i < o.Suppliers; i++ {
		subjects = append(subjects, models.Subject{Kind: models.KindSupplier, ID: fmt.Sprintf("supplier:%02d", i), Name: fmt.Sprintf("开源服务商 %02d Ltd", i)})
	}
	subjects = append(subjects, models.Subject{Kind: models.KindInstitution, ID: "institution", Name: "示例银行 Example Bank"})
	for _, s := range subjects {
		if err := st.PutSubject(ctx, s); err != nil {
			return nil, err
		}
	}

	year := 2026
	for k := 0; k < o.Periods; k++ {
		q := 4 - (o.Periods - 1 - k)
		y := year
		for q <= 0 {
			q += 4
			y--
		}
		b.Periods = append(b.Periods, fmt.Sprintf("%dQ%d", y, q))
	}
	for k, period := range b.Periods {
		latest := k == len(b.Periods)-1
		per, err := assess.ParsePeriod(period)
		if err != nil {
			return nil, err
		}
		at := per.End.Add(-24 * time.Hour)
		rng := rand.New(rand.NewPCG(uint64(k)+1, 42))
		facts := map[string]map[string]models.Observation{}
		for i, s := range subjects {
			switch {
			case s.Kind == models.KindProject && i%100 == 99 && latest:
				continue // removed since the previous period
			case s.Kind == models.KindProject && i%100 == 42 && k == len(b.Periods)-2:
				continue // new in… not assessed in the previous period
			}
			var m *models.Model
			switch s.Kind {
			case models.KindProject:
				m = ph
			case models.KindSupplier:
				m = sup
			default:
				m = gmi
			}
			facts[s.ID] = Facts(m, s.ID, at, rng, i%60 == 0)
		}
		collect, err := st.StartRun(ctx, "collect", period)
		if err != nil {
			return nil, err
		}
		nobs := 0
		if latest && o.Observations {
			var batch []models.Observation
			for _, s := range subjects {
				for _, ob := range facts[s.ID] {
					batch = append(batch, ob)
				}
				if len(batch) >= 20000 {
					if err := st.AppendObservations(ctx, collect, batch); err != nil {
						return nil, err
					}
					nobs += len(batch)
					batch = batch[:0]
				}
			}
			if err := st.AppendObservations(ctx, collect, batch); err != nil {
				return nil, err
			}
			nobs += len(batch)
		}
		stats := map[string]any{"run_id": collect, "status": "complete", "observations": nobs,
			"by_source": map[string]int{"gitlocal": nobs / 2, "forge": nobs / 2},
			"cost":      map[string]any{"github": map[string]int{"requests": 20 * o.Projects, "not_modified": 15 * o.Projects, "retries": 3, "rate_remaining": 4200}},
			"failed":    []map[string]string{{"subject": subjects[7].ID, "source": "github", "error": "404 Not Found"}}}
		if err := st.FinishRun(ctx, collect, store.RunPartial, "", stats); err != nil {
			return nil, err
		}

		env := assess.Env{Now: at, Portfolio: assess.NewPortfolio(facts)}
		var results []models.Result
		for _, s := range subjects {
			f, ok := facts[s.ID]
			if !ok {
				continue
			}
			m := ph
			switch {
			case s.Kind == models.KindSupplier:
				m = sup
			case s.Kind == models.KindInstitution:
				m = gmi
			case k == 0 && len(b.Periods) > 1:
				m = phOld
			}
			r := assess.Score(m, s, f, env)
			r.SubjectID = s.ID
			results = append(results, r)
		}
		run, err := st.StartRun(ctx, "assess", period)
		if err != nil {
			return nil, err
		}
		if err := st.SaveResults(ctx, run, period, results); err != nil {
			return nil, err
		}
		if err := st.FinishRun(ctx, run, store.RunComplete, "", map[string]int{"results": len(results)}); err != nil {
			return nil, err
		}
		b.Results += len(results)
	}
	return b, nil
}

// dims are the project model's dimensions: five of eight indicators each,
// on metrics the collectors really record, with every normalisation.
var dims = []struct {
	id, en, zh string
	ind        [PerDim][2]string // metric, normalize
}{
	{"ACT", "Activity", "活跃度", [PerDim][2]string{
		{"gitlocal.commits_per_week", "{log: {threshold: 50}}"}, {"gitlocal.months_since_last_commit", "{inv-log: {threshold: 12}}"},
		{"forge.releases_12m", "{log: {threshold: 12}}"}, {"scorecard.Maintained", "{linear: {min: 0, max: 10}}"},
		{"gitlocal.tags_12m", "{log: {threshold: 12}}"}, {"forge.commits_12m", "{log: {threshold: 500}}"},
		{"gitlocal.merges_12m", "{log: {threshold: 100}}"}, {"gitlocal.days_since_last_commit", "{inv-log: {threshold: 365}}"}}},
	{"COM", "Community", "社区", [PerDim][2]string{
		{"gitlocal.authors_12m", "{log: {threshold: 100}}"}, {"gitlocal.bus_factor_12m", "{log: {threshold: 10}}"},
		{"gitlocal.elephant_factor_12m", "{log: {threshold: 5}}"}, {"gitlocal.org_count_12m", "{log: {threshold: 20}}"},
		{"forge.stars", "{log: {threshold: 10000}}"}, {"forge.forks", "{log: {threshold: 2000}}"},
		{"forge.watchers", "{log: {threshold: 500}}"}, {"gitlocal.maintainers", "{log: {threshold: 10}}"}}},
	{"RSP", "Responsiveness", "响应", [PerDim][2]string{
		{"forge.issue_first_response_days", "{inv-log: {threshold: 30}}"}, {"forge.change_first_response_days", "{inv-log: {threshold: 30}}"},
		{"forge.change_merge_days", "{inv-log: {threshold: 60}}"}, {"forge.change_closure_ratio", "{linear: {min: 0, max: 1}}"},
		{"forge.change_merge_ratio", "{linear: {min: 0, max: 1}}"}, {"forge.bug_open_days", "{inv-log: {threshold: 180}}"},
		{"forge.issues_closed_180d", "{log: {threshold: 200}}"}, {"forge.changes_opened_180d", "{log: {threshold: 200}}"}}},
	{"SEC", "Security practices", "安全实践", [PerDim][2]string{
		{"scorecard.Code-Review", "{linear: {min: 0, max: 10}}"}, {"scorecard.Branch-Protection", "{linear: {min: 0, max: 10}}"},
		{"scorecard.Pinned-Dependencies", "{linear: {min: 0, max: 10}}"}, {"scorecard.Token-Permissions", "{linear: {min: 0, max: 10}}"},
		{"scorecard.Dangerous-Workflow", "{linear: {min: 0, max: 10}}"}, {"scorecard.SAST", "{linear: {min: 0, max: 10}}"},
		{"scorecard.Signed-Releases", "{linear: {min: 0, max: 10}}"}, {"forge.security_policy", "{bool: true}"}}},
	{"VUL", "Vulnerabilities and licence", "漏洞与许可证", [PerDim][2]string{
		{"osv.kev_unpatched", "{bands: [{min: 0, score: 1}, {min: 1, score: 0}]}"}, {"osv.vulns_critical", "{inv-log: {threshold: 5}}"},
		{"osv.vulns_high", "{inv-log: {threshold: 10}}"}, {"osv.fix_days_median", "{inv-log: {threshold: 90}}"},
		{"license.found", "{bool: true}"}, {"license.relicensed_12m", "{bands: [{min: 0, score: 1}, {min: 1, score: 0}]}"},
		{"scorecard.Vulnerabilities", "{linear: {min: 0, max: 10}}"}, {"osv.days_exposed_max", "{inv-log: {threshold: 365}}"}}},
}

// ProjectModelYAML is a project-health model of Dims × PerDim indicators
// using every normalisation, with gates, grade labels and profiles.
func ProjectModelYAML(version string) string {
	var y strings.Builder
	fmt.Fprintf(&y, "id: project-health\nversion: %s\nkind: index\nsubject: project\n", version)
	y.WriteString("name: {en: Project Health Index, zh: 开源项目健康指数}\nmin_coverage: 0.6\n")
	y.WriteString("grades:\n  - {id: A, min: 80, label: {en: \"A (healthy)\", zh: \"A（健康）\"}}\n  - {id: B, min: 65, label: {en: \"B (acceptable)\", zh: \"B（可接受）\"}}\n" +
		"  - {id: C, min: 50, label: {en: \"C (watch)\", zh: \"C（需关注）\"}}\n  - {id: D, min: 0, label: {en: \"D (high risk)\", zh: \"D（高风险）\"}}\n")
	y.WriteString("profiles:\n  simple: {name: {en: Simple use, zh: 简单使用类}, dimensions: {}}\n  deep: {name: {en: Deep use, zh: 深度使用类}, dimensions: {ACT: 10, SEC: 30}}\n  custom: {name: {en: Custom development, zh: 定制开发类}, dimensions: {ACT: 10, SEC: 30}}\n")
	y.WriteString("gates:\n")
	y.WriteString("  - {id: G-UNMAINTAINED, name: {en: \"Unmaintained: no commit for 12 months\", zh: 无人维护}, metrics: [gitlocal.months_since_last_commit, forge.months_since_last_push], combine: any, op: ge, value: 12, cap: D, clause: \"JR/T 0291-2024 §8\"}\n")
	y.WriteString("  - {id: G-KEV, name: {en: Known-exploited vulnerability unpatched, zh: 存在未修复的已知被利用漏洞}, metric: osv.kev_unpatched, op: ge, value: 1, cap: D, clause: \"CISA KEV\"}\n")
	y.WriteString("dimensions:\n")
	for d, dim := range dims[:Dims] {
		fmt.Fprintf(&y, "  - id: %s\n    name: {en: \"%s\", zh: %s}\n    weight: 20\n    clause: \"GB/T 42927-2023 §%d\"\n    indicators:\n", dim.id, dim.en, dim.zh, d+5)
		for i, in := range dim.ind {
			fmt.Fprintf(&y, "      - {id: %s-%d, name: {en: \"%s\", zh: \"%s（%s）\"}, metrics: [%s], normalize: %s, weight: %d, clause: \"CHAOSS metric %d.%d; OpenSSF Scorecard\"}\n",
				dim.id, i+1, in[0], dim.zh, in[0], in[0], in[1], 1+i%4, d, i)
		}
	}
	return y.String()
}

// Facts are observations of every indicator of m for one subject: about
// one in twelve missing, values fitting each normalisation. weak subjects
// fire the gates.
func Facts(m *models.Model, subject string, at time.Time, rng *rand.Rand, weak bool) map[string]models.Observation {
	out := map[string]models.Observation{}
	add := func(metric string, v float64) {
		src, _, _ := strings.Cut(metric, ".")
		out[metric] = models.Observation{SubjectID: subject, Metric: metric, Value: models.Num(v), Unit: "count", Source: src, ObservedAt: at,
			Evidence: fmt.Sprintf("https://github.com/%s/blob/main/%s#L%d", strings.TrimPrefix(subject, "github.com/"), metric, rng.IntN(400))}
	}
	for _, d := range m.Dimensions {
		for _, in := range d.Indicators {
			if len(in.Metrics) == 0 || rng.IntN(12) == 0 {
				continue // missing: inconclusive
			}
			n := in.Normalize
			var v float64
			switch {
			case n.Log != nil:
				v = float64(rng.IntN(int(3*max(n.Log.Threshold, 10)) + 1))
			case n.InvLog != nil:
				v = float64(rng.IntN(int(2*max(n.InvLog.Threshold, 10)) + 1))
			case n.Linear != nil:
				v = n.Linear.Min + rng.Float64()*(n.Linear.Max-n.Linear.Min)
			case n.Bool:
				v = float64(rng.IntN(2))
			case n.Evidence:
				v = float64(rng.IntN(5))
			default:
				v = float64(rng.IntN(3))
			}
			add(in.Metrics[0], v)
		}
	}
	for _, g := range m.Gates { // a strong subject passes its gates
		ms := append([]string{g.Metric}, g.Metrics...)
		for _, metric := range ms {
			if o, ok := out[metric]; ok && !weak && g.Equals == "" && (g.Op == "ge" || g.Op == "gt") && *o.Value >= g.Value {
				o.Value = models.Num(float64(rng.IntN(max(1, int(g.Value)))))
				out[metric] = o
			}
		}
	}
	if weak {
		for _, g := range m.Gates {
			ms := g.Metrics
			if g.Metric != "" {
				ms = []string{g.Metric}
			}
			if len(ms) > 0 && g.Equals == "" && (g.Op == "ge" || g.Op == "eq" || g.Op == "gt") {
				add(ms[0], g.Value+1)
				if g.Op == "eq" {
					add(ms[0], g.Value)
				}
			}
		}
	}
	return out
}
