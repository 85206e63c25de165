package main

import (
	"fmt"
	"io"
	"io/fs"
	"path/filepath"

	"github.com/spf13/cobra"

	"github.com/osgauge/osgauge/config"
	"github.com/osgauge/osgauge/examples"
)

func newInit() *cobra.Command {
	var dir string
	var force bool
	cmd := &cobra.Command{
		Use:   "init",
		Short: "Write a starter osgauge.yaml and example questionnaires",
		Long: `init writes osgauge.yaml, suppliers/*.yaml and self-assessment.yaml into the
directory (default: the current one). Existing files are kept unless --force.
Edit osgauge.yaml to list your projects and suppliers, then 'osgauge run'.
It prints the next steps: the git clone commands for the example projects'
local_path, and the GITHUB_TOKEN variable for forge data ('osgauge run'
works offline meanwhile).`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			written, err := examples.Write(dir, force)
			for _, p := range written {
				fmt.Fprintln(cmd.OutOrStdout(), "wrote", p)
			}
			if err == nil && len(written) == 0 {
				fmt.Fprintln(cmd.OutOrStdout(), "nothing written: the files exist already (use --force to overwrite)")
			}
			if err == nil {
				err = initNext(cmd.OutOrStdout(), dir)
			}
			return err
		},
	}
	cmd.Flags().StringVar(&dir, "dir", ".", "directory to write into")
	cmd.Flags().BoolVar(&force, "force", false, "overwrite existing files")
	return cmd
}

// initNext says what to do after init, from the starter config itself:
// the clones its projects' local_path expect, the token its github section
// names, and that run works offline meanwhile.
func initNext(w io.Writer, dir string) error {
	data, err := fs.ReadFile(examples.FS(), "osgauge.yaml")
	if err != nil {
		return err
	}
	c, err := config.Parse(filepath.Join(dir, "osgauge.yaml"), data)
	if err != nil {
		return err
	}
	fmt.Fprintln(w, "\nNext:")
	fmt.Fprintln(w, "  1. Clone the example projects where their local_path in osgauge.yaml points (gitlocal and")
	fmt.Fprintln(w, "     Scorecard's local checks read the clones):")
	for _, p := range c.Projects {
		if p.Repo == "" || p.LocalPath == "" {
			continue
		}
		fmt.Fprintf(w, "       git clone %s %s\n", p.Repo, c.Resolve(p.LocalPath))
	}
	fmt.Fprintf(w, "  2. For forge data (stars, issues, releases, archived), set a GitHub token in %s\n", c.GitHub.TokenEnv)
	fmt.Fprintf(w, "     (the variable github.token_env names; read-only public access is enough): export %s=…\n", c.GitHub.TokenEnv)
	fmt.Fprintf(w, "  3. osgauge run --config %s\n", filepath.Join(dir, "osgauge.yaml"))
	fmt.Fprintln(w, "     It works offline meanwhile: a source without its clone or token is skipped with the reason,")
	fmt.Fprintln(w, "     and the indicators it feeds are shown as inconclusive, never as zero.")
	return nil
}
