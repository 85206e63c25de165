package config

import "testing"

// Issue 22 item 9: an indicator exception without normalized sets the
// indicator aside as not applicable; it needs who, why and its dates like
// any exception.
func TestNotApplicableException(t *testing.T) {
	c, err := Parse("x.yaml", []byte("exceptions:\n  - {subject: k, indicator: I, who: Li Lei, why: vendored as source, accepted: 2026-01-01, expires: 2026-12-31}\n"))
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Exceptions) != 1 || c.Exceptions[0].Normalized != nil || c.Exceptions[0].Indicator != "I" {
		t.Errorf("exceptions = %+v", c.Exceptions)
	}
	if _, err := Parse("x.yaml", []byte("exceptions:\n  - {subject: k, indicator: I, accepted: 2026-01-01, expires: 2026-12-31}\n")); err == nil {
		t.Error("a not-applicable exception without who and why was accepted")
	}
}
