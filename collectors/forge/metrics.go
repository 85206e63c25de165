package forge

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/osgauge/osgauge/collectors/affiliation"
	"github.com/osgauge/osgauge/models"
)

// IndependentGroup is the one organisation all independent authors (no
// company on their profile, and a public mail service, no-reply or local
// address) form together in org_count_12m and the elephant factor.
const IndependentGroup = "independent authors"

const (
	daysPerMonth          = 30.4375 // 365.25 / 12, as gitlocal
	weeksPerYear          = 52
	maxContributorsListed = 100
	maxOrgsInEvidence     = 10
)

// Contributor is one entry of forge.contributors_12m (its Text is a JSON
// array of these, most commits first): a person who authored default-branch
// commits or merged change requests in the last 12 months. Fields other
// than the counts come from the forge and are untrusted text.
type Contributor struct {
	Login       string `json:"login"`
	Name        string `json:"name"`
	EmailDomain string `json:"email_domain"`
	Company     string `json:"company"`
	Commits     int    `json:"commits"`
	MergedPRs   int    `json:"merged_prs"`
}

func dayStr(t time.Time) string { return t.UTC().Format("2006-01-02") }

func days(d time.Duration) float64 { return d.Hours() / 24 }

func plural(n int, one, many string) string {
	if n == 1 {
		return fmt.Sprintf("%d %s", n, one)
	}
	return fmt.Sprintf("%d %s", n, many)
}

// median of xs (sorted in place); the mean of the middle two for an even
// count.
func median(xs []float64) float64 {
	sort.Float64s(xs)
	n := len(xs)
	if n%2 == 1 {
		return xs[n/2]
	}
	return (xs[n/2-1] + xs[n/2]) / 2
}

// contributor is one author in the 12-month window.
type contributor struct {
	key     string // "@login" or the e-mail (or "name:<name>")
	login   string
	name    string
	emails  map[string]int
	commits int
	merged  int
	org     string
}

// email is the author's address for the organisation: a real address over
// a no-reply one, then the most used, then the first in order.
func (c *contributor) email() string {
	best, bestN, bestReal := "", 0, false
	for e, k := range c.emails {
		real := !strings.Contains(e, "noreply")
		if best == "" || (real && !bestReal) || (real == bestReal && (k > bestN || (k == bestN && e < best))) {
			best, bestN, bestReal = e, k, real
		}
	}
	return best
}

// emitter collects observations of one subject at one time.
type emitter struct {
	subject string
	source  string
	now     time.Time
	out     []models.Observation
}

func (e *emitter) add(metric string, v *float64, text, unit, evidence, reason string) {
	e.out = append(e.out, models.Observation{SubjectID: e.subject, Metric: metric, Value: v, Text: text, Unit: unit,
		Source: e.source, ObservedAt: e.now, Evidence: evidence, Reason: reason})
}

func (e *emitter) num(metric string, v float64, unit, evidence string) {
	e.add(metric, models.Num(v), "", unit, evidence, "")
}

func (e *emitter) flag(metric string, v bool, evidence string) {
	e.add(metric, models.Bool(v), "", "bool", evidence, "")
}

// text records a text fact; an empty one is inconclusive, for reason.
func (e *emitter) text(metric, t, evidence, reasonIfEmpty string) {
	reason := ""
	if t == "" {
		reason = reasonIfEmpty
	}
	e.add(metric, nil, t, "", evidence, reason)
}

// none records that the metric could not be measured, and why.
func (e *emitter) none(metric, unit, evidence, reason string) {
	e.add(metric, nil, "", unit, evidence, reason)
}

// Observations turns what a forge collector read into one observation per
// metric of the vocabulary, sorted by metric name.
func Observations(subject string, h *History) []models.Observation {
	now := h.Now
	e := &emitter{subject: subject, source: h.Source, now: now}
	l := h.Links
	repo := h.Repo
	meta := fmt.Sprintf("%s (repository metadata, %s API %s)", l.Repo, h.Forge, l.API)
	e.flag(MetricArchived, repo.Archived, meta)
	e.flag(MetricFork, repo.Fork, meta)
	e.flag(MetricDisabled, repo.Disabled, meta)
	e.num(MetricStars, float64(repo.Stars), "stars", l.Stars)
	e.num(MetricForks, float64(repo.Forks), "forks", l.Forks)
	e.num(MetricAdoption, float64(repo.Stars+2*repo.Forks), "stars+2×forks",
		fmt.Sprintf("%s (%d stars + 2 × %d forks)", l.Repo, repo.Stars, repo.Forks))
	if repo.Watchers != nil {
		e.num(MetricWatchers, float64(*repo.Watchers), "watchers", l.Watchers)
	} else {
		e.none(MetricWatchers, "watchers", meta, "the "+h.Forge+" API gave no watcher count")
	}
	if repo.OpenIssues != nil {
		e.num(MetricOpenIssues, float64(*repo.OpenIssues), "issues", meta+repo.OpenIssuesNote)
	} else {
		e.none(MetricOpenIssues, "issues", meta, "the "+h.Forge+" API gave no open issue count")
	}
	e.text(MetricLicenseSPDX, repo.LicenseSPDX, l.Repo+" (licence detected by "+h.Forge+")", h.Forge+" detected no licence")
	e.text(MetricDefaultBranch, repo.DefaultBranch, meta, "no default branch (empty repository)")
	e.text(MetricOwnerType, repo.OwnerType, meta, "owner type not given")
	e.text(MetricOwnerLogin, repo.OwnerLogin, meta, "owner login not given")
	e.text(MetricTopics, strings.Join(repo.Topics, ","), meta, "no topics set")
	e.text(MetricHomepage, strings.TrimSpace(repo.Homepage), meta, "no homepage set")
	if !repo.Created.IsZero() {
		e.num(MetricCreatedDays, max(0, days(now.Sub(repo.Created))), "days",
			fmt.Sprintf("%s (created %s)", meta, repo.Created.Format(time.RFC3339)))
	} else {
		e.none(MetricCreatedDays, "days", meta, "the API gave no creation date")
	}
	if !repo.Pushed.IsZero() {
		d := max(0, days(now.Sub(repo.Pushed)))
		e.num(MetricMonthsSinceLastPush, d/daysPerMonth, "months",
			fmt.Sprintf("%s (%s %s: %.1f days ÷ %g)", meta, repo.PushedField, repo.Pushed.Format(time.RFC3339), d, daysPerMonth))
	} else {
		e.none(MetricMonthsSinceLastPush, "months", meta, "never pushed to")
	}

	commitObservations(h, e)
	personCommitObservation(h, e)
	releaseObservations(h, e)
	itemObservations(h, e)

	// Security.
	switch {
	case h.SecurityPolicy == nil:
		e.none(MetricSecurityPolicy, "bool", l.Repo, h.SecurityReason)
	case *h.SecurityPolicy:
		e.flag(MetricSecurityPolicy, true, l.SecurityFile)
	default:
		e.flag(MetricSecurityPolicy, false, l.Repo+" (no SECURITY file in "+h.SecuritySearched+")")
	}
	if h.Advisories != nil {
		e.num(MetricAdvisoriesPublished, float64(*h.Advisories), "advisories", l.Advisories)
	} else {
		reason := h.AdvisoriesReason
		if reason == "" {
			reason = h.Forge + " publishes no repository security advisories through its API"
		}
		e.none(MetricAdvisoriesPublished, "advisories", l.Repo, reason)
	}

	sort.SliceStable(e.out, func(i, j int) bool { return e.out[i].Metric < e.out[j].Metric })
	return e.out
}

// commitObservations: frequency, authors, organisations, bus and elephant
// factors, and the contributor list.
func commitObservations(h *History, e *emitter) {
	now := h.Now
	branch := h.Repo.DefaultBranch
	commitsURL := h.Links.Commits
	ids := h.Identities
	cut52w, cut12 := now.Add(-Window52w), now.Add(-Window12m)
	commitMetrics := []struct{ metric, unit string }{
		{MetricCommitsPerWeek, "commits/week"}, {MetricCommits12m, "commits"}, {MetricMerges12m, "merges"},
		{MetricAuthors12m, "authors"}, {MetricBusFactor12m, "authors"},
		{MetricElephantFactor12m, "organisations"}, {MetricOrgCount12m, "organisations"},
	}
	if h.CommitsEmpty || branch == "" {
		for _, m := range commitMetrics {
			e.none(m.metric, m.unit, h.Links.Repo, "the repository has no commits")
		}
		e.text(MetricContributors12m, "", h.Links.Repo, "the repository has no commits")
		return
	}
	note := ""
	if h.CommitsTruncated {
		note = fmt.Sprintf("; only the newest %d commits were read", h.CommitLimit)
	}

	var n52, human52, merges52, bots52, n12, human12, merges12, bots12 int
	people := map[string]*contributor{}
	// One person signing from several addresses under one name counts once
	// (affiliation.Aliases), as git shortlog counts.
	aliases := affiliation.NewAliases()
	for _, c := range h.Commits {
		if who := person(ids, c, h.Forge); !c.Authored.Before(cut12) && !c.Merge && !who.Bot {
			aliases.Add(who)
		}
	}
	for _, c := range h.Commits {
		if !c.Authored.Before(cut52w) {
			n52++
			switch {
			case c.Merge:
				merges52++
			case person(ids, c, h.Forge).Bot:
				bots52++
			default:
				human52++
			}
		}
		if c.Authored.Before(cut12) {
			continue
		}
		n12++
		if c.Merge {
			merges12++
			continue
		}
		who := person(ids, c, h.Forge)
		if who.Bot {
			bots12++
			continue
		}
		human12++
		key := aliases.Key(who)
		p := people[key]
		if p == nil {
			p = &contributor{key: key, emails: map[string]int{}}
			people[key] = p
		}
		// A person merged by name may sign their newest commit from an
		// address the forge links to no account: take the login from any.
		if p.login == "" {
			p.login = c.Login
			if p.login == "" {
				p.login = who.Login // from a no-reply e-mail
			}
		}
		p.commits++
		if p.name == "" {
			p.name = who.Name // newest commit first: the name the author uses now
		}
		if who.Email != "" {
			p.emails[who.Email]++
		}
	}

	// Commits per week counts people's work: merges and automation are
	// left out (ACT-1), and the evidence says how many of each.
	e.num(MetricCommitsPerWeek, float64(human52)/weeksPerYear, "commits/week",
		fmt.Sprintf("%s (%s by people authored since %s ÷ %d weeks, excluding %s and %s; %s in all)%s", commitsURL,
			plural(human52, "commit", "commits"), dayStr(cut52w), weeksPerYear, plural(merges52, "merge", "merges"),
			plural(bots52, "bot commit", "bot commits"), plural(n52, "commit", "commits"), note))
	e.num(MetricCommits12m, float64(n12), "commits",
		fmt.Sprintf("%s (%s authored since %s: %d by people, %d merges, %d by bots)%s", commitsURL, plural(n12, "commit", "commits"), dayStr(cut12), human12, merges12, bots12, note))
	e.num(MetricMerges12m, float64(merges12), "merges",
		fmt.Sprintf("%s (%s authored since %s)%s", commitsURL, plural(merges12, "merge commit", "merge commits"), dayStr(cut12), note))

	// Organisations: the profile's company, else the e-mail domain.
	companies := map[string]bool{}
	for _, p := range people {
		u, fetched := h.Users[p.login]
		switch {
		case p.login != "" && fetched && strings.TrimSpace(u.Company) != "":
			if k, ok := normCompany(u.Company); ok {
				p.org = k
				companies[k] = true
			} else {
				p.org = affiliation.IndependentPrefix + p.key
			}
		default:
			p.org = affiliation.DomainOrg(p.email(), p.key)
		}
	}
	for _, p := range people { // "google.com" joins "@google"
		if !affiliation.IsIndependent(p.org) && strings.Contains(p.org, ".") && companies[domainLabel(p.org)] {
			p.org = domainLabel(p.org)
		}
	}
	// All independent authors form one group, "independent authors"
	// (CHAOSS Organizational Diversity's unaffiliated), counted once as an
	// organisation and once in the elephant factor, as gitlocal does.
	authors, orgs := map[string]int{}, map[string]int{}
	independents := 0
	for _, p := range people {
		authors[p.key] = p.commits
		org := p.org
		if affiliation.IsIndependent(org) {
			org = IndependentGroup
			independents++
		}
		orgs[org] += p.commits
	}
	byAuthor, byOrg := affiliation.Ranked(authors), affiliation.Ranked(orgs)
	bus, elephant := affiliation.Factor(byAuthor, human12), affiliation.Factor(byOrg, human12)

	botNote := ""
	if merges12 > 0 || bots12 > 0 {
		botNote = fmt.Sprintf("; left out: %s, %s", plural(merges12, "merge", "merges"), plural(bots12, "commit by bots", "commits by bots"))
	}
	if ev := aliases.Evidence(3); ev != "" { // who was merged, through which login
		botNote += "; " + ev
	}
	e.num(MetricAuthors12m, float64(len(authors)), "authors",
		fmt.Sprintf("%s (%s by "+h.Forge+" account or e-mail in %s by people since %s%s)%s",
			commitsURL, plural(len(authors), "author", "authors"), plural(human12, "non-merge commit", "non-merge commits"), dayStr(cut12), botNote, note))
	top := 0
	for _, s := range byAuthor[:bus] {
		top += s.N
	}
	indepNote := ""
	if n := orgs[IndependentGroup]; n > 0 {
		indepNote = fmt.Sprintf("; %s without a company and on public mail, no-reply or local addresses made %s, counted together as one organisation",
			plural(independents, "independent author", "independent authors"), plural(n, "commit", "commits"))
	}
	busEv := fmt.Sprintf("%s (no commits by people since %s)", commitsURL, dayStr(cut12))
	elEv := busEv
	if human12 > 0 {
		busEv = fmt.Sprintf("%s (top %s of %d made %d of %d commits (%.0f%%) since %s)", commitsURL, plural(bus, "author", "authors"),
			len(byAuthor), top, human12, 100*float64(top)/float64(human12), dayStr(cut12))
		parts := make([]string, 0, elephant)
		top = 0
		for _, s := range byOrg[:elephant] {
			top += s.N
			parts = append(parts, fmt.Sprintf("%s %d", s.Key, s.N))
		}
		elEv = fmt.Sprintf("%s (top %s made %d of %d commits (%.0f%%) since %s: %s%s)", commitsURL,
			plural(elephant, "organisation", "organisations"), top, human12, 100*float64(top)/float64(human12), dayStr(cut12), strings.Join(parts, ", "), indepNote)
	}
	e.num(MetricBusFactor12m, float64(bus), "authors", busEv)
	e.num(MetricElephantFactor12m, float64(elephant), "organisations", elEv)
	var named []string
	for _, s := range byOrg {
		if s.Key == IndependentGroup {
			continue
		}
		if len(named) == maxOrgsInEvidence {
			named = append(named, fmt.Sprintf("…%d more", len(byOrg)-maxOrgsInEvidence-min(1, orgs[IndependentGroup])))
			break
		}
		named = append(named, s.Key)
	}
	orgCount := len(byOrg) // the independents' group included
	if orgs[IndependentGroup] > 0 {
		named = append(named, IndependentGroup)
	}
	orgEv := fmt.Sprintf("%s (%s by profile company or e-mail domain since %s",
		commitsURL, plural(orgCount, "organisation", "organisations"), dayStr(cut12))
	if len(named) > 0 {
		orgEv += ": " + strings.Join(named, ", ")
	}
	orgEv += indepNote
	e.num(MetricOrgCount12m, float64(orgCount), "organisations", orgEv+")")

	// The contributor list: commit authors plus authors of pull requests
	// merged in 12 months.
	merged := map[string]int{}
	for _, it := range h.Items {
		if it.PR && !it.Bot && it.Author != "" && it.Merged != nil && !it.Merged.Before(cut12) &&
			!ids.IsBot("", "", it.Author) {
			merged[strings.ToLower(it.Author)]++
		}
	}
	for login, n := range merged {
		key := "@" + login
		if p := people[key]; p != nil {
			p.merged = n
			continue
		}
		people[key] = &contributor{key: key, login: login, merged: n, emails: map[string]int{}}
	}
	list := make([]Contributor, 0, len(people))
	for _, p := range people {
		ct := Contributor{Login: p.login, Name: p.name, EmailDomain: emailDomain(p.email()), Commits: p.commits, MergedPRs: p.merged}
		if u, ok := h.Users[p.login]; ok && p.login != "" {
			ct.Login = u.Login
			if ct.Login == "" {
				ct.Login = p.login
			}
			ct.Company = u.Company
			if u.Name != "" {
				ct.Name = u.Name
			}
		}
		list = append(list, ct)
	}
	sort.Slice(list, func(i, j int) bool {
		a, b := list[i], list[j]
		if a.Commits != b.Commits {
			return a.Commits > b.Commits
		}
		if a.MergedPRs != b.MergedPRs {
			return a.MergedPRs > b.MergedPRs
		}
		if a.Login != b.Login {
			return a.Login < b.Login
		}
		return a.Name+a.EmailDomain < b.Name+b.EmailDomain
	})
	total := len(list)
	ev := fmt.Sprintf("%s (%s with commits or merged %ss since %s; company from the profiles of the top %d authors)",
		commitsURL, plural(total, "contributor", "contributors"), h.ChangeNoun, dayStr(cut12), h.ProfilesRead)
	if total > maxContributorsListed {
		list = list[:maxContributorsListed]
		ev += fmt.Sprintf("; the first %d listed", maxContributorsListed)
	}
	if h.ItemsTruncated {
		ev += fmt.Sprintf("; %ss counted from the newest %d updated", h.ChangeNoun, h.ItemLimit)
	}
	b, _ := json.Marshal(list)
	e.add(MetricContributors12m, models.Num(float64(total)), string(b), "contributors", ev, "")
}

// personCommitObservation is months_since_last_person_commit: days since
// the newest default-branch commit (by committer date, as gitlocal) whose
// author is a person ÷ 30.4375. The people/bot rule is the people
// metrics' (person: the identity layer, or the forge's Bot account type);
// a merge by a person counts (a maintainer chose to merge), a bot's commit
// or merge does not, and the newer bot commits are counted in the
// evidence.
//
// The History holds the commits committed in the 12-month window (365
// days; older ones are pruned before Observations). When none of them is
// by a person and the window was read completely (not CommitsTruncated:
// the collectors read newest first until a commit older than the window
// or the end of the branch), the value is 12, the window's length in the
// 12-month metrics' sense, a lower bound of the age. When the reading was
// truncated and no person's commit was seen, there is no value: one may
// be among the commits not read.
func personCommitObservation(h *History, e *emitter) {
	const metric, unit = MetricMonthsSinceLastPersonCommit, "months"
	commitsURL := h.Links.Commits
	if h.CommitsEmpty || h.Repo.DefaultBranch == "" {
		e.none(metric, unit, h.Links.Repo, "the repository has no commits")
		return
	}
	cut12 := h.Now.Add(-Window12m)
	var newest *Commit
	for i := range h.Commits {
		c := &h.Commits[i]
		if c.Committed.Before(cut12) || person(h.Identities, *c, h.Forge).Bot {
			continue
		}
		if newest == nil || c.Committed.After(newest.Committed) ||
			(c.Committed.Equal(newest.Committed) && c.SHA < newest.SHA) {
			newest = c
		}
	}
	// Bots' commits newer than the person's (or, without one, in the
	// window), by name.
	botsBy := map[string]int{}
	bots := 0
	for _, c := range h.Commits {
		if c.Committed.Before(cut12) || (newest != nil && !c.Committed.After(newest.Committed)) {
			continue
		}
		if who := person(h.Identities, c, h.Forge); who.Bot {
			bots++
			botsBy[shownName(c, who)]++
		}
	}
	botNote := ""
	if bots > 0 {
		newer := "newer "
		if newest == nil {
			newer = ""
		}
		botNote = fmt.Sprintf("; %s by bots (%s) not counted", plural(bots, newer+"commit", newer+"commits"), topNames(botsBy, 3))
	}
	if newest == nil {
		if h.CommitsTruncated {
			e.none(metric, unit, fmt.Sprintf("%s (no commit by a person among the newest %d commits read%s)", commitsURL, h.CommitLimit, botNote),
				fmt.Sprintf("no commit by a person among the newest %d commits read, and the commits since %s were not all read: a person's commit may be among those not read",
					h.CommitLimit, dayStr(cut12)))
			return
		}
		// The window is the 12 months of every 12-month metric (365 days;
		// 365 ÷ 30.4375 = 11.99): no person's commit in it is "no commit
		// for 12 months", what the unmaintained gate asks, so it counts as
		// 12, a lower bound of the age.
		e.num(metric, 12, unit, fmt.Sprintf("%s (no commit by a person in the 12 months read, since %s: at least 12 months, a lower bound%s)",
			commitsURL, dayStr(cut12), botNote))
		return
	}
	d := max(0, days(h.Now.Sub(newest.Committed)))
	what := ""
	if newest.Merge {
		what = ", a merge"
	}
	e.num(metric, d/daysPerMonth, unit, fmt.Sprintf("%s (newest commit by a person %s by %s committed %s%s: %.1f days ÷ %g%s)",
		commitsURL, shortSHA(newest.SHA), shownName(*newest, person(h.Identities, *newest, h.Forge)),
		newest.Committed.UTC().Format(time.RFC3339), what, d, daysPerMonth, botNote))
}

// shownName is how evidence names a commit's author: the forge login, else
// the name the identity layer gives, else the commit's name (never an
// e-mail).
func shownName(c Commit, who affiliation.Person) string {
	switch {
	case c.Login != "":
		return c.Login
	case who.Login != "":
		return who.Login
	case who.Name != "":
		return who.Name
	case c.Name != "":
		return c.Name
	}
	return "an unnamed author"
}

func shortSHA(sha string) string {
	if len(sha) > 7 {
		return sha[:7]
	}
	return sha
}

// topNames lists up to n names, most counted first ("renovate[bot] 3,
// dependabot[bot] 1"), and how many more.
func topNames(counts map[string]int, n int) string {
	names := make([]string, 0, len(counts))
	for k := range counts {
		names = append(names, k)
	}
	sort.Slice(names, func(i, j int) bool {
		if counts[names[i]] != counts[names[j]] {
			return counts[names[i]] > counts[names[j]]
		}
		return names[i] < names[j]
	})
	parts := []string{}
	for i, k := range names {
		if i == n {
			parts = append(parts, fmt.Sprintf("%d more", len(names)-n))
			break
		}
		parts = append(parts, fmt.Sprintf("%s %d", k, counts[k]))
	}
	return strings.Join(parts, ", ")
}

// recentReleaseMonths is the age (the no-release gate's 24 months) up to
// which a release seen on a partial reading of the releases or tags is
// proof enough: older, the newest release may be among those not read.
const recentReleaseMonths = 24

// releaseObservations: releases (or tags) in 12 months and months since
// the newest, pre-releases left out of both. When the releases or tags
// were read only in part, months_since_last_release keeps its value only
// if a release within 24 months was seen (an upper bound of the age);
// otherwise it has no value and says what was not read.
func releaseObservations(h *History, e *emitter) {
	cut12 := h.Now.Add(-Window12m)
	rl := h.Releases
	pre := fmt.Sprintf("; %s left out (%d dated since %s)", plural(rl.Pre, "pre-release", "pre-releases"), rl.Pre12m, dayStr(cut12))
	page := h.Links.Releases
	incomplete := ""
	if !rl.TagsUsed {
		ev := fmt.Sprintf("%s (%d of %s published since %s%s)", h.Links.Releases, rl.In12m,
			plural(rl.Total, "release", "releases"), dayStr(cut12), pre)
		if rl.Truncated {
			incomplete = fmt.Sprintf("only the newest %d releases were read", rl.ReadLimit)
			ev += "; " + incomplete
		}
		e.num(MetricReleases12m, float64(rl.In12m), "releases", ev)
	} else {
		page = h.Links.Tags
		ev := fmt.Sprintf("%s (no releases published; %d of %s on commits dated since %s%s",
			h.Links.Tags, rl.In12m, plural(rl.Total, "tag", "tags"), dayStr(cut12), pre)
		var gaps []string
		if rl.TagsUndated > 0 {
			ev += fmt.Sprintf("; %d not dated yet", rl.TagsUndated)
			gaps = append(gaps, fmt.Sprintf("%d tags are not dated yet", rl.TagsUndated))
		}
		if rl.TagsPageLimit > 0 {
			ev += fmt.Sprintf("; the first %d tags read", rl.TagsPageLimit)
			gaps = append(gaps, fmt.Sprintf("only the first %d tags were read", rl.TagsPageLimit))
		}
		incomplete = strings.Join(gaps, " and ")
		e.num(MetricReleases12m, float64(rl.In12m), "releases", ev+")")
	}

	months := func(since time.Time) (float64, string) {
		d := max(0, days(h.Now.Sub(since)))
		return d / daysPerMonth, fmt.Sprintf("%.1f days ÷ %g", d, daysPerMonth)
	}
	switch {
	case !rl.Newest.IsZero() && incomplete != "" && days(h.Now.Sub(rl.Newest))/daysPerMonth > recentReleaseMonths:
		// The newest release read is old and the reading is partial: a
		// newer release may be among those not read, so the age is not
		// known well enough for the no-release gate (24 months).
		m, arith := months(rl.Newest)
		e.none(MetricMonthsSinceRelease, "months", fmt.Sprintf("%s (newest release read %s dated %s: %s = %.1f months%s)",
			page, rl.NewestName, rl.Newest.UTC().Format(time.RFC3339), arith, m, pre),
			fmt.Sprintf("the newest release read is older than %d months and %s: a newer release may be among those not read",
				recentReleaseMonths, incomplete))
	case !rl.Newest.IsZero():
		// Read in full, or a release within 24 months seen: the value
		// stands (on a partial reading it is an upper bound of the age).
		m, arith := months(rl.Newest)
		ev := fmt.Sprintf("%s (newest release %s dated %s: %s%s", page, rl.NewestName, rl.Newest.UTC().Format(time.RFC3339), arith, pre)
		if incomplete != "" {
			ev += "; " + incomplete + ": a newer release may be among those not read, this is the most the age can be"
		}
		e.num(MetricMonthsSinceRelease, m, "months", ev+")")
	case incomplete != "":
		// The newest release may be among those not read.
		e.none(MetricMonthsSinceRelease, "months", page,
			fmt.Sprintf("no release among the %s read, and %s", plural(rl.Total, "release or tag", "releases or tags"), incomplete))
	case h.Repo.Created.IsZero():
		e.none(MetricMonthsSinceRelease, "months", page, "no release or tag, and the API gave no creation date")
	default:
		// Never released: the project has been used unreleased since it
		// was created.
		m, arith := months(h.Repo.Created)
		what := "no release or tag"
		if rl.Pre > 0 {
			what = "no release, only " + plural(rl.Pre, "pre-release", "pre-releases") + ","
		}
		e.num(MetricMonthsSinceRelease, m, "months", fmt.Sprintf("%s (%s since the repository was created on %s: %s)",
			page, what, h.Repo.Created.UTC().Format(time.RFC3339), arith))
	}
}

// firstResponses is, per issue or change request, when someone other than
// its author, and not a bot, first commented, commented on the diff or
// reviewed.
func firstResponses(h *History) map[int]time.Time {
	author := map[int]Item{}
	for _, it := range h.Items {
		author[it.N] = it
	}
	first := map[int]time.Time{}
	for _, c := range h.Responses {
		it, ok := author[c.N]
		if !ok || !IsResponse(c, it.Author) || c.At.Before(it.Created) {
			continue
		}
		if f, ok := first[c.N]; !ok || c.At.Before(f) {
			first[c.N] = c.At
		}
	}
	return first
}

// IsResponse reports whether c answers an item by author: written by a
// person who is not the author.
func IsResponse(c Response, author string) bool {
	return !c.Bot && c.Login != "" && !strings.EqualFold(c.Login, author)
}

// person identifies a commit's author through the identity layer; a forge
// account the forge marks as a bot (c.Bot) also makes a bot.
func person(ids *affiliation.Identities, c Commit, forge string) affiliation.Person {
	p := ids.Resolve(c.Name, c.Email, c.Login)
	if c.Bot && !p.Bot {
		p.Bot, p.BotWhy = true, forge+" account of type Bot"
	}
	return p
}

// itemObservations: issue and pull-request responsiveness over 180 days.
//
// Time to first response is the median, over issues (pull requests) opened
// in 180 days by people (not bots), of the days until someone other than
// the author, and not a bot, first commented (on a pull request also:
// commented on the diff or reviewed). An item nobody answered counts with
// the time it has waited: until it was closed, or until now while open —
// so unanswered items make the median worse rather than vanish from it.
func itemObservations(h *History, e *emitter) {
	now := h.Now
	cut180 := now.Add(-Window180)
	since := dayStr(cut180)
	issuesURL, pullsURL := h.Links.Issues, h.Links.Changes
	noun, nouns := h.ChangeNoun, h.ChangeNoun+"s"
	note := ""
	if h.ItemsTruncated {
		note = fmt.Sprintf("; only the newest %d updated issues and %s were read", h.ItemLimit, nouns)
	}
	if h.ItemsDisabled != "" {
		for _, m := range []struct{ metric, unit string }{
			{MetricIssuesOpened180d, "issues"}, {MetricIssuesClosed180d, "issues"}, {MetricChangesOpened180d, nouns},
			{MetricIssueFirstResponse, "days"}, {MetricChangeFirstResponse, "days"}, {MetricChangeClosureRatio, "ratio"},
			{MetricChangeMergeRatio, "ratio"}, {MetricChangeMergeDays, "days"}, {MetricBugOpenDays, "days"},
		} {
			e.none(m.metric, m.unit, h.Links.Repo, h.ItemsDisabled)
		}
		return
	}
	first := firstResponses(h)

	var issueWait, prWait, mergeDays, bugOpen []float64
	var opened, closed, prOpened, prClosed, prMerged, issueUnanswered, prUnanswered, bugs int
	for _, it := range h.Items {
		end := now
		if it.Closed != nil {
			end = *it.Closed
		}
		if it.Merged != nil && (it.Closed == nil || it.Merged.Before(*it.Closed)) {
			end = *it.Merged
		}
		isClosed := it.Closed != nil || it.Merged != nil
		if !it.PR && it.Closed != nil && !it.Closed.Before(cut180) {
			closed++
		}
		if it.Created.Before(cut180) {
			continue
		}
		wait := func(unanswered *int) float64 {
			if f, ok := first[it.N]; ok {
				return days(f.Sub(it.Created))
			}
			*unanswered++
			return max(0, days(end.Sub(it.Created)))
		}
		if !it.PR {
			opened++
			if !it.Bot {
				issueWait = append(issueWait, wait(&issueUnanswered))
			}
			if it.Bug {
				bugs++
				bugOpen = append(bugOpen, max(0, days(end.Sub(it.Created))))
			}
			continue
		}
		prOpened++
		if !it.Bot {
			prWait = append(prWait, wait(&prUnanswered))
		}
		if isClosed {
			prClosed++
		}
		if it.Merged != nil {
			prMerged++
			mergeDays = append(mergeDays, max(0, days(it.Merged.Sub(it.Created))))
		}
	}

	e.num(MetricIssuesOpened180d, float64(opened), "issues",
		fmt.Sprintf("%s (%s opened since %s)%s", issuesURL, plural(opened, "issue", "issues"), since, note))
	e.num(MetricIssuesClosed180d, float64(closed), "issues",
		fmt.Sprintf("%s (%s closed since %s)%s", h.Links.IssuesClosed, plural(closed, "issue", "issues"), since, note))
	e.num(MetricChangesOpened180d, float64(prOpened), nouns,
		fmt.Sprintf("%s (%s opened since %s)%s", pullsURL, plural(prOpened, noun, nouns), since, note))

	if len(issueWait) > 0 {
		e.num(MetricIssueFirstResponse, median(issueWait), "days",
			fmt.Sprintf("%s (median over %s opened by people since %s; %d unanswered, counted with their wait so far)%s",
				issuesURL, plural(len(issueWait), "issue", "issues"), since, issueUnanswered, note))
	} else {
		e.none(MetricIssueFirstResponse, "days", issuesURL, "no issues opened by people in the last 180 days"+note)
	}
	if len(prWait) > 0 {
		ev := fmt.Sprintf("%s (median over %s opened by people since %s; comments, diff comments and reviews; %d unanswered, counted with their wait so far",
			pullsURL, plural(len(prWait), noun, nouns), since, prUnanswered)
		if h.ReviewsSkipped > 0 {
			ev += fmt.Sprintf("; reviews of %s not read in this run", plural(h.ReviewsSkipped, noun, nouns))
		}
		e.num(MetricChangeFirstResponse, median(prWait), "days", ev+")"+note)
	} else {
		e.none(MetricChangeFirstResponse, "days", pullsURL, "no "+nouns+" opened by people in the last 180 days"+note)
	}
	if prOpened > 0 {
		e.num(MetricChangeClosureRatio, float64(prClosed)/float64(prOpened), "ratio",
			fmt.Sprintf("%s (%d closed or merged of %d opened since %s)%s", pullsURL, prClosed, prOpened, since, note))
	} else {
		e.none(MetricChangeClosureRatio, "ratio", pullsURL, "no "+nouns+" opened in the last 180 days"+note)
	}
	if prClosed > 0 {
		e.num(MetricChangeMergeRatio, float64(prMerged)/float64(prClosed), "ratio",
			fmt.Sprintf("%s (%d merged of %d closed, of those opened since %s)%s", pullsURL, prMerged, prClosed, since, note))
	} else {
		e.none(MetricChangeMergeRatio, "ratio", pullsURL, "no "+noun+" opened in the last 180 days was closed yet"+note)
	}
	if len(mergeDays) > 0 {
		e.num(MetricChangeMergeDays, median(mergeDays), "days",
			fmt.Sprintf("%s (median from opening to merge over %s opened since %s)%s",
				pullsURL, plural(len(mergeDays), "merged "+noun, "merged "+nouns), since, note))
	} else {
		e.none(MetricChangeMergeDays, "days", pullsURL, "no "+noun+" opened in the last 180 days was merged"+note)
	}
	bugsURL := h.Links.Bugs
	if bugs > 0 {
		e.num(MetricBugOpenDays, median(bugOpen), "days",
			fmt.Sprintf("%s (median days open, until closed or until now, over %s labelled bug, kind/bug or type: bug opened since %s)%s",
				bugsURL, plural(bugs, "issue", "issues"), since, note))
	} else {
		e.none(MetricBugOpenDays, "days", bugsURL, "no issues labelled as bugs opened in the last 180 days"+note)
	}
}
