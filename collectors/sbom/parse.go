package sbom

import (
	"bufio"
	"bytes"
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"

	"github.com/osgauge/osgauge/licenses"
)

// SBOM formats.
const (
	CycloneDXJSON = "cyclonedx-json"
	CycloneDXXML  = "cyclonedx-xml"
	SPDXJSON      = "spdx-json"
	SPDXTagValue  = "spdx-tag-value"
)

// Relations of a component to the system.
const (
	Direct     = "direct"
	Transitive = "transitive"
	Unknown    = "unknown" // the SBOM has no dependency graph to tell
)

// Scopes of a component in the system (Component.Scope), least
// restricted first. A component reached by several paths takes the least
// restricted (runtime beats optional beats provided beats build beats dev
// beats test); along one path the most restricted edge decides (a runtime
// dependency of a test dependency is a test dependency).
const (
	ScopeRuntime  = ""
	ScopeOptional = "optional"
	ScopeProvided = "provided"
	ScopeBuild    = "build"
	ScopeDev      = "dev"
	ScopeTest     = "test"
	ScopeExcluded = "excluded" // CycloneDX scope "excluded": not part of the delivered system
	// ScopeOwn marks the system's own modules (the SBOM's metadata
	// component's parts, or its group's modules in the graph): listed, with
	// Relation direct, but no third-party dependency.
	ScopeOwn = "own"
)

// Linking of a component into what uses it (SPDX STATIC_LINK, DYNAMIC_LINK).
const (
	LinkStatic  = "static"
	LinkDynamic = "dynamic"
)

// Component is one component as an SBOM lists it.
type Component struct {
	Ref       string // bom-ref or SPDXID, inside its document
	PURL      string
	Key       string // canonical identity of this artefact of this version (see PURL.Key)
	Ecosystem string // purl type, "" without a purl
	Namespace string
	Name      string
	Version   string
	License   string // declared licence expression
	Supplier  string
	Hashes    []string // "SHA-256:…"
	Repo      string
	Relation  string
	// Scope: "" runtime (the default), "optional", "provided", "build",
	// "dev", "test", "excluded", or "own" for the system's own modules.
	Scope string
	// Linking: "static", "dynamic", or "" when the SBOM does not say.
	Linking string
	// LicenseNote says how several licence entries were combined into
	// License; "" when there was one entry or an explicit expression.
	LicenseNote string
	// Qualifiers are the canonical purl qualifiers that distinguish this
	// artefact ("classifier=tests&type=test-jar"), also part of Key.
	Qualifiers string
}

// Doc is a parsed SBOM.
type Doc struct {
	Format string
	Root   string // the system the SBOM describes, if it names one
	// RootLicense is the licence the SBOM declares for that system
	// (CycloneDX metadata.component.licenses, SPDX's described package).
	RootLicense string
	Components  []Component
	// Roots are the refs of the graph's roots when the SBOM names no root
	// in its dependency graph and they were inferred (RootInferred): the
	// components nothing depends on.
	Roots        []string
	RootInferred bool
	// Notes say how the document was read where it had to be interpreted.
	Notes []string
}

// ParseFile reads an SBOM file in any supported format, as a stream (see
// ParseReader).
func ParseFile(path string) (*Doc, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return ParseReader(path, f)
}

// Parse reads an SBOM held in memory (see ParseReader).
func Parse(name string, data []byte) (*Doc, error) {
	return ParseReader(name, bytes.NewReader(data))
}

// ParseReader reads an SBOM: CycloneDX (JSON or XML) or SPDX 2.x (JSON or
// tag-value), recognised by content; name is the file's name for errors.
// JSON is read as a stream, one component, package, dependency or
// relationship at a time, so memory grows with the number of components,
// not the size of the file; XML and tag-value are read whole (their
// libraries decode whole documents). The reader is read to its end.
// Errors name the file, and the line when the decoder tells the offset.
func ParseReader(name string, r io.Reader) (*Doc, error) {
	lr := &lineReader{r: r}
	br := bufio.NewReaderSize(lr, 64<<10)
	var skipped int64 // bytes before the document (BOM, white space)
	skippedLines := 0
	if head, _ := br.Peek(3); bytes.Equal(head, []byte("\xef\xbb\xbf")) {
		br.Discard(3)
		skipped = 3
	}
	for {
		c, err := br.ReadByte()
		if err == io.EOF {
			return nil, fmt.Errorf("%s: empty file", name)
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		if c != ' ' && c != '\t' && c != '\r' && c != '\n' {
			br.UnreadByte()
			break
		}
		skipped++
		if c == '\n' {
			skippedLines++
		}
	}
	head, _ := br.Peek(4096)
	var doc *Doc
	var err error
	format := ""
	switch {
	case head[0] == '{':
		doc, format, err = streamJSON(name, br, lr, skipped)
		if err != nil {
			return nil, err
		}
	case head[0] == '<':
		format = CycloneDXXML
		if !bytes.Contains(head[:min(len(head), 2048)], []byte("cyclonedx.org/schema/bom")) {
			return nil, fmt.Errorf("%s: XML that is not a CycloneDX BOM (no http://cyclonedx.org/schema/bom namespace)", name)
		}
		data, rerr := io.ReadAll(br)
		if rerr != nil {
			return nil, fmt.Errorf("%s: %w", name, rerr)
		}
		if doc, err = parseCycloneDXXML(data); err != nil {
			return nil, fmt.Errorf("%s: %s: %s", name, format, wholeErr(data, skippedLines, err))
		}
	case bytes.HasPrefix(head, []byte("SPDXVersion:")) || bytes.Contains(head, []byte("\nSPDXVersion:")):
		format = SPDXTagValue
		data, rerr := io.ReadAll(br)
		if rerr != nil {
			return nil, fmt.Errorf("%s: %w", name, rerr)
		}
		if doc, err = parseSPDXTagValue(data); err != nil {
			return nil, fmt.Errorf("%s: %s: %s", name, format, wholeErr(data, skippedLines, err))
		}
	default:
		return nil, fmt.Errorf("%s: not a CycloneDX (JSON, XML) or SPDX (JSON, tag-value) document", name)
	}
	doc.Format = format
	for i, c := range doc.Components {
		if c.Name == "" {
			return nil, fmt.Errorf("%s: %s: component %d (ref %q) has no name", name, format, i+1, c.Ref)
		}
	}
	return doc, nil
}

// wholeErr adds the line to the syntax errors of documents read whole.
func wholeErr(data []byte, before int, err error) string {
	var se *json.SyntaxError
	var xe *xml.SyntaxError
	switch {
	case errors.As(err, &se):
		return fmt.Sprintf("line %d: %s", before+lineAt(data, se.Offset), se.Error())
	case errors.As(err, &xe):
		return fmt.Sprintf("line %d: %s", before+xe.Line, xe.Msg)
	}
	return err.Error()
}

func lineAt(data []byte, off int64) int {
	off = max(0, min(off, int64(len(data))))
	return bytes.Count(data[:off], []byte("\n")) + 1
}

// lineReader passes a stream through and keeps its last 2–4 MB, so that
// the line of an offset near the reading position (where a decoder fails)
// can be told without holding the file or counting lines as it goes.
type lineReader struct {
	r         io.Reader
	prev, cur []byte
	prevStart int64 // stream offset of prev[0]
	prevLines int   // newlines before prev[0]
}

const lineWindow = 2 << 20

func (l *lineReader) Read(p []byte) (int, error) {
	n, err := l.r.Read(p)
	for data := p[:n]; len(data) > 0; {
		if len(l.cur) == lineWindow {
			l.prevLines += bytes.Count(l.prev, []byte("\n"))
			l.prevStart += int64(len(l.prev))
			l.prev, l.cur = l.cur, l.prev[:0]
		}
		if l.cur == nil {
			l.cur = make([]byte, 0, min(lineWindow, max(len(data), 64<<10)))
		}
		k := min(lineWindow-len(l.cur), len(data))
		l.cur = append(l.cur, data[:k]...)
		data = data[k:]
	}
	return n, err
}

// line is the line of stream offset off; ok is false when off is no
// longer in the window.
func (l *lineReader) line(off int64) (int, bool) {
	if off < l.prevStart {
		return 0, false
	}
	rel := off - l.prevStart
	if rel <= int64(len(l.prev)) {
		return l.prevLines + bytes.Count(l.prev[:rel], []byte("\n")) + 1, true
	}
	rel = min(rel-int64(len(l.prev)), int64(len(l.cur)))
	return l.prevLines + bytes.Count(l.prev, []byte("\n")) + bytes.Count(l.cur[:rel], []byte("\n")) + 1, true
}

// where names the line of a stream offset, else the byte.
func (l *lineReader) where(off int64) string {
	if n, ok := l.line(off); ok {
		return fmt.Sprintf("line %d", n)
	}
	return fmt.Sprintf("byte %d", off)
}

// fill completes a component from its package URL: identity, ecosystem,
// version, qualifiers and repository.
func (c *Component) fill() {
	if p, ok := ParsePURL(c.PURL); ok {
		if p.Version == "" {
			p.Version = c.Version
		}
		if c.Version == "" {
			c.Version = p.Version
		}
		c.Ecosystem, c.Namespace = p.Type, p.Namespace
		c.Key = p.Key()
		if strings.HasPrefix(c.PURL, c.Key) { // one string, not two (large SBOMs)
			c.Key = c.PURL[:len(c.Key)]
		}
		if c.Version == p.Version {
			c.Version = p.Version // a part of PURL when it is not escaped
		}
		c.Qualifiers = p.KeyQualifiers()
		if c.Repo == "" {
			c.Repo = repoFromPURL(p)
		}
		if c.Name == "" || p.Name != "" {
			c.Name = p.Name
		}
	} else {
		c.PURL = ""
		p := PURL{Type: "generic", Namespace: c.Namespace, Name: c.Name, Version: c.Version}
		c.Key = p.Key()
	}
	if c.Ref == c.PURL {
		c.Ref = c.PURL
	}
}

// combineLicences joins a component's licence entries into one
// expression. Several entries carry no operator: for Maven and npm they
// are alternatives (the Maven POM reference: "If multiple licenses are
// listed, it is assumed that the user can select any of them"; npm's
// legacy "licenses" array listed alternatives, written as an SPDX OR
// expression today), elsewhere all are taken to apply (AND), the
// conservative reading. The note says which, "" for one entry.
func combineLicences(parts []string, ecosystem string) (expr, note string) {
	var uniq []string
	for _, p := range parts {
		if p = strings.TrimSpace(p); p != "" && !slices.Contains(uniq, p) {
			uniq = append(uniq, p)
		}
	}
	switch len(uniq) {
	case 0:
		return "", ""
	case 1:
		return uniq[0], ""
	}
	op := " AND "
	note = fmt.Sprintf("%d licences listed without an operator; read as all applying (AND), the conservative reading", len(uniq))
	switch ecosystem {
	case "maven":
		op = " OR "
		note = fmt.Sprintf("%d licences listed without an operator; read as a choice (OR): a Maven POM that lists several licences lets the user select any of them", len(uniq))
	case "npm":
		op = " OR "
		note = fmt.Sprintf("%d licences listed without an operator; read as a choice (OR): npm's licenses array listed alternatives (an SPDX OR expression today)", len(uniq))
	}
	unknown := 0
	for i, p := range uniq {
		// A licence name a POM writes ("The Apache Software License,
		// Version 2.0") is read as its SPDX id, so the joined expression
		// can be evaluated.
		if e := licenses.Parse(p); e.Known() {
			p = e.SPDX
		} else if op == " OR " {
			// An alternative osgauge cannot read stands in the choice as an
			// unknown licence, so that a known alternative can still be
			// chosen; the note names it.
			unknown++
			note += fmt.Sprintf("; alternative '%s' not recognised (LicenseRef-unrecognised-%d)", p, unknown)
			p = fmt.Sprintf("LicenseRef-unrecognised-%d", unknown)
		}
		if strings.ContainsAny(p, " ") {
			p = "(" + p + ")"
		}
		uniq[i] = p
	}
	return strings.Join(uniq, op), note
}

// spdxLicense is a package's declared licence, else its concluded one;
// NOASSERTION and NONE say nothing.
func spdxLicense(declared, concluded string) string {
	l := declared
	if up := strings.ToUpper(strings.TrimSpace(l)); up == "" || up == "NOASSERTION" || up == "NONE" {
		l = concluded
	}
	if up := strings.ToUpper(strings.TrimSpace(l)); up == "NOASSERTION" || up == "NONE" {
		l = ""
	}
	return l
}

func isVCSLocation(s string) bool {
	s = strings.ToLower(s)
	return strings.HasPrefix(s, "git+") || strings.HasPrefix(s, "git@") || strings.HasSuffix(s, ".git") ||
		(strings.Contains(s, "github.com/") && !strings.Contains(s, "/archive/") && !strings.Contains(s, "/releases/"))
}

// spdxAlg writes SPDX checksum algorithms as CycloneDX does (SHA256 → SHA-256).
func spdxAlg(a string) string {
	switch a {
	case "SHA1":
		return "SHA-1"
	case "SHA256":
		return "SHA-256"
	case "SHA384":
		return "SHA-384"
	case "SHA512":
		return "SHA-512"
	}
	return a
}

// end is the stream offset after the last byte read.
func (l *lineReader) end() int64 { return l.prevStart + int64(len(l.prev)+len(l.cur)) }

// at returns the byte at stream offset off, if still in the window.
func (l *lineReader) at(off int64) (byte, bool) {
	if off < l.prevStart || off >= l.end() {
		return 0, false
	}
	if rel := off - l.prevStart; rel < int64(len(l.prev)) {
		return l.prev[rel], true
	} else {
		return l.cur[rel-int64(len(l.prev))], true
	}
}

// skipSep moves off past white space and one ',' or ':': what the JSON
// decoder consumes before a value it decodes (the white space after the
// separator is part of the value), as far as the window tells.
func (l *lineReader) skipSep(off int64) int64 {
	for {
		c, ok := l.at(off)
		switch {
		case !ok:
			return off
		case c == ' ' || c == '\t' || c == '\r' || c == '\n':
			off++
		case c == ',' || c == ':':
			return off + 1
		default:
			return off
		}
	}
}

// from returns a copy of the window from stream offset off to its end.
func (l *lineReader) from(off int64) []byte {
	if off < l.prevStart || off > l.end() {
		return nil
	}
	rel := off - l.prevStart
	if rel < int64(len(l.prev)) {
		return append(append([]byte(nil), l.prev[rel:]...), l.cur...)
	}
	return append([]byte(nil), l.cur[rel-int64(len(l.prev)):]...)
}
