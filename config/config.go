// Package config reads osgauge.yaml. Decoding is strict: an unknown key is
// an error that names the file and line, so a typo never silently drops a
// setting. (A package of its own, rather than part of cmd/osgauge, so that
// its tests and later users such as `serve` do not link the whole CLI.)
package config

import (
	"bytes"
	"fmt"
	"io"
	"maps"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/robfig/cron/v3"

	"github.com/osgauge/osgauge/internal/repourl"
	"github.com/osgauge/osgauge/internal/yamlpos"
	"github.com/osgauge/osgauge/licenses"
	"github.com/osgauge/osgauge/models"
	"gopkg.in/yaml.v3"
)

// Config is osgauge.yaml.
type Config struct {
	Institution Institution `yaml:"institution"`
	Store       StoreConfig `yaml:"store"`
	GitHub      GitHub      `yaml:"github"`
	// Forges are the other forges projects live on (GitLab, Gitee, GitCode,
	// another GitHub Enterprise); a repository URL's host picks its forge.
	Forges    []Forge           `yaml:"forges"`
	Scorecard Scorecard         `yaml:"scorecard"`
	Projects  []Project         `yaml:"projects"`
	Suppliers []Supplier        `yaml:"suppliers"`
	Schedule  Schedule          `yaml:"schedule"`
	Serve     Serve             `yaml:"serve"`
	Report    Report            `yaml:"report"`
	Models    map[string]string `yaml:"models"`
	// Exceptions are accepted risks and false positives, each with who,
	// why and an expiry date; ExceptionsFile holds more of them (a YAML
	// list), so that risk owners can keep them apart from the portfolio.
	Exceptions     []models.Exception `yaml:"exceptions"`
	ExceptionsFile string             `yaml:"exceptions_file"`
	// ExceptionPolicy bounds the exceptions: none may run longer than
	// max_months from the day it was accepted (default 12).
	ExceptionPolicy ExceptionPolicy `yaml:"exception_policy"`

	// SBOMs are the systems' software bills of materials: the full
	// inventory, transitive dependencies included.
	SBOMs []SBOM `yaml:"sboms"`
	// ComponentRepos maps a package (its package URL without version, e.g.
	// pkg:maven/com.alibaba/fastjson) to its source repository, for
	// components whose SBOM entry names none; the repository makes the
	// component a portfolio project's.
	ComponentRepos map[string]string `yaml:"component_repos"`
	// LicensePolicy is the institution's licence policy: per use
	// (internal, distributed, saas) and per licence class, allowed, review
	// or banned. Unset entries keep osgauge's defaults.
	LicensePolicy LicensePolicy `yaml:"license_policy"`
	// OSV configures the known-vulnerability sources.
	OSV OSV `yaml:"osv"`
	// Identities adds to the built-in rules that tell automation from
	// people in commit histories.
	Identities Identities `yaml:"identities"`
	// Inventory says which components the SBOMs discover are assessed as
	// projects: direct (the default), all, or none.
	Inventory InventoryConfig `yaml:"inventory"`
	// Lifecycle is intake, the ledger of decisions and exits, and the
	// intake and use policy (lifecycle.go).
	Lifecycle Lifecycle `yaml:"lifecycle"`
	// VulnerabilityPolicy is the deadlines of vulnerability handling (vulnpolicy.go).
	VulnerabilityPolicy VulnerabilityPolicy `yaml:"vulnerability_policy"`
	// Notify are the early-warning channels (notify.go).
	Notify []NotifyChannel `yaml:"notify"`
	// Continuity is the supply cut-off (断供) policy the supply-chain
	// dimension's measured facts are judged by (pipeline/continuity.go).
	Continuity Continuity `yaml:"continuity"`
	// Clones and Mirrors are osgauge's own clones of the portfolio and the
	// mirror rules they are fetched through (clones.go).
	Clones  *Clones      `yaml:"clones"`
	Mirrors []MirrorRule `yaml:"mirrors"`
	// Server is who may use serve and how decisions are signed off:
	// users, keys, sign-in, maker-checker (auth.go).
	Server ServerConfig `yaml:"server"`

	// Dir is the directory of the config file; relative paths in the
	// config are resolved against it.
	Dir string `yaml:"-"`
	// Path is the config file, for messages.
	Path string `yaml:"-"`
}

// Institution is the assessing institution and its self-assessment.
type Institution struct {
	Name           string `yaml:"name"`
	SelfAssessment string `yaml:"self_assessment"`
}

// StoreConfig selects the store: SQLite (dsn is the database file) or
// PostgreSQL. A PostgreSQL DSN with a password never sits in the file:
// dsn_env names the environment variable that holds it (StoreDSN reads it).
type StoreConfig struct {
	Driver string `yaml:"driver"`  // sqlite (default) or postgres
	DSN    string `yaml:"dsn"`     // SQLite path, or a PostgreSQL DSN without a password
	DSNEnv string `yaml:"dsn_env"` // environment variable holding the DSN
}

// StoreDrivers are the accepted store.driver values.
var StoreDrivers = []string{"sqlite", "postgres"}

// isPostgresDSN reports whether dsn names a PostgreSQL database (as
// store.IsPostgresDSN does).
func isPostgresDSN(dsn string) bool {
	l := strings.ToLower(strings.TrimSpace(dsn))
	return strings.HasPrefix(l, "postgres://") || strings.HasPrefix(l, "postgresql://") ||
		strings.HasPrefix(l, "host=") || strings.Contains(l, " host=")
}

// dsnHasPassword reports whether a PostgreSQL DSN carries a password.
func dsnHasPassword(dsn string) bool {
	l := strings.ToLower(dsn)
	if strings.HasPrefix(l, "postgres://") || strings.HasPrefix(l, "postgresql://") {
		u, err := url.Parse(dsn)
		if err != nil {
			return strings.Contains(l, "password") || strings.Count(l, ":") > 2
		}
		if _, ok := u.User.Password(); ok {
			return true
		}
		return u.Query().Has("password")
	}
	return strings.Contains(l, "password=") || strings.Contains(l, "password =")
}

var envName = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)

// StoreDSN returns the DSN to open the store with: store.dsn when set
// (the file's, or --db's), else the value of the environment variable
// named by store.dsn_env. The result may hold a password: never log it.
func (c *Config) StoreDSN() (string, error) {
	st := c.Store
	dsn := st.DSN
	if dsn == "" && st.DSNEnv != "" {
		dsn = strings.TrimSpace(os.Getenv(st.DSNEnv))
		if dsn == "" {
			return "", fmt.Errorf("store.dsn_env: environment variable %s is empty or unset: set it to the %s DSN", st.DSNEnv, st.Driver)
		}
		if st.Driver == "postgres" && !isPostgresDSN(dsn) {
			return "", fmt.Errorf("store.dsn_env: environment variable %s does not hold a PostgreSQL DSN (postgres://… or host=…)", st.DSNEnv)
		}
	}
	if dsn == "" {
		return "", fmt.Errorf("store: no dsn and no dsn_env")
	}
	// A DSN given with --db picks its database by its form (store.Open
	// does), whatever the file's driver says.
	return dsn, nil
}

func (c *Config) validateStore(doc yamlpos.Doc) []string {
	at := doc.At
	st := c.Store
	var errs []string
	if !slices.Contains(StoreDrivers, st.Driver) {
		return append(errs, at("store", "driver")+fmt.Sprintf("store.driver must be sqlite or postgres, got %q", st.Driver))
	}
	if st.DSNEnv != "" && !envName.MatchString(st.DSNEnv) {
		// Never echo it: it may be the DSN itself, password and all.
		errs = append(errs, at("store", "dsn_env")+"store.dsn_env must be the name of an environment variable (letters, digits, _), not the DSN itself")
	}
	if st.DSN != "" && st.DSNEnv != "" {
		errs = append(errs, at("store", "dsn")+"store: set dsn or dsn_env, not both")
	}
	switch st.Driver {
	case "postgres":
		if st.DSN == "" && st.DSNEnv == "" {
			errs = append(errs, at("store", "driver")+"store.driver postgres needs dsn_env: the name of the environment variable that holds the DSN")
		}
		if st.DSN != "" && dsnHasPassword(st.DSN) {
			// Never echo the DSN: it holds a password.
			errs = append(errs, at("store", "dsn")+"store.dsn holds a password: put the DSN in the environment and name it with dsn_env")
		} else if st.DSN != "" && !isPostgresDSN(st.DSN) {
			errs = append(errs, at("store", "dsn")+fmt.Sprintf("store.dsn must be a PostgreSQL DSN (postgres://… or host=…) when driver is postgres, got %q", st.DSN))
		}
	case "sqlite":
		if isPostgresDSN(st.DSN) {
			if dsnHasPassword(st.DSN) {
				errs = append(errs, at("store", "dsn")+"store.dsn holds a password: put the DSN in the environment and name it with dsn_env")
			}
			errs = append(errs, at("store", "dsn")+"store.dsn is a PostgreSQL DSN but store.driver is sqlite: set driver: postgres")
		}
	}
	return errs
}

// GitHub configures the GitHub collector. The token itself is never in
// the config: only the name of the environment variable that holds it.
type GitHub struct {
	APIURL   string `yaml:"api_url"`
	TokenEnv string `yaml:"token_env"`
	// TokenEnvs name more variables holding tokens: every credential is
	// used in turn, each within its own rate limit.
	TokenEnvs   StringList `yaml:"token_envs"`
	App         *GitHubApp `yaml:"app"`
	Concurrency int        `yaml:"concurrency"`
	// GraphQL reads first collections through the GraphQL API (default
	// true); false forces REST for every request.
	GraphQL *bool `yaml:"graphql"`
}

// GitHubApp is a GitHub App installation whose tokens (renewed before they
// expire) the GitHub collector uses first.
type GitHubApp struct {
	AppID          int64  `yaml:"app_id"`
	InstallationID int64  `yaml:"installation_id"`
	PrivateKeyFile string `yaml:"private_key_file"`
}

// Forge is one forge's API. The token itself is never in the config: only
// the name of the environment variable that holds it (optional for public
// projects on GitLab, Gitee and GitCode).
type Forge struct {
	Type     string `yaml:"type"` // gitlab, gitee, gitcode, github
	APIURL   string `yaml:"api_url"`
	TokenEnv string `yaml:"token_env"`
	// WebHost is the host of the forge's repository URLs when it is not the
	// API's (api.gitcode.com serves gitcode.com; a leading "api." is dropped
	// by default).
	WebHost     string `yaml:"web_host"`
	Concurrency int    `yaml:"concurrency"`
}

// ForgeTypes are the forges osgauge collects from.
var ForgeTypes = []string{"github", "gitlab", "gitee", "gitcode"}

// forgeDefaults are each type's public instance and token variable.
var forgeDefaults = map[string]Forge{
	"github":  {Type: "github", APIURL: "https://api.github.com/", TokenEnv: "GITHUB_TOKEN", WebHost: "github.com"},
	"gitlab":  {Type: "gitlab", APIURL: "https://gitlab.com/api/v4", TokenEnv: "GITLAB_TOKEN", WebHost: "gitlab.com"},
	"gitee":   {Type: "gitee", APIURL: "https://gitee.com/api/v5", TokenEnv: "GITEE_TOKEN", WebHost: "gitee.com"},
	"gitcode": {Type: "gitcode", APIURL: "https://api.gitcode.com/api/v5", TokenEnv: "GITCODE_TOKEN", WebHost: "gitcode.com"},
}

// webHostOf is the host repository URLs of an API carry: the API URL's
// host (with its port) without a leading "api.".
func webHostOf(apiURL string) string {
	u, err := url.Parse(apiURL)
	if err != nil {
		return ""
	}
	h := repourl.NormHost(u.Scheme, u.Host)
	if rest, ok := strings.CutPrefix(h, "api."); ok && strings.Contains(rest, ".") {
		return rest
	}
	return h
}

// AllForges are the forges a run collects from: the github: section, the
// forges: list, and the public GitLab, Gitee and GitCode for hosts the list
// does not cover. Each has its WebHost set.
func (c *Config) AllForges() []Forge {
	gh := Forge{Type: "github", APIURL: c.GitHub.APIURL, TokenEnv: c.GitHub.TokenEnv, Concurrency: c.GitHub.Concurrency, WebHost: webHostOf(c.GitHub.APIURL)}
	out := []Forge{gh}
	seen := map[string]bool{gh.WebHost: true}
	for _, f := range c.Forges {
		if !seen[f.WebHost] {
			out = append(out, f)
			seen[f.WebHost] = true
		}
	}
	for _, t := range []string{"gitlab", "gitee", "gitcode"} {
		d := forgeDefaults[t]
		if !seen[d.WebHost] {
			d.Concurrency = 4
			out = append(out, d)
			seen[d.WebHost] = true
		}
	}
	return out
}

// ForgeFor is the forge serving a repository URL, by its host (with the
// port, as written); ok is false when no forge serves it.
func (c *Config) ForgeFor(repo string) (Forge, bool) {
	h := repoHost(repo)
	if h == "" {
		return Forge{}, false
	}
	for _, f := range c.AllForges() {
		if f.WebHost == h {
			return f, true
		}
	}
	return Forge{}, false
}

// repoHost is the web host of a repository URL as the forge collectors
// read it (lower case, a default port dropped); "" when it names none.
func repoHost(repo string) string {
	u, ok := repourl.Parse(repo)
	if !ok {
		return ""
	}
	return u.Host
}

// Scorecard configures the Scorecard collector.
type Scorecard struct {
	Mode string `yaml:"mode"` // local (default), github, api
	// APIURL is the Scorecard REST API for api mode.
	APIURL string `yaml:"api_url"`
	// Online lets github mode ask OSV, OSS-Fuzz, the Best Practices badge
	// API and deps.dev; off by default (bank intranets cannot reach them).
	Online bool `yaml:"online"`
}

// Project is one open-source project in the portfolio.
type Project struct {
	Name        string `yaml:"name"`
	Repo        string `yaml:"repo"`
	LocalPath   string `yaml:"local_path"`
	UseType     string `yaml:"use_type"` // simple (default), deep, custom
	Description string `yaml:"description"`
	// Scorecard overrides scorecard.mode for this project.
	Scorecard string `yaml:"scorecard"`
	// Facts an assessor states, recorded as manual.<key> observations
	// (e.g. governance: foundation, eol_policy: 1, export_exposure: 0),
	// dated by the reserved key as_of (YYYY-MM-DD; see FactsAsOf).
	Facts map[string]string `yaml:"facts"`
}

// Supplier is one open-source service supplier.
type Supplier struct {
	Name          string   `yaml:"name"`
	Questionnaire string   `yaml:"questionnaire"`
	GitHubOrgs    []string `yaml:"github_orgs"`
	Logins        []string `yaml:"logins"`
	EmailDomains  []string `yaml:"email_domains"`
	Supports      []string `yaml:"supports"`
	// Jurisdiction is the country (ISO 3166-1 alpha-2) whose law governs
	// the supplier: where it is incorporated. Its support counts fully
	// against a supply cut-off only at home (continuity.go).
	Jurisdiction string `yaml:"jurisdiction"`
	// Claims are what the supplier says in its bid (maintainers: 3,
	// contribution_share_pct: 15); reports show where evidence disagrees.
	Claims map[string]float64 `yaml:"claims"`
	// Facts from the institution's own records (contract SLA attainment,
	// patch latency), recorded as manual.<key> observations, dated by
	// as_of (see FactsAsOf).
	Facts map[string]string `yaml:"facts"`
}

// SBOM is one system's software bill of materials.
// LicensePolicy is the license_policy section: the licence a system is
// judged under when its SBOM entry gives none, and per use (internal,
// distributed, saas) and licence class a decision (allowed, review,
// banned) laid over osgauge's defaults.
type LicensePolicy struct {
	// DefaultSystemLicence is the institution's licence for its own
	// systems: "proprietary" (the default), a LicenseRef-…, or an SPDX id
	// when the institution publishes its systems as open source.
	DefaultSystemLicence string                       `yaml:"default_system_licence"`
	Uses                 map[string]map[string]string `yaml:",inline"`
}

// DefaultSystemLicence is what a system without a licence is judged under
// when license_policy.default_system_licence is not set.
const DefaultSystemLicence = "proprietary"

type SBOM struct {
	System string `yaml:"system"`
	Path   string `yaml:"path"`
	// Licence is the system's own licence (an SPDX id), against which
	// each component's licence is judged for compatibility.
	Licence string `yaml:"licence"`
	// Use is internal (default), distributed or saas: which licence
	// obligations the system triggers.
	Use string `yaml:"use"`
	// UseStated is false when the config left use out (internal by
	// default for the licence policy; the licence-class indicator then
	// assumes distribution rather than the most lenient use).
	UseStated bool `yaml:"-"`
}

// OSV configures the vulnerability sources: the OSV API (api_url; "off"
// for none), offline OSV exports (an ecosystem's all.zip, or a folder of
// OSV JSON files) and a CISA KEV JSON file.
// InventoryConfig configures what is done with discovered components.
type InventoryConfig struct {
	Assess string `yaml:"assess"`
}

// Inventory assessment scopes.
var InventoryScopes = []string{"direct", "all", "none"}

// Identities lists accounts the built-in rules misjudge: Bots are
// automation (an e-mail, a login or a name), Humans are people whose
// address looks like a bot's (talbot@…). Matched case-insensitively.
type Identities struct {
	Bots   StringList `yaml:"bots"`
	Humans StringList `yaml:"humans"`
}

type OSV struct {
	APIURL string     `yaml:"api_url"`
	Export StringList `yaml:"export"`
	KEV    string     `yaml:"kev"`
}

// StringList is a YAML list of strings that may also be written as one string.
type StringList []string

// UnmarshalYAML accepts a scalar or a sequence.
func (l *StringList) UnmarshalYAML(n *yaml.Node) error {
	if n.Kind == yaml.ScalarNode {
		*l = StringList{n.Value}
		return nil
	}
	var s []string
	if err := n.Decode(&s); err != nil {
		return err
	}
	*l = s
	return nil
}

// OSVDefaultAPI is the public OSV API.
const OSVDefaultAPI = "https://api.osv.dev"

// SBOM uses.
var SBOMUses = []string{"internal", "distributed", "saas"}

// Schedule holds cron specs for `serve`.
type Schedule struct {
	Collect   string `yaml:"collect"`
	Scorecard string `yaml:"scorecard"`
	Report    string `yaml:"report"`
}

// Serve configures `osgauge serve` (flags override it).
type Serve struct {
	Listen   string `yaml:"listen"`    // default 127.0.0.1:8080
	TokenEnv string `yaml:"token_env"` // default OSGAUGE_TOKEN
	// TrustedOrigins (scheme://host[:port]) may post to the API from
	// their pages; every other site's request that changes state is 403.
	TrustedOrigins []string `yaml:"trusted_origins"`
	// Hosts are names (without port) answered as Host on a loopback
	// listen address besides localhost, 127.0.0.1 and [::1]: a reverse
	// proxy on the same machine that forwards its own name.
	Hosts []string `yaml:"hosts"`
}

// Report configures report output.
type Report struct {
	Out     string   `yaml:"out"`
	Formats []string `yaml:"formats"`
	Lang    string   `yaml:"lang"`
}

// Formats and languages osgauge writes.
var (
	KnownFormats = []string{"xlsx", "html", "json"}
	KnownLangs   = []string{"zh", "en"}
	UseTypes     = []string{"simple", "deep", "custom"}
)

// Default returns the configuration used when no file is given.
func Default() *Config {
	c := &Config{Dir: "."}
	c.applyDefaults()
	return c
}

func (c *Config) applyDefaults() {
	if c.Store.Driver == "" {
		c.Store.Driver = "sqlite"
	}
	if c.Store.DSN == "" && c.Store.DSNEnv == "" && c.Store.Driver == "sqlite" {
		c.Store.DSN = "osgauge.db"
	}
	if c.GitHub.APIURL == "" {
		c.GitHub.APIURL = "https://api.github.com/"
	}
	if c.GitHub.TokenEnv == "" {
		c.GitHub.TokenEnv = "GITHUB_TOKEN"
	}
	if c.GitHub.Concurrency == 0 {
		c.GitHub.Concurrency = 4
	}
	if c.Scorecard.Mode == "" {
		c.Scorecard.Mode = "local"
	}
	for i := range c.Forges {
		f := &c.Forges[i]
		d := forgeDefaults[f.Type]
		if f.APIURL == "" {
			f.APIURL = d.APIURL
		}
		if f.TokenEnv == "" {
			f.TokenEnv = d.TokenEnv
		}
		if f.Concurrency == 0 {
			f.Concurrency = 4
		}
		if f.WebHost == "" {
			if f.APIURL == d.APIURL {
				f.WebHost = d.WebHost
			} else {
				f.WebHost = webHostOf(f.APIURL)
			}
		}
		f.WebHost = strings.ToLower(f.WebHost)
	}
	if c.Scorecard.APIURL == "" {
		c.Scorecard.APIURL = "https://api.scorecard.dev"
	}
	if c.Report.Out == "" {
		c.Report.Out = "osgauge-report"
	}
	if len(c.Report.Formats) == 0 {
		c.Report.Formats = slices.Clone(KnownFormats)
	}
	if c.Report.Lang == "" {
		c.Report.Lang = "zh"
	}
	if c.Inventory.Assess == "" {
		c.Inventory.Assess = "direct"
	}
	if strings.TrimSpace(c.LicensePolicy.DefaultSystemLicence) == "" {
		c.LicensePolicy.DefaultSystemLicence = DefaultSystemLicence
	}
	for i := range c.SBOMs {
		c.SBOMs[i].UseStated = c.SBOMs[i].Use != ""
		if c.SBOMs[i].Use == "" {
			c.SBOMs[i].Use = "internal"
		}
	}
	// Offline first: with an export and no api_url, the export alone is used.
	if c.OSV.APIURL == "" && len(c.OSV.Export) == 0 {
		c.OSV.APIURL = OSVDefaultAPI
	}
	for i := range c.Projects {
		if c.Projects[i].UseType == "" {
			c.Projects[i].UseType = "simple"
		}
	}
	c.applyLifecycleDefaults()
}

// Load reads and validates the config file at path.
func Load(path string) (*Config, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return Parse(path, data)
}

// Parse decodes and validates config data; name is used in messages.
func Parse(name string, data []byte) (*Config, error) {
	var c Config
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&c); err != nil && err != io.EOF { // an empty file means defaults
		return nil, fmt.Errorf("%s: %s", name, yamlpos.CleanError(err))
	}
	c.Path = name
	c.Dir = filepath.Dir(name)
	c.applyDefaults()
	if errs := c.validate(yamlpos.Parse(data)); len(errs) > 0 {
		return nil, fmt.Errorf("%s: %s", name, strings.Join(errs, "\n  "))
	}
	if c.ExceptionsFile != "" {
		more, err := LoadExceptions(c.Resolve(c.ExceptionsFile), c.ExceptionPolicy.MaxMonths)
		if err != nil {
			return nil, err
		}
		c.Exceptions = append(c.Exceptions, more...)
	}
	return &c, nil
}

func (c *Config) validate(doc yamlpos.Doc) []string {
	var errs []string
	at := doc.At
	errs = append(errs, c.validateStore(doc)...)
	if u, err := url.Parse(c.GitHub.APIURL); err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		errs = append(errs, at("github", "api_url")+fmt.Sprintf("github.api_url must be an http(s) URL, got %q", c.GitHub.APIURL))
	}
	if a := c.GitHub.App; a != nil && (a.AppID <= 0 || a.InstallationID <= 0 || a.PrivateKeyFile == "") {
		errs = append(errs, at("github", "app")+"github.app needs app_id, installation_id and private_key_file (the App's PEM key)")
	}
	if c.GitHub.Concurrency < 1 || c.GitHub.Concurrency > 32 {
		errs = append(errs, at("github", "concurrency")+fmt.Sprintf("github.concurrency must be within 1..32, got %d", c.GitHub.Concurrency))
	}
	if !slices.Contains(ScorecardModes, c.Scorecard.Mode) {
		errs = append(errs, at("scorecard", "mode")+fmt.Sprintf("scorecard.mode must be local, github, gitlab or api, got %q", c.Scorecard.Mode))
	}
	errs = append(errs, c.validateForges(doc)...)
	for _, kv := range [][2]string{{"collect", c.Schedule.Collect}, {"scorecard", c.Schedule.Scorecard}, {"report", c.Schedule.Report}} {
		key, spec := kv[0], kv[1]
		if spec == "" {
			continue
		}
		if _, err := cron.ParseStandard(spec); err != nil {
			errs = append(errs, at("schedule", key)+fmt.Sprintf("schedule.%s: %q is not a cron spec or descriptor (@daily, @every 1h): %v", key, spec, err))
		}
	}
	if !slices.Contains(KnownLangs, c.Report.Lang) {
		errs = append(errs, at("report", "lang")+fmt.Sprintf("report.lang must be zh or en, got %q", c.Report.Lang))
	}
	for _, f := range c.Report.Formats {
		if !slices.Contains(KnownFormats, f) {
			errs = append(errs, at("report", "formats")+fmt.Sprintf("report.formats: unknown format %q (known: %s)", f, strings.Join(KnownFormats, ", ")))
		}
	}
	names := map[string]bool{}
	for i, p := range c.Projects {
		where := at("projects", fmt.Sprint(i))
		if p.Name == "" {
			errs = append(errs, where+"project name is required")
		}
		if names[p.Name] {
			errs = append(errs, where+fmt.Sprintf("duplicate project name %q", p.Name))
		}
		names[p.Name] = true
		if p.Repo == "" && p.LocalPath == "" {
			errs = append(errs, where+fmt.Sprintf("project %q needs repo or local_path", p.Name))
		}
		if p.Scorecard != "" && !slices.Contains(ScorecardModes, p.Scorecard) {
			errs = append(errs, at("projects", fmt.Sprint(i), "scorecard")+fmt.Sprintf("project %q: scorecard must be local, github, gitlab or api, got %q", p.Name, p.Scorecard))
		}
		if p.Repo != "" {
			if host := repoHost(p.Repo); host == "" {
				errs = append(errs, at("projects", fmt.Sprint(i), "repo")+fmt.Sprintf("project %q: repo must be a repository URL (https://host/owner/name), got %q", p.Name, p.Repo))
			}
			// A host without a forge collector (Bitbucket, Gitea, cgit, a
			// bank's own server) is not an error: the project is assessed
			// from its git history (a managed clone) without forge data.
		}
		if !slices.Contains(UseTypes, p.UseType) {
			errs = append(errs, at("projects", fmt.Sprint(i), "use_type")+fmt.Sprintf("project %q: use_type must be simple, deep or custom, got %q", p.Name, p.UseType))
		}
	}
	if c.ExceptionPolicy.MaxMonths < 0 {
		errs = append(errs, at("exception_policy", "max_months")+fmt.Sprintf("exception_policy.max_months must be a number of months (default %d), got %d", models.DefaultExceptionMaxMonths, c.ExceptionPolicy.MaxMonths))
	}
	errs = append(errs, validateExceptions(c.Exceptions, doc, c.ExceptionPolicy.MaxMonths, "exceptions")...)
	errs = append(errs, c.validateSupplyChain(doc)...)
	errs = append(errs, c.validateFacts(doc)...)
	errs = append(errs, c.validateContinuity(doc)...)
	errs = append(errs, c.validateLifecycle(doc)...)
	errs = append(errs, c.validateVulnerabilityPolicy(doc)...)
	errs = append(errs, c.validateNotify(doc)...)
	errs = append(errs, c.validateClones(doc)...)
	errs = append(errs, c.validateAuth(doc)...)
	snames := map[string]bool{}
	for i, s := range c.Suppliers {
		where := at("suppliers", fmt.Sprint(i))
		if s.Name == "" {
			errs = append(errs, where+"supplier name is required")
		}
		if snames[s.Name] {
			errs = append(errs, where+fmt.Sprintf("duplicate supplier name %q", s.Name))
		}
		snames[s.Name] = true
		for _, sup := range s.Supports {
			if !names[sup] {
				errs = append(errs, at("suppliers", fmt.Sprint(i), "supports")+fmt.Sprintf("supplier %q supports unknown project %q", s.Name, sup))
			}
		}
	}
	return errs
}

// ScorecardModes are where Scorecard runs: on the clone (local), against
// the GitHub or GitLab API in-process, or read from the Scorecard API.
var ScorecardModes = []string{"local", "github", "gitlab", "api"}

// validateForges checks the forges: list.
func (c *Config) validateForges(doc yamlpos.Doc) []string {
	var errs []string
	hosts := map[string]int{}
	for i, f := range c.Forges {
		where := doc.At("forges", strconv.Itoa(i))
		if !slices.Contains(ForgeTypes, f.Type) {
			errs = append(errs, doc.At("forges", strconv.Itoa(i), "type")+fmt.Sprintf("forges entry %d: type must be one of %s, got %q", i+1, strings.Join(ForgeTypes, ", "), f.Type))
			continue
		}
		if u, err := url.Parse(f.APIURL); err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
			errs = append(errs, doc.At("forges", strconv.Itoa(i), "api_url")+fmt.Sprintf("forges entry %d (%s): api_url must be an http(s) URL, got %q", i+1, f.Type, f.APIURL))
		}
		if f.Concurrency < 1 || f.Concurrency > 32 {
			errs = append(errs, doc.At("forges", strconv.Itoa(i), "concurrency")+fmt.Sprintf("forges entry %d (%s): concurrency must be within 1..32, got %d", i+1, f.Type, f.Concurrency))
		}
		if j, dup := hosts[f.WebHost]; dup {
			errs = append(errs, where+fmt.Sprintf("forges entries %d and %d both serve %s: give each host one forge", j+1, i+1, f.WebHost))
		}
		hosts[f.WebHost] = i
		if f.WebHost == webHostOf(c.GitHub.APIURL) {
			errs = append(errs, where+fmt.Sprintf("forges entry %d serves %s, which the github: section already serves", i+1, f.WebHost))
		}
	}
	return errs
}

// Resolve returns p relative to the config's directory (absolute paths
// and empty strings are returned unchanged).
func (c *Config) Resolve(p string) string {
	if p == "" || filepath.IsAbs(p) {
		return p
	}
	return filepath.Join(c.Dir, p)
}

// ExceptionPolicy is the config's exception_policy.
type ExceptionPolicy struct {
	// MaxMonths is the longest an exception may run, from its accepted
	// day to its expiry (0: models.DefaultExceptionMaxMonths, 12).
	MaxMonths int `yaml:"max_months"`
}

// LoadExceptions reads an exceptions file: a YAML list of exceptions, none
// running longer than maxMonths (0: the default, 12).
func LoadExceptions(path string, maxMonths int) ([]models.Exception, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("exceptions_file: %w", err)
	}
	var list []models.Exception
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&list); err != nil && err != io.EOF {
		return nil, fmt.Errorf("%s: %s", path, yamlpos.CleanError(err))
	}
	if errs := validateExceptions(list, yamlpos.Parse(data), maxMonths); len(errs) > 0 {
		return nil, fmt.Errorf("%s: %s", path, strings.Join(errs, "\n  "))
	}
	return list, nil
}

// validateExceptions checks the audit trail of each exception (who, why,
// accepted, expires), that it runs no longer than maxMonths (0: the
// default, 12), and what it accepts; prefix is the path of the list in its
// document ("exceptions", or none for a file).
func validateExceptions(list []models.Exception, doc yamlpos.Doc, maxMonths int, prefix ...string) []string {
	var errs []string
	for i, e := range list {
		at := doc.At(append(prefix, strconv.Itoa(i))...)
		key := func(k string) string { // the key's line when it is there
			if w := doc.At(append(prefix, strconv.Itoa(i), k)...); w != "" {
				return w
			}
			return at
		}
		what := fmt.Sprintf("exception %d (%s %s)", i+1, e.Subject, e.Target())
		if e.Subject == "" {
			errs = append(errs, at+what+": subject is required")
		}
		if (e.Indicator == "") == (e.Gate == "") {
			errs = append(errs, at+what+": give exactly one of indicator or gate")
		}
		// An indicator exception without normalized sets the indicator
		// aside as not applicable (issue 22); with it, normalized is the
		// value to use instead.
		if e.Indicator != "" && e.Normalized != nil && (*e.Normalized < 0 || *e.Normalized > 1) {
			errs = append(errs, at+what+": normalized must be the value (0..1) to use instead (leave it out: not applicable)")
		}
		if e.Gate != "" && e.Normalized != nil {
			errs = append(errs, at+what+": a gate exception waives the gate; normalized does not apply")
		}
		if strings.TrimSpace(e.Who) == "" || strings.TrimSpace(e.Why) == "" {
			errs = append(errs, at+what+": who and why are required (the audit trail)")
		}
		if _, err := time.Parse("2006-01-02", e.Expires); err != nil {
			errs = append(errs, at+what+fmt.Sprintf(": expires must be a date YYYY-MM-DD, got %q", e.Expires))
		}
		if _, err := time.Parse("2006-01-02", e.Accepted); err != nil {
			errs = append(errs, key("accepted")+what+fmt.Sprintf(": accepted must be the date the risk was accepted, YYYY-MM-DD (required: an exception applies from it), got %q", e.Accepted))
		}
		if msg := e.CheckDuration(maxMonths); msg != "" {
			errs = append(errs, key("expires")+what+": "+msg)
		}
		if len(e.Accepts) > 0 && e.Gate == "" {
			errs = append(errs, key("accepts")+what+": accepts names what a gate exception accepted (CVE ids, a licence, a value); an indicator exception sets normalized instead")
		}
		for _, a := range e.Accepts {
			if strings.TrimSpace(a) == "" || strings.ContainsAny(a, ",[]/") {
				errs = append(errs, key("accepts")+what+fmt.Sprintf(": each accepts entry is one identifier or value (CVE-2021-44228, BUSL-1.1, 1), got %q", a))
			}
		}
	}
	return errs
}

// validateSupplyChain checks sboms, component_repos, license_policy and osv.
func (c *Config) validateSupplyChain(doc yamlpos.Doc) []string {
	var errs []string
	at := doc.At
	if !slices.Contains(InventoryScopes, c.Inventory.Assess) {
		errs = append(errs, at("inventory", "assess")+fmt.Sprintf("inventory.assess must be direct, all or none, got %q", c.Inventory.Assess))
	}
	systems := map[string]bool{}
	for i, s := range c.SBOMs {
		where := at("sboms", strconv.Itoa(i))
		if s.System == "" || s.Path == "" {
			errs = append(errs, where+fmt.Sprintf("sboms entry %d needs system and path", i+1))
		}
		if systems[s.System] {
			errs = append(errs, where+fmt.Sprintf("duplicate sboms system %q: give each SBOM its own system name", s.System))
		}
		systems[s.System] = true
		if !slices.Contains(SBOMUses, s.Use) {
			errs = append(errs, at("sboms", strconv.Itoa(i), "use")+fmt.Sprintf("sboms %q: use must be internal, distributed or saas, got %q", s.System, s.Use))
		}
		if s.Licence != "" && strings.ContainsAny(strings.TrimSpace(s.Licence), " ()") {
			errs = append(errs, at("sboms", strconv.Itoa(i), "licence")+fmt.Sprintf("sboms %q: licence must be one SPDX licence id (the system's own licence), got %q", s.System, s.Licence))
		}
	}
	for _, k := range slices.Sorted(maps.Keys(c.ComponentRepos)) {
		v := c.ComponentRepos[k]
		if !strings.HasPrefix(k, "pkg:") || strings.Contains(k, "@") {
			errs = append(errs, at("component_repos", k)+fmt.Sprintf("component_repos: key %q must be a package URL without version (pkg:maven/com.alibaba/fastjson)", k))
		}
		if u, err := url.Parse(v); err != nil || u.Host == "" {
			errs = append(errs, at("component_repos", k)+fmt.Sprintf("component_repos: %q must map to a repository URL, got %q", k, v))
		}
	}
	if l := strings.TrimSpace(c.LicensePolicy.DefaultSystemLicence); strings.ContainsAny(l, " ()") {
		errs = append(errs, at("license_policy", "default_system_licence")+fmt.Sprintf("license_policy.default_system_licence must be proprietary, a LicenseRef-… or one SPDX licence id, got %q", l))
	}
	for _, use := range slices.Sorted(maps.Keys(c.LicensePolicy.Uses)) {
		for _, class := range slices.Sorted(maps.Keys(c.LicensePolicy.Uses[use])) {
			if msg := licenses.CheckOverrides(use, class, c.LicensePolicy.Uses[use][class]); msg != "" {
				errs = append(errs, at("license_policy", use, class)+msg)
			}
		}
	}
	if c.OSV.APIURL != "" && c.OSV.APIURL != "off" {
		if u, err := url.Parse(c.OSV.APIURL); err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
			errs = append(errs, at("osv", "api_url")+fmt.Sprintf("osv.api_url must be an http(s) URL or off, got %q", c.OSV.APIURL))
		}
	}
	return errs
}
