package server

import (
	"cmp"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"mime"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"time"
)

// reportName is the only shape of file the server hands out: the report
// writers' osgauge-<period>.<format>. A period is 2026Q4, 2026-11 or
// 2026-10-01..2026-12-31: letters, digits, dashes and dots, no slash.
var reportName = regexp.MustCompile(`^osgauge-([0-9A-Za-z][0-9A-Za-z.\-]{0,63})\.(xlsx|html|json)$`)

// Content-Security-Policy of the dashboard: one self-contained file whose
// scripts (ECharts and the dashboard's own) and styles are inline; it
// loads nothing, posts nothing and is not framed.
const dashboardCSP = "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data: blob:; font-src data:; " +
	"connect-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"

// The report list has no script at all.
const listCSP = "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"

type reportFile struct {
	Name     string    `json:"name"`
	Format   string    `json:"format"`
	Size     int64     `json:"size"`
	Modified time.Time `json:"modified"`
	URL      string    `json:"url"`
}

type reportPeriod struct {
	Period   string       `json:"period"`
	Modified time.Time    `json:"modified"`
	Files    []reportFile `json:"files"`
}

// listReports returns the report files of the directory, newest period
// (by modification time) first. A missing directory has none.
func (s *Server) listReports() ([]reportPeriod, error) {
	entries, err := os.ReadDir(s.opt.ReportDir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	byPeriod := map[string]*reportPeriod{}
	for _, e := range entries {
		m := reportName.FindStringSubmatch(e.Name())
		if m == nil || !e.Type().IsRegular() {
			continue
		}
		info, err := e.Info()
		if err != nil {
			continue
		}
		p := byPeriod[m[1]]
		if p == nil {
			p = &reportPeriod{Period: m[1]}
			byPeriod[m[1]] = p
		}
		p.Files = append(p.Files, reportFile{Name: e.Name(), Format: m[2], Size: info.Size(), Modified: info.ModTime(), URL: "/reports/" + e.Name()})
		if info.ModTime().After(p.Modified) {
			p.Modified = info.ModTime()
		}
	}
	var out []reportPeriod
	for _, p := range byPeriod {
		slices.SortFunc(p.Files, func(a, b reportFile) int { return cmp.Compare(a.Format, b.Format) })
		out = append(out, *p)
	}
	slices.SortFunc(out, func(a, b reportPeriod) int {
		if c := b.Modified.Compare(a.Modified); c != 0 {
			return c
		}
		return cmp.Compare(b.Period, a.Period)
	})
	return out, nil
}

func htmlHeaders(w http.ResponseWriter, csp string) {
	w.Header().Set("Content-Security-Policy", csp)
	w.Header().Set("Cache-Control", "no-cache")
}

// dashboard serves the newest HTML report.
func (s *Server) dashboard(w http.ResponseWriter, r *http.Request) {
	periods, err := s.listReports()
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	var newest *reportFile
	for _, p := range periods {
		for _, f := range p.Files {
			if f.Format == "html" && (newest == nil || f.Modified.After(newest.Modified)) {
				newest = &f
			}
		}
	}
	if newest == nil {
		htmlHeaders(w, listCSP)
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.WriteHeader(http.StatusNotFound)
		noDashboard.Execute(w, nil)
		return
	}
	s.serveReport(w, r, newest.Name)
}

func (s *Server) reportList(w http.ResponseWriter, r *http.Request) {
	periods, err := s.listReports()
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	if periods == nil {
		periods = []reportPeriod{}
	}
	if wantsJSON(r) {
		writeJSON(w, http.StatusOK, map[string]any{"reports": periods})
		return
	}
	htmlHeaders(w, listCSP)
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	if err := reportListPage.Execute(w, periods); err != nil {
		s.opt.Logger.Error("report list", "err", err)
	}
}

func wantsJSON(r *http.Request) bool {
	if r.URL.Query().Get("format") == "json" {
		return true
	}
	for _, part := range strings.Split(r.Header.Get("Accept"), ",") {
		mt, _, _ := mime.ParseMediaType(strings.TrimSpace(part))
		switch mt {
		case "application/json":
			return true
		case "text/html":
			return false
		}
	}
	return false
}

func (s *Server) reportFile(w http.ResponseWriter, r *http.Request) {
	s.serveReport(w, r, r.PathValue("file"))
}

// serveReport serves one report file by name. The name must be a report
// name (no separators, no "..", nothing but osgauge-<period>.<format>),
// and it is opened through an os.Root of the report directory, which
// refuses to leave it (symlinks included).
func (s *Server) serveReport(w http.ResponseWriter, r *http.Request, name string) {
	m := reportName.FindStringSubmatch(name)
	if m == nil || filepath.Base(name) != name {
		writeError(w, http.StatusNotFound, "no such report: reports are named osgauge-<period>.xlsx, .html or .json")
		return
	}
	root, err := os.OpenRoot(s.opt.ReportDir)
	if err != nil {
		writeError(w, http.StatusNotFound, "no reports yet")
		return
	}
	defer root.Close()
	f, err := root.Open(name)
	if err != nil {
		writeError(w, http.StatusNotFound, "no such report")
		return
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil || !info.Mode().IsRegular() {
		writeError(w, http.StatusNotFound, "no such report")
		return
	}
	switch m[2] {
	case "html":
		htmlHeaders(w, dashboardCSP)
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		if id, ok := s.signedIn(r); ok { // the dashboard says who is signed in (oidc.go)
			s.serveSignedIn(w, f, id)
			return
		}
	case "json":
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
	case "xlsx":
		w.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
		w.Header().Set("Content-Disposition", `attachment; filename="`+name+`"`)
	}
	http.ServeContent(w, r, name, info.ModTime(), f)
}

var noDashboard = template.Must(template.New("none").Parse(`<!doctype html>
<html><head><meta charset="utf-8"><title>osgauge</title></head>
<body style="font-family:sans-serif;margin:2em">
<h1>No dashboard yet</h1>
<p>The report job writes it (schedule.report), or start it now:
<code>curl -X POST -H 'Authorization: Bearer …' -H 'Content-Type: application/json' -d '{"kind":"report"}' /api/v1/runs</code>.</p>
<p><a href="/reports/">Reports</a> · <a href="/api/v1/status">Status</a></p>
</body></html>
`))

var reportListPage = template.Must(template.New("list").Funcs(template.FuncMap{
	"when": func(t time.Time) string { return t.Local().Format("2006-01-02 15:04") },
	"size": func(n int64) string {
		switch {
		case n >= 1<<20:
			return fmt.Sprintf("%.1f MB", float64(n)/(1<<20))
		case n >= 1<<10:
			return fmt.Sprintf("%.0f KB", float64(n)/(1<<10))
		}
		return fmt.Sprintf("%d B", n)
	},
}).Parse(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>osgauge reports</title>
<style>body{font-family:sans-serif;margin:2em}table{border-collapse:collapse}td,th{padding:.3em .8em;border-bottom:1px solid #ddd;text-align:left}</style>
</head><body>
<h1>osgauge reports</h1>
<p><a href="/">Latest dashboard</a> · <a href="/api/v1/status">Status</a></p>
{{if .}}<table>
<tr><th>Period</th><th>Updated</th><th>Downloads</th></tr>
{{range .}}<tr><td>{{.Period}}</td><td>{{when .Modified}}</td><td>{{range .Files}}<a href="{{.URL}}"{{if ne .Format "html"}} download{{end}}>{{.Format}}</a> ({{size .Size}}) {{end}}</td></tr>
{{end}}</table>{{else}}<p>No reports yet.</p>{{end}}
</body></html>
`))
