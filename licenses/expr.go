package licenses

import (
	"regexp"
	"slices"
	"sort"
	"strings"
	"sync"

	"github.com/github/go-spdx/v2/spdxexp"
)

// Expr is one declared licence, read as an SPDX expression.
type Expr struct {
	Raw  string   `json:"raw"`            // as declared
	SPDX string   `json:"spdx,omitempty"` // the expression osgauge evaluated ("" when none could be read)
	IDs  []string `json:"ids,omitempty"`  // the licences in it, as go-spdx reconstructs them, sorted
	Err  string   `json:"error,omitempty"`
}

// Known reports whether the expression could be read.
func (e Expr) Known() bool { return e.SPDX != "" }

// names maps licence names SBOM tools write instead of SPDX ids (Maven
// POMs especially) to SPDX ids. Keys are lower case.
var names = map[string]string{
	"apache license 2.0": "Apache-2.0", "apache license, version 2.0": "Apache-2.0", "apache 2.0": "Apache-2.0",
	"apache-2": "Apache-2.0", "apache 2": "Apache-2.0", "the apache software license, version 2.0": "Apache-2.0",
	"the apache license, version 2.0": "Apache-2.0", "apache software license 2.0": "Apache-2.0", "asl 2.0": "Apache-2.0",
	"mit license": "MIT", "the mit license": "MIT", "mit": "MIT", "expat": "MIT",
	"bsd": "BSD-3-Clause", "new bsd license": "BSD-3-Clause", "the bsd license": "BSD-3-Clause", "bsd license": "BSD-3-Clause",
	"bsd 3-clause": "BSD-3-Clause", "bsd-3": "BSD-3-Clause", "bsd 2-clause": "BSD-2-Clause", "simplified bsd license": "BSD-2-Clause",
	"isc license": "ISC", "mozilla public license 2.0": "MPL-2.0", "mpl 2.0": "MPL-2.0",
	"eclipse public license 1.0": "EPL-1.0", "eclipse public license - v 1.0": "EPL-1.0",
	"eclipse public license 2.0": "EPL-2.0", "eclipse public license - v 2.0": "EPL-2.0",
	"gnu general public license v2.0": "GPL-2.0-only", "gnu general public license v3.0": "GPL-3.0-only",
	"gpl": "GPL-2.0-or-later", "gplv2": "GPL-2.0-only", "gplv3": "GPL-3.0-only", "lgpl": "LGPL-2.0-or-later",
	"gnu lesser general public license": "LGPL-2.1-or-later", "lgplv2.1": "LGPL-2.1-only", "lgplv3": "LGPL-3.0-only",
	"gnu affero general public license v3.0": "AGPL-3.0-only", "agplv3": "AGPL-3.0-only",
	"server side public license": "SSPL-1.0", "server side public license, v 1": "SSPL-1.0", "sspl": "SSPL-1.0",
	"elastic license 2.0": "Elastic-2.0", "elastic license": "Elastic-2.0", "business source license 1.1": "BUSL-1.1",
	"bsl 1.1": "BUSL-1.1", "commons clause": "LicenseRef-Commons-Clause", "public domain": "LicenseRef-Public-Domain",
	"cc0": "CC0-1.0", "unlicense": "Unlicense", "the unlicense": "Unlicense",
	"mulan permissive software license, version 2": "MulanPSL-2.0", "mulan psl v2": "MulanPSL-2.0",
}

var commonsClause = regexp.MustCompile(`(?i)\s+WITH\s+Commons[- ]Clause(-1\.0)?`)

var exprCache sync.Map // raw → Expr

// Parse reads a declared licence: an SPDX expression (AND, OR, WITH,
// -only/-or-later and the deprecated "+"), a common licence name, or
// nothing (NOASSERTION, NONE, "").
func Parse(raw string) Expr {
	if v, ok := exprCache.Load(raw); ok {
		return v.(Expr)
	}
	e := parse(raw)
	exprCache.Store(raw, e)
	return e
}

func parse(raw string) Expr {
	e := Expr{Raw: raw}
	s := strings.TrimSpace(raw)
	switch strings.ToUpper(s) {
	case "", "NOASSERTION", "NONE", "UNKNOWN":
		e.Err = "no licence declared"
		return e
	}
	if id, ok := names[strings.ToLower(s)]; ok {
		s = id
	}
	// "Apache-2.0 WITH Commons-Clause" is how the Commons Clause is usually
	// written; SPDX has no such exception, so it becomes a licence of its own
	// that applies as well (AND).
	s = commonsClause.ReplaceAllString(s, " AND LicenseRef-Commons-Clause")
	if strings.EqualFold(s, "Commons-Clause") {
		s = "LicenseRef-Commons-Clause"
	}
	ids, err := spdxexp.ExtractLicenses(s)
	if err != nil {
		e.Err = err.Error()
		return e
	}
	sort.Strings(ids)
	e.SPDX, e.IDs = s, ids
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
