package reports

import "time"

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
	LicenceSource string    `json:"licence_source,omitempty"`
	Use           string    `json:"use,omitempty"`
	Format        string    `json:"format"`
	Components    int       `json:"components"`
	Direct        int       `json:"direct"`
	Transitive    int       `json:"transitive"`
	Imported      time.Time `json:"imported"`
}

// InvComponent is one component version, across the systems that run it.
type InvComponent struct {
	Name         string   `json:"name"`
	Version      string   `json:"version,omitempty"`
	PURL         string   `json:"purl,omitempty"`
	Ecosystem    string   `json:"ecosystem,omitempty"`
	Licence      string   `json:"licence,omitempty"`
	LicenceClass string   `json:"licence_class"`
	Systems      []string `json:"systems"`
	// Direct is true when a system uses the component directly, false
	// when every system that says uses it transitively, null when no SBOM
	// says.
	Direct *bool `json:"direct"`
	// Compatibility is the worst verdict over the systems that state a
	// licence (directly-compatible … incompatible), "" when none does.
	Compatibility    string  `json:"compatibility,omitempty"`
	CompatibilityWhy string  `json:"compatibility_why,omitempty"`
	Policy           string  `json:"policy"` // allowed, review, banned: the worst over the systems' uses
	Vulnerabilities  InvVuln `json:"vulnerabilities"`
	// Relicensing is "before → after (system, previous version → this
	// one)" when the package's declared licence differs from the one in
	// the system's previous SBOM; "" otherwise.
	Relicensing string `json:"relicensing,omitempty"`
	// Project is the subject id of the portfolio project the component
	// maps to, "" when none.
	Project string `json:"project,omitempty"`
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
}

// InvTotals are the supply chain's key figures.
type InvTotals struct {
	Systems         int            `json:"systems"`
	Components      int            `json:"components"` // distinct component versions
	References      int            `json:"references"` // (system, component) pairs
	Direct          int            `json:"direct"`     // distinct components used directly somewhere
	Transitive      int            `json:"transitive"` // distinct components only used transitively
	ByClass         map[string]int `json:"by_licence_class"`
	ByCompatibility map[string]int `json:"by_compatibility"`
	ByPolicy        map[string]int `json:"by_policy"`
	Vulnerable      map[string]int `json:"vulnerable_by_worst_severity"` // components by their worst severity
	KEVComponents   int            `json:"kev_components"`
	Relicensed      int            `json:"relicensed_components"`
	Checked         int            `json:"checked_for_vulnerabilities"`
	// DeclaredProjects are the projects the config lists; Discovered the
	// components the SBOMs list. Their ratio is the undercount a
	// portfolio of declared projects alone would hide.
	DeclaredProjects int     `json:"declared_projects"`
	MappedProjects   int     `json:"mapped_projects"` // distinct projects the components map to
	DeclaredFound    int     `json:"declared_projects_found_in_sboms"`
	Undercount       float64 `json:"undercount_ratio,omitempty"` // components ÷ declared projects
}
