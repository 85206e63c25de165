package github

import (
	"sort"
	"strings"
)

// The organisation rules follow collectors/gitlocal, so that both sources
// count organisations alike: an author's organisation is the e-mail domain,
// and an author on a public mail service (or a no-reply or local address)
// is an independent who counts as their own organisation. GitHub adds the
// profile's company field, which, when set, wins over the e-mail domain.

// publicMailDomains are mail services anyone can sign up for (the same list
// as gitlocal's).
var publicMailDomains = setOf(
	"gmail.com", "googlemail.com",
	"qq.com", "vip.qq.com", "foxmail.com",
	"163.com", "vip.163.com", "126.com", "188.com", "yeah.net",
	"sina.com", "sina.cn", "sohu.com", "aliyun.com", "139.com",
	"outlook.com", "hotmail.com", "live.com", "msn.com",
	"yahoo.com", "ymail.com", "yahoo.co.jp",
	"icloud.com", "me.com", "mac.com",
	"protonmail.com", "proton.me", "pm.me",
	"users.noreply.github.com",
	"gmx.de", "gmx.net", "web.de",
	"mail.ru", "yandex.ru", "yandex.com",
	"aol.com", "zoho.com", "fastmail.com", "tutanota.com", "hey.com",
	"naver.com", "hanmail.net",
	"localhost", "localhost.localdomain", "(none)",
)

func setOf(xs ...string) map[string]bool {
	m := make(map[string]bool, len(xs))
	for _, x := range xs {
		m[x] = true
	}
	return m
}

const independentPrefix = "independent:"

// domainOrg is the organisation of an e-mail address: its domain, or
// "independent:<who>" for public mail, no-reply and local addresses and
// addresses without a domain.
func domainOrg(email, who string) string {
	at := strings.LastIndexByte(email, '@')
	if at < 0 || at == len(email)-1 {
		return independentPrefix + who
	}
	domain := email[at+1:]
	if publicMailDomains[domain] || strings.Contains(domain, "noreply") ||
		strings.HasSuffix(domain, ".local") || strings.HasSuffix(domain, ".localdomain") {
		return independentPrefix + who
	}
	return domain
}

func emailDomain(email string) string {
	if at := strings.LastIndexByte(email, '@'); at >= 0 && at < len(email)-1 {
		return email[at+1:]
	}
	return ""
}

func isIndependent(org string) bool { return strings.HasPrefix(org, independentPrefix) }

// companySuffixes are legal-form endings dropped so that "Example Inc." and
// "example" are one organisation.
var companySuffixes = []string{
	" co., ltd", " co.,ltd", " co. ltd", " co ltd", " company limited", " corporation", " limited",
	" inc", " ltd", " llc", " gmbh", " corp", " plc", " s.a", " sa", " ag", " bv", " b.v",
}

// selfEmployed are company fields that name no organisation.
var selfEmployed = setOf("self", "self-employed", "selfemployed", "freelance", "freelancer", "independent",
	"personal", "student", "none", "n/a", "na", "-", "home", "private", "individual", "个人", "无")

// normCompany turns a profile's company field into an organisation key:
// lower case, the first "@org" mention or the part before a comma, legal
// form dropped. ok is false when the field names no organisation (empty or
// self-employed).
func normCompany(s string) (key string, ok bool) {
	s = strings.ToLower(strings.TrimSpace(s))
	if s == "" {
		return "", false
	}
	if strings.HasPrefix(s, "@") { // "@acme @other": the first mention
		s = strings.Fields(s)[0]
	}
	s = strings.TrimLeft(s, "@")
	for _, sep := range []string{" / ", " | ", "; "} {
		if i := strings.Index(s, sep); i > 0 {
			s = s[:i]
		}
	}
	s = strings.Join(strings.Fields(s), " ")
	s = strings.TrimRight(s, ".,;:!")
	for changed := true; changed; {
		changed = false
		for _, suf := range companySuffixes {
			if strings.HasSuffix(s, suf) && len(s) > len(suf) {
				s = strings.TrimRight(strings.TrimSuffix(s, suf), " ,.")
				changed = true
			}
		}
	}
	if s == "" || selfEmployed[s] {
		return "", false
	}
	return s, true
}

// domainLabel is the name part of a domain: "mail.example.com" → "example",
// "example.com.cn" → "example".
func domainLabel(domain string) string {
	parts := strings.Split(domain, ".")
	if len(parts) < 2 {
		return domain
	}
	parts = parts[:len(parts)-1] // top-level domain
	if len(parts) >= 2 {
		switch parts[len(parts)-1] {
		case "com", "co", "net", "org", "ac", "gov", "edu":
			parts = parts[:len(parts)-1]
		}
	}
	return parts[len(parts)-1]
}

// share is one key's count.
type share struct {
	key string
	n   int
}

// ranked returns the counts sorted by count descending, then key.
func ranked(counts map[string]int) []share {
	out := make([]share, 0, len(counts))
	for k, n := range counts {
		out = append(out, share{k, n})
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].n != out[j].n {
			return out[i].n > out[j].n
		}
		return out[i].key < out[j].key
	})
	return out
}

// factor is the fewest keys whose counts together reach at least half of
// total (the CHAOSS bus / elephant factor, as gitlocal computes it); 0 when
// total is 0.
func factor(r []share, total int) int {
	if total == 0 {
		return 0
	}
	sum := 0
	for i, s := range r {
		sum += s.n
		if 2*sum >= total {
			return i + 1
		}
	}
	return len(r)
}
