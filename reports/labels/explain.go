package labels

// Plain-language sentences for gates and indicators (reports/explain.go,
// issue 26): what a board member reads instead of "metric = value". Keys:
//
//	explain.gate.<gate id>       a gate that fired
//	explain.ind.<indicator id>   an indicator (or modifier) with data
//	explain.evidence             any evidence-level (0–4) indicator
//
// A key with ".one" after it is used when the value is 1, one with ".pct"
// when the evidence gives a share. Placeholders: {v} the observed value,
// {limit} the gate's threshold, {pct} a share in per cent, {v100} the
// value as a percentage, {use}/{class}/{compat}/{policy}/{gov} labels of
// the value's parts, {name} the indicator's name, {scale} the evidence
// level's meaning.
func init() {
	register(map[string]entry{
		// gates of project-health
		"explain.gate.G-UNMAINTAINED": {"No one has committed to the project for {v} months (the limit is {limit}).",
			"该项目已 {v} 个月无人提交代码（上限为 {limit} 个月）。"},
		"explain.gate.G-KEY-PERSON.pct": {"One person made {pct} % of last year's commits (bus factor 1).",
			"近一年 {pct}% 的提交由一人完成（巴士系数为 1）。"},
		"explain.gate.G-KEY-PERSON": {"One person made half or more of last year's commits (bus factor 1).",
			"近一年过半的提交由一人完成（巴士系数为 1）。"},
		"explain.gate.G-ARCHIVED": {"The project is archived by its maintainers (read-only, no more fixes) but still in use.",
			"该项目已被维护者归档（只读，不再修复），但仍在使用。"},
		"explain.gate.G-NO-LICENSE": {"No licence was found: there is no written permission to use the code.",
			"未发现许可证：使用该代码没有书面授权。"},
		"explain.gate.G-DANGEROUS-WORKFLOW": {"Its build pipeline (CI) is set up in a way an outsider could abuse to tamper with its code or releases.",
			"其构建流水线（CI）的配置可被外部人员利用，篡改代码或发布版本。"},
		"explain.gate.G-KEV": {"The version in use has {v} unpatched vulnerabilities that attackers are known to exploit.",
			"在用版本存在 {v} 个已被攻击者利用且未修补的漏洞。"},
		"explain.gate.G-KEV.one": {"The version in use has an unpatched vulnerability that attackers are known to exploit.",
			"在用版本存在 1 个已被攻击者利用且未修补的漏洞。"},
		"explain.gate.G-SOURCE-AVAILABLE": {"Its licence is source-available, not open source: what the institution may do with it is restricted.",
			"其许可证为源码可见类而非开源许可证：机构的使用权利受限。"},
		"explain.gate.G-LICENSE-BANNED": {"Its licence is banned by the institution's policy for the way it is used.",
			"按本机构的许可证策略，该使用方式下禁止使用其许可证。"},
		"explain.gate.G-RELICENSED": {"The project changed its licence in the last 12 months.",
			"该项目在近 12 个月内变更了许可证。"},
		"explain.gate.G-NO-RELEASE": {"No release for {v} months (the limit is {limit}) while it is in use.",
			"在用期间已 {v} 个月没有发布新版本（上限为 {limit} 个月）。"},
		"explain.gate.G-UNPATCHED-FIXED": {"{v} critical or high vulnerabilities in the version in use have had a fix for over 30 days and are still unpatched.",
			"在用版本有 {v} 个严重或高危漏洞的修复已发布超过 30 天，仍未修补。"},
		"explain.gate.G-UNPATCHED-FIXED.one": {"A critical or high vulnerability in the version in use has had a fix for over 30 days and is still unpatched.",
			"在用版本有 1 个严重或高危漏洞的修复已发布超过 30 天，仍未修补。"},
		"explain.gate.G-RELICENSED-SOURCE-AVAILABLE": {"The project moved to a source-available licence in the last 36 months: its later versions are not open source.",
			"该项目在近 36 个月内改用源码可见许可证：其后续版本不再是开源软件。"},
		"explain.gate.G-SOURCE-AVAILABLE-IN-USE": {"The version in use is under a source-available licence, not an open-source one ({use} use).",
			"在用版本为源码可见许可证而非开源许可证（使用方式：{use}）。"},
		"explain.gate.G-SINGLE-MAINTAINER": {"One person wrote all of last year's code, and there is no private way to report a vulnerability.",
			"近一年的代码全部由一人编写，且没有私下报告漏洞的渠道。"},
		"explain.gate.G-LICENSE-UNKNOWN": {"Its licence could not be recognised, so what it obliges the institution to do is unknown.",
			"其许可证无法识别，机构须承担的义务不明。"},
		// gates of supplier
		"explain.gate.G-SANCTIONS": {"The supplier has unresolved export-control or sanctions exposure (level {v} of 4).",
			"该供应商存在未解决的出口管制或制裁风险（等级 {v}/4）。"},
		"explain.gate.G-NO-VULN-PROCESS": {"The supplier has no documented process for handling vulnerabilities (evidence level {v} of 4; {limit} needed).",
			"该供应商没有成文的漏洞处置流程（证据等级 {v}/4，至少需要 {limit}）。"},
		"explain.gate.G-NO-COMPLIANCE-ARTEFACTS": {"The supplier cannot show documented licence-compliance deliverables (evidence level {v} of 4; {limit} needed).",
			"该供应商无法提供成文的许可证合规交付物（证据等级 {v}/4，至少需要 {limit}）。"},

		// any gate: states other than fired, and a gate this catalogue does not know
		"explain.gate_clear":         {"Checked: this risk is not present.", "已检查：不存在此风险。"},
		"explain.gate_not_evaluated": {"Not checked yet: the data to check it is missing.", "尚未检查：缺少判断所需的数据。"},
		"explain.gate_unknown":       {"{name} (observed: {v}).", "{name}（观测值：{v}）。"},
		"explain.details":            {"Metric and evidence", "度量与证据"},

		// indicators of project-health
		"explain.ind.ACT-1":  {"{v} commits a week on average over the last year.", "近一年平均每周 {v} 次提交。"},
		"explain.ind.ACT-2":  {"The last commit was {v} months ago.", "最近一次提交在 {v} 个月前。"},
		"explain.ind.ACT-3":  {"{v} releases or tags in the last 12 months.", "近 12 个月发布或打标签 {v} 次。"},
		"explain.ind.ACT-5":  {"OpenSSF Scorecard rates its maintenance activity {v} out of 10.", "OpenSSF Scorecard 对其维护活跃度的评分为 {v}/10。"},
		"explain.ind.COM-1":  {"{v} people contributed code in the last 12 months.", "近 12 个月有 {v} 人贡献代码。"},
		"explain.ind.COM-2":  {"Last year's contributors came from {v} organisations.", "近一年的贡献者来自 {v} 个组织。"},
		"explain.ind.COM-3":  {"Half of last year's commits came from {v} people (bus factor).", "近一年半数提交来自 {v} 人（巴士系数）。"},
		"explain.ind.COM-4":  {"Half of last year's commits came from {v} organisations (elephant factor).", "近一年半数提交来自 {v} 个组织（大象系数）。"},
		"explain.ind.COM-5":  {"Adoption of {v} (stars plus twice the forks).", "采用度为 {v}（星标数加两倍派生数）。"},
		"explain.ind.RSP-1":  {"Issues get a first answer in {v} days (median).", "议题获得首次响应的中位时间为 {v} 天。"},
		"explain.ind.RSP-2":  {"Proposed changes get a first review in {v} days (median).", "合并请求获得首次响应的中位时间为 {v} 天。"},
		"explain.ind.RSP-3":  {"{v100} % of the proposed changes of the last 6 months were merged or closed.", "近 6 个月 {v100}% 的合并请求已合并或关闭。"},
		"explain.ind.RSP-4":  {"Bugs stay open {v} days (median).", "缺陷未关闭的中位时长为 {v} 天。"},
		"explain.ind.RSP-5":  {"OpenSSF Scorecard rates its code review {v} out of 10.", "OpenSSF Scorecard 对其代码评审的评分为 {v}/10。"},
		"explain.ind.SEC-2":  {"OpenSSF Scorecard rates its branch protection and automated tests {v} out of 10.", "OpenSSF Scorecard 对其分支保护与自动化测试的评分为 {v}/10。"},
		"explain.ind.SEC-3":  {"OpenSSF Scorecard rates its way to report vulnerabilities privately (security policy) {v} out of 10.", "OpenSSF Scorecard 对其私下报告漏洞的渠道（安全策略）的评分为 {v}/10。"},
		"explain.ind.SEC-4":  {"OpenSSF Scorecard rates its signed releases {v} out of 10.", "OpenSSF Scorecard 对其签名发布的评分为 {v}/10。"},
		"explain.ind.SEC-5":  {"OpenSSF Scorecard rates its Best Practices badge {v} out of 10.", "OpenSSF Scorecard 对其最佳实践徽章的评分为 {v}/10。"},
		"explain.ind.SEC-6":  {"OpenSSF Scorecard rates how it pins and updates its dependencies {v} out of 10.", "OpenSSF Scorecard 对其依赖锁定与更新的评分为 {v}/10。"},
		"explain.ind.SEC-7":  {"OpenSSF Scorecard rates its static analysis and fuzzing {v} out of 10.", "OpenSSF Scorecard 对其静态分析与模糊测试的评分为 {v}/10。"},
		"explain.ind.VUL-1":  {"Known vulnerabilities in the version in use weigh {v} (counted by severity).", "在用版本的已知漏洞按严重度加权计为 {v}。"},
		"explain.ind.VUL-1S": {"OpenSSF Scorecard rates its known vulnerabilities {v} out of 10 (10: none).", "OpenSSF Scorecard 对其已知漏洞的评分为 {v}/10（10 表示没有）。"},
		"explain.ind.VUL-2":  {"Known vulnerabilities in the latest release weigh {v} (counted by severity).", "最新版本的已知漏洞按严重度加权计为 {v}。"},
		"explain.ind.VUL-3":  {"Vulnerabilities were fixed in {v} days (median, last 24 months).", "近 24 个月漏洞修复的中位时长为 {v} 天。"},
		"explain.ind.VUL-5":  {"End-of-life policy: {v} (0 none, 0.5 published, 1 the version in use is supported).", "生命周期策略：{v}（0 无，0.5 已发布，1 在用版本在支持期内）。"},
		"explain.ind.LIC-1":  {"OpenSSF Scorecard rates its declared licence {v} out of 10.", "OpenSSF Scorecard 对其许可证声明的评分为 {v}/10。"},
		"explain.ind.LIC-2":  {"Its licence is {class} ({use} use).", "其许可证类别为{class}（使用方式：{use}）。"},
		"explain.ind.LIC-3":  {"The licence changed {v} times in the last 36 months.", "近 36 个月许可证变更 {v} 次。"},
		"explain.ind.LIC-4":  {"Its licence is {compat} with the systems that use it.", "其许可证与使用它的系统：{compat}。"},
		"explain.ind.LIC-5":  {"The institution's licence policy for this use: {policy}.", "本机构对此使用方式的许可证策略：{policy}。"},
		"explain.ind.SCJ-1":  {"Who controls the project: {gov}.", "项目的控制方：{gov}。"},
		"explain.ind.SCJ-2":  {"OpenSSF Scorecard rates its build integrity (no binaries in the repository, least-privilege tokens) {v} out of 10.", "OpenSSF Scorecard 对其构建完整性（仓库无二进制文件、令牌最小权限）的评分为 {v}/10。"},
		"explain.ind.SCJ-3":  {"OpenSSF Scorecard rates its packages published by the project itself {v} out of 10.", "OpenSSF Scorecard 对其官方发布包的评分为 {v}/10。"},
		"explain.ind.SCJ-4":  {"Jurisdiction or export-control exposure: {v} (0 none, 1 partial, 2 exposed).", "管辖或出口管制风险：{v}（0 无，1 部分，2 受限）。"},
		"explain.ind.SCJ-5":  {"Continuity fallback: {v} (0 none, 0.5 the source held internally or a qualified supplier abroad, 1 a qualified supplier at home).", "连续性保障：{v}（0 无，0.5 源码在内部留存或有境外合格供应商，1 有境内合格供应商）。"},
		"explain.ind.SCJ-6":  {"The copy of its source held internally was current with its upstream {v} days ago (days since its last fetch plus its lag).", "内部留存的源码距与上游一致已 {v} 天（距最近一次拉取的天数加其滞后天数）。"},
		// indicators of supplier that are numbers (the others are evidence levels)
		"explain.ind.QUA-4": {"{v} references in the financial industry.", "金融行业案例 {v} 个。"},
		"explain.ind.TEC-1": {"{v} of its engineers maintain the upstream projects it supports.", "其支持的上游项目中有 {v} 名维护者来自该供应商。"},
		"explain.ind.TEC-2": {"Its engineers made {v} % of the upstream commits in the last 12 months.", "近 12 个月上游提交的 {v}% 由其工程师完成。"},
		"explain.ind.TEC-4": {"Its engineers made {v} upstream security fixes in the last 24 months.", "近 24 个月其工程师完成上游安全修复 {v} 次。"},
		"explain.ind.SRV-3": {"Support for {v} years per major version.", "每个大版本提供 {v} 年支持。"},
		"explain.ind.SRV-4": {"It met its service levels {v} % of the time in the last 12 months.", "近 12 个月服务水平达成率为 {v}%。"},
		"explain.ind.SCC-2": {"Critical and high vulnerabilities were patched in {v} days (median, last 12 months).", "近 12 个月严重/高危漏洞补丁的中位时长为 {v} 天。"},
		"explain.ind.ECO-2": {"It leads {v} projects with 3 or more outside organisations.", "主导 {v} 个有 3 个以上外部组织参与的项目。"},
		"explain.ind.CNT-1": {"Two of its engineers made {v} % of the upstream commits.", "上游提交的 {v}% 由其两名工程师完成。"},

		// evidence-level indicators (questionnaire answers, GMI practices)
		"explain.evidence": {"{name}: evidence level {v} of 4 ({scale}).", "{name}：证据等级 {v}/4（{scale}）。"},
		"explain.level.0":  {"absent", "无"},
		"explain.level.1":  {"claimed, no document", "仅声称，无文件"},
		"explain.level.2":  {"documented", "有文件"},
		"explain.level.3":  {"documented, with sampled evidence", "有文件且抽样有证据"},
		"explain.level.4":  {"measured and improved", "有度量并持续改进"},

		// values named in sentences
		"use.internal":      {"internal", "内部使用"},
		"use.saas":          {"offered as a service", "对外提供服务"},
		"use.distributed":   {"distributed", "对外分发"},
		"gov.foundation":    {"a foundation", "基金会"},
		"gov.multi-vendor":  {"several companies", "多家企业"},
		"gov.single-vendor": {"a single company", "单一企业"},
		"gov.individual":    {"an individual", "个人"},
	})
}

// Names of things shown as values (issue 26, "Chinese throughout"): the
// sources observations come from, the kinds and states of runs, and the
// OSADL matrix's attribution, which the licence terms (CC-BY-4.0) ask for
// and which a Chinese report gives in Chinese.
func init() {
	register(map[string]entry{
		"source.github":          {"GitHub", "GitHub"},
		"source.gitlab":          {"GitLab", "GitLab"},
		"source.gitee":           {"Gitee", "Gitee（码云）"},
		"source.gitcode":         {"GitCode", "GitCode"},
		"source.forge":           {"code forge", "代码托管平台"},
		"source.gitlocal":        {"git history", "git 历史"},
		"source.clones":          {"internal clone", "内部克隆"},
		"source.scorecard":       {"OpenSSF Scorecard", "OpenSSF Scorecard"},
		"source.license":         {"licence detection", "许可证识别"},
		"source.sbom":            {"SBOM", "软件物料清单（SBOM）"},
		"source.osv":             {"OSV vulnerability database", "OSV 漏洞库"},
		"source.questionnaire":   {"questionnaire", "问卷"},
		"source.manual":          {"fact stated in the config", "配置中声明的事实"},
		"source.evidence":        {"supplier evidence", "供应商客观证据"},
		"source.lifecycle":       {"lifecycle ledger", "生命周期台账"},
		"source.derived":         {"derived from other facts", "由其他事实推导"},
		"run.kind.collect":       {"collect", "采集"},
		"run.kind.assess":        {"assess", "评估"},
		"run.kind.report":        {"report", "报告"},
		"run.status.running":     {"running", "运行中"},
		"run.status.complete":    {"complete", "完成"},
		"run.status.partial":     {"partial (some sources failed)", "部分完成（部分来源失败）"},
		"run.status.failed":      {"failed", "失败"},
		"run.status.interrupted": {"interrupted", "已中断"},
		"inv.attribution": {"Licence compatibility: OSADL open-source licence compatibility matrix (data version 2024.05.23), © Open Source Automation Development Lab (OSADL) eG and contributors, CC-BY-4.0.",
			"许可证兼容性依据：OSADL 开源许可证兼容性矩阵（数据版本 2024.05.23），© Open Source Automation Development Lab (OSADL) eG 及贡献者，CC-BY-4.0 许可。"},
	})
}
