package licenses

import (
	"fmt"
	"slices"
	"sort"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/github/go-spdx/v2/spdxexp"

	"github.com/osgauge/osgauge/licenses/aliases"
)

// Expr is one declared licence, read as an SPDX expression.
type Expr struct {
	Raw  string   `json:"raw"`            // as declared
	SPDX string   `json:"spdx,omitempty"` // the expression osgauge evaluated ("" when none could be read)
	IDs  []string `json:"ids,omitempty"`  // the licences in it, as go-spdx reconstructs them, sorted
	Err  string   `json:"error,omitempty"`
	// Notes say how the declared text was read: names and URLs mapped to
	// SPDX ids, deprecated ids replaced ("'ASF 2.0' read as Apache-2.0").
	Notes []string `json:"notes,omitempty"`
}

// Known reports whether the expression could be read.
func (e Expr) Known() bool { return e.SPDX != "" }

// curated are osgauge's own readings of names the alias sources lack:
// source-available licences that a Maven POM or package.json names
// without a version. Each reading is noted as osgauge's.
var curated = map[string]struct{ expr, why string }{
	"server side public license":         {"SSPL-1.0", "the SSPL has one version"},
	"sspl":                               {"SSPL-1.0", "the SSPL has one version"},
	"redis source available license 2.0": {"LicenseRef-RSALv2", "Redis's source-available licence (2024), not in the SPDX list"},
	"elastic license":                    {"Elastic-2.0", "no version given: Elastic License 2.0 assumed (1.0 is source-available too, so the class is the same)"},
}

// overrides are readings that must win over the alias sources because a
// source is wrong for a legal reading.
var overrides = map[string]struct{ expr, why string }{
	// ORT's simple mapping reads npm's "UNLICENSED" as the Unlicense (a
	// public-domain dedication); npm defines it as the opposite: no rights
	// granted to anyone (a private or unpublished package).
	"unlicensed": {"LicenseRef-scancode-proprietary-license", "npm's UNLICENSED grants no rights to anyone (it is not the Unlicense): a proprietary licence to be cleared"},
}

// exprCache memoises Parse for the few distinct licence strings an
// inventory holds; it is bounded, so a hostile SBOM with many distinct
// strings cannot grow it for the life of a server.
var (
	exprCache sync.Map // raw → Expr
	exprCount atomic.Int64
)

const exprCacheMax = 1 << 15

// Parse reads a declared licence: an SPDX expression (AND, OR, WITH,
// -only/-or-later and the deprecated "+"), a common licence name, or
// nothing (NOASSERTION, NONE, "").
func Parse(raw string) Expr {
	if v, ok := exprCache.Load(raw); ok {
		return v.(Expr)
	}
	e := parse(raw)
	if exprCount.Load() < exprCacheMax {
		if _, loaded := exprCache.LoadOrStore(raw, e); !loaded {
			exprCount.Add(1)
		}
	}
	return e
}

func parse(raw string) Expr {
	e := Expr{Raw: raw}
	// Names, URLs, deprecated and lower-case ids, "X WITH Commons-Clause"
	// and combinations of them are read by the alias tables (ScanCode
	// LicenseDB, ORT's mappings, the SPDX list), each reading noted.
	r := aliases.Resolve(raw)
	if c, ok := overrides[strings.ToLower(strings.TrimSpace(raw))]; ok {
		r = aliases.Result{Expr: c.expr, Declared: true,
			Notes: []string{fmt.Sprintf("'%s' read as %s: %s (osgauge curation, overriding %q)", strings.TrimSpace(raw), c.expr, c.why, r.Expr)}}
	}
	if c, ok := curated[strings.ToLower(strings.TrimSpace(raw))]; ok && r.Expr == "" {
		r = aliases.Result{Expr: c.expr, Declared: true,
			Notes: []string{fmt.Sprintf("'%s' read as %s: %s (osgauge curation)", strings.TrimSpace(raw), c.expr, c.why)}}
	}
	if strings.TrimSpace(raw) != "" {
		e.Notes = r.Notes
	}
	switch {
	case !r.Declared:
		e.Err = "no licence declared"
		return e
	case r.Expr == "":
		e.Err = "licence not recognised"
		if len(r.Notes) > 0 {
			e.Err = strings.Join(r.Notes, "; ")
		}
		return e
	}
	ids, err := spdxexp.ExtractLicenses(r.Expr)
	if err != nil {
		e.Err = err.Error()
		return e
	}
	sort.Strings(ids)
	e.SPDX, e.IDs = r.Expr, ids
	return e
}

// best returns the most favourable rank a licensee can reach: the
// smallest k such that choosing among the licences of rank ≤ k satisfies
// the expression (OR: any branch; AND: all of a branch). rank must be
// ≥ 0; it returns worst when the expression cannot be read.
func (e Expr) best(rank func(id string) int, worst int) int {
	if !e.Known() {
		return worst
	}
	ranks := make([]int, len(e.IDs))
	levels := []int{}
	for i, id := range e.IDs {
		ranks[i] = rank(id)
		if !slices.Contains(levels, ranks[i]) {
			levels = append(levels, ranks[i])
		}
	}
	sort.Ints(levels)
	for _, k := range levels {
		var allowed []string
		for i, id := range e.IDs {
			if ranks[i] <= k {
				allowed = append(allowed, id)
			}
		}
		if ok, err := spdxexp.Satisfies(e.SPDX, allowed); err == nil && ok {
			return k
		}
	}
	if len(levels) > 0 {
		return levels[len(levels)-1]
	}
	return worst
}

// Class returns the expression's class: the most favourable class the
// licensee can choose ("MIT OR GPL-3.0-only" is permissive; "MIT AND
// GPL-3.0-only" is strong copyleft). An unreadable expression is unknown.
func (e Expr) Class() string {
	return Classes[e.best(func(id string) int { return classRank(Class(id)) }, classRank(Unknown))]
}

// Normalize writes a licence expression in a form that does not depend on
// how an SBOM tool spells it: canonical ids ("GPL-2.0+" is
// "GPL-2.0-or-later"), outer parentheses dropped, and the operands of a
// plain OR or a plain AND sorted ("MIT OR Apache-2.0" is "Apache-2.0 OR
// MIT"). Mixed expressions keep their order.
func Normalize(lic string) string {
	e := strings.TrimSpace(lic)
	for strings.HasPrefix(e, "(") && strings.HasSuffix(e, ")") && !strings.ContainsAny(e[1:len(e)-1], "()") {
		e = strings.TrimSpace(e[1 : len(e)-1])
	}
	fields := strings.Fields(e)
	ops := map[string]bool{}
	var ids []string
	for i, f := range fields {
		if i%2 == 1 {
			ops[strings.ToUpper(f)] = true
			continue
		}
		ids = append(ids, Canonical(f))
	}
	if len(ops) == 1 && !strings.ContainsAny(e, "()") && len(fields)%2 == 1 && (ops["OR"] || ops["AND"]) {
		op := " OR "
		if ops["AND"] {
			op = " AND "
		}
		sort.Strings(ids)
		return strings.Join(ids, op)
	}
	if len(fields) == 1 {
		return ids[0]
	}
	return e
}
