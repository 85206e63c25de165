package main

import (
	"fmt"
	"os"

	"github.com/spf13/cobra"

	"github.com/osgauge/osgauge/models"
)

func newModel(g *globals) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "model",
		Short: "List, export and validate scoring models",
		Long: `Models are data. Export a built-in model, change weights or thresholds, point
the config at your copy (models: {project-health: my.yaml}), and osgauge
validates it and records its hash with every result.`,
	}
	cmd.AddCommand(&cobra.Command{
		Use:   "list",
		Short: "List the built-in models",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			fmt.Fprintf(cmd.OutOrStdout(), "%-20s %-8s %-12s %s\n", "ID", "VERSION", "SUBJECT", "CONTENTS")
			for _, id := range models.BuiltinIDs() {
				m, err := models.Builtin(id)
				if err != nil {
					return err
				}
				fmt.Fprintf(cmd.OutOrStdout(), "%-20s %-8s %-12s %d dimensions, %d indicators  %s\n",
					m.ID, m.Version, m.Subject, len(m.Dimensions), len(m.IndicatorIDs()), m.Name.En)
			}
			return nil
		},
	}, &cobra.Command{
		Use:   "export ID",
		Short: "Print a built-in model's YAML (to edit and use as an override)",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			data, err := models.BuiltinSource(args[0])
			if err != nil {
				return err
			}
			_, err = cmd.OutOrStdout().Write(data)
			return err
		},
	}, &cobra.Command{
		Use:   "validate FILE",
		Short: "Check a model file; errors name the line",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			data, err := os.ReadFile(args[0])
			if err != nil {
				return err
			}
			m, err := models.Parse(args[0], data)
			if err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "%s: ok (model %s %s, %s)\n", args[0], m.ID, m.Version, m.Hash)
			return nil
		},
	})
	return cmd
}
