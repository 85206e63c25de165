package models

import "time"

// Exception is an accepted risk or a false positive, with its audit trail:
// who accepted it, why, and until when. It waives a gate, or replaces (or
// sets aside as not applicable) one indicator of one subject, and stops
// applying after Expires.
type Exception struct {
	Subject    string   `yaml:"subject" json:"subject"`                 // subject id or name
	Model      string   `yaml:"model" json:"model,omitempty"`           // optional: only this model
	Indicator  string   `yaml:"indicator" json:"indicator,omitempty"`   // an indicator id, or
	Gate       string   `yaml:"gate" json:"gate,omitempty"`             // a gate id
	Normalized *float64 `yaml:"normalized" json:"normalized,omitempty"` // indicator value to use instead (0..1); omitted: not applicable
	Who        string   `yaml:"who" json:"who"`
	Why        string   `yaml:"why" json:"why"`
	Expires    string   `yaml:"expires" json:"expires"` // YYYY-MM-DD, the last day it applies
}

// ActiveAt reports whether the exception still applies at t (through the
// whole of its expiry day, UTC).
func (e Exception) ActiveAt(t time.Time) bool {
	d, err := time.Parse("2006-01-02", e.Expires)
	if err != nil {
		return false
	}
	return t.Before(d.AddDate(0, 0, 1))
}

// Target names what the exception touches.
func (e Exception) Target() string {
	if e.Gate != "" {
		return e.Gate
	}
	return e.Indicator
}

// AppliedException is an exception as a result records it: active ones
// changed the result; expired ones are listed so that nobody is surprised.
type AppliedException struct {
	Exception
	Active bool   `json:"active"`
	Effect string `json:"effect"`
}
