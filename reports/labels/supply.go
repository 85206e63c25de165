package labels

// Labels of the HTML dashboard's supply-chain section (reports/html,
// supply.go). The column and value names it shares with the workbook are
// the inv.*, class.*, compat.* and policy.* keys of inventory.go.
func init() {
	register(map[string]entry{
		"supply.title":              {"Supply chain", "供应链"},
		"supply.intro":              {"The components the systems' SBOMs list, direct and transitive, with their licences judged against each system's licence and the institution's policy, and their known vulnerabilities.", "各系统 SBOM 列出的直接与间接依赖组件，其许可证与系统许可证及机构策略的对照结果，以及已知漏洞。"},
		"supply.systems":            {"Systems", "系统数"},
		"supply.components":         {"Components", "组件数"},
		"supply.direct_transitive":  {"direct / transitive", "直接 / 间接"},
		"supply.declared_vs":        {"Declared projects vs discovered components", "声明项目数与发现组件数"},
		"supply.undercount":         {"undercount", "低估倍数"},
		"supply.charts":             {"Licences, compatibility and vulnerabilities", "许可证、兼容性与漏洞"},
		"supply.systems_table":      {"Systems and their SBOMs", "系统及其 SBOM"},
		"supply.from_sbom":          {"(from the SBOM)", "（来自 SBOM）"},
		"supply.default_licence":    {"(the institution's default)", "（机构默认）"},
		"supply.component_table":    {"All components", "全部组件"},
		"supply.search":             {"Filter by component, version, licence or project…", "按组件、版本、许可证或项目筛选…"},
		"supply.table_hint":         {"Most risky first: known-exploited, banned, incompatible, critical. Vulnerabilities are critical/high/medium/low.", "风险最高者在前：已被利用、禁止、不兼容、严重漏洞。漏洞数依次为严重/高危/中危/低危。"},
		"supply.no_match":           {"No component matches.", "没有匹配的组件。"},
		"supply.not_checked":        {"not checked for vulnerabilities", "未检查漏洞"},
		"supply.vuln_short":         {"C/H/M/L", "严/高/中/低"},
		"supply.which":              {"Which systems run a component?", "哪些系统在运行某个组件？"},
		"supply.which_placeholder":  {"name or name@version, e.g. fastjson@1.2.24", "名称或 名称@版本，如 fastjson@1.2.24"},
		"supply.which_hint":         {"Matches names containing the text; a version after @ matches versions starting with it.", "匹配包含该文本的组件名；@ 之后的版本按前缀匹配。"},
		"supply.which_summary":      {"{n} component versions in {m} systems", "{n} 个组件版本，涉及 {m} 个系统"},
		"supply.which_more":         {"showing the first {n}", "仅显示前 {n} 个"},
		"supply.no_severity":        {"No vulnerable component.", "无存在漏洞的组件。"},
		"supply.compat_none":        {"not judged", "未判定"},
		"supply.unknown":            {"unknown", "未知"},
		"supply.no_components":      {"The SBOMs list no component.", "SBOM 未列出任何组件。"},
		"supply.kev_badge":          {"KEV", "KEV"},
		"supply.systems_count_note": {"Hover a count for the systems' names.", "将鼠标悬停在数量上可查看系统名称。"},
	})
}
