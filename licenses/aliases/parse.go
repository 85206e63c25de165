package aliases

import (
	"strings"

	"github.com/osgauge/osgauge/licenses/aliases/internal/norm"
)

// tokenize splits an expression into "(", ")" and words.
func tokenize(s string) []string {
	var toks []string
	for _, f := range strings.Fields(s) {
		for f != "" {
			i := strings.IndexAny(f, "()")
			switch {
			case i < 0:
				toks, f = append(toks, f), ""
			case i > 0:
				toks, f = append(toks, f[:i]), f[i:]
			default:
				toks, f = append(toks, f[:1]), f[1:]
			}
		}
	}
	return toks
}

// parser reads "term (AND|OR term)*" where a term is a parenthesised
// expression or a run of words: a licence name, id or URL, optionally
// "WITH exception". A run is split on WITH only when it is not a known
// name as a whole. Operators keep their order: SPDX gives AND precedence
// over OR, as the writer of the string did.
type parser struct {
	toks    []string
	i       int
	notes   []string
	unknown []string
	err     string
	depth   int
}

func isOp(t string) bool {
	switch strings.ToUpper(t) {
	case "AND", "OR":
		return true
	}
	return false
}

func (p *parser) expr() (string, bool) {
	var b strings.Builder
	for {
		t, ok := p.term()
		if !ok {
			return "", false
		}
		b.WriteString(t)
		if p.i < len(p.toks) && isOp(p.toks[p.i]) {
			b.WriteString(" " + strings.ToUpper(p.toks[p.i]) + " ")
			p.i++
			continue
		}
		return b.String(), true
	}
}

func (p *parser) term() (string, bool) {
	if p.i >= len(p.toks) {
		p.err = "an operator without a licence after it"
		return "", false
	}
	if p.toks[p.i] == "(" {
		if p.depth > 50 {
			p.err = "parentheses nested too deep"
			return "", false
		}
		p.i++
		p.depth++
		e, ok := p.expr()
		p.depth--
		if !ok {
			return "", false
		}
		if p.i >= len(p.toks) || p.toks[p.i] != ")" {
			p.err = "a '(' without its ')'"
			return "", false
		}
		p.i++
		return "(" + e + ")", true
	}
	start := p.i
	for p.i < len(p.toks) && p.toks[p.i] != "(" && p.toks[p.i] != ")" && !isOp(p.toks[p.i]) {
		p.i++
	}
	words := p.toks[start:p.i]
	if len(words) == 0 {
		if p.i < len(p.toks) {
			p.err = "'" + p.toks[p.i] + "' where a licence was expected"
		} else {
			p.err = "an operator without a licence after it"
		}
		return "", false
	}
	return p.operand(words)
}

func (p *parser) operand(words []string) (string, bool) {
	span := strings.Join(words, " ")
	if e, n, ok := ID(span); ok {
		p.notes = addNote(p.notes, n)
		return wrap(e), true
	}
	w := -1
	for i, x := range words {
		if strings.EqualFold(x, "WITH") {
			w = i
			break
		}
	}
	if w < 0 {
		p.unknown = append(p.unknown, span)
		return "", true // go on, to report every unknown part
	}
	left, right := strings.Join(words[:w], " "), strings.Join(words[w+1:], " ")
	if left == "" || right == "" {
		p.err = "WITH needs a licence before it and an exception after it"
		return "", false
	}
	l, n, ok := ID(left)
	if !ok {
		p.unknown = append(p.unknown, left)
		return "", true
	}
	p.notes = addNote(p.notes, n)
	if strings.Contains(l, " ") {
		p.err = "'" + left + "' reads as " + l + ", which cannot take an exception"
		return "", false
	}
	if cc := norm.Loose(right); cc == "commons clause" || cc == "commons clause 1" {
		p.notes = addNote(p.notes, "'"+left+" WITH "+right+"' read as "+l+" AND LicenseRef-Commons-Clause: the Commons Clause is a licence condition added to the licence, not an SPDX exception (osgauge convention)")
		return "(" + l + " AND LicenseRef-Commons-Clause)", true
	}
	x, n, ok := exception(right)
	if !ok {
		p.unknown = append(p.unknown, right)
		return "", true
	}
	p.notes = addNote(p.notes, n)
	return "(" + l + " WITH " + x + ")", true
}

func wrap(e string) string {
	if strings.Contains(e, " ") {
		return "(" + e + ")"
	}
	return e
}

// exception reads an SPDX exception id (any case) or an exception's name.
func exception(s string) (string, string, bool) {
	d := load()
	if id, ok := d.exceptions[strings.ToLower(s)]; ok {
		return id, "", true
	}
	if id, ok := d.f.Exceptions[norm.Loose(s)]; ok {
		return id, "'" + s + "' read as the exception " + id + " (ScanCode LicenseDB, exception names)", true
	}
	return "", "", false
}
