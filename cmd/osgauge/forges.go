package main

import (
	"fmt"
	"net/http"
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
	// On PostgreSQL several workers may share the store: their transports
	// then share each credential's rate limit through it. One process on
	// SQLite keeps its budget in memory.
	var budget forge.Budget
	if st.Driver() == store.DriverPostgres {
		budget = st
	}
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
			o := github.Options{APIURL: f.APIURL, Token: token, Concurrency: f.Concurrency, Cache: st, Identities: ids, Notify: notify, Budget: budget,
				GraphQL: cfg.GitHub.GraphQL == nil || *cfg.GitHub.GraphQL} // github.graphql: false forces REST
			if i == 0 {
				if o.Credentials, err = githubCredentials(cfg, f.APIURL); err != nil {
					return nil, nil, err
				}
			}
			g, e := github.New(o)
			if i == 0 {
				gh = g
			}
			c, err = g, e
		case "gitlab":
			c, err = gitlab.New(gitlab.Options{APIURL: f.APIURL, WebHost: f.WebHost, Token: token, Concurrency: f.Concurrency, Cache: st, Identities: ids, Notify: notify, Budget: budget})
		case "gitee", "gitcode":
			c, err = gitee.New(gitee.Options{Kind: f.Type, APIURL: f.APIURL, WebHost: f.WebHost, Token: token, Concurrency: f.Concurrency, Cache: st, Identities: ids, Notify: notify, Budget: budget})
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

// githubCredentials are the github: section's credentials used in turn:
// the GitHub App installation first (its tokens renewed before they
// expire), then token_env and each of token_envs that is set. nil when
// there is at most token_env alone (the plain Token).
func githubCredentials(cfg *config.Config, apiURL string) (*forge.Credentials, error) {
	var cs []forge.Credential
	if a := cfg.GitHub.App; a != nil {
		keyFile := cfg.Resolve(a.PrivateKeyFile)
		pem, err := os.ReadFile(keyFile)
		if err != nil {
			return nil, fmt.Errorf("%s: github.app.private_key_file: %w", cfg.Path, err)
		}
		if _, err := github.ParseAppPrivateKey(pem); err != nil {
			return nil, fmt.Errorf("%s: github.app.private_key_file %s: %w", cfg.Path, keyFile, err)
		}
		src := &github.AppTokenSource{AppID: a.AppID, InstallationID: a.InstallationID, PrivateKeyPEM: pem, APIURL: apiURL, HTTPClient: &http.Client{}}
		cs = append(cs, forge.Credential{Name: src.Name(), Source: src})
	}
	for _, env := range append([]string{cfg.GitHub.TokenEnv}, cfg.GitHub.TokenEnvs...) {
		if tok := os.Getenv(env); tok != "" {
			cs = append(cs, forge.Credential{Name: env, Source: forge.StaticToken(tok)})
		}
	}
	if len(cs) <= 1 && cfg.GitHub.App == nil {
		return nil, nil
	}
	return forge.NewCredentials(cs...), nil
}
