package sbom

import (
	"bytes"
	"encoding/json"
	"strings"

	cdx "github.com/CycloneDX/cyclonedx-go"
)

// cdxComp is the part of a CycloneDX component osgauge reads; the stream
// decodes one top-level component (with its sub-components) at a time
// into it, which is several times faster than cdx.Component and keeps
// nothing else.
type cdxComp struct {
	BOMRef             string      `json:"bom-ref"`
	Group              string      `json:"group"`
	Name               string      `json:"name"`
	Version            string      `json:"version"`
	PURL               string      `json:"purl"`
	Scope              string      `json:"scope"`
	Publisher          string      `json:"publisher"`
	Supplier           *cdxOrg     `json:"supplier"`
	Manufacturer       *cdxOrg     `json:"manufacturer"`
	Licenses           []cdxLic    `json:"licenses"`
	Hashes             []cdxHash   `json:"hashes"`
	ExternalReferences []cdxExtRef `json:"externalReferences"`
	Components         []cdxComp   `json:"components"`
}

type cdxOrg struct {
	Name string `json:"name"`
}

type cdxLic struct {
	License *struct {
		ID   string `json:"id"`
		Name string `json:"name"`
	} `json:"license"`
	Expression string `json:"expression"`
}

type cdxHash struct {
	Alg     string `json:"alg"`
	Content string `json:"content"`
}

type cdxExtRef struct {
	Type string `json:"type"`
	URL  string `json:"url"`
}

type cdxDep struct {
	Ref       string       `json:"ref"`
	DependsOn []cdxRefItem `json:"dependsOn"`
}

// cdxRefItem is a ref in dependsOn: a string, or {"ref": "…"} as some
// CycloneDX 1.2 writers put it.
type cdxRefItem string

func (r *cdxRefItem) UnmarshalJSON(b []byte) error {
	if b = bytes.TrimSpace(b); len(b) > 0 && b[0] == '{' {
		var o struct {
			Ref string `json:"ref"`
		}
		err := json.Unmarshal(b, &o)
		*r = cdxRefItem(o.Ref)
		return err
	}
	var s string
	err := json.Unmarshal(b, &s)
	*r = cdxRefItem(s)
	return err
}

func (c *cdxComp) supplier() string {
	switch {
	case c.Supplier != nil && c.Supplier.Name != "":
		return c.Supplier.Name
	case c.Manufacturer != nil && c.Manufacturer.Name != "":
		return c.Manufacturer.Name
	}
	return c.Publisher
}

func (c *cdxComp) licence(ecosystem string) (string, string) {
	var parts []string
	for _, l := range c.Licenses {
		switch {
		case l.Expression != "":
			parts = append(parts, l.Expression)
		case l.License != nil && l.License.ID != "":
			parts = append(parts, l.License.ID)
		case l.License != nil && l.License.Name != "":
			parts = append(parts, l.License.Name)
		}
	}
	return combineLicences(parts, ecosystem)
}

// cdxScope maps CycloneDX component.scope: required is runtime.
func cdxScope(s string) string {
	switch strings.ToLower(s) {
	case "optional":
		return ScopeOptional
	case "excluded":
		return ScopeExcluded
	}
	return ""
}

func (b *builder) component(c *cdxComp) Component {
	comp := Component{Ref: c.BOMRef, PURL: c.PURL, Namespace: c.Group, Name: c.Name, Version: c.Version, Supplier: c.supplier()}
	for _, h := range c.Hashes {
		comp.Hashes = append(comp.Hashes, h.Alg+":"+strings.ToLower(h.Content))
	}
	for _, r := range c.ExternalReferences {
		if r.Type == string(cdx.ERTypeVCS) && comp.Repo == "" {
			comp.Repo = cleanRepo(r.URL)
		}
	}
	comp.fill()
	comp.License, comp.LicenseNote = c.licence(comp.Ecosystem)
	return comp
}

// addCDX adds a component and its sub-components (nested).
func (b *builder) addCDX(c *cdxComp, nested, own bool) {
	b.add(b.component(c), compInfo{nested: nested, own: own, scope: cdxScope(c.Scope)})
	for i := range c.Components {
		b.addCDX(&c.Components[i], true, own)
	}
}

// addCDXRoot takes the metadata component: the system. Its parts are the
// system's own modules.
func (b *builder) addCDXRoot(c *cdxComp) {
	root := b.component(c)
	b.doc.Root, b.doc.RootLicense = c.Name, root.License
	if c.BOMRef != "" {
		b.roots = append(b.roots, b.node(c.BOMRef))
	}
	b.rootPURL = root.PURL
	for i := range c.Components {
		b.addCDX(&c.Components[i], false, true)
	}
}

func (b *builder) addCDXDep(d *cdxDep) {
	for _, to := range d.DependsOn {
		b.edge(d.Ref, string(to), kindRuntime, linkNone)
	}
}

// parseCycloneDXXML reads CycloneDX XML whole with cyclonedx-go (a
// streaming XML reader would save memory only on SBOMs few tools write as
// XML; the JSON path streams).
func parseCycloneDXXML(data []byte) (*Doc, error) {
	var bom cdx.BOM
	if err := cdx.NewBOMDecoder(bytes.NewReader(data), cdx.BOMFileFormatXML).Decode(&bom); err != nil {
		return nil, err
	}
	b := newBuilder()
	if bom.Metadata != nil && bom.Metadata.Component != nil {
		root := fromCDX(bom.Metadata.Component)
		b.addCDXRoot(&root)
	}
	if bom.Components != nil {
		for i := range *bom.Components {
			c := fromCDX(&(*bom.Components)[i])
			b.addCDX(&c, false, false)
		}
	}
	if bom.Dependencies != nil {
		for _, d := range *bom.Dependencies {
			x := cdxDep{Ref: d.Ref}
			if d.Dependencies != nil {
				for _, r := range *d.Dependencies {
					x.DependsOn = append(x.DependsOn, cdxRefItem(r))
				}
			}
			b.addCDXDep(&x)
		}
	}
	return b.resolve(), nil
}

func fromCDX(c *cdx.Component) cdxComp {
	x := cdxComp{BOMRef: c.BOMRef, Group: c.Group, Name: c.Name, Version: c.Version, PURL: c.PackageURL,
		Scope: string(c.Scope), Publisher: c.Publisher}
	if c.Supplier != nil {
		x.Supplier = &cdxOrg{Name: c.Supplier.Name}
	}
	if c.Manufacturer != nil {
		x.Manufacturer = &cdxOrg{Name: c.Manufacturer.Name}
	}
	if c.Licenses != nil {
		for _, l := range *c.Licenses {
			e := cdxLic{Expression: l.Expression}
			if l.License != nil {
				e.License = &struct {
					ID   string `json:"id"`
					Name string `json:"name"`
				}{l.License.ID, l.License.Name}
			}
			x.Licenses = append(x.Licenses, e)
		}
	}
	if c.Hashes != nil {
		for _, h := range *c.Hashes {
			x.Hashes = append(x.Hashes, cdxHash{string(h.Algorithm), h.Value})
		}
	}
	if c.ExternalReferences != nil {
		for _, r := range *c.ExternalReferences {
			x.ExternalReferences = append(x.ExternalReferences, cdxExtRef{string(r.Type), r.URL})
		}
	}
	if c.Components != nil {
		for i := range *c.Components {
			x.Components = append(x.Components, fromCDX(&(*c.Components)[i]))
		}
	}
	return x
}
