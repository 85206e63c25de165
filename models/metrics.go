package models

import (
	"slices"
	"sort"
	"strings"
)

// Known metrics, by source: what the collectors record. A model naming a
// metric nobody records would silently leave its indicator inconclusive
// forever, so model validation checks names against this catalogue.
// Sources whose names are open: questionnaire.<indicator id of the same
// model> and manual.<key> (facts an assessor writes in the config).
var knownMetrics = map[string][]string{
	"gitlocal": {"authors_12m", "bus_factor_12m", "clone_age_days", "commits_12m", "commits_per_week", "contributors_12m", "days_since_last_commit",
		"elephant_factor_12m", "license_changes_36m", "maintainers", "merges_12m", "months_since_last_commit", "months_since_last_release",
		"org_count_12m", "relicensed_12m", "relicensed_source_available_36m", "tags_12m"},
	// forge: the one vocabulary every forge collector (GitHub, GitLab, Gitee,
	// GitCode) records; the observation's source says which forge.
	"forge": {"adoption", "advisories_published", "archived", "authors_12m", "bug_open_days", "bus_factor_12m",
		"change_closure_ratio", "change_first_response_days", "change_merge_days", "change_merge_ratio", "changes_opened_180d",
		"commits_12m", "commits_per_week", "contributors_12m", "created_days", "default_branch", "disabled", "elephant_factor_12m",
		"fork", "forks", "homepage", "issue_first_response_days", "issues_closed_180d", "issues_opened_180d",
		"license_spdx", "merges_12m", "months_since_last_person_commit", "months_since_last_push", "months_since_last_release", "open_issues", "org_count_12m", "owner_login", "owner_type",
		"releases_12m", "security_policy", "stars", "topics", "watchers"},
	"scorecard": {"aggregate", "Binary-Artifacts", "Branch-Protection", "CI-Tests", "CII-Best-Practices",
		"Code-Review", "Contributors", "Dangerous-Workflow", "Dependency-Update-Tool", "Fuzzing", "License",
		"Maintained", "Packaging", "Pinned-Dependencies", "SAST", "SBOM", "Security-Policy", "Signed-Releases",
		"Token-Permissions", "Vulnerabilities", "Webhooks"},
	// license: detected from licence files (class, found, spdx) and, from
	// the SBOM inventory, compatibility with the systems that use the
	// project (OSADL), the institution policy's decision and relicensing.
	"license": {"class", "class_in_use", "compatibility", "files_sha256", "found", "policy", "relicensed_12m", "spdx"},
	// The SBOM inventory: institution totals and, per project, the systems
	// that use it.
	"sbom": {"banned_components", "components", "direct", "incompatible_components", "references", "review_components",
		"systems", "systems_using", "transitive"},
	// Objective supplier evidence, computed from the supported projects'
	// collected data.
	"evidence": {"contribution_share_pct", "maintainers", "projects_led", "security_fixes", "top2_share_pct"},
	// The institution's lifecycle evidence, from the ledger and the SBOM
	// inventory (pipeline/lifecycle_evidence.go): shares and their
	// evidence levels (0-4) for the GMI's lifecycle practices.
	"lifecycle": {"assessed_level", "decisions_assessed_pct", "exit_level", "exits_on_time_pct", "intake_decided_pct", "intake_level",
		"inventory_level", "sbom_age_days_max", "sbom_level", "sboms_current_pct", "systems_with_sbom_pct"},
	// The supply cut-off (断供) facts derived per project after each
	// collection (pipeline/continuity.go): governance from the foundation
	// list or the elephant factor, forge and foundation jurisdiction,
	// qualified support from the suppliers' grades, the source held.
	"derived": {"days_since_source_current", "days_since_source_fetch", "fallback", "governance", "governance_jurisdiction", "host_jurisdiction",
		"jurisdiction_exposure", "qualified_support", "source_lag_days"},
	// osgauge's managed clones (collectors/clones): fetched at this
	// collection, days since the newest successful fetch.
	"clones": {"source_age_days", "source_held"},
	// Known vulnerabilities from OSV (API or offline export) and CISA KEV,
	// for the component versions the SBOMs list.
	"osv": {"days_exposed_max", "fix_days_median", "high_unpatched_fixed_30d", "kev_unpatched", "remediation_days_median", "vulns_critical", "vulns_fixable",
		"vulns_high", "vulns_open", "vulns_weighted_in_use", "vulns_weighted_latest"},
}

// openSources accept any metric name after the prefix.
var openSources = []string{"questionnaire", "manual"}

// CheckMetric reports why a metric name is unknown ("" when it is fine).
// ids are the indicator ids of the model, for questionnaire metrics.
func CheckMetric(metric string, ids []string) string {
	source, name, ok := strings.Cut(metric, ".")
	if !ok || name == "" {
		return "metric " + quote(metric) + " must be <source>.<name>"
	}
	if source == "questionnaire" {
		if !slices.Contains(ids, name) {
			return "metric " + quote(metric) + ": questionnaire metrics must name an indicator of this model"
		}
		return ""
	}
	if slices.Contains(openSources, source) {
		return ""
	}
	if now, ok := renamedMetrics[metric]; ok {
		return "metric " + quote(metric) + " was renamed " + quote(now) + " when the forges got one vocabulary (PHI 0.4.0): use the new name"
	}
	names, ok := knownMetrics[source]
	if !ok {
		return "unknown metric " + quote(metric) + ": no source " + quote(source) + " (sources: " + strings.Join(Sources(), ", ") + ")"
	}
	if !slices.Contains(names, name) {
		return "unknown metric " + quote(metric) + " (" + source + " records: " + strings.Join(names, ", ") + ")"
	}
	return ""
}

// Sources lists the metric sources.
func Sources() []string {
	s := append([]string{}, openSources...)
	for k := range knownMetrics {
		s = append(s, k)
	}
	sort.Strings(s)
	return s
}

func quote(s string) string { return `"` + s + `"` }

// renamedMetrics maps names stored before the forge vocabulary (the GitHub
// collector's own, up to PHI 0.3.0) to their forge names.
var renamedMetrics = func() map[string]string {
	m := map[string]string{}
	for _, n := range knownMetrics["forge"] {
		m["github."+n] = "forge." + n
	}
	for old, now := range map[string]string{"prs_opened_180d": "changes_opened_180d", "pr_first_response_days": "change_first_response_days",
		"pr_closure_ratio": "change_closure_ratio", "pr_merge_ratio": "change_merge_ratio", "pr_merge_days": "change_merge_days"} {
		m["github."+old] = "forge." + now
		delete(m, "github."+now)
	}
	return m
}()

// UpgradeFacts makes one subject's facts stored under pre-vocabulary names
// readable under their forge names, so that periods collected before the
// rename stay assessable: a renamed observation stands in for its forge
// name unless a newer observation of the forge name exists.
func UpgradeFacts(facts map[string]Observation) {
	for old, now := range renamedMetrics {
		o, ok := facts[old]
		if !ok {
			continue
		}
		if cur, ok := facts[now]; ok && !cur.ObservedAt.Before(o.ObservedAt) {
			continue
		}
		o.Metric = now
		facts[now] = o
	}
}
