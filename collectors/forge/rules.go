package forge

import "strings"

// IsBugLabel reports whether a label marks a bug: "bug", "kind/bug",
// "type: bug", "type/bug" and the like, in any case.
func IsBugLabel(name string) bool {
	n := strings.ToLower(strings.ReplaceAll(name, " ", ""))
	switch n {
	case "bug", "kind/bug", "type:bug", "type/bug", "kind:bug", "t-bug", "type-bug", "bugs", "confirmedbug", "缺陷", "type::bug":
		return true
	}
	return false
}

// IsSecurityPolicy reports whether a file name is a security policy.
func IsSecurityPolicy(name string) bool {
	switch strings.ToLower(name) {
	case "security.md", "security.markdown", "security.txt", "security.rst", "security.adoc", "security":
		return true
	}
	return false
}
