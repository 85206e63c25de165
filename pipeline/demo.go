package pipeline

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"runtime/debug"
	"sort"
	"strings"

	"golang.org/x/mod/module"

	"github.com/osgauge/osgauge/collectors"
	"github.com/osgauge/osgauge/models"
)

// SelfModule is osgauge's own module path.
const SelfModule = "github.com/osgauge/osgauge"

// FindSelfCheckout walks up from dir to the root of an osgauge source
// checkout (a go.mod naming SelfModule inside a git work tree). It returns
// "" and the reason when dir is not inside one.
func FindSelfCheckout(dir string) (string, string) {
	dir, err := filepath.Abs(dir)
	if err != nil {
		return "", err.Error()
	}
	for d := dir; ; d = filepath.Dir(d) {
		if modulePath(filepath.Join(d, "go.mod")) == SelfModule {
			for g := d; ; g = filepath.Dir(g) {
				if _, err := os.Stat(filepath.Join(g, ".git")); err == nil {
					return d, ""
				}
				if filepath.Dir(g) == g {
					return "", "the osgauge source at " + d + " is not a git checkout"
				}
			}
		}
		if filepath.Dir(d) == d {
			return "", "not run inside an osgauge source checkout"
		}
	}
}

func modulePath(gomod string) string {
	f, err := os.Open(gomod)
	if err != nil {
		return ""
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if line := strings.TrimSpace(sc.Text()); strings.HasPrefix(line, "module ") {
			return strings.Trim(strings.TrimSpace(strings.TrimPrefix(line, "module ")), `"`)
		}
	}
	return ""
}

// ModCache returns the Go module cache directory: $GOMODCACHE, else
// $GOPATH/pkg/mod, else ~/go/pkg/mod (as the go command decides).
func ModCache() string {
	if d := os.Getenv("GOMODCACHE"); d != "" {
		return d
	}
	gopath := os.Getenv("GOPATH")
	if gopath == "" {
		home, _ := os.UserHomeDir()
		gopath = filepath.Join(home, "go")
	}
	return filepath.Join(filepath.SplitList(gopath)[0], "pkg", "mod")
}

// Dependency is one module osgauge is built from, found in the module cache.
type Dependency struct {
	Path, Version, Dir string
}

// BuildDependencies lists the modules in this binary's build info whose
// sources are in the module cache; missing ones are returned as skips.
func BuildDependencies(cache string) ([]Dependency, []Skip) {
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return nil, []Skip{{Source: "demo", Subject: "dependencies", Reason: "binary has no build info"}}
	}
	var deps []Dependency
	var skips []Skip
	for _, d := range bi.Deps {
		m := d
		if d.Replace != nil {
			m = d.Replace
		}
		if m.Version == "" {
			skips = append(skips, Skip{Source: "demo", Subject: d.Path, Reason: "replaced by a local directory"})
			continue
		}
		ep, err1 := module.EscapePath(m.Path)
		ev, err2 := module.EscapeVersion(m.Version)
		if err1 != nil || err2 != nil {
			skips = append(skips, Skip{Source: "demo", Subject: d.Path, Reason: "unusual module path"})
			continue
		}
		dir := filepath.Join(cache, filepath.FromSlash(ep)+"@"+ev)
		if fi, err := os.Stat(dir); err != nil || !fi.IsDir() {
			skips = append(skips, Skip{Source: "demo", Subject: d.Path, Reason: "source not in the module cache " + cache})
			continue
		}
		deps = append(deps, Dependency{Path: d.Path, Version: m.Version, Dir: dir})
	}
	sort.Slice(deps, func(i, j int) bool { return deps[i].Path < deps[j].Path })
	return deps, skips
}

// DependencyTarget makes a project target of a Go module.
func DependencyTarget(d Dependency) collectors.Target {
	return collectors.Target{
		Subject: models.Subject{Kind: models.KindProject, ID: d.Path, Name: d.Path, Attrs: map[string]string{
			"use_type": "simple", "version": d.Version, "origin": "go module",
			"description": fmt.Sprintf("Go module %s %s, a dependency of osgauge", d.Path, d.Version),
		}},
		LocalPath: d.Dir,
		Repo:      repoOf(d.Path),
	}
}

// repoOf guesses a module's repository from its path (github.com/o/r/v2 →
// https://github.com/o/r), so that the GitHub collector can use it when a
// token is set; "" for other hosts.
func repoOf(modulePath string) string {
	parts := strings.Split(modulePath, "/")
	if len(parts) < 3 || parts[0] != "github.com" {
		return ""
	}
	return "https://github.com/" + parts[1] + "/" + parts[2]
}

// DirSize counts the files and bytes under dir, stopping once either
// limit is passed (so that huge trees cost little to measure).
func DirSize(dir string, maxFiles int, maxBytes int64) (files int, bytes int64, over bool) {
	filepath.WalkDir(dir, func(_ string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return nil
		}
		files++
		if info, err := d.Info(); err == nil {
			bytes += info.Size()
		}
		if files > maxFiles || bytes > maxBytes {
			over = true
			return filepath.SkipAll
		}
		return nil
	})
	return files, bytes, over
}
