// Package aliases reads the free-text licences SBOMs declare ("Apache
// License, Version 2.0", "ALv2", "GPL-2.0+", "CDDL+GPL", a licence URL, a
// lower-case SPDX expression, "Apache License 2.0 AND MIT") as SPDX
// expressions that github.com/github/go-spdx/v2/spdxexp accepts, with a
// note for every reading made.
//
// The readings come from maintained data, embedded in data/aliases.json.gz
// (see data/README.md): ORT's curated licence mappings, which win; the
// SPDX licence list's ids, deprecated ids and names; and ScanCode
// LicenseDB's names, short names, keys and URLs. Unknown stays unknown:
// nothing is guessed.
package aliases

import (
	"regexp"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/github/go-spdx/v2/spdxexp"

	"github.com/osgauge/osgauge/licenses/aliases/internal/norm"
	"github.com/osgauge/osgauge/licenses/aliases/internal/table"
)

// Result is how one declared licence string was read.
type Result struct {
	Expr     string   // SPDX expression ("" when nothing could be read or nothing was declared)
	Notes    []string // every mapping made, in words a lawyer reads
	Declared bool     // false for "", NOASSERTION, NONE, UNKNOWN (no licence declared)
}

// cache memoises Resolve; SBOMs repeat the same few strings. It stops
// growing at maxCache entries, so hostile input cannot fill memory.
var (
	cache     sync.Map
	cacheSize atomic.Int64
)

const maxCache = 1 << 14

// Resolve reads one declared licence string. It is safe for concurrent use.
func Resolve(raw string) Result {
	if v, ok := cache.Load(raw); ok {
		return clone(v.(Result))
	}
	r := resolve(raw)
	if cacheSize.Load() < maxCache {
		if _, loaded := cache.LoadOrStore(raw, r); !loaded {
			cacheSize.Add(1)
		}
	}
	return clone(r)
}

func clone(r Result) Result {
	r.Notes = append([]string(nil), r.Notes...)
	return r
}

func resolve(raw string) Result {
	s := strings.TrimSpace(raw)
	switch strings.ToUpper(strings.Trim(s, `"' `)) {
	case "", "NOASSERTION", "NONE", "UNKNOWN":
		return Result{Notes: []string{q(raw) + ": no licence declared"}}
	}
	r := Result{Declared: true}
	if e, note, ok := ID(s); ok {
		r.Expr = e
		r.Notes = addNote(nil, note)
		return verify(r, raw)
	}
	// "MIT (http://mootools.net/license.txt)", "BSD 3-Clause (BSD-3-Clause)":
	// a name with its URL or id in parentheses.
	if m := nameParen.FindStringSubmatch(s); m != nil {
		if r, ok := nameWithRef(raw, m[1], m[2]); ok {
			return verify(r, raw)
		}
	}
	p := parser{toks: tokenize(s)}
	e, ok := p.expr()
	if ok && p.i == len(p.toks) && len(p.unknown) == 0 && p.err == "" {
		r.Expr = strings.TrimSpace(e)
		r.Notes = p.notes
		return verify(r, raw)
	}
	switch {
	case len(p.unknown) > 0:
		r.Notes = []string{q(raw) + " not read: " + strings.Join(quoteAll(p.unknown), ", ") + " not recognised as a licence name, id or URL"}
	case p.err != "":
		r.Notes = []string{q(raw) + " not read: " + p.err}
	default:
		r.Notes = []string{q(raw) + " not read: not a licence name, id, URL or expression osgauge knows"}
	}
	return r
}

// verify makes sure go-spdx accepts what Resolve returns.
func verify(r Result, raw string) Result {
	r.Expr = unwrap(r.Expr)
	if _, err := spdxexp.ExtractLicenses(r.Expr); err != nil {
		return Result{Declared: true, Notes: []string{q(raw) + " not read: " + r.Expr + " is not a valid SPDX expression (" + err.Error() + ")"}}
	}
	return r
}

var nameParen = regexp.MustCompile(`^(.+?)\s*\(\s*([^()\s]+)\s*\)$`)

func nameWithRef(raw, name, ref string) (Result, bool) {
	e1, n1, ok1 := ID(name)
	e2, n2, ok2 := ID(ref)
	switch {
	case ok1 && ok2 && e1 == e2:
		return Result{Expr: e1, Declared: true, Notes: addNote(addNote(nil, n1), n2)}, true
	case ok1 && !ok2 && norm.IsURL(ref):
		return Result{Expr: e1, Declared: true, Notes: addNote(addNote(nil, n1), q(raw)+": the licence is named; the URL "+q(ref)+" is not one osgauge knows and was not used")}, true
	case ok1 && ok2:
		return Result{Declared: true, Notes: []string{q(raw) + " not read: the name reads as " + e1 + " but " + q(ref) + " reads as " + e2}}, true
	}
	return Result{}, false
}

// ID maps one licence name, id (any case) or URL to an SPDX id or small
// expression; ok is false if it is unknown. note says how it was read
// ("" when it is an SPDX id as written, in any case).
func ID(nameOrURL string) (expr, note string, ok bool) {
	d := load()
	s := strings.TrimSpace(nameOrURL)
	s = strings.TrimSpace(strings.Trim(s, `"'`))
	if s == "" {
		return "", "", false
	}
	if norm.IsURL(s) {
		return d.url(s)
	}
	if strings.Count(s, "(") != strings.Count(s, ")") {
		return "", "", false // "(MIT OR Apache-2.0": broken, not a name
	}
	low := strings.ToLower(s)
	if id, ok := d.licences[low]; ok {
		return id, "", true
	}
	if i, ok := d.f.Deprecated[low]; ok {
		e := d.f.Entries[i]
		if e.Expr == e.Name {
			return e.Expr, q(s) + " is a deprecated SPDX id with no single current id; kept as " + e.Expr + " (" + e.Source + ")", true
		}
		return e.Expr, q(s) + " is a deprecated id, read as " + e.Expr + " (" + e.Source + ")", true
	}
	if base, ok := strings.CutSuffix(low, "+"); ok {
		if id, ok := d.licences[base]; ok {
			if later, ok := d.licences[strings.TrimSuffix(base, "-only")+"-or-later"]; ok && !strings.HasSuffix(base, "-or-later") {
				return later, q(s) + ": '+' means 'or any later version', read as " + later + " (SPDX licence list)", true
			}
			return id + "+", "", true
		}
	}
	if i, ok := d.f.Exact[norm.Exact(s)]; ok {
		return d.f.Entries[i].Expr, describe(s, d.f.Entries[i]), true
	}
	if i, ok := d.f.Loose[norm.Loose(s)]; ok {
		return d.f.Entries[i].Expr, describe(s, d.f.Entries[i]), true
	}
	if ref.MatchString(s) {
		return s, "", true // a LicenseRef of the document's own
	}
	return "", "", false
}

var ref = regexp.MustCompile(`^(DocumentRef-[A-Za-z0-9.-]+:)?LicenseRef-[A-Za-z0-9.-]+$`)

var spdxURL = regexp.MustCompile(`^(?:https?://)?(?:www\.)?spdx\.org/licenses/([A-Za-z0-9.+-]+?)(?:\.html|\.json|\.txt)?/?(?:#.*)?$`)

func (d *data) url(s string) (string, string, bool) {
	// spdx.org/licenses/<id>.html is the SPDX list's own page of <id>.
	if m := spdxURL.FindStringSubmatch(s); m != nil {
		low := strings.ToLower(m[1])
		if id, ok := d.licences[low]; ok {
			return id, q(s) + " read as " + id + " (the SPDX licence list's page of " + id + ")", true
		}
		if i, ok := d.f.Deprecated[low]; ok {
			e := d.f.Entries[i]
			return e.Expr, q(s) + " is the SPDX page of the deprecated id " + e.Name + ", read as " + e.Expr + " (" + e.Source + ")", true
		}
	}
	if i, ok := d.f.URL[norm.URL(s)]; ok {
		return d.f.Entries[i].Expr, describe(s, d.f.Entries[i]), true
	}
	return "", "", false
}

func describe(s string, e table.Entry) string {
	src := e.Source
	if e.Name != "" && e.Name != s && !strings.EqualFold(norm.Exact(e.Name), norm.Exact(s)) {
		src += ": " + q(strings.Join(strings.Fields(e.Name), " "))
	}
	var n string
	if e.Amb {
		n = q(s) + " read as " + e.Expr + ": ambiguous name, the most common reading (" + src + ")"
	} else {
		n = q(s) + " read as " + e.Expr + " (" + src + ")"
	}
	if e.Alt != "" {
		n += "; " + e.Alt
	}
	return n
}

func q(s string) string { return "'" + s + "'" }

func quoteAll(ss []string) []string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = q(s)
	}
	return out
}

func addNote(notes []string, n string) []string {
	if n == "" {
		return notes
	}
	for _, x := range notes {
		if x == n {
			return notes
		}
	}
	return append(notes, n)
}

// unwrap drops parentheses around the whole expression.
func unwrap(e string) string {
	for strings.HasPrefix(e, "(") && strings.HasSuffix(e, ")") {
		depth := 0
		for i, c := range e {
			switch c {
			case '(':
				depth++
			case ')':
				depth--
			}
			if depth == 0 && i < len(e)-1 {
				return e
			}
		}
		e = strings.TrimSpace(e[1 : len(e)-1])
	}
	return e
}
