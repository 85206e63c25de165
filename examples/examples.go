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

// FS returns the embedded examples.
func FS() fs.FS { return files }

// Write copies the examples into dir. Existing files are kept unless
// overwrite is set; the paths written are returned.
func Write(dir string, overwrite bool) ([]string, error) {
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
