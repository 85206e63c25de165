package pipeline

import (
	"encoding/json"
	"encoding/xml"
	"os"
	"path/filepath"
	"regexp"
	"strings"

	git "github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"
	"golang.org/x/mod/modfile"

	"github.com/osgauge/osgauge/collectors/osv"
	"github.com/osgauge/osgauge/collectors/sbom"
	"github.com/osgauge/osgauge/internal/release"
)

// fromManifest reads which package a clone builds (go.mod, package.json,
// pom.xml at its root) and the version to be taken in: its newest
// release tag (else the manifest's version), so that the version's known
// vulnerabilities can be looked up and a ledger decision names the
// package, as the SBOMs do. Nothing is set when no manifest names one.
func (t *IntakeTarget) fromManifest(dir string) {
	typ, ns, name, version := readManifest(dir)
	if name == "" {
		return
	}
	tag, tagVersion := newestRelease(dir)
	how := "the manifest's version"
	if tagVersion != "" {
		version, how = tagVersion, "the newest release tag, "+tag
	}
	if typ == "golang" && version != "" && !strings.HasPrefix(version, "v") {
		version = "v" + version
	}
	p := sbom.PURL{Type: typ, Namespace: ns, Name: name}
	t.Ecosystem, t.Target, t.Version = typ, p.Package(), version
	_, t.Package = packageNames(typ, ns, name)
	if typ == "golang" {
		t.Package = ns + "/" + name
	}
	note := "package " + t.Target + " (from the clone's manifest)"
	if version != "" {
		note += ", version " + version + " (" + how + "; name another with " + t.Target + "@VERSION)"
	} else {
		note += ", no version (no release tag): its vulnerabilities cannot be looked up"
	}
	t.Note = strings.TrimPrefix(t.Note+"; "+note, "; ")
}

// readManifest names the package a source tree builds: a Go module, an
// npm package or a Maven artifact.
func readManifest(dir string) (typ, ns, name, version string) {
	if data, err := os.ReadFile(filepath.Join(dir, "go.mod")); err == nil {
		if mod := modfile.ModulePath(data); mod != "" {
			i := strings.LastIndex(mod, "/")
			if i < 0 {
				return "golang", "", mod, ""
			}
			return "golang", mod[:i], mod[i+1:], ""
		}
	}
	if data, err := os.ReadFile(filepath.Join(dir, "package.json")); err == nil {
		var pj struct{ Name, Version string }
		if json.Unmarshal(data, &pj) == nil && pj.Name != "" {
			if ns, n, ok := strings.Cut(pj.Name, "/"); ok {
				return "npm", ns, n, pj.Version
			}
			return "npm", "", pj.Name, pj.Version
		}
	}
	if data, err := os.ReadFile(filepath.Join(dir, "pom.xml")); err == nil {
		var pom struct {
			GroupID    string `xml:"groupId"`
			ArtifactID string `xml:"artifactId"`
			Version    string `xml:"version"`
			Parent     struct {
				GroupID string `xml:"groupId"`
			} `xml:"parent"`
		}
		if xml.Unmarshal(data, &pom) == nil && pom.ArtifactID != "" {
			g := strings.TrimSpace(pom.GroupID)
			if g == "" {
				g = strings.TrimSpace(pom.Parent.GroupID)
			}
			v := strings.TrimSpace(pom.Version)
			if strings.Contains(v, "${") || strings.HasSuffix(strings.ToUpper(v), "-SNAPSHOT") {
				v = "" // not a release
			}
			if g != "" && !strings.Contains(g, "${") {
				return "maven", g, strings.TrimSpace(pom.ArtifactID), v
			}
		}
	}
	return "", "", "", ""
}

// moduleRepo is the repository a Go module's path names (github.com/o/r
// → https://github.com/o/r), for a clone whose remote is a path.
func moduleRepo(dir string) string {
	typ, ns, name, _ := readManifest(dir)
	if typ != "golang" {
		return ""
	}
	return repoOfPURL(sbom.PURL{Type: typ, Namespace: ns, Name: name})
}

// tagVersion is the version at the end of a tag name: v1.2.0 → 1.2.0,
// rel/commons-lang-3.17.0 → 3.17.0, redis 7.4.1 → 7.4.1.
var tagVersion = regexp.MustCompile(`(\d+(?:\.\d+)+)$`)

// newestRelease is the clone's newest release tag (pre-releases left
// out) and its version, by version order.
func newestRelease(dir string) (tag, version string) {
	r, err := git.PlainOpen(dir)
	if err != nil {
		return "", ""
	}
	refs, err := r.Tags()
	if err != nil {
		return "", ""
	}
	refs.ForEach(func(ref *plumbing.Reference) error {
		name := ref.Name().Short()
		m := tagVersion.FindString(name)
		if m == "" || release.IsPrerelease(name) {
			return nil
		}
		if version == "" || osv.Compare(m, version) > 0 {
			tag, version = name, m
		}
		return nil
	})
	return tag, version
}
