package affiliation

import (
	"strings"
	"testing"
)

func TestBots(t *testing.T) {
	ids := NewIdentities([]string{"release-robot@bank.example", "Build Person"}, []string{"talbot@bank.example"})
	cases := []struct {
		name, email, login string
		bot                bool
	}{
		{"dependabot[bot]", "49699333+dependabot[bot]@users.noreply.github.com", "", true},
		{"Karmada Bot", "101226588+karmada-bot@users.noreply.github.com", "", true}, // merge bot: "-bot" login
		{"", "", "k8s-ci-robot", true},                             // "-robot" login
		{"Renovate", "renovate@whitesourcesoftware.com", "", true}, // built-in list
		{"GitHub", "noreply@github.com", "", true},                 // web-flow
		{"CI", "mergebot@bank.example", "", true},                  // "bot@"
		{"Release", "release-robot@bank.example", "", true},        // configured, by e-mail
		{"Build Person", "bp@bank.example", "", true},              // configured, by name
		{"Talbot", "talbot@bank.example", "", false},               // "bot@" but listed in humans
		{"Ann Abbott", "ann@bank.example", "annbot", false},        // a login ending in "bot" without a separator is a person
		{"Robert", "robert@bank.example", "", false},
		{"Bo Tang", "bo.t@bank.example", "", false},
	}
	for _, c := range cases {
		if got := ids.Resolve(c.name, c.email, c.login); got.Bot != c.bot {
			t.Errorf("Resolve(%q, %q, %q).Bot = %v (%s), want %v", c.name, c.email, c.login, got.Bot, got.BotWhy, c.bot)
		}
	}
	if !IsBot("", "", "codecov") || IsBot("Ann", "ann@bank.example", "") {
		t.Error("package IsBot disagrees with the built-in rules")
	}
}

func TestNoreplyLoginAndKeys(t *testing.T) {
	for email, want := range map[string]string{
		"12345+Octocat@users.noreply.github.com": "octocat",
		"octocat@users.noreply.github.com":       "octocat",
		"octocat@github.com":                     "",
		"1+x[bot]@users.noreply.github.com":      "x[bot]",
	} {
		if got := NoreplyLogin(email); got != want {
			t.Errorf("NoreplyLogin(%q) = %q, want %q", email, got, want)
		}
	}
	var ids *Identities // nil: built-in rules, no mailmap
	a := ids.Resolve("Oct O. Cat", "12345+octocat@users.noreply.github.com", "")
	b := ids.Resolve("Octocat", "octocat@users.noreply.github.com", "")
	c := ids.Resolve("Octocat", "oc@corp.example", "OctoCat") // a forge login beats the e-mail
	if a.Key != "@octocat" || b.Key != a.Key || c.Key != a.Key {
		t.Errorf("keys %q %q %q, want @octocat for all", a.Key, b.Key, c.Key)
	}
	if d := ids.Resolve("Dee", "Dee@Corp.Example", ""); d.Key != "dee@corp.example" {
		t.Errorf("key = %q", d.Key)
	}
	if e := ids.Resolve("Eve", "", ""); e.Key != "name:eve" {
		t.Errorf("key = %q", e.Key)
	}
}

func TestMailmap(t *testing.T) {
	const mm = `# people
Ann Example <ann@bank.example> <ann.old@gmail.com>
<ann@bank.example> <ANN@laptop.local>   # e-mail only
Bob Proper <bob@bank.example> Bobby <bob@home.example>
Carl Name <carl@bank.example>
`
	m, err := ParseMailmap(strings.NewReader(mm), ".mailmap")
	if err != nil {
		t.Fatal(err)
	}
	if m.Len() != 4 {
		t.Errorf("Len = %d, want 4", m.Len())
	}
	cases := []struct{ name, email, wantName, wantEmail string }{
		{"ann", "Ann.Old@gmail.com", "Ann Example", "ann@bank.example"},
		{"Ann on laptop", "ann@laptop.local", "Ann on laptop", "ann@bank.example"}, // e-mail only: name kept
		{"bobby", "bob@home.example", "Bob Proper", "bob@bank.example"},            // name matches, any case
		{"Robert", "bob@home.example", "Robert", "bob@home.example"},               // other name: no entry applies
		{"c", "carl@bank.example", "Carl Name", "carl@bank.example"},
		{"Dee", "dee@x.example", "Dee", "dee@x.example"},
	}
	for _, c := range cases {
		n, e := m.Map(c.name, c.email)
		if n != c.wantName || e != c.wantEmail {
			t.Errorf("Map(%q, %q) = %q, %q; want %q, %q", c.name, c.email, n, e, c.wantName, c.wantEmail)
		}
	}
	// Two e-mails of one person are one key after the mailmap.
	ids := NewIdentities(nil, nil).WithMailmap(m)
	if a, b := ids.Resolve("ann", "ann.old@gmail.com", ""), ids.Resolve("Ann", "ann@laptop.local", ""); a.Key != b.Key || a.Key != "ann@bank.example" {
		t.Errorf("keys %q and %q, want both ann@bank.example", a.Key, b.Key)
	}
}

func TestMailmapErrors(t *testing.T) {
	for text, want := range map[string]string{
		"ok <a@b>\nno address here\n":     ".mailmap:2: no <e-mail> on the line",
		"<only@email.example>\n":          ".mailmap:1: an entry with one e-mail needs a proper name",
		"A <a@b\n":                        ".mailmap:1: unclosed '<'",
		"\n\n# c\nA <a@b> <c@d> # note\n": "",
		// git reads the first two e-mails and ignores the rest of the line.
		"A <a@b> <c@d> <e@f>\n":        "",
		"A <a@b> <c@d> (old laptop)\n": "",
	} {
		m, err := ParseMailmap(strings.NewReader(text), ".mailmap")
		if m == nil || m.Len() != strings.Count(text, "<a@b>") {
			t.Errorf("%q: the understood lines must be kept, got %d entries", text, m.Len())
		}
		switch {
		case want == "" && err != nil:
			t.Errorf("%q: unexpected error %v", text, err)
		case want != "" && (err == nil || !strings.Contains(err.Error(), want)):
			t.Errorf("%q: error %v, want %q", text, err, want)
		case err != nil && strings.Contains(err.Error(), "@"):
			t.Errorf("%q: the error %q shows an e-mail address", text, err)
		}
	}
	m, _ := ParseMailmap(strings.NewReader("Jane Doe <jane@new.org> <jd@old.org> (old laptop)\n"), ".mailmap")
	if n, e := m.Map("jd", "jd@old.org"); n != "Jane Doe" || e != "jane@new.org" {
		t.Errorf("trailing text: Map = %q %q", n, e)
	}
}
