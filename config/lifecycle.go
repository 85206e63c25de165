package config

import (
	"fmt"
	"path/filepath"
	"regexp"
	"slices"
	"strings"

	"github.com/osgauge/osgauge/internal/yamlpos"
	"github.com/osgauge/osgauge/policy"
)

// Lifecycle is the config's lifecycle: section (issue 23): which
// components need an intake decision, where the ledger of decisions and
// exits lives, and the intake and use policy.
//
//	lifecycle:
//	  intake_required: direct   # direct (default) | all | none
//	  ledger: ledger/           # default: ledger/ beside the config
//	  policy: {min_grade: C, block_severity: critical, block_kev: true,
//	           banned_licences: [AGPL-3.0-only], review_months: 12}
type Lifecycle struct {
	// IntakeRequired: direct (the components a system declares itself
	// need an intake decision; the default), all (transitive ones too:
	// passive intake, 被动引入) or none.
	IntakeRequired string `yaml:"intake_required"`
	// Ledger is the folder of the decision and exit files, relative to
	// the config (default ledger/ beside it); LedgerDir resolves it.
	Ledger string `yaml:"ledger"`
	// Policy is the intake and use policy; the policy package defines and
	// validates its keys and defaults (policy.Rules). Policy.IntakeRequired
	// is set from IntakeRequired.
	Policy policy.Rules `yaml:"policy"`
}

// DefaultLedger is the ledger folder when lifecycle.ledger is not set.
const DefaultLedger = "ledger"

// LedgerDir is the ledger folder, resolved against the config's folder.
func (c *Config) LedgerDir() string {
	d := c.Lifecycle.Ledger
	if strings.TrimSpace(d) == "" {
		d = DefaultLedger
	}
	return filepath.Clean(c.Resolve(d))
}

func (c *Config) applyLifecycleDefaults() {
	l := &c.Lifecycle
	if l.IntakeRequired == "" {
		l.IntakeRequired = policy.IntakeDirect
	}
	if strings.TrimSpace(l.Ledger) == "" {
		l.Ledger = DefaultLedger
	}
	l.Policy.IntakeRequired = l.IntakeRequired
	l.Policy = l.Policy.WithDefaults()
}

// policyKey finds the key a policy message names ("lifecycle.policy.min_grade: …").
var policyKey = regexp.MustCompile(`^lifecycle\.(?:policy\.)?([a-z_]+)`)

func (c *Config) validateLifecycle(doc yamlpos.Doc) []string {
	var errs []string
	l := c.Lifecycle
	if !slices.Contains(policy.IntakeScopes, l.IntakeRequired) {
		errs = append(errs, doc.At("lifecycle", "intake_required")+fmt.Sprintf("lifecycle.intake_required must be direct, all or none, got %q", l.IntakeRequired))
	}
	for _, msg := range l.Policy.Validate() {
		if strings.HasPrefix(msg, "lifecycle.intake_required") {
			continue // reported above
		}
		at := doc.At("lifecycle", "policy")
		if m := policyKey.FindStringSubmatch(msg); m != nil {
			at = doc.At("lifecycle", "policy", m[1])
		}
		errs = append(errs, at+msg)
	}
	return errs
}
