package server

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/osgauge/osgauge/assess"
	"github.com/osgauge/osgauge/collectors"
	"github.com/osgauge/osgauge/models"
	"github.com/osgauge/osgauge/scheduler"
	"github.com/osgauge/osgauge/store"
)

// subject serves /api/v1/subjects/{id} and its /results, /history and
// /indicators, each read by key.
func (s *Server) subject(w http.ResponseWriter, r *http.Request) {
	rest := r.PathValue("rest")
	id, sub := rest, ""
	for _, suffix := range []string{"/results", "/history", "/indicators"} {
		if x, ok := strings.CutSuffix(rest, suffix); ok {
			id, sub = x, suffix[1:]
			break
		}
	}
	if id == "" {
		writeError(w, http.StatusNotFound, "no subject id: use /api/v1/subjects/{id}, the id URL-escaped (github.com%2Fo%2Fr)")
		return
	}
	q := r.URL.Query()
	allowed := map[string][]string{"": nil, "results": {"period", "model"}, "history": {"model"}, "indicators": {"period", "model"}}[sub]
	if err := checkParams(q, allowed...); err != nil {
		badParam(w, err)
		return
	}
	subj, ok, err := s.opt.Store.Subject(r.Context(), id)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	if !ok {
		writeError(w, http.StatusNotFound, "no subject "+strconv.Quote(id))
		return
	}
	model := q.Get("model")
	switch sub {
	case "":
		writeRead(w, r, subj, nil)
		return
	case "history":
		points, err := s.opt.Store.SubjectHistory(r.Context(), id)
		if err != nil {
			s.serverError(w, r, err)
			return
		}
		// Oldest period first by the period's start (2026-11 after 2026Q3
		// and before 2026Q1's successor), then by model.
		starts := map[string]time.Time{}
		for _, p := range points {
			if pp, err := assess.ParsePeriod(p.Period); err == nil {
				starts[p.Period] = pp.Start
			}
		}
		slices.SortStableFunc(points, func(a, b store.HistoryPoint) int {
			if c := starts[a.Period].Compare(starts[b.Period]); c != 0 {
				return c
			}
			if c := strings.Compare(a.Period, b.Period); c != 0 {
				return c
			}
			return strings.Compare(a.Model, b.Model)
		})
		out := []historyJSON{}
		for _, p := range points {
			if model == "" || p.Model == model {
				out = append(out, historyJSON{Period: p.Period, RunID: p.RunID, Model: p.Model, ModelVersion: p.ModelVersion, Score: p.Score,
					Grade: p.Grade, GradeRange: p.GradeRange, GradeEstimate: p.GradeEstimate, Level: p.Level, Coverage: p.Coverage, Status: p.Status})
			}
		}
		writeRead(w, r, map[string]any{"subject": subj, "history": out}, nil)
		return
	}
	period, err := s.period(r.Context(), q)
	if err != nil {
		badParam(w, err)
		return
	}
	runID, ok, err := s.opt.Store.AssessRun(r.Context(), period.Name)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	if !ok {
		writeError(w, http.StatusNotFound, "no assessment for period "+period.Name)
		return
	}
	// A finished run's results never change: its answers are kept, keyed
	// by the subject as it now stands too (its attributes are part of the
	// answer and may change without a run).
	sb, _ := json.Marshal(subj)
	ckey := fmt.Sprintf("subject|%d|%s|%s|%s|%s", runID, sub, id, model, etagOf(sb))
	if ans, ok := s.cachedAnswer(ckey); ok {
		writeRead(w, r, ans, nil)
		return
	}
	res, err := s.opt.Store.SubjectResults(r.Context(), runID, id)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	out := []models.Result{}
	for _, x := range res {
		if model == "" || x.Model == model {
			x.AssessedAt = utc(x.AssessedAt)
			out = append(out, x)
		}
	}
	if sub == "results" {
		writeRead(w, r, s.keepAnswer(ckey, map[string]any{"subject": subj, "period": period.Name, "results": out}), nil)
		return
	}
	inds := []indicatorJSON{}
	for _, x := range out {
		for _, in := range x.Indicators {
			ij := indicatorJSON{Model: x.Model, IndicatorResult: in}
			if in.ObservedAt != nil {
				t := in.ObservedAt.UTC()
				ij.ObservedAt = &t
			}
			inds = append(inds, ij)
		}
	}
	writeRead(w, r, s.keepAnswer(ckey, map[string]any{"subject": subj, "period": period.Name, "indicators": inds}), nil)
}

// historyJSON is one period's result of a subject.
type historyJSON struct {
	Period        string   `json:"period"`
	RunID         int64    `json:"run_id"`
	Model         string   `json:"model"`
	ModelVersion  string   `json:"model_version"`
	Score         *float64 `json:"score"`
	Grade         string   `json:"grade,omitempty"`
	GradeRange    []string `json:"grade_range,omitempty"`
	GradeEstimate string   `json:"grade_estimate,omitempty"`
	Level         int      `json:"level,omitempty"`
	Coverage      float64  `json:"coverage"`
	Status        string   `json:"status"`
}

// indicatorJSON is one indicator of a subject's result, with its model.
type indicatorJSON struct {
	Model string `json:"model"`
	models.IndicatorResult
}

// runJSON is a stored run for the API; stats are the run's own summary.
type runJSON struct {
	ID         int64           `json:"id"`
	Kind       string          `json:"kind"`
	Period     string          `json:"period,omitempty"`
	Status     string          `json:"status"`
	StartedAt  time.Time       `json:"started_at"`
	FinishedAt time.Time       `json:"finished_at,omitzero"`
	Seconds    float64         `json:"seconds,omitempty"`
	Note       string          `json:"note,omitempty"`
	Stats      json.RawMessage `json:"stats,omitempty"`
}

func toRunJSON(r store.Run) runJSON {
	out := runJSON{ID: r.ID, Kind: r.Kind, Period: r.Period, Status: r.Status, StartedAt: utc(r.StartedAt), FinishedAt: utc(r.FinishedAt), Note: r.Note}
	if !r.FinishedAt.IsZero() {
		out.Seconds = r.FinishedAt.Sub(r.StartedAt).Seconds()
	}
	if r.Stats != "" && r.Stats != "null" && json.Valid([]byte(r.Stats)) {
		out.Stats = json.RawMessage(r.Stats)
	}
	return out
}

func (s *Server) runs(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	if err := checkParams(q, "kind", "status", "limit", "cursor"); err != nil {
		badParam(w, err)
		return
	}
	p, err := routePage(q, "runs", 1)
	if err != nil {
		badParam(w, err)
		return
	}
	var before int64
	if p.after != nil {
		if before, err = strconv.ParseInt(p.after[0], 10, 64); err != nil {
			badParam(w, &paramError{"cursor", "not a cursor of this list"})
			return
		}
	}
	status, err := oneOf(q, "status", store.RunRunning, store.RunComplete, store.RunPartial, store.RunFailed, store.RunInterrupted)
	if err != nil {
		badParam(w, err)
		return
	}
	runs, total, err := s.opt.Store.RunPage(r.Context(), store.RunFilter{Kind: q.Get("kind"), Status: status}, before, p.limit+1)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	next := ""
	if len(runs) > p.limit {
		runs = runs[:p.limit]
		next = p.cursor(0, strconv.FormatInt(runs[len(runs)-1].ID, 10))
	}
	out := []runJSON{}
	for _, run := range runs {
		out = append(out, toRunJSON(run))
	}
	writeRead(w, r, struct {
		listMeta
		Runs []runJSON `json:"runs"`
	}{listMeta{Count: len(out), Total: total, Limit: p.limit, NextCursor: next}, out}, nil)
}

// resultJSON is a result in GET /api/v1/results: its columns, without
// the detail (GET /api/v1/subjects/{id}/results has it).
type resultJSON struct {
	Subject       string   `json:"subject"`
	Model         string   `json:"model"`
	ModelVersion  string   `json:"model_version"`
	Score         *float64 `json:"score"`
	Grade         string   `json:"grade,omitempty"`
	GradeRange    []string `json:"grade_range,omitempty"`
	GradeEstimate string   `json:"grade_estimate,omitempty"`
	Level         int      `json:"level,omitempty"`
	Coverage      float64  `json:"coverage"`
	Status        string   `json:"status"`
}

// results serves GET /api/v1/results: one period's results (its latest
// assessment), by subject and model, paged by key.
func (s *Server) results(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	if err := checkParams(q, "period", "model", "grade", "status", "limit", "cursor"); err != nil {
		badParam(w, err)
		return
	}
	p, err := routePage(q, "results", 2)
	if err != nil {
		badParam(w, err)
		return
	}
	period, err := s.period(r.Context(), q)
	if err != nil {
		badParam(w, err)
		return
	}
	status, err := oneOf(q, "status", models.StatusOK, models.StatusInconclusive)
	if err != nil {
		badParam(w, err)
		return
	}
	runID, ok, err := s.opt.Store.AssessRun(r.Context(), period.Name)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	if !ok {
		writeError(w, http.StatusNotFound, "no assessment for period "+period.Name)
		return
	}
	// A cursor pins the run of its first page: the pages of a list go on
	// in that run's results (which never change) even when a new
	// assessment of the period finished meanwhile.
	if p.after != nil && p.run != runID {
		cp, ok, err := s.opt.Store.AssessRunPeriod(r.Context(), p.run)
		if err != nil {
			s.serverError(w, r, err)
			return
		}
		if !ok || cp != period.Name {
			badParam(w, &paramError{"cursor", fmt.Sprintf("the cursor pages run %d, not an assessment of %s: start again without cursor", p.run, period.Name)})
			return
		}
		runID = p.run
	}
	ckey := fmt.Sprintf("results|%d|%s", runID, q.Encode())
	if ans, ok := s.cachedAnswer(ckey); ok {
		writeRead(w, r, ans, nil)
		return
	}
	f := store.ResultFilter{Model: q.Get("model"), Grade: q.Get("grade"), Status: status}
	after := []string{"", ""}
	if p.after != nil {
		after = p.after
	}
	rs, err := s.opt.Store.ResultPage(r.Context(), runID, f, after[0], after[1], p.limit+1)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	total, err := s.resultTotal(r.Context(), runID, f)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	next := ""
	if len(rs) > p.limit {
		rs = rs[:p.limit]
		next = p.cursor(runID, rs[len(rs)-1].SubjectID, rs[len(rs)-1].Model)
	}
	out := []resultJSON{}
	for _, x := range rs {
		out = append(out, resultJSON{Subject: x.SubjectID, Model: x.Model, ModelVersion: x.ModelVersion, Score: x.Score, Grade: x.Grade,
			GradeRange: x.GradeRange, GradeEstimate: x.GradeEstimate, Level: x.Level, Coverage: x.Coverage, Status: x.Status})
	}
	writeRead(w, r, s.keepAnswer(ckey, struct {
		listMeta
		Period  string       `json:"period"`
		RunID   int64        `json:"run_id"`
		Results []resultJSON `json:"results"`
	}{listMeta{Count: len(out), Total: total, Limit: p.limit, NextCursor: next}, period.Name, runID, out}), nil)
}

// cachedAnswer and keepAnswer hold encoded answers that do not change
// (about finished assessment runs, or a view), keyed by what they depend
// on and the query, in the answer cache (bounded by bytes, least
// recently used out first).
func (s *Server) cachedAnswer(key string) (encodedAnswer, bool) {
	a, ok := s.views.answers.get(key)
	if !ok {
		return encodedAnswer{}, false
	}
	e, ok := a.(encodedAnswer)
	return e, ok
}

func (s *Server) keepAnswer(key string, v any) encodedAnswer {
	a := encoded(v)
	if a.err != nil {
		return a
	}
	s.views.answers.put(key, a, int64(len(a.body)+len(a.etag)))
	return a
}

// resultTotal counts a finished run's results (which never change) once
// per filter.
func (s *Server) resultTotal(ctx context.Context, runID int64, f store.ResultFilter) (int, error) {
	k := fmt.Sprintf("total|%d|%q|%q|%q", runID, f.Model, f.Grade, f.Status)
	if n, ok := s.views.answers.get(k); ok {
		return n.(int), nil
	}
	c, err := s.opt.Store.ResultCount(ctx, runID, f)
	if err != nil {
		return 0, err
	}
	s.views.answers.put(k, c, 8)
	return c, nil
}

// notLeaderRetry is the Retry-After (seconds) of a follower's 503 to
// POST /api/v1/runs: about the time a leader handover takes.
const notLeaderRetry = 5

// jobKinds are the jobs POST /api/v1/runs can start.
var jobKinds = []string{"collect", "scorecard", "report"}

func (s *Server) startRun(w http.ResponseWriter, r *http.Request) {
	var req struct {
		Kind string `json:"kind"`
	}
	body, err := io.ReadAll(r.Body)
	var tooBig *http.MaxBytesError
	switch {
	case errors.As(err, &tooBig):
		writeError(w, http.StatusRequestEntityTooLarge, "request body over "+strconv.FormatInt(tooBig.Limit, 10)+" bytes")
		return
	case err != nil:
		writeError(w, http.StatusBadRequest, "reading the body: "+err.Error())
		return
	}
	if len(strings.TrimSpace(string(body))) > 0 {
		dec := json.NewDecoder(strings.NewReader(string(body)))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&req); err != nil {
			writeError(w, http.StatusBadRequest, `body must be {"kind": "collect"|"scorecard"|"report"}: `+err.Error())
			return
		}
	}
	if k := r.URL.Query().Get("kind"); k != "" && req.Kind == "" {
		req.Kind = k
	}
	if req.Kind == "" {
		req.Kind = "collect"
	}
	if !slices.Contains(jobKinds, req.Kind) {
		writeError(w, http.StatusBadRequest, "kind must be one of "+strings.Join(jobKinds, ", ")+", got "+strconv.Quote(req.Kind))
		return
	}
	if s.opt.Jobs == nil || !s.opt.Jobs.Has(req.Kind) {
		writeError(w, http.StatusServiceUnavailable, "no "+req.Kind+" job in this server")
		return
	}
	_, err = s.opt.Jobs.Trigger(req.Kind)
	switch {
	case errors.Is(err, scheduler.ErrRunning):
		writeError(w, http.StatusConflict, req.Kind+" is already running: see /api/v1/status")
		return
	case errors.Is(err, scheduler.ErrStopped):
		writeError(w, http.StatusServiceUnavailable, "shutting down")
		return
	case errors.Is(err, scheduler.ErrNotLeader):
		// A follower behind a load balancer: the client retries (and may
		// reach the leader) or goes to the node named.
		var nl *scheduler.NotLeaderError
		leader := ""
		if errors.As(err, &nl) {
			leader = nl.Leader
		}
		w.Header().Set("Retry-After", strconv.Itoa(notLeaderRetry))
		writeProblem(w, problem{Status: http.StatusServiceUnavailable, Detail: err.Error(), Leader: &leader, RetryAfter: notLeaderRetry})
		return
	case err != nil:
		s.serverError(w, r, err)
		return
	}
	w.Header().Set("Location", "/api/v1/status")
	writeJSON(w, http.StatusAccepted, map[string]string{"kind": req.Kind, "job": req.Kind, "status": "started", "status_url": "/api/v1/status"})
}

// sourceJSON is a source's freshness in the status.
type sourceJSON struct {
	Source string `json:"source"`
	// Newest is when the source's newest usable observation was made.
	Newest     time.Time `json:"newest_observation,omitzero"`
	AgeSeconds float64   `json:"age_seconds,omitempty"`
	Job        string    `json:"job"`
	Schedule   string    `json:"schedule,omitempty"`
	Stale      bool      `json:"stale"`
	Reason     string    `json:"reason,omitempty"`
}

type rateJSON struct {
	Remaining int       `json:"remaining"`
	RunID     int64     `json:"run_id"`
	At        time.Time `json:"at,omitzero"`
}

func (s *Server) status(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	now := s.opt.Now()
	var jobs []scheduler.Status
	if s.opt.Jobs != nil {
		jobs = s.opt.Jobs.Status()
	} else {
		stored, err := s.opt.Store.Jobs(ctx)
		if err != nil {
			s.serverError(w, r, err)
			return
		}
		for _, j := range stored {
			jobs = append(jobs, scheduler.Status{Name: j.Name, Spec: j.Spec, LastStart: j.LastStart, LastEnd: j.LastEnd, LastOutcome: j.LastOutcome,
				LastError: j.LastError, LastRunID: j.LastRunID, NextRun: j.NextRun, Runs: j.Runs, Failures: j.Failures, Skipped: j.Skipped})
		}
	}
	if jobs == nil {
		jobs = []scheduler.Status{}
	}
	specs := map[string]string{}
	for _, j := range jobs {
		specs[j.Name] = j.Spec
	}

	// Rate limit remaining, from the last collection that recorded one.
	rate := map[string]rateJSON{}
	if run, ok, err := s.opt.Store.LatestRun(ctx, "collect", store.RunComplete, store.RunPartial, store.RunInterrupted); err != nil {
		s.serverError(w, r, err)
		return
	} else if ok {
		var stats struct {
			Cost map[string]collectors.Cost `json:"cost"`
		}
		if json.Unmarshal([]byte(run.Stats), &stats) == nil {
			for src, c := range stats.Cost {
				if c.RateRemaining >= 0 {
					rate[src] = rateJSON{Remaining: c.RateRemaining, RunID: run.ID, At: utc(run.FinishedAt)}
				}
			}
		}
	}

	fresh, err := s.opt.Store.FreshnessSummary(ctx)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	names := slices.Clone(s.opt.Sources)
	for src := range fresh {
		if !slices.Contains(names, src) {
			names = append(names, src)
		}
	}
	slices.Sort(names)
	sources := []sourceJSON{}
	for _, src := range names {
		sj := sourceJSON{Source: src, Job: "collect"}
		if j := s.opt.SourceJobs[src]; j != "" {
			sj.Job = j
		}
		sj.Schedule = specs[sj.Job]
		newest, seen := fresh[src]
		if seen {
			sj.Newest = newest.UTC()
			sj.AgeSeconds = now.Sub(newest).Seconds()
		}
		var period time.Duration
		if s.opt.Jobs != nil {
			period = s.opt.Jobs.Period(sj.Job)
		}
		switch {
		case period == 0:
			sj.Reason = "no schedule for job " + sj.Job + ": not judged"
		case !seen:
			sj.Stale, sj.Reason = true, "no observation yet"
		case now.Sub(newest) > 2*period:
			// One missed fire is tolerated; two are not.
			sj.Stale = true
			sj.Reason = "newest observation is older than two periods of schedule." + sj.Job + " (" + period.String() + ")"
		}
		sources = append(sources, sj)
	}
	// leader: whether this node fires the schedule (several serve nodes
	// on one PostgreSQL store elect one); a lone scheduler always does.
	leader := s.opt.Jobs != nil
	if l, ok := s.opt.Jobs.(interface{ Leading() bool }); ok {
		leader = l.Leading()
	}
	for i := range jobs {
		j := &jobs[i]
		j.LastStart, j.LastEnd, j.NextRun = utc(j.LastStart), utc(j.LastEnd), utc(j.NextRun)
	}
	// The ETag leaves out what changes with the clock alone (now, ages),
	// so that a poller gets 304 until something happens.
	stable := make([]sourceJSON, len(sources))
	for i, sj := range sources {
		sj.AgeSeconds = 0
		stable[i] = sj
	}
	writeRead(w, r, map[string]any{
		"now":        now.UTC(),
		"leader":     leader,
		"jobs":       jobs,
		"rate_limit": rate,
		"sources":    sources,
	}, []any{leader, jobs, rate, stable})
}
