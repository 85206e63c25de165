package main

import (
	"fmt"
	"os"

	"github.com/osgauge/osgauge/collectors"
	"github.com/osgauge/osgauge/collectors/affiliation"
	"github.com/osgauge/osgauge/collectors/forge"
	"github.com/osgauge/osgauge/collectors/gitee"
	"github.com/osgauge/osgauge/collectors/github"
	"github.com/osgauge/osgauge/collectors/gitlab"
	"github.com/osgauge/osgauge/config"
	"github.com/osgauge/osgauge/store"
)

// forgeCollectors builds one collector per forge source (github, gitlab,
// gitee, gitcode), each serving every configured host of its type. Tokens
// are read here from the variables the config names and only handed to
// the transports. gh is the github: section's collector, whose transport
// scorecard's github mode shares.
func forgeCollectors(cfg *config.Config, st *store.Store, ids *affiliation.Identities) (out []collectors.Collector, gh *github.Collector, err error) {
	byType := map[string][]collectors.Collector{}
	for i, f := range cfg.AllForges() {
		token := os.Getenv(f.TokenEnv)
		source := f.Type
		notify := func(msg string) { fmt.Fprintln(os.Stderr, source+":", msg) }
		where := fmt.Sprintf("forges entry for %s", f.WebHost)
		if i == 0 {
			where = "github.api_url"
		}
		var c collectors.Collector
		switch f.Type {
		case "github":
			g, e := github.New(github.Options{APIURL: f.APIURL, Token: token, Concurrency: f.Concurrency, Cache: st, Identities: ids, Notify: notify})
			if i == 0 {
				gh = g
			}
			c, err = g, e
		case "gitlab":
			c, err = gitlab.New(gitlab.Options{APIURL: f.APIURL, WebHost: f.WebHost, Token: token, Concurrency: f.Concurrency, Cache: st, Identities: ids, Notify: notify})
		case "gitee", "gitcode":
			c, err = gitee.New(gitee.Options{Kind: f.Type, APIURL: f.APIURL, WebHost: f.WebHost, Token: token, Concurrency: f.Concurrency, Cache: st, Identities: ids, Notify: notify})
		default:
			err = fmt.Errorf("unknown forge type %q", f.Type)
		}
		if err != nil {
			return nil, nil, fmt.Errorf("%s: %s: %w", cfg.Path, where, err)
		}
		byType[f.Type] = append(byType[f.Type], c)
	}
	for _, t := range config.ForgeTypes {
		switch cs := byType[t]; len(cs) {
		case 0:
		case 1:
			out = append(out, cs[0])
		default:
			out = append(out, &forge.ByHost{Source: t, Instances: cs})
		}
	}
	return out, gh, nil
}
