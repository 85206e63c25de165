package buildinfo

import (
	"runtime/debug"
	"strings"
	"testing"
)

func TestFromBuildInfo(t *testing.T) {
	rev := "e140b4fecde115f2d274fafd81739fda8655e889"
	cases := []struct {
		name string
		bi   debug.BuildInfo
		want string
	}{
		// A tagged build names its tag.
		{"tag", debug.BuildInfo{Main: debug.Module{Version: "v1.4.0"}}, "v1.4.0"},
		// `go build` in a checkout: the pseudo-version, which already carries
		// the commit, wins over the vcs settings.
		{"pseudo", debug.BuildInfo{Main: debug.Module{Version: "v0.0.0-20261207065744-e140b4fecde1+dirty"},
			Settings: []debug.BuildSetting{{Key: "vcs.revision", Value: rev}}}, "v0.0.0-20261207065744-e140b4fecde1+dirty"},
		// No module version but a commit: its first 12 hex digits.
		{"revision", debug.BuildInfo{Main: debug.Module{Version: "(devel)"},
			Settings: []debug.BuildSetting{{Key: "vcs.revision", Value: rev}, {Key: "vcs.modified", Value: "false"}}}, "devel e140b4fecde1"},
		{"revision dirty", debug.BuildInfo{Main: debug.Module{Version: "(devel)"},
			Settings: []debug.BuildSetting{{Key: "vcs.modified", Value: "true"}, {Key: "vcs.revision", Value: rev}}}, "devel e140b4fecde1+dirty"},
		// go run, -buildvcs=false: nothing to name but that it is a development build.
		{"nothing", debug.BuildInfo{Main: debug.Module{Version: "(devel)"}}, "devel"},
		{"empty", debug.BuildInfo{}, "devel"},
	}
	for _, c := range cases {
		if got := fromBuildInfo(&c.bi); got != c.want {
			t.Errorf("%s: %q, want %q", c.name, got, c.want)
		}
	}
}

// The test binary has build info; whatever it says, the version never
// reads "(devel)" with parentheses.
func TestVersion(t *testing.T) {
	if v := Version(); v == "" || strings.Contains(v, "(devel)") {
		t.Errorf("Version() = %q", v)
	}
}
