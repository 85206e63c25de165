package forge

import (
	"strings"
)

// The organisation rules follow collectors/gitlocal, so that both sources
// count organisations alike: an author's organisation is the e-mail domain,
// and an author on a public mail service (or a no-reply or local address)
// is an independent who counts as their own organisation. A forge adds the
// profile's company field, which, when set, wins over the e-mail domain.

func setOf(xs ...string) map[string]bool {
	m := make(map[string]bool, len(xs))
	for _, x := range xs {
		m[x] = true
	}
	return m
}

func emailDomain(email string) string {
	if at := strings.LastIndexByte(email, '@'); at >= 0 && at < len(email)-1 {
		return email[at+1:]
	}
	return ""
}

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
