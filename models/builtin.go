package models

import (
	"embed"
	"fmt"
	"os"
	"sort"
	"strings"
)

//go:embed builtin/*.yaml
var builtinFS embed.FS

// Built-in model ids.
const (
	ProjectHealth      = "project-health"
	Supplier           = "supplier"
	GovernanceMaturity = "governance-maturity"
)

// BuiltinSource returns the YAML text of a built-in model.
func BuiltinSource(id string) ([]byte, error) {
	data, err := builtinFS.ReadFile("builtin/" + id + ".yaml")
	if err != nil {
		return nil, fmt.Errorf("no built-in model %q (have %s)", id, strings.Join(BuiltinIDs(), ", "))
	}
	return data, nil
}

// BuiltinIDs lists the built-in models.
func BuiltinIDs() []string {
	entries, _ := builtinFS.ReadDir("builtin")
	var ids []string
	for _, e := range entries {
		ids = append(ids, strings.TrimSuffix(e.Name(), ".yaml"))
	}
	sort.Strings(ids)
	return ids
}

// Builtin parses a built-in model.
func Builtin(id string) (*Model, error) {
	data, err := BuiltinSource(id)
	if err != nil {
		return nil, err
	}
	return Parse("builtin/"+id+".yaml", data)
}

// Set is the models a run uses, by id.
type Set map[string]*Model

// Load returns the built-in models, with any model replaced by the file the
// overrides map names for its id (config key models.<id>).
func Load(overrides map[string]string) (Set, error) {
	set := Set{}
	for _, id := range BuiltinIDs() {
		m, err := Builtin(id)
		if err != nil {
			return nil, err
		}
		set[id] = m
	}
	for id, path := range overrides {
		data, err := os.ReadFile(path)
		if err != nil {
			return nil, fmt.Errorf("models.%s: %w", id, err)
		}
		m, err := Parse(path, data)
		if err != nil {
			return nil, err
		}
		if m.ID != id {
			return nil, fmt.Errorf("%s: model id is %q but the config names it as models.%s", path, m.ID, id)
		}
		set[id] = m
	}
	return set, nil
}

// For returns the models that assess subjects of kind k, sorted by id.
func (s Set) For(k SubjectKind) []*Model {
	var out []*Model
	for _, m := range s {
		if m.Subject == k {
			out = append(out, m)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}
