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
// read again.
func ImportExport(ctx context.Context, st *store.Store, path string) (int, error) {
	fi, err := os.Stat(path)
	if err != nil {
		return 0, fmt.Errorf("osv export: %w", err)
	}
	key := "osv:export:" + path
	stamp := fmt.Sprintf("%d-%d", fi.Size(), fi.ModTime().UnixNano())
	if e, ok, err := st.CacheGet(ctx, key); err == nil && ok && e.ETag == stamp && !fi.IsDir() {
		return 0, nil
	}
	vs, err := ReadExport(path)
	if err != nil {
		return 0, err
	}
	if err := st.PutVulns(ctx, vs); err != nil {
		return 0, fmt.Errorf("osv export %s: %w", path, err)
	}
	return len(vs), st.CachePut(ctx, key, stamp, nil)
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
