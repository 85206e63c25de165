package reports

import (
	"encoding/json"
	"time"
)

// Inventory is the supply chain the board pack shows: every system's
// latest SBOM, the components it runs (direct and transitive), their
// licences judged against the system's licence and the institution's
// policy, and their known vulnerabilities. Its JSON form is the report's
// top-level "inventory" object.
type Inventory struct {
	Systems     []InvSystem    `json:"systems"`
	Components  []InvComponent `json:"components"`
	Totals      InvTotals      `json:"totals"`
	Attribution string         `json:"attribution,omitempty"` // the OSADL matrix's, when compatibility is shown
}

// InvSystem is one system and its latest SBOM.
type InvSystem struct {
	Name    string `json:"name"`
	Licence string `json:"licence,omitempty"`
	// LicenceSource says where Licence came from: "config" or "sbom".
	LicenceSource string `json:"licence_source,omitempty"`
	Use           string `json:"use,omitempty"`
	Format        string `json:"format"`
	Components    int    `json:"components"`
	Direct        int    `json:"direct"`
	Transitive    int    `json:"transitive"`
	// NotStated counts the references whose depth the SBOM does not say
	// (no dependency graph).
	NotStated int       `json:"not_stated"`
	Imported  time.Time `json:"imported"`
	// Stale is set when the latest import of the system's SBOM failed:
	// the inventory shown is the last one read, Imported says when, and
	// ImportError why the newer file could not be read.
	Stale          bool       `json:"stale,omitempty"`
	ImportError    string     `json:"import_error,omitempty"`
	ImportFailedAt *time.Time `json:"import_failed_at,omitempty"`
}

// InvComponent is one component version, across the systems that run it.
type InvComponent struct {
	Name         string `json:"name"`
	Version      string `json:"version,omitempty"`
	PURL         string `json:"purl,omitempty"`
	Ecosystem    string `json:"ecosystem,omitempty"`
	Licence      string `json:"licence,omitempty"`
	LicenceClass string `json:"licence_class"`
	// LicenceNotes say how the declared licence was read: names and URLs
	// mapped to SPDX ids, several entries read as a choice or as all
	// applying, a licence borrowed from another system's SBOM.
	LicenceNotes []string `json:"licence_notes,omitempty"`
	// Systems are the systems that run the component, each judged on its
	// own: the system's licence and use decide compatibility and policy.
	// (Reports before osgauge 0.9 held system names only; they still read.)
	Systems []InvUse `json:"systems"`
	// Direct is true when a system uses the component directly, false
	// when every system that says uses it transitively, null when no SBOM
	// says.
	Direct *bool `json:"direct"`
	// Compatibility is the worst verdict over the systems
	// (directly-compatible … incompatible).
	Compatibility    string  `json:"compatibility,omitempty"`
	CompatibilityWhy string  `json:"compatibility_why,omitempty"`
	Policy           string  `json:"policy"` // allowed, review, banned: the worst over the systems' uses
	Vulnerabilities  InvVuln `json:"vulnerabilities"`
	// Relicensing is "before → after (system, previous version → this
	// one)" when the package's declared licence differs from the one in
	// the system's previous SBOM; "" otherwise.
	Relicensing string `json:"relicensing,omitempty"`
	// RelicensingDirection is more-restrictive, relaxation or same-class
	// (licenses.Direction); only the first counts as relicensed.
	RelicensingDirection string `json:"relicensing_direction,omitempty"`
	// Project is the subject id of the portfolio project the component
	// maps to, "" when none.
	Project string `json:"project,omitempty"`
}

// InvUse is one system's use of a component, judged for that system.
type InvUse struct {
	System string `json:"system"`
	Use    string `json:"use,omitempty"` // internal, distributed, saas
	// Licence is the system's licence the component is judged against;
	// LicenceSource says where it came from: config, sbom, or default
	// (license_policy.default_system_licence, the system giving none).
	Licence       string `json:"licence,omitempty"`
	LicenceSource string `json:"licence_source,omitempty"`
	Compatibility string `json:"compatibility,omitempty"`
	Why           string `json:"why,omitempty"`
	Policy        string `json:"policy,omitempty"`
	Relation      string `json:"relation,omitempty"` // direct, transitive, unknown
	Scope         string `json:"scope,omitempty"`    // "" runtime; optional, provided, build, dev, test, excluded
	Linking       string `json:"linking,omitempty"`  // static, dynamic
	// ComponentLicence is the component's licence as judged here: as this
	// system's SBOM declares it, else borrowed (LicenceBorrowedFrom names
	// the system whose SBOM declared it).
	ComponentLicence    string `json:"component_licence,omitempty"`
	LicenceBorrowedFrom string `json:"licence_borrowed_from,omitempty"`
}

// UnmarshalJSON reads a system's use, or a bare system name as reports
// before the per-system judgement wrote it.
func (u *InvUse) UnmarshalJSON(b []byte) error {
	var name string
	if json.Unmarshal(b, &name) == nil {
		*u = InvUse{System: name}
		return nil
	}
	type plain InvUse
	return json.Unmarshal(b, (*plain)(u))
}

// SystemNames lists the names of the systems that run the component.
func (c InvComponent) SystemNames() []string {
	out := make([]string, len(c.Systems))
	for i, u := range c.Systems {
		out[i] = u.System
	}
	return out
}

// InvVuln counts a component's known vulnerabilities.
type InvVuln struct {
	Checked  bool     `json:"checked"` // looked up in OSV (API or export)
	Critical int      `json:"critical"`
	High     int      `json:"high"`
	Medium   int      `json:"medium"`
	Low      int      `json:"low"`
	Unknown  int      `json:"unknown,omitempty"`
	KEV      int      `json:"kev"`     // in CISA's known-exploited catalogue
	Fixable  int      `json:"fixable"` // a fixed version exists
	IDs      []string `json:"ids,omitempty"`
	// NotAffected counts the matches analysed not_affected or
	// false_positive in every system that runs the component (issue 24):
	// no risk, left out of the counts above, listed in NotAffectedIDs with
	// the analysis ("CVE-… — payments: not_affected (justification)").
	NotAffected    int      `json:"not_affected,omitempty"`
	NotAffectedIDs []string `json:"not_affected_ids,omitempty"`
}

// InvTotals are the supply chain's key figures.
type InvTotals struct {
	Systems         int            `json:"systems"`
	Components      int            `json:"components"` // distinct component versions
	References      int            `json:"references"` // (system, component) pairs
	Direct          int            `json:"direct"`     // distinct components used directly somewhere
	Transitive      int            `json:"transitive"` // distinct components only used transitively
	NotStated       int            `json:"not_stated"` // distinct components whose depth no SBOM states
	StaleSystems    int            `json:"stale_systems"`
	ByClass         map[string]int `json:"by_licence_class"`
	ByCompatibility map[string]int `json:"by_compatibility"`
	ByPolicy        map[string]int `json:"by_policy"`
	Vulnerable      map[string]int `json:"vulnerable_by_worst_severity"` // components by their worst severity
	KEVComponents   int            `json:"kev_components"`
	Relicensed      int            `json:"relicensed_components"` // to a more restrictive licence
	Checked         int            `json:"checked_for_vulnerabilities"`
	// DeclaredProjects are the projects the config lists; Discovered the
	// components the SBOMs list. Their ratio is the undercount a
	// portfolio of declared projects alone would hide.
	DeclaredProjects int     `json:"declared_projects"`
	MappedProjects   int     `json:"mapped_projects"` // distinct projects the components map to
	DeclaredFound    int     `json:"declared_projects_found_in_sboms"`
	Undercount       float64 `json:"undercount_ratio,omitempty"` // components ÷ declared projects
}
