package config

import (
	"os"
	"strings"
	"testing"
)

// FuzzParse: no config text panics the reader, and every error names the
// file. Inputs naming an exceptions file are skipped (Parse would read
// that file from disk).
func FuzzParse(f *testing.F) {
	if b, err := os.ReadFile("../examples/osgauge.yaml"); err == nil {
		f.Add(b)
	}
	for _, s := range []string{
		"", "{}", "institution: {name: Bank}\n",
		"store: {driver: postgres, dsn: 'postgres://u@h/db'}\n",
		"github: {api_url: 'http://[::1', concurrency: 0}\n",
		"schedule: {collect: '@every 1h', report: '61 * * * *'}\n",
		"projects:\n  - {name: a, repo: https://github.com/o/a, use_type: deep, facts: {governance: foundation}}\n  - {name: a}\n",
		"forges:\n  - {type: gitlab, web_host: gitlab.example, api_url: https://gitlab.example/api/v4/}\n",
		"report: {lang: fr, formats: [pdf]}\n", "a: &a [*a]\n", "\xef\xbb\xbf- 1\n", "projects: !!map {}\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		if strings.Contains(strings.ToLower(string(data)), "exceptions") {
			return
		}
		c, err := Parse("fuzz.yaml", data)
		if err != nil {
			if !strings.HasPrefix(err.Error(), "fuzz.yaml: ") {
				t.Fatalf("error without the file: %v", err)
			}
			return
		}
		if c.Path != "fuzz.yaml" {
			t.Fatalf("path %q", c.Path)
		}
	})
}
