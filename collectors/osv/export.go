package osv

import (
	"archive/zip"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/osgauge/osgauge/collectors/sbom"
	"github.com/osgauge/osgauge/store"
)

// toVuln turns a record into what the store keeps.
func toVuln(r *Record, raw []byte, source string) store.Vuln {
	v := store.Vuln{ID: r.ID, Modified: r.Modified, Published: r.Published, Summary: r.Summary, Aliases: r.Aliases,
		Record: raw, Source: source}
	v.Severity, v.Score = r.Rate("", "")
	seen := map[[2]string]bool{}
	for _, a := range r.Affected {
		p := [2]string{a.Package.Ecosystem, a.Package.Name}
		if p[0] != "" && p[1] != "" && !seen[p] {
			seen[p] = true
			v.Packages = append(v.Packages, p)
		}
	}
	return v
}

// ReadExport reads an OSV export: an ecosystem's zip (all.zip, as
// osv-vulnerabilities.storage.googleapis.com publishes and intranets
// mirror) or a folder of OSV JSON files. Every record must parse: a bad
// one is refused with the file (and zip entry) named, and nothing is kept.
func ReadExport(path string) ([]store.Vuln, error) {
	fi, err := os.Stat(path)
	if err != nil {
		return nil, fmt.Errorf("osv export: %w", err)
	}
	var out []store.Vuln
	add := func(name string, data []byte) error {
		r, err := ParseRecord(data)
		if err != nil {
			return fmt.Errorf("osv export %s: %s: %s", path, name, jsonErr(data, err))
		}
		if r.ID == "" {
			return fmt.Errorf("osv export %s: %s: record without id", path, name)
		}
		out = append(out, toVuln(r, data, filepath.Base(path)))
		return nil
	}
	if fi.IsDir() {
		err = filepath.WalkDir(path, func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() || !strings.HasSuffix(p, ".json") {
				return err
			}
			data, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			rel, _ := filepath.Rel(path, p)
			return add(rel, data)
		})
		return out, err
	}
	zr, err := zip.OpenReader(path)
	if err != nil {
		return nil, fmt.Errorf("osv export %s: not a zip of OSV JSON files or a folder: %w", path, err)
	}
	defer zr.Close()
	files := append([]*zip.File(nil), zr.File...)
	sort.Slice(files, func(i, j int) bool { return files[i].Name < files[j].Name })
	for _, f := range files {
		if f.FileInfo().IsDir() || !strings.HasSuffix(f.Name, ".json") {
			continue
		}
		rc, err := f.Open()
		if err != nil {
			return nil, fmt.Errorf("osv export %s: %s: %w", path, f.Name, err)
		}
		data, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			return nil, fmt.Errorf("osv export %s: %s: %w", path, f.Name, err)
		}
		if err := add(f.Name, data); err != nil {
			return nil, err
		}
	}
	return out, nil
}

func jsonErr(data []byte, err error) string {
	if se, ok := err.(*json.SyntaxError); ok {
		return fmt.Sprintf("line %d: %s", strings.Count(string(data[:min(int(se.Offset), len(data))]), "\n")+1, se.Error())
	}
	return err.Error()
}

// ImportExport reads an export and stores its records in one transaction;
// an export unchanged since the last import (same size and time) is not
// read again. It returns the number of records read and the ecosystems
// the export covers (see Coverage).
func ImportExport(ctx context.Context, st *store.Store, path string) (int, []string, error) {
	fi, err := os.Stat(path)
	if err != nil {
		return 0, nil, fmt.Errorf("osv export: %w", err)
	}
	key := "osv:export:" + path
	stamp := fmt.Sprintf("%d-%d", fi.Size(), fi.ModTime().UnixNano())
	if e, ok, err := st.CacheGet(ctx, key); err == nil && ok && e.ETag == stamp && !fi.IsDir() {
		var ecos []string
		if json.Unmarshal(e.Body, &ecos) == nil && ecos != nil {
			return 0, ecos, nil
		}
		// Imported before the coverage was kept: read again.
	}
	vs, err := ReadExport(path)
	if err != nil {
		return 0, nil, err
	}
	if err := st.PutVulns(ctx, vs); err != nil {
		return 0, nil, fmt.Errorf("osv export %s: %w", path, err)
	}
	ecos := Coverage(path, vs)
	body, _ := json.Marshal(append([]string{}, ecos...))
	return len(vs), ecos, st.CachePut(ctx, key, stamp, body)
}

// Coverage is the honest reading of which ecosystems an export holds all
// the advisories of, so that a component of another ecosystem is not
// reported clear for want of data:
//
//   - An export named after an OSV ecosystem covers that ecosystem only:
//     Maven.zip, Maven/all.zip (osv.dev's layout), a folder named Go. A
//     per-ecosystem all.zip also holds records that name other
//     ecosystems besides (an advisory on a Maven and an npm package), but
//     it is not the other ecosystems' export: they are not covered.
//   - Otherwise (advisories.zip, a folder osv/) it covers the ecosystems
//     its records name in their affected packages (the part before ":",
//     Debian:12 → Debian). A record naming two ecosystems makes both
//     covered: name the export after its ecosystem when it is one
//     ecosystem's export. An export whose records name no ecosystem (or
//     that holds none) covers nothing.
//
// Names compare case-insensitively and come back in OSV's spelling.
func Coverage(path string, vs []store.Vuln) []string {
	if eco := pathEcosystem(path); eco != "" {
		return []string{eco}
	}
	seen := map[string]bool{}
	out := []string{}
	for _, v := range vs {
		for _, p := range v.Packages {
			eco := canonicalEcosystem(p[0])
			if eco != "" && !seen[strings.ToLower(eco)] {
				seen[strings.ToLower(eco)] = true
				out = append(out, eco)
			}
		}
	}
	sort.Strings(out)
	return out
}

// knownEcosystems are the OSV ecosystems of the purl types the SBOM
// import knows (sbom.OSVEcosystem), by lower-case name.
var knownEcosystems = func() map[string]string {
	m := map[string]string{}
	for _, t := range []string{"maven", "npm", "pypi", "golang", "cargo", "nuget", "gem", "composer", "hex", "pub",
		"cocoapods", "swift", "hackage", "cran", "conan", "deb", "apk", "rpm", "github"} {
		if eco := sbom.OSVEcosystem(t); eco != "" {
			m[strings.ToLower(eco)] = eco
		}
	}
	return m
}()

// canonicalEcosystem is an ecosystem name without its release suffix
// (Debian:12 → Debian), in OSV's spelling when known.
func canonicalEcosystem(s string) string {
	s, _, _ = strings.Cut(strings.TrimSpace(s), ":")
	if eco, ok := knownEcosystems[strings.ToLower(s)]; ok {
		return eco
	}
	return s
}

// pathEcosystem is the known ecosystem an export's path names: the file
// name without .zip (Maven.zip), the folder of an all.zip
// (Maven/all.zip), or a folder's name (Go); "" if none.
func pathEcosystem(path string) string {
	base := filepath.Base(filepath.Clean(path))
	name := base
	if strings.HasSuffix(strings.ToLower(name), ".zip") {
		name = name[:len(name)-len(".zip")]
	}
	if strings.EqualFold(name, "all") {
		name = filepath.Base(filepath.Dir(filepath.Clean(path)))
	}
	return knownEcosystems[strings.ToLower(name)]
}

// kevFile is the CISA Known Exploited Vulnerabilities catalogue format.
type kevFile struct {
	CatalogVersion  string `json:"catalogVersion"`
	Vulnerabilities []struct {
		CVE       string `json:"cveID"`
		Vendor    string `json:"vendorProject"`
		Product   string `json:"product"`
		Name      string `json:"vulnerabilityName"`
		DateAdded string `json:"dateAdded"`
		DueDate   string `json:"dueDate"`
	} `json:"vulnerabilities"`
}

// ImportKEV reads a CISA KEV JSON file and stores it.
func ImportKEV(ctx context.Context, st *store.Store, path string) (int, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return 0, fmt.Errorf("osv.kev: %w", err)
	}
	var f kevFile
	if err := json.Unmarshal(data, &f); err != nil {
		return 0, fmt.Errorf("%s: not a CISA KEV JSON file: %s", path, jsonErr(data, err))
	}
	if f.Vulnerabilities == nil {
		return 0, fmt.Errorf("%s: not a CISA KEV JSON file: no \"vulnerabilities\" list", path)
	}
	var es []store.KEVEntry
	for i, v := range f.Vulnerabilities {
		if !strings.HasPrefix(v.CVE, "CVE-") {
			return 0, fmt.Errorf("%s: vulnerabilities[%d]: cveID %q is not a CVE id", path, i, v.CVE)
		}
		es = append(es, store.KEVEntry{CVE: v.CVE, Vendor: v.Vendor, Product: v.Product, Name: v.Name, DateAdded: v.DateAdded, DueDate: v.DueDate})
	}
	return len(es), st.PutKEV(ctx, es)
}
