package models

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// DefaultExceptionMaxMonths is how long an exception may run, from the day
// it was accepted to its expiry, when the config sets no
// exception_policy.max_months.
const DefaultExceptionMaxMonths = 12

// Exception is an accepted risk or a false positive, with its audit trail:
// who accepted it, why, when, and until when. It waives a gate for the
// identifiers or values it names (Accepts), or replaces (or sets aside as
// not applicable) one indicator of one subject; it applies from Accepted
// through Expires.
type Exception struct {
	Subject    string   `yaml:"subject" json:"subject"`                 // subject id or name
	Model      string   `yaml:"model" json:"model,omitempty"`           // optional: only this model
	Indicator  string   `yaml:"indicator" json:"indicator,omitempty"`   // an indicator or penalty (modifier) id, or
	Gate       string   `yaml:"gate" json:"gate,omitempty"`             // a gate id
	Normalized *float64 `yaml:"normalized" json:"normalized,omitempty"` // indicator value to use instead (0..1); omitted: not applicable
	// Accepts names what a gate exception accepted: the vulnerability ids
	// (CVE-2021-44228, GHSA-…), the licence (BUSL-1.1) or the value (1 for
	// a maintainer count) the gate fired on. When the gate fires on
	// anything else it fires again, its reason naming what is new. Without
	// Accepts an exception waives a gate whose firing carries no
	// identifiers whatever its value; on a gate whose firing carries
	// identifiers (vulnerabilities, licences) it is refused.
	Accepts  []string `yaml:"accepts" json:"accepts,omitempty"`
	Who      string   `yaml:"who" json:"who"`
	Why      string   `yaml:"why" json:"why"`
	Accepted string   `yaml:"accepted" json:"accepted,omitempty"` // YYYY-MM-DD, the first day it applies
	Expires  string   `yaml:"expires" json:"expires"`             // YYYY-MM-DD, the last day it applies
}

// ActiveAt reports whether the exception applies at t: from the start of
// its accepted day through the whole of its expiry day (UTC). The config
// requires both dates; an exception built without an accepted date (by a
// caller predating it) has no start, one with an unreadable date never
// applies.
func (e Exception) ActiveAt(t time.Time) bool {
	return e.InactiveWhy(t) == ""
}

// InactiveWhy says why the exception does not apply at t ("" when it
// does): not yet accepted, expired, or a date unreadable.
func (e Exception) InactiveWhy(t time.Time) string {
	var a time.Time
	if e.Accepted != "" {
		var err error
		if a, err = time.Parse(time.DateOnly, e.Accepted); err != nil {
			return fmt.Sprintf("accepted must be a date YYYY-MM-DD, got %q: not applied", e.Accepted)
		}
	}
	d, err := time.Parse(time.DateOnly, e.Expires)
	if err != nil {
		return fmt.Sprintf("expires must be a date YYYY-MM-DD, got %q: not applied", e.Expires)
	}
	t = t.UTC()
	switch {
	case !a.IsZero() && t.Before(a):
		return fmt.Sprintf("accepted on %s, after %s: not applied", e.Accepted, t.Format(time.DateOnly))
	case !t.Before(d.AddDate(0, 0, 1)):
		return "expired on " + e.Expires + ": not applied"
	}
	return ""
}

// CheckDuration reports an error when the exception runs longer than
// maxMonths calendar months from its accepted day (maxMonths ≤ 0: the
// default, 12), or expires before it was accepted. Dates that do not
// parse are left to the caller's date checks.
func (e Exception) CheckDuration(maxMonths int) string {
	if maxMonths <= 0 {
		maxMonths = DefaultExceptionMaxMonths
	}
	a, err1 := time.Parse(time.DateOnly, e.Accepted)
	d, err2 := time.Parse(time.DateOnly, e.Expires)
	if err1 != nil || err2 != nil {
		return ""
	}
	if d.Before(a) {
		return fmt.Sprintf("expires %s is before accepted %s", e.Expires, e.Accepted)
	}
	// The last day allowed: the day before the same date maxMonths later
	// (accepted 2026-01-15, 12 months: through 2027-01-14).
	last := AddMonths(a, maxMonths).AddDate(0, 0, -1)
	if d.After(last) {
		return fmt.Sprintf("runs from %s to %s, longer than the policy's maximum of %d months (exception_policy.max_months): expire it on %s at the latest and renew it then",
			e.Accepted, e.Expires, maxMonths, last.Format(time.DateOnly))
	}
	return ""
}

// AcceptsID reports whether the exception names id among what it accepted
// (case-insensitive; numbers compare as written: "1" and "1.0" are one).
func (e Exception) AcceptsID(id string) bool {
	for _, a := range e.Accepts {
		if strings.EqualFold(strings.TrimSpace(a), strings.TrimSpace(id)) || sameNumber(a, id) {
			return true
		}
	}
	return false
}

// sameNumber reports whether a and b are both numbers and equal ("1" and
// "1.0").
func sameNumber(a, b string) bool {
	x, err1 := strconv.ParseFloat(strings.TrimSpace(a), 64)
	y, err2 := strconv.ParseFloat(strings.TrimSpace(b), 64)
	return err1 == nil && err2 == nil && x == y
}

// Target names what the exception touches.
func (e Exception) Target() string {
	if e.Gate != "" {
		return e.Gate
	}
	return e.Indicator
}

// AppliedException is an exception as a result records it: Active ones
// changed the result (Effect says how); the others are listed with the
// reason they did not (expired, not yet accepted, refused, nothing to
// waive), so that nobody is surprised.
type AppliedException struct {
	Exception
	Active bool   `json:"active"`
	Effect string `json:"effect"`
}

// The identifiers an observation counts (the vulnerabilities of
// osv.kev_unpatched) travel machine-readably at the end of its evidence,
// as " [ids: CVE-2021-44228/GHSA-jfh8-c2jp-5v3q, CVE-2022-22965]": one
// entry per counted item, its aliases joined by "/". Exceptions match
// them (Accepts).
const idsMarker = " [ids: "

// WithIDs appends the identifiers marker for items (each an item's ids,
// aliases of one another) to evidence; evidence is unchanged when items
// is empty.
func WithIDs(evidence string, items [][]string) string {
	if len(items) == 0 {
		return evidence
	}
	parts := make([]string, 0, len(items))
	for _, ids := range items {
		parts = append(parts, strings.Join(ids, "/"))
	}
	return evidence + idsMarker + strings.Join(parts, ", ") + "]"
}

// EvidenceIDs reads the identifiers marker WithIDs wrote: one entry per
// counted item, each its ids; ok is false when the evidence has none.
func EvidenceIDs(evidence string) (items [][]string, ok bool) {
	i := strings.LastIndex(evidence, idsMarker)
	if i < 0 {
		return nil, false
	}
	rest := evidence[i+len(idsMarker):]
	j := strings.Index(rest, "]")
	if j < 0 {
		return nil, false
	}
	for _, part := range strings.Split(rest[:j], ",") {
		var ids []string
		for _, id := range strings.Split(part, "/") {
			if id = strings.TrimSpace(id); id != "" {
				ids = append(ids, id)
			}
		}
		if len(ids) > 0 {
			items = append(items, ids)
		}
	}
	return items, true
}
