package main

import (
	"fmt"

	"github.com/spf13/cobra"

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
Edit osgauge.yaml to list your projects and suppliers, then 'osgauge run'.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			written, err := examples.Write(dir, force)
			for _, p := range written {
				fmt.Fprintln(cmd.OutOrStdout(), "wrote", p)
			}
			if err == nil && len(written) == 0 {
				fmt.Fprintln(cmd.OutOrStdout(), "nothing written: the files exist already (use --force to overwrite)")
			}
			return err
		},
	}
	cmd.Flags().StringVar(&dir, "dir", ".", "directory to write into")
	cmd.Flags().BoolVar(&force, "force", false, "overwrite existing files")
	return cmd
}
