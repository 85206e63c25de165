package server

import (
	"context"
	"net/http"
	neturl "net/url"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/osgauge/osgauge/assess"
	"github.com/osgauge/osgauge/models"
	"github.com/osgauge/osgauge/store"
)

// The subject list is served from a view: the subjects, their results in
// one period's latest assessment (columns and fired gates, no detail),
// the systems that run each project and the suppliers that support it.
// A view is built once per period and store change (store.ChangeToken:
// a run started or ended, a subject added), asked at most once per
// SubjectsTTL; requests meanwhile read the view they have, so that a
// poller never waits behind a rebuild it did not need. At most maxViews
// views are kept, least recently used dropped first but never the
// default period's (the one pollers read); at most maxViewBuilds are
// built at once.

const (
	maxViews      = 8
	maxViewBuilds = 2
)

// subjectAssessment is a subject's result in the view's period.
type subjectAssessment struct {
	Model         string   `json:"model"`
	Score         *float64 `json:"score"`
	Grade         string   `json:"grade,omitempty"`
	GradeRange    []string `json:"grade_range,omitempty"`
	GradeEstimate string   `json:"grade_estimate,omitempty"`
	Status        string   `json:"status"`
	// GatesFired are the gates that fired and are not waived.
	GatesFired []string `json:"gates_fired,omitempty"`
}

// subjectItem is a subject in the list: the stored subject (its fields
// as before) with its assessment in the period, the systems running it
// and the suppliers supporting it.
type subjectItem struct {
	models.Subject
	Assessment []subjectAssessment `json:"assessment,omitempty"`
	Systems    []string            `json:"systems,omitempty"`
	Suppliers  []string            `json:"suppliers,omitempty"`
	// lname and lid: name and id in lower case, for ?q=.
	lname, lid string
}

type subjectView struct {
	token, period string
	used          time.Time     // last asked, for the LRU
	items         []subjectItem // by kind, id
	byID          map[string]int
	supplierNames map[string]string // supplier id → name
}

// subjectViews holds the views, the API's answer cache and the store's
// state (change token, default period) asked at most once per ttl.
type subjectViews struct {
	mu       sync.Mutex
	ttl      time.Duration
	views    map[string]*subjectView // by period
	building map[string]chan struct{}
	sem      chan struct{} // bounds concurrent view builds

	// answers are encoded answers (and counts), bounded by bytes.
	answers byteLRU

	stateMu sync.Mutex
	stateAt time.Time
	token   string
	latest  string // the latest assessed period ("" when none)

	gradesMu sync.Mutex
	grades   map[string][]string // model id → grade ids, best first
}

// state returns the store's change token and the latest assessed period,
// asked at most once per ttl.
func (c *subjectViews) state(ctx context.Context, st *store.Store, now time.Time) (token, latest string, err error) {
	c.stateMu.Lock()
	defer c.stateMu.Unlock()
	if c.token != "" && c.ttl > 0 && now.Sub(c.stateAt) < c.ttl && !now.Before(c.stateAt) {
		return c.token, c.latest, nil
	}
	tok, err := st.ChangeToken(ctx)
	if err != nil {
		return "", "", err
	}
	if tok != c.token {
		ps, err := st.AssessedPeriods(ctx)
		if err != nil {
			return "", "", err
		}
		c.latest = latestPeriod(ps)
	}
	c.token, c.stateAt = tok, now
	return c.token, c.latest, nil
}

// latestPeriod is the period that starts last (of two starting together,
// the one that ends last); unparsable names are left out.
func latestPeriod(names []string) string {
	var best assess.Period
	for _, n := range names {
		p, err := assess.ParsePeriod(n)
		if err != nil {
			continue
		}
		if best.Name == "" || p.Start.After(best.Start) || (p.Start.Equal(best.Start) && p.End.After(best.End)) {
			best = p
		}
	}
	return best.Name
}

// get returns the view of period, building it when there is none or the
// store changed (checked at most once per TTL).
func (c *subjectViews) get(ctx context.Context, st *store.Store, period string, now time.Time) (*subjectView, error) {
	tok, latest, err := c.state(ctx, st, now)
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	v := c.views[period]
	if v != nil && v.token == tok {
		v.used = now
		c.mu.Unlock()
		return v, nil
	}
	if ch := c.building[period]; ch != nil { // another request is building it
		c.mu.Unlock()
		if v != nil {
			return v, nil
		}
		select {
		case <-ch:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
		return c.get(ctx, st, period, now)
	}
	ch := make(chan struct{})
	c.building[period] = ch
	if c.sem == nil {
		c.sem = make(chan struct{}, maxViewBuilds)
	}
	sem := c.sem
	c.mu.Unlock()
	defer func() {
		c.mu.Lock()
		delete(c.building, period)
		c.mu.Unlock()
		close(ch)
	}()
	select {
	case sem <- struct{}{}:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	nv, err := buildSubjectView(ctx, st, period)
	<-sem
	if err != nil {
		return nil, err
	}
	nv.token, nv.used = tok, now
	c.mu.Lock()
	c.views[period] = nv
	for len(c.views) > maxViews {
		// Drop the least recently used view but the default period's.
		var old *subjectView
		for p, x := range c.views {
			if p != latest && p != period && (old == nil || x.used.Before(old.used)) {
				old = x
			}
		}
		if old == nil {
			break
		}
		delete(c.views, old.period)
	}
	c.mu.Unlock()
	return nv, nil
}

func buildSubjectView(ctx context.Context, st *store.Store, period string) (*subjectView, error) {
	subs, err := st.Subjects(ctx)
	if err != nil {
		return nil, err
	}
	v := &subjectView{period: period, byID: make(map[string]int, len(subs)), supplierNames: map[string]string{}}
	v.items = make([]subjectItem, len(subs))
	for i, s := range subs {
		v.items[i] = subjectItem{Subject: s, lname: strings.ToLower(s.Name), lid: strings.ToLower(s.ID)}
	}
	slices.SortFunc(v.items, func(a, b subjectItem) int { return compareKeys(itemKey(a), itemKey(b)) })
	byName := map[string][]int{}
	for i, it := range v.items {
		v.byID[it.ID] = i
		if it.Kind == models.KindProject {
			byName[it.Name] = append(byName[it.Name], i)
		}
	}
	// Suppliers support projects by name (attrs "supports").
	for i, it := range v.items {
		if it.Kind != models.KindSupplier {
			continue
		}
		v.supplierNames[it.ID] = it.Name
		for _, name := range strings.Split(it.Attrs["supports"], ",") {
			for _, j := range byName[strings.TrimSpace(name)] {
				v.items[j].Suppliers = append(v.items[j].Suppliers, it.ID)
			}
		}
		_ = i
	}
	if runID, ok, err := st.AssessRun(ctx, period); err != nil {
		return nil, err
	} else if ok {
		rs, err := st.ResultSummariesWithGates(ctx, runID)
		if err != nil {
			return nil, err
		}
		for _, r := range rs {
			i, ok := v.byID[r.SubjectID]
			if !ok {
				continue
			}
			a := subjectAssessment{Model: r.Model, Score: r.Score, Grade: r.Grade, GradeRange: r.GradeRange, GradeEstimate: r.GradeEstimate, Status: r.Status}
			for _, g := range r.Gates {
				if g.Waived == "" {
					a.GatesFired = append(a.GatesFired, g.ID)
				}
			}
			v.items[i].Assessment = append(v.items[i].Assessment, a)
		}
	}
	rows, err := st.CurrentInventory(ctx)
	if err != nil {
		return nil, err
	}
	for _, r := range rows {
		if i, ok := v.byID[r.ProjectID]; ok && r.ProjectID != "" && !slices.Contains(v.items[i].Systems, r.System) {
			v.items[i].Systems = append(v.items[i].Systems, r.System)
		}
	}
	for i := range v.items {
		slices.Sort(v.items[i].Systems)
		slices.Sort(v.items[i].Suppliers)
	}
	return v, nil
}

func itemKey(it subjectItem) []string { return []string{string(it.Kind), it.ID} }

// subjectFilter is the subject list's filters.
type subjectFilter struct {
	kind, q, model, gate, status, system, supplier string
	gradeLo, gradeHi                               string // one grade: lo = hi
}

var subjectParams = []string{"kind", "q", "grade", "gate", "status", "model", "system", "supplier", "period", "limit", "cursor"}

func parseSubjectFilter(q neturl.Values) (subjectFilter, error) {
	var f subjectFilter
	if err := checkParams(q, subjectParams...); err != nil {
		return f, err
	}
	var err error
	if f.kind, err = oneOf(q, "kind", string(models.KindProject), string(models.KindSupplier), string(models.KindInstitution)); err != nil {
		return f, err
	}
	if f.status, err = oneOf(q, "status", models.StatusOK, models.StatusInconclusive); err != nil {
		return f, err
	}
	f.q = strings.ToLower(strings.TrimSpace(q.Get("q")))
	f.model, f.gate, f.system, f.supplier = q.Get("model"), q.Get("gate"), q.Get("system"), q.Get("supplier")
	if g := q.Get("grade"); g != "" {
		lo, hi, isRange := strings.Cut(g, "..")
		if !isRange {
			hi = lo
		}
		if lo == "" || hi == "" || strings.Contains(hi, "..") {
			return f, &paramError{"grade", "a grade (B) or a range best..worst (A..C), got " + `"` + g + `"`}
		}
		f.gradeLo, f.gradeHi = lo, hi
	}
	return f, nil
}

// match: every filter given holds. The result filters (grade, gate,
// status) hold when one result of the period (of ?model= when given)
// satisfies all of them.
func (f subjectFilter) match(v *subjectView, it *subjectItem, grades func(model string) []string) bool {
	if f.kind != "" && string(it.Kind) != f.kind {
		return false
	}
	if f.q != "" && !strings.Contains(it.lname, f.q) && !strings.Contains(it.lid, f.q) {
		return false
	}
	if f.system != "" && !slices.Contains(it.Systems, f.system) {
		return false
	}
	if f.supplier != "" {
		ok := false
		for _, sid := range append(slices.Clone(it.Suppliers), supplierSelf(it)...) {
			if sid == f.supplier || strings.EqualFold(v.supplierNames[sid], f.supplier) {
				ok = true
			}
		}
		if !ok {
			return false
		}
	}
	if f.model == "" && f.gradeLo == "" && f.gate == "" && f.status == "" {
		return true
	}
	for _, a := range it.Assessment {
		if f.model != "" && a.Model != f.model {
			continue
		}
		if f.status != "" && a.Status != f.status {
			continue
		}
		if f.gate != "" && !(f.gate == "any" && len(a.GatesFired) > 0) && !slices.Contains(a.GatesFired, f.gate) {
			continue
		}
		if f.gradeLo != "" && !gradeWithin(a, f.gradeLo, f.gradeHi, grades(a.Model)) {
			continue
		}
		return true
	}
	return false
}

func supplierSelf(it *subjectItem) []string {
	if it.Kind == models.KindSupplier {
		return []string{it.ID}
	}
	return nil
}

// gradeWithin: a decided grade within lo..hi, or a result between grades
// whose whole range lies within lo..hi, in the order of order (the
// result's model's grades, best first: strategic, preferred, conditional,
// not-approved). lo and hi may come in either order. A range naming a
// grade the model does not have selects none of its results; without the model's grades (a model
// this server does not know) grade ids compare alphabetically.
func gradeWithin(a subjectAssessment, lo, hi string, order []string) bool {
	var in func(g string) bool
	if lo == hi { // one grade: that grade, whatever the model
		in = func(g string) bool { return g == lo }
	} else if order == nil {
		l, h := min(lo, hi), max(lo, hi)
		in = func(g string) bool { return g >= l && g <= h }
	} else {
		ilo, ihi := slices.Index(order, lo), slices.Index(order, hi)
		if ilo < 0 || ihi < 0 {
			return false
		}
		l, h := min(ilo, ihi), max(ilo, ihi)
		in = func(g string) bool { i := slices.Index(order, g); return i >= l && i <= h }
	}
	if a.Grade != "" {
		return in(a.Grade)
	}
	if len(a.GradeRange) == 2 {
		return in(a.GradeRange[0]) && in(a.GradeRange[1])
	}
	return false
}

// SetModels gives the server the models in use (their grade lists order
// ?grade= ranges); without it the built-in models are used.
func (s *Server) SetModels(set models.Set) {
	g := map[string][]string{}
	for id, m := range set {
		for _, gr := range m.Grades {
			g[id] = append(g[id], gr.ID)
		}
	}
	s.views.gradesMu.Lock()
	s.views.grades = g
	s.views.gradesMu.Unlock()
}

// gradeOrder returns model's grade ids, best first (nil: unknown model).
func (s *Server) gradeOrder(model string) []string {
	s.views.gradesMu.Lock()
	defer s.views.gradesMu.Unlock()
	if s.views.grades == nil {
		s.views.grades = map[string][]string{}
		if set, err := models.Load(nil); err == nil {
			for id, m := range set {
				for _, gr := range m.Grades {
					s.views.grades[id] = append(s.views.grades[id], gr.ID)
				}
			}
		}
	}
	return s.views.grades[model]
}

// subjectList is the answer of GET /api/v1/subjects.
type subjectList struct {
	listMeta
	Period   string        `json:"period"`
	Subjects []subjectItem `json:"subjects"`
}

func (s *Server) subjects(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	f, err := parseSubjectFilter(q)
	if err != nil {
		badParam(w, err)
		return
	}
	p, err := routePage(q, "subjects", 2)
	if err != nil {
		badParam(w, err)
		return
	}
	period, err := s.period(r.Context(), q)
	if err != nil {
		badParam(w, err)
		return
	}
	v, err := s.views.get(r.Context(), s.opt.Store, period.Name, time.Now())
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	// A view does not change: its answers are kept (by view and query)
	// while the answer cache holds them, so that pollers asking the same
	// page cost one lookup.
	key := "subjects|" + v.token + "|" + period.Name + "?" + q.Encode()
	ans, ok := s.views.answers.get(key)
	if !ok {
		var sel []*subjectItem
		for i := range v.items {
			if f.match(v, &v.items[i], s.gradeOrder) {
				sel = append(sel, &v.items[i])
			}
		}
		page, next := pageOf(sel, p, func(it *subjectItem) []string { return itemKey(*it) })
		out := make([]subjectItem, len(page))
		for i, it := range page {
			out[i] = *it
		}
		ans = s.keepAnswer(key, subjectList{listMeta: listMeta{Count: len(out), Total: len(sel), Limit: p.limit, NextCursor: next}, Period: period.Name, Subjects: out})
	}
	writeRead(w, r, ans, nil)
}

// period reads ?period= (default: the latest period with a finished
// assessment, so that the answers are not empty before the current
// quarter's first assessment; the clock's quarter when there is none).
// The answers name the period they are about.
func (s *Server) period(ctx context.Context, q neturl.Values) (assess.Period, error) {
	p := q.Get("period")
	if p == "" {
		_, latest, err := s.views.state(ctx, s.opt.Store, time.Now())
		if err == nil && latest != "" {
			if lp, err := assess.ParsePeriod(latest); err == nil {
				return lp, nil
			}
		}
		return assess.CurrentQuarter(s.opt.Now()), nil
	}
	period, err := assess.ParsePeriod(p)
	if err != nil {
		return period, &paramError{"period", err.Error()}
	}
	return period, nil
}
