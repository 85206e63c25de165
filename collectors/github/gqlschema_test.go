package github

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/parser"
	"github.com/vektah/gqlparser/v2/validator"

	"github.com/osgauge/osgauge/collectors"
)

// The collector's queries checked against GitHub's published GraphQL
// schema (testdata/github-schema.graphql.gz; source and version in
// testdata/README.md) with gqlparser: fields, arguments, enum values,
// fragments and the variables' types, then the variables the collector
// sends, GitHub's own limits (a first or last on every connection that
// lists nodes, at most 100; the point cost as GitHub computes it), and the
// response decoding (every field the decoder reads is selected, with a Go
// type that the schema's type decodes into).

var (
	schemaOnce sync.Once
	schemaGH   *ast.Schema
	schemaErr  error
)

const schemaFile = "testdata/github-schema.graphql.gz"

// githubSchema loads the published schema once. The published file
// defines EnterpriseOwnerInfo.repositoryDeployKeySetting (and its
// …Organizations) twice, which a strict parser refuses: the second
// definition of a field is dropped (the two are identical).
func githubSchema(t testing.TB) *ast.Schema {
	t.Helper()
	schemaOnce.Do(func() {
		schemaGH, schemaErr = loadSchema(schemaFile)
	})
	if schemaErr != nil {
		t.Fatalf("%s: %v", schemaFile, schemaErr)
	}
	return schemaGH
}

func loadSchema(name string) (*ast.Schema, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		return nil, err
	}
	b, err := io.ReadAll(zr)
	if err != nil {
		return nil, err
	}
	sd, err := parser.ParseSchemas(validator.Prelude, &ast.Source{Name: name, Input: string(b)})
	if err != nil {
		return nil, err
	}
	for _, d := range sd.Definitions {
		seen := map[string]bool{}
		keep := d.Fields[:0]
		for _, f := range d.Fields {
			if !seen[f.Name] {
				keep = append(keep, f)
			}
			seen[f.Name] = true
		}
		d.Fields = keep
	}
	return validator.ValidateSchemaDocument(sd)
}

// validateQuery parses and validates one query and its variables against
// the schema; it returns the validated operation (fields carry their
// schema definitions) or the errors.
func validateQuery(s *ast.Schema, text string, vars map[string]any) (*ast.OperationDefinition, []string) {
	doc, err := parser.ParseQuery(&ast.Source{Name: "query", Input: text})
	if err != nil {
		return nil, []string{err.Error()}
	}
	var out []string
	for _, e := range validator.Validate(s, doc) {
		out = append(out, e.Error())
	}
	if len(out) == 0 && len(doc.Operations) != 1 {
		out = append(out, fmt.Sprintf("%d operations, want 1", len(doc.Operations)))
	}
	if len(out) > 0 {
		return nil, out
	}
	op := doc.Operations[0]
	if vars != nil {
		// Through JSON, as the server sees them.
		b, _ := json.Marshal(vars)
		var sent map[string]any
		json.Unmarshal(b, &sent)
		if _, err := validator.VariableValues(s, op, sent); err != nil {
			out = append(out, "variables: "+err.Error())
		}
	}
	return op, out
}

// gqlCase is one query the collector sends, with the variables it sends
// and the Go type each data key is decoded into.
type gqlCase struct {
	name, op, text string
	vars           map[string]any
	decode         map[string]reflect.Type // data key → Go type
	strict         bool                    // every decoded field selected and every selected field decoded
	allowMissing   map[string]bool         // decoder paths a strict query does not select
	requests       int                     // GitHub's request count, worked out by hand
}

// collectorQueries are every operation the collector sends, built by its
// own functions.
func collectorQueries() []gqlCase {
	var out []gqlCase
	batch := func(kind string, n int, per int) gqlCase {
		op, text := batchQuery(kind, n)
		c := gqlCase{name: fmt.Sprintf("%s×%d", op, n), op: op, text: text, vars: map[string]any{},
			decode: map[string]reflect.Type{"rateLimit": reflect.TypeOf(gqlRateLimit{})}, strict: kind == kindFull, requests: n * per,
			// gqlItems decodes both lists: labels are the issues' only,
			// mergedAt and reviews the pull requests' only.
			allowMissing: map[string]bool{"issues.nodes.mergedAt": true, "issues.nodes.reviews": true, "pullRequests.nodes.labels": true}}
		for i := range n {
			c.vars[fmt.Sprintf("o%d", i)], c.vars[fmt.Sprintf("n%d", i)] = "acme", fmt.Sprintf("repo-%d", i)
			c.decode[fmt.Sprintf("r%d", i)] = reflect.TypeOf(gqlRepo{})
		}
		return c
	}
	// Requests per repository (GitHub: each connection needs as many
	// requests as its parents' first values multiply to): full 509 (see
	// requestsFull: 9 top-level connections + 100 parents + 200 for the
	// issues' labels and comments + 200 for the pull requests' comments
	// and reviews); check 8 (eight top-level connections).
	out = append(out, batch(kindFull, 1, 509), batch(kindFull, batchFull, 509), batch(kindCheck, 1, 8), batch(kindCheck, batchCheck, 8))
	pages := map[string]struct {
		typ      reflect.Type
		requests int
		allow    map[string]bool
	}{
		// history 1 + its 100 commits' parents 100 = 101; releases 1;
		// issues 1 + 100 labels + 100 comments = 201; pull requests 1 +
		// 100 comments + 100 reviews = 201.
		"history":      {reflect.TypeOf(gqlHistoryPage{}), 101, nil},
		"releases":     {reflect.TypeOf(gqlReleasesPage{}), 1, nil},
		"issues":       {reflect.TypeOf(gqlItemsPage{}), 201, map[string]bool{"pullRequests": true, "issues.nodes.mergedAt": true, "issues.nodes.reviews": true}},
		"pullRequests": {reflect.TypeOf(gqlItemsPage{}), 201, map[string]bool{"issues": true, "pullRequests.nodes.labels": true}},
	}
	var conns []string
	for k := range pageQueries {
		conns = append(conns, k)
	}
	sort.Strings(conns)
	for _, conn := range conns {
		q, p := pageQueries[conn], pages[conn]
		out = append(out, gqlCase{name: q.op, op: q.op, text: q.text, strict: true, allowMissing: p.allow, requests: p.requests,
			vars:   map[string]any{"owner": "acme", "name": "widget", "after": "Y3Vyc29yOjEwMA=="},
			decode: map[string]reflect.Type{"rateLimit": reflect.TypeOf(gqlRateLimit{}), "repository": p.typ}})
	}
	return out
}

// Every query the collector sends is valid against GitHub's schema, its
// variables have the declared types, it keeps GitHub's pagination and
// cost rules, and what the collector decodes is what it selects.
func TestQueriesMatchGitHubSchema(t *testing.T) {
	s := githubSchema(t)
	cases := collectorQueries()
	if len(cases) != 8 {
		t.Fatalf("%d queries, want 8 (repos ×1 ×8, check ×1 ×50, four page queries)", len(cases))
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			op, errs := validateQuery(s, c.text, c.vars)
			for _, e := range errs {
				t.Errorf("%s: %s", c.op, e)
			}
			if op == nil {
				return
			}
			if op.Name != c.op {
				t.Errorf("operation %q, want %q", op.Name, c.op)
			}
			// The page queries are sent with after: null on no page
			// (never) and a cursor otherwise; both are String.
			requests, nodes, problems := githubLimits(op.SelectionSet, 1)
			for _, p := range problems {
				t.Error(p)
			}
			if requests != c.requests {
				t.Errorf("GitHub counts %d requests, the collector's estimate assumes %d", requests, c.requests)
			}
			if nodes > 500000 {
				t.Errorf("%d nodes, above GitHub's 500,000", nodes)
			}
			top := responseFields(op.SelectionSet)
			for key, typ := range c.decode {
				fs := top[key]
				if len(fs) == 0 {
					t.Errorf("data.%s is decoded but not selected", key)
					continue
				}
				for _, f := range fs {
					checkDecode(t, s, key, "", typ, f.SelectionSet, c.strict, c.allowMissing)
				}
			}
			for key := range top {
				if c.decode[key] == nil {
					t.Errorf("data.%s is selected but never decoded", key)
				}
			}
		})
	}
}

// responseFields are a selection set's fields by response key (alias or
// name), through fragments.
func responseFields(set ast.SelectionSet) map[string][]*ast.Field {
	out := map[string][]*ast.Field{}
	var walk func(ast.SelectionSet)
	walk = func(set ast.SelectionSet) {
		for _, sel := range set {
			switch x := sel.(type) {
			case *ast.Field:
				out[x.Alias] = append(out[x.Alias], x)
			case *ast.InlineFragment:
				walk(x.SelectionSet)
			case *ast.FragmentSpread:
				walk(x.Definition.SelectionSet)
			}
		}
	}
	walk(set)
	return out
}

// githubLimits applies GitHub's rules to a validated selection: a
// connection that lists nodes or edges needs first or last (at most 100);
// its requests are its parents' first values multiplied (GitHub's rate
// limit formula); its nodes are that times its own first.
func githubLimits(set ast.SelectionSet, parents int) (requests, nodes int, problems []string) {
	for _, fs := range responseFields(set) {
		for _, f := range fs {
			if f.Definition == nil {
				continue
			}
			mult := parents
			if strings.HasSuffix(f.Definition.Type.Name(), "Connection") {
				requests += parents
				n := 0
				for _, a := range []string{"first", "last"} {
					if arg := f.Arguments.ForName(a); arg != nil {
						v, err := strconv.Atoi(arg.Value.Raw)
						if err != nil || v < 1 || v > 100 {
							problems = append(problems, fmt.Sprintf("%s(%s: %s): GitHub takes 1 to 100", f.Alias, a, arg.Value.Raw))
						}
						n = v
					}
				}
				lists := len(responseFields(f.SelectionSet)["nodes"]) > 0 || len(responseFields(f.SelectionSet)["edges"]) > 0
				if lists && n == 0 {
					problems = append(problems, fmt.Sprintf("%s lists nodes without first or last (GitHub: MISSING_PAGINATION_BOUNDARIES)", f.Alias))
				}
				nodes += parents * n
				mult = parents * max(n, 1)
			}
			r, n, p := githubLimits(f.SelectionSet, mult)
			requests, nodes, problems = requests+r, nodes+n, append(problems, p...)
		}
	}
	return requests, nodes, problems
}

var timeType = reflect.TypeOf(time.Time{})

// checkDecode checks a Go type the collector decodes a selection into:
// each json-tagged field is selected (strict: unless allowMissing names
// its path) with a schema type that decodes into the Go type, and
// (strict) each selected field is decoded.
func checkDecode(t *testing.T, s *ast.Schema, where, path string, typ reflect.Type, set ast.SelectionSet, strict bool, allowMissing map[string]bool) {
	t.Helper()
	for typ.Kind() == reflect.Pointer {
		typ = typ.Elem()
	}
	if typ.Kind() != reflect.Struct {
		t.Errorf("%s: Go %s for an object", where, typ)
		return
	}
	fields := responseFields(set)
	decoded := map[string]bool{}
	for i := range typ.NumField() {
		sf := typ.Field(i)
		name, _, _ := strings.Cut(sf.Tag.Get("json"), ",")
		if name == "" || name == "-" {
			continue
		}
		decoded[name] = true
		p := strings.TrimPrefix(path+"."+name, ".")
		fs := fields[name]
		if len(fs) == 0 {
			if strict && !allowMissing[p] {
				t.Errorf("%s.%s: decoded (Go %s.%s) but not selected", where, name, typ.Name(), sf.Name)
			}
			continue
		}
		for _, f := range fs {
			checkGoType(t, s, where+"."+name, p, sf.Type, f, f.Definition.Type, strict, allowMissing)
		}
	}
	if strict {
		for name := range fields {
			if !decoded[name] {
				t.Errorf("%s.%s: selected but not decoded by Go %s", where, name, typ)
			}
		}
	}
}

func checkGoType(t *testing.T, s *ast.Schema, where, path string, goT reflect.Type, f *ast.Field, gt *ast.Type, strict bool, allowMissing map[string]bool) {
	t.Helper()
	for goT.Kind() == reflect.Pointer {
		goT = goT.Elem()
	}
	if gt.Elem != nil {
		if goT.Kind() != reflect.Slice {
			t.Errorf("%s: a list [%s] decoded into Go %s", where, gt.Elem.Name(), goT)
			return
		}
		checkGoType(t, s, where, path, goT.Elem(), f, gt.Elem, strict, allowMissing)
		return
	}
	def := s.Types[gt.NamedType]
	if def == nil {
		t.Errorf("%s: type %s not in the schema", where, gt.NamedType)
		return
	}
	ok := true
	switch {
	case def.Kind == ast.Object || def.Kind == ast.Interface || def.Kind == ast.Union:
		if goT == timeType || goT.Kind() != reflect.Struct {
			ok = false
			break
		}
		checkDecode(t, s, where, path, goT, f.SelectionSet, strict, allowMissing)
	case def.Kind == ast.Enum:
		ok = goT.Kind() == reflect.String
	case def.Name == "Boolean":
		ok = goT.Kind() == reflect.Bool
	case def.Name == "Int":
		ok = goT.Kind() == reflect.Int || goT.Kind() == reflect.Int64
	case def.Name == "Float":
		ok = goT.Kind() == reflect.Float64
	case def.Name == "DateTime" || def.Name == "GitTimestamp" || def.Name == "PreciseDateTime":
		ok = goT == timeType
	default: // String, ID, URI, GitObjectID, HTML and the other string scalars
		ok = goT.Kind() == reflect.String
	}
	if !ok {
		t.Errorf("%s: schema type %s decoded into Go %s", where, gt.String(), goT)
	}
}

// ---- what the collector sends to the fake, and what the fake answers ----

// gqlExchange is one GraphQL request the collector sent and the fake's
// answer.
type gqlExchange struct {
	req struct {
		Query         string         `json:"query"`
		Variables     map[string]any `json:"variables"`
		OperationName string         `json:"operationName"`
	}
	resp []byte
}

// recordGraphQL makes the fake record every GraphQL exchange.
func recordGraphQL(h *harness) *[]gqlExchange {
	var mu sync.Mutex
	var out []gqlExchange
	h.f.hook = func(w http.ResponseWriter, r *http.Request) bool {
		if r.URL.Path != "/api/graphql" {
			return false
		}
		body, _ := io.ReadAll(r.Body)
		var x gqlExchange
		json.Unmarshal(body, &x.req)
		r.Body = io.NopCloser(bytes.NewReader(body))
		rec := httptest.NewRecorder()
		h.f.serveGraphQL(rec, r)
		x.resp = rec.Body.Bytes()
		mu.Lock()
		out = append(out, x)
		mu.Unlock()
		for k, v := range rec.Header() {
			w.Header()[k] = v
		}
		w.WriteHeader(rec.Code)
		w.Write(x.resp)
		return true
	}
	return &out
}

// Every request the collector sent to the fake in a first collection of
// nine repositories (a batch of 8 and one of 1) served in pages of 3 (so
// every page query is asked), an unchanged refresh (checks) and a changed
// one is valid against GitHub's schema with its variables; every answer
// of the fake has the shape GitHub gives that query: the keys selected and
// no others, each value of its schema type (null only where nullable).
func TestSentQueriesAndFakeAnswersMatchSchema(t *testing.T) {
	s := githubSchema(t)
	h := gqlHarness(t)
	h.f.pageSize = 3
	ex := recordGraphQL(h)
	var ts []collectors.Target
	for i := range 9 {
		full := fmt.Sprintf("acme/w%d", i)
		h.f.setRepo(full, widget(h.f, full))
		ts = append(ts, target(h.f, full))
	}
	for _, tg := range ts {
		if ok, why := h.c.Applies(tg); !ok {
			t.Fatal(why)
		}
	}
	for round := range 2 {
		for _, tg := range ts {
			if _, _, err := h.c.Collect(context.Background(), tg); err != nil {
				t.Fatalf("round %d: %v", round, err)
			}
		}
	}
	ops := map[string]int{}
	for i, x := range *ex {
		ops[x.req.OperationName]++
		where := fmt.Sprintf("request %d (%s)", i, x.req.OperationName)
		op, errs := validateQuery(s, x.req.Query, x.req.Variables)
		for _, e := range errs {
			t.Errorf("%s: %s", where, e)
		}
		if op == nil {
			continue
		}
		var resp struct {
			Data   map[string]any `json:"data"`
			Errors []any          `json:"errors"`
		}
		d := json.NewDecoder(bytes.NewReader(x.resp))
		d.UseNumber()
		if err := d.Decode(&resp); err != nil {
			t.Errorf("%s: answer: %v", where, err)
			continue
		}
		if len(resp.Errors) > 0 {
			t.Errorf("%s: answered errors %v", where, resp.Errors)
		}
		checkAnswer(t, s, where+" data", resp.Data, op.SelectionSet, s.Query.Name)
	}
	// 9 repositories in batches of 8 and 1, each with a page of 3 of a
	// longer history, issue and pull request list (releases: the widget's
	// 3 fit one page, so none); then 9 checks in one batch (all hinted,
	// within batchCheck = 50).
	for _, want := range []string{"osgaugeRepos", "osgaugeCheck", "osgaugeHistory", "osgaugeIssues", "osgaugePulls"} {
		if ops[want] == 0 {
			t.Errorf("operations %v: want %s among them", ops, want)
		}
	}
	if ops["osgaugeRepos"] != 2 || ops["osgaugeCheck"] != 1 {
		t.Errorf("operations %v: want 2 osgaugeRepos (8 + 1) and 1 osgaugeCheck (9)", ops)
	}
}

// checkAnswer checks one response object against the selection that
// asked for it: every key selected, no other key, each value of its
// field's schema type. typeName is the object's type, when known.
func checkAnswer(t *testing.T, s *ast.Schema, where string, v any, set ast.SelectionSet, typeName string) {
	t.Helper()
	obj, ok := v.(map[string]any)
	if !ok {
		t.Errorf("%s: %T, want an object", where, v)
		return
	}
	if tn, ok := obj["__typename"].(string); ok {
		typeName = tn
	}
	applies := func(cond string) (yes, known bool) {
		if cond == "" || cond == typeName {
			return true, true
		}
		def := s.Types[typeName]
		if def == nil || def.Kind != ast.Object {
			return false, false
		}
		for _, p := range s.GetPossibleTypes(s.Types[cond]) {
			if p.Name == typeName {
				return true, true
			}
		}
		return false, true
	}
	want := map[string]*ast.Field{}  // must be present
	maybe := map[string]*ast.Field{} // under a fragment of unknown type
	var walk func(ast.SelectionSet, bool)
	walk = func(set ast.SelectionSet, sure bool) {
		for _, sel := range set {
			switch x := sel.(type) {
			case *ast.Field:
				if sure {
					want[x.Alias] = x
				} else {
					maybe[x.Alias] = x
				}
			case *ast.InlineFragment:
				if yes, known := applies(x.TypeCondition); yes || !known {
					walk(x.SelectionSet, sure && known)
				}
			case *ast.FragmentSpread:
				if yes, known := applies(x.Definition.TypeCondition); yes || !known {
					walk(x.Definition.SelectionSet, sure && known)
				}
			}
		}
	}
	walk(set, true)
	if len(obj) == 0 && len(want)+len(maybe) > 0 {
		// No fragment applied: GitHub answers a default branch's target,
		// a tree, … with their fields, never {}.
		t.Errorf("%s: {} answered (type %s) where fields were selected", where, typeName)
	}
	for k := range want {
		if _, ok := obj[k]; !ok {
			t.Errorf("%s: %s selected but not answered", where, k)
		}
	}
	keys := make([]string, 0, len(obj))
	for k := range obj {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		f := want[k]
		if f == nil {
			f = maybe[k]
		}
		if f == nil {
			t.Errorf("%s: %s answered but not selected", where, k)
			continue
		}
		checkValue(t, s, where+"."+k, obj[k], f, f.Definition.Type)
	}
}

func checkValue(t *testing.T, s *ast.Schema, where string, v any, f *ast.Field, gt *ast.Type) {
	t.Helper()
	if v == nil {
		if gt.NonNull {
			t.Errorf("%s: null for %s", where, gt)
		}
		return
	}
	if gt.Elem != nil {
		list, ok := v.([]any)
		if !ok {
			t.Errorf("%s: %T for %s", where, v, gt)
			return
		}
		for i, e := range list {
			checkValue(t, s, fmt.Sprintf("%s[%d]", where, i), e, f, gt.Elem)
		}
		return
	}
	def := s.Types[gt.NamedType]
	bad := func() { t.Errorf("%s: %#v for %s", where, v, gt) }
	switch {
	case def.Kind == ast.Object || def.Kind == ast.Interface || def.Kind == ast.Union:
		checkAnswer(t, s, where, v, f.SelectionSet, def.Name)
	case def.Kind == ast.Enum:
		str, _ := v.(string)
		if def.EnumValues.ForName(str) == nil {
			bad()
		}
	case def.Name == "Boolean":
		if _, ok := v.(bool); !ok {
			bad()
		}
	case def.Name == "Int":
		n, ok := v.(json.Number)
		if _, err := n.Int64(); !ok || err != nil {
			bad()
		}
	case def.Name == "DateTime" || def.Name == "GitTimestamp":
		str, _ := v.(string)
		if _, err := time.Parse(time.RFC3339, str); err != nil {
			bad()
		}
	case f.Name == "__typename":
		str, _ := v.(string)
		if tdef := s.Types[str]; tdef == nil || tdef.Kind != ast.Object {
			bad()
		}
	default:
		if _, ok := v.(string); !ok {
			bad()
		}
	}
}

// ---- a query GitHub does not run: the REST fallback ----

// olderSchema is GitHub's schema less what an older GitHub Enterprise
// would lack (a field, an enum value).
func olderSchema(t *testing.T, drop func(s *ast.Schema)) *ast.Schema {
	t.Helper()
	s, err := loadSchema(schemaFile) // a copy of its own: drop changes it
	if err != nil {
		t.Fatal(err)
	}
	drop(s)
	return s
}

// githubCodes are GitHub's extensions.code for gqlparser's rules (GitHub's
// validation is graphql-ruby's).
var githubCodes = map[string]string{"FieldsOnCorrectType": "undefinedField", "ValuesOfCorrectType": "argumentLiteralsIncompatible"}

// Where GitHub does not run a query at all — errors and no data, as an
// older GitHub Enterprise answers a field or an enum value its schema
// lacks, or a proxy answers errors without a path — the collection falls
// back to REST for the rest of the run, says so once, naming the error,
// and gives the REST path's observations; GraphQL is asked once only.
func TestGraphQLQueryErrorFallsBackToREST(t *testing.T) {
	hr := newHarness(t, nil)
	hr.f.setRepo("acme/a", widget(hr.f, "acme/a"))
	rest, _, err := hr.c.Collect(context.Background(), target(hr.f, "acme/a"))
	if err != nil {
		t.Fatal(err)
	}
	// GitHub's words for a query it refuses to run (graphql-ruby static
	// validation): a path into the query's text, extensions.code, no
	// type and no data.
	githubErrors := func(s *ast.Schema) func(req gqlExchange) []map[string]any {
		return func(req gqlExchange) []map[string]any {
			doc, err := parser.ParseQuery(&ast.Source{Input: req.req.Query})
			if err != nil {
				t.Fatal(err)
			}
			var out []map[string]any
			for _, e := range validator.Validate(s, doc) {
				out = append(out, map[string]any{"path": []any{"query " + req.req.OperationName}, "message": e.Message,
					"extensions": map[string]any{"code": githubCodes[e.Rule]}, "locations": []any{map[string]any{"line": 1, "column": 1}}})
			}
			return out
		}
	}
	for _, tc := range []struct {
		name   string
		errors func(req gqlExchange) []map[string]any
		want   string
	}{
		{"field missing (older Enterprise)", githubErrors(olderSchema(t, func(s *ast.Schema) {
			r := s.Types["Repository"]
			keep := r.Fields[:0]
			for _, f := range r.Fields {
				if f.Name != "isDisabled" {
					keep = append(keep, f)
				}
			}
			r.Fields = keep
		})), "undefinedField"},
		{"enum value missing (older Enterprise)", githubErrors(olderSchema(t, func(s *ast.Schema) {
			e := s.Types["RefOrderField"]
			keep := e.EnumValues[:0]
			for _, v := range e.EnumValues {
				if v.Name != "TAG_COMMIT_DATE" {
					keep = append(keep, v)
				}
			}
			e.EnumValues = keep
		})), "argumentLiteralsIncompatible"},
		{"errors without a path", func(gqlExchange) []map[string]any {
			return []map[string]any{{"message": "Parse error on \"}\" (RCURLY) at [3, 1]"}}
		}, "Parse error"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := gqlHarness(t)
			asked := 0
			h.f.hook = func(w http.ResponseWriter, r *http.Request) bool {
				if r.URL.Path != "/api/graphql" {
					return false
				}
				var x gqlExchange
				json.NewDecoder(r.Body).Decode(&x.req)
				asked++
				errs := tc.errors(x)
				if len(errs) == 0 {
					t.Errorf("%s: the older schema accepts the query", x.req.OperationName)
				}
				w.Header().Set("Content-Type", "application/json; charset=utf-8")
				json.NewEncoder(w).Encode(map[string]any{"errors": errs})
				return true
			}
			for _, full := range []string{"acme/a", "acme/b"} {
				h.f.setRepo(full, widget(h.f, full))
			}
			gql, _, err := h.c.Collect(context.Background(), target(h.f, "acme/a"))
			if err != nil {
				t.Fatal(err)
			}
			if _, _, err := h.c.Collect(context.Background(), target(h.f, "acme/b")); err != nil {
				t.Fatal(err)
			}
			sameObservations(t, rest, gql)
			var said []string
			for _, n := range h.notice {
				if strings.Contains(n, "GraphQL unavailable") {
					said = append(said, n)
				}
			}
			if len(said) != 1 || !strings.Contains(said[0], tc.want) || !strings.Contains(said[0], "REST") {
				t.Errorf("notices %q: want one saying %s and REST", said, tc.want)
			}
			if asked != 1 {
				t.Errorf("GraphQL asked %d times, want once (then REST for the run)", asked)
			}
		})
	}
}

// Errors with data: null (GitHub's answer to a query that timed out) or
// no data but a typed error (a node limit) are no refusal: the project
// fails with the error, GraphQL stays on, and nothing is said of REST.
func TestGraphQLExecutionErrorIsNoRefusal(t *testing.T) {
	for _, body := range []string{
		`{"data": null, "errors": [{"message": "Something went wrong while executing your query. This may be the result of a timeout, or it could be a GitHub bug."}]}`,
		`{"errors": [{"type": "MAX_NODE_LIMIT_EXCEEDED", "message": "This query requests up to 600,000 possible nodes which exceeds the maximum limit of 500,000."}]}`,
	} {
		h := gqlHarness(t)
		h.f.hook = func(w http.ResponseWriter, r *http.Request) bool {
			if r.URL.Path != "/api/graphql" {
				return false
			}
			w.Header().Set("Content-Type", "application/json; charset=utf-8")
			io.WriteString(w, body)
			return true
		}
		h.f.setRepo("acme/a", widget(h.f, "acme/a"))
		_, _, err := h.c.Collect(context.Background(), target(h.f, "acme/a"))
		if err == nil || strings.Contains(err.Error(), "not found") {
			t.Errorf("%s: error %v, want the GraphQL error (not a missing repository)", body, err)
		}
		if !h.c.useGraphQL() || len(h.notice) != 0 {
			t.Errorf("%s: GraphQL off %v, notices %q: want no refusal", body, !h.c.useGraphQL(), h.notice)
		}
	}
}
