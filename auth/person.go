package auth

import (
	"fmt"
	"strings"
	"unicode"

	"golang.org/x/text/cases"
	"golang.org/x/text/unicode/norm"
)

// FoldName is the form names are compared in: NFKC-normalised (so that
// full-width or compatibility letters are the plain ones), case-folded,
// spaces trimmed.
func FoldName(name string) string {
	return cases.Fold().String(norm.NFKC.String(strings.TrimSpace(name)))
}

// SamePerson says whether names a and b are the same person's: equal
// once folded (FoldName). A name mixing scripts that look alike (CheckName)
// is never the same as another, so that "аlice" (Cyrillic а) is not taken
// for alice nor counted as someone else.
func SamePerson(a, b string) bool {
	if CheckName(a) != nil || CheckName(b) != nil {
		return false
	}
	return FoldName(a) == FoldName(b)
}

// CheckName refuses a name that mixes Latin letters with Cyrillic or
// Greek ones (confusables: "аlice" with a Cyrillic а looks like alice) or
// that holds control characters; used at key creation and sign-in.
func CheckName(name string) error {
	n := norm.NFKC.String(name)
	var latin, other bool
	for _, r := range n {
		switch {
		case unicode.IsControl(r):
			return fmt.Errorf("the name %q holds a control character", name)
		case unicode.Is(unicode.Latin, r):
			latin = true
		case unicode.Is(unicode.Cyrillic, r), unicode.Is(unicode.Greek, r):
			other = true
		}
	}
	if latin && other {
		return fmt.Errorf("the name %q mixes Latin letters with Cyrillic or Greek ones, which look alike: refused (spell it in one script)", name)
	}
	return nil
}
