// Command gen builds licenses/aliases/data/aliases.json.gz from ScanCode
// LicenseDB, ORT's licence mappings and the SPDX licence list. See
// licenses/aliases/data/README.md for the sources and the command line.
package main

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"flag"
	"log"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/github/go-spdx/v2/spdxexp"
	"github.com/github/go-spdx/v2/spdxexp/spdxlicenses"
	"gopkg.in/yaml.v3"

	"github.com/osgauge/osgauge/licenses/aliases/internal/norm"
	"github.com/osgauge/osgauge/licenses/aliases/internal/table"
)

// Priorities: lower wins. ORT's curated mappings beat the SPDX list's names,
// which beat ScanCode's derived names.
const (
	pOverride = iota
	pORT
	pORTAmb
	pSPDXName
	pSCSPDXKey
	pSCName
	pSCShort
	pSCKey
)

type cand struct {
	table.Entry
	prio int
}

type tbl map[string][]cand

func (t tbl) add(key string, prio int, e table.Entry) {
	if key == "" || e.Expr == "" {
		return
	}
	t[key] = append(t[key], cand{e, prio})
}

var (
	active     = map[string]string{} // lower → id
	deprecated = map[string]string{} // lower → id
	exceptions = map[string]string{} // lower → id
	depMap     = map[string]string{} // lower deprecated id → current expression (ORT)
	scBySPDX   = map[string]string{} // lower SPDX id → ScanCode key
	stats      = map[string]int{}
	verbose    *bool
)

func main() {
	scDir := flag.String("scancode", "", "ScanCode LicenseDB docs/ folder (*.yml)")
	scRev := flag.String("scancode-rev", "", "ScanCode LicenseDB commit")
	ortDir := flag.String("ort", "", "ORT utils/spdx-expression/src/main/resources folder")
	ortRev := flag.String("ort-rev", "", "ORT commit")
	spdxList := flag.String("spdx-list", "", "spdx.json of the npm package spdx-license-list")
	spdxListVer := flag.String("spdx-list-version", "", "version of the npm package spdx-license-list")
	verbose = flag.Bool("v", false, "log every key dropped as read two ways")
	out := flag.String("out", "licenses/aliases/data/aliases.json.gz", "output file")
	flag.Parse()
	if *scDir == "" || *ortDir == "" || *spdxList == "" {
		flag.Usage()
		os.Exit(2)
	}
	for _, id := range spdxlicenses.GetLicenses() {
		active[strings.ToLower(id)] = id
	}
	for _, id := range spdxlicenses.GetDeprecated() {
		deprecated[strings.ToLower(id)] = id
	}
	for _, id := range spdxlicenses.GetExceptions() {
		exceptions[strings.ToLower(id)] = id
	}

	exact, loose, urls := tbl{}, tbl{}, tbl{}
	excNames := map[string]map[string]bool{}
	f := table.File{Deprecated: map[string]int{}, Exceptions: map[string]string{}}

	// ORT.
	ortDep := readORT(filepath.Join(*ortDir, "deprecated-license-mapping.yml"))
	for _, m := range ortDep {
		depMap[strings.ToLower(m.key)] = m.expr
	}
	for _, name := range []string{"declared", "simple"} {
		src := "ORT " + name + "-license-mapping"
		for _, m := range readORT(filepath.Join(*ortDir, name+"-license-mapping.yml")) {
			if strings.EqualFold(m.expr, "NONE") {
				stats["ort: mapped to NONE, skipped"]++
				continue
			}
			expr, ok := check(m.expr)
			if !ok {
				log.Printf("ORT %s: %q → %q not accepted by go-spdx, skipped", name, m.key, m.expr)
				continue
			}
			p, s := pORT, src
			if m.amb {
				p, s = pORTAmb, src+", ambiguous section"
			}
			e := table.Entry{Expr: expr, Source: s, Name: m.key, Amb: m.amb}
			exact.add(norm.Exact(m.key), p, e)
			loose.add(norm.Loose(m.key), p, e)
			if norm.IsURL(m.key) {
				urls.add(norm.URL(m.key), p, e)
			}
		}
	}

	// ScanCode LicenseDB.
	sc := readScanCode(*scDir)
	for _, l := range sc {
		if l.SPDX != "" {
			scBySPDX[strings.ToLower(l.SPDX)] = l.Key
		}
	}
	for _, l := range sc {
		if l.Deprecated || l.Generic || l.Unknown || l.SPDX == "" {
			stats["scancode: deprecated, generic or unknown, skipped"]++
			continue
		}
		if l.Exception {
			id, ok := exceptions[strings.ToLower(l.SPDX)]
			if !ok {
				stats["scancode: exception without an SPDX exception id, skipped"]++
				continue
			}
			for _, n := range []string{l.Name, l.Short, l.Key} {
				k := norm.Loose(n)
				if excNames[k] == nil {
					excNames[k] = map[string]bool{}
				}
				excNames[k][id] = true
			}
			continue
		}
		expr, ok := single(l.SPDX, l.Key)
		if !ok {
			log.Printf("ScanCode %s: %q not usable, skipped", l.Key, l.SPDX)
			continue
		}
		of := " of " + l.Key
		add := func(name string, p int, what string) {
			e := table.Entry{Expr: expr, Source: "ScanCode LicenseDB, " + what + of, Name: name}
			exact.add(norm.Exact(name), p, e)
			loose.add(norm.Loose(name), p, e)
		}
		add(l.Name, pSCName, "name")
		add(l.Short, pSCShort, "short name")
		add(l.Key, pSCKey, "key")
		for _, k := range l.OtherSPDX {
			add(k, pSCSPDXKey, "other SPDX key")
		}
		// URLs of the licence itself. Not ignorable_urls: those are URLs
		// the licence text mentions (the Node.js licence mentions
		// http://mths.be/mit, many licences mention
		// http://www.apache.org/licenses/), and name no licence.
		for _, u := range append(append([]string{l.OSIURL}, l.TextURLs...), l.OtherURLs...) {
			if u = strings.TrimSpace(u); u != "" && norm.IsURL(u) {
				urls.add(norm.URL(u), pSCName, table.Entry{Expr: expr, Source: "ScanCode LicenseDB, URL of " + l.Key, Name: u})
			}
		}
	}

	// SPDX licence list (names and one URL per licence).
	var list map[string]struct {
		Name string `json:"name"`
		URL  string `json:"url"`
	}
	readJSON(*spdxList, &list)
	for id, l := range list {
		expr, ok := single(id, "")
		if !ok {
			stats["spdx list: id unknown to go-spdx, skipped"]++
			continue
		}
		e := table.Entry{Expr: expr, Source: "SPDX licence list, name of " + id, Name: l.Name}
		exact.add(norm.Exact(l.Name), pSPDXName, e)
		loose.add(norm.Loose(l.Name), pSPDXName, e)
		if l.URL != "" {
			urls.add(norm.URL(l.URL), pSCName, table.Entry{Expr: expr, Source: "SPDX licence list, URL of " + id, Name: l.URL})
		}
	}
	// SPDX ids written loosely ("Apache 2.0", "BSD 3-Clause", "LGPL 2.1").
	for _, id := range spdxlicenses.GetLicenses() {
		loose.add(norm.Loose(id), pSPDXName, table.Entry{Expr: id, Source: "SPDX licence list, id " + id, Name: id})
	}
	for _, id := range spdxlicenses.GetDeprecated() {
		expr, _ := single(id, "")
		loose.add(norm.Loose(id), pSPDXName, table.Entry{Expr: expr, Source: "SPDX licence list, deprecated id " + id, Name: id})
	}

	// osgauge's conventions (the design asks for these ids).
	for _, o := range overrides {
		e := table.Entry{Expr: o.expr, Source: "osgauge convention: " + o.why, Name: o.name}
		exact.add(norm.Exact(o.name), pOverride, e)
		loose.add(norm.Loose(o.name), pOverride, e)
	}

	// Deprecated ids.
	for low, id := range deprecated {
		e := table.Entry{Source: "SPDX licence list; ORT deprecated-license-mapping", Name: id}
		if cur, ok := depMap[low]; ok {
			e.Expr = cur
		} else {
			e.Expr, e.Source = id, "SPDX licence list: deprecated, no single current id; kept"
		}
		if _, ok := check(e.Expr); !ok {
			log.Fatalf("deprecated %s → %s not accepted by go-spdx", id, e.Expr)
		}
		f.Deprecated[low] = intern(&f, e)
	}

	for k, ids := range excNames {
		if len(ids) == 1 {
			for id := range ids {
				f.Exceptions[k] = id
			}
		} else {
			stats["exception names read two ways, dropped"]++
		}
	}

	f.Exact = settle(&f, exact, "exact", false)
	f.Loose = settle(&f, loose, "loose", false)
	f.URL = settle(&f, urls, "url", true)
	f.Sources = []table.Source{
		{Name: "ScanCode LicenseDB", Version: *scRev, Licence: "CC-BY-4.0 (data), Copyright (c) nexB Inc. and others", URL: "https://github.com/aboutcode-org/scancode-licensedb"},
		{Name: "OSS Review Toolkit (ORT) licence mappings", Version: *ortRev, Licence: "Apache-2.0, Copyright (C) The ORT Project Copyright Holders", URL: "https://github.com/oss-review-toolkit/ort"},
		{Name: "spdx-license-list (npm)", Version: *spdxListVer, Licence: "CC0-1.0 (package), SPDX licence list data", URL: "https://github.com/sindresorhus/spdx-license-list"},
		{Name: "SPDX licence list as built into github.com/github/go-spdx/v2", Version: spdxlicenses.LicenseListVersion(), Licence: "MIT (go-spdx)", URL: "https://github.com/github/go-spdx"},
	}

	var buf bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	enc := json.NewEncoder(zw)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(f); err != nil {
		log.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		log.Fatal(err)
	}
	if err := os.WriteFile(*out, buf.Bytes(), 0o644); err != nil {
		log.Fatal(err)
	}
	keys := make([]string, 0, len(stats))
	for k := range stats {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		log.Printf("%6d  %s", stats[k], k)
	}
	log.Printf("wrote %s: %d bytes, %d entries, %d exact, %d loose, %d URLs, %d deprecated, %d exception names",
		*out, buf.Len(), len(f.Entries), len(f.Exact), len(f.Loose), len(f.URL), len(f.Deprecated), len(f.Exceptions))
}

var overrides = []struct{ name, expr, why string }{
	{"Public Domain", "LicenseRef-Public-Domain", "a public-domain dedication is not a licence in the SPDX list"},
	{"Commons Clause", "LicenseRef-Commons-Clause", "the Commons Clause is a licence condition, not an SPDX exception"},
	{"Commons-Clause", "LicenseRef-Commons-Clause", "the Commons Clause is a licence condition, not an SPDX exception"},
	{"Commons Clause License Condition v1.0", "LicenseRef-Commons-Clause", "the Commons Clause is a licence condition, not an SPDX exception"},
	{"GNU Affero General Public License, Version 3 with the Commons Clause", "AGPL-3.0-only AND LicenseRef-Commons-Clause", "the Commons Clause is a licence condition added to the AGPL"},
}

var interned = map[table.Entry]int{}

func intern(f *table.File, e table.Entry) int {
	if i, ok := interned[e]; ok {
		return i
	}
	f.Entries = append(f.Entries, e)
	interned[e] = len(f.Entries) - 1
	return len(f.Entries) - 1
}

// settle picks one reading per key: the best priority; among readings of
// that priority, one expression, or "X-only" when they are exactly X-only
// and X-or-later (a name or URL of the licence text says nothing about
// later versions; SPDX reads the bare id X as X-only). Other readings
// are dropped as ambiguous. For URLs all sources but ORT and osgauge share
// one tier: a URL two sources read differently names more than one licence.
func settle(f *table.File, t tbl, what string, url bool) map[string]int {
	out := map[string]int{}
	keys := make([]string, 0, len(t))
	for k := range t {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		cs := t[k]
		sort.SliceStable(cs, func(i, j int) bool { return cs[i].prio < cs[j].prio })
		best := cs[0].prio
		exprs := map[string]bool{}
		var top []cand
		for _, c := range cs {
			if c.prio == best {
				top = append(top, c)
				exprs[c.Expr] = true
			}
		}
		e := top[0].Entry
		if len(exprs) > 1 {
			pick, why := choose(exprs, url)
			if pick == "" {
				stats[what+": read two ways, dropped"]++
				if *verbose {
					var ways []string
					for _, c := range top {
						ways = append(ways, c.Expr+" ("+c.Source+")")
					}
					log.Printf("%s %q dropped: %s", what, k, strings.Join(ways, "; "))
				}
				continue
			}
			for _, c := range top {
				if c.Expr == pick {
					e = c.Entry
					break
				}
			}
			e.Alt = why
			stats[what+": "+strings.SplitN(why, ":", 2)[0]]++
		}
		for _, c := range cs {
			if c.prio > best && c.Expr != e.Expr && e.Alt == "" && !strings.Contains(c.Source, "URL in the text") {
				e.Alt = c.Source + " reads it as " + c.Expr
				stats[what+": a better source wins over another reading"]++
			}
		}
		out[k] = intern(f, e)
	}
	return out
}

// choose picks one of several readings of one name or URL by the same
// source tier, or none. It keeps a licence of the SPDX list over licences
// only ScanCode has (these cite the listed licence's URL or reuse its
// name); X-only over X-or-later (a name or URL of the licence text says
// nothing about later versions; SPDX reads the bare version X as
// X-only); and a licence over its named variants (MPL-2.0 over
// MPL-2.0-no-copyleft-exception, OFL-1.1 over OFL-1.1-RFN).
func choose(exprs map[string]bool, url bool) (string, string) {
	thing := "name"
	if url {
		thing = "URL"
	}
	var listed, refs []string
	for x := range exprs {
		if strings.HasPrefix(x, "LicenseRef-") {
			refs = append(refs, x)
		} else {
			listed = append(listed, x)
		}
	}
	sort.Strings(listed)
	sort.Strings(refs)
	also := ""
	if len(refs) > 0 && len(listed) > 0 {
		also = "; ScanCode also gives it to " + strings.Join(refs, ", ")
	}
	switch {
	case len(listed) == 0:
		return "", ""
	case len(listed) == 1:
		return listed[0], "SPDX-listed licence preferred: the " + thing + " is also given to licences only ScanCode has (" + strings.Join(refs, ", ") + ")"
	case len(listed) == 2:
		for _, x := range listed {
			if base, ok := strings.CutSuffix(x, "-only"); ok && exprs[base+"-or-later"] {
				return x, "only or later: the " + thing + " does not say whether later versions apply; read as " + x + ", as SPDX reads the bare version" + also
			}
		}
	}
	base := listed[0] // the shortest sorts first among ids sharing a prefix
	for _, x := range listed[1:] {
		if !strings.HasPrefix(x, base+"-") || strings.Contains(base, " ") {
			return "", ""
		}
	}
	return base, "variants: the " + thing + " is also given to variants of " + base + " (" + strings.Join(listed[1:], ", ") + ")" + also
}

// check returns expr if go-spdx accepts it.
func check(expr string) (string, bool) {
	expr = strings.Join(strings.Fields(expr), " ")
	if _, err := spdxexp.ExtractLicenses(expr); err != nil {
		return "", false
	}
	return expr, true
}

// single reads one SPDX id as an expression in current form: a deprecated
// id becomes its current form (ORT's deprecated mapping), an id go-spdx
// does not know becomes LicenseRef-scancode-<key> when ScanCode has it.
func single(id, scKey string) (string, bool) {
	low := strings.ToLower(id)
	if a, ok := active[low]; ok {
		return a, true
	}
	if _, ok := deprecated[low]; ok {
		if cur, ok := depMap[low]; ok {
			return cur, true
		}
		return deprecated[low], true
	}
	if strings.HasPrefix(low, "licenseref-") {
		return check(id)
	}
	if scKey == "" {
		scKey = scBySPDX[low]
	}
	if scKey != "" {
		stats["id newer than go-spdx's list, read as LicenseRef-scancode-<key>"]++
		return check("LicenseRef-scancode-" + scKey)
	}
	return "", false
}

type ortMapping struct {
	key, expr string
	amb       bool
}

// readORT reads one of ORT's mapping files in order, marking the entries
// between "# Ambiguous mappings" and "# Non-ambiguous mappings".
func readORT(path string) []ortMapping {
	b, err := os.ReadFile(path)
	if err != nil {
		log.Fatal(err)
	}
	ambFrom, ambTo := -1, -1
	for i, line := range strings.Split(string(b), "\n") {
		switch {
		case strings.HasPrefix(line, "# Ambiguous mappings"):
			ambFrom = i + 1
		case strings.HasPrefix(line, "# Non-ambiguous mappings"):
			ambTo = i + 1
		}
	}
	if ambFrom > 0 && ambTo < 0 {
		ambTo = 1 << 30
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(b, &doc); err != nil {
		log.Fatalf("%s: %v", path, err)
	}
	if len(doc.Content) == 0 || doc.Content[0].Kind != yaml.MappingNode {
		log.Fatalf("%s: not a mapping", path)
	}
	m := doc.Content[0]
	var out []ortMapping
	for i := 0; i+1 < len(m.Content); i += 2 {
		k, v := m.Content[i], m.Content[i+1]
		out = append(out, ortMapping{key: k.Value, expr: v.Value, amb: k.Line > ambFrom && k.Line < ambTo})
	}
	return out
}

type scLicence struct {
	Key           string   `yaml:"key"`
	Short         string   `yaml:"short_name"`
	Name          string   `yaml:"name"`
	SPDX          string   `yaml:"spdx_license_key"`
	OtherSPDX     []string `yaml:"other_spdx_license_keys"`
	Exception     bool     `yaml:"is_exception"`
	Deprecated    bool     `yaml:"is_deprecated"`
	Generic       bool     `yaml:"is_generic"`
	Unknown       bool     `yaml:"is_unknown"`
	TextURLs      []string `yaml:"text_urls"`
	OtherURLs     []string `yaml:"other_urls"`
	IgnorableURLs []string `yaml:"ignorable_urls"`
	OSIURL        string   `yaml:"osi_url"`
}

func readScanCode(dir string) []scLicence {
	files, err := filepath.Glob(filepath.Join(dir, "*.yml"))
	if err != nil || len(files) == 0 {
		log.Fatalf("%s: no *.yml files (%v)", dir, err)
	}
	sort.Strings(files)
	var out []scLicence
	for _, p := range files {
		if filepath.Base(p) == "index.yml" {
			continue // the list of all licences, not one licence
		}
		b, err := os.ReadFile(p)
		if err != nil {
			log.Fatal(err)
		}
		var l scLicence
		if err := yaml.Unmarshal(b, &l); err != nil {
			log.Fatalf("%s: %v", p, err)
		}
		out = append(out, l)
	}
	return out
}

func readJSON(path string, v any) {
	b, err := os.ReadFile(path)
	if err != nil {
		log.Fatal(err)
	}
	if err := json.Unmarshal(b, v); err != nil {
		log.Fatalf("%s: %v", path, err)
	}
}
