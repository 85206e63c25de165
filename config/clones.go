package config

import (
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/osgauge/osgauge/internal/yamlpos"
)

// Clones is the clones: section: osgauge keeps its own clone of every
// project that has a repository and no local_path, in Dir (default
// osgauge/clones under the user's cache directory), fetching each at every
// collection, Concurrency at a time (default 4), each git operation
// bounded by Timeout (default 10m), their disk use bounded by MaxGB
// (default 50; the least recently used go first). Managed clones are on
// unless Enabled is false (clones: {enabled: false}).
type Clones struct {
	Enabled     *bool   `yaml:"enabled"`
	Dir         string  `yaml:"dir"`
	MaxGB       float64 `yaml:"max_gb"`
	Concurrency int     `yaml:"concurrency"`
	Timeout     string  `yaml:"timeout"` // a Go duration: 10m, 90s
}

// Clone defaults.
const (
	DefaultClonesMaxGB       = 50
	DefaultClonesConcurrency = 4
	DefaultClonesTimeout     = 10 * time.Minute
)

// MirrorRule rewrites repository URLs as git's insteadOf does: a URL that
// starts with From is fetched from To followed by the rest (the longest
// matching From wins). TokenEnv names the environment variable holding
// the mirror's credential, when it needs one.
type MirrorRule struct {
	From     string `yaml:"from"`
	To       string `yaml:"to"`
	TokenEnv string `yaml:"token_env"`
}

// ClonesEnabled reports whether osgauge manages clones: always, unless
// clones.enabled is false.
func (c *Config) ClonesEnabled() bool {
	return c.Clones == nil || c.Clones.Enabled == nil || *c.Clones.Enabled
}

// ClonesTimeout is clones.timeout as a duration (the default when unset
// or, having failed validation, unreadable).
func (c *Config) ClonesTimeout() time.Duration {
	if c.Clones != nil {
		if d, err := time.ParseDuration(strings.TrimSpace(c.Clones.Timeout)); err == nil && d > 0 {
			return d
		}
	}
	return DefaultClonesTimeout
}

// ClonesSettings are the clones: section with its defaults (the zero
// section when it is absent).
func (c *Config) ClonesSettings() Clones {
	var s Clones
	if c.Clones != nil {
		s = *c.Clones
	}
	if s.MaxGB == 0 {
		s.MaxGB = DefaultClonesMaxGB
	}
	if s.Concurrency == 0 {
		s.Concurrency = DefaultClonesConcurrency
	}
	s.Dir = c.clonesDir(s.Dir)
	return s
}

// clonesDir resolves clones.dir: "~/" is the home directory, a relative
// path is the config's directory's; "" stays "" (the collectors' default
// under the user's cache directory).
func (c *Config) clonesDir(d string) string {
	d = strings.TrimSpace(d)
	switch {
	case d == "":
		return ""
	case d == "~" || strings.HasPrefix(d, "~/"):
		if home, err := os.UserHomeDir(); err == nil {
			return filepath.Join(home, strings.TrimPrefix(d[1:], "/"))
		}
	}
	return c.Resolve(d)
}

func (c *Config) validateClones(doc yamlpos.Doc) []string {
	var errs []string
	if s := c.Clones; s != nil {
		if s.MaxGB < 0 {
			errs = append(errs, doc.At("clones", "max_gb")+fmt.Sprintf("clones.max_gb must be a positive number of gigabytes (default %d), got %v", DefaultClonesMaxGB, s.MaxGB))
		}
		if s.Concurrency < 0 || s.Concurrency > 32 {
			errs = append(errs, doc.At("clones", "concurrency")+fmt.Sprintf("clones.concurrency must be within 1..32 (default %d), got %d", DefaultClonesConcurrency, s.Concurrency))
		}
		if t := strings.TrimSpace(s.Timeout); t != "" {
			if d, err := time.ParseDuration(t); err != nil || d <= 0 {
				errs = append(errs, doc.At("clones", "timeout")+fmt.Sprintf("clones.timeout: %q is not a positive duration (10m, 90s; default %s)", s.Timeout, DefaultClonesTimeout))
			}
		}
		if strings.HasPrefix(strings.TrimSpace(s.Dir), "~") && !strings.HasPrefix(strings.TrimSpace(s.Dir)+"/", "~/") {
			errs = append(errs, doc.At("clones", "dir")+fmt.Sprintf("clones.dir: %q: only ~/ (your home directory) is understood, not ~user", s.Dir))
		}
	}
	froms := map[string]int{}
	for i, m := range c.Mirrors {
		at := func(k string) string { return doc.At("mirrors", strconv.Itoa(i), k) }
		what := fmt.Sprintf("mirrors entry %d", i+1)
		if strings.TrimSpace(m.From) == "" || strings.TrimSpace(m.To) == "" {
			errs = append(errs, doc.At("mirrors", strconv.Itoa(i))+what+": needs from (the URL prefix to rewrite, https://github.com/) and to (the mirror's prefix)")
			continue
		}
		for _, kv := range [][2]string{{"from", m.From}, {"to", m.To}} {
			if u, err := url.Parse(kv[1]); err == nil && u.User != nil {
				if _, pw := u.User.Password(); pw {
					// Never echo it: it holds a password.
					errs = append(errs, at(kv[0])+what+": "+kv[0]+" holds a password: leave it out and name the variable that holds it with token_env")
				}
			}
		}
		if u, err := url.Parse(strings.TrimSpace(m.From)); err != nil || u.Host == "" || (u.Scheme != "https" && u.Scheme != "http") {
			errs = append(errs, at("from")+what+fmt.Sprintf(": from %q must be an https:// URL prefix as repositories are written (https://github.com/, https://github.com/redis/); git@host: and host/path repositories are matched in their https:// form", m.From))
		} else if u.RawQuery != "" || u.Fragment != "" {
			errs = append(errs, at("from")+what+fmt.Sprintf(": from %q holds a query or fragment", m.From))
		}
		if u, err := url.Parse(strings.TrimSpace(m.To)); err != nil || u.Scheme == "" || (u.Host == "" && u.Scheme != "file") {
			errs = append(errs, at("to")+what+fmt.Sprintf(": to %q must be a URL prefix with its scheme (https://git.bank.internal/mirror/github/, file:///srv/mirror/)", m.To))
		}
		if m.From == m.To {
			errs = append(errs, at("to")+what+fmt.Sprintf(": from and to are the same (%s)", m.From))
		}
		// from and to end on a path segment: a trailing "/" is implied
		// (https://github.com is https://github.com/), so entries that
		// differ only by it are one rule.
		from := strings.TrimSuffix(strings.ToLower(strings.TrimSpace(m.From)), "/")
		if j, dup := froms[from]; dup {
			errs = append(errs, at("from")+fmt.Sprintf("mirrors entries %d and %d both rewrite %s: keep one", j+1, i+1, m.From))
		}
		froms[from] = i
		if m.TokenEnv != "" && !envName.MatchString(m.TokenEnv) {
			errs = append(errs, at("token_env")+what+": token_env must be the name of an environment variable (letters, digits, _), not the token itself")
		}
	}
	return errs
}
