package affiliation

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"strings"
)

// Mailmap maps the names and e-mails commits carry to the canonical ones,
// in git's documented .mailmap format (gitmailmap(5)):
//
//	Proper Name <commit@email.xx>
//	<proper@email.xx> <commit@email.xx>
//	Proper Name <proper@email.xx> <commit@email.xx>
//	Proper Name <proper@email.xx> Commit Name <commit@email.xx>
//
// '#' at the start of a line starts a comment, and what follows the second
// e-mail is ignored (as git does). E-mails
// and names match case-insensitively, as in git. An entry naming the commit
// name is preferred to one that names only the commit e-mail.
//
// go-git does not read .mailmap, so osgauge does.
type Mailmap struct {
	byEmail map[string]*mailEntries
	n       int
}

type mailEntries struct {
	any    *mailTarget            // matches the e-mail whatever the name
	byName map[string]*mailTarget // matches e-mail and name
}

type mailTarget struct{ name, email string }

// Len is the number of entries read.
func (m *Mailmap) Len() int {
	if m == nil {
		return 0
	}
	return m.n
}

// ParseMailmap reads a .mailmap; file names it in errors ("file:line").
// Lines git would ignore (no e-mail in angle brackets) are errors here, so
// a mistyped entry is not silently dropped: the map of the lines that were
// understood is returned with an error naming every line that was not, and
// the caller decides whether that is fatal (a project's own .mailmap is
// used as far as it goes, as git does).
func ParseMailmap(r io.Reader, file string) (*Mailmap, error) {
	m := &Mailmap{byEmail: map[string]*mailEntries{}}
	var bad []error
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64*1024), 1024*1024)
	line := 0
	for sc.Scan() {
		line++
		text := strings.TrimSpace(sc.Text())
		if text == "" || text[0] == '#' {
			continue
		}
		names, emails, err := splitMailmapLine(text)
		if err != nil {
			bad = append(bad, fmt.Errorf("%s:%d: %v", file, line, err))
			continue
		}
		var proper mailTarget
		var commitName, commitEmail string
		switch len(emails) {
		case 1: // Proper Name <commit@email>
			if names[0] == "" {
				bad = append(bad, fmt.Errorf("%s:%d: an entry with one e-mail needs a proper name", file, line))
				continue
			}
			proper = mailTarget{name: names[0]}
			commitEmail = emails[0]
		default: // [Proper Name] <proper@email> [Commit Name] <commit@email>; git ignores the rest
			proper = mailTarget{name: names[0], email: emails[0]}
			commitName, commitEmail = names[1], emails[1]
		}
		m.add(strings.ToLower(commitEmail), strings.ToLower(commitName), proper)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("%s: %w", file, err)
	}
	return m, errors.Join(bad...)
}

// splitMailmapLine returns the names before the first two <e-mail>s
// (trimmed, "" if none) and those e-mails; as in git, what follows the
// second e-mail is ignored. Errors never quote the line: it holds e-mail
// addresses, and the error goes into evidence.
func splitMailmapLine(s string) (names, emails []string, err error) {
	for len(emails) < 2 {
		lt := strings.IndexByte(s, '<')
		if lt < 0 {
			if len(emails) == 0 {
				return nil, nil, fmt.Errorf("no <e-mail> on the line")
			}
			break
		}
		gt := strings.IndexByte(s[lt:], '>')
		if gt < 0 {
			return nil, nil, fmt.Errorf("unclosed '<'")
		}
		names = append(names, strings.TrimSpace(s[:lt]))
		emails = append(emails, strings.TrimSpace(s[lt+1:lt+gt]))
		s = s[lt+gt+1:]
	}
	return names, emails, nil
}

func (m *Mailmap) add(email, name string, to mailTarget) {
	e := m.byEmail[email]
	if e == nil {
		e = &mailEntries{}
		m.byEmail[email] = e
	}
	t := to
	if name == "" {
		if e.any != nil { // a later line completes an earlier one, as in git
			if t.name == "" {
				t.name = e.any.name
			}
			if t.email == "" {
				t.email = e.any.email
			}
		}
		e.any = &t
	} else {
		if e.byName == nil {
			e.byName = map[string]*mailTarget{}
		}
		e.byName[name] = &t
	}
	m.n++
}

// Map returns the canonical name and e-mail of a commit signature; what
// the mailmap does not replace is returned as given.
func (m *Mailmap) Map(name, email string) (string, string) {
	if m == nil {
		return name, email
	}
	e := m.byEmail[strings.ToLower(strings.TrimSpace(email))]
	if e == nil {
		return name, email
	}
	t := e.any
	if byName := e.byName[strings.ToLower(strings.TrimSpace(name))]; byName != nil {
		t = byName
	}
	if t == nil {
		return name, email
	}
	if t.name != "" {
		name = t.name
	}
	if t.email != "" {
		email = t.email
	}
	return name, email
}
