package affiliation

import (
	"regexp"
	"strings"
)

// The identity layer: every source (git history, forges, supplier
// evidence) asks it who made a commit, so that people metrics count the
// same people everywhere and automation counts as nobody.

// builtinBots are automation accounts that do not end in -bot, -robot or
// [bot]: dependency updaters, CI and merge bots, code-review and coverage
// bots. Matched case-insensitively against the login, the e-mail's local
// part (and a noreply e-mail's login) and the full name.
var builtinBots = map[string]bool{}

func init() {
	for _, b := range []string{
		// dependency updaters
		"dependabot", "dependabot-preview", "renovate", "renovatebot", "greenkeeper", "greenkeeperio-bot",
		"snyk-bot", "pyup-bot", "depfu", "scala-steward", "whitesource-renovate", "mend-for-github-com",
		// CI, release and merge automation
		"github-actions", "github actions", "actions-user", "web-flow", "travis ci", "travis-ci", "jenkins",
		"jenkins-x-bot", "zuul", "gerrit code review", "openstack proposal bot", "bors", "bors-ng", "homu",
		"mergify", "kodiak", "kodiakhq", "copybara-service", "google-oss-bot", "k8s-ci-robot", "k8s-merge-robot",
		"k8s-triage-robot", "k8s-release-robot", "openshift-ci", "openshift-merge-robot", "semantic-release-bot",
		"release-please", "goreleaserbot", "pre-commit-ci", "allcontributors", "all-contributors", "imgbot",
		"imgbotapp", "stale", "gitter-badger", "transifex", "weblate", "hosted weblate", "crowdin",
		// code review, coverage and scanning
		"codecov", "codecov-io", "codecov-commenter", "coveralls", "sonarcloud", "sonarqubecloud", "deepsource",
		"deepsourcebot", "codeclimate", "lgtm-com", "netlify", "vercel", "cla-assistant", "claassistantio",
		"linux-foundation-easycla", "gitlab-bot", "gitee-bot", "ti-chi-bot", "ti-srebot",
		// identities workflows and services set with git config
		"github action", "github-action", "travis ci user", "copilot", "mergebot", "buildbot", "renovate-bot",
		"snykbot", "pyupbot", "imgbotapp",
	} {
		builtinBots[b] = true
	}
	for _, e := range []string{"action@github.com", "actions@github.com", "noreply@github.com", "travis@travis-ci.org",
		"bot@renovateapp.com", "support@dependabot.com", "noreply@gitlab.com", "noreply@gitee.com"} {
		builtinBotEmails[e] = true
	}
}

// builtinBotEmails are automation addresses (matched whole).
var builtinBotEmails = map[string]bool{}

// noreplyRE matches GitHub's no-reply addresses: ID+login@ or login@
// users.noreply.github.com.
var noreplyRE = regexp.MustCompile(`^(?:\d+\+)?([A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\[bot\])?)@users\.noreply\.github\.com$`)

// NoreplyLogin returns the GitHub login of a users.noreply.github.com
// address ("12345+octocat@…" and "octocat@…" give "octocat"), or "".
func NoreplyLogin(email string) string {
	m := noreplyRE.FindStringSubmatch(strings.ToLower(strings.TrimSpace(email)))
	if m == nil {
		return ""
	}
	return m[1]
}

// botName reports whether one account name (a login, an e-mail local part
// or a full name) looks like automation, and why. The built-in list of
// names is matched against logins and full names only (named is true):
// jenkins@smith.family is a person.
func botName(s string, named bool) (bool, string) {
	s = strings.ToLower(strings.TrimSpace(s))
	switch {
	case s == "":
		return false, ""
	case strings.HasSuffix(s, "[bot]") || strings.HasSuffix(s, "(bot)"):
		return true, `"[bot]" suffix`
	case named && builtinBots[s]:
		return true, "known automation account"
	case s == "bot" || s == "robot":
		return true, "bot account name"
	}
	for _, sep := range []string{"-", "_", ".", " "} {
		if strings.HasSuffix(s, sep+"bot") || strings.HasSuffix(s, sep+"robot") {
			return true, `"-bot"/"-robot" account name`
		}
	}
	return false, ""
}

// Identities recognises bots and merges one person's names and e-mails.
// The zero value knows the built-in bots and no mailmap.
type Identities struct {
	// extra are configured bots (identities: {bots: [...]}): an e-mail, a
	// login or a name, matched case-insensitively.
	extra map[string]bool
	// humans are configured people the rules would take for bots
	// (identities: {humans: [...]}).
	humans  map[string]bool
	mailmap *Mailmap
}

// NewIdentities returns an identity layer that also treats the given
// e-mails, logins or names as bots, and humans as people whatever the
// rules say.
func NewIdentities(bots, humans []string) *Identities {
	return &Identities{extra: lowerSet(bots), humans: lowerSet(humans)}
}

func lowerSet(list []string) map[string]bool {
	set := map[string]bool{}
	for _, b := range list {
		if b = strings.ToLower(strings.TrimSpace(b)); b != "" {
			set[strings.TrimPrefix(b, "@")] = true
		}
	}
	return set
}

// WithMailmap returns a copy that also applies m (nil: none).
func (ids *Identities) WithMailmap(m *Mailmap) *Identities {
	c := &Identities{mailmap: m}
	if ids != nil {
		c.extra, c.humans = ids.extra, ids.humans
	}
	return c
}

// Mailmap is the mailmap applied (nil if none).
func (ids *Identities) Mailmap() *Mailmap {
	if ids == nil {
		return nil
	}
	return ids.mailmap
}

// Person is who made a commit, as the identity layer sees it.
type Person struct {
	// Key identifies the person: "@login" when a login is known (from the
	// forge or a no-reply e-mail), else the lower-cased canonical e-mail,
	// else "name:<name>".
	Key   string
	Name  string // canonical name
	Email string // canonical e-mail, lower-cased
	Login string // forge login, lower-cased, "" if unknown
	Bot   bool
	// BotWhy says why Bot is set, for evidence.
	BotWhy string
}

// Resolve identifies the author of a commit from its name and e-mail and,
// when a forge knows it, the account login. The mailmap is applied first;
// bots are recognised on the original and the canonical identity.
func (ids *Identities) Resolve(name, email, login string) Person {
	name, email = strings.TrimSpace(name), strings.TrimSpace(email)
	origName, origEmail := name, strings.ToLower(email)
	if ids != nil && ids.mailmap != nil {
		name, email = ids.mailmap.Map(name, email)
	}
	p := Person{Name: name, Email: strings.ToLower(strings.TrimSpace(email)), Login: strings.ToLower(strings.TrimSpace(login))}
	if p.Login == "" {
		p.Login = NoreplyLogin(p.Email)
	}
	switch {
	case p.Login != "":
		p.Key = "@" + p.Login
	case p.Email != "":
		p.Key = p.Email
	default:
		p.Key = "name:" + strings.ToLower(name)
	}
	p.Bot, p.BotWhy = ids.isBot(origName, origEmail, p)
	return p
}

func (ids *Identities) isBot(origName, origEmail string, p Person) (bool, string) {
	names := []string{p.Login, p.Email, origEmail, strings.ToLower(p.Name), strings.ToLower(origName)}
	if ids != nil {
		for _, s := range names {
			if s != "" && ids.humans[s] {
				return false, ""
			}
		}
		for _, s := range names {
			if s != "" && ids.extra[s] {
				return true, "listed in identities.bots"
			}
		}
	}
	if builtinBotEmails[p.Email] || builtinBotEmails[origEmail] {
		return true, "known automation address"
	}
	for _, s := range []string{p.Login, NoreplyLogin(origEmail), p.Name, origName} {
		if ok, why := botName(s, true); ok {
			return true, why
		}
	}
	for _, e := range []string{p.Email, origEmail} {
		l := localPart(e)
		if ok, why := botName(l, false); ok {
			return true, why
		}
		// "…bot@" addresses: a separator or digit before "bot" (ci.bot@,
		// build2bot@) or a compound the built-in list names (mergebot@);
		// talbot@ and abbot@ are people.
		if len(l) > 3 && strings.HasSuffix(l, "bot") {
			c := l[len(l)-4]
			if c == '+' || (c >= '0' && c <= '9') || builtinBots[l] {
				return true, `"bot@" address`
			}
		}
	}
	return false, ""
}

// IsBot reports whether an account is automation by the built-in rules
// (name, e-mail or login; any may be empty).
func IsBot(name, email, login string) bool {
	var ids *Identities
	return ids.Resolve(name, email, login).Bot
}

// IsBot is IsBot with the configured bots too.
func (ids *Identities) IsBot(name, email, login string) bool {
	return ids.Resolve(name, email, login).Bot
}

func localPart(email string) string {
	if at := strings.LastIndexByte(email, '@'); at > 0 {
		return email[:at]
	}
	return ""
}
