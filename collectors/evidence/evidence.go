// Package evidence attributes the contributions observed in the projects a
// supplier claims to support to that supplier: its share of commits and
// merged pull requests, its people among the maintainers, the security
// fixes they authored. It turns observations into supplier observations;
// it never scores, and compares them with the supplier's own claims.
package evidence

import (
	"encoding/json"
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/osgauge/osgauge/collectors/affiliation"
	"github.com/osgauge/osgauge/models"
)

// Name is the source name of supplier evidence.
const Name = "evidence"

// Supplier says how to recognise a supplier's people.
type Supplier struct {
	ID           string
	Name         string
	Orgs         []string // GitHub organisations (matched against profile company)
	Logins       []string // engineers' GitHub logins
	EmailDomains []string // e-mail domains of its engineers
	Claims       map[string]float64
}

// Project is what was collected about one supported project.
type Project struct {
	Name  string
	Facts map[string]models.Observation
}

// person is one contributor as either collector records them.
type person struct {
	Login, Email, Name, Company string
	Commits, MergedPRs, Fixes   int
	// Names are the names and logins the same person signs git commits
	// with from any address (gitlocal), for maintainer files that list
	// logins only.
	Names []string
}

func (s Supplier) matches(p person) bool {
	if p.Login != "" && containsFold(s.Logins, p.Login) {
		return true
	}
	if d := domainOf(p.Email); d != "" && containsFold(s.EmailDomains, d) {
		return true
	}
	c := strings.ToLower(strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(p.Company), "@")))
	for _, org := range s.Orgs {
		o := strings.ToLower(org)
		if c != "" && (c == o || strings.HasPrefix(c, o+" ") || strings.HasPrefix(c, o+",") || strings.Contains(c, "@"+o)) {
			return true
		}
	}
	return false
}

func containsFold(list []string, s string) bool {
	return slices.ContainsFunc(list, func(x string) bool { return strings.EqualFold(x, s) })
}

func domainOf(email string) string {
	if i := strings.LastIndexByte(email, '@'); i >= 0 {
		return strings.ToLower(email[i+1:])
	}
	return ""
}

// people reads a project's contributors: the forge's list when there is
// one (it knows logins, companies and merged change requests), else git's.
func people(p Project) ([]person, string, bool) {
	if o, ok := p.Facts["forge.contributors_12m"]; ok && o.Text != "" {
		var list []struct {
			Login, Name, Company string
			EmailDomain          string `json:"email_domain"`
			Commits              int
			MergedPRs            int `json:"merged_prs"`
		}
		if json.Unmarshal([]byte(o.Text), &list) == nil {
			out := make([]person, 0, len(list))
			for _, c := range list {
				if affiliation.IsBot(c.Name, "", c.Login) {
					continue // lists stored before the identity layer held bots
				}
				email := ""
				if c.EmailDomain != "" {
					email = "@" + c.EmailDomain
				}
				out = append(out, person{Login: c.Login, Email: email, Name: c.Name, Company: c.Company, Commits: c.Commits, MergedPRs: c.MergedPRs})
			}
			// Security fixes are only known from git history.
			if g, ok := gitPeople(p); ok {
				for i := range out {
					for _, gp := range g {
						if gp.Name != "" && strings.EqualFold(gp.Name, out[i].Name) {
							out[i].Fixes += gp.Fixes
						}
					}
				}
			}
			return out, o.Source, true
		}
	}
	g, ok := gitPeople(p)
	return g, "git", ok
}

func gitPeople(p Project) ([]person, bool) {
	o, ok := p.Facts["gitlocal.contributors_12m"]
	if !ok || o.Text == "" {
		return nil, false
	}
	var list []struct {
		Email, Name, Login string
		Commits            int
		SecurityFixes      int `json:"security_fixes"`
		Names              []string
	}
	if json.Unmarshal([]byte(o.Text), &list) != nil {
		return nil, false
	}
	out := make([]person, 0, len(list))
	for _, c := range list {
		if affiliation.IsBot(c.Name, c.Email, c.Login) {
			continue // lists stored before the identity layer held bots
		}
		out = append(out, person{Login: c.Login, Email: c.Email, Name: c.Name, Commits: c.Commits, Fixes: c.SecurityFixes, Names: c.Names})
	}
	return out, true
}

// maintainerHits counts the maintainer-file entries that are the supplier's.
func maintainerHits(s Supplier, p Project, ours []person) ([]string, bool) {
	o, ok := p.Facts["gitlocal.maintainers"]
	if !ok || o.Text == "" {
		return nil, false
	}
	var ml struct{ Logins, Emails []string }
	if json.Unmarshal([]byte(o.Text), &ml) != nil {
		return nil, false
	}
	var hits []string
	for _, l := range ml.Logins {
		if containsFold(s.Logins, l) || slices.ContainsFunc(ours, func(x person) bool { return strings.EqualFold(x.Login, l) }) {
			hits = append(hits, "@"+l)
			continue
		}
		// Offline the login is known only as a name the supplier's person
		// signs commits with: say so, it is weaker than a forge account.
		// Only handle-like names (RainbowMango, not Alex) say which login.
		if i := slices.IndexFunc(ours, func(x person) bool { return affiliation.HandleLike(l) && containsFold(x.Names, l) }); i >= 0 {
			hits = append(hits, fmt.Sprintf("@%s (a git name of %s, %s)", l, ours[i].Name, domainOf(ours[i].Email)))
		}
	}
	for _, e := range ml.Emails {
		if containsFold(s.EmailDomains, domainOf(e)) || slices.ContainsFunc(ours, func(x person) bool { return strings.EqualFold(x.Email, e) }) {
			hits = append(hits, e)
		}
	}
	return hits, true
}

// Derive computes the supplier's evidence over its supported projects.
// Metrics without data for any project are inconclusive with a reason.
func Derive(s Supplier, projects []Project, now time.Time) []models.Observation {
	obs := func(metric, unit string) models.Observation {
		return models.Observation{SubjectID: s.ID, Metric: Name + "." + metric, Unit: unit, Source: Name, ObservedAt: now}
	}
	share, maint, fixes, top2 := obs("contribution_share_pct", "%"), obs("maintainers", "people"), obs("security_fixes", "commits"), obs("top2_share_pct", "%")
	if len(projects) == 0 {
		for _, o := range []*models.Observation{&share, &maint, &fixes, &top2} {
			o.Reason = "no supported projects in the config (suppliers[].supports)"
		}
		return []models.Observation{share, maint, fixes, top2}
	}
	var total, ours, fixCount, maintCount int
	var shareParts, maintParts, fixParts []string
	perPerson := map[string]int{}
	withPeople, withMaint, withGit := 0, 0, 0
	for _, p := range projects {
		list, from, ok := people(p)
		var mine []person
		if ok {
			withPeople++
			if from == "git" || p.Facts["gitlocal.contributors_12m"].Text != "" {
				withGit++
			}
			pt, po, pf := 0, 0, 0
			for _, x := range list {
				n := x.Commits + x.MergedPRs
				pt += n
				if s.matches(x) {
					mine = append(mine, x)
					po += n
					pf += x.Fixes
					key := x.Login
					if key == "" {
						key = strings.ToLower(x.Email)
					}
					perPerson[key] += n
				}
			}
			total += pt
			ours += po
			fixCount += pf
			shareParts = append(shareParts, fmt.Sprintf("%s: %d of %d commits and merged PRs by %d of its people (%s)", p.Name, po, pt, len(mine), from))
			if pf > 0 {
				fixParts = append(fixParts, fmt.Sprintf("%s: %d", p.Name, pf))
			}
		}
		if hits, ok := maintainerHits(s, p, mine); ok {
			withMaint++
			maintCount += len(hits)
			if len(hits) > 0 {
				maintParts = append(maintParts, p.Name+": "+strings.Join(hits, ", "))
			} else {
				maintParts = append(maintParts, p.Name+": none")
			}
		}
	}
	if withPeople == 0 {
		share.Reason, top2.Reason = "no contributor data for the supported projects (collect gitlocal or a forge: github, gitlab, gitee, gitcode)", "no contributor data"
	} else if total == 0 {
		share.Reason, top2.Reason = "no commits in the last 12 months in the supported projects", "no commits"
	} else {
		share.Value = models.Num(round1(100 * float64(ours) / float64(total)))
		share.Evidence = strings.Join(shareParts, "; ")
		if ours == 0 {
			top2.Reason = "no commits by the supplier's people"
		} else {
			counts := make([]int, 0, len(perPerson))
			for _, n := range perPerson {
				counts = append(counts, n)
			}
			sort.Sort(sort.Reverse(sort.IntSlice(counts)))
			t := counts[0]
			if len(counts) > 1 {
				t += counts[1]
			}
			top2.Value = models.Num(round1(100 * float64(t) / float64(ours)))
			top2.Evidence = fmt.Sprintf("the top two of %d engineers made %d of the supplier's %d commits and merged PRs", len(counts), t, ours)
		}
	}
	if withMaint == 0 {
		maint.Reason = "no maintainer files read (needs a local clone: gitlocal)"
	} else {
		maint.Value = models.Num(float64(maintCount))
		maint.Evidence = "MAINTAINERS/OWNERS/CODEOWNERS: " + strings.Join(maintParts, "; ")
	}
	if withGit == 0 {
		fixes.Reason = "security fixes are read from git history: needs a local clone (gitlocal)"
	} else {
		fixes.Value = models.Num(float64(fixCount))
		fixes.Evidence = "commits naming a CVE or GHSA id in 24 months"
		if len(fixParts) > 0 {
			fixes.Evidence += ": " + strings.Join(fixParts, "; ")
		}
	}
	// Claims against evidence: said where the number is shown.
	for _, o := range []*models.Observation{&share, &maint} {
		key := strings.TrimPrefix(o.Metric, Name+".")
		claim, ok := s.Claims[key]
		if !ok || o.Value == nil {
			continue
		}
		if d := discrepancy(claim, *o.Value); d != "" {
			o.Evidence = fmt.Sprintf("DISCREPANCY: claims %g, evidence shows %g (%s). %s", claim, *o.Value, d, o.Evidence)
		} else {
			o.Evidence = fmt.Sprintf("claim %g confirmed. %s", claim, o.Evidence)
		}
	}
	return []models.Observation{share, maint, fixes, top2}
}

// discrepancy says how a claim disagrees with the evidence ("" if it does
// not): claiming some where there are none, or more than twice as many.
func discrepancy(claim, seen float64) string {
	switch {
	case claim > 0 && seen == 0:
		return "none found"
	case claim > 2*seen:
		return "less than half the claim"
	}
	return ""
}

func round1(x float64) float64 { return float64(int64(x*10+0.5)) / 10 }
