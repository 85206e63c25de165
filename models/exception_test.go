package models

import (
	"strings"
	"testing"
	"time"
)

func TestExceptionActiveFromAcceptedThroughExpires(t *testing.T) {
	e := Exception{Accepted: "2026-03-10", Expires: "2026-06-30"}
	day := func(s string, h int) time.Time {
		d, _ := time.Parse(time.DateOnly, s)
		return d.Add(time.Duration(h) * time.Hour)
	}
	for _, c := range []struct {
		at   time.Time
		want string
	}{
		{day("2026-03-09", 23), "accepted on 2026-03-10, after 2026-03-09: not applied"},
		{day("2026-03-10", 0), ""},
		{day("2026-06-30", 23), ""}, // the whole expiry day
		{day("2026-07-01", 0), "expired on 2026-06-30: not applied"},
	} {
		if got := e.InactiveWhy(c.at); got != c.want || e.ActiveAt(c.at) != (c.want == "") {
			t.Errorf("at %v: %q, want %q", c.at, got, c.want)
		}
	}
	if why := (Exception{Accepted: "10/03/2026", Expires: "2026-06-30"}).InactiveWhy(day("2026-04-01", 0)); !strings.Contains(why, "accepted must be a date") {
		t.Errorf("unreadable accepted: %q", why)
	}
}

func TestExceptionDuration(t *testing.T) {
	for _, c := range []struct {
		accepted, expires string
		max               int
		want              string
	}{
		// 12 months from 2026-01-15: through 2027-01-14.
		{"2026-01-15", "2027-01-14", 0, ""},
		{"2026-01-15", "2027-01-15", 0, "runs from 2026-01-15 to 2027-01-15, longer than the policy's maximum of 12 months (exception_policy.max_months): expire it on 2027-01-14 at the latest"},
		// 6 months from 2026-08-31: 2027-02-28 (clamped), so through 2027-02-27.
		{"2026-08-31", "2027-02-27", 6, ""},
		{"2026-08-31", "2027-02-28", 6, "longer than the policy's maximum of 6 months"},
		{"2026-05-01", "2026-04-30", 12, "expires 2026-04-30 is before accepted 2026-05-01"},
	} {
		got := Exception{Accepted: c.accepted, Expires: c.expires}.CheckDuration(c.max)
		if (c.want == "") != (got == "") || !strings.Contains(got, c.want) {
			t.Errorf("%s..%s max %d: %q, want %q", c.accepted, c.expires, c.max, got, c.want)
		}
	}
}

func TestExceptionAcceptsAndEvidenceIDs(t *testing.T) {
	e := Exception{Accepts: []string{"cve-2021-44228", "1", "BUSL-1.1"}}
	for id, want := range map[string]bool{"CVE-2021-44228": true, "1.0": true, "1": true, "2": false, "busl-1.1": true, "CVE-2021-45046": false} {
		if e.AcceptsID(id) != want {
			t.Errorf("AcceptsID(%q) = %v", id, !want)
		}
	}
	ev := WithIDs("2 in the CISA KEV catalogue", [][]string{{"CVE-2021-44228", "GHSA-jfh8-c2jp-5v3q"}, {"CVE-2022-22965"}})
	if ev != "2 in the CISA KEV catalogue [ids: CVE-2021-44228/GHSA-jfh8-c2jp-5v3q, CVE-2022-22965]" {
		t.Errorf("evidence %q", ev)
	}
	items, ok := EvidenceIDs(ev)
	if !ok || len(items) != 2 || len(items[0]) != 2 || items[0][1] != "GHSA-jfh8-c2jp-5v3q" || items[1][0] != "CVE-2022-22965" {
		t.Errorf("items %v %v", items, ok)
	}
	if _, ok := EvidenceIDs("no marker here"); ok {
		t.Error("no marker read as ids")
	}
	if items, ok := EvidenceIDs(WithIDs("none", nil)); ok || items != nil {
		t.Errorf("empty: %v %v", items, ok)
	}
}
