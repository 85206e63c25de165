package scorecard

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"time"

	"github.com/osgauge/osgauge/collectors"
	"github.com/osgauge/osgauge/models"
)

// DefaultAPIBaseURL is the OpenSSF Scorecard REST API.
const DefaultAPIBaseURL = "https://api.scorecard.dev"

// APIOptions configures api mode.
type APIOptions struct {
	// BaseURL of a Scorecard-compatible REST API; DefaultAPIBaseURL if empty.
	BaseURL string
	// HTTPClient is used for the requests; a client with a 60 s timeout if nil.
	HTTPClient *http.Client
	Now        func() time.Time
}

// APICollector reads published Scorecard results from
// GET {BaseURL}/projects/{host}/{owner}/{repo} (the shape of
// api.scorecard.dev, also served by a bank's own mirror). Each check becomes
// scorecard.<Check> and the overall score scorecard.aggregate, as in the other
// modes; the evidence names the API URL and the result's date and commit.
// It runs no check itself, so it covers whatever checks the publisher ran.
type APICollector struct {
	o APIOptions
}

// NewAPI returns an api-mode Scorecard collector.
func NewAPI(o APIOptions) *APICollector {
	if o.BaseURL == "" {
		o.BaseURL = DefaultAPIBaseURL
	}
	if o.HTTPClient == nil {
		o.HTTPClient = &http.Client{Timeout: 60 * time.Second}
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	return &APICollector{o: o}
}

func (c *APICollector) Name() string            { return Name }
func (c *APICollector) Needs() collectors.Needs { return collectors.Needs{Network: true} }

// Applies needs a repository address.
func (c *APICollector) Applies(t collectors.Target) (bool, string) {
	if t.Repo == "" {
		return false, "no repo (scorecard api mode reads published results for a repository)"
	}
	if _, _, _, err := parseRepo(t.Repo); err != nil {
		return false, err.Error()
	}
	return true, ""
}

// apiResult is the published Scorecard JSON (the shape of the scorecard CLI's
// --format json and of api.scorecard.dev).
type apiResult struct {
	Date string `json:"date"`
	Repo struct {
		Name   string `json:"name"`
		Commit string `json:"commit"`
	} `json:"repo"`
	Scorecard struct {
		Version string `json:"version"`
		Commit  string `json:"commit"`
	} `json:"scorecard"`
	Score  *float64 `json:"score"`
	Checks []struct {
		Name          string   `json:"name"`
		Score         *float64 `json:"score"`
		Reason        string   `json:"reason"`
		Details       []string `json:"details"`
		Documentation struct {
			Short string `json:"short"`
			URL   string `json:"url"`
		} `json:"documentation"`
	} `json:"checks"`
}

// Collect fetches the published result and records every check in it.
func (c *APICollector) Collect(ctx context.Context, t collectors.Target) ([]models.Observation, collectors.Cost, error) {
	cost := collectors.Cost{RateRemaining: -1}
	host, owner, name, err := parseRepo(t.Repo)
	if err != nil {
		return nil, cost, fmt.Errorf("scorecard (api mode): %w", err)
	}
	project := host + "/" + owner + "/" + name
	u := strings.TrimRight(c.o.BaseURL, "/") + "/projects/" +
		url.PathEscape(host) + "/" + url.PathEscape(owner) + "/" + url.PathEscape(name)
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return nil, cost, fmt.Errorf("scorecard (api mode) %s: %w", u, err)
	}
	req.Header.Set("Accept", "application/json")
	resp, err := c.o.HTTPClient.Do(req)
	cost.Requests++
	if err != nil {
		return nil, cost, fmt.Errorf("scorecard (api mode): %w", err)
	}
	defer resp.Body.Close()
	switch {
	case resp.StatusCode == http.StatusNotFound:
		return nil, cost, fmt.Errorf("no published Scorecard result for %s (%s answered 404)", project, u)
	case resp.StatusCode != http.StatusOK:
		return nil, cost, fmt.Errorf("scorecard (api mode) GET %s: %s", u, resp.Status)
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, 16<<20))
	if err != nil {
		return nil, cost, fmt.Errorf("scorecard (api mode) GET %s: reading the body: %w", u, err)
	}
	var res apiResult
	if err := json.Unmarshal(body, &res); err != nil {
		return nil, cost, fmt.Errorf("scorecard (api mode) GET %s: malformed Scorecard JSON: %w", u, err)
	}
	if len(res.Checks) == 0 {
		return nil, cost, fmt.Errorf("scorecard (api mode) GET %s: malformed Scorecard JSON: no checks", u)
	}
	return c.observations(t.Subject.ID, u, project, &res)
}

func (c *APICollector) observations(subject, u, project string, res *apiResult) ([]models.Observation, collectors.Cost, error) {
	cost := collectors.Cost{Requests: 1, RateRemaining: -1}
	now := c.o.Now()
	version := res.Scorecard.Version
	if version == "" {
		version = "(version not given)"
	}
	src := fmt.Sprintf("Scorecard %s (api mode, %s, result of %s at commit %s)", version, u, orUnknown(res.Date), shortSHA(res.Repo.Commit))
	obs := func(metric string) models.Observation {
		return models.Observation{SubjectID: subject, Metric: Name + "." + metric, Source: Name, ObservedAt: now, Unit: "0-10"}
	}
	var out []models.Observation
	seen := map[string]bool{}
	for _, ch := range res.Checks {
		if ch.Name == "" {
			return nil, cost, fmt.Errorf("scorecard (api mode) GET %s: malformed Scorecard JSON: a check without a name", u)
		}
		if seen[ch.Name] {
			continue
		}
		seen[ch.Name] = true
		o := obs(ch.Name)
		o.Evidence = fmt.Sprintf("%s %s on %s: %s", src, ch.Name, project, ch.Reason)
		if d := apiDetails(ch.Details); d != "" {
			o.Evidence += " [" + d + "]"
		}
		switch {
		case ch.Score == nil:
			o.Reason = "no score in the published result"
		case *ch.Score >= 0 && *ch.Score <= 10:
			o.Value = models.Num(*ch.Score)
		case *ch.Score == -1:
			o.Reason = "inconclusive: " + ch.Reason
		default:
			o.Reason = fmt.Sprintf("score %g out of range in the published result", *ch.Score)
		}
		out = append(out, o)
	}
	agg := obs("aggregate")
	switch {
	case res.Score == nil || *res.Score < 0:
		agg.Reason = "no conclusive check in the published result"
	case *res.Score > 10:
		agg.Reason = fmt.Sprintf("score %g out of range in the published result", *res.Score)
	default:
		agg.Value = models.Num(upstreamRound(*res.Score))
		agg.Evidence = fmt.Sprintf("%s risk-weighted mean of %d conclusive published checks on %s", src, conclusiveAPI(out), project)
	}
	out = append(out, agg)
	sort.Slice(out, func(i, j int) bool { return out[i].Metric < out[j].Metric })
	return out, cost, nil
}

func conclusiveAPI(obs []models.Observation) int {
	n := 0
	for _, o := range obs {
		if o.Value != nil {
			n++
		}
	}
	return n
}

// apiDetails keeps the first few warnings of a published check.
func apiDetails(ds []string) string {
	var warn []string
	for _, d := range ds {
		if strings.HasPrefix(d, "Warn:") {
			warn = append(warn, strings.TrimSpace(strings.TrimPrefix(d, "Warn:")))
		}
	}
	if len(warn) > 3 {
		warn = append(warn[:3], fmt.Sprintf("… %d more", len(warn)-3))
	}
	return strings.Join(warn, "; ")
}

func orUnknown(s string) string {
	if s == "" {
		return "unknown date"
	}
	return s
}

func shortSHA(s string) string {
	if s == "" {
		return "unknown"
	}
	if len(s) > 12 {
		return s[:12]
	}
	return s
}

// ForMode returns the Scorecard collector for scorecard.mode: "local" (or
// empty) scans a local clone, "github" runs scorecard against the GitHub API
// and "api" reads published results.
func ForMode(mode string, github GitHubOptions, gitlab GitLabOptions, api APIOptions) (collectors.Collector, error) {
	switch mode {
	case "", "local":
		return New(), nil
	case "github":
		c := NewGitHub(github)
		if c.apiErr != nil {
			return nil, fmt.Errorf("scorecard.mode github: %w", c.apiErr)
		}
		return c, nil
	case "gitlab":
		return NewGitLab(gitlab), nil
	case "api":
		if api.BaseURL != "" {
			if u, err := url.Parse(api.BaseURL); err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
				return nil, fmt.Errorf("scorecard.mode api: base URL %q is not an http(s) URL", api.BaseURL)
			}
		}
		return NewAPI(api), nil
	}
	return nil, errors.New("scorecard.mode must be local, github, gitlab or api, got " + fmt.Sprintf("%q", mode))
}
