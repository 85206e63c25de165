package github

import (
	"fmt"
	"strings"
	"time"
)

// The queries. Field names and shapes are GitHub's GraphQL schema's
// (Repository, Ref, Commit.history, Release, Issue, PullRequest,
// PullRequestReview, Tree). Each connection reads pages of 100 (GitHub's
// maximum); comments and reviews of an item are read 10 at a time, which
// costs no more points than 1 (points count connections, not nodes).

const (
	itemResponses = 10 // comments (and reviews) read with each issue or pull request
	// batchFull and batchCheck are how many repositories one query reads:
	// a first read costs about 5 points a repository (estimateFull), a
	// check about 0.08; both stay far below GitHub's 500,000-node and
	// per-query limits, and a first read of 8 repositories stays well
	// within GitHub's 10-second query time on large projects.
	batchFull  = 8
	batchCheck = 50
)

const historyFields = `pageInfo { hasNextPage endCursor }
  nodes { oid authoredDate committedDate parents { totalCount }
    author { name email user { login name company } } }`

const releaseFields = `totalCount pageInfo { hasNextPage endCursor }
  nodes { tagName name isDraft isPrerelease publishedAt createdAt }`

const actor = `author { __typename login }`

var commentFields = fmt.Sprintf(`comments(first: %d) { totalCount nodes { databaseId createdAt updatedAt %s } }`, itemResponses, actor)

var issueFields = `pageInfo { hasNextPage endCursor }
  nodes { number createdAt updatedAt closedAt ` + actor + ` labels(first: 20) { nodes { name } } ` + commentFields + ` }`

var pullFields = fmt.Sprintf(`pageInfo { hasNextPage endCursor }
  nodes { number createdAt updatedAt closedAt mergedAt %s %s
    reviews(first: %d) { totalCount nodes { databaseId submittedAt state %s } } }`, actor, commentFields, itemResponses, actor)

const tree = `... on Tree { entries { name type } }`

// metaFields are what both queries read of a repository, and the heads a
// check compares.
const metaFields = `nameWithOwner isArchived isFork isDisabled stargazerCount forkCount hasIssuesEnabled
  createdAt pushedAt homepageUrl
  owner { __typename login }
  licenseInfo { spdxId }
  watchers { totalCount }
  openIssues: issues(states: OPEN) { totalCount }
  openPulls: pullRequests(states: OPEN) { totalCount }
  repositoryTopics(first: 20) { nodes { topic { name } } }`

// fullFragment reads a repository's first pages.
var fullFragment = `fragment Full on Repository { ` + metaFields + `
  defaultBranchRef { name target { ... on Commit { oid history(first: 100) { ` + historyFields + ` } } } }
  releases(first: 100, orderBy: {field: CREATED_AT, direction: DESC}) { ` + releaseFields + ` }
  tags: refs(refPrefix: "refs/tags/", first: 100, orderBy: {field: TAG_COMMIT_DATE, direction: DESC}) { totalCount
    nodes { name target { __typename ... on Commit { oid committedDate } ... on Tag { target { ... on Commit { oid committedDate } } } } } }
  issues(first: 100, orderBy: {field: UPDATED_AT, direction: DESC}) { ` + issueFields + ` }
  pullRequests(first: 100, orderBy: {field: UPDATED_AT, direction: DESC}) { ` + pullFields + ` }
  root: object(expression: "HEAD:") { ` + tree + ` }
  dotgithub: object(expression: "HEAD:.github") { ` + tree + ` }
  docs: object(expression: "HEAD:docs") { ` + tree + ` }
}`

// checkFragment reads a repository's metadata and heads only.
var checkFragment = `fragment Check on Repository { ` + metaFields + `
  defaultBranchRef { name target { ... on Commit { oid } } }
  releases(first: 1, orderBy: {field: CREATED_AT, direction: DESC}) { totalCount nodes { tagName createdAt } }
  tags: refs(refPrefix: "refs/tags/", first: 1, orderBy: {field: TAG_COMMIT_DATE, direction: DESC}) { totalCount nodes { name } }
  issues(first: 1, orderBy: {field: UPDATED_AT, direction: DESC}) { nodes { updatedAt } }
  pullRequests(first: 1, orderBy: {field: UPDATED_AT, direction: DESC}) { nodes { updatedAt } }
}`

// Estimated points, as GitHub computes them: the requests needed to fill
// each connection at its first argument, summed, divided by 100.
//
// A full read of one repository: watchers, open issues, open pull
// requests, topics, history, releases, tags, issues and pull requests are
// one request each (9); per 100 commits their parents (100); per 100
// issues their labels and comments (200); per 100 pull requests their
// comments and reviews (200): 509 requests, 5.09 points. A check: the
// eight top-level connections, 0.08 points.
const (
	requestsFull  = 509
	requestsCheck = 8
)

// estimatePoints is the points a query over n repositories costs:
// n × per ÷ 100, rounded up, at least 1.
func estimatePoints(n, per int) int {
	return max(1, (n*per+99)/100)
}

// batchQuery is the query of kind ("full" or "check") over n repositories
// named by the variables o0, n0, o1, n1, ….
func batchQuery(kind string, n int) (op, text string) {
	frag, spread := fullFragment, "...Full"
	op = "osgaugeRepos"
	if kind == kindCheck {
		frag, spread, op = checkFragment, "...Check", "osgaugeCheck"
	}
	var b strings.Builder
	b.WriteString("query " + op + "(")
	for i := range n {
		if i > 0 {
			b.WriteString(", ")
		}
		fmt.Fprintf(&b, "$o%d: String!, $n%d: String!", i, i)
	}
	b.WriteString(") {\n  rateLimit { cost remaining resetAt }\n")
	for i := range n {
		fmt.Fprintf(&b, "  r%d: repository(owner: $o%d, name: $n%d) { %s }\n", i, i, i, spread)
	}
	b.WriteString("}\n" + frag + "\n")
	return op, b.String()
}

// Page queries: the next page of one connection of one repository.
var pageQueries = map[string]struct{ op, text string }{
	"history": {"osgaugeHistory", `query osgaugeHistory($owner: String!, $name: String!, $after: String) {
  rateLimit { cost remaining resetAt }
  repository(owner: $owner, name: $name) { defaultBranchRef { target { ... on Commit {
    history(first: 100, after: $after) { ` + historyFields + ` } } } } } }`},
	"releases": {"osgaugeReleases", `query osgaugeReleases($owner: String!, $name: String!, $after: String) {
  rateLimit { cost remaining resetAt }
  repository(owner: $owner, name: $name) {
    releases(first: 100, after: $after, orderBy: {field: CREATED_AT, direction: DESC}) { ` + releaseFields + ` } } }`},
	"issues": {"osgaugeIssues", `query osgaugeIssues($owner: String!, $name: String!, $after: String) {
  rateLimit { cost remaining resetAt }
  repository(owner: $owner, name: $name) {
    issues(first: 100, after: $after, orderBy: {field: UPDATED_AT, direction: DESC}) { ` + issueFields + ` } } }`},
	"pullRequests": {"osgaugePulls", `query osgaugePulls($owner: String!, $name: String!, $after: String) {
  rateLimit { cost remaining resetAt }
  repository(owner: $owner, name: $name) {
    pullRequests(first: 100, after: $after, orderBy: {field: UPDATED_AT, direction: DESC}) { ` + pullFields + ` } } }`},
}

// pagePoints: a further page of history (1 + 100 parents), releases (1),
// issues (1 + 200) or pull requests (1 + 200).
var pagePoints = map[string]int{"history": 2, "releases": 1, "issues": 3, "pullRequests": 3}

// ---- response shapes ----

type gqlPageInfo struct {
	HasNextPage bool   `json:"hasNextPage"`
	EndCursor   string `json:"endCursor"`
}

type gqlActor struct {
	Type  string `json:"__typename"`
	Login string `json:"login"`
}

// login is the actor's login as REST spells it: a Bot's "dependabot" is
// "dependabot[bot]" there.
func (a *gqlActor) login() string {
	if a == nil {
		return ""
	}
	if a.Type == "Bot" && !strings.HasSuffix(a.Login, "[bot]") {
		return a.Login + "[bot]"
	}
	return a.Login
}

func (a *gqlActor) bot() bool {
	return a != nil && (a.Type == "Bot" || strings.HasSuffix(strings.ToLower(a.Login), "[bot]"))
}

type gqlCount struct {
	TotalCount int `json:"totalCount"`
}

type gqlHistory struct {
	PageInfo gqlPageInfo `json:"pageInfo"`
	Nodes    []struct {
		OID           string    `json:"oid"`
		AuthoredDate  time.Time `json:"authoredDate"`
		CommittedDate time.Time `json:"committedDate"`
		Parents       gqlCount  `json:"parents"`
		Author        *struct {
			Name  string `json:"name"`
			Email string `json:"email"`
			User  *struct {
				Login   string `json:"login"`
				Name    string `json:"name"`
				Company string `json:"company"`
			} `json:"user"`
		} `json:"author"`
	} `json:"nodes"`
}

type gqlReleases struct {
	TotalCount int         `json:"totalCount"`
	PageInfo   gqlPageInfo `json:"pageInfo"`
	Nodes      []struct {
		TagName      string     `json:"tagName"`
		Name         string     `json:"name"`
		IsDraft      bool       `json:"isDraft"`
		IsPrerelease bool       `json:"isPrerelease"`
		PublishedAt  *time.Time `json:"publishedAt"`
		CreatedAt    time.Time  `json:"createdAt"`
	} `json:"nodes"`
}

type gqlCommitRef struct {
	Type          string    `json:"__typename"`
	OID           string    `json:"oid"`
	CommittedDate time.Time `json:"committedDate"`
	Target        *struct {
		OID           string    `json:"oid"`
		CommittedDate time.Time `json:"committedDate"`
	} `json:"target"`
}

type gqlComments struct {
	TotalCount int `json:"totalCount"`
	Nodes      []struct {
		DatabaseID int64     `json:"databaseId"`
		CreatedAt  time.Time `json:"createdAt"`
		UpdatedAt  time.Time `json:"updatedAt"`
		Author     *gqlActor `json:"author"`
	} `json:"nodes"`
}

type gqlItems struct {
	PageInfo gqlPageInfo   `json:"pageInfo"`
	Nodes    []gqlItemNode `json:"nodes"`
}

// gqlItemNode is one issue or pull request of a gqlItems page.
type gqlItemNode struct {
	Number    int        `json:"number"`
	CreatedAt time.Time  `json:"createdAt"`
	UpdatedAt time.Time  `json:"updatedAt"`
	ClosedAt  *time.Time `json:"closedAt"`
	MergedAt  *time.Time `json:"mergedAt"`
	Author    *gqlActor  `json:"author"`
	Labels    *struct {
		Nodes []struct {
			Name string `json:"name"`
		} `json:"nodes"`
	} `json:"labels"`
	Comments gqlComments `json:"comments"`
	Reviews  *struct {
		TotalCount int `json:"totalCount"`
		Nodes      []struct {
			DatabaseID  int64      `json:"databaseId"`
			SubmittedAt *time.Time `json:"submittedAt"`
			State       string     `json:"state"`
			Author      *gqlActor  `json:"author"`
		} `json:"nodes"`
	} `json:"reviews"`
}

type gqlTree struct {
	Entries []struct {
		Name string `json:"name"`
		Type string `json:"type"` // blob, tree, commit
	} `json:"entries"`
}

// The page queries' repository, as each decodes it.
type (
	gqlHistoryPage struct {
		DefaultBranchRef struct {
			Target struct {
				History gqlHistory `json:"history"`
			} `json:"target"`
		} `json:"defaultBranchRef"`
	}
	gqlReleasesPage struct {
		Releases gqlReleases `json:"releases"`
	}
	// gqlItemsPage is osgaugeIssues' (issues) or osgaugePulls'
	// (pullRequests) page.
	gqlItemsPage struct {
		Issues       gqlItems `json:"issues"`
		PullRequests gqlItems `json:"pullRequests"`
	}
)

// gqlRepo is one alias's repository, of either query.
type gqlRepo struct {
	NameWithOwner    string     `json:"nameWithOwner"`
	IsArchived       bool       `json:"isArchived"`
	IsFork           bool       `json:"isFork"`
	IsDisabled       bool       `json:"isDisabled"`
	StargazerCount   int        `json:"stargazerCount"`
	ForkCount        int        `json:"forkCount"`
	HasIssuesEnabled bool       `json:"hasIssuesEnabled"`
	CreatedAt        time.Time  `json:"createdAt"`
	PushedAt         *time.Time `json:"pushedAt"`
	HomepageURL      string     `json:"homepageUrl"`
	Owner            gqlActor   `json:"owner"`
	LicenseInfo      *struct {
		SpdxID string `json:"spdxId"`
	} `json:"licenseInfo"`
	Watchers         gqlCount `json:"watchers"`
	OpenIssues       gqlCount `json:"openIssues"`
	OpenPulls        gqlCount `json:"openPulls"`
	RepositoryTopics struct {
		Nodes []struct {
			Topic struct {
				Name string `json:"name"`
			} `json:"topic"`
		} `json:"nodes"`
	} `json:"repositoryTopics"`
	DefaultBranchRef *struct {
		Name   string `json:"name"`
		Target struct {
			OID     string      `json:"oid"`
			History *gqlHistory `json:"history"`
		} `json:"target"`
	} `json:"defaultBranchRef"`
	Releases gqlReleases `json:"releases"`
	Tags     struct {
		TotalCount int `json:"totalCount"`
		Nodes      []struct {
			Name   string        `json:"name"`
			Target *gqlCommitRef `json:"target"`
		} `json:"nodes"`
	} `json:"tags"`
	Issues       gqlItems `json:"issues"`
	PullRequests gqlItems `json:"pullRequests"`
	Root         *gqlTree `json:"root"`
	DotGitHub    *gqlTree `json:"dotgithub"`
	Docs         *gqlTree `json:"docs"`
}

// heads is what a check compares with the last full read: a change in any
// of them means the lists moved.
func (g *gqlRepo) heads() string {
	oid := ""
	if g.DefaultBranchRef != nil {
		oid = g.DefaultBranchRef.Name + "@" + g.DefaultBranchRef.Target.OID
	}
	top := func(it gqlItems) string {
		if len(it.Nodes) == 0 {
			return "-"
		}
		return it.Nodes[0].UpdatedAt.UTC().Format(time.RFC3339)
	}
	rel := "-"
	if len(g.Releases.Nodes) > 0 {
		rel = g.Releases.Nodes[0].TagName + "@" + g.Releases.Nodes[0].CreatedAt.UTC().Format(time.RFC3339)
	}
	tag := "-"
	if len(g.Tags.Nodes) > 0 {
		tag = g.Tags.Nodes[0].Name
	}
	return fmt.Sprintf("%s|i:%s|p:%s|r:%d:%s|t:%d:%s|issues:%v", oid, top(g.Issues), top(g.PullRequests),
		g.Releases.TotalCount, rel, g.Tags.TotalCount, tag, g.HasIssuesEnabled)
}
