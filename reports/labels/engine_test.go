package labels

import (
	"strings"
	"testing"
)

// The engine's sentences in Chinese, worked by hand from the formats in
// assess/engine.go: numbers, metric ids and gate ids kept, grade ids named
// by the caller, ASCII brackets and separators in their full-width form.
func TestResultExplanationZh(t *testing.T) {
	names := map[string]string{"conditional": "有条件准入", "strategic": "战略级", "preferred": "优选级"}
	name := func(id string) string { return names[id] }
	for _, c := range []struct{ en, zh string }{
		{"coverage 79% ≥ minimum 60%: between conditional and strategic (score between 56.7 and 82.9 with the missing indicators at their worst and best); estimate preferred from the score 77.9 (the indicators with data)",
			"数据覆盖率 79% ≥ 最低要求 60%：介于 有条件准入 与 战略级 之间（缺失指标取最差与最好时得分介于 56.7 与 82.9 之间）；按有数据指标的得分 77.9 估计为 优选级"},
		{"coverage 45.0% is below the model's minimum 50%: between D and B (score between 36.1 and 91.1 with the missing indicators at their worst and best); point score 60.2 from the indicators with data (no estimate below the coverage minimum); gates not evaluated (fired at worst, capping the best case): G-KEV (osv, github)",
			"数据覆盖率 45.0% 低于模型要求的最低 50%：介于 D 与 B 之间（缺失指标取最差与最好时得分介于 36.1 与 91.1 之间）；有数据指标的得分为 60.2（覆盖率低于最低要求，不作估计）；未评估的否决项（最差情况按触发计，并限定最好情况）：G-KEV（osv、github）"},
	} {
		n := name
		if strings.Contains(c.en, "between D and B") {
			n = func(id string) string { return id }
		}
		if got := ResultExplanation("zh", c.en, n); got != c.zh {
			t.Errorf("zh of %q\n got %q\nwant %q", c.en, got, c.zh)
		}
		if got := ResultExplanation("en", c.en, n); got != c.en {
			t.Errorf("en changed: %q", got)
		}
	}
}

func TestIndicatorExplanationZh(t *testing.T) {
	en := "inconclusive: scorecard.Fuzzing: no observation; forge.bug_open_days: API returned 404"
	// "inconclusive: " → "数据不足：", ": no observation" → "：无观测数据"; the collector's reason stays
	want := "数据不足：scorecard.Fuzzing：无观测数据; forge.bug_open_days: API returned 404"
	if got := IndicatorExplanation("zh", en); got != want {
		t.Errorf("got %q, want %q", got, want)
	}
	if got := IndicatorExplanation("zh", "mean of 1/2 metrics; 10 → linear(0..10) → 1.00"); got != "1/2 项度量取均值; 10 → linear(0..10) → 1.00" {
		t.Errorf("mean of: got %q", got)
	}
}

func TestLicenceWhyZh(t *testing.T) {
	en := "gateway: Apache-2.0 in a distributed proprietary system: permissive, its notices go with the product"
	want := "gateway: Apache-2.0，用于对外分发的专有系统：宽松型许可证，其声明须随产品一并提供"
	if got := LicenceWhy("zh", en); got != want {
		t.Errorf("got %q, want %q", got, want)
	}
	if got := LicenceWhy("en", en); got != en {
		t.Errorf("en changed: %q", got)
	}
}
