package github

import (
	"encoding/base64"
	"encoding/json"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"
	"github.com/vektah/gqlparser/v2/parser"
	"github.com/vektah/gqlparser/v2/validator"
)

// The fake's GraphQL endpoint (/api/graphql, as on GitHub Enterprise
// Server) answers the collector's operations in GitHub's GraphQL response
// shapes, from the same repositories the REST fake serves: data keyed by
// alias, Relay connections (nodes, pageInfo, totalCount), Actor
// __typename (a bot is a Bot whose login has no "[bot]"; its commits link
// to no User), errors[] with type and path, rateLimit { cost remaining
// resetAt }, and X-RateLimit-Resource: graphql with the points left.
// A diff comment is served as GitHub's model has it: a review of state
// COMMENTED submitted when the comment was made.
//
// As GitHub does, the fake validates each query against GitHub's published
// schema (testdata/github-schema.graphql.gz, gqlschema_test.go) and
// answers an invalid one with errors and no data (HTTP 200), and answers
// exactly the fields a query selects: no more (its whole-repository maps
// are projected onto the query) — a field it selects and the fake does not
// serve fails TestSentQueriesAndFakeAnswersMatchSchema.

// gqlCost is what GitHub charges, worked out by hand from the collector's
// queries (docs: requests to fill each connection at its first argument,
// ÷ 100, rounded up here, at least 1):
//   - osgaugeRepos: per repository watchers, open issues, open pull
//     requests, topics, history, releases, tags, issues, pull requests
//     (9) + parents of 100 commits (100) + labels and comments of 100
//     issues (200) + comments and reviews of 100 pull requests (200) = 509;
//   - osgaugeCheck: per repository the eight top-level connections = 8;
//   - osgaugeHistory 1 + 100 parents = 101 → 2; osgaugeReleases 1 → 1;
//     osgaugeIssues and osgaugePulls 1 + 200 = 201 → 3.
func gqlCost(op string, repos int) int {
	per := map[string]int{"osgaugeRepos": 509, "osgaugeCheck": 8, "osgaugeHistory": 101, "osgaugeReleases": 1, "osgaugeIssues": 201, "osgaugePulls": 201}[op]
	if repos > 0 {
		per *= repos
	}
	return max(1, (per+99)/100)
}

func (f *fakeGitHub) serveGraphQL(w http.ResponseWriter, r *http.Request) {
	var req struct {
		Query         string         `json:"query"`
		Variables     map[string]any `json:"variables"`
		OperationName string         `json:"operationName"`
	}
	if r.Method != http.MethodPost || json.NewDecoder(r.Body).Decode(&req) != nil {
		f.errorJSON(w, r, "", http.StatusBadRequest, "Problems parsing JSON", "https://docs.github.com/graphql")
		return
	}
	f.mu.Lock()
	f.log = append(f.log, "POST /api/graphql "+req.OperationName)
	f.gqlOps = append(f.gqlOps, req.OperationName)
	status, refusal := f.gqlStatus, f.gqlRefusal
	f.mu.Unlock()
	if status != 0 {
		f.errorJSON(w, r, "", status, http.StatusText(status), "https://docs.github.com/graphql")
		return
	}
	op, invalid := fakeValidate(req.Query, req.Variables)
	if invalid != nil {
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		json.NewEncoder(w).Encode(map[string]any{"errors": invalid})
		return
	}
	data := map[string]any{}
	var errs []map[string]any
	repos := 0
	switch req.OperationName {
	case "osgaugeRepos", "osgaugeCheck":
		for i := 0; ; i++ {
			o, ok1 := req.Variables["o"+strconv.Itoa(i)].(string)
			n, ok2 := req.Variables["n"+strconv.Itoa(i)].(string)
			if !ok1 || !ok2 {
				break
			}
			repos++
			alias := "r" + strconv.Itoa(i)
			f.mu.Lock()
			repo := f.repos[o+"/"+n]
			f.mu.Unlock()
			f.count(o+"/"+n, false)
			if repo == nil || repo.status != 0 {
				data[alias] = nil
				errs = append(errs, map[string]any{"type": "NOT_FOUND", "path": []any{alias},
					"message": "Could not resolve to a Repository with the name '" + o + "/" + n + "'.", "locations": []any{map[string]any{"line": 3, "column": 3}}})
				continue
			}
			data[alias] = f.gqlRepo(repo, o+"/"+n, req.OperationName == "osgaugeRepos")
		}
	default:
		o, _ := req.Variables["owner"].(string)
		n, _ := req.Variables["name"].(string)
		after, _ := req.Variables["after"].(string)
		f.mu.Lock()
		repo := f.repos[o+"/"+n]
		f.mu.Unlock()
		f.count(o+"/"+n, false)
		if repo == nil {
			data["repository"] = nil
			errs = append(errs, map[string]any{"type": "NOT_FOUND", "path": []any{"repository"}, "message": "Could not resolve to a Repository"})
			break
		}
		full := f.gqlRepo(repo, o+"/"+n, true)
		page := map[string]any{}
		switch req.OperationName {
		case "osgaugeHistory":
			page["defaultBranchRef"] = map[string]any{"target": map[string]any{"__typename": "Commit", "history": f.gqlPage(f.gqlCommits(repo), after)}}
		case "osgaugeReleases":
			page["releases"] = f.gqlPage(full["_releases"].([]any), after)
		case "osgaugeIssues":
			page["issues"] = f.gqlPage(full["_issues"].([]any), after)
		case "osgaugePulls":
			page["pullRequests"] = f.gqlPage(full["_pulls"].([]any), after)
		}
		data["repository"] = page
	}
	if refusal != "" {
		data, errs = nil, []map[string]any{{"type": refusal, "message": "Resource not accessible by integration"}}
	}
	cost := gqlCost(req.OperationName, repos)
	f.mu.Lock()
	f.gqlRemaining = max(0, f.gqlRemaining-cost)
	f.gqlPoints += cost
	rem := f.gqlRemaining
	f.mu.Unlock()
	reset := f.now().Add(time.Hour)
	var answer any
	if data != nil {
		data["rateLimit"] = map[string]any{"cost": cost, "remaining": rem, "resetAt": iso(reset)}
		answer = fakeProject(data, op.SelectionSet, "Query")
	}
	h := w.Header()
	h.Set("X-RateLimit-Limit", "5000")
	h.Set("X-RateLimit-Remaining", strconv.Itoa(rem))
	h.Set("X-RateLimit-Used", strconv.Itoa(5000-rem))
	h.Set("X-RateLimit-Reset", strconv.FormatInt(reset.Unix(), 10))
	h.Set("X-RateLimit-Resource", "graphql")
	h.Set("Content-Type", "application/json; charset=utf-8")
	out := map[string]any{"data": answer}
	if len(errs) > 0 {
		out["errors"] = errs
	}
	json.NewEncoder(w).Encode(out)
}

// gqlPage is one page of a connection at the fake's page size; the cursor
// is an opaque base64 offset, as GitHub's are opaque.
func (f *fakeGitHub) gqlPage(all []any, after string) map[string]any {
	from := 0
	if b, err := base64.StdEncoding.DecodeString(after); err == nil && strings.HasPrefix(string(b), "cursor:") {
		from, _ = strconv.Atoi(strings.TrimPrefix(string(b), "cursor:"))
	}
	per := min(100, f.pageSize)
	from = min(from, len(all))
	to := min(from+per, len(all))
	nodes := all[from:to]
	if nodes == nil {
		nodes = []any{}
	}
	var end any
	if to > from {
		end = base64.StdEncoding.EncodeToString([]byte("cursor:" + strconv.Itoa(to)))
	}
	return map[string]any{"totalCount": len(all), "nodes": nodes, "pageInfo": map[string]any{"hasNextPage": to < len(all), "endCursor": end}}
}

// fakeActor is a REST user as GraphQL's Actor.
func fakeActor(u any) any {
	m, ok := u.(map[string]any)
	if !ok || m == nil {
		return nil
	}
	login, _ := m["login"].(string)
	if m["type"] == "Bot" || strings.HasSuffix(login, "[bot]") {
		return map[string]any{"__typename": "Bot", "login": strings.TrimSuffix(login, "[bot]")}
	}
	return map[string]any{"__typename": "User", "login": login}
}

func (f *fakeGitHub) gqlCommits(repo *fakeRepo) []any {
	var out []any
	for _, c := range repo.commits {
		cm := c["commit"].(map[string]any)
		a := cm["author"].(map[string]any)
		author := map[string]any{"name": a["name"], "email": a["email"], "user": nil}
		if u, ok := c["author"].(map[string]any); ok && u != nil && u["type"] != "Bot" {
			login := u["login"].(string)
			user := map[string]any{"login": login, "name": nil, "company": nil}
			f.mu.Lock()
			if p, ok := f.users[strings.ToLower(login)]; ok {
				user["name"], user["company"] = p["name"], p["company"]
			}
			f.mu.Unlock()
			author["user"] = user
		}
		parents, _ := c["parents"].([]any)
		out = append(out, map[string]any{"oid": c["sha"], "authoredDate": a["date"],
			"committedDate": cm["committer"].(map[string]any)["date"], "parents": map[string]any{"totalCount": len(parents)}, "author": author})
	}
	return out
}

func numberOfURL(v any) int {
	s, _ := v.(string)
	n, _ := strconv.Atoi(s[strings.LastIndex(s, "/")+1:])
	return n
}

// gqlRepo is one repository in the Full (or Check) fragment's shape.
// Underscored keys carry whole lists for the page operations.
func (f *fakeGitHub) gqlRepo(repo *fakeRepo, full string, all bool) map[string]any {
	m := repo.meta
	owner, _ := m["owner"].(map[string]any)
	var lic any
	if l, ok := m["license"].(map[string]any); ok && l != nil {
		lic = map[string]any{"spdxId": l["spdx_id"]}
	}
	topics := []any{}
	if ts, ok := m["topics"].([]any); ok {
		for _, t := range ts {
			topics = append(topics, map[string]any{"topic": map[string]any{"name": t}})
		}
	}
	openIssues, openPulls := 0, 0
	for _, it := range repo.issues {
		if it["state"] == "open" {
			if _, pr := it["pull_request"]; pr {
				openPulls++
			} else {
				openIssues++
			}
		}
	}
	// REST's open_issues_count is the fake's fixed meta figure: split it
	// as GitHub would count it, open issues first.
	if n, ok := m["open_issues_count"].(int); ok {
		openIssues, openPulls = n-min(n, openPulls), min(n, openPulls)
	}
	out := map[string]any{
		"nameWithOwner": full, "isArchived": m["archived"], "isFork": m["fork"], "isDisabled": m["disabled"],
		"stargazerCount": m["stargazers_count"], "forkCount": m["forks_count"], "hasIssuesEnabled": repo.issuesStatus != http.StatusGone,
		"createdAt": m["created_at"], "pushedAt": m["pushed_at"], "homepageUrl": m["homepage"],
		"owner":       map[string]any{"__typename": owner["type"], "login": owner["login"]},
		"licenseInfo": lic, "watchers": map[string]any{"totalCount": m["subscribers_count"]},
		"openIssues": map[string]any{"totalCount": openIssues}, "openPulls": map[string]any{"totalCount": openPulls},
		"repositoryTopics": map[string]any{"nodes": topics},
	}
	commits := f.gqlCommits(repo)
	if len(commits) == 0 {
		out["defaultBranchRef"] = nil
	} else {
		target := map[string]any{"__typename": "Commit", "oid": commits[0].(map[string]any)["oid"]}
		if all {
			target["history"] = f.gqlPage(commits, "")
		}
		out["defaultBranchRef"] = map[string]any{"name": m["default_branch"], "target": target}
	}
	// Releases, newest created first.
	rels := append([]map[string]any(nil), repo.releases...)
	sort.SliceStable(rels, func(i, j int) bool { return parseTime(rels[i]["created_at"]).After(parseTime(rels[j]["created_at"])) })
	var relNodes []any
	for _, rl := range rels {
		relNodes = append(relNodes, map[string]any{"tagName": rl["tag_name"], "name": rl["name"], "isDraft": rl["draft"],
			"isPrerelease": rl["prerelease"], "publishedAt": rl["published_at"], "createdAt": rl["created_at"]})
	}
	// Tags, newest commit first, each to its commit.
	type tagNode struct {
		node map[string]any
		at   time.Time
	}
	var tags []tagNode
	for _, tg := range repo.tags {
		sha := tg["commit"].(map[string]any)["sha"]
		var target any
		var at time.Time
		for _, c := range repo.commits {
			if c["sha"] == sha {
				d := c["commit"].(map[string]any)["committer"].(map[string]any)["date"]
				target, at = map[string]any{"__typename": "Commit", "oid": sha, "committedDate": d}, parseTime(d)
			}
		}
		tags = append(tags, tagNode{map[string]any{"name": tg["name"], "target": target}, at})
	}
	sort.SliceStable(tags, func(i, j int) bool { return tags[i].at.After(tags[j].at) })
	var tagNodes []any
	for _, t := range tags {
		tagNodes = append(tagNodes, t.node)
	}
	// Issues and pull requests, most recently updated first, with their
	// first comments and reviews (oldest first).
	var issues, pulls []any
	for _, it := range sortBy(repo.issues, "updated", "desc") {
		n := it["number"].(int)
		_, pr := it["pull_request"]
		var cs []map[string]any
		for _, c := range repo.comments {
			if numberOfURL(c["issue_url"]) == n {
				cs = append(cs, c)
			}
		}
		cs = sortBy(cs, "created", "asc")
		var cNodes []any
		for _, c := range cs {
			cNodes = append(cNodes, map[string]any{"databaseId": c["id"], "createdAt": c["created_at"], "updatedAt": c["updated_at"], "author": fakeActor(c["user"])})
		}
		node := map[string]any{"number": n, "createdAt": it["created_at"], "updatedAt": it["updated_at"], "closedAt": it["closed_at"],
			"author": fakeActor(it["user"]), "comments": map[string]any{"totalCount": len(cNodes), "nodes": firstN(cNodes, 10)}}
		if !pr {
			ls := []any{}
			for _, l := range it["labels"].([]any) {
				ls = append(ls, map[string]any{"name": l.(map[string]any)["name"]})
			}
			node["labels"] = map[string]any{"nodes": ls}
			issues = append(issues, node)
			continue
		}
		node["mergedAt"] = it["pull_request"].(map[string]any)["merged_at"]
		type rv struct {
			node map[string]any
			at   time.Time
		}
		var rvs []rv
		for _, v := range repo.reviews[n] {
			rvs = append(rvs, rv{map[string]any{"databaseId": v["id"], "submittedAt": v["submitted_at"], "state": v["state"], "author": fakeActor(v["user"])}, parseTime(v["submitted_at"])})
		}
		for _, c := range repo.reviewComments {
			if numberOfURL(c["pull_request_url"]) == n {
				rvs = append(rvs, rv{map[string]any{"databaseId": c["pull_request_review_id"], "submittedAt": c["created_at"], "state": "COMMENTED", "author": fakeActor(c["user"])}, parseTime(c["created_at"])})
			}
		}
		sort.SliceStable(rvs, func(i, j int) bool { return rvs[i].at.Before(rvs[j].at) })
		var rNodes []any
		for _, v := range rvs {
			rNodes = append(rNodes, v.node)
		}
		node["reviews"] = map[string]any{"totalCount": len(rNodes), "nodes": firstN(rNodes, 10)}
		pulls = append(pulls, node)
	}
	tree := func(dir string) any {
		es, ok := repo.contents[dir]
		if !ok || len(commits) == 0 {
			return nil
		}
		var entries []any
		for _, e := range es {
			typ := "blob"
			if e["type"] == "dir" {
				typ = "tree"
			}
			entries = append(entries, map[string]any{"name": e["name"], "type": typ})
		}
		return map[string]any{"__typename": "Tree", "entries": entries}
	}
	if all {
		out["releases"] = f.gqlPage(relNodes, "")
		out["tags"] = map[string]any{"totalCount": len(tagNodes), "nodes": firstN(tagNodes, 100)}
		out["issues"] = f.gqlPage(issues, "")
		out["pullRequests"] = f.gqlPage(pulls, "")
		out["root"], out["dotgithub"], out["docs"] = tree(""), tree(".github"), tree("docs")
		out["_releases"], out["_issues"], out["_pulls"] = relNodes, issues, pulls
	} else {
		out["releases"] = map[string]any{"totalCount": len(relNodes), "nodes": firstN(relNodes, 1)}
		out["tags"] = map[string]any{"totalCount": len(tagNodes), "nodes": firstN(tagNodes, 1)}
		out["issues"] = map[string]any{"nodes": firstN(issues, 1)}
		out["pullRequests"] = map[string]any{"nodes": firstN(pulls, 1)}
	}
	return out
}

func firstN(list []any, n int) []any {
	if list == nil {
		return []any{}
	}
	return list[:min(n, len(list))]
}

// fakeValidate validates a query and its variables against GitHub's
// published schema; an invalid one gets errors as GitHub words them for a
// query it does not run: a message, locations, extensions.code (here
// gqlparser's rule name, where GitHub gives its own code such as
// undefinedField) and no type.
func fakeValidate(query string, vars map[string]any) (*ast.OperationDefinition, []map[string]any) {
	s, err := fakeSchema()
	if err != nil {
		return nil, []map[string]any{{"message": "fake: " + err.Error()}}
	}
	doc, perr := parser.ParseQuery(&ast.Source{Name: "query", Input: query})
	var list gqlerror.List
	if perr != nil {
		list = gqlerror.List{gqlerror.WrapIfUnwrapped(perr)}
	} else if list = validator.Validate(s, doc); len(list) == 0 {
		if len(doc.Operations) != 1 {
			return nil, []map[string]any{{"message": "fake: one operation per query, please"}}
		}
		if _, err := validator.VariableValues(s, doc.Operations[0], vars); err != nil {
			list = gqlerror.List{gqlerror.WrapIfUnwrapped(err)}
		}
	}
	if len(list) == 0 {
		return doc.Operations[0], nil
	}
	var out []map[string]any
	for _, e := range list {
		var locs []any
		for _, l := range e.Locations {
			locs = append(locs, map[string]any{"line": l.Line, "column": l.Column})
		}
		out = append(out, map[string]any{"message": e.Message, "locations": locs, "extensions": map[string]any{"code": e.Rule}})
	}
	return nil, out
}

var (
	fakeSchemaOnce sync.Once
	fakeSchemaGH   *ast.Schema
	fakeSchemaErr  error
)

func fakeSchema() (*ast.Schema, error) {
	fakeSchemaOnce.Do(func() { fakeSchemaGH, fakeSchemaErr = loadSchema(schemaFile) })
	return fakeSchemaGH, fakeSchemaErr
}

// fakeProject keeps of the fake's value v what the selection asks, by
// response key, through fragments whose type applies (an object's type
// is its __typename, else typeName: an object whose field has an
// interface or union type carries its __typename).
func fakeProject(v any, set ast.SelectionSet, typeName string) any {
	switch x := v.(type) {
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = fakeProject(e, set, typeName)
		}
		return out
	case map[string]any:
		if tn, ok := x["__typename"].(string); ok {
			typeName = tn
		}
		s, _ := fakeSchema()
		out := map[string]any{}
		var walk func(ast.SelectionSet)
		walk = func(set ast.SelectionSet) {
			for _, sel := range set {
				switch f := sel.(type) {
				case *ast.Field:
					if val, ok := x[f.Alias]; ok {
						out[f.Alias] = fakeProject(val, f.SelectionSet, f.Definition.Type.Name())
					}
				case *ast.InlineFragment:
					if typeApplies(s, typeName, f.TypeCondition) {
						walk(f.SelectionSet)
					}
				case *ast.FragmentSpread:
					if typeApplies(s, typeName, f.Definition.TypeCondition) {
						walk(f.Definition.SelectionSet)
					}
				}
			}
		}
		walk(set)
		return out
	}
	return v
}

// typeApplies reports whether a fragment on cond applies to an object of
// type typeName (cond is the type itself, or an interface or union it
// belongs to).
func typeApplies(s *ast.Schema, typeName, cond string) bool {
	if cond == "" || cond == typeName {
		return true
	}
	for _, p := range s.GetPossibleTypes(s.Types[cond]) {
		if p.Name == typeName {
			return true
		}
	}
	return false
}
