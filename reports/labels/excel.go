package labels

// Labels of the Excel workbook (reports/excel). Common keys (score, grade,
// coverage, status, …) live in labels.go.
func init() {
	register(map[string]entry{
		// sheet names (at most 31 characters, none of : \ / ? * [ ])
		"xlsx.sheet.summary":    {"Summary", "概览"},
		"xlsx.sheet.projects":   {"Projects", "开源项目"},
		"xlsx.sheet.suppliers":  {"Suppliers", "供应商"},
		"xlsx.sheet.maturity":   {"Maturity", "治理成熟度"},
		"xlsx.sheet.indicators": {"Indicators", "指标明细"},
		"xlsx.sheet.sources":    {"Sources", "数据来源"},

		// summary
		"xlsx.institution":     {"Institution", "机构"},
		"xlsx.count.projects":  {"Projects assessed", "评估项目数"},
		"xlsx.count.suppliers": {"Suppliers assessed", "评估供应商数"},
		"xlsx.maturity_level":  {"Governance maturity level", "开源治理成熟度级别"},
		"xlsx.top_risks":       {"Top risks: gates fired", "主要风险：触发的否决项"},
		"xlsx.no_gates":        {"No gate fired.", "未触发否决项。"},
		"xlsx.more_gates":      {"more gates fired; filter the Gates column of the subject sheets", "项否决项未列出，请在各对象工作表的“否决项”列筛选"},
		"xlsx.grade_dist":      {"Project grade distribution", "项目等级分布"},
		"xlsx.tier_dist":       {"Supplier tier distribution", "供应商分级分布"},
		"xlsx.grade_label":     {"Label", "含义"},
		"xlsx.count":           {"Count", "数量"},
		"xlsx.gate":            {"Gate", "否决项"},
		"xlsx.gate_name":       {"Gate name", "否决项名称"},
		"xlsx.reason":          {"Reason", "原因"},
		"xlsx.cap":             {"Capped at", "封顶等级"},
		"xlsx.models":          {"Models used", "所用模型"},
		"xlsx.version":         {"Version", "版本"},
		"xlsx.hash":            {"Content hash", "内容哈希"},
		"xlsx.chart.grades":    {"Projects by grade", "项目等级分布"},
		"xlsx.chart.tiers":     {"Suppliers by tier", "供应商分级分布"},
		"xlsx.chart.suppliers": {"Supplier scores", "供应商得分对比"},
		"xlsx.chart.maturity":  {"Maturity level by domain", "各域成熟度级别"},
		"xlsx.chart_data":      {"Chart data (blank = inconclusive)", "图表数据（空白表示数据不足）"},
		"xlsx.name":            {"Name", "名称"},
		"xlsx.id":              {"ID", "标识"},
		"xlsx.subject_id":      {"Subject ID", "对象标识"},
		"xlsx.indicator_id":    {"Indicator ID", "指标编号"},
		"xlsx.indicator_name":  {"Indicator name", "指标名称"},
		"xlsx.modifier":        {"modifier", "调整项"},
		"xlsx.domain_name":     {"Domain name", "域名称"},
		"xlsx.level_name":      {"Level name", "级别名称"},
		"xlsx.practice_id":     {"Practice ID", "实践编号"},
		"xlsx.practice_name":   {"Practice name", "实践名称"},
		"xlsx.evidence_level":  {"Evidence level (0–4)", "证据等级（0–4）"},
		"xlsx.no_institution":  {"No governance maturity result in this report.", "本报告无治理成熟度评估结果。"},
		"xlsx.none_rows":       {"No subjects of this kind in this report.", "本报告无此类评估对象。"},
		"xlsx.runs":            {"Collection runs", "采集运行记录"},
		"xlsx.run_id":          {"Run", "运行编号"},
		"xlsx.run_kind":        {"Kind", "类型"},
		"xlsx.started":         {"Started (UTC)", "开始时间（UTC）"},
		"xlsx.finished":        {"Finished (UTC)", "结束时间（UTC）"},
		"xlsx.note":            {"Note", "备注"},
		"xlsx.generated_utc":   {"Generated at (UTC)", "生成时间（UTC）"},
		"xlsx.no_runs":         {"No collection runs recorded.", "无采集运行记录。"},
		// sheets added for the board pack
		"xlsx.sheet.trends": {"Trends", "趋势"},
		"xlsx.sheet.model":  {"Model", "评估模型"},

		// changes since the previous period
		"xlsx.delta":                {"Δ score vs {p}", "较{p}得分变化"},
		"xlsx.prev_grade":           {"Grade {p}", "{p}等级"},
		"xlsx.prev_score":           {"Score {p}", "{p}得分"},
		"xlsx.new_gates":            {"New gates (new risks)", "新增否决项（新风险）"},
		"xlsx.resolved_gates":       {"Resolved gates", "已消除否决项"},
		"xlsx.comparability":        {"Comparability", "可比性"},
		"xlsx.new_subject":          {"new this period", "本期新增"},
		"xlsx.not_comparable":       {"not directly comparable (model version or weight profile changed)", "不可直接比较（模型版本或权重方案已变更）"},
		"xlsx.not_comparable_count": {"Not directly comparable", "不可直接比较"},
		"xlsx.count.gates":          {"Gates fired", "触发否决项数"},
		"xlsx.count.inconclusive":   {"Inconclusive results", "数据不足的结果数"},
		"xlsx.previous_period":      {"Compared with period", "对比评估期"},
		"xlsx.new_since":            {"New since {p}", "较{p}新增"},
		"xlsx.yes":                  {"yes", "是"},
		"xlsx.changes_since":        {"Changes since {p}", "较{p}的变化"},
		"xlsx.no_previous":          {"No earlier period is stored: nothing to compare with.", "无更早评估期的结果，无法对比。"},
		"xlsx.improved":             {"Scores improved", "得分上升"},
		"xlsx.declined":             {"Scores declined", "得分下降"},
		"xlsx.unchanged":            {"Scores unchanged", "得分不变"},
		"xlsx.added":                {"Added since last period", "本期新增对象"},
		"xlsx.removed":              {"Removed since last period", "本期移除对象"},
		"xlsx.tier_changes":         {"Supplier tier changed", "供应商分级变化"},
		"xlsx.largest_changes":      {"Largest changes (new risks first)", "主要变化（新风险优先）"},
		"xlsx.change":               {"Change", "变化"},
		"xlsx.no_changes":           {"No score, grade or gate changed.", "得分、等级和否决项均无变化。"},
		"xlsx.more_rows":            {"+{n} more", "另有 {n} 项"},

		// trends
		"xlsx.mean_score":        {"Mean score (confident results)", "平均得分（确定结果）"},
		"xlsx.model_versions":    {"Model versions", "模型版本"},
		"xlsx.chart.mean_trend":  {"Mean project score by period", "各期项目平均得分"},
		"xlsx.chart.grade_trend": {"Project grades by period", "各期项目等级分布"},
		"xlsx.trends_note":       {"Scores in grey italics were made with another model version than this period's: not directly comparable.", "灰色斜体得分使用了与本期不同的模型版本，不可直接比较。"},
		"xlsx.portfolio_trend":   {"Project portfolio by period", "各期项目组合"},
		"xlsx.subject_trend":     {"Score and grade per period (newest first)", "各期得分与等级（由近及远）"},

		// model sheet
		"xlsx.no_models":     {"The model definitions are not part of this report.", "本报告未包含模型定义。"},
		"xlsx.subject_kind":  {"Assesses", "评估对象"},
		"xlsx.min_coverage":  {"Minimum coverage", "最低数据覆盖率"},
		"xlsx.description":   {"Description", "说明"},
		"xlsx.pass_evidence": {"Evidence level a practice needs", "实践达标所需证据等级"},
		"xlsx.grade_min":     {"Minimum score", "最低得分"},
		"xlsx.dim_weight":    {"Dimension weight", "维度权重"},
		"xlsx.metrics":       {"Metrics", "度量项"},
		"xlsx.normalisation": {"Normalisation", "归一化方法"},
		"xlsx.profile":       {"Use-type profile", "使用类型权重方案"},
		"xlsx.condition":     {"Condition", "触发条件"},

		// sources
		"xlsx.duration_s":      {"Duration (s)", "耗时（秒）"},
		"xlsx.observations":    {"Observations", "观测数"},
		"xlsx.api_calls":       {"API calls", "API 调用数"},
		"xlsx.not_modified":    {"304 (not counted)", "304（不计额度）"},
		"xlsx.retries":         {"Retries", "重试次数"},
		"xlsx.rate_remaining":  {"Rate limit left", "剩余调用额度"},
		"xlsx.calls_by_source": {"API calls by source", "各数据来源 API 调用"},

		// maturity
		"xlsx.heatmap":         {"Domain × level heat map (mean evidence level 0–4)", "域 × 级别热力图（平均证据等级 0–4）"},
		"xlsx.heatmap_note":    {"A practice counts as in place at evidence level %g or more; blank: no practice at that level.", "证据等级达到 %g 及以上视为实践已落实；空白表示该级别无实践。"},
		"xlsx.improvements":    {"Improvement list (in the order that raises the level soonest)", "改进清单（按最快提升级别的顺序）"},
		"xlsx.priority":        {"Priority", "优先级"},
		"xlsx.evidence_needed": {"Evidence needed", "所需证据等级"},

		// suppliers and indicators
		"xlsx.discrepancies":    {"Claims vs evidence: discrepancies", "声明与证据不符"},
		"xlsx.no_discrepancies": {"No claim contradicts the collected evidence.", "未发现声明与采集证据不符。"},
		"xlsx.exception":        {"Exception", "例外"},
	})
}

// Labels of the workbook's page setup (header, footer, print notes).
func init() {
	register(map[string]entry{
		// {v}: osgauge version, {t}: generation time. In a page footer.
		"xlsx.print.generated": {"Generated by osgauge {v} at {t}", "由 osgauge {v} 生成于 {t}"},
		// &P and &N are the page number and page count codes of a page footer.
		"xlsx.print.page":   {"Page &P of &N", "第 &P 页，共 &N 页"},
		"xlsx.print.detail": {"Indicator detail", "指标明细"},
		// {s}: the Indicators sheet's name.
		"xlsx.print.detail_where": {"in the {s} sheet of this workbook (not printed by default: too long; filter it and print a selection)",
			"见本工作簿“{s}”工作表（篇幅过长，默认不打印；可筛选后打印所选部分）"},
		// {n}: rows, {p}: estimated pages.
		"xlsx.print.indicators_note": {"Not printed: {n} indicator rows (about {p} pages). Open the workbook, filter this sheet and print a selection.",
			"未打印：共 {n} 行指标明细（约 {p} 页）。请在工作簿中筛选本表后打印所选部分。"},
	})
}
