package license

import (
	"strings"

	"github.com/google/licensecheck"
)

// Detection is what one licence file declares.
type Detection struct {
	// ID is the SPDX id of the licence the file declares: the licence text
	// that comes first in the file. "" when no licence is recognised.
	ID string
	// Others are licences whose texts appear later in the file: the
	// notices of bundled third-party code that Apache projects append.
	// They are not the project's licence.
	Others []string
	// Percent is the share of the file's words that matched licence texts.
	Percent float64
}

// maxPreambleWords is how many words may precede the declared licence's
// text (a title, copyright lines) for it to count as the file's licence
// even when appended material lowers the file's overall match.
const maxPreambleWords = 60

// DetectText reads one licence file. The declared licence is the first
// licence text in the file, so appending a third-party notice or licence
// (common in Apache projects) does not change what the file declares. A
// file is recognised when enough of it matches known licences, or when it
// opens with a full licence text whatever follows.
func DetectText(data []byte) Detection {
	cov := licensecheck.Scan(data)
	d := Detection{Percent: cov.Percent}
	var first *licensecheck.Match
	for i := range cov.Match {
		m := &cov.Match[i]
		if m.IsURL {
			continue // a URL inside a text names, it does not declare
		}
		if first == nil {
			first = m
		}
	}
	if first == nil && len(cov.Match) > 0 {
		first = &cov.Match[0] // a file holding only a licence URL
	}
	if first == nil {
		return d
	}
	opens := len(strings.Fields(string(data[:first.Start]))) <= maxPreambleWords && !first.IsURL &&
		len(strings.Fields(string(data[first.Start:first.End]))) >= 100
	if cov.Percent < minCoverage && !opens {
		return d
	}
	d.ID = first.ID
	for _, m := range cov.Match {
		if m.ID != d.ID && !m.IsURL && !contains(d.Others, m.ID) {
			d.Others = append(d.Others, m.ID)
		}
	}
	return d
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
