package html

import (
	"strings"
	"testing"
	"time"
)

// A system whose latest SBOM import failed is marked stale in the
// systems table, with when and why; the error text is outside text and
// is escaped.
func TestSupplyStaleSystem(t *testing.T) {
	r := supplyReport(t, "en")
	at := time.Date(2026, 12, 2, 8, 30, 0, 0, time.UTC)
	s := &r.Inventory.Systems[2]
	s.Stale, s.ImportError, s.ImportFailedAt = true, "portal.cdx.json: line 3: <script>bad</script>", &at
	out := renderHTML(t, r)
	doc, _ := parse(t, out)
	tbl := byID(doc, "systable")
	if tbl == nil {
		t.Fatal("no systems table")
	}
	rows := elements(tbl, "tr")
	var portal string
	for _, tr := range rows {
		if strings.HasPrefix(text(tr), "portal") {
			portal = text(tr)
		}
	}
	if !strings.Contains(portal, "STALE") || !strings.Contains(portal, "import failed 2026-12-02 08:30: portal.cdx.json: line 3: <script>bad</script>") {
		t.Errorf("portal row: %q", portal)
	}
	if strings.Contains(out, "<script>bad</script>") {
		t.Error("the import error is not escaped")
	}
	// A system judged under the institution's default licence says so.
	r = supplyReport(t, "en")
	r.Inventory.Systems[2].Licence, r.Inventory.Systems[2].LicenceSource = "proprietary", "default"
	if out := renderHTML(t, r); !strings.Contains(out, "proprietary <span class=\"muted\">(the institution&#39;s default)</span>") {
		t.Error("default licence not marked")
	}
}
