package gitlab

import (
	"context"
	"fmt"
	"net/http"
	"strings"

	gl "gitlab.com/gitlab-org/api/client-go"
)

// project reads the project by its full path (subgroups included; client-go
// URL-encodes it as GitLab requires), with its detected licence.
func (r *run) project(ctx context.Context) error {
	p, _, err := r.c.cl.Projects.GetProject(r.ref.Path, &gl.GetProjectOptions{License: gl.Ptr(true)}, gl.WithContext(ctx))
	if err != nil {
		switch s := statusOf(err); s {
		case http.StatusNotFound:
			return fmt.Errorf("project not found, or not visible without a token or to the token (HTTP 404)")
		case http.StatusForbidden:
			return fmt.Errorf("project not readable with this token (HTTP 403): %w", err)
		}
		return explain("project", err)
	}
	r.proj = p
	if p.IssuesAccessLevel == gl.DisabledAccessControl || (p.IssuesAccessLevel == "" && !p.IssuesEnabled) {
		r.itemsDisabled = "issues are disabled for this project (issues_access_level: disabled), so issue metrics cannot be measured; " +
			"merge requests are left unmeasured too, as every forge's issue and change metrics are read together"
	}
	return nil
}

// spdxOf maps the licence key GitLab detects (licensee's keys) to an SPDX
// id. Unknown keys give "": nothing is guessed.
func spdxOf(l *gl.ProjectLicense) string {
	if l == nil {
		return ""
	}
	return licenseKeys[strings.ToLower(strings.TrimSpace(l.Key))]
}

var licenseKeys = map[string]string{
	"0bsd":         "0BSD",
	"afl-3.0":      "AFL-3.0",
	"agpl-3.0":     "AGPL-3.0-only",
	"apache-2.0":   "Apache-2.0",
	"artistic-2.0": "Artistic-2.0",
	"bsd-2-clause": "BSD-2-Clause",
	"bsd-3-clause": "BSD-3-Clause",
	"bsd-4-clause": "BSD-4-Clause",
	"bsl-1.0":      "BSL-1.0",
	"cc-by-4.0":    "CC-BY-4.0",
	"cc-by-sa-4.0": "CC-BY-SA-4.0",
	"cc0-1.0":      "CC0-1.0",
	"ecl-2.0":      "ECL-2.0",
	"epl-1.0":      "EPL-1.0",
	"epl-2.0":      "EPL-2.0",
	"eupl-1.1":     "EUPL-1.1",
	"eupl-1.2":     "EUPL-1.2",
	"gpl-2.0":      "GPL-2.0-only",
	"gpl-3.0":      "GPL-3.0-only",
	"isc":          "ISC",
	"lgpl-2.1":     "LGPL-2.1-only",
	"lgpl-3.0":     "LGPL-3.0-only",
	"lppl-1.3c":    "LPPL-1.3c",
	"mit":          "MIT",
	"mit-0":        "MIT-0",
	"mpl-2.0":      "MPL-2.0",
	"ms-pl":        "MS-PL",
	"ms-rl":        "MS-RL",
	"mulanpsl-2.0": "MulanPSL-2.0",
	"ncsa":         "NCSA",
	"odbl-1.0":     "ODbL-1.0",
	"ofl-1.1":      "OFL-1.1",
	"osl-3.0":      "OSL-3.0",
	"postgresql":   "PostgreSQL",
	"unlicense":    "Unlicense",
	"upl-1.0":      "UPL-1.0",
	"vim":          "Vim",
	"wtfpl":        "WTFPL",
	"zlib":         "Zlib",
}
