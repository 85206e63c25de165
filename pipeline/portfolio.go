package pipeline

import (
	"net/url"
	"path/filepath"
	"strings"

	"github.com/osgauge/osgauge/collectors"
	"github.com/osgauge/osgauge/config"
	"github.com/osgauge/osgauge/models"
)

// ProjectID names a project by its repository without the scheme
// ("github.com/karmada-io/karmada"), or "local/<name>" without one.
func ProjectID(name, repo string) string {
	if repo != "" {
		if u, err := url.Parse(repo); err == nil && u.Host != "" {
			return strings.TrimSuffix(u.Host+strings.TrimSuffix(u.Path, "/"), ".git")
		}
		return strings.TrimSuffix(repo, ".git")
	}
	return "local/" + name
}

// Targets turns the config's portfolio into collection targets.
func Targets(c *config.Config) []collectors.Target {
	var ts []collectors.Target
	for _, p := range c.Projects {
		attrs := map[string]string{"use_type": p.UseType}
		if p.Scorecard != "" {
			attrs["scorecard_mode"] = p.Scorecard
		}
		if p.Repo != "" {
			attrs["repo"] = p.Repo
		}
		if p.Description != "" {
			attrs["description"] = p.Description
		}
		ts = append(ts, collectors.Target{
			Subject:     models.Subject{Kind: models.KindProject, ID: ProjectID(p.Name, p.Repo), Name: p.Name, Attrs: attrs},
			Repo:        p.Repo,
			LocalPath:   c.Resolve(p.LocalPath),
			Facts:       p.Facts,
			FactsSource: filepath.Base(c.Path) + ": projects[" + p.Name + "].facts",
		})
	}
	for _, s := range c.Suppliers {
		attrs := map[string]string{}
		if len(s.Supports) > 0 {
			attrs["supports"] = strings.Join(s.Supports, ",")
		}
		if len(s.GitHubOrgs) > 0 {
			attrs["github_orgs"] = strings.Join(s.GitHubOrgs, ",")
		}
		ts = append(ts, collectors.Target{
			Subject:       models.Subject{Kind: models.KindSupplier, ID: "supplier/" + slug(s.Name), Name: s.Name, Attrs: attrs},
			Questionnaire: c.Resolve(s.Questionnaire),
			Facts:         s.Facts,
			FactsSource:   filepath.Base(c.Path) + ": suppliers[" + s.Name + "].facts",
		})
	}
	if c.Institution.Name != "" {
		ts = append(ts, collectors.Target{
			Subject:       models.Subject{Kind: models.KindInstitution, ID: "institution/" + slug(c.Institution.Name), Name: c.Institution.Name},
			Questionnaire: c.Resolve(c.Institution.SelfAssessment),
		})
	}
	return ts
}

// slug makes a stable id part from a display name.
func slug(name string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(strings.TrimSpace(name)) {
		if r == ' ' || r == '/' || r == '_' || r == '.' {
			if !dash && b.Len() > 0 {
				b.WriteByte('-')
				dash = true
			}
			continue
		}
		b.WriteRune(r)
		dash = false
	}
	return strings.TrimSuffix(b.String(), "-")
}
