// Package jsonreport writes the machine-readable report of DESIGN.md.
package jsonreport

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"

	"github.com/osgauge/osgauge/reports"
)

// CompactAbove is the number of subjects above which the report is
// written without indentation: a large portfolio's indented JSON is
// hundreds of megabytes, most of them spaces, and is read by programs.
// The members and their names are the same either way.
const CompactAbove = 1000

// Write encodes r as JSON: indented, or compact when it has more than
// CompactAbove subjects. Subjects are encoded one at a time, so a large
// portfolio never has its whole JSON in memory at once.
func Write(w io.Writer, r *reports.Report) error {
	if r == nil {
		return fmt.Errorf("json report: no report")
	}
	if len(r.Subjects) > CompactAbove {
		return writeCompact(w, r)
	}
	head, err := json.MarshalIndent(newHeader(r), "", "  ")
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

// header encodes a report without its subjects (hidden by the shallower
// field, omitted when nil), which Write adds as the last member, and with
// its key figures ("figures", reports.Figures: the counts every output
// shows), added to the report's members, none renamed.
type header struct {
	*reports.Report
	Figures  reports.Figures `json:"figures"`
	Subjects *struct{}       `json:"subjects,omitempty"`
}

func newHeader(r *reports.Report) header { return header{Report: r, Figures: r.Figures()} }

// writeCompact is Write without indentation: the encoding of json.Marshal,
// with "subjects" written one subject at a time as the last member.
func writeCompact(w io.Writer, r *reports.Report) error {
	head, err := json.Marshal(newHeader(r))
	if err != nil {
		return err
	}
	if len(head) < 2 || head[len(head)-1] != '}' {
		return fmt.Errorf("json report: unexpected encoding of the report header")
	}
	head = head[:len(head)-1]
	if len(head) > 1 {
		head = append(head, ',')
	}
	head = append(head, `"subjects":[`...)
	if _, err := w.Write(head); err != nil {
		return err
	}
	enc := json.NewEncoder(w)
	for i := range r.Subjects {
		if i > 0 {
			if _, err := io.WriteString(w, ","); err != nil {
				return err
			}
		}
		// Encode ends each value with a newline, whitespace between
		// elements that any JSON reader skips.
		if err := enc.Encode(&r.Subjects[i]); err != nil {
			return fmt.Errorf("json report: subject %s: %w", r.Subjects[i].ID, err)
		}
	}
	_, err = io.WriteString(w, "]}\n")
	return err
}

// WriteFile writes r to path atomically.
func WriteFile(path string, r *reports.Report) error {
	return reports.WriteAtomic(path, func(w io.Writer) error { return Write(w, r) })
}
