package reports

import (
	"encoding/json"
	"strings"
	"testing"
)

// The exits[] contract names versions and replacement: an exit of every
// version with no replacement still writes both (as "").
func TestExitContractFieldsAlwaysWritten(t *testing.T) {
	b, err := json.Marshal(LcExit{Component: "pkg:maven/mysql/mysql-connector-java", Reason: "licence"})
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{`"versions":""`, `"replacement":""`, `"reason":"licence"`} {
		if !strings.Contains(string(b), k) {
			t.Errorf("%s lacks %s", b, k)
		}
	}
}
