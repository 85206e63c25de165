// Package affiliation holds the rules every source uses to group authors
// into organisations and to compute the CHAOSS bus and elephant factors,
// so that git history and GitHub count alike.
package affiliation

import (
	"sort"
	"strings"
)

// publicMailDomains are mail services anyone can sign up for: an author
// there speaks for no organisation, so each is their own.
var publicMailDomains = map[string]bool{}

func init() {
	for _, d := range []string{
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
	} {
		publicMailDomains[d] = true
	}
}

// IndependentPrefix marks an organisation key that stands for one person.
const IndependentPrefix = "independent:"

// IsPublicMail reports whether domain is a public mail service.
func IsPublicMail(domain string) bool { return publicMailDomains[domain] }

// DomainOrg is the organisation of an e-mail address: its domain, or
// "independent:<who>" for public mail, no-reply and local addresses and
// addresses without a domain.
func DomainOrg(email, who string) string {
	at := strings.LastIndexByte(email, '@')
	if at < 0 || at == len(email)-1 {
		return IndependentPrefix + who
	}
	domain := email[at+1:]
	if publicMailDomains[domain] || strings.Contains(domain, "noreply") ||
		strings.HasSuffix(domain, ".local") || strings.HasSuffix(domain, ".localdomain") {
		return IndependentPrefix + who
	}
	return domain
}

// IsIndependent reports whether an organisation key stands for one person.
func IsIndependent(org string) bool { return strings.HasPrefix(org, IndependentPrefix) }

// Share is one key's count.
type Share struct {
	Key string
	N   int
}

// Ranked returns the counts sorted by count descending, then key.
func Ranked(counts map[string]int) []Share {
	out := make([]Share, 0, len(counts))
	for k, n := range counts {
		out = append(out, Share{k, n})
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].N != out[j].N {
			return out[i].N > out[j].N
		}
		return out[i].Key < out[j].Key
	})
	return out
}

// Factor is the fewest keys whose counts together reach at least half of
// total (the CHAOSS bus / elephant factor); 0 when total is 0.
func Factor(r []Share, total int) int {
	if total == 0 {
		return 0
	}
	sum := 0
	for i, s := range r {
		sum += s.N
		if 2*sum >= total {
			return i + 1
		}
	}
	return len(r)
}
