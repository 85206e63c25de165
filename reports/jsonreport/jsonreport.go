// Package jsonreport writes the machine-readable report of DESIGN.md.
package jsonreport

import (
	"encoding/json"
	"io"

	"github.com/osgauge/osgauge/reports"
)

// Write encodes r as indented JSON.
func Write(w io.Writer, r *reports.Report) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(r)
}

// WriteFile writes r to path atomically.
func WriteFile(path string, r *reports.Report) error {
	return reports.WriteAtomic(path, func(w io.Writer) error { return Write(w, r) })
}
