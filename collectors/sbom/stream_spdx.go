package sbom

import (
	"bytes"
	"strings"

	"github.com/spdx/tools-golang/spdx"
	"github.com/spdx/tools-golang/spdx/v2/common"
	"github.com/spdx/tools-golang/tagvalue"
)

// spdxPkg is the part of an SPDX 2.x JSON package osgauge reads.
type spdxPkg struct {
	ID        string `json:"SPDXID"`
	Name      string `json:"name"`
	Version   string `json:"versionInfo"`
	Supplier  string `json:"supplier"`
	Download  string `json:"downloadLocation"`
	Concluded string `json:"licenseConcluded"`
	Declared  string `json:"licenseDeclared"`
	Checksums []struct {
		Algorithm string `json:"algorithm"`
		Value     string `json:"checksumValue"`
	} `json:"checksums"`
	ExternalRefs []struct {
		Type    string `json:"referenceType"`
		Locator string `json:"referenceLocator"`
	} `json:"externalRefs"`
}

type spdxRel struct {
	A    string `json:"spdxElementId"`
	Type string `json:"relationshipType"`
	B    string `json:"relatedSpdxElement"`
}

// spdxRelations reads SPDX 2.3 relationships (spec §11) as dependency
// edges: reverse is set for the "A is … of B" forms, whose edge runs from
// B to A. CONTAINS and PACKAGE_OF make the contained package part of what
// contains it (a runtime dependency); HAS_PREREQUISITE is one too;
// STATIC_LINK and DYNAMIC_LINK are runtime dependencies that also tell the
// linking. Not dependencies, so ignored: GENERATED_FROM/GENERATES (the
// same software in another form), DESCENDANT_OF, ANCESTOR_OF, VARIANT_OF,
// COPY_OF, PATCH_FOR, PATCH_APPLIED, DISTRIBUTION_ARTIFACT,
// EXPANDED_FROM_ARCHIVE, FILE_ADDED/DELETED/MODIFIED, DATA_FILE_OF,
// DOCUMENTATION_OF, EXAMPLE_OF, METAFILE_OF, DEPENDENCY_MANIFEST_OF,
// TEST_CASE_OF, AMENDS, REQUIREMENT_DESCRIPTION_FOR, SPECIFICATION_FOR,
// OTHER.
var spdxRelations = map[string]struct {
	kind, link uint8
	reverse    bool
}{
	"DEPENDS_ON":             {kindRuntime, linkNone, false},
	"DEPENDENCY_OF":          {kindRuntime, linkNone, true},
	"RUNTIME_DEPENDENCY_OF":  {kindRuntime, linkNone, true},
	"CONTAINS":               {kindRuntime, linkNone, false},
	"CONTAINED_BY":           {kindRuntime, linkNone, true},
	"PACKAGE_OF":             {kindRuntime, linkNone, true},
	"HAS_PREREQUISITE":       {kindRuntime, linkNone, false},
	"PREREQUISITE_FOR":       {kindRuntime, linkNone, true},
	"DYNAMIC_LINK":           {kindRuntime, linkDynamic, false},
	"STATIC_LINK":            {kindRuntime, linkStatic, false},
	"OPTIONAL_DEPENDENCY_OF": {kindOptional, linkNone, true},
	"OPTIONAL_COMPONENT_OF":  {kindOptional, linkNone, true},
	"PROVIDED_DEPENDENCY_OF": {kindProvided, linkNone, true},
	"BUILD_DEPENDENCY_OF":    {kindBuild, linkNone, true},
	"BUILD_TOOL_OF":          {kindBuild, linkNone, true},
	"DEV_DEPENDENCY_OF":      {kindDev, linkNone, true},
	"DEV_TOOL_OF":            {kindDev, linkNone, true},
	"TEST_DEPENDENCY_OF":     {kindTest, linkNone, true},
	"TEST_TOOL_OF":           {kindTest, linkNone, true},
	"TEST_OF":                {kindTest, linkNone, true},
}

func (b *builder) addSPDXRelationship(a, typ, bb string) {
	if special(a) || special(bb) {
		return
	}
	switch t := strings.ToUpper(strings.TrimSpace(typ)); t {
	case "DESCRIBES":
		b.roots = append(b.roots, b.node(bb))
	case "DESCRIBED_BY":
		b.roots = append(b.roots, b.node(a))
	default:
		r, ok := spdxRelations[t]
		if !ok {
			return
		}
		if r.reverse {
			a, bb = bb, a
		}
		b.edge(a, bb, r.kind, r.link)
	}
}

func special(id string) bool {
	switch strings.ToUpper(strings.TrimSpace(id)) {
	case "NONE", "NOASSERTION":
		return true
	}
	return false
}

func (b *builder) addSPDXPackage(p *spdxPkg) {
	c := Component{Ref: p.ID, Name: p.Name, Version: p.Version, License: spdxLicense(p.Declared, p.Concluded),
		Supplier: spdxSupplier(p.Supplier)}
	for _, ck := range p.Checksums {
		c.Hashes = append(c.Hashes, spdxAlg(ck.Algorithm)+":"+strings.ToLower(ck.Value))
	}
	for _, ref := range p.ExternalRefs {
		if strings.EqualFold(ref.Type, "purl") && c.PURL == "" {
			c.PURL = ref.Locator
		}
	}
	if isVCSLocation(p.Download) {
		c.Repo = cleanRepo(p.Download) // a tarball URL is not a repository
	}
	c.fill()
	b.add(c, compInfo{})
}

// spdxSupplier reads "Organization: OpenJS" as OpenJS; NOASSERTION is
// nothing.
func spdxSupplier(s string) string {
	s = strings.TrimSpace(s)
	for _, p := range []string{"Organization:", "Person:", "Tool:"} {
		if len(s) >= len(p) && strings.EqualFold(s[:len(p)], p) {
			s = strings.TrimSpace(s[len(p):])
			break
		}
	}
	if strings.EqualFold(s, "NOASSERTION") {
		return ""
	}
	return s
}

// parseSPDXTagValue reads SPDX tag-value whole with tools-golang (its
// reader takes whole documents; tag-value SBOMs are small in practice).
func parseSPDXTagValue(data []byte) (*Doc, error) {
	d, err := tagvalue.Read(bytes.NewReader(data))
	if err != nil {
		return nil, err
	}
	return fromSPDX(d), nil
}

func fromSPDX(d *spdx.Document) *Doc {
	b := newBuilder()
	b.spdx = true
	if d != nil {
		for _, p := range d.Packages {
			if p == nil {
				continue
			}
			x := spdxPkg{ID: "SPDXRef-" + string(p.PackageSPDXIdentifier), Name: p.PackageName, Version: p.PackageVersion,
				Download: p.PackageDownloadLocation, Concluded: p.PackageLicenseConcluded, Declared: p.PackageLicenseDeclared}
			if p.PackageSupplier != nil {
				x.Supplier = p.PackageSupplier.Supplier
			}
			for _, ck := range p.PackageChecksums {
				x.Checksums = append(x.Checksums, struct {
					Algorithm string `json:"algorithm"`
					Value     string `json:"checksumValue"`
				}{string(ck.Algorithm), ck.Value})
			}
			for _, ref := range p.PackageExternalReferences {
				if ref != nil {
					x.ExternalRefs = append(x.ExternalRefs, struct {
						Type    string `json:"referenceType"`
						Locator string `json:"referenceLocator"`
					}{ref.RefType, ref.Locator})
				}
			}
			b.addSPDXPackage(&x)
		}
		for _, r := range d.Relationships {
			if r != nil {
				b.addSPDXRelationship(docElementID(r.RefA), r.Relationship, docElementID(r.RefB))
			}
		}
	}
	doc := b.resolve()
	sortByKey(doc.Components)
	return doc
}

// docElementID writes an element id as SPDX JSON does.
func docElementID(id common.DocElementID) string {
	switch {
	case id.SpecialID != "":
		return id.SpecialID
	case id.DocumentRefID != "":
		return "DocumentRef-" + string(id.DocumentRefID) + ":SPDXRef-" + string(id.ElementRefID)
	}
	return "SPDXRef-" + string(id.ElementRefID)
}
