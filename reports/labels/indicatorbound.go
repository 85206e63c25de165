package labels

// Labels of the workbook's bounded Indicators sheet: above a bound, a
// large portfolio's workbook lists the indicators of the subjects with
// gates or the lowest grades first, and says what it left out.
func init() {
	register(map[string]entry{
		// {w}: rows written, {n}: all indicator rows, {s}: subjects listed,
		// {o}: rows left out, {k}: subjects left out.
		"xlsx.indicators.bounded_note": {
			"{w} of {n} indicator rows listed: the {s} subjects with gates or the lowest grades, worst first. {o} rows of {k} subjects are left out of this workbook; every indicator is in the JSON report and the dashboard (HTML).",
			"本表列出全部 {n} 行指标明细中的 {w} 行：触发否决项或等级最低的 {s} 个对象，最差者在前。其余 {k} 个对象的 {o} 行未写入本工作簿；全部指标见 JSON 报告和仪表盘（HTML）。"},
		"xlsx.indicators.bounded": {"Indicators in this workbook", "本工作簿中的指标明细"},
		// {sheet}: the Indicators sheet's name.
		"xlsx.indicators.bounded_where": {
			"{w} of {n} rows in the {sheet} sheet (subjects with gates or the lowest grades first); all {n} are in the JSON report and the dashboard (HTML)",
			"“{sheet}”工作表列出 {n} 行中的 {w} 行（触发否决项或等级最低的对象优先）；全部 {n} 行见 JSON 报告和仪表盘（HTML）"},
	})
}
