// Package table is the shape of the embedded alias data, shared by the
// generator and the runtime.
package table

// Entry is one reading of a licence name or URL.
type Entry struct {
	Expr   string `json:"e"`           // SPDX expression
	Source string `json:"s"`           // where the reading comes from, in words
	Name   string `json:"n,omitempty"` // the spelling in that source
	Amb    bool   `json:"a,omitempty"` // the source calls the reading ambiguous (the most common one)
	Alt    string `json:"x,omitempty"` // a source that reads it otherwise, and how
}

// File is the whole data file.
type File struct {
	Sources    []Source          `json:"sources"`
	Entries    []Entry           `json:"entries"`
	Exact      map[string]int    `json:"exact"`      // norm.Exact(name) → entry
	Loose      map[string]int    `json:"loose"`      // norm.Loose(name) → entry
	URL        map[string]int    `json:"url"`        // norm.URL(url) → entry
	Deprecated map[string]int    `json:"deprecated"` // lower-case deprecated SPDX id → entry
	Exceptions map[string]string `json:"exceptions"` // norm.Loose(exception name) → SPDX exception id
}

// Source is one data source, for the record.
type Source struct {
	Name    string `json:"name"`
	Version string `json:"version"`
	Licence string `json:"licence"`
	URL     string `json:"url"`
}
