package sbom

import (
	"fmt"
	"strings"
)

// Edge kinds of the dependency graph, least restricted first: the order
// in which scopes win (see ScopeRuntime).
const (
	kindRuntime uint8 = iota
	kindOptional
	kindProvided
	kindBuild
	kindDev
	kindTest
	kindNone = 255
)

var kindScope = [...]string{ScopeRuntime, ScopeOptional, ScopeProvided, ScopeBuild, ScopeDev, ScopeTest}

const (
	linkNone uint8 = iota
	linkDynamic
	linkStatic // static wins over dynamic: it is what LGPL obligations turn on
)

type edge struct {
	from, to   int32
	kind, link uint8
}

// builder gathers a document's components and graph as a stream delivers
// them (components, dependencies and the root in any order), and resolves
// relations and scopes at the end. Refs are interned into node numbers,
// so the graph costs a few bytes per edge.
type builder struct {
	doc   Doc
	comps []Component
	info  []compInfo
	ids   map[string]int32
	refs  []string
	edges []edge
	roots []int32 // declared roots: CycloneDX metadata component, SPDX DESCRIBES
	// rootPURL is the metadata (described) component's package URL: its
	// group tells the system's own modules.
	rootPURL string
	spdx     bool // SPDX: the described packages are the system, not components
	strs     map[string]string
}

type compInfo struct {
	node   int32 // -1 without a ref
	nested bool  // a CycloneDX sub-component
	own    bool  // a part of the metadata component
	scope  string
}

func newBuilder() *builder { return &builder{ids: map[string]int32{}} }

func (b *builder) node(ref string) int32 {
	if n, ok := b.ids[ref]; ok {
		return n
	}
	n := int32(len(b.refs))
	b.ids[ref] = n
	b.refs = append(b.refs, ref)
	return n
}

// intern keeps one copy of strings that repeat across components
// (licences, their notes, suppliers), so that memory grows with the
// distinct values.
func (b *builder) intern(s string) string {
	if s == "" {
		return s
	}
	if v, ok := b.strs[s]; ok {
		return v
	}
	if b.strs == nil {
		b.strs = map[string]string{}
	}
	b.strs[s] = s
	return s
}

func (b *builder) add(c Component, info compInfo) {
	c.License, c.LicenseNote, c.Supplier = b.intern(c.License), b.intern(c.LicenseNote), b.intern(c.Supplier)
	info.node = -1
	if c.Ref != "" {
		info.node = b.node(c.Ref)
		c.Ref = b.refs[info.node] // one string per ref
	}
	b.comps = append(b.comps, c)
	b.info = append(b.info, info)
}

func (b *builder) edge(from, to string, kind, link uint8) {
	if from == "" || to == "" {
		return
	}
	b.edges = append(b.edges, edge{b.node(from), b.node(to), kind, link})
}

// ownModule tells whether c is one of the system's own modules, by the
// root's package URL: the same Maven group, the same npm scope, or a Go
// module path under the root's. Other ecosystems' namespaces are vendors
// or hosts shared by unrelated projects, so they tell nothing.
func ownModule(root, c PURL) bool {
	if root.Type != c.Type || root.Namespace == "" {
		return false
	}
	switch root.Type {
	case "maven":
		return c.Namespace == root.Namespace
	case "npm":
		return strings.HasPrefix(root.Namespace, "@") && c.Namespace == root.Namespace
	case "golang":
		base, full := root.Namespace+"/"+root.Name, c.Namespace+"/"+c.Name
		return full == base || strings.HasPrefix(full, base+"/")
	}
	return false
}

// resolve sets every component's relation, scope and linking from the
// graph and returns the document.
//
// Relation: with a root that has dependencies in the graph, its
// dependencies are direct and whatever else the graph holds is
// transitive. Without one (the SBOM names no root, or its root has no
// node or no edges: Maven aggregate SBOMs of Keycloak and Dropwizard),
// the roots are the components nothing depends on; the system uses each
// of them directly (nothing else in it does), so they are direct, and
// their dependencies transitive. The system's own modules (the metadata
// component's parts, and its Maven group, npm scope or Go module path)
// are the system itself: Relation direct, Scope "own", and their
// dependencies direct. Without any edge the relation is unknown
// (CycloneDX sub-components: transitive).
func (b *builder) resolve() *Doc {
	doc := &b.doc
	n := len(b.refs)
	nodeOwn := make([]bool, n)
	var root PURL
	rootOK := false
	if b.rootPURL != "" {
		root, rootOK = ParsePURL(b.rootPURL)
	}
	own := make([]bool, len(b.comps))
	compNode := make([]bool, n)
	for i := range b.comps {
		if b.info[i].node >= 0 {
			compNode[b.info[i].node] = true
		}
		own[i] = b.info[i].own
		if !own[i] && rootOK && b.comps[i].PURL != "" {
			if p, ok := ParsePURL(b.comps[i].PURL); ok {
				own[i] = ownModule(root, p)
			}
		}
		if own[i] && b.info[i].node >= 0 {
			nodeOwn[b.info[i].node] = true
		}
	}
	// Adjacency (compressed rows).
	start := make([]int32, n+1)
	incoming := make([]bool, n)
	for _, e := range b.edges {
		start[e.from+1]++
		if e.from != e.to { // a component listing itself is still a root
			incoming[e.to] = true
		}
	}
	for i := 1; i <= n; i++ {
		start[i] += start[i-1]
	}
	adj := make([]int32, len(b.edges))
	akind := make([]uint8, len(b.edges))
	fill := append([]int32(nil), start[:n]...)
	link := make([]uint8, n)
	for _, e := range b.edges {
		adj[fill[e.from]], akind[fill[e.from]] = e.to, e.kind
		fill[e.from]++
		link[e.to] = max(link[e.to], e.link)
	}
	isRoot := make([]bool, n)
	var sources []int32
	for _, r := range b.roots {
		isRoot[r] = true
		if start[r+1] > start[r] {
			sources = append(sources, r)
		}
	}
	graph := len(b.edges) > 0
	inferred := graph && len(sources) == 0
	dist := make([]int32, n)
	for i := range dist {
		dist[i] = -1
	}
	var deque []int32 // 0-1 BFS: own modules cost nothing to enter
	for _, s := range sources {
		dist[s] = 0
		deque = append(deque, s)
	}
	starts := sources
	if inferred {
		seen := make([]bool, n)
		var zero, one []int32
		for i := range b.comps {
			nd := b.info[i].node
			if nd < 0 || incoming[nd] || isRoot[nd] || seen[nd] {
				continue
			}
			seen[nd] = true
			doc.Roots = append(doc.Roots, b.refs[nd])
			if nodeOwn[nd] {
				dist[nd] = 0
				zero = append(zero, nd)
			} else {
				dist[nd] = 1
				one = append(one, nd)
			}
		}
		// Elements that are no component (an SPDX file of the system's
		// package, a CycloneDX service) and that nothing depends on are
		// the system's own: what they depend on is direct.
		for nd := range n {
			if !incoming[nd] && !isRoot[nd] && !seen[nd] && !compNode[nd] && start[nd+1] > start[nd] {
				doc.Roots = append(doc.Roots, b.refs[nd])
				dist[nd] = 0
				zero = append(zero, int32(nd))
			}
		}
		deque = append(zero, one...)
		starts = append([]int32(nil), deque...)
		doc.RootInferred = true
		why := "the SBOM names no root component"
		switch {
		case len(b.roots) > 0 && doc.Root != "":
			why = fmt.Sprintf("the dependency graph has no dependencies for the metadata component (%s)", doc.Root)
		case len(b.roots) > 0:
			why = "the dependency graph has no dependencies for the root component"
		}
		doc.Notes = append(doc.Notes, fmt.Sprintf("%s; its roots are the %d components nothing depends on, read as used directly by the system", why, len(doc.Roots)))
	}
	for head := 0; head < len(deque); head++ {
		u := deque[head]
		for k := start[u]; k < start[u+1]; k++ {
			v := adj[k]
			d := dist[u] + 1
			if nodeOwn[v] {
				d = dist[u]
			}
			if dist[v] < 0 || d < dist[v] {
				dist[v] = d
				deque = append(deque, v) // re-visit on improvement (few: own modules only)
			}
		}
	}
	// Scope: the least restricted over paths of the most restricted edge
	// on each path (a bucket queue over the six kinds).
	best := make([]uint8, n)
	for i := range best {
		best[i] = kindNone
	}
	var buckets [kindTest + 1][]int32
	for _, r := range starts {
		best[r] = kindRuntime
		buckets[0] = append(buckets[0], r)
	}
	for k := range buckets {
		for j := 0; j < len(buckets[k]); j++ {
			u := buckets[k][j]
			if best[u] != uint8(k) {
				continue
			}
			for e := start[u]; e < start[u+1]; e++ {
				v, c := adj[e], max(uint8(k), akind[e])
				if c < best[v] {
					best[v] = c
					buckets[c] = append(buckets[c], v)
				}
			}
		}
	}
	rootSeen := false
	out := b.comps[:0]
	ownN := 0
	for i, c := range b.comps {
		info := b.info[i]
		nd := info.node
		if b.spdx && nd >= 0 && isRoot[nd] {
			if !rootSeen {
				rootSeen = true
				doc.Root, doc.RootLicense = c.Name, c.License
			}
			continue
		}
		switch {
		case own[i]:
			c.Relation, c.Scope = Direct, ScopeOwn
			ownN++
		case nd >= 0 && dist[nd] >= 0:
			c.Relation = Transitive
			if dist[nd] <= 1 {
				c.Relation = Direct
			}
		case inferred && (nd < 0 || !incoming[nd]):
			c.Relation = Direct // nothing depends on it: a root
		case graph || info.nested:
			c.Relation = Transitive
		default:
			c.Relation = Unknown
		}
		if c.Scope == "" {
			c.Scope = info.scope
		}
		if c.Scope == "" && nd >= 0 && best[nd] != kindNone {
			c.Scope = kindScope[best[nd]]
		}
		if nd >= 0 {
			switch link[nd] {
			case linkStatic:
				c.Linking = LinkStatic
			case linkDynamic:
				c.Linking = LinkDynamic
			}
		}
		out = append(out, c)
	}
	if ownN > 0 && rootOK {
		doc.Notes = append(doc.Notes, fmt.Sprintf("%d components are the system's own modules (%s): relation direct, scope own, their dependencies direct", ownN, ownWhat(root)))
	}
	doc.Components = out
	b.comps, b.info, b.edges, b.strs = nil, nil, nil, nil
	return doc
}

func ownWhat(root PURL) string {
	switch root.Type {
	case "maven":
		return "group " + root.Namespace
	case "npm":
		return "scope " + root.Namespace
	case "golang":
		return "under module " + root.Namespace + "/" + root.Name
	}
	return "parts of " + root.Name
}
