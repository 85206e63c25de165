package license

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/osgauge/osgauge/collectors"
	"github.com/osgauge/osgauge/models"
)

const mit = `MIT License

Copyright (c) 2026 Example

Permission is hereby granted, free of charge, to any person obtaining a copy
of this software and associated documentation files (the "Software"), to deal
in the Software without restriction, including without limitation the rights
to use, copy, modify, merge, publish, distribute, sublicense, and/or sell
copies of the Software, and to permit persons to whom the Software is
furnished to do so, subject to the following conditions:

The above copyright notice and this permission notice shall be included in all
copies or substantial portions of the Software.

THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR
IMPLIED, INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY,
FITNESS FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT. IN NO EVENT SHALL THE
AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER
LIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM,
OUT OF OR IN CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN THE
SOFTWARE.
`

func collect(t *testing.T, files map[string]string) map[string]models.Observation {
	t.Helper()
	dir := t.TempDir()
	for n, b := range files {
		os.WriteFile(filepath.Join(dir, n), []byte(b), 0o644)
	}
	obs, _, err := New().Collect(context.Background(), collectors.Target{Subject: models.Subject{ID: "p"}, LocalPath: dir})
	if err != nil {
		t.Fatal(err)
	}
	m := map[string]models.Observation{}
	for _, o := range obs {
		m[o.Metric] = o
	}
	return m
}

func TestDetect(t *testing.T) {
	m := collect(t, map[string]string{"LICENSE": mit, "main.go": "package main"})
	if m["license.spdx"].Text != "MIT" || m["license.class"].Text != Permissive || *m["license.found"].Value != 1 {
		t.Errorf("MIT: %+v", m)
	}
	none := collect(t, map[string]string{"main.go": "package main"})
	if *none["license.found"].Value != 0 || none["license.class"].HasData() || none["license.class"].Reason == "" {
		t.Errorf("no licence: %+v", none)
	}
	odd := collect(t, map[string]string{"COPYING": "All rights reserved. Ask us first."})
	if *odd["license.found"].Value != 1 || odd["license.class"].Text != Unknown || odd["license.spdx"].HasData() {
		t.Errorf("unrecognised licence: %+v", odd)
	}
}

func TestStrictest(t *testing.T) {
	cases := map[string][]string{
		Permissive:      {"MIT", "Apache-2.0"},
		StrongCopyleft:  {"MIT", "GPL-3.0-only"},
		SourceAvailable: {"Apache-2.0", "SSPL-1.0"},
		NetworkCopyleft: {"AGPL-3.0-or-later", "LGPL-2.1-only"},
		Unknown:         {"Some-Custom-1.0"},
	}
	for want, ids := range cases {
		if got := Strictest(ids); got != want {
			t.Errorf("Strictest(%v) = %s, want %s", ids, got, want)
		}
	}
}
