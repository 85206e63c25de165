package notify

import (
	"fmt"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// labels are the message texts in Chinese and English (report.lang).
var labels = map[string]map[string]string{
	"zh": {
		"title.alert":             "osgauge 漏洞预警：",
		"title.digest":            "osgauge 漏洞预警：本轮 %d 个漏洞发现",
		"title.test":              "osgauge 预警通道测试",
		"test":                    "这是一条测试消息：此通道已可接收 osgauge 的漏洞预警。",
		"sep":                     "、",
		"note_sep":                "；",
		"system":                  "系统 %s：",
		"fixed_in":                "；修复版本 %s",
		"due":                     "；处置期限 %s",
		"more":                    "……另有 %d 个漏洞发现，见 osgauge vuln list",
		"footer":                  "详情与处置：osgauge vuln list / osgauge vuln set",
		"kev":                     "已知被利用(KEV)",
		"critical":                "严重",
		"high_fixable":            "高危且有修复版本",
		"due_soon":                "处置期限将至",
		"overdue":                 "已逾期",
		"sev.critical":            "严重",
		"sev.high":                "高危",
		"sev.medium":              "中危",
		"sev.low":                 "低危",
		"sev.unknown":             "未知",
		"open":                    "（",
		"close":                   "）",
		"note.reopened":           "重新出现（曾经复测已消除）",
		"note.fix_not_verified":   "已标记修复，但新的 SBOM 仍含受影响版本（修复未验证）",
		"note.mitigation_expired": "缓解措施已到期",
	},
	"en": {
		"title.alert":             "osgauge vulnerability alert: ",
		"title.digest":            "osgauge vulnerability alerts: %d findings this round",
		"title.test":              "osgauge early-warning test",
		"test":                    "This is a test message: this channel is ready to receive osgauge's vulnerability alerts.",
		"sep":                     ", ",
		"note_sep":                "; ",
		"system":                  "%s: ",
		"fixed_in":                "; fixed in %s",
		"due":                     "; due %s",
		"more":                    "… and %d more findings: see osgauge vuln list",
		"footer":                  "Details and triage: osgauge vuln list / osgauge vuln set",
		"kev":                     "known exploited (KEV)",
		"critical":                "critical",
		"high_fixable":            "high, fix available",
		"due_soon":                "deadline soon",
		"overdue":                 "overdue",
		"sev.critical":            "critical",
		"sev.high":                "high",
		"sev.medium":              "medium",
		"sev.low":                 "low",
		"sev.unknown":             "unknown",
		"open":                    " (",
		"close":                   ")",
		"note.reopened":           "reopened (it had been verified gone)",
		"note.fix_not_verified":   "marked fixed, but a later SBOM still holds an affected version (fix not verified)",
		"note.mitigation_expired": "the mitigation has expired",
	},
}

func label(lang, key string) string {
	l, ok := labels[lang]
	if !ok {
		l = labels["en"]
	}
	if s, ok := l[key]; ok {
		return s
	}
	return key
}

// BuildMessage builds a message of kind (alert, digest or test) from
// alerts, in lang: one line per finding, the events it raised first
// (alerts of one finding are grouped on its line).
func BuildMessage(kind string, alerts []Alert, lang string, at time.Time) Message {
	m := Message{Kind: kind, Lang: lang, Alerts: alerts, At: at}
	if kind == KindTest {
		m.Title = label(lang, "title.test")
		m.Lines = []string{label(lang, "test")}
		return m
	}
	type line struct {
		events []string
		a      Alert
	}
	var lines []*line
	byFinding := map[string]*line{}
	for i, a := range alerts {
		k := a.Finding
		if k == "" {
			k = fmt.Sprint("\x00", i)
		}
		l := byFinding[k]
		if l == nil {
			l = &line{a: a}
			byFinding[k] = l
			lines = append(lines, l)
		}
		ev := label(lang, a.Event)
		if !contains(l.events, ev) {
			l.events = append(l.events, ev)
		}
		if l.a.Text == "" {
			l.a.Text = a.Text
		}
		if l.a.Note == "" {
			l.a.Note = a.Note
		}
	}
	var events []string
	for _, l := range lines {
		for _, e := range l.events {
			if !contains(events, e) {
				events = append(events, e)
			}
		}
		m.Lines = append(m.Lines, alertLine(lang, l.events, l.a))
	}
	if kind == KindDigest {
		m.Title = fmt.Sprintf(label(lang, "title.digest"), len(lines))
	} else {
		m.Title = label(lang, "title.alert") + strings.Join(events, label(lang, "sep"))
	}
	return m
}

// alertLine is a finding's line: [events] system: component version —
// vulnerability (severity); fixed in …; due …; note.
func alertLine(lang string, events []string, a Alert) string {
	var b strings.Builder
	b.WriteString("[" + strings.Join(events, label(lang, "sep")) + "] ")
	if a.System != "" {
		b.WriteString(fmt.Sprintf(label(lang, "system"), clean(a.System)))
	}
	b.WriteString(clean(a.Component))
	if a.Version != "" {
		b.WriteString(" " + clean(a.Version))
	}
	b.WriteString(" — " + clean(a.Vuln))
	sev := a.Severity
	if sev == "" {
		sev = "unknown"
	}
	b.WriteString(label(lang, "open") + label(lang, "sev."+clean(sev)) + label(lang, "close"))
	if a.FixedIn != "" {
		b.WriteString(fmt.Sprintf(label(lang, "fixed_in"), clean(a.FixedIn)))
	}
	if a.Due != "" {
		b.WriteString(fmt.Sprintf(label(lang, "due"), clean(a.Due)))
	}
	if a.Note != "" {
		b.WriteString(label(lang, "note_sep") + label(lang, "note."+clean(a.Note)))
	}
	if a.Text != "" {
		b.WriteString(label(lang, "note_sep") + clean(a.Text))
	}
	return b.String()
}

// clean makes outside text (component names, versions from SBOMs) one
// short line: control characters (line breaks included, which could start
// a new markdown block or mail header) become spaces, runs of spaces one,
// and at most 200 characters are kept.
func clean(s string) string {
	s = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) || r == '\u2028' || r == '\u2029' {
			return ' '
		}
		return r
	}, s)
	s = strings.Join(strings.Fields(s), " ")
	if utf8.RuneCountInString(s) > 200 {
		s = string([]rune(s)[:200]) + "…"
	}
	return s
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// Text styles channels render messages in.
const (
	plain    = iota // title, blank line, lines
	markdown        // ### title, then "- line" items
)

// render writes m as text of at most limit bytes: lines that do not fit
// are left out and counted on a last line (… and N more), so that a digest
// always arrives whole.
func render(m Message, style int, limit int) string {
	lang := m.Lang
	head := m.Title + "\n\n"
	item := func(s string) string { return s + "\n" }
	if style == markdown {
		head = "### " + m.Title + "\n"
		item = func(s string) string { return "- " + s + "\n" }
	}
	footer := ""
	if m.Kind != KindTest {
		footer = "\n" + label(lang, "footer")
	}
	var b strings.Builder
	b.WriteString(head)
	for i, l := range m.Lines {
		it := item(l)
		rest := len(m.Lines) - i - 1
		reserve := len(footer)
		if rest > 0 {
			reserve += len(item(fmt.Sprintf(label(lang, "more"), rest)))
		}
		if b.Len()+len(it)+reserve > limit {
			b.WriteString(item(fmt.Sprintf(label(lang, "more"), len(m.Lines)-i)))
			break
		}
		b.WriteString(it)
	}
	b.WriteString(footer)
	return strings.TrimRight(b.String(), "\n")
}
