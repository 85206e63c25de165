package html

import (
	"cmp"
	"encoding/json"
	"fmt"
	"html/template"
	"slices"
	"strconv"
	"strings"

	"github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"

	"github.com/osgauge/osgauge/models"
	"github.com/osgauge/osgauge/reports"
	"github.com/osgauge/osgauge/reports/labels"
)

// The supply-chain section: key figures, three charts, the systems table
// and the component table. Components are embedded once as compact JSON
// (arrays, strings interned) and drawn a page at a time by the same script
// as the project table, so 50,000 components never become 50,000 rows.

// Orders of the values the charts and the data know; a value outside them
// is appended in the order met.
var (
	classOrder  = []string{"public-domain", "permissive", "weak-copyleft", "strong-copyleft", "network-copyleft", "source-available", "unknown"}
	compatOrder = []string{"directly-compatible", "indirectly-compatible", "compatible-with-conditions", "needs-review", "incompatible"}
	policyOrder = []string{"allowed", "review", "banned"}
	sevOrder    = []string{"critical", "high", "medium", "low", "unknown"}
	compatColor = map[string]string{"directly-compatible": "#2e7d32", "indirectly-compatible": "#7cb342",
		"compatible-with-conditions": "#f9a825", "needs-review": "#ef6c00", "incompatible": "#c62828"}
	sevColor = map[string]string{"critical": "#b71c1c", "high": "#e53935", "medium": "#fb8c00", "low": "#fdd835", "unknown": "#9e9e9e"}
)

// supplyLabels are the labels the supply script needs; they travel with
// the supply data, so the section works when there are no projects.
var supplyLabels = []string{"html.page", "html.of", "html.prev", "html.next", "supply.no_match", "supply.not_checked",
	"supply.kev_badge", "inv.kev", "inv.critical", "inv.high", "inv.medium", "inv.low", "inv.direct", "inv.transitive",
	"inv.relation.unknown", "inv.component", "inv.version", "inv.systems", "inv.vulns", "inv.licence", "inv.project",
	"supply.which_summary", "supply.which_more", "supply.compat_none"}

type supplyView struct {
	Systems, Components, Direct, Transitive int
	Declared                                int
	Undercount                              string // "×12.5", "" when not known
	Banned, Incompatible, Conditions        int
	KEV, Critical                           int

	ClassChart, CompatChart, SevChart *chartView
	Attribution                       string

	SysRows   []supplySysRow
	FirstPage []supplyCompRow
	Data      template.JS
	PageSize  int
}

type supplySysRow struct {
	Name, Licence, Use, Format                string
	FromSBOM, Default                         bool
	Components, Direct, Transitive, NotStated int
	// Stale says the latest import failed: the row shows the last SBOM read.
	Stale                 bool
	ImportError, FailedAt string
}

// supplyCompRow is one row of the table's first page, written into the
// page so it reads without script.
type supplyCompRow struct {
	Name, Version, Licence, Class, Compat, Why, Policy, Relation string
	Banned, Incompatible                                         bool
	NSystems                                                     int
	SystemNames                                                  string
	Vulns, VulnTitle                                             string
	KEV                                                          bool
	ProjectName, ProjectAnchor                                   string
}

// supplyJSON is the embedded data. Each component is an array:
// [name, version, licence#, class#, compat# (-1 none), why# (-1 none),
// policy#, direct (1, 0, -1 not stated), [system#…], vulns, project# (-1)]
// where # indexes Str (licence, why), Cls, Cmp, Pol, Sys and Pj, and vulns
// is [critical, high, medium, low, kev] or null when not checked.
type supplyJSON struct {
	L   map[string]string `json:"L"`
	Str []string          `json:"str"`
	Cls []string          `json:"cls"`
	Cmp []string          `json:"cmp"`
	Pol []string          `json:"pol"`
	Sys []string          `json:"sys"`
	Pj  [][2]string       `json:"pj"` // [name, anchor ("" when not in the report)]
	C   [][]any           `json:"c"`
}

// interner numbers strings in the order met.
type interner struct {
	idx map[string]int
	out []string
}

func (in *interner) id(s string) int {
	if in.idx == nil {
		in.idx = map[string]int{}
	}
	if i, ok := in.idx[s]; ok {
		return i
	}
	in.idx[s] = len(in.out)
	in.out = append(in.out, s)
	return len(in.out) - 1
}

// valueLabel is the label of a class, verdict or policy value; an unknown
// value shows as itself.
func valueLabel(lang, prefix, v string) string {
	if v == "" {
		return ""
	}
	if labels.Has(prefix + v) {
		return labels.T(lang, prefix+v)
	}
	return v
}

// supplyRisk orders components most risky first: known-exploited, banned,
// incompatible, critical, high, needs review, with conditions, review.
func supplyRisk(c *reports.InvComponent) [8]int {
	b := func(x bool) int {
		if x {
			return 0
		}
		return 1
	}
	v := c.Vulnerabilities
	return [8]int{b(v.KEV > 0), b(c.Policy == "banned"), b(c.Compatibility == "incompatible"), b(v.Critical > 0),
		b(v.High > 0), b(c.Compatibility == "needs-review"), b(c.Compatibility == "compatible-with-conditions"), b(c.Policy == "review")}
}

// supply builds the section, nil without an inventory; anchors are the
// subjects' anchors (a project's is its row in the project table).
func supply(r *reports.Report, anchors map[int]string, lang string) (*supplyView, error) {
	inv := r.Inventory
	if inv == nil {
		return nil, nil
	}
	L := func(k string) string { return labels.T(lang, k) }
	t := inv.Totals
	sv := &supplyView{
		Systems: t.Systems, Components: t.Components, Direct: t.Direct, Transitive: t.Transitive,
		Declared: t.DeclaredProjects, Banned: t.ByPolicy["banned"], Incompatible: t.ByCompatibility["incompatible"],
		Conditions: t.ByCompatibility["compatible-with-conditions"], KEV: t.KEVComponents, Critical: t.Vulnerable["critical"],
		Attribution: reports.AttributionText(lang, inv.Attribution), PageSize: PageSize,
	}
	if t.Undercount > 0 {
		sv.Undercount = "×" + strconv.FormatFloat(round1(t.Undercount), 'f', -1, 64)
	}
	for _, s := range inv.Systems {
		row := supplySysRow{Name: s.Name, Licence: s.Licence, Use: reports.UseLabel(lang, s.Use), Format: s.Format,
			FromSBOM: s.LicenceSource == "sbom", Default: s.LicenceSource == "default", Components: s.Components, Direct: s.Direct,
			Transitive: s.Transitive, NotStated: s.NotStated, Stale: s.Stale, ImportError: s.ImportError}
		if s.ImportFailedAt != nil {
			row.FailedAt = s.ImportFailedAt.Format("2006-01-02 15:04")
		}
		if row.Use == "" {
			row.Use = L("inv.use_unstated")
		}
		sv.SysRows = append(sv.SysRows, row)
	}

	// Project subjects by id: their name and table anchor.
	type proj struct{ name, anchor string }
	projects := map[string]proj{}
	for i, s := range r.Subjects {
		if s.Kind == models.KindProject {
			projects[s.ID] = proj{s.Name, anchors[i]}
		}
	}

	var err error
	if sv.ClassChart, err = supplyBar("chart-supply-class", L("inv.by_class"), t.ByClass, classOrder, "class.", nil, lang); err != nil {
		return nil, err
	}
	if sv.CompatChart, err = supplyBar("chart-supply-compat", L("inv.by_compatibility"), t.ByCompatibility, compatOrder, "compat.", compatColor, lang); err != nil {
		return nil, err
	}
	if sv.SevChart, err = supplyBar("chart-supply-severity", L("inv.by_severity"), t.Vulnerable, sevOrder, "inv.", sevColor, lang); err != nil {
		return nil, err
	}

	// The embedded data, most risky first.
	order := make([]int, len(inv.Components))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int {
		ca, cb := &inv.Components[a], &inv.Components[b]
		ra, rb := supplyRisk(ca), supplyRisk(cb)
		for k := range ra {
			if c := cmp.Compare(ra[k], rb[k]); c != 0 {
				return c
			}
		}
		if c := cmp.Compare(ca.Vulnerabilities.Critical+ca.Vulnerabilities.High, cb.Vulnerabilities.Critical+cb.Vulnerabilities.High); c != 0 {
			return -c
		}
		if c := cmp.Compare(ca.Name, cb.Name); c != 0 {
			return c
		}
		return cmp.Compare(ca.Version, cb.Version)
	})

	d := supplyJSON{L: map[string]string{}}
	for _, k := range supplyLabels {
		d.L[k] = L(k)
	}
	var str, cls, cmpv, pol, sys, pj interner
	for _, v := range classOrder {
		cls.id(v)
	}
	for _, v := range compatOrder {
		cmpv.id(v)
	}
	for _, v := range policyOrder {
		pol.id(v)
	}
	for _, s := range inv.Systems {
		sys.id(s.Name)
	}
	pjRows := [][2]string{}
	d.C = make([][]any, 0, len(order))
	for _, i := range order {
		c := &inv.Components[i]
		compat, why := -1, -1
		if c.Compatibility != "" {
			compat = cmpv.id(c.Compatibility)
		}
		if c.CompatibilityWhy != "" {
			why = str.id(labels.LicenceWhy(lang, c.CompatibilityWhy))
		}
		rel := -1
		if c.Direct != nil {
			rel = 0
			if *c.Direct {
				rel = 1
			}
		}
		sx := make([]int, len(c.Systems))
		for j, s := range c.Systems {
			sx[j] = sys.id(s.System)
		}
		var vul any
		if v := c.Vulnerabilities; v.Checked {
			vul = [5]int{v.Critical, v.High, v.Medium, v.Low, v.KEV}
		}
		pjx := -1
		if c.Project != "" {
			n := len(pj.out)
			pjx = pj.id(c.Project)
			if pjx == n {
				p, ok := projects[c.Project]
				if !ok {
					p = proj{name: c.Project}
				}
				pjRows = append(pjRows, [2]string{p.name, p.anchor})
			}
		}
		d.C = append(d.C, []any{c.Name, c.Version, str.id(c.Licence), cls.id(c.LicenceClass), compat, why, pol.id(c.Policy), rel, sx, vul, pjx})

		if len(sv.FirstPage) < PageSize {
			row := supplyCompRow{Name: c.Name, Version: c.Version, Licence: c.Licence,
				Class: valueLabel(lang, "class.", c.LicenceClass), Compat: valueLabel(lang, "compat.", c.Compatibility),
				Why: labels.LicenceWhy(lang, c.CompatibilityWhy), Policy: valueLabel(lang, "policy.", c.Policy), Relation: L("inv.relation.unknown"),
				Banned: c.Policy == "banned", Incompatible: c.Compatibility == "incompatible",
				NSystems: len(c.Systems), SystemNames: strings.Join(c.SystemNames(), ", "), Vulns: dash, VulnTitle: L("supply.not_checked"),
				KEV: c.Vulnerabilities.KEV > 0}
			if row.Compat == "" {
				row.Compat = L("supply.compat_none")
			}
			if c.Direct != nil {
				row.Relation = L("inv.transitive")
				if *c.Direct {
					row.Relation = L("inv.direct")
				}
			}
			if v := c.Vulnerabilities; v.Checked {
				row.Vulns = fmt.Sprintf("%d/%d/%d/%d", v.Critical, v.High, v.Medium, v.Low)
				row.VulnTitle = fmt.Sprintf("%s %d · %s %d · %s %d · %s %d", L("inv.critical"), v.Critical, L("inv.high"), v.High,
					L("inv.medium"), v.Medium, L("inv.low"), v.Low)
			}
			if c.Project != "" {
				p := pjRows[pjx]
				row.ProjectName, row.ProjectAnchor = p[0], p[1]
			}
			sv.FirstPage = append(sv.FirstPage, row)
		}
	}
	d.Str, d.Sys, d.Pj = str.out, sys.out, pjRows
	for _, v := range cls.out {
		d.Cls = append(d.Cls, orID(valueLabel(lang, "class.", v), L("supply.unknown")))
	}
	for _, v := range cmpv.out {
		d.Cmp = append(d.Cmp, valueLabel(lang, "compat.", v))
	}
	for _, v := range pol.out {
		d.Pol = append(d.Pol, valueLabel(lang, "policy.", v))
	}
	b, err := json.Marshal(d)
	if err != nil {
		return nil, fmt.Errorf("html report: supply data: %w", err)
	}
	sv.Data = template.JS(b)
	return sv, nil
}

// charts lists the section's charts, for the page's chart script.
func (sv *supplyView) charts() []*chartView {
	var out []*chartView
	for _, c := range []*chartView{sv.ClassChart, sv.CompatChart, sv.SevChart} {
		if c != nil {
			out = append(out, c)
		}
	}
	return out
}

// supplyBar draws counts by value, in order then any other value met;
// values with no count are left out. nil when every count is 0.
func supplyBar(id, title string, counts map[string]int, order []string, prefix string, colors map[string]string, lang string) (*chartView, error) {
	keys := slices.Clone(order)
	var extra []string
	for k := range counts {
		if !slices.Contains(keys, k) {
			extra = append(extra, k)
		}
	}
	slices.Sort(extra)
	keys = append(keys, extra...)
	var names []string
	var data []opts.BarData
	for _, k := range keys {
		n := counts[k]
		if n == 0 {
			continue
		}
		name := valueLabel(lang, prefix, k)
		if k == "" || (k == "unknown" && !labels.Has(prefix+k)) {
			name = labels.T(lang, "supply.unknown")
		}
		d := opts.BarData{Name: name, Value: n}
		if c, ok := colors[k]; ok {
			d.ItemStyle = &opts.ItemStyle{Color: c}
		}
		names = append(names, name)
		data = append(data, d)
	}
	if len(data) == 0 {
		return nil, nil
	}
	bar := charts.NewBar()
	bar.SetGlobalOptions(
		charts.WithInitializationOpts(opts.Initialization{ChartID: id, Width: "100%", Height: "280px"}),
		charts.WithTitleOpts(opts.Title{Title: title, TitleStyle: &opts.TextStyle{FontSize: 14}}),
		charts.WithTooltipOpts(opts.Tooltip{Show: opts.Bool(true)}),
		charts.WithLegendOpts(opts.Legend{Show: opts.Bool(false)}),
		charts.WithGridOpts(opts.Grid{Left: "10", Right: "40", Top: "40", Bottom: "10", ContainLabel: opts.Bool(true)}),
		charts.WithXAxisOpts(opts.XAxis{Type: "value", MinInterval: 1}),
		charts.WithYAxisOpts(opts.YAxis{Type: "category", Inverse: opts.Bool(true)}),
		charts.WithAnimation(false),
	)
	bar.SetXAxis(names).AddSeries(labels.T(lang, "inv.count"), data,
		charts.WithLabelOpts(opts.Label{Show: opts.Bool(true), Position: "right"}))
	bar.XYReversal()
	return snippetOf(id, bar, nil)
}
