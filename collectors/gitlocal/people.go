package gitlocal

import (
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strings"
	"time"

	git "github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/object"

	"github.com/osgauge/osgauge/collectors/affiliation"
	"github.com/osgauge/osgauge/models"
)

// Metrics for supplier evidence: who contributes and who maintains.
const (
	MetricContributors12m = "gitlocal.contributors_12m"
	MetricMaintainers     = "gitlocal.maintainers"
)

// securityRef matches a CVE or GitHub advisory id in a commit message.
var securityRef = regexp.MustCompile(`(?i)\bCVE-\d{4}-\d{4,}\b|\bGHSA(-[23456789cfghjmpqrvwx]{4}){3}\b`)

// Contributor is one author's activity, as recorded (JSON) in
// gitlocal.contributors_12m.
type Contributor struct {
	Email         string `json:"email"`
	Name          string `json:"name"`
	Login         string `json:"login,omitempty"` // from a GitHub no-reply e-mail
	Commits       int    `json:"commits"`         // authored in 12 months
	SecurityFixes int    `json:"security_fixes"`  // commits naming a CVE/GHSA, 24 months
	// Names are every name and login the same person signs with across
	// their addresses (affiliation.Aliases), so that a maintainer file's
	// login can be matched to a person known here by a company address:
	// karmada's OWNERS names RainbowMango, who commits as "RainbowMango"
	// from a Gmail address and as "Hongcai Ren" from huawei.com.
	Names []string `json:"names,omitempty"`
}

// maintainerList is what the maintainer files name (JSON in
// gitlocal.maintainers).
type maintainerList struct {
	Files  []string `json:"files"`
	Logins []string `json:"logins"`
	Emails []string `json:"emails"`
}

// maintainerFiles are the places projects list their maintainers.
var maintainerFiles = []string{"MAINTAINERS", "MAINTAINERS.md", "MAINTAINERS.txt", "OWNERS", "OWNERS.md", "CODEOWNERS",
	".github/CODEOWNERS", "docs/CODEOWNERS", ".github/MAINTAINERS.md", "docs/MAINTAINERS.md"}

var (
	emailRE  = regexp.MustCompile(`[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}`)
	handleRE = regexp.MustCompile(`(?:^|[\s(\[,])@([A-Za-z0-9](?:[A-Za-z0-9-]{0,38}))\b(/)?`)
	// A profile link, github.com/<login>; github.com/<org>/<repo> (group 2)
	// names a repository, not a person: karmada's MAINTAINERS.md points to
	// github.com/karmada-io/community.
	ghURLRE = regexp.MustCompile(`github\.com/([A-Za-z0-9](?:[A-Za-z0-9-]{0,38}))\b(/[A-Za-z0-9_.-]+)?`)
	// OWNERS files (Kubernetes style) list logins as YAML items under keys.
	ownersKeyRE  = regexp.MustCompile(`^\s*([A-Za-z_][A-Za-z0-9_-]*)\s*:`)
	ownersItemRE = regexp.MustCompile(`^\s*-\s*([A-Za-z0-9][A-Za-z0-9-]{0,38})\s*(?:#.*)?$`)
)

// ownersLogins are the approvers and reviewers an OWNERS file lists
// (also inside filters:); emeritus_approvers, emeritus_reviewers and
// labels are not maintainers. A file without YAML keys (an OWNERS.md with
// a plain list) counts every item.
func ownersLogins(text string) []string {
	var out []string
	lines := strings.Split(text, "\n")
	counted := !slices.ContainsFunc(lines, ownersKeyRE.MatchString)
	for _, line := range lines {
		if m := ownersKeyRE.FindStringSubmatch(line); m != nil {
			switch strings.ToLower(m[1]) {
			case "approvers", "reviewers", "maintainers", "owners":
				counted = true
			default:
				counted = false
			}
			continue
		}
		if m := ownersItemRE.FindStringSubmatch(line); m != nil && counted {
			out = append(out, m[1])
		}
	}
	return out
}

// maintainers reads the maintainer files in HEAD's tree.
func maintainers(tree *object.Tree) (maintainerList, error) {
	var ml maintainerList
	logins, emails := map[string]bool{}, map[string]bool{}
	for _, name := range maintainerFiles {
		f, err := tree.File(name)
		if err != nil {
			continue // absent
		}
		text, err := f.Contents()
		if err != nil {
			return ml, fmt.Errorf("read %s: %w", name, err)
		}
		ml.Files = append(ml.Files, name)
		for _, e := range emailRE.FindAllString(text, -1) {
			emails[strings.ToLower(e)] = true
		}
		text = emailRE.ReplaceAllString(text, " ")
		for _, m := range handleRE.FindAllStringSubmatch(text, -1) {
			if m[2] == "" { // "@org/team" names a team, not a person
				logins[strings.ToLower(m[1])] = true
			}
		}
		for _, m := range ghURLRE.FindAllStringSubmatch(text, -1) {
			if m[2] == "" {
				logins[strings.ToLower(m[1])] = true
			}
		}
		if strings.HasPrefix(strings.ToUpper(name), "OWNERS") {
			for _, l := range ownersLogins(text) {
				logins[strings.ToLower(l)] = true
			}
		}
	}
	ml.Logins, ml.Emails = keys(logins), keys(emails)
	return ml, nil
}

func keys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// supplierEvidence records who contributed (people's non-merge commits in
// 12 months, security fixes over 24 months) and who maintains, for the
// supplier-evidence step.
func (h *history) supplierEvidence(subject, repo string, now time.Time) []models.Observation {
	cut365 := now.Add(-365 * 24 * time.Hour)
	cut24m := now.AddDate(0, -24, 0)
	byEmail := map[string]*Contributor{}
	aliases := affiliation.NewAliases()
	names := map[string]map[string]bool{} // identity key → names and logins
	for _, c := range h.commits {
		if c.authored.Before(cut24m) || !c.human() {
			continue
		}
		aliases.Add(c.author)
		if names[c.author.Key] == nil {
			names[c.author.Key] = map[string]bool{}
		}
		for _, n := range []string{c.author.Name, c.author.Login} {
			if n = strings.TrimSpace(n); n != "" {
				names[c.author.Key][n] = true
			}
		}
		p := byEmail[c.author.Key]
		if p == nil {
			p = &Contributor{Email: c.author.Email, Name: c.author.Name, Login: c.author.Login}
			byEmail[c.author.Key] = p
		}
		if !c.authored.Before(cut365) {
			p.Commits++
		}
		if c.security {
			p.SecurityFixes++
		}
	}
	person := map[string]map[string]bool{} // one person's names and logins
	for key, ns := range names {
		root := aliases.Key(affiliation.Person{Key: key})
		if person[root] == nil {
			person[root] = map[string]bool{}
		}
		for n := range ns {
			person[root][n] = true
		}
	}
	list := make([]Contributor, 0, len(byEmail))
	for key, p := range byEmail {
		if p.Commits > 0 || p.SecurityFixes > 0 {
			p.Names = keys(person[aliases.Key(affiliation.Person{Key: key})])
			list = append(list, *p)
		}
	}
	sort.Slice(list, func(i, j int) bool {
		if list[i].Commits != list[j].Commits {
			return list[i].Commits > list[j].Commits
		}
		return list[i].Email < list[j].Email
	})
	contrib, _ := json.Marshal(list)
	maint, _ := json.Marshal(h.maintainers)
	n := len(h.maintainers.Logins) + len(h.maintainers.Emails)
	mEv := "no maintainer file (MAINTAINERS, OWNERS, CODEOWNERS)"
	if len(h.maintainers.Files) > 0 {
		mEv = fmt.Sprintf("%d logins and %d e-mails named in %s", len(h.maintainers.Logins), len(h.maintainers.Emails), strings.Join(h.maintainers.Files, ", "))
	}
	return []models.Observation{
		{SubjectID: subject, Metric: MetricContributors12m, Value: models.Num(float64(len(list))), Text: string(contrib), Unit: "authors",
			Source: Source, ObservedAt: now, Evidence: fmt.Sprintf("git log HEAD --no-merges: people (bots left out) since %s, CVE/GHSA references since %s%s in %s", day(cut365), day(cut24m), h.fresh.evidence(), repo)},
		{SubjectID: subject, Metric: MetricMaintainers, Value: models.Num(float64(n)), Text: string(maint), Unit: "people",
			Source: Source, ObservedAt: now, Evidence: mEv + h.fresh.evidence() + " in " + repo},
	}
}

// readMailmap reads .mailmap from HEAD's tree, as git does by default in a
// clone (mailmap.blob). No file gives a nil map. A file with lines it does
// not understand gives the map of the others and an error naming them.
func readMailmap(tree *object.Tree) (*affiliation.Mailmap, error) {
	f, err := tree.File(".mailmap")
	if err != nil {
		return nil, nil // absent
	}
	r, err := f.Reader()
	if err != nil {
		return nil, fmt.Errorf("read .mailmap: %w", err)
	}
	defer r.Close()
	return affiliation.ParseMailmap(r, ".mailmap")
}

// headTree is HEAD's tree, which the maintainer files and .mailmap are
// read from.
func headTree(repo *git.Repository, head plumbing.Hash) (*object.Tree, error) {
	commit, err := repo.CommitObject(head)
	if err != nil {
		return nil, fmt.Errorf("read HEAD: %w", err)
	}
	tree, err := commit.Tree()
	if err != nil {
		return nil, fmt.Errorf("read HEAD tree: %w", err)
	}
	return tree, nil
}
