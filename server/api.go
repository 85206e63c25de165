package server

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/osgauge/osgauge/assess"
	"github.com/osgauge/osgauge/collectors"
	"github.com/osgauge/osgauge/models"
	"github.com/osgauge/osgauge/scheduler"
	"github.com/osgauge/osgauge/store"
)

// subjectCache keeps the subject list, and its encodings, for a moment:
// subjects change only when a collection registers its targets, and a
// dashboard polled by many readers must not queue them all on the
// store's one connection behind a collection's writes.
type subjectCache struct {
	mu   sync.Mutex
	ttl  time.Duration
	at   time.Time
	subs []models.Subject
	enc  map[string][]byte // by ?kind=
}

// get returns the subjects, from the store when the copy is older than
// the TTL. Concurrent callers wait for one query.
func (c *subjectCache) get(ctx context.Context, st *store.Store, now time.Time) ([]models.Subject, map[string][]byte, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.subs != nil && now.Sub(c.at) < c.ttl {
		return c.subs, c.enc, nil
	}
	subs, err := st.Subjects(ctx)
	if err != nil {
		return nil, nil, err
	}
	if subs == nil {
		subs = []models.Subject{}
	}
	c.subs, c.at, c.enc = subs, now, map[string][]byte{}
	return c.subs, c.enc, nil
}

func (s *Server) subjects(w http.ResponseWriter, r *http.Request) {
	subs, enc, err := s.subjectCache.get(r.Context(), s.opt.Store, time.Now())
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	kind := r.URL.Query().Get("kind")
	s.subjectCache.mu.Lock()
	body, ok := enc[kind]
	s.subjectCache.mu.Unlock()
	if !ok {
		if kind != "" {
			subs = slices.DeleteFunc(slices.Clone(subs), func(x models.Subject) bool { return string(x.Kind) != kind })
		}
		body, err = json.MarshalIndent(map[string]any{"count": len(subs), "subjects": subs}, "", "  ")
		if err != nil {
			s.serverError(w, r, err)
			return
		}
		body = append(body, '\n')
		s.subjectCache.mu.Lock()
		enc[kind] = body
		s.subjectCache.mu.Unlock()
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.Write(body)
}

// subject serves /api/v1/subjects/{id} and /api/v1/subjects/{id}/results.
func (s *Server) subject(w http.ResponseWriter, r *http.Request) {
	rest := r.PathValue("rest")
	id, results := strings.CutSuffix(rest, "/results")
	if id == "" {
		writeError(w, http.StatusNotFound, "no subject id: use /api/v1/subjects/{id}, the id URL-escaped (github.com%2Fo%2Fr)")
		return
	}
	subs, _, err := s.subjectCache.get(r.Context(), s.opt.Store, time.Now())
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	i := slices.IndexFunc(subs, func(x models.Subject) bool { return x.ID == id })
	if i < 0 {
		writeError(w, http.StatusNotFound, "no subject "+strconv.Quote(id))
		return
	}
	if !results {
		writeJSON(w, http.StatusOK, subs[i])
		return
	}
	period := assess.CurrentQuarter(s.opt.Now())
	if p := r.URL.Query().Get("period"); p != "" {
		period, err = assess.ParsePeriod(p)
		if err != nil {
			writeError(w, http.StatusBadRequest, "period: "+err.Error())
			return
		}
	}
	all, err := s.opt.Store.Results(r.Context(), period.Name)
	if errors.Is(err, store.ErrNoResults) {
		writeError(w, http.StatusNotFound, "no assessment for period "+period.Name)
		return
	}
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	out := []models.Result{}
	for _, res := range all {
		if res.SubjectID == id {
			out = append(out, res)
		}
	}
	writeJSON(w, http.StatusOK, map[string]any{"subject": subs[i], "period": period.Name, "results": out})
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
	out := runJSON{ID: r.ID, Kind: r.Kind, Period: r.Period, Status: r.Status, StartedAt: r.StartedAt, FinishedAt: r.FinishedAt, Note: r.Note}
	if !r.FinishedAt.IsZero() {
		out.Seconds = r.FinishedAt.Sub(r.StartedAt).Seconds()
	}
	if r.Stats != "" && r.Stats != "null" && json.Valid([]byte(r.Stats)) {
		out.Stats = json.RawMessage(r.Stats)
	}
	return out
}

func (s *Server) runs(w http.ResponseWriter, r *http.Request) {
	limit := 50
	if l := r.URL.Query().Get("limit"); l != "" {
		n, err := strconv.Atoi(l)
		if err != nil || n < 1 || n > 1000 {
			writeError(w, http.StatusBadRequest, "limit must be within 1..1000")
			return
		}
		limit = n
	}
	kind := r.URL.Query().Get("kind")
	fetch := limit
	if kind != "" {
		fetch = 1000 // filter after reading; runs are few
	}
	runs, err := s.opt.Store.Runs(r.Context(), fetch)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	out := []runJSON{}
	for _, run := range runs {
		if (kind == "" || run.Kind == kind) && len(out) < limit {
			out = append(out, toRunJSON(run))
		}
	}
	writeJSON(w, http.StatusOK, map[string]any{"runs": out})
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
		writeJSON(w, http.StatusServiceUnavailable, map[string]any{"error": err.Error(), "status": http.StatusServiceUnavailable,
			"leader": leader, "retry_after_seconds": notLeaderRetry})
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
					rate[src] = rateJSON{Remaining: c.RateRemaining, RunID: run.ID, At: run.FinishedAt}
				}
			}
		}
	}

	fresh, err := s.opt.Store.SourceFreshness(ctx)
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
			sj.Newest = newest
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
	writeJSON(w, http.StatusOK, map[string]any{
		"now":        now,
		"leader":     leader,
		"jobs":       jobs,
		"rate_limit": rate,
		"sources":    sources,
	})
}
