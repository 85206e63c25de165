// Package examples embeds the sample portfolio config, supplier
// questionnaires and self-assessment that `osgauge demo` and `osgauge init`
// use, so that both work from a bare binary.
package examples

import (
	"embed"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

//go:embed osgauge.yaml self-assessment.yaml suppliers/*.yaml
var files embed.FS

// recorded is the demo's recorded portfolio (recorded/README.md): the
// observations, two systems' SBOMs and a recorded OSV advisory. `osgauge
// init` does not write it; `osgauge demo` imports it.
//
//go:embed recorded/portfolio.json recorded/README.md recorded/sboms/* recorded/osv/*.json recorded/suppliers/*.yaml recorded/self-assessment.yaml
var recorded embed.FS

// FS returns the embedded examples.
func FS() fs.FS { return files }

// RecordedFile is the recorded portfolio's path inside the examples.
const RecordedFile = "recorded/portfolio.json"

// Recorded returns the recorded portfolio's bytes.
func Recorded() ([]byte, error) { return recorded.ReadFile(RecordedFile) }

// WriteRecorded copies the recorded sample data (recorded/…) into dir,
// overwriting: the demo's SBOMs and OSV export are read from there.
func WriteRecorded(dir string) ([]string, error) { return write(recorded, dir, true) }

// Write copies the examples into dir. Existing files are kept unless
// overwrite is set; the paths written are returned.
func Write(dir string, overwrite bool) ([]string, error) { return write(files, dir, overwrite) }

func write(files embed.FS, dir string, overwrite bool) ([]string, error) {
	var written []string
	err := fs.WalkDir(files, ".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		dst := filepath.Join(dir, filepath.FromSlash(path))
		if _, err := os.Stat(dst); err == nil && !overwrite {
			return nil
		}
		data, err := files.ReadFile(path)
		if err != nil {
			return err
		}
		if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(dst, data, 0o644); err != nil {
			return fmt.Errorf("write %s: %w", dst, err)
		}
		written = append(written, dst)
		return nil
	})
	return written, err
}
