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
// poller never waits behind a rebuild it did not need.

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
}

type subjectView struct {
	token, period string
	at            time.Time
	items         []subjectItem // by kind, id
	byID          map[string]int
	supplierNames map[string]string // supplier id → name

	mu  sync.Mutex
	enc map[string]any // answers by query, while the view lasts (at most 256)
}

type subjectViews struct {
	mu       sync.Mutex
	ttl      time.Duration
	views    map[string]*subjectView // by period
	building map[string]chan struct{}
}

// get returns the view of period, building it when there is none or the
// store changed (checked at most once per TTL).
func (c *subjectViews) get(ctx context.Context, st *store.Store, period string, now time.Time) (*subjectView, error) {
	c.mu.Lock()
	v := c.views[period]
	if v != nil && c.ttl > 0 && now.Sub(v.at) < c.ttl {
		c.mu.Unlock()
		return v, nil
	}
	if ch := c.building[period]; ch != nil { // another request is checking
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
	c.mu.Unlock()
	defer func() {
		c.mu.Lock()
		delete(c.building, period)
		c.mu.Unlock()
		close(ch)
	}()
	tok, err := st.ChangeToken(ctx)
	if err != nil {
		return nil, err
	}
	if v != nil && v.token == tok {
		c.mu.Lock()
		v.at = now
		c.mu.Unlock()
		return v, nil
	}
	nv, err := buildSubjectView(ctx, st, period)
	if err != nil {
		return nil, err
	}
	nv.token, nv.at = tok, now
	c.mu.Lock()
	if len(c.views) >= 8 {
		clear(c.views)
	}
	c.views[period] = nv
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
		v.items[i] = subjectItem{Subject: s}
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
		if lo > hi {
			lo, hi = hi, lo
		}
		f.gradeLo, f.gradeHi = lo, hi
	}
	return f, nil
}

// match: every filter given holds. The result filters (grade, gate,
// status) hold when one result of the period (of ?model= when given)
// satisfies all of them.
func (f subjectFilter) match(v *subjectView, it *subjectItem) bool {
	if f.kind != "" && string(it.Kind) != f.kind {
		return false
	}
	if f.q != "" && !strings.Contains(strings.ToLower(it.Name), f.q) && !strings.Contains(strings.ToLower(it.ID), f.q) {
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
		if f.gradeLo != "" && !gradeWithin(a, f.gradeLo, f.gradeHi) {
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
// whose whole range lies within lo..hi. Grade ids compare alphabetically
// (A before B, T1 before T2): models list grades best first under such
// names.
func gradeWithin(a subjectAssessment, lo, hi string) bool {
	if a.Grade != "" {
		return a.Grade >= lo && a.Grade <= hi
	}
	if len(a.GradeRange) == 2 {
		for _, g := range a.GradeRange {
			if g < lo || g > hi {
				return false
			}
		}
		return true
	}
	return false
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
	p, err := parsePage(q, 2)
	if err != nil {
		badParam(w, err)
		return
	}
	period, err := s.period(q)
	if err != nil {
		badParam(w, err)
		return
	}
	v, err := s.views.get(r.Context(), s.opt.Store, period.Name, time.Now())
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	// A view does not change: its answers are kept while it lasts, so
	// that pollers asking the same page cost one map lookup.
	key := period.Name + "?" + q.Encode()
	v.mu.Lock()
	ans, ok := v.enc[key]
	v.mu.Unlock()
	if !ok {
		var sel []*subjectItem
		for i := range v.items {
			if f.match(v, &v.items[i]) {
				sel = append(sel, &v.items[i])
			}
		}
		page, next := pageOf(sel, p, func(it *subjectItem) []string { return itemKey(*it) })
		out := make([]subjectItem, len(page))
		for i, it := range page {
			out[i] = *it
		}
		ans = encoded(subjectList{listMeta: listMeta{Count: len(out), Total: len(sel), Limit: p.limit, NextCursor: next}, Period: period.Name, Subjects: out})
		v.mu.Lock()
		if v.enc == nil || len(v.enc) >= 256 {
			v.enc = map[string]any{}
		}
		v.enc[key] = ans
		v.mu.Unlock()
	}
	writeRead(w, r, ans, nil)
}

// period reads ?period= (default: the current quarter of the clock).
func (s *Server) period(q neturl.Values) (assess.Period, error) {
	p := q.Get("period")
	if p == "" {
		return assess.CurrentQuarter(s.opt.Now()), nil
	}
	period, err := assess.ParsePeriod(p)
	if err != nil {
		return period, &paramError{"period", err.Error()}
	}
	return period, nil
}
