package aliases

import (
	"bytes"
	"compress/gzip"
	_ "embed"
	"encoding/json"
	"strings"
	"sync"

	"github.com/github/go-spdx/v2/spdxexp/spdxlicenses"

	"github.com/osgauge/osgauge/licenses/aliases/internal/table"
)

//go:embed data/aliases.json.gz
var raw []byte

type data struct {
	f          table.File
	licences   map[string]string // lower-case SPDX licence id → id (as go-spdx knows them)
	exceptions map[string]string // lower-case SPDX exception id → id
}

var (
	once   sync.Once
	loaded *data
)

// load reads the embedded data once.
func load() *data {
	once.Do(func() {
		d := &data{licences: map[string]string{}, exceptions: map[string]string{}}
		zr, err := gzip.NewReader(bytes.NewReader(raw))
		if err != nil {
			panic("licenses/aliases: embedded data: " + err.Error())
		}
		if err := json.NewDecoder(zr).Decode(&d.f); err != nil {
			panic("licenses/aliases: embedded data: " + err.Error())
		}
		for _, id := range spdxlicenses.GetLicenses() {
			d.licences[strings.ToLower(id)] = id
		}
		for _, id := range spdxlicenses.GetExceptions() {
			d.exceptions[strings.ToLower(id)] = id
		}
		loaded = d
	})
	return loaded
}

// Sources lists the data sources of the embedded data, as "name version
// (licence) URL" lines, for reports that cite them.
func Sources() []string {
	var out []string
	for _, s := range load().f.Sources {
		out = append(out, s.Name+" "+s.Version+" ("+s.Licence+") "+s.URL)
	}
	return out
}
