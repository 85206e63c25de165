// Package license detects a project's licence from the licence files at
// the root of its source tree (github.com/google/licensecheck) and records
// the SPDX identifier and the licence class as observations.
package license

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/osgauge/osgauge/collectors"
	"github.com/osgauge/osgauge/models"
)

// Name is the source name of licence observations.
const Name = "license"

// minCoverage is the share of a licence file's words that must match known
// licence texts for the match to be trusted.
const minCoverage = 70

// Collector detects licences in a local directory.
type Collector struct{ Now func() time.Time }

// New returns a licence collector.
func New() *Collector { return &Collector{Now: time.Now} }

func (c *Collector) Name() string            { return Name }
func (c *Collector) Needs() collectors.Needs { return collectors.Needs{Clone: true} }

func (c *Collector) Applies(t collectors.Target) (bool, string) {
	if t.LocalPath == "" {
		return false, "no local_path"
	}
	return true, ""
}

// AsOf reports that the collector cannot compute as of a past date: it
// reads the licence files of the working tree as they are now. gitlocal
// reads the declared licence and its changes from history as of the date.
func (c *Collector) AsOf(t collectors.Target) (bool, string) {
	if t.AsOf.IsZero() {
		return true, ""
	}
	return false, "reads the working tree's licence files as they are now, not as of a past commit (gitlocal reads the licence's changes from history); skipped as of " + collectors.AsOfDay(t.AsOf)
}

var _ collectors.Historian = (*Collector)(nil)

// IsLicenceFile reports whether a root file name is a licence file:
// LICENSE, LICENCE, COPYING, UNLICENSE (any case), optionally with a
// .md, .txt, .rst or similar extension, and LICENSE-MIT style variants.
func IsLicenceFile(name string) bool {
	n := strings.ToLower(name)
	for _, ext := range []string{".md", ".markdown", ".txt", ".rst", ".adoc", ".asciidoc", ".org", ".html"} {
		if strings.HasSuffix(n, ext) {
			n = strings.TrimSuffix(n, ext)
			break
		}
	}
	switch n {
	case "license", "licence", "copying", "copying.lesser", "unlicense":
		return true
	}
	for _, p := range []string{"license-", "licence-", "license.", "licence.", "copying-"} {
		if strings.HasPrefix(n, p) {
			return true
		}
	}
	return false
}

// Collect scans the licence files at the root of t.LocalPath.
func (c *Collector) Collect(ctx context.Context, t collectors.Target) ([]models.Observation, collectors.Cost, error) {
	cost := collectors.Cost{RateRemaining: -1}
	entries, err := os.ReadDir(t.LocalPath)
	if err != nil {
		return nil, cost, fmt.Errorf("license: %w", err)
	}
	now := c.Now()
	obs := func(metric string) models.Observation {
		return models.Observation{SubjectID: t.Subject.ID, Metric: Name + "." + metric, Source: Name, ObservedAt: now}
	}
	var files, ids, evidence []string
	thirdParty := 0
	// digest fingerprints the licence files' names and contents, so that a
	// change of detection between runs (a newer osgauge reading the same
	// files differently) is not taken for a relicensing.
	digest := sha256.New()
	for _, e := range entries {
		if e.IsDir() || !IsLicenceFile(e.Name()) {
			continue
		}
		if data, err := os.ReadFile(filepath.Join(t.LocalPath, e.Name())); err == nil {
			fmt.Fprintf(digest, "%s\x00%d\x00", e.Name(), len(data))
			digest.Write(data)
		}
		if IsThirdPartyFile(e.Name()) {
			// LICENSE-3rdparty.csv, LICENSE-THIRD-PARTY: the licences of
			// bundled code, not what the project is licensed under.
			thirdParty++
			evidence = append(evidence, e.Name()+": licences of bundled third-party code, not the project's")
			continue
		}
		if IsDocsLicenceFile(e.Name()) {
			evidence = append(evidence, e.Name()+": the documentation's licence, not the code's")
			continue
		}
		if !IsLicenceText(e.Name()) {
			continue // license-checker-config.json and the like: a tool's file, not a licence
		}
		files = append(files, e.Name())
		data, err := os.ReadFile(filepath.Join(t.LocalPath, e.Name()))
		if err != nil {
			return nil, cost, fmt.Errorf("license: %w", err)
		}
		d := DetectText(data)
		if d.ID == "" {
			evidence = append(evidence, fmt.Sprintf("%s: not recognised (%.0f%% of the text matched known licences)", e.Name(), d.Percent))
			continue
		}
		ev := fmt.Sprintf("%s: %s (%.0f%% matched)", e.Name(), d.ID, d.Percent)
		switch {
		case d.ByWording:
			ev = fmt.Sprintf("%s: %s (a source-available licence the scanner does not know, recognised by its wording)", e.Name(), d.ID)
		case d.Percent < minCoverage:
			ev = fmt.Sprintf("%s: %s (opens with its full text; %.0f%% of the whole file matched)", e.Name(), d.ID, d.Percent)
		}
		if len(d.Others) > 0 {
			ev += fmt.Sprintf("; also contains %s text after it (taken as bundled third-party notices, not the project's licence)", strings.Join(d.Others, ", "))
		}
		evidence = append(evidence, ev)
		if !slices.Contains(ids, d.ID) {
			ids = append(ids, d.ID)
		}
	}
	ev := strings.Join(evidence, "; ")
	foundObs := obs("found")
	foundObs.Value = models.Bool(len(files) > 0)
	foundObs.Evidence = ev
	if len(files) == 0 {
		foundObs.Evidence = "no LICENSE, LICENCE or COPYING file at the root of " + filepath.Base(t.LocalPath)
		if thirdParty > 0 {
			foundObs.Evidence += " (only third-party licence lists: " + ev + ")"
		}
	}
	out := []models.Observation{foundObs}
	spdx, class := obs("spdx"), obs("class")
	switch {
	case len(files) == 0:
		spdx.Reason, class.Reason = "no licence file", "no licence file"
	case len(ids) == 0:
		spdx.Reason = "licence text not recognised"
		class.Text, class.Evidence = "unknown", ev
	default:
		// Several licence files (LICENSE-MIT, LICENSE-APACHE) usually mean a
		// choice; with no SPDX expression in the tree we list them with OR,
		// and classify by the most restrictive one, which is the safe
		// reading. Within one file only the licence it declares counts:
		// texts appended after it are bundled code's (DetectText).
		expr := Expression(ids)
		spdx.Text, spdx.Evidence = expr, ev
		class.Text, class.Evidence = Strictest(components(expr)), ev
	}
	files256 := obs("files_sha256")
	files256.Text = hex.EncodeToString(digest.Sum(nil))
	files256.Evidence = "sha256 of the root licence files' names and contents: " + strings.Join(files, ", ")
	return append(out, spdx, class, files256), cost, nil
}
