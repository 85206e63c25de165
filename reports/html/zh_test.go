package html

import (
	"strings"
	"testing"

	"github.com/osgauge/osgauge/licenses"
)

// Under zh the dashboard names things in Chinese (issue 26): a system's
// use ("distributed"), the OSADL attribution, a fired gate's reason. The
// English words below were on the Chinese board paper before.
func TestChineseDashboardHasNoEnglishNames(t *testing.T) {
	r := supplyReport(t, "zh")
	r.Inventory.Attribution = licenses.Attribution
	page := renderHTML(t, r)
	for _, en := range []string{">distributed<", ">internal<", "Licence compatibility: OSADL"} {
		if strings.Contains(page, en) {
			t.Errorf("zh dashboard holds %q", en)
		}
	}
	// use.distributed zh 对外分发; inv.attribution zh starts 许可证兼容性依据.
	for _, zh := range []string{"对外分发", "内部使用", "许可证兼容性依据：OSADL"} {
		if !strings.Contains(page, zh) {
			t.Errorf("zh dashboard lacks %q", zh)
		}
	}
	// In English the OSADL attribution stays as licenses gives it.
	r = supplyReport(t, "en")
	r.Inventory.Attribution = licenses.Attribution
	if page := renderHTML(t, r); !strings.Contains(page, "Licence compatibility: OSADL") || !strings.Contains(page, ">distributed<") {
		t.Error("en dashboard lost the OSADL attribution or the use type")
	}
}
