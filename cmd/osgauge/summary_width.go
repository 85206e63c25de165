package main

import (
	"io"
	"strings"
	"unicode"

	"golang.org/x/text/width"
)

// runeWidth is the number of terminal columns r takes: 2 for East Asian
// Wide and Fullwidth characters (Chinese, Japanese, Korean, fullwidth
// forms), 0 for combining marks and other zero-width characters, 1 for
// the rest. text/tabwriter counts every rune as 1, so Chinese names
// misalign its columns.
func runeWidth(r rune) int {
	switch {
	case r == 0, r == '\u200b', r == '\u200d', unicode.In(r, unicode.Mn, unicode.Me, unicode.Cf):
		return 0
	case unicode.IsControl(r):
		return 0
	}
	switch width.LookupRune(r).Kind() {
	case width.EastAsianWide, width.EastAsianFullwidth:
		return 2
	}
	return 1
}

// displayWidth is the number of terminal columns s takes.
func displayWidth(s string) int {
	n := 0
	for _, r := range s {
		n += runeWidth(r)
	}
	return n
}

// truncateWidth shortens s to at most n columns, ending it with "…" when
// it was cut.
func truncateWidth(s string, n int) string {
	if displayWidth(s) <= n {
		return s
	}
	w := 0
	for i, r := range s {
		if w+runeWidth(r) > n-1 { // room for the ellipsis
			return s[:i] + "…"
		}
		w += runeWidth(r)
	}
	return s
}

// table lays out rows in columns as tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
// does, but measures cells by display width: each cell but a row's last is
// padded to its column's width plus two spaces, trailing spaces dropped.
// Lines added with span are printed in place and take no part in the
// widths (a note between rows).
type table struct {
	rows [][]string // nil: the spanning line span[index]
	span map[int]string
}

func (t *table) row(cells ...string) { t.rows = append(t.rows, cells) }

func (t *table) line(text string) {
	if t.span == nil {
		t.span = map[int]string{}
	}
	t.span[len(t.rows)] = text
	t.rows = append(t.rows, nil)
}

func (t *table) write(w io.Writer) error {
	var widths []int
	for _, r := range t.rows {
		for i, c := range r {
			if i == len(r)-1 {
				break // a row's last cell is not aligned
			}
			if i == len(widths) {
				widths = append(widths, 0)
			}
			widths[i] = max(widths[i], displayWidth(c))
		}
	}
	var b strings.Builder
	for k, r := range t.rows {
		b.Reset()
		if r == nil {
			b.WriteString(t.span[k])
		}
		for i, c := range r {
			b.WriteString(c)
			if i < len(r)-1 {
				b.WriteString(strings.Repeat(" ", widths[i]-displayWidth(c)+2))
			}
		}
		line := strings.TrimRight(b.String(), " ")
		if _, err := io.WriteString(w, line+"\n"); err != nil {
			return err
		}
	}
	return nil
}
