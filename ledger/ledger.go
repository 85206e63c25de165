// Package ledger holds the decisions people make about open source, as
// reviewable YAML files beside the config (one record per file, never
// rewritten): intake decisions (approved, conditional, rejected) and exits
// (the "not recommended" list, 不推荐使用清单). It validates them with file
// and line, answers what state a component version is in, and mirrors the
// records into the store (Sync). JR/T 0291-2024 (引入评估 / 退出评估) and
// JR/T 0290-2024 §9 (存量管理: system, department, owner) are the sources
// of the fields.
//
// Layout, under the ledger folder (lifecycle.ledger, default ledger/
// beside the config):
//
//	decisions/2026-12-07-dec-3f9a1c2b.yaml
//	exits/2026-12-07-exit-7be01d44.yaml
//
// Each file is one YAML mapping with a kind (decision or exit; when it is
// left out the folder, decisions/ or exits/, says it). Record writes id
// and at; a hand-written file may leave id out (the file's name is its
// id) and give at as a date (2026-12-07). Load reads every *.yaml file
// under the folder, at any depth (folders starting with "." skipped). A
// later decision supersedes an earlier one; nothing is overwritten, so
// the files are the history. An example, as Record writes it:
//
//	kind: decision
//	id: dec-3bc11546
//	target: pkg:maven/com.alibaba/fastjson
//	versions: '>=1.2.83'
//	decision: conditional
//	by: alice
//	why: key-person risk, otherwise sound
//	conditions:
//	  - minimum version 1.2.83
//	review_by: "2027-06-30"
//	system: payments
//	at: 2026-12-07T10:00:00Z
//	assessment:
//	  model: project-health 0.6.0
//	  score: 71.2
//	  score_range: [68, 74]
//	  grade: B
//	  licence: Apache-2.0
//	  licence_verdict: allowed, directly-compatible with Apache-2.0 (payments, distributed)
//	  assessed_at: 2026-12-01T06:00:00Z
//
// The package is one schema for every kind of decision record; further
// kinds (vulnerability analyses, exceptions) are added as new kinds.
package ledger

import (
	"bytes"
	"cmp"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/osgauge/osgauge/internal/yamlpos"
)

// Decisions.
const (
	Approved    = "approved"
	Conditional = "conditional"
	Rejected    = "rejected"
)

// States of a component in use.
const (
	StateApproved    = "approved"
	StateConditional = "conditional"
	StateRejected    = "rejected"
	StateExit        = "exit"
	StateUnapproved  = "unapproved"
)

// Record kinds (the kind: key of a ledger file).
const (
	KindDecision = "decision"
	KindExit     = "exit"
)

// Exit reasons.
const (
	ReasonSecurity     = "security"
	ReasonLicence      = "licence"
	ReasonUnmaintained = "unmaintained"
	ReasonReplaced     = "replaced"
)

// Decisions are the valid decision values; ExitReasons the valid reasons.
var (
	Decisions   = []string{Approved, Conditional, Rejected}
	ExitReasons = []string{ReasonSecurity, ReasonLicence, ReasonUnmaintained, ReasonReplaced}
)

// Folders of each kind under the ledger folder.
const (
	DecisionsDir = "decisions"
	ExitsDir     = "exits"
)

// dateLayout is the layout of review_by and deadline.
const dateLayout = "2006-01-02"

// Assessment is what a decision was based on: the project's index result,
// licence verdict and known vulnerabilities when it was decided.
type Assessment struct {
	Model           string    `yaml:"model,omitempty" json:"model,omitempty"`
	Score           *float64  `yaml:"score,omitempty" json:"score,omitempty"`
	ScoreRange      []float64 `yaml:"score_range,omitempty,flow" json:"score_range,omitempty"`
	Grade           string    `yaml:"grade,omitempty" json:"grade,omitempty"`
	GradeRange      []string  `yaml:"grade_range,omitempty,flow" json:"grade_range,omitempty"`
	Gates           []string  `yaml:"gates,omitempty" json:"gates,omitempty"`
	Licence         string    `yaml:"licence,omitempty" json:"licence,omitempty"`
	LicenceVerdict  string    `yaml:"licence_verdict,omitempty" json:"licence_verdict,omitempty"`
	Vulnerabilities []string  `yaml:"vulnerabilities,omitempty" json:"vulnerabilities,omitempty"`
	Recommendation  string    `yaml:"recommendation,omitempty" json:"recommendation,omitempty"`
	AssessedAt      time.Time `yaml:"assessed_at,omitempty" json:"assessed_at,omitzero"`
}

// Decision is an intake decision about a target's versions.
type Decision struct {
	ID string `yaml:"id" json:"id"`
	// Target is a package URL without version (pkg:maven/com.alibaba/fastjson)
	// or a repository (github.com/alibaba/fastjson); see CanonicalTarget.
	Target     string   `yaml:"target" json:"target"`
	Versions   string   `yaml:"versions,omitempty" json:"versions,omitempty"` // a range; "" is every version
	Decision   string   `yaml:"decision" json:"decision"`                     // approved, conditional, rejected
	By         string   `yaml:"by" json:"by"`
	Why        string   `yaml:"why" json:"why"`
	Conditions []string `yaml:"conditions,omitempty" json:"conditions,omitempty"`
	ReviewBy   string   `yaml:"review_by,omitempty" json:"review_by,omitempty"` // YYYY-MM-DD
	// JR/T 0290 §9 registration: the system that uses it, its department
	// and the owner.
	System     string      `yaml:"system,omitempty" json:"system,omitempty"`
	Department string      `yaml:"department,omitempty" json:"department,omitempty"`
	Owner      string      `yaml:"owner,omitempty" json:"owner,omitempty"`
	At         time.Time   `yaml:"at" json:"at"`
	Assessment *Assessment `yaml:"assessment,omitempty" json:"assessment,omitempty"`
	// Supersedes names the decision this one replaces (informational: the
	// latest matching decision applies in any case).
	Supersedes string `yaml:"supersedes,omitempty" json:"supersedes,omitempty"`
	// Confirmation: the proposal and its second person, when the
	// maker-checker asked for one (proposal.go).
	Confirmation `yaml:",inline"`

	File string `yaml:"-" json:"file,omitempty"` // the file it was read from
	Line int    `yaml:"-" json:"line,omitempty"` // the line of its first key
}

// Exit puts a target's versions on the exit list.
type Exit struct {
	ID          string    `yaml:"id" json:"id"`
	Target      string    `yaml:"target" json:"target"`
	Versions    string    `yaml:"versions,omitempty" json:"versions,omitempty"`
	Reason      string    `yaml:"reason" json:"reason"` // security, licence, unmaintained, replaced
	Replacement string    `yaml:"replacement,omitempty" json:"replacement,omitempty"`
	Deadline    string    `yaml:"deadline" json:"deadline"` // YYYY-MM-DD
	Owner       string    `yaml:"owner" json:"owner"`
	By          string    `yaml:"by" json:"by"`
	Why         string    `yaml:"why" json:"why"`
	At          time.Time `yaml:"at" json:"at"`

	File string `yaml:"-" json:"file,omitempty"`
	Line int    `yaml:"-" json:"line,omitempty"`
}

// Ledger is every record of a ledger folder.
type Ledger struct {
	Dir       string
	Decisions []Decision     // ordered by At, then ID
	Exits     []Exit         // ordered by At, then ID
	Analyses  []VulnAnalysis // vulnerability analyses (vuln.go), ordered by At, then ID
	// The maker-checker's records (proposal.go), each ordered by At, then ID.
	Proposals  []Proposal
	Rejections []Rejection
	Cancels    []ExitCancel
	Waivers    []Waiver
}

// decisionFile and exitFile are the documents on disk: the record with
// its kind first.
type decisionFile struct {
	Kind     string `yaml:"kind"`
	Decision `yaml:",inline"`
}

type exitFile struct {
	Kind string `yaml:"kind"`
	Exit `yaml:",inline"`
}

// Load reads every *.yaml (and *.yml) file under dir. A missing dir is an
// empty ledger. Errors name the file, the line and the key; every broken
// file is reported, not only the first.
func Load(dir string) (*Ledger, error) {
	l := &Ledger{Dir: dir}
	var files []string
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if p == dir && errors.Is(err, fs.ErrNotExist) {
				return fs.SkipAll
			}
			return err
		}
		if d.IsDir() {
			if p != dir && strings.HasPrefix(d.Name(), ".") {
				return fs.SkipDir // .git and editors' folders
			}
			return nil
		}
		if ext := filepath.Ext(p); (ext == ".yaml" || ext == ".yml") && !strings.HasPrefix(d.Name(), ".") {
			files = append(files, p)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("ledger %s: %w", dir, err)
	}
	sort.Strings(files)
	var errs []string
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			errs = append(errs, err.Error())
			continue
		}
		errs = append(errs, l.parse(f, data)...)
	}
	errs = append(errs, l.crossCheck()...)
	if len(errs) > 0 {
		return nil, fmt.Errorf("ledger %s:\n  %s", dir, strings.Join(errs, "\n  "))
	}
	l.sort()
	return l, nil
}

// parse adds the record in data (the file name) to l and returns what is
// wrong with it, each message starting "file:line: ".
func (l *Ledger) parse(name string, data []byte) []string {
	doc := yamlpos.Parse(data)
	where := func(key string) string {
		line := 1
		if s := doc.At(key); s != "" {
			fmt.Sscanf(s, "line %d: ", &line)
		}
		return name + ":" + strconv.Itoa(line) + ": "
	}
	var root yaml.Node
	if err := yaml.Unmarshal(data, &root); err != nil {
		return []string{located(name, yamlpos.CleanError(err))}
	}
	if len(root.Content) > 0 && root.Content[0].Kind != yaml.MappingNode {
		return []string{fmt.Sprintf("%s:%d: a ledger file is one record, a mapping (kind: decision, target: …), not a list or a value", name, root.Content[0].Line)}
	}
	var head struct {
		Kind       string    `yaml:"kind"`
		At         yaml.Node `yaml:"at"`
		Assessment struct {
			AssessedAt yaml.Node `yaml:"assessed_at"`
		} `yaml:"assessment"`
	}
	root.Decode(&head)
	// decodeErr names the key of a time that does not parse (yaml.v3's
	// message has neither line nor key).
	decodeErr := func(err error) []string {
		msg := err.Error()
		if strings.Contains(msg, "parsing time") {
			for _, n := range []struct {
				key  string
				node yaml.Node
			}{{"at", head.At}, {"assessment.assessed_at", head.Assessment.AssessedAt}} {
				if n.node.Line > 0 && strings.Contains(msg, strconv.Quote(n.node.Value)) {
					return []string{fmt.Sprintf("%s:%d: %s: must be a time, RFC 3339 (2026-12-07T10:00:00Z) or a date (2026-12-07), got %q", name, n.node.Line, n.key, n.node.Value)}
				}
			}
		}
		return []string{located(name, msg)}
	}
	kind := head.Kind
	if kind == "" {
		switch filepath.Base(filepath.Dir(name)) {
		case DecisionsDir:
			kind = KindDecision
		case ExitsDir:
			kind = KindExit
		case VulnsDir:
			kind = KindVulnAnalysis
		case ProposalsDir:
			kind = KindProposal
		case WaiversDir:
			kind = KindWaiver
		}
	}
	firstLine := 1
	if s := doc.At("id"); s != "" {
		fmt.Sscanf(s, "line %d: ", &firstLine)
	} else if s := doc.At("target"); s != "" {
		fmt.Sscanf(s, "line %d: ", &firstLine)
	}
	defaultID := strings.TrimSuffix(strings.TrimSuffix(filepath.Base(name), ".yaml"), ".yml")
	switch kind {
	case KindDecision:
		d, errs := readRecord(data, func(f *decisionFile) *Decision { return &f.Decision }, defaultID, name, firstLine, where, decodeErr)
		if len(errs) == 0 {
			l.Decisions = append(l.Decisions, *d)
		}
		return errs
	case KindExit:
		e, errs := readRecord(data, func(f *exitFile) *Exit { return &f.Exit }, defaultID, name, firstLine, where, decodeErr)
		if len(errs) == 0 {
			l.Exits = append(l.Exits, *e)
		}
		return errs
	case KindVulnAnalysis:
		return l.parseVulnAnalysis(name, data, defaultID, firstLine, where, decodeErr)
	case KindProposal, KindRejection, KindExitCancel, KindWaiver:
		errs, _ := l.parseMore(kind, name, data, defaultID, firstLine, where, decodeErr)
		return errs
	case "":
		return []string{name + ":1: kind is required (decision, exit or vuln-analysis) outside the decisions/, exits/ and vulns/ folders"}
	}
	return []string{where("kind") + fmt.Sprintf("kind: unknown kind %q (known: decision, exit, vuln-analysis, proposal, proposal-rejection, exit-cancel, waiver)", kind)}
}

func decodeStrict(data []byte, v any) error {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(v); err != nil {
		if err == io.EOF {
			return errors.New("line 1: empty file")
		}
		return errors.New(yamlpos.CleanError(err))
	}
	return nil
}

// located turns yaml.v3's "line 3: …" into "file:3: …" and names the
// record's keys instead of Go types.
func located(name, msg string) string {
	for _, t := range []string{"ledger.decisionFile", "ledger.exitFile", "ledger.vulnAnalysisFile", "ledger.proposalFile", "ledger.rejectionFile", "ledger.exitCancelFile", "ledger.waiverFile"} {
		msg = strings.ReplaceAll(msg, " in type "+t, " (not a key of a ledger "+strings.TrimSuffix(strings.TrimPrefix(t, "ledger."), "File")+")")
	}
	if rest, ok := strings.CutPrefix(msg, "line "); ok {
		if i := strings.Index(rest, ": "); i > 0 {
			if _, err := strconv.Atoi(rest[:i]); err == nil {
				return name + ":" + rest
			}
		}
	}
	return name + ": " + msg
}

// problem is one validation failure: the key it concerns and the message.
type problem struct{ key, msg string }

// fileRecord is a record read from a ledger file.
type fileRecord interface {
	// origin completes it: the id (the file's name when it has none),
	// where it was read, its canonical target.
	origin(defaultID, file string, line int)
	validate(loaded bool) []problem
}

// readRecord decodes one record file of kind F (strictly: unknown keys
// are refused), completes the record rec takes out of it and validates it.
func readRecord[F any, R fileRecord](data []byte, rec func(*F) R, defaultID, file string, line int,
	where func(string) string, decodeErr func(error) []string) (R, []string) {
	var f F
	if err := decodeStrict(data, &f); err != nil {
		var none R
		return none, decodeErr(err)
	}
	r := rec(&f)
	r.origin(defaultID, file, line)
	return r, prefixed(r.validate(true), where)
}

func (d *Decision) origin(defaultID, file string, line int) {
	d.ID, d.File, d.Line, d.Target = cmp.Or(d.ID, defaultID), file, line, CanonicalTarget(d.Target)
}

func (e *Exit) origin(defaultID, file string, line int) {
	e.ID, e.File, e.Line, e.Target = cmp.Or(e.ID, defaultID), file, line, CanonicalTarget(e.Target)
}

func prefixed(ps []problem, where func(string) string) []string {
	var out []string
	for _, p := range ps {
		out = append(out, where(p.key)+p.key+": "+p.msg)
	}
	return out
}

// validate checks a decision; loaded says it came from a file (its id and
// at must then be set).
func (d *Decision) validate(loaded bool) []problem {
	var ps []problem
	ps = append(ps, checkTarget(d.Target)...)
	if err := CheckRange(d.Versions); err != nil {
		ps = append(ps, problem{"versions", err.Error()})
	}
	switch d.Decision {
	case Approved, Rejected:
		if len(d.Conditions) > 0 {
			ps = append(ps, problem{"conditions", fmt.Sprintf("a decision with conditions is %q, not %q", Conditional, d.Decision)})
		}
	case Conditional:
		if len(d.Conditions) == 0 {
			ps = append(ps, problem{"conditions", "a conditional approval states each condition (an MPL-2.0 §3.3 obligation, a minimum version, a review date)"})
		}
	default:
		ps = append(ps, problem{"decision", fmt.Sprintf("must be approved, conditional or rejected, got %q", d.Decision)})
	}
	for _, c := range d.Conditions {
		if strings.TrimSpace(c) == "" {
			ps = append(ps, problem{"conditions", "a condition is empty"})
		}
	}
	ps = append(ps, checkWho(d.By, d.Why)...)
	if d.ReviewBy != "" {
		if _, err := time.Parse(dateLayout, d.ReviewBy); err != nil {
			ps = append(ps, problem{"review_by", fmt.Sprintf("must be a date YYYY-MM-DD, got %q", d.ReviewBy)})
		}
	}
	if loaded {
		ps = append(ps, checkLoaded(d.ID, d.At)...)
	}
	if d.Supersedes != "" && d.Supersedes == d.ID {
		ps = append(ps, problem{"supersedes", "a decision cannot supersede itself"})
	}
	ps = append(ps, d.Confirmation.check()...)
	return ps
}

func (e *Exit) validate(loaded bool) []problem {
	var ps []problem
	ps = append(ps, checkTarget(e.Target)...)
	if err := CheckRange(e.Versions); err != nil {
		ps = append(ps, problem{"versions", err.Error()})
	}
	if !slices.Contains(ExitReasons, e.Reason) {
		ps = append(ps, problem{"reason", fmt.Sprintf("must be security, licence, unmaintained or replaced, got %q", e.Reason)})
	}
	if e.Reason == ReasonReplaced && strings.TrimSpace(e.Replacement) == "" {
		ps = append(ps, problem{"replacement", "an exit for reason replaced names the replacement"})
	}
	if _, err := time.Parse(dateLayout, e.Deadline); err != nil {
		ps = append(ps, problem{"deadline", fmt.Sprintf("must be a date YYYY-MM-DD, got %q", e.Deadline)})
	}
	if strings.TrimSpace(e.Owner) == "" {
		ps = append(ps, problem{"owner", "the owner of the exit is required"})
	}
	ps = append(ps, checkWho(e.By, e.Why)...)
	if loaded {
		ps = append(ps, checkLoaded(e.ID, e.At)...)
	}
	return ps
}

func checkTarget(t string) []problem {
	switch {
	case strings.TrimSpace(t) == "":
		return []problem{{"target", "is required (a package URL without version, or a repository such as github.com/owner/name)"}}
	case strings.ContainsAny(t, " \t\n"):
		return []problem{{"target", fmt.Sprintf("must not contain spaces, got %q", t)}}
	case strings.HasPrefix(t, "pkg:") && strings.Contains(t, "@"):
		return []problem{{"target", fmt.Sprintf("is a package URL without version (put the version in versions:), got %q", t)}}
	}
	return nil
}

func checkWho(by, why string) []problem {
	var ps []problem
	if strings.TrimSpace(by) == "" {
		ps = append(ps, problem{"by", "who decided is required (the audit trail)"})
	}
	if strings.TrimSpace(why) == "" {
		ps = append(ps, problem{"why", "why is required (the audit trail)"})
	}
	return ps
}

func checkLoaded(id string, at time.Time) []problem {
	var ps []problem
	if strings.ContainsAny(id, " \t\n/\\") {
		ps = append(ps, problem{"id", fmt.Sprintf("must be one word, got %q", id)})
	}
	if at.IsZero() {
		ps = append(ps, problem{"at", "when it was decided is required (RFC 3339: 2026-12-07T10:00:00Z)"})
	}
	return ps
}

// crossCheck finds what no single file shows: duplicate ids and
// supersedes naming no decision.
func (l *Ledger) crossCheck() []string {
	var errs []string
	seen := map[string]string{}
	add := func(id, file string, line int) {
		if prev, dup := seen[id]; dup {
			errs = append(errs, fmt.Sprintf("%s:%d: id: %q is also the id of %s", file, line, id, prev))
			return
		}
		seen[id] = fmt.Sprintf("%s:%d", file, line)
	}
	for _, d := range l.Decisions {
		add(d.ID, d.File, d.Line)
	}
	for _, e := range l.Exits {
		add(e.ID, e.File, e.Line)
	}
	for _, a := range l.Analyses {
		add(a.ID, a.File, a.Line)
	}
	errs = append(errs, l.checkProposals(add)...)
	decided := map[string]bool{}
	for _, d := range l.Decisions {
		decided[d.ID] = true
	}
	for _, d := range l.Decisions {
		if d.Supersedes != "" && !decided[d.Supersedes] {
			errs = append(errs, fmt.Sprintf("%s:%d: supersedes: no decision has the id %q", d.File, d.Line, d.Supersedes))
		}
	}
	return errs
}

func (l *Ledger) sort() {
	slices.SortStableFunc(l.Decisions, func(a, b Decision) int { return cmpAt(a.At, a.ID, b.At, b.ID) })
	slices.SortStableFunc(l.Exits, func(a, b Exit) int { return cmpAt(a.At, a.ID, b.At, b.ID) })
	slices.SortStableFunc(l.Analyses, func(a, b VulnAnalysis) int { return cmpAt(a.At, a.ID, b.At, b.ID) })
	l.sortProposals()
}

func cmpAt(at time.Time, id string, bt time.Time, bid string) int {
	if d := at.Compare(bt); d != 0 {
		return d
	}
	return strings.Compare(id, bid)
}

// Record validates rec (a Decision, an Exit or a VulnAnalysis, or a pointer to one),
// assigns its ID (when empty) and At (now, UTC) and writes it as a new
// file under dir: decisions/YYYY-MM-DD-<id>.yaml or exits/…. It never
// rewrites a file: the file is written beside its place and linked into
// it, which fails when the name exists. The ledger under dir must load
// (a broken ledger is fixed first) and a decision's supersedes must name
// one of its decisions.
func Record(dir string, rec any, now time.Time) (path string, err error) {
	now = now.UTC()
	var (
		doc  any
		sub  string
		id   string
		errs []problem
	)
	switch r := rec.(type) {
	case *Decision:
		return Record(dir, *r, now)
	case *Exit:
		return Record(dir, *r, now)
	case *VulnAnalysis:
		return Record(dir, *r, now)
	case VulnAnalysis:
		doc, sub, id, errs = prepareVulnAnalysis(r, now)
	case Decision:
		r.Target = CanonicalTarget(r.Target)
		r.At, r.File, r.Line = now, "", 0
		errs = r.validate(false)
		if r.ID == "" {
			r.ID = newID("dec", r)
		}
		doc, sub, id = decisionFile{Kind: KindDecision, Decision: r}, DecisionsDir, r.ID
		if len(errs) == 0 && r.Supersedes != "" {
			l, err := Load(dir)
			if err != nil {
				return "", err
			}
			if _, ok := l.byID(r.Supersedes); !ok {
				errs = append(errs, problem{"supersedes", fmt.Sprintf("no decision has the id %q", r.Supersedes)})
			}
		}
	case Exit:
		r.Target = CanonicalTarget(r.Target)
		r.At, r.File, r.Line = now, "", 0
		errs = r.validate(false)
		if r.ID == "" {
			r.ID = newID("exit", r)
		}
		doc, sub, id = exitFile{Kind: KindExit, Exit: r}, ExitsDir, r.ID
	default:
		var ok bool
		if doc, sub, id, errs, ok = prepareMore(rec, now); !ok {
			return "", fmt.Errorf("ledger: cannot record a %T (a Decision, an Exit, a VulnAnalysis, a Proposal, a Rejection, an ExitCancel or a Waiver)", rec)
		}
	}
	if len(errs) > 0 {
		var msgs []string
		for _, p := range errs {
			msgs = append(msgs, p.key+": "+p.msg)
		}
		return "", fmt.Errorf("ledger: not recorded: %s", strings.Join(msgs, "; "))
	}
	if _, err := Load(dir); err != nil {
		return "", fmt.Errorf("not recorded: %w", err)
	}
	if strings.ContainsAny(id, " \t\n/\\") {
		return "", fmt.Errorf("ledger: not recorded: id must be one word, got %q", id)
	}
	var buf bytes.Buffer
	enc := yaml.NewEncoder(&buf)
	enc.SetIndent(2)
	if err := enc.Encode(doc); err != nil {
		return "", fmt.Errorf("ledger: %w", err)
	}
	enc.Close()
	folder := filepath.Join(dir, sub)
	if err := os.MkdirAll(folder, 0o755); err != nil {
		return "", fmt.Errorf("ledger: %w", err)
	}
	path = filepath.Join(folder, now.Format(dateLayout)+"-"+id+".yaml")
	return path, writeNew(path, buf.Bytes())
}

// writeNew writes data to a new file at path, atomically: a temporary
// file in the same folder, synced, then linked to path (which fails when
// path exists: records are never rewritten). Where links are not
// supported, it is renamed after checking that path does not exist.
func writeNew(path string, data []byte) error {
	if _, err := os.Lstat(path); err == nil {
		return fmt.Errorf("ledger: %s exists: a record is never rewritten (record a new one)", path)
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), ".record-*.tmp")
	if err != nil {
		return fmt.Errorf("ledger: %w", err)
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return fmt.Errorf("ledger: %w", err)
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return fmt.Errorf("ledger: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("ledger: %w", err)
	}
	if err := os.Chmod(tmp.Name(), 0o644); err != nil {
		return fmt.Errorf("ledger: %w", err)
	}
	if err := os.Link(tmp.Name(), path); err != nil {
		if errors.Is(err, fs.ErrExist) {
			return fmt.Errorf("ledger: %s exists: a record is never rewritten (record a new one)", path)
		}
		if _, serr := os.Lstat(path); serr == nil {
			return fmt.Errorf("ledger: %s exists: a record is never rewritten (record a new one)", path)
		}
		if err := os.Rename(tmp.Name(), path); err != nil {
			return fmt.Errorf("ledger: %w", err)
		}
	}
	return nil
}

// newID is prefix-<8 hex digits of the SHA-256 of the record's JSON>: the
// same record at the same instant gets the same id (and is refused as a
// duplicate), any other a different one.
func newID(prefix string, rec any) string {
	b, _ := json.Marshal(rec)
	sum := sha256.Sum256(b)
	return prefix + "-" + hex.EncodeToString(sum[:4])
}

func (l *Ledger) byID(id string) (Decision, bool) {
	for _, d := range l.Decisions {
		if d.ID == id {
			return d, true
		}
	}
	return Decision{}, false
}

// CanonicalTarget returns the form targets are matched in: a package URL
// is kept as given (callers canonicalise it: type and namespace as the
// purl specification says); a repository URL loses its scheme, user,
// trailing slash and ".git", and its host is lower-cased
// (https://GitHub.com/a/b.git → github.com/a/b).
func CanonicalTarget(t string) string {
	t = strings.TrimSpace(t)
	if t == "" || strings.HasPrefix(t, "pkg:") {
		return t
	}
	if i := strings.Index(t, "://"); i >= 0 {
		t = t[i+3:]
	}
	if i := strings.IndexByte(t, '@'); i >= 0 && i < strings.IndexByte(t+"/", '/') {
		t = t[i+1:] // user@host
	}
	t = strings.TrimSuffix(strings.TrimRight(t, "/"), ".git")
	host, rest, _ := strings.Cut(t, "/")
	if rest == "" {
		return strings.ToLower(host)
	}
	return strings.ToLower(host) + "/" + rest
}

func sameTarget(a, b string) bool { return CanonicalTarget(a) == CanonicalTarget(b) }

// Decision returns the decision that applies to target at version: the
// latest (by At, then ID) whose target matches and whose versions contain
// version.
func (l *Ledger) Decision(target, version string) (Decision, bool) {
	for i := len(l.Decisions) - 1; i >= 0; i-- {
		d := l.Decisions[i]
		if sameTarget(d.Target, target) && VersionMatches(d.Versions, version) {
			return d, true
		}
	}
	return Decision{}, false
}

// Exit returns the latest exit entry whose target matches and whose
// versions contain version, and which no cancellation took off the list.
func (l *Ledger) Exit(target, version string) (Exit, bool) {
	for i := len(l.Exits) - 1; i >= 0; i-- {
		e := l.Exits[i]
		if _, gone := l.cancelled(e.ID); gone {
			continue
		}
		if sameTarget(e.Target, target) && VersionMatches(e.Versions, version) {
			return e, true
		}
	}
	return Exit{}, false
}

// State is the state of target at version: exit when an exit entry
// matches (whatever was decided before), otherwise the applying
// decision's (approved, conditional, rejected), otherwise unapproved (use
// without intake).
func (l *Ledger) State(target, version string) string {
	if _, ok := l.Exit(target, version); ok {
		return StateExit
	}
	if d, ok := l.Decision(target, version); ok {
		return d.Decision
	}
	return StateUnapproved
}

// Superseded returns, for each decision id superseded, the id of the
// decision that superseded it: a later decision for the same target and
// the same versions, or a later one that names it in supersedes.
func (l *Ledger) Superseded() map[string]string {
	out := map[string]string{}
	latest := map[string]string{}   // target|versions → id
	for _, d := range l.Decisions { // ordered by At, then ID
		k := CanonicalTarget(d.Target) + "|" + normRange(d.Versions)
		if prev, ok := latest[k]; ok {
			out[prev] = d.ID
		}
		latest[k] = d.ID
		if d.Supersedes != "" {
			if _, done := out[d.Supersedes]; !done {
				out[d.Supersedes] = d.ID
			}
		}
	}
	return out
}

// SupersededExits is Superseded for exits: a later exit for the same
// target and versions replaces an earlier one (a new deadline, say).
func (l *Ledger) SupersededExits() map[string]string {
	out := map[string]string{}
	latest := map[string]string{}
	for _, e := range l.Exits {
		k := CanonicalTarget(e.Target) + "|" + normRange(e.Versions)
		if prev, ok := latest[k]; ok {
			out[prev] = e.ID
		}
		latest[k] = e.ID
	}
	return out
}

func normRange(r string) string {
	r = strings.ReplaceAll(strings.TrimSpace(r), " ", "")
	if r == "*" {
		return ""
	}
	return r
}

// Approved is the approved list (白名单) as of now: every approved or
// conditional decision recorded by then and not superseded, each once,
// those with a review date first (the earliest first), then by target.
func (l *Ledger) Approved(now time.Time) []Decision {
	asOf := l.asOf(now)
	sup := asOf.Superseded()
	var out []Decision
	for _, d := range asOf.Decisions {
		if _, gone := sup[d.ID]; gone || (d.Decision != Approved && d.Decision != Conditional) {
			continue
		}
		out = append(out, d)
	}
	slices.SortStableFunc(out, func(a, b Decision) int {
		switch {
		case a.ReviewBy != "" && b.ReviewBy == "":
			return -1
		case a.ReviewBy == "" && b.ReviewBy != "":
			return 1
		}
		if c := strings.Compare(a.ReviewBy, b.ReviewBy); c != 0 {
			return c
		}
		if c := strings.Compare(a.Target, b.Target); c != 0 {
			return c
		}
		return strings.Compare(a.Versions, b.Versions)
	})
	return out
}

// Rejected is the current rejected decisions as of now, by target.
func (l *Ledger) Rejected(now time.Time) []Decision {
	asOf := l.asOf(now)
	sup := asOf.Superseded()
	var out []Decision
	for _, d := range asOf.Decisions {
		if _, gone := sup[d.ID]; !gone && d.Decision == Rejected {
			out = append(out, d)
		}
	}
	slices.SortStableFunc(out, func(a, b Decision) int { return strings.Compare(a.Target, b.Target) })
	return out
}

// ExitList is the exit list (不推荐使用清单) as of now: every exit recorded
// by then and not superseded, earliest deadline first.
func (l *Ledger) ExitList(now time.Time) []Exit {
	asOf := l.asOf(now)
	sup := asOf.SupersededExits()
	var out []Exit
	for _, e := range asOf.Exits {
		_, cancelled := asOf.cancelled(e.ID)
		if _, gone := sup[e.ID]; !gone && !cancelled {
			out = append(out, e)
		}
	}
	slices.SortStableFunc(out, func(a, b Exit) int {
		if c := strings.Compare(a.Deadline, b.Deadline); c != 0 {
			return c
		}
		return strings.Compare(a.Target, b.Target)
	})
	return out
}

// asOf is the ledger without the records made after now (zero: all).
func (l *Ledger) asOf(now time.Time) *Ledger {
	if now.IsZero() {
		return l
	}
	out := &Ledger{Dir: l.Dir}
	for _, d := range l.Decisions {
		if !d.At.After(now) {
			out.Decisions = append(out.Decisions, d)
		}
	}
	for _, e := range l.Exits {
		if !e.At.After(now) {
			out.Exits = append(out.Exits, e)
		}
	}
	for _, c := range l.Cancels {
		if !c.At.After(now) {
			out.Cancels = append(out.Cancels, c)
		}
	}
	return out
}

// ReviewDue reports whether the decision's review date has come by now
// (the review date's day included).
func (d Decision) ReviewDue(now time.Time) bool {
	t, err := time.Parse(dateLayout, d.ReviewBy)
	return err == nil && !now.UTC().Before(t)
}

// Overdue reports whether the exit's deadline has passed by now (the
// deadline's whole day, UTC, is still in time).
func (e Exit) Overdue(now time.Time) bool {
	t, err := time.Parse(dateLayout, e.Deadline)
	return err == nil && !now.UTC().Before(t.AddDate(0, 0, 1))
}
