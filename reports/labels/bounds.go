package labels

import "strings"

// Labels of bounded scores: the range, "between" grades, partial-data
// grading and the sources that would measure a missing indicator.
func init() {
	register(map[string]entry{
		"score_range":         {"Score range", "得分区间"},
		"grade.between":       {"between {a} and {b}", "介于 {a} 与 {b} 之间"},
		"status.partial":      {"graded on partial data", "部分数据定级"},
		"missing.title":       {"Missing data that would narrow the range most", "最能收窄区间的缺失数据"},
		"missing.swing":       {"Swing (points)", "影响（分）"},
		"missing.needs":       {"Measured by", "所需数据来源"},
		"needs.github":        {"GitHub collector (network and a token)", "GitHub 采集器（需网络与令牌）"},
		"needs.scorecard":     {"Scorecard (a local clone, or network for GitHub checks)", "Scorecard（本地克隆，或联网执行 GitHub 检查）"},
		"needs.osv":           {"OSV (network, or an offline OSV export)", "OSV（联网，或离线 OSV 导出）"},
		"needs.manual":        {"a fact stated in the config (facts:)", "配置中声明的事实（facts:）"},
		"needs.license":       {"licence detection (a local clone)", "许可证识别（本地克隆）"},
		"needs.gitlocal":      {"git history (a local clone)", "git 历史（本地克隆）"},
		"needs.questionnaire": {"the questionnaire", "问卷"},
		"needs.sbom":          {"an SBOM", "软件物料清单（SBOM）"},
		"needs.evidence":      {"supplier evidence (supported projects collected)", "供应商客观证据（需采集其支持的项目）"},
		"html.ungraded_note": {"Projects undecided: {n} ({spans}). The missing data that would decide them comes mostly from {needs}.",
			"未定级项目：{n} 个（{spans}）。能为其定级的缺失数据主要来自 {needs}。"},
		"explain.partial_note": {"the missing indicators cannot change the grade", "缺失指标无法改变该等级"},
	})
}

// Between is "between a and b" in lang.
func Between(lang, a, b string) string {
	return strings.NewReplacer("{a}", a, "{b}", b).Replace(T(lang, "grade.between"))
}

// Needs says, in lang, what measures metrics of a source ("github" →
// "GitHub collector (network and a token)"); an unknown source is named
// as it is.
func Needs(lang, source string) string {
	if Has("needs." + source) {
		return T(lang, "needs."+source)
	}
	return source
}

// NeedsAll joins Needs over sources with " / ".
func NeedsAll(lang string, sources []string) string {
	parts := make([]string, 0, len(sources))
	for _, s := range sources {
		parts = append(parts, Needs(lang, s))
	}
	return strings.Join(parts, " / ")
}
