// Package scorecard runs OpenSSF Scorecard v5 in-process and records each
// check's score, reason and details as observations. It is kept in its own
// package because the scorecard library is very large: only the CLI links it.
//
// Offline, the three network clients (OSV vulnerabilities, OSS-Fuzz, the
// Best Practices badge) are replaced by stubs that fail, so those checks
// are recorded as inconclusive ("needs network"), never as "nothing found".
package scorecard

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"path/filepath"
	"runtime/debug"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/ossf/scorecard/v5/checker"
	"github.com/ossf/scorecard/v5/clients"
	"github.com/ossf/scorecard/v5/clients/localdir"
	docs "github.com/ossf/scorecard/v5/docs/checks"
	sclog "github.com/ossf/scorecard/v5/log"
	"github.com/ossf/scorecard/v5/pkg/scorecard"

	"github.com/google/go-containerregistry/pkg/v1/remote"

	"github.com/osgauge/osgauge/collectors"
	"github.com/osgauge/osgauge/models"
)

// Scorecard's Pinned-Dependencies check asks container registries for image
// digests only to write remediation text (remediation.CraneDigester, which
// cannot be injected). Offline that stalls about 5 s per Dockerfile image,
// and a digest never changes a score, so registry lookups are refused.
func init() { remote.DefaultTransport = refuseRegistry{} }

type refuseRegistry struct{}

func (refuseRegistry) RoundTrip(*http.Request) (*http.Response, error) {
	return nil, errors.New("osgauge: container registry lookups are disabled")
}

// Name is the source name of Scorecard observations.
const Name = "scorecard"

// errOffline is what the offline stubs answer: the check then scores -1.
var errOffline = errors.New("needs network (offline run)")

// needsHost are the checks that use the repository host's API and do not
// run on a local directory.
var needsHost = []string{"Branch-Protection", "CI-Tests", "CII-Best-Practices", "Code-Review", "Contributors", "Maintained", "Signed-Releases"}

// Collector runs Scorecard on a local directory.
type Collector struct {
	// Timeout bounds one repository's run.
	Timeout time.Duration
	Now     func() time.Time
}

// New returns a local-mode Scorecard collector.
func New() *Collector { return &Collector{Timeout: 2 * time.Minute, Now: time.Now} }

func (c *Collector) Name() string            { return Name }
func (c *Collector) Needs() collectors.Needs { return collectors.Needs{Clone: true} }

func (c *Collector) Applies(t collectors.Target) (bool, string) {
	if t.LocalPath == "" {
		return false, "no local_path (local mode scans a directory)"
	}
	return true, ""
}

// Collect runs the checks that work on a directory and records every check.
func (c *Collector) Collect(ctx context.Context, t collectors.Target) ([]models.Observation, collectors.Cost, error) {
	cost := collectors.Cost{RateRemaining: -1}
	repo, err := localdir.MakeLocalDirRepo(t.LocalPath)
	if err != nil {
		return nil, cost, fmt.Errorf("scorecard: %w", err)
	}
	if c.Timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, c.Timeout)
		defer cancel()
	}
	res, err := scorecard.Run(ctx, repo,
		scorecard.WithLogLevel(sclog.ErrorLevel),
		scorecard.WithVulnerabilitiesClient(offlineVulns{}),
		scorecard.WithOpenSSFBestPraticesClient(offlineBadge{}),
		scorecard.WithOSSFuzzClient(offlineFuzz{}),
	)
	if err != nil {
		return nil, cost, fmt.Errorf("scorecard: %w", err)
	}
	notRun := map[string]string{}
	for _, name := range needsHost {
		notRun[name] = "not run on a local directory: needs the repository host's API (scorecard.mode github or api)"
	}
	return observations(runInfo{subject: t.Subject.ID, where: filepath.Base(t.LocalPath), kind: "local", now: c.Now(), notRun: notRun}, &res), cost, nil
}

// runInfo describes one Scorecard run for observations: every mode records
// checks the same way, so the models do not care which mode produced them.
type runInfo struct {
	subject string
	where   string // what was scanned, as shown in evidence: a folder name or host/owner/repo
	mode    string // "" (local) or e.g. "github mode", shown in evidence
	kind    string // "local" or "github": the aggregate's evidence says "conclusive <kind> checks"
	now     time.Time
	// notRun maps a check that may not have run to the reason recorded
	// for it when it did not.
	notRun map[string]string
}

// observations turns a Scorecard result into one observation per check
// (scorecard.<Check>, 0–10, or inconclusive with a reason) and the
// risk-weighted aggregate (scorecard.aggregate).
func observations(r runInfo, res *scorecard.Result) []models.Observation {
	now := r.now
	version := moduleVersion()
	if r.mode != "" {
		version += " (" + r.mode + ")"
	}
	subject, dirName := r.subject, r.where
	obs := func(metric string) models.Observation {
		return models.Observation{SubjectID: subject, Metric: Name + "." + metric, Source: Name, ObservedAt: now, Unit: "0-10"}
	}
	checks := append([]checker.CheckResult(nil), res.Checks...)
	sort.Slice(checks, func(i, j int) bool { return checks[i].Name < checks[j].Name }) // Run's order is random
	ran := map[string]bool{}
	var out []models.Observation
	for _, ch := range checks {
		ran[ch.Name] = true
		o := obs(ch.Name)
		o.Evidence = fmt.Sprintf("Scorecard %s %s on %s: %s", version, ch.Name, dirName, ch.Reason)
		if d := details(ch.Details); d != "" {
			o.Evidence += " [" + d + "]"
		}
		switch {
		case ch.Score >= 0:
			o.Value = models.Num(float64(ch.Score))
		case ch.Error != nil && errors.Is(ch.Error, errOffline):
			o.Reason = errOffline.Error()
		case ch.Error != nil && strings.Contains(ch.Error.Error(), errOffline.Error()):
			o.Reason = errOffline.Error()
		case ch.Error != nil:
			o.Reason = "check failed: " + ch.Error.Error()
		default:
			o.Reason = "inconclusive: " + ch.Reason
		}
		out = append(out, o)
	}
	for name, why := range r.notRun {
		if !ran[name] {
			o := obs(name)
			o.Reason = why
			out = append(out, o)
		}
	}
	agg := obs("aggregate")
	if doc, err := docs.Read(); err != nil {
		agg.Reason = "scorecard check docs: " + err.Error()
	} else if v, err := res.GetAggregateScore(doc); err != nil || v < 0 {
		agg.Reason = "no conclusive check"
	} else {
		agg.Value = models.Num(upstreamRound(v))
		agg.Evidence = fmt.Sprintf("Scorecard %s risk-weighted mean of %d conclusive %s checks on %s", version, conclusive(checks), r.kind, dirName)
	}
	out = append(out, agg)
	sort.Slice(out, func(i, j int) bool { return out[i].Metric < out[j].Metric })
	return out
}

// upstreamRound rounds an aggregate exactly as the scorecard CLI prints it
// (scoreToString and the JSON formats use "%.1f" on the float64 mean), so
// that the figure a reviewer reads from `scorecard --local` is the one
// osgauge shows: 417.5/50 is 8.3499… in binary and both print 8.3, where
// rounding half up on 8.35 would give 8.4.
func upstreamRound(v float64) float64 {
	r, err := strconv.ParseFloat(fmt.Sprintf("%.1f", v), 64)
	if err != nil {
		return v
	}
	return r
}

func conclusive(cs []checker.CheckResult) int {
	n := 0
	for _, c := range cs {
		if c.Score >= 0 {
			n++
		}
	}
	return n
}

// details keeps the first few warnings of a check, with their file paths,
// short enough to read in a report cell.
func details(ds []checker.CheckDetail) string {
	var parts []string
	for _, d := range ds {
		if d.Type != checker.DetailWarn {
			continue
		}
		t := detailText(d)
		if t == "" {
			continue // nothing to say: no "a; ; b"
		}
		parts = append(parts, t)
		if len(parts) == 3 {
			if n := countWarn(ds) - 3; n > 0 {
				parts = append(parts, fmt.Sprintf("… %d more", n))
			}
			break
		}
	}
	return strings.Join(parts, "; ")
}

// detailText is one warning as "path:line: message". Checks ported to
// probes carry their message in a finding, not in Msg.Text (which is then
// empty), as the scorecard CLI's DetailToString reads them.
func detailText(d checker.CheckDetail) string {
	text, path, line := d.Msg.Text, d.Msg.Path, d.Msg.Offset
	if f := d.Msg.Finding; f != nil && f.Message != "" {
		text, path, line = f.Message, "", 0
		if f.Location != nil {
			path = f.Location.Path
			if f.Location.LineStart != nil {
				line = *f.Location.LineStart
			}
		}
	}
	if path == "" {
		return text
	}
	if line > 0 {
		path += fmt.Sprintf(":%d", line)
	}
	return path + ": " + text
}

func countWarn(ds []checker.CheckDetail) int {
	n := 0
	for _, d := range ds {
		if d.Type == checker.DetailWarn && detailText(d) != "" {
			n++
		}
	}
	return n
}

// moduleVersion is the linked scorecard version (Result.Scorecard.Version
// says "devel" when scorecard is a library).
func moduleVersion() string {
	if bi, ok := debug.ReadBuildInfo(); ok {
		for _, d := range bi.Deps {
			if d.Path == "github.com/ossf/scorecard/v5" {
				return d.Version
			}
		}
	}
	return "v5"
}

type offlineVulns struct{}

func (offlineVulns) ListUnfixedVulnerabilities(context.Context, string, string) (clients.VulnerabilitiesResponse, error) {
	return clients.VulnerabilitiesResponse{}, errOffline
}

type offlineBadge struct{}

func (offlineBadge) GetBadgeLevel(context.Context, string) (clients.BadgeLevel, error) {
	return clients.Unknown, errOffline
}

// offlineFuzz is an OSS-Fuzz client whose only used method fails.
type offlineFuzz struct{ clients.RepoClient }

func (offlineFuzz) Search(clients.SearchRequest) (clients.SearchResponse, error) {
	return clients.SearchResponse{}, errOffline
}
