// Package labels is the zh/en label catalogue of the reports. Each report
// area keeps its keys in its own file; all share one lookup, i18n's, which
// also holds the labels the questionnaire collector shares with the
// reports (i18n/questionnaire.go).
package labels

import "github.com/osgauge/osgauge/i18n"

// entry holds a label in English and Chinese.
type entry struct{ en, zh string }

// register adds keys to i18n's catalogue; a duplicate key is a
// programming error.
func register(m map[string]entry) {
	c := make(map[string]i18n.Entry, len(m))
	for k, v := range m {
		c[k] = i18n.Entry{En: v.en, Zh: v.zh}
	}
	i18n.Register(c)
}

// T returns the label for key in lang ("zh" or "en"). An unknown key
// returns the key itself, so a missing label is visible, never blank.
func T(lang, key string) string { return i18n.T(lang, key) }

// Has reports whether key is in the catalogue.
func Has(key string) bool { return i18n.Has(key) }

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

// The key figures (reports.Figures), the grade cell (reports.CellOf) and
// its legend, one word a thing in both languages (issue 26): "undecided"
// (未定级) is every result without a decided grade.
func init() {
	register(map[string]entry{
		"fig.projects":           {"Projects", "开源项目"},
		"fig.suppliers":          {"Suppliers", "供应商"},
		"fig.graded":             {"Graded", "已定级"},
		"fig.projects_graded":    {"Projects graded", "已定级项目"},
		"fig.projects_undecided": {"Projects undecided", "未定级项目"},
		"fig.undecided":          {"Undecided", "未定级"},
		"fig.gates":              {"Gates fired", "触发否决项"},
		"fig.waived":             {"waived", "已豁免"},
		"fig.tiered":             {"Tier decided", "已定分级"},
		"fig.untiered":           {"Tier undecided", "分级未定"},
		"fig.gated":              {"Subjects with a gate fired", "触发否决项的对象"},
		"fig.undecided_def": {"Undecided: no decided grade — the data so far leaves two or more grades open (or none is known). Suppliers are never counted as projects.",
			"未定级：尚无确定等级——现有数据仍使两个或以上等级成立（或尚无任何等级信息）。供应商从不计入项目。"},

		"grade.cell.range":           {"{range}, undecided", "{range}，未定级"},
		"grade.cell.undecided":       {"undecided", "未定级"},
		"grade.cell.range_likeliest": {"{range}, undecided (likeliest {g})", "{range}，未定级（最可能 {g}）"},
		"grade.cell.detail": {"Likeliest grade {g} (the score's grade); with the missing data at its worst and at its best the grade is {a} or {b}.",
			"最可能的等级为 {g}（得分对应的等级）；缺失数据取最差与最好时，等级分别为 {a} 与 {b}。"},
		"grade.legend": {"Grade: shown alone, the grade is decided. Grey “D–B, undecided”: the data so far leaves it between D and B; the likeliest grade is in the detail.",
			"等级：单独显示的等级为已定级；灰色“D–B，未定级”表示现有数据只能确定等级介于 D 与 B 之间，最可能的等级见明细。"},
		"grade.legend_tier": {"Tier: shown alone, the tier is decided. Grey “Conditional–Preferred, undecided”: the data so far leaves it between the two; the likeliest tier is in the detail.",
			"分级：单独显示的分级为已定；灰色“有条件准入–优选级，未定级”表示现有数据只能确定分级介于两者之间，最可能的分级见明细。"},
	})
}

// The terminal summary (cmd/osgauge summary.go), issue 26.
func init() {
	register(map[string]entry{
		"term.heading":          {"osgauge report {period} — projects: {projects}, suppliers: {suppliers}", "osgauge 评估报告 {period}——开源项目 {projects} 个，供应商 {suppliers} 家"},
		"term.attention":        {"Needs attention:", "需要关注："},
		"term.attention_none":   {"Nothing needs attention: no gate fired, nothing overdue, no licence conflict.", "暂无需要关注的事项：未触发否决项，无逾期事项，无许可证冲突。"},
		"term.gates":            {"Gates fired: {n} (subjects: {m})", "触发否决项 {n} 项（涉及 {m} 个对象）："},
		"term.more":             {"… and {n} more in the report", "……另有 {n} 项，详见报告"},
		"term.overdue_findings": {"{n} vulnerability findings overdue ({kev} known-exploited, {crit} critical)", "逾期未处置的漏洞 {n} 个（其中已知被利用 {kev} 个，严重 {crit} 个）"},
		"term.overdue_exits":    {"{n} exits past their deadline", "{n} 项退出计划已逾期"},
		"term.conflicts":        {"Licence conflicts: {banned} components with a banned licence, {incompatible} incompatible with their system's licence", "许可证冲突：{banned} 个组件使用禁用许可证，{incompatible} 个与所在系统许可证不兼容"},
		"term.unapproved":       {"{n} components in use without an intake decision", "{n} 个组件未经准入即在使用"},
		"term.projects":         {"Projects ({model}): {graded} graded, {undecided} undecided", "开源项目（{model}）：已定级 {graded} 个，未定级 {undecided} 个"},
		"term.suppliers":        {"Suppliers ({model}): {graded} tier decided, {undecided} undecided", "供应商（{model}）：已定分级 {graded} 家，未定级 {undecided} 家"},
		"term.grades":           {"Decided grades: {list}", "已定等级：{list}"},
		"term.undecided":        {"Undecided {n}: {spans}", "未定级 {n} 个：{spans}"},
		"term.no_range":         {"{n} with no range yet", "{n} 个尚无区间"},
		"term.decided_by":       {" — would be decided by {needs}", "——补充以下数据即可定级：{needs}"},
		"term.more_projects":    {"… and {n} more graded projects in the report", "……另有 {n} 个已定级项目，详见报告"},
		"term.institution":      {"Institution: {name} — {model}: {level} (score {score})", "机构：{name}——{model}：{level}（得分 {score}）"},
		"term.level_open":       {" (undecided: open practices unanswered)", "（未定：尚有实践未作答）"},
		"term.legend": {"Grade: shown alone, the grade is decided; “D–B, undecided”: the data so far leaves it between D and B (the likeliest grade is in the dashboard).",
			"等级：单独显示即已定级；“D–B，未定级”表示等级介于 D 与 B 之间、尚未确定（最可能的等级见仪表板）。"},
		"term.models":         {"Models: {list}", "模型：{list}"},
		"term.col.subject":    {"SUBJECT", "评估对象"},
		"term.col.score":      {"SCORE", "得分"},
		"term.col.grade":      {"GRADE", "等级"},
		"term.col.tier":       {"TIER", "分级"},
		"term.col.coverage":   {"COVERAGE", "覆盖率"},
		"term.col.change":     {"CHANGE", "变化"},
		"term.col.gates":      {"GATES FIRED", "触发否决项"},
		"term.no_result":      {"no result", "无结果"},
		"term.not_comparable": {"n/c", "不可比"},
		"term.next_dashboard": {"Next: open the dashboard {path}", "下一步：打开仪表板 {path}"},
		"term.next_workbook":  {"the workbook (the board pack): {path}", "董事会材料工作簿：{path}"},
		"term.next_init": {"Then, for your own portfolio: osgauge init (list your projects and suppliers in osgauge.yaml), osgauge run.",
			"评估自己的组合：osgauge init（在 osgauge.yaml 中列出项目与供应商），然后 osgauge run。"},
	})
}
