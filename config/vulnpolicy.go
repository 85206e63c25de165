package config

import (
	"fmt"

	"github.com/osgauge/osgauge/internal/yamlpos"
	"github.com/osgauge/osgauge/vulns"
)

// VulnerabilityPolicy is the config's vulnerability_policy: section (issue
// 24): the days allowed to fix a finding, per severity and for
// known-exploited vulnerabilities, counted from when the finding opened
// (the SBOM that brought it, or the vulnerability's publication when
// later).
//
//	vulnerability_policy:
//	  deadlines_days: {kev: 14, critical: 30, high: 30, medium: 90, low: 180}
//
// Every key is optional; the defaults (vulns.DefaultDeadlines) and their
// sources: kev 14 — CISA BOD 22-01 (two weeks for known-exploited CVEs
// from 2021 on); critical 30 and high 30 — PCI DSS v4.0 requirement 6.3.3
// (critical and high security patches within one month of release) and
// FedRAMP Rev. 5 continuous monitoring (30 days); medium 90 and low 180 —
// FedRAMP Rev. 5 (moderate 90, low 180 days). A finding of unknown
// severity has the medium deadline; a known-exploited one the earlier of
// its severity's deadline and kev days from the later of its opening and
// the day CISA added it.
type VulnerabilityPolicy struct {
	DeadlinesDays DeadlinesDays `yaml:"deadlines_days"`
}

// DeadlinesDays are the days per class; nil is the default.
type DeadlinesDays struct {
	KEV      *int `yaml:"kev"`
	Critical *int `yaml:"critical"`
	High     *int `yaml:"high"`
	Medium   *int `yaml:"medium"`
	Low      *int `yaml:"low"`
}

// Deadlines are the policy's deadlines, the defaults where unset.
func (p VulnerabilityPolicy) Deadlines() vulns.Deadlines {
	d := vulns.DefaultDeadlines()
	dd := p.DeadlinesDays
	for _, f := range []struct {
		v   *int
		dst *int
	}{{dd.KEV, &d.KEV}, {dd.Critical, &d.Critical}, {dd.High, &d.High}, {dd.Medium, &d.Medium}, {dd.Low, &d.Low}} {
		if f.v != nil {
			*f.dst = *f.v
		}
	}
	return d
}

func (c *Config) validateVulnerabilityPolicy(doc yamlpos.Doc) []string {
	var errs []string
	dd := c.VulnerabilityPolicy.DeadlinesDays
	def := vulns.DefaultDeadlines()
	for _, f := range []struct {
		key string
		v   *int
		def int
	}{{"kev", dd.KEV, def.KEV}, {"critical", dd.Critical, def.Critical}, {"high", dd.High, def.High}, {"medium", dd.Medium, def.Medium}, {"low", dd.Low, def.Low}} {
		if f.v != nil && *f.v <= 0 {
			errs = append(errs, doc.At("vulnerability_policy", "deadlines_days", f.key)+
				fmt.Sprintf("vulnerability_policy.deadlines_days.%s must be a positive number of days (default %d), got %d", f.key, f.def, *f.v))
		}
	}
	return errs
}
