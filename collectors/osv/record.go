package osv

import (
	"encoding/json"
	"math"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode"
)

// Record is the part of an OSV record (https://ossf.github.io/osv-schema/)
// osgauge reads.
type Record struct {
	ID        string     `json:"id"`
	Modified  string     `json:"modified"`
	Published string     `json:"published"`
	Withdrawn string     `json:"withdrawn"`
	Aliases   []string   `json:"aliases"`
	Summary   string     `json:"summary"`
	Severity  []Severity `json:"severity"`
	Affected  []Affected `json:"affected"`
	// database_specific.severity is GitHub's qualitative rating
	// (CRITICAL, HIGH, MODERATE, LOW).
	DatabaseSpecific struct {
		Severity string `json:"severity"`
	} `json:"database_specific"`
}

// Severity is one severity score (a CVSS vector).
type Severity struct {
	Type  string `json:"type"`
	Score string `json:"score"`
}

// Affected names a package and the versions affected.
type Affected struct {
	Package struct {
		Ecosystem string `json:"ecosystem"`
		Name      string `json:"name"`
		PURL      string `json:"purl"`
	} `json:"package"`
	Severity []Severity `json:"severity"`
	Ranges   []Range    `json:"ranges"`
	Versions []string   `json:"versions"`
}

// Range is a version range as a list of events.
type Range struct {
	Type   string              `json:"type"`
	Events []map[string]string `json:"events"`
}

// Severity levels and their weights in osv.vulns_weighted_* (the PHI's
// VUL-1 comment: critical 10, high 5, medium 2, low 0.5). An advisory
// without a usable rating counts as medium.
const (
	Critical = "critical"
	High     = "high"
	Medium   = "medium"
	Low      = "low"
	None     = "none"
	Unrated  = "unknown"
)

// Weight returns the weight of a severity level.
func Weight(level string) float64 {
	switch level {
	case Critical:
		return 10
	case High:
		return 5
	case Low:
		return 0.5
	case None:
		return 0
	}
	return 2 // medium and unrated
}

// Rate returns the record's severity level and CVSS base score (nil when
// only a qualitative rating is known). CVSS v3.x vectors are scored here;
// otherwise the database's qualitative rating is used.
func (r *Record) Rate(ecosystem, name string) (string, *float64) {
	sevs := append([]Severity(nil), r.Severity...)
	for _, a := range r.Affected {
		if strings.EqualFold(a.Package.Ecosystem, ecosystem) && a.Package.Name == name {
			sevs = append(a.Severity, sevs...)
		}
	}
	for _, s := range sevs {
		if strings.HasPrefix(s.Type, "CVSS_V3") || strings.HasPrefix(s.Score, "CVSS:3.") {
			if score, ok := CVSS3(s.Score); ok {
				return Level(score), &score
			}
		}
	}
	switch strings.ToUpper(r.DatabaseSpecific.Severity) {
	case "CRITICAL":
		return Critical, nil
	case "HIGH":
		return High, nil
	case "MODERATE", "MEDIUM":
		return Medium, nil
	case "LOW":
		return Low, nil
	}
	return Unrated, nil
}

// Level maps a CVSS score to its qualitative rating (CVSS v3.1 §5).
func Level(score float64) string {
	switch {
	case score >= 9:
		return Critical
	case score >= 7:
		return High
	case score >= 4:
		return Medium
	case score > 0:
		return Low
	}
	return None
}

var cvss3Weights = map[string]map[string]float64{
	"AV": {"N": 0.85, "A": 0.62, "L": 0.55, "P": 0.2},
	"AC": {"L": 0.77, "H": 0.44},
	"UI": {"N": 0.85, "R": 0.62},
	"C":  {"H": 0.56, "L": 0.22, "N": 0},
	"I":  {"H": 0.56, "L": 0.22, "N": 0},
	"A":  {"H": 0.56, "L": 0.22, "N": 0},
}

// CVSS3 computes the base score of a CVSS v3.0/v3.1 vector
// ("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H" → 9.8) with the
// specification's formulas and its Roundup.
func CVSS3(vector string) (float64, bool) {
	parts := strings.Split(vector, "/")
	if len(parts) < 9 || !strings.HasPrefix(parts[0], "CVSS:3.") {
		return 0, false
	}
	m := map[string]string{}
	for _, p := range parts[1:] {
		k, v, ok := strings.Cut(p, ":")
		if !ok {
			return 0, false
		}
		m[k] = v
	}
	scope := m["S"]
	if scope != "U" && scope != "C" {
		return 0, false
	}
	w := map[string]float64{}
	for k, table := range cvss3Weights {
		v, ok := table[m[k]]
		if !ok {
			return 0, false
		}
		w[k] = v
	}
	var pr float64
	switch m["PR"] {
	case "N":
		pr = 0.85
	case "L":
		pr = map[string]float64{"U": 0.62, "C": 0.68}[scope]
	case "H":
		pr = map[string]float64{"U": 0.27, "C": 0.5}[scope]
	default:
		return 0, false
	}
	iss := 1 - (1-w["C"])*(1-w["I"])*(1-w["A"])
	var impact float64
	if scope == "U" {
		impact = 6.42 * iss
	} else {
		impact = 7.52*(iss-0.029) - 3.25*math.Pow(iss-0.02, 15)
	}
	expl := 8.22 * w["AV"] * w["AC"] * pr * w["UI"]
	if impact <= 0 {
		return 0, true
	}
	if scope == "U" {
		return roundup(math.Min(impact+expl, 10)), true
	}
	return roundup(math.Min(1.08*(impact+expl), 10)), true
}

// roundup is CVSS v3.1's Roundup: the smallest number with one decimal
// that is ≥ x, computed on integers to avoid floating-point surprises.
func roundup(x float64) float64 {
	i := int64(math.Round(x * 100000))
	if i%10000 == 0 {
		return float64(i) / 100000
	}
	return float64(i/10000+1) / 10
}

// AffectedVersion reports whether version of the package is affected and
// the first fixed version after it ("" if none is known); fixExists says
// whether any fixed version is known for the package at all.
func (r *Record) AffectedVersion(ecosystem, name, version string) (affected bool, fixed string, fixExists bool) {
	for _, a := range r.Affected {
		if !strings.EqualFold(a.Package.Ecosystem, ecosystem) || !samePackage(ecosystem, a.Package.Name, name) {
			continue
		}
		for _, v := range a.Versions {
			if v == version {
				affected = true
			}
		}
		for _, rg := range a.Ranges {
			if rg.Type != "SEMVER" && rg.Type != "ECOSYSTEM" {
				continue // GIT ranges name commits, not versions
			}
			in, fx := inRange(rg.Events, version)
			if in {
				affected = true
				if fixed == "" {
					fixed = fx
				}
			}
			for _, e := range rg.Events {
				if e["fixed"] != "" {
					fixExists = true
				}
			}
		}
	}
	return affected, fixed, fixExists
}

func samePackage(ecosystem, a, b string) bool {
	if ecosystem == "PyPI" {
		norm := func(s string) string { return strings.ReplaceAll(strings.ToLower(s), "_", "-") }
		return norm(a) == norm(b)
	}
	return a == b
}

// inRange evaluates OSV range events (introduced, fixed, last_affected) for
// version, as the schema's evaluation algorithm does on sorted events.
func inRange(events []map[string]string, version string) (bool, string) {
	type ev struct{ kind, v string }
	var evs []ev
	for _, e := range events {
		for k, v := range e {
			if k == "introduced" || k == "fixed" || k == "last_affected" {
				evs = append(evs, ev{k, v})
			}
		}
	}
	sort.SliceStable(evs, func(i, j int) bool { return Compare(evs[i].v, evs[j].v) < 0 })
	in := false
	fixed := ""
	for _, e := range evs {
		switch e.kind {
		case "introduced":
			if e.v == "0" || Compare(version, e.v) >= 0 {
				in = true
			}
		case "fixed":
			if Compare(version, e.v) >= 0 {
				in = false
			} else if in && fixed == "" {
				fixed = e.v
			}
		case "last_affected":
			if Compare(version, e.v) > 0 {
				in = false
			}
		}
	}
	if !in {
		fixed = ""
	}
	return in, fixed
}

var preRelease = map[string]int{"dev": -5, "snapshot": -5, "alpha": -4, "a": -4, "beta": -3, "b": -3, "milestone": -2, "m": -2, "rc": -1, "cr": -1, "c": -1, "pre": -1, "preview": -1}

var versionSplit = regexp.MustCompile(`[0-9]+|[A-Za-z]+`)

// Compare orders two versions across ecosystems: numeric parts as
// numbers, a leading "v" ignored, pre-release words (alpha, beta, rc,
// snapshot…) before the release, release words (final, ga, release) equal
// to none, build metadata (+…) ignored. It is a heuristic shared by SemVer,
// Maven, PyPI and Go versions; OSV's API does exact per-ecosystem matching.
func Compare(a, b string) int {
	if a == "0" && b != "0" {
		return -1
	}
	ta, tb := tokens(a), tokens(b)
	for i := 0; i < max(len(ta), len(tb)); i++ {
		x, y := tok{isNum: true, pad: true}, tok{isNum: true, pad: true}
		if i < len(ta) {
			x = ta[i]
		}
		if i < len(tb) {
			y = tb[i]
		}
		if c := x.cmp(y); c != 0 {
			return c
		}
	}
	return 0
}

type tok struct {
	isNum bool
	pad   bool // a missing part, compared as 0
	num   int64
	word  string
	rank  int // for words: pre-release rank (<0), 1 for others
}

func (x tok) cmp(y tok) int {
	switch {
	case x.isNum && y.isNum:
		return cmpInt(x.num, y.num)
	case !x.isNum && !y.isNum:
		if x.rank != y.rank {
			return cmpInt(int64(x.rank), int64(y.rank))
		}
		return strings.Compare(x.word, y.word)
	case !x.isNum:
		return -y.cmp(x)
	}
	// x is a number, y a word: a pre-release sorts before the release
	// (1.0-rc1 < 1.0, 1.0-rc1 < 1.0.1); another word after a missing part
	// (1.1.1 < 1.1.1n) but before a real number (1.0.a < 1.0.1).
	if y.rank < 0 || !x.pad {
		return 1
	}
	return -1
}

func cmpInt(a, b int64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

func tokens(v string) []tok {
	v = strings.TrimSpace(v)
	v, _, _ = strings.Cut(v, "+")
	v = strings.TrimPrefix(strings.TrimPrefix(v, "v"), "V")
	var out []tok
	for _, s := range versionSplit.FindAllString(v, -1) {
		if unicode.IsDigit(rune(s[0])) {
			n, _ := strconv.ParseInt(s, 10, 64)
			out = append(out, tok{isNum: true, num: n})
			continue
		}
		w := strings.ToLower(s)
		switch {
		case w == "final" || w == "ga" || w == "release" || w == "r":
			continue
		case preRelease[w] != 0:
			out = append(out, tok{word: w, rank: preRelease[w]})
		default:
			out = append(out, tok{word: w, rank: 1})
		}
	}
	// Trailing zeros do not count: 1.0 == 1.0.0.
	for len(out) > 0 && out[len(out)-1].isNum && out[len(out)-1].num == 0 {
		out = out[:len(out)-1]
	}
	return out
}

// ParseRecord decodes one OSV record.
func ParseRecord(data []byte) (*Record, error) {
	var r Record
	if err := json.Unmarshal(data, &r); err != nil {
		return nil, err
	}
	return &r, nil
}

// parseTime reads an OSV timestamp (RFC 3339).
func parseTime(s string) (time.Time, bool) {
	t, err := time.Parse(time.RFC3339, s)
	return t, err == nil
}
