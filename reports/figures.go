package reports

import (
	"slices"

	"github.com/osgauge/osgauge/licenses"
	"github.com/osgauge/osgauge/models"
)

// Figures are a report's key figures, counted once. Every count the
// terminal summary, the workbook's Summary sheet, the dashboard's overview
// cards and grade chart and the JSON report show comes from here, so the
// four outputs cannot disagree (issue 26).
//
// One word, one definition:
//
//   - A project is a subject of kind project; a supplier is never a
//     project, nor the institution.
//   - Graded: the result has a decided grade (its worst and best cases
//     agree, or a fired gate decides).
//   - Undecided (未定级): the result has no decided grade, whatever the
//     reason — the missing data leaves two or more grades open (it lies
//     between two grades, its GradeRange, whatever its coverage or
//     status), or nothing about its grade is known (no range). There is
//     no second word: "inconclusive" is only the engine's status value
//     (coverage below the model's minimum, JSON status "inconclusive",
//     kept for the tools that read it) and is never counted as a figure;
//     such a result is undecided like any other without a decided grade.
//   - Gates fired: gate hits that cap a grade (not waived), over every
//     subject and model; waived ones are counted apart.
type Figures struct {
	Projects     int `json:"projects"`
	Suppliers    int `json:"suppliers"`
	Institutions int `json:"institutions"`
	// ProjectGrades are the projects' grades under the primary project
	// model; SupplierTiers the suppliers' tiers under the primary
	// supplier model.
	ProjectGrades GradeFigures `json:"project_grades"`
	SupplierTiers GradeFigures `json:"supplier_tiers"`
	// GatesFired counts the gate hits not waived; GatesWaived the waived.
	GatesFired  int `json:"gates_fired"`
	GatesWaived int `json:"gates_waived"`
	// SubjectsGated counts the subjects with at least one gate fired (not
	// waived).
	SubjectsGated int `json:"subjects_gated"`
	// What needs attention besides the gates: overdue findings (the
	// vulnerability report), overdue exits and components used without
	// intake (the lifecycle), licence conflicts (the inventory: components
	// whose licence is banned by policy or incompatible with the system's).
	OverdueFindings      int `json:"overdue_findings"`
	OverdueKEV           int `json:"overdue_kev"`
	OverdueCritical      int `json:"overdue_critical"`
	OverdueExits         int `json:"overdue_exits"`
	Unapproved           int `json:"unapproved_in_use"`
	BannedLicences       int `json:"banned_licences"`
	IncompatibleLicences int `json:"incompatible_licences"`
}

// GradeFigures count the grades of one model over the subjects of one kind.
// Assessed = Graded + Undecided.
type GradeFigures struct {
	Model string `json:"model"`
	// Staged is set for a staged model (levels, not grades): its results
	// are counted as assessed only.
	Staged    bool `json:"staged,omitempty"`
	Assessed  int  `json:"assessed"` // subjects with a result of Model
	Graded    int  `json:"graded"`
	Undecided int  `json:"undecided"`
	// Grades counts the decided grades: every grade of the model, best
	// first (zeros included), then grades the model does not name.
	Grades []GradeCount `json:"grades"`
	// Between splits the undecided results that lie between two grades by
	// their range, worst-best; NoRange counts the undecided ones without a
	// range. Undecided = NoRange + the sum of Between.
	Between []GradeSpan `json:"between"`
	NoRange int         `json:"no_range"`
	// DecidedBy are the sources whose missing data would decide the
	// undecided results, most first (Group's Sources).
	DecidedBy []string `json:"decided_by"`
}

// GradeCount is the number of results with a decided grade.
type GradeCount struct {
	Grade string `json:"grade"`
	N     int    `json:"n"`
}

// PrimaryModel is the model a kind of subject is reported by: builtin
// when the report carries it, else the first model defined for the kind,
// else the first result's model of a subject of that kind.
func PrimaryModel(r *Report, k models.SubjectKind, builtin string) string {
	if _, ok := r.Defs[builtin]; ok {
		return builtin
	}
	if ms := r.Defs.For(k); len(ms) > 0 {
		return ms[0].ID
	}
	for _, s := range r.Subjects {
		if s.Kind == k && len(s.Results) > 0 {
			return s.Results[0].Model
		}
	}
	return builtin
}

// Figures counts the report's key figures (see Figures).
func (r *Report) Figures() Figures {
	var f Figures
	for _, s := range r.Subjects {
		switch s.Kind {
		case models.KindProject:
			f.Projects++
		case models.KindSupplier:
			f.Suppliers++
		case models.KindInstitution:
			f.Institutions++
		}
		gated := false
		for _, res := range s.Results {
			for _, g := range res.Gates {
				if g.Waived != "" {
					f.GatesWaived++
					continue
				}
				f.GatesFired++
				gated = true
			}
		}
		if gated {
			f.SubjectsGated++
		}
	}
	f.ProjectGrades = r.gradeFigures(models.KindProject, PrimaryModel(r, models.KindProject, models.ProjectHealth))
	f.SupplierTiers = r.gradeFigures(models.KindSupplier, PrimaryModel(r, models.KindSupplier, models.Supplier))
	if v := r.Vulnerabilities; v != nil {
		f.OverdueFindings, f.OverdueKEV, f.OverdueCritical = v.Totals.Overdue, v.Totals.OverdueKEV, v.Totals.OverdueCritical()
	}
	if lc := r.Lifecycle; lc != nil {
		f.OverdueExits, f.Unapproved = lc.InUse.OverdueExits, lc.InUse.Unapproved
	}
	if inv := r.Inventory; inv != nil {
		f.BannedLicences = inv.Totals.ByPolicy[licenses.Banned]
		f.IncompatibleLicences = inv.Totals.ByCompatibility[licenses.Incompatible]
	}
	return f
}

// NeedsAttention reports whether anything calls for the board's attention:
// a gate fired, a finding or exit overdue, a component used without intake,
// a licence conflict.
func (f Figures) NeedsAttention() bool {
	return f.GatesFired+f.OverdueFindings+f.OverdueExits+f.Unapproved+f.BannedLicences+f.IncompatibleLicences > 0
}

func (r *Report) gradeFigures(k models.SubjectKind, model string) GradeFigures {
	g := GradeFigures{Model: model, Grades: []GradeCount{}, Between: []GradeSpan{}, DecidedBy: []string{}}
	def := r.Defs[model]
	g.Staged = def != nil && def.Kind == models.ModelStaged
	var results []models.Result
	for _, s := range r.Subjects {
		if s.Kind != k {
			continue
		}
		if res := s.Result(model); res != nil {
			g.Assessed++
			results = append(results, *res)
		}
	}
	if g.Staged {
		return g
	}
	counts := map[string]int{}
	var extra []string
	for i := range results {
		if gr := results[i].Grade; gr != "" {
			if counts[gr] == 0 && !known(def, gr) {
				extra = append(extra, gr)
			}
			counts[gr]++
			g.Graded++
		} else {
			g.Undecided++
		}
	}
	if def != nil {
		for _, gr := range def.Grades {
			g.Grades = append(g.Grades, GradeCount{gr.ID, counts[gr.ID]})
		}
	}
	slices.Sort(extra)
	for _, gr := range extra {
		g.Grades = append(g.Grades, GradeCount{gr, counts[gr]})
	}
	u := Group(results)
	g.Between = append(g.Between, u.Between...)
	g.NoRange = u.NoRange
	g.DecidedBy = append(g.DecidedBy, u.Sources...)
	return g
}

// known reports whether def names grade id.
func known(def *models.Model, id string) bool {
	if def == nil {
		return false
	}
	return slices.ContainsFunc(def.Grades, func(g models.Grade) bool { return g.ID == id })
}
