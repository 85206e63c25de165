// Package labels is the zh/en label catalogue of the reports. Each report
// area keeps its keys in its own file; all share one lookup.
package labels

import "fmt"

// entry holds a label in English and Chinese.
type entry struct{ en, zh string }

var catalogue = map[string]entry{}

// register adds keys; a duplicate key is a programming error.
func register(m map[string]entry) {
	for k, v := range m {
		if _, dup := catalogue[k]; dup {
			panic(fmt.Sprintf("labels: duplicate key %q", k))
		}
		catalogue[k] = v
	}
}

// T returns the label for key in lang ("zh" or "en"). An unknown key
// returns the key itself, so a missing label is visible, never blank.
func T(lang, key string) string {
	e, ok := catalogue[key]
	if !ok {
		return key
	}
	if lang == "zh" && e.zh != "" {
		return e.zh
	}
	return e.en
}

// Has reports whether key is in the catalogue.
func Has(key string) bool { _, ok := catalogue[key]; return ok }

func init() {
	register(map[string]entry{
		"title":               {"osgauge report", "osgauge 开源评估报告"},
		"period":              {"Period", "评估期"},
		"generated_at":        {"Generated at", "生成时间"},
		"subject":             {"Subject", "评估对象"},
		"kind":                {"Kind", "类型"},
		"kind.project":        {"Project", "开源项目"},
		"kind.supplier":       {"Supplier", "供应商"},
		"kind.institution":    {"Institution", "机构"},
		"model":               {"Model", "模型"},
		"score":               {"Score", "得分"},
		"grade":               {"Grade", "等级"},
		"tier":                {"Tier", "分级"},
		"level":               {"Level", "成熟度级别"},
		"coverage":            {"Coverage", "数据覆盖率"},
		"status":              {"Status", "状态"},
		"status.ok":           {"ok", "正常"},
		"status.inconclusive": {"inconclusive", "数据不足"},
		"gates":               {"Gates", "否决项"},
		"dimension":           {"Dimension", "维度"},
		"indicator":           {"Indicator", "指标"},
		"raw":                 {"Raw value", "原始值"},
		"normalized":          {"Normalised", "归一化值"},
		"weight":              {"Weight", "权重"},
		"contribution":        {"Contribution", "贡献"},
		"source":              {"Source", "数据来源"},
		"evidence":            {"Evidence", "证据"},
		"explanation":         {"Explanation", "说明"},
		"clause":              {"Clause", "标准条款"},
		"domain":              {"Domain", "域"},
		"practice":            {"Practice", "实践"},
		"gap":                 {"Gaps to next level", "距下一级差距"},
		"none":                {"none", "无"},
		"projects":            {"Projects", "开源项目"},
		"suppliers":           {"Suppliers", "供应商"},
		"maturity":            {"Maturity", "治理成熟度"},
		"indicators":          {"Indicators", "指标明细"},
		"summary":             {"Summary", "概览"},
	})
}
