package sbom

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"os"
	"sort"
	"strings"

	cdx "github.com/CycloneDX/cyclonedx-go"
	spdxjson "github.com/spdx/tools-golang/json"
	"github.com/spdx/tools-golang/spdx"
	"github.com/spdx/tools-golang/tagvalue"
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

// Component is one component as an SBOM lists it.
type Component struct {
	Ref       string // bom-ref or SPDXID, inside its document
	PURL      string
	Key       string // canonical identity of this version (see PURL.Key)
	Ecosystem string // purl type, "" without a purl
	Namespace string
	Name      string
	Version   string
	License   string // declared licence expression
	Supplier  string
	Hashes    []string // "SHA-256:…"
	Repo      string
	Relation  string
}

// Doc is a parsed SBOM.
type Doc struct {
	Format string
	Root   string // the system the SBOM describes, if it names one
	// RootLicense is the licence the SBOM declares for that system
	// (CycloneDX metadata.component.licenses, SPDX's described package).
	RootLicense string
	Components  []Component
}

// ParseFile reads an SBOM file in any supported format.
func ParseFile(path string) (*Doc, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return Parse(path, data)
}

// Parse reads an SBOM: CycloneDX (JSON or XML) or SPDX 2.x (JSON or
// tag-value), recognised by content. Errors name the file, and the line
// when the decoder tells the offset.
func Parse(name string, data []byte) (*Doc, error) {
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	trim := bytes.TrimSpace(data)
	var doc *Doc
	var err error
	var format string
	switch {
	case len(trim) == 0:
		return nil, fmt.Errorf("%s: empty file", name)
	case trim[0] == '{':
		var probe map[string]json.RawMessage
		if jerr := json.Unmarshal(trim, &probe); jerr != nil {
			return nil, fmt.Errorf("%s: not valid JSON: %s", name, jsonErr(data, jerr))
		}
		switch {
		case probe["bomFormat"] != nil:
			format = CycloneDXJSON
			doc, err = parseCycloneDX(data, cdx.BOMFileFormatJSON)
		case probe["spdxVersion"] != nil:
			format = SPDXJSON
			var d *spdx.Document
			if d, err = spdxjson.Read(bytes.NewReader(data)); err == nil {
				doc, err = fromSPDX(d)
			}
		default:
			return nil, fmt.Errorf("%s: JSON without bomFormat (CycloneDX) or spdxVersion (SPDX): not an SBOM osgauge reads", name)
		}
	case trim[0] == '<':
		format = CycloneDXXML
		if !bytes.Contains(trim[:min(len(trim), 2048)], []byte("cyclonedx.org/schema/bom")) {
			return nil, fmt.Errorf("%s: XML that is not a CycloneDX BOM (no http://cyclonedx.org/schema/bom namespace)", name)
		}
		doc, err = parseCycloneDX(data, cdx.BOMFileFormatXML)
	case bytes.HasPrefix(trim, []byte("SPDXVersion:")) || bytes.Contains(trim[:min(len(trim), 4096)], []byte("\nSPDXVersion:")):
		format = SPDXTagValue
		var d *spdx.Document
		if d, err = tagvalue.Read(bytes.NewReader(data)); err == nil {
			doc, err = fromSPDX(d)
		}
	default:
		return nil, fmt.Errorf("%s: not a CycloneDX (JSON, XML) or SPDX (JSON, tag-value) document", name)
	}
	if err != nil {
		return nil, fmt.Errorf("%s: %s: %s", name, format, jsonErr(data, err))
	}
	doc.Format = format
	for i, c := range doc.Components {
		if c.Name == "" {
			return nil, fmt.Errorf("%s: %s: component %d (ref %q) has no name", name, format, i+1, c.Ref)
		}
	}
	return doc, nil
}

// jsonErr adds the line to JSON and XML syntax errors.
func jsonErr(data []byte, err error) string {
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	var xe *xml.SyntaxError
	switch {
	case errors.As(err, &se):
		return fmt.Sprintf("line %d: %s", lineAt(data, se.Offset), se.Error())
	case errors.As(err, &te):
		return fmt.Sprintf("line %d: %s", lineAt(data, te.Offset), te.Error())
	case errors.As(err, &xe):
		return fmt.Sprintf("line %d: %s", xe.Line, xe.Msg)
	}
	return err.Error()
}

func lineAt(data []byte, off int64) int {
	if off > int64(len(data)) {
		off = int64(len(data))
	}
	return bytes.Count(data[:off], []byte("\n")) + 1
}

// fill completes a component from its package URL: identity, ecosystem,
// version and repository.
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
		if c.Repo == "" {
			c.Repo = repoFromPURL(p)
		}
		if c.Name == "" || p.Name != "" {
			c.Name = p.Name
		}
		return
	}
	c.PURL = ""
	p := PURL{Type: "generic", Namespace: c.Namespace, Name: c.Name, Version: c.Version}
	c.Key = p.Key()
}

func parseCycloneDX(data []byte, f cdx.BOMFileFormat) (*Doc, error) {
	var bom cdx.BOM
	if err := cdx.NewBOMDecoder(bytes.NewReader(data), f).Decode(&bom); err != nil {
		return nil, err
	}
	doc := &Doc{}
	rootRef := ""
	var top []cdx.Component
	if bom.Metadata != nil && bom.Metadata.Component != nil {
		root := bom.Metadata.Component
		rootRef, doc.Root = root.BOMRef, root.Name
		doc.RootLicense = cdxLicense(root.Licenses)
		if root.Components != nil {
			top = append(top, *root.Components...) // the system's own parts
		}
	}
	if bom.Components != nil {
		top = append(top, *bom.Components...)
	}
	// The dependency graph says what the system uses directly.
	direct := map[string]bool{}
	graph := false
	if bom.Dependencies != nil && rootRef != "" {
		for _, d := range *bom.Dependencies {
			if d.Ref == rootRef && d.Dependencies != nil {
				graph = true
				for _, r := range *d.Dependencies {
					direct[r] = true
				}
			}
		}
	}
	var walk func(cs []cdx.Component, nested bool)
	walk = func(cs []cdx.Component, nested bool) {
		for _, c := range cs {
			comp := Component{Ref: c.BOMRef, PURL: c.PackageURL, Namespace: c.Group, Name: c.Name, Version: c.Version,
				License: cdxLicense(c.Licenses), Supplier: cdxSupplier(c)}
			if c.Hashes != nil {
				for _, h := range *c.Hashes {
					comp.Hashes = append(comp.Hashes, string(h.Algorithm)+":"+strings.ToLower(h.Value))
				}
			}
			if c.ExternalReferences != nil {
				for _, r := range *c.ExternalReferences {
					if r.Type == cdx.ERTypeVCS && comp.Repo == "" {
						comp.Repo = cleanRepo(r.URL)
					}
				}
			}
			switch {
			case graph && direct[c.BOMRef]:
				comp.Relation = Direct
			case graph || nested:
				comp.Relation = Transitive
			default:
				comp.Relation = Unknown
			}
			comp.fill()
			doc.Components = append(doc.Components, comp)
			if c.Components != nil {
				walk(*c.Components, true)
			}
		}
	}
	walk(top, false)
	return doc, nil
}

func cdxLicense(ls *cdx.Licenses) string {
	if ls == nil {
		return ""
	}
	var parts []string
	for _, l := range *ls {
		switch {
		case l.Expression != "":
			parts = append(parts, l.Expression)
		case l.License != nil && l.License.ID != "":
			parts = append(parts, l.License.ID)
		case l.License != nil && l.License.Name != "":
			parts = append(parts, l.License.Name)
		}
	}
	// Several entries all apply (the safe reading): MIT AND (A OR B).
	if len(parts) > 1 {
		for i, p := range parts {
			if strings.ContainsAny(p, " ") {
				parts[i] = "(" + p + ")"
			}
		}
	}
	return strings.Join(parts, " AND ")
}

func cdxSupplier(c cdx.Component) string {
	switch {
	case c.Supplier != nil && c.Supplier.Name != "":
		return c.Supplier.Name
	case c.Manufacturer != nil && c.Manufacturer.Name != "":
		return c.Manufacturer.Name
	}
	return c.Publisher
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

func fromSPDX(d *spdx.Document) (*Doc, error) {
	if d == nil {
		return nil, errors.New("empty document")
	}
	doc := &Doc{}
	roots := map[string]bool{}
	deps := map[string][]string{} // package → what it depends on
	for _, r := range d.Relationships {
		if r == nil {
			continue
		}
		a, b := string(r.RefA.ElementRefID), string(r.RefB.ElementRefID)
		switch strings.ToUpper(r.Relationship) {
		case "DESCRIBES":
			roots[b] = true
		case "DESCRIBED_BY":
			roots[a] = true
		case "DEPENDS_ON", "RUNTIME_DEPENDENCY_OF_REVERSED":
			deps[a] = append(deps[a], b)
		case "DEPENDENCY_OF", "RUNTIME_DEPENDENCY_OF", "BUILD_DEPENDENCY_OF", "DEV_DEPENDENCY_OF", "OPTIONAL_DEPENDENCY_OF":
			deps[b] = append(deps[b], a)
		}
	}
	direct := map[string]bool{}
	graph := false
	for r := range roots {
		for _, dep := range deps[r] {
			direct[dep] = true
			graph = true
		}
	}
	for _, p := range d.Packages {
		if p == nil {
			continue
		}
		id := string(p.PackageSPDXIdentifier)
		if roots[id] {
			if doc.Root == "" {
				doc.Root = p.PackageName
				doc.RootLicense = spdxLicense(p.PackageLicenseDeclared, p.PackageLicenseConcluded)
			}
			continue
		}
		c := Component{Ref: id, Name: p.PackageName, Version: p.PackageVersion}
		c.License = spdxLicense(p.PackageLicenseDeclared, p.PackageLicenseConcluded)
		if p.PackageSupplier != nil && !strings.EqualFold(p.PackageSupplier.Supplier, "NOASSERTION") {
			c.Supplier = p.PackageSupplier.Supplier
		}
		for _, ck := range p.PackageChecksums {
			c.Hashes = append(c.Hashes, spdxAlg(string(ck.Algorithm))+":"+strings.ToLower(ck.Value))
		}
		for _, ref := range p.PackageExternalReferences {
			if ref != nil && strings.EqualFold(ref.RefType, "purl") && c.PURL == "" {
				c.PURL = ref.Locator
			}
		}
		c.Repo = cleanRepo(p.PackageDownloadLocation)
		if c.Repo != "" && !isVCSLocation(p.PackageDownloadLocation) {
			c.Repo = "" // a tarball URL is not a repository
		}
		switch {
		case graph && direct[id]:
			c.Relation = Direct
		case graph:
			c.Relation = Transitive
		default:
			c.Relation = Unknown
		}
		c.fill()
		doc.Components = append(doc.Components, c)
	}
	sort.SliceStable(doc.Components, func(i, j int) bool { return doc.Components[i].Key < doc.Components[j].Key })
	return doc, nil
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
