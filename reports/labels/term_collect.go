package labels

import (
	"fmt"
	"strings"
)

// The terminal's lines on the way to the summary (issue 26): the progress
// of a collection, what it did, skipped and failed, the plan of its API
// spending, the evidence derived, the clones, the assessment, the files
// written and the demo's lines. English is the wording the terminal had;
// error texts stay English (they are for logs and support) and are put in
// the line as they are.
func init() {
	register(map[string]entry{
		// pipeline.LineProgress
		"term.progress.start":  {"collecting: {n} jobs", "采集：共 {n} 项任务"},
		"term.progress.step":   {"[{i}/{n}] {source} {subject}: {status} ({took})", "[{i}/{n}] {source} · {subject}：{status}（{took}）"},
		"term.progress.ok":     {"ok", "完成"},
		"term.progress.failed": {"FAILED: {err}", "失败：{err}"},
		"term.progress.done":   {"collected: {n} jobs in {took}", "采集结束：{n} 项任务，用时 {took}"},
		"term.progress.note":   {"{source}: {line}", "{source}：{line}"},

		// printCollect
		"term.collect.run":          {"collection run {id}: {status}, {n} observations{asof} in {took}", "采集运行 {id}：{status}，观测值 {n} 条{asof}，用时 {took}"},
		"term.collect.asof":         {" as of {day}", "（截至 {day}）"},
		"term.collect.skipped":      {"skipped:", "已跳过："},
		"term.collect.skip_key":     {"{source}: {reason}", "{source}：{reason}"},
		"term.collect.skip_one":     {"  {key} ({subject})", "  {key}（{subject}）"},
		"term.collect.skip_many":    {"  {key} ({n} subjects, e.g. {subject})", "  {key}（{n} 个对象，例如 {subject}）"},
		"term.collect.cost":         {"{source}: {n} API calls ({nm} not modified, free against the rate limit), {r} retries", "{source}：API 调用 {n} 次（其中 {nm} 次内容未变，不计入速率限制），重试 {r} 次"},
		"term.collect.cost_left":    {"; rate limit remaining {n}", "；速率限制剩余 {n}"},
		"term.collect.costliest":    {"API calls of the 10 costliest of {n} projects:", "{n} 个项目中 API 调用最多的 10 个："},
		"term.collect.subject_cost": {"  {id}: {n} calls, {nm} not modified, {r} retries", "  {id}：调用 {n} 次，内容未变 {nm} 次，重试 {r} 次"},
		"term.collect.failed":       {"FAILED {source} for {subject}: {err}", "失败：{source} · {subject}：{err}"},
		"term.collect.whole_run":    {"the whole run", "整个运行"},
		"term.collect.failed_total": {"{n} collection(s) failed (see the FAILED lines above); results for those subjects use earlier observations or are inconclusive",
			"{n} 项采集失败（见上方以“失败：”开头的行）；这些对象的结果使用较早的观测值，或显示为数据不足"},

		// session.collect, assess, report, backfill, discovered
		"term.evidence.suppliers":     {"supplier evidence: {n} observations for {m} suppliers", "供应商客观证据：{m} 家供应商，观测值 {n} 条"},
		"term.evidence.continuity":    {"continuity: {n} supply cut-off facts for the projects", "供应连续性：项目断供相关事实 {n} 条"},
		"term.evidence.lifecycle":     {"lifecycle evidence: {n} observations for the institution's governance practices", "生命周期证据：机构治理实践的观测值 {n} 条"},
		"term.evidence.lifecycle_err": {"lifecycle evidence: not derived: {err}", "生命周期证据：未能推导：{err}"},
		"term.assessed":               {"assessed {n} results for {period}", "已评估 {period} 的结果 {n} 项"},
		"term.wrote":                  {"wrote {path}", "已写入 {path}"},
		"term.store":                  {"store: {path}", "数据存储：{path}"},
		"term.backfill":               {"backfill {period}: collecting as of {day}", "回填 {period}：按 {day} 的状态采集"},
		"term.discovered": {"discovered in the SBOMs: {n} projects to assess (inventory.assess: {mode}); {budget}",
			"从 SBOM 中发现待评估项目 {n} 个（inventory.assess：{mode}）；{budget}"},
		"term.discovered.no_token": {"no GitHub token: they are assessed from SBOM and OSV data only (a token in github.token_env collects their activity)",
			"未设置 GitHub 令牌：仅依据 SBOM 与 OSV 数据评估（在 github.token_env 指定的变量中设置令牌即可采集其活跃度）"},
		"term.discovered.budget": {"the GitHub collector spends about {n} API calls on a first run (20 each, more for large projects; later runs mostly 304s that cost nothing)",
			"GitHub 采集器首次运行约消耗 {n} 次 API 调用（每个项目 20 次，大型项目更多；之后的运行多为不计费的 304 响应）"},

		// printPlan
		"term.plan.line":      {"plan: {forge} {resource} ({credential}): {n} projects, {what} — about {amount} {unit}; {when}", "计划：{forge} {resource}（{credential}）：{n} 个项目，{what}——约 {amount} {unit}；{when}"},
		"term.plan.unchanged": {"nothing counted when unchanged", "内容未变时不计数"},
		"term.plan.within":    {"within the current window ({left} of {limit} left)", "在当前窗口内（剩余 {left}，共 {limit}）"},
		"term.plan.known":     {"as the store last saw it", "依据数据存储最近的记录"},
		"term.plan.assumed":   {"assumed full now", "假定当前窗口额度已满"},
		"term.plan.windows": {"about {duration}: {left} left until {reset} ({src}), then {windows} more window(s) of {limit} an hour",
			"约 {duration}：{reset} 前剩余 {left}（{src}），之后还需 {windows} 个每小时 {limit} 的窗口"},
		"term.plan.unit.requests": {"requests", "次请求"},
		"term.plan.unit.points":   {"points", "点"},

		// the demo
		"term.demo.label":           {"recorded sample data", "录制的样例数据"},
		"term.demo.imported_before": {"{label}: imported into {path} before; not imported again", "{label}：此前已导入 {path}，不再重复导入"},
		"term.demo.imported": {"{label}: imported {n} observations of {p} projects at {k} instants up to {day} ({file}; not live data)",
			"{label}：已导入 {p} 个项目在 {k} 个时点（截至 {day}）的观测值 {n} 条（{file}；并非实时数据）"},
		"term.demo.self_repo": {"assessing this repository: {path}", "评估本仓库：{path}"},
		"term.demo.self_deps": {"assessing {n} Go dependency modules from {dir}", "评估 {dir} 中的 {n} 个 Go 依赖模块"},
		"source.demo":         {"demo", "演示"},

		// pipeline.Clones
		"term.clones.preparing": {"clones: preparing {n} repositories in {dir} with {tool}, {k} at a time", "克隆：在 {dir} 中用 {tool} 准备 {n} 个仓库，每次 {k} 个"},
		"term.clones.usage":     {"clones: {n} clones use {size} of {limit} in {dir}", "克隆：{dir} 中 {n} 个克隆占用 {size}（上限：{limit}）"},
		"term.clones.unbounded": {"unbounded", "不限"},
	})
	// Lines the clones manager logs (collectors/clones), keyed by their
	// format: the Chinese format names its arguments by index.
	register(map[string]entry{
		"term.clones.log.unsaved":  {"clones: state not saved: %v", "克隆：状态未保存：%v"},
		"term.clones.log.warning":  {"clones: %s: %s", "克隆：%s：%s"},
		"term.clones.log.failed":   {"clones: %s from %s failed: %v", "克隆：从 %[2]s %[1]s失败：%[3]v"},
		"term.clones.log.done":     {"clones: %s %s from %s%s with %s in %s, %s on disk", "克隆：%[2]s 已%[1]s，来自 %[3]s%[4]s，用 %[5]s，用时 %[6]s，占用磁盘 %[7]s"},
		"term.clones.log.noevict":  {"clones: could not evict %s: %v", "克隆：无法清除 %s：%v"},
		"term.clones.log.evicted":  {"clones: evicted %s (%s, last used %s) to stay within %s", "克隆：已清除 %s（%s，最近使用于 %s），以保持在 %s 以内"},
		"term.clones.log.overfull": {"clones: %s on disk, above the limit of %s: every remaining clone is in use by this run%s", "克隆：磁盘占用 %s，超过上限 %s：其余克隆均为本次运行%s所用"},
		"term.clones.log.nolock":   {"clones: %s: could not share the clone's lock: %v", "克隆：%s：无法共享该克隆的锁：%v"},
		"term.clones.log.branch":   {"clones: %s: the default branch is now %s (was %s): followed", "克隆：%s：默认分支已变为 %s（原为 %s），已随之切换"},
		"term.clones.log.inuse":    {"clones: %s is in use by another osgauge process: used as it left it (%s)", "克隆：%s 正被另一个 osgauge 进程使用：按其留下的状态使用（%s）"},
		"term.clones.word.cloned":  {"cloned", "克隆"},
		"term.clones.word.fetched": {"fetched", "拉取更新"},
		"term.clones.word.clone":   {"clone", "克隆"},
		"term.clones.word.fetch":   {"fetch", "拉取"},
	})
	// Phrases other packages word in English and the terminal shows:
	// skip reasons (the part before the first ": "), the plan's demands,
	// the SBOM import. {x} stands for any text.
	register(map[string]entry{
		"term.phrase.no_token":          {"no GitHub token", "未设置 GitHub 令牌"},
		"term.phrase.no_clone":          {"local_path {p} does not exist", "local_path {p} 不存在"},
		"term.phrase.no_local_path":     {"no local_path", "未配置 local_path"},
		"term.phrase.no_local_path_sc":  {"no local_path (local mode scans a directory)", "未配置 local_path（本地模式扫描目录）"},
		"term.phrase.not_git":           {"not a git repository", "不是 git 仓库"},
		"term.phrase.cannot_open":       {"cannot open git repository {p}", "无法打开 git 仓库 {p}"},
		"term.phrase.no_questionnaire":  {"no questionnaire file", "无问卷文件"},
		"term.phrase.no_repo":           {"no repo URL", "未配置仓库地址（repo）"},
		"term.phrase.no_forge":          {"no forge collector serves {host}", "没有代码托管平台采集器支持 {host}"},
		"term.phrase.present_only":      {"reads only the present state, which has no history; skipped as of {day}", "只读取当前状态，没有历史可回溯；按 {day} 采集时跳过"},
		"term.phrase.no_past":           {"cannot compute as of a past date; skipped as of {day}", "无法按过去的日期计算；按 {day} 采集时跳过"},
		"term.phrase.scorecard_present": {"Scorecard's checks read the repository and its settings as they are now (branch protection, workflows, tokens, the published score), which have no history; skipped as of {day}", "Scorecard 检查读取仓库及其设置的当前状态（分支保护、工作流、令牌、已发布的得分），没有历史可回溯；按 {day} 采集时跳过"},
		"term.phrase.licence_present":   {"reads the working tree's licence files as they are now, not as of a past commit (gitlocal reads the licence's changes from history); skipped as of {day}", "读取工作区许可证文件的当前状态，而非过去某次提交时的状态（gitlocal 从历史读取许可证变更）；按 {day} 采集时跳过"},
		"term.phrase.sc_no_token":       {"no GitHub token (scorecard github mode needs one; set the variable github.token_env names)", "未设置 GitHub 令牌（scorecard 的 github 模式需要令牌；请设置 github.token_env 指定的变量）"},
		"term.phrase.sc_no_repo":        {"no repo (scorecard {mode} mode {rest})", "未配置仓库地址（scorecard 的 {mode} 模式需要）"},
		"term.phrase.max_deps":          {"over --max-deps", "超出 --max-deps"},
		"term.phrase.max_mb":            {"larger than --max-module-mb", "大于 --max-module-mb"},
		"term.phrase.no_buildinfo":      {"binary has no build info", "程序不含构建信息"},
		"term.phrase.replaced":          {"replaced by a local directory", "已被本地目录替换"},
		"term.phrase.unusual_path":      {"unusual module path", "模块路径不寻常"},
		"term.phrase.not_in_cache":      {"source not in the module cache {dir}", "模块缓存 {dir} 中没有源码"},
		"term.phrase.not_checkout":      {"not run inside an osgauge source checkout", "未在 osgauge 源码检出目录中运行"},
		"term.phrase.sbom_imported": {"{a} of {b} systems' SBOMs imported ({c} unchanged since the last import, {d} failed), {e} component references",
			"{b} 个系统的 SBOM 已导入 {a} 个（自上次导入以来未变 {c} 个，失败 {d} 个），组件引用 {e} 条"},
		"term.phrase.its_token":     {"its token", "其令牌"},
		"term.phrase.credentials":   {"{n} credentials", "{n} 个凭据"},
		"term.phrase.plan_gql":      {"first collection by GraphQL ({n} repositories a query, about {p} points each, more for long histories)", "首次采集，使用 GraphQL（每次查询 {n} 个仓库，每次约 {p} 点，历史长的更多）"},
		"term.phrase.plan_advisory": {"first collection: the REST security-advisories list of each", "首次采集：逐个读取 REST 安全公告列表"},
		"term.phrase.plan_rest":     {"first collection by REST (at least {n} requests each, more for projects with long lists)", "首次采集，使用 REST（每个项目至少 {n} 次请求，列表长的项目更多）"},
		"term.phrase.plan_check":    {"refresh by one GraphQL check per {n} repositories (a changed one is read again: about {p} points more)", "更新：每 {n} 个仓库一次 GraphQL 检查（有变化的仓库重新读取：每个约多 {p} 点）"},
		"term.phrase.plan_refresh":  {"refresh by conditional REST requests (unchanged lists answer 304, which costs nothing; changed ones cost a few requests)", "更新：使用条件 REST 请求（未变的列表返回 304，不计费；有变化的需数次请求）"},
		"term.phrase.mirror":        {" (mirror rule {from} → {to})", "（镜像规则 {from} → {to}）"},
		"term.phrase.other_process": {" or by another osgauge process ({n})", "或另一个 osgauge 进程（{n} 个）"},
		"term.phrase.never_fetched": {"never fetched", "从未拉取"},
		"term.phrase.fetched_at":    {"fetched {t}", "拉取于 {t}"},
		"term.phrase.tool_git":      {"git {v} (blob-less partial clones)", "git {v}（不含 blob 的部分克隆）"},
		"term.phrase.tool_gogit":    {"go-git (full clones: git is not on PATH and go-git has no partial clone)", "go-git（完整克隆：PATH 中没有 git，go-git 不支持部分克隆）"},
	})
}

// termPhrases are the phrase keys, in the order they are tried: a more
// particular phrase before one it would also match.
var termPhrases = []string{
	"term.phrase.sc_no_token", "term.phrase.no_token", "term.phrase.no_local_path_sc", "term.phrase.no_local_path",
	"term.phrase.no_clone", "term.phrase.not_git", "term.phrase.cannot_open", "term.phrase.no_questionnaire",
	"term.phrase.no_repo", "term.phrase.no_forge", "term.phrase.present_only", "term.phrase.no_past",
	"term.phrase.scorecard_present", "term.phrase.licence_present", "term.phrase.sc_no_repo",
	"term.phrase.max_deps", "term.phrase.max_mb", "term.phrase.no_buildinfo", "term.phrase.replaced",
	"term.phrase.unusual_path", "term.phrase.not_in_cache", "term.phrase.not_checkout",
	"term.phrase.sbom_imported", "term.phrase.its_token", "term.phrase.credentials",
	"term.phrase.plan_gql", "term.phrase.plan_advisory", "term.phrase.plan_rest", "term.phrase.plan_check",
	"term.phrase.plan_refresh", "term.phrase.mirror", "term.phrase.tool_git", "term.phrase.tool_gogit",
	"term.phrase.other_process", "term.phrase.never_fetched", "term.phrase.fetched_at",
}

// TermLine is the terminal line key in lang with its {placeholders}
// replaced by kv (pairs: "{n}", "3").
func TermLine(lang, key string, kv ...string) string {
	return strings.NewReplacer(kv...).Replace(T(lang, key))
}

// TermPhrase words s, a phrase another package writes in English (a skip
// reason, a plan's demand, the SBOM import's summary), in lang: when s is
// one of the known phrases as a whole, its Chinese with the same {x}
// parts; otherwise, and in English, s as it is.
func TermPhrase(lang, s string) string {
	if lang != "zh" {
		return s
	}
	for _, key := range termPhrases {
		if vals, ok := matchTemplate(T("en", key), s); ok {
			kv := make([]string, 0, 2*len(vals))
			for name, v := range vals {
				kv = append(kv, name, v)
			}
			return strings.NewReplacer(kv...).Replace(T("zh", key))
		}
	}
	return s
}

// matchTemplate matches s against tmpl, whose {name} parts stand for any
// non-empty text (each taken as short as the next literal allows; the
// last to the end), and returns the parts by "{name}".
func matchTemplate(tmpl, s string) (map[string]string, bool) {
	vals := map[string]string{}
	rest := s
	for tmpl != "" {
		open := strings.Index(tmpl, "{")
		if open < 0 {
			return vals, rest == tmpl
		}
		lit := tmpl[:open]
		if !strings.HasPrefix(rest, lit) {
			return nil, false
		}
		rest = rest[len(lit):]
		end := strings.Index(tmpl[open:], "}")
		if end < 0 {
			return nil, false
		}
		name := tmpl[open : open+end+1]
		tmpl = tmpl[open+end+1:]
		next := tmpl
		if i := strings.Index(next, "{"); i >= 0 {
			next = next[:i]
		}
		var v string
		switch {
		case next == "" && tmpl == "":
			v, rest = rest, ""
		case next == "":
			return nil, false // two parts side by side: ambiguous
		default:
			i := strings.Index(rest, next)
			if i < 0 {
				return nil, false
			}
			v, rest = rest[:i], rest[i:]
		}
		if v == "" {
			return nil, false
		}
		vals[name] = v
	}
	return vals, rest == ""
}

// CloneLog words a line the clones manager logs (format and args as it
// gives them) in lang: in Chinese when the format is a known one, its
// words (cloned, fetch, a mirror rule) too; otherwise as it is.
func CloneLog(lang, format string, args ...any) string {
	if lang != "zh" {
		return fmt.Sprintf(format, args...)
	}
	for _, key := range []string{"term.clones.log.unsaved", "term.clones.log.warning", "term.clones.log.failed", "term.clones.log.done",
		"term.clones.log.noevict", "term.clones.log.evicted", "term.clones.log.overfull", "term.clones.log.nolock",
		"term.clones.log.branch", "term.clones.log.inuse"} {
		if T("en", key) != format {
			continue
		}
		out := make([]any, len(args))
		for i, a := range args {
			out[i] = a
			if s, ok := a.(string); ok {
				if Has("term.clones.word." + s) {
					out[i] = T(lang, "term.clones.word."+s)
				} else if s != "" {
					out[i] = TermPhrase(lang, s)
				}
			}
		}
		return fmt.Sprintf(T(lang, key), out...)
	}
	return fmt.Sprintf(format, args...)
}
