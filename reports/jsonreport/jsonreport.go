// Package jsonreport writes the machine-readable report of DESIGN.md.
package jsonreport

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"

	"github.com/osgauge/osgauge/reports"
)

// Write encodes r as indented JSON. Subjects are encoded one at a time, so
// a large portfolio never has its whole JSON in memory at once.
func Write(w io.Writer, r *reports.Report) error {
	if r == nil {
		return fmt.Errorf("json report: no report")
	}
	shell := *r
	shell.Subjects = nil
	head, err := json.MarshalIndent(&shell, "", "  ")
	if err != nil {
		return err
	}
	// head is {...\n}: reopen it to add "subjects" as its last member.
	if !bytes.HasSuffix(head, []byte("\n}")) {
		return fmt.Errorf("json report: unexpected encoding of the report header")
	}
	head = head[:len(head)-2]
	if _, err := w.Write(head); err != nil {
		return err
	}
	sep := []byte(",\n  \"subjects\": [")
	if len(r.Subjects) == 0 {
		_, err := io.WriteString(w, ",\n  \"subjects\": []\n}\n")
		return err
	}
	var buf bytes.Buffer
	for i := range r.Subjects {
		buf.Reset()
		buf.Write(sep)
		buf.WriteString("\n    ")
		b, err := json.MarshalIndent(&r.Subjects[i], "    ", "  ")
		if err != nil {
			return fmt.Errorf("json report: subject %s: %w", r.Subjects[i].ID, err)
		}
		buf.Write(b)
		if _, err := w.Write(buf.Bytes()); err != nil {
			return err
		}
		sep = []byte(",")
	}
	_, err = io.WriteString(w, "\n  ]\n}\n")
	return err
}

// WriteFile writes r to path atomically.
func WriteFile(path string, r *reports.Report) error {
	return reports.WriteAtomic(path, func(w io.Writer) error { return Write(w, r) })
}
