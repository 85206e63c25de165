package ledger

import (
	"fmt"
	"strconv"
	"strings"
)

// Version ranges (a decision's or an exit's versions):
//
//   - "" or "*": every version;
//   - "1.2.83" or "=1.2.83": that version (1.2.83.0 and v1.2.83 are the same
//     version; see CompareVersions);
//   - ">=1.2.83", ">1.2.83", "<2.0.0", "<=2.0.0", "!=1.2.80": comparisons;
//   - "1.2.x" (or "1.2.*"): every version whose leading parts are 1 and 2
//     (1.2, 1.2.0, 1.2.83, 1.2.83-rc1);
//   - constraints joined by commas must all hold: ">=1.2.0,<2.0.0".
//
// There is no "or": record two decisions instead. A version that is
// unknown ("") is in the range "" only.

// CheckRange returns an error when expr is not a version range.
func CheckRange(expr string) error {
	_, err := parseRange(expr)
	return err
}

// VersionMatches reports whether version lies in the range rangeExpr. An
// invalid range matches nothing (Load and Record refuse them).
func VersionMatches(rangeExpr, version string) bool {
	cs, err := parseRange(rangeExpr)
	if err != nil {
		return false
	}
	if len(cs) == 0 {
		return true
	}
	version = strings.TrimSpace(version)
	if version == "" {
		return false
	}
	for _, c := range cs {
		if !c.holds(version) {
			return false
		}
	}
	return true
}

type constraint struct {
	op       string // "=", "!=", ">", ">=", "<", "<=", "x" (leading parts)
	version  string
	wildcard []string // the leading parts of a "1.2.x" constraint
}

func parseRange(expr string) ([]constraint, error) {
	expr = strings.TrimSpace(expr)
	if expr == "" || expr == "*" {
		return nil, nil
	}
	var cs []constraint
	for _, part := range strings.Split(expr, ",") {
		p := strings.TrimSpace(part)
		if p == "" {
			return nil, fmt.Errorf("version range %q has an empty constraint (join constraints with one comma: >=1.2.0,<2.0.0)", expr)
		}
		op := "="
		for _, o := range []string{">=", "<=", "!=", "==", ">", "<", "="} {
			if strings.HasPrefix(p, o) {
				op, p = o, strings.TrimSpace(p[len(o):])
				break
			}
		}
		if op == "==" {
			op = "="
		}
		if p == "" || strings.ContainsAny(p, " <>=!|,") {
			return nil, fmt.Errorf("version range %q: %q is not a version (ranges read 1.2.83, >=1.2.83, <2.0.0, 1.2.x or >=1.2.0,<2.0.0)", expr, strings.TrimSpace(part))
		}
		if strings.HasSuffix(p, ".x") || strings.HasSuffix(p, ".*") || p == "x" {
			if op != "=" {
				return nil, fmt.Errorf("version range %q: a wildcard (%s) takes no operator", expr, p)
			}
			lead := strings.Split(strings.TrimSuffix(strings.TrimSuffix(strings.TrimPrefix(p, "v"), ".x"), ".*"), ".")
			for _, l := range lead {
				if _, err := strconv.ParseUint(l, 10, 64); err != nil {
					return nil, fmt.Errorf("version range %q: a wildcard's leading parts are numbers (1.2.x), got %q", expr, p)
				}
			}
			cs = append(cs, constraint{op: "x", wildcard: lead})
			continue
		}
		if !startsWithDigit(strings.TrimPrefix(p, "v")) {
			return nil, fmt.Errorf("version range %q: %q does not start with a number", expr, p)
		}
		cs = append(cs, constraint{op: op, version: p})
	}
	return cs, nil
}

func (c constraint) holds(v string) bool {
	if c.op == "x" {
		nums, _ := splitVersion(v)
		if len(nums) < len(c.wildcard) {
			return false
		}
		for i, w := range c.wildcard {
			if cmpPart(nums[i], w) != 0 {
				return false
			}
		}
		return true
	}
	d := CompareVersions(v, c.version)
	switch c.op {
	case "=":
		return d == 0
	case "!=":
		return d != 0
	case ">":
		return d > 0
	case ">=":
		return d >= 0
	case "<":
		return d < 0
	case "<=":
		return d <= 0
	}
	return false
}

func startsWithDigit(s string) bool { return s != "" && s[0] >= '0' && s[0] <= '9' }

// CompareVersions compares two version strings: -1, 0 or 1. A leading "v"
// is dropped and build metadata (after "+") ignored. The release is the
// leading dotted run of numbers, compared part by part as numbers (missing
// parts are 0: 1.2 = 1.2.0). What follows it ("-rc1", ".Beta2", "b3") is a
// pre-release qualifier, which sorts before the release (2.0.0-rc1 <
// 2.0.0), except Maven's final, ga and release, which are the release
// (2.5.1.RELEASE = 2.5.1). Qualifiers compare by dot-separated
// identifiers, numbers as numbers, text byte by byte, fewer before more
// (semantic versioning's rule).
func CompareVersions(a, b string) int {
	an, aq := splitVersion(a)
	bn, bq := splitVersion(b)
	for i := 0; i < max(len(an), len(bn)); i++ {
		x, y := "0", "0"
		if i < len(an) {
			x = an[i]
		}
		if i < len(bn) {
			y = bn[i]
		}
		if d := cmpPart(x, y); d != 0 {
			return d
		}
	}
	switch {
	case aq == "" && bq == "":
		return 0
	case aq == "":
		return 1
	case bq == "":
		return -1
	}
	ap, bp := strings.Split(aq, "."), strings.Split(bq, ".")
	for i := 0; i < min(len(ap), len(bp)); i++ {
		if d := cmpPart(ap[i], bp[i]); d != 0 {
			return d
		}
	}
	switch {
	case len(ap) < len(bp):
		return -1
	case len(ap) > len(bp):
		return 1
	}
	return 0
}

// splitVersion returns the release's numeric parts and the qualifier.
func splitVersion(v string) (nums []string, qualifier string) {
	v = strings.TrimSpace(v)
	v = strings.TrimPrefix(strings.TrimPrefix(v, "v"), "V")
	if i := strings.IndexByte(v, '+'); i >= 0 {
		v = v[:i]
	}
	i := 0
	for {
		j := i
		for j < len(v) && v[j] >= '0' && v[j] <= '9' {
			j++
		}
		if j == i { // no digits here: the qualifier starts
			break
		}
		nums = append(nums, v[i:j])
		i = j
		if i+1 < len(v) && v[i] == '.' && v[i+1] >= '0' && v[i+1] <= '9' {
			i++
			continue
		}
		break
	}
	q := strings.TrimLeft(v[i:], ".-_")
	switch strings.ToLower(q) {
	case "final", "ga", "release":
		q = ""
	}
	return nums, q
}

// cmpPart compares two version parts: numbers as numbers, otherwise as
// text; a number sorts before text (semantic versioning's rule).
func cmpPart(a, b string) int {
	an, aerr := strconv.ParseUint(a, 10, 64)
	bn, berr := strconv.ParseUint(b, 10, 64)
	switch {
	case aerr == nil && berr == nil:
		switch {
		case an < bn:
			return -1
		case an > bn:
			return 1
		}
		return 0
	case aerr == nil:
		return -1
	case berr == nil:
		return 1
	}
	return strings.Compare(a, b)
}
