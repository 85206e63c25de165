package labels

import (
	"regexp"
	"sort"
	"strings"
)

// The engine's and the licence judge's fixed sentences in Chinese (issue
// 26, "Chinese throughout"). assess and licenses write their explanations
// in English, from fixed phrases around ids, numbers and outside text; a
// Chinese report translates the fixed phrases here, at the report layer,
// and keeps what is not a phrase verbatim: metric ids, licence ids and
// SPDX expressions, section numbers, grade ids (named through the model),
// collector reasons (outside text). An English report shows the text as
// the engine wrote it.

// phrase is a fixed English phrase and its Chinese.
type phrase struct{ en, zh string }

// licenceWhy: the licence judge's fixed phrases (licenses/compat_rules.go,
// compat.go, compat_table.go; pipeline/inventory.go adds "Obligations:").
// Longer phrases are replaced before the shorter ones inside them.
var licenceWhy = []phrase{
	{"internal use: nothing is conveyed, copyleft not triggered (GPL-3.0 §2: works not conveyed may be made, run and propagated without conditions, §0: conveying enables other parties to receive copies; GPL-2.0 §0: running is not restricted; a copy handed to another legal entity, a subsidiary included, is distribution)",
		"内部使用：未向他人传递副本，不触发著佐权义务（GPL-3.0 §2：不传递的作品可无条件制作、运行和传播；§0：传递指使他人得以获得副本；GPL-2.0 §0：运行不受限制；交给另一法人实体（含子公司）的副本即属分发）"},
	{"SaaS: nothing is conveyed, copyleft not triggered (GPL-3.0 §0: \"mere interaction with a user through a computer network, with no transfer of a copy, is not conveying\"; only network clauses reach SaaS; code sent to users' browsers or devices is distributed: judge it as distributed)",
		"对外提供服务：未向他人传递副本，不触发著佐权义务（GPL-3.0 §0：仅通过计算机网络与用户交互、不转移副本的，不属于传递；只有网络条款适用于对外服务；发送到用户浏览器或设备上的代码属于分发，应按对外分发判断）"},
	{" in a distributed proprietary system: a public-domain dedication imposes no conditions", "，用于对外分发的专有系统：公有领域声明不附加任何条件"},
	{" (CC0-1.0 §2 waiver, §3 fallback licence; §4(a): it grants no patent licence)", "（CC0-1.0 §2 放弃权利、§3 后备许可；§4(a)：不授予专利许可）"},
	{" in a distributed proprietary system: permissive, its notices go with the product", "，用于对外分发的专有系统：宽松型许可证，其声明须随产品一并提供"},
	{" (the LLVM exception lifts Apache-2.0 §4(a), (b), (d) for compiled portions)", "（LLVM 例外对编译后的部分免除 Apache-2.0 §4(a)、(b)、(d)）"},
	{" in a distributed proprietary system: weak copyleft, the larger work may carry the bank's terms on conditions", "，用于对外分发的专有系统：弱著佐权许可证，满足条件时整体作品可采用本行的条款"},
	{" lets code linked with it keep its own terms; the component's own source must be offered", " 允许与其链接的代码保留自身条款；须提供该组件本身的源代码"},
	{" in a distributed proprietary system: strong copyleft, the whole work must be licensed under it when conveyed (GPL-2.0 §2(b), GPL-3.0 §5(c)), which a proprietary licence cannot be (a separate program shipped alongside, an aggregate under GPL-3.0 §5, escapes it: legal may narrow this)",
		"，用于对外分发的专有系统：强著佐权许可证，传递时整个作品须以该许可证授权（GPL-2.0 §2(b)、GPL-3.0 §5(c)），专有许可证无法做到（作为独立程序随附分发、即 GPL-3.0 §5 所称的聚合体，可不受约束：法务可收窄此判断）"},
	{" in a distributed proprietary system: its copyleft covers works based on it (", "，用于对外分发的专有系统：其著佐权覆盖基于它的作品（"},
	{"), which a proprietary licence cannot meet", "），专有许可证无法满足"},
	{" in a distributed proprietary system: ", "，用于对外分发的专有系统："},
	{" in a proprietary SaaS system: ", "，用于对外提供服务的专有系统："},
	{" requires the source of the whole work based on it under ", " 要求以如下许可证提供基于它的整个作品的源代码："},
	{", which a proprietary system cannot give (only an unmodified copy run as a separate program escapes it: legal may narrow this)", "，专有系统无法做到（仅作为独立程序运行的未修改副本可不受约束：法务可收窄此判断）"},
	{" reaches SaaS, and ", " 适用于对外服务，且"},
	{"SaaS triggers ", "对外服务触发 "},
	{": the system's own licence", "：系统自身的许可证"},
	{": licence not recognised, its terms need legal review", "：许可证无法识别，其条款需法务审查"},
	{"the SBOM declares no licence for the component: its licence must be found before it can be judged", "SBOM 未声明该组件的许可证：须先查明其许可证才能判断"},
	{"system licence not stated: judged as proprietary, the conservative reading", "系统许可证未说明：按专有系统判断（保守解读）"},
	{"use not stated: judged as distributed, the conservative reading", "使用方式未说明：按对外分发判断（保守解读）"},
	{" is not a single SPDX licence", " 不是单一的 SPDX 许可证"},
	{"system licence ", "系统许可证 "},
	{"AGPL-3.0 §13 (users interacting with a modified version remotely are offered its Corresponding Source)", "AGPL-3.0 §13（须向远程与修改版交互的用户提供其对应源代码）"},
	{"OSL-3.0 §5 (External Deployment, use over a network by others, counts as distribution)", "OSL-3.0 §5（外部部署，即他人通过网络使用，视为分发）"},
	{": if modified and offered to staff over a network, those users (within the bank) are offered its source", "：如经修改并通过网络提供给员工使用，须向这些（行内）用户提供其源代码"},
	{"for any copy that reaches users (served JavaScript, apps): ", "凡到达用户手中的副本（下发的 JavaScript、应用）："},
	{" §4: give recipients the licence text (a), mark modified files (b), keep copyright, patent and attribution notices (c), and reproduce the NOTICE file's attributions in a NOTICE file, the documentation or a display (d)",
		" §4：向接收方提供许可证文本 (a)，标注修改过的文件 (b)，保留版权、专利与归属声明 (c)，并在 NOTICE 文件、文档或显示界面中复制 NOTICE 文件的归属信息 (d)"},
	{": keep the copyright notice, conditions and disclaimer with source and binary copies (clauses 1-2); never use the authors' names to promote the product (clause 3)",
		"：源代码与二进制副本均须保留版权声明、条件与免责声明（第 1–2 条）；不得用作者姓名推广产品（第 3 条）"},
	{": keep the copyright notice and licence text with every copy, source and binary (in the documentation or an about screen)",
		"：每个副本（源代码与二进制）均须附带版权声明与许可证文本（可放在文档或“关于”界面中）"},
	{"; compatible on conditions: ", "；附条件兼容："},
	{"those of the licence chosen, either ", "所选许可证的条件，二选一："},
	{". Chosen: ", "。选用："},
	{" Obligations: ", " 义务："},
	{", internal use: ", "，内部使用："},
	{", SaaS: ", "，对外提供服务："},
	{", distributed: ", "，对外分发："},
	{": not in the OSADL matrix, legal review", "：不在 OSADL 矩阵中，需法务审查"},
	{"OSADL: ", "OSADL 矩阵："},
}

var licenceWhyReplacer = replacerOf(licenceWhy)

// replacerOf replaces the longest phrases first, so a phrase inside a
// longer one never breaks it.
func replacerOf(ps []phrase) *strings.Replacer {
	s := append([]phrase(nil), ps...)
	sort.SliceStable(s, func(i, j int) bool { return len(s[i].en) > len(s[j].en) })
	var args []string
	for _, p := range s {
		args = append(args, p.en, p.zh)
	}
	return strings.NewReplacer(args...)
}

// LicenceWhy is a licence verdict's reasoning (licenses.Judgement.Why, a
// component's compatibility "why") in lang: in zh its fixed phrases in
// Chinese, licence ids and SPDX expressions, system names and section
// numbers verbatim.
func LicenceWhy(lang, why string) string {
	if lang != "zh" || why == "" {
		return why
	}
	return licenceWhyReplacer.Replace(why)
}

// indicatorPhrases: the engine's fixed phrases in an indicator's
// explanation (assess/engine.go evalIndicator).
var indicatorPhrases = []phrase{
	{"inconclusive: ", "数据不足："},
	{": no observation", "：无观测数据"},
	{" at their worst and best: ", " 取最差与最好时："},
}

var (
	indicatorReplacer = replacerOf(indicatorPhrases)
	meanOf            = regexp.MustCompile(`\bmean of (\d+)/(\d+) metrics\b`)
	withMissing       = regexp.MustCompile(`\bwith the (\d+) missing \(`)
)

// IndicatorExplanation is the engine's explanation of an indicator in
// lang: in zh "inconclusive: scorecard.Fuzzing: no observation" reads
// "数据不足：scorecard.Fuzzing：无观测数据"; metric ids, numbers, formulas
// and collector reasons stay as they are.
func IndicatorExplanation(lang, s string) string {
	if lang != "zh" || s == "" {
		return s
	}
	s = meanOf.ReplaceAllString(s, "${1}/${2} 项度量取均值")
	s = withMissing.ReplaceAllString(s, "缺失的 ${1} 项（")
	return indicatorReplacer.Replace(s)
}

// resultRules: the engine's sentences about a result's grade
// (assess/engine.go gradeFromBounds), each a pattern and its Chinese;
// {g1}… are grade ids in the pattern's groups, named by the caller.
var resultRules = []struct {
	re *regexp.Regexp
	zh string
}{
	{regexp.MustCompile(`coverage ([\d.]+)% is below the model's minimum ([\d.]+)%`), "数据覆盖率 ${1}% 低于模型要求的最低 ${2}%"},
	{regexp.MustCompile(`coverage ([\d.]+)% ≥ minimum ([\d.]+)%`), "数据覆盖率 ${1}% ≥ 最低要求 ${2}%"},
	{regexp.MustCompile(`score between ([\d.]+) and ([\d.]+) with the missing indicators at their worst and best`), "缺失指标取最差与最好时得分介于 ${1} 与 ${2} 之间"},
	{regexp.MustCompile(`: between (\S+) and (\S+) \(`), "：介于 «${1}» 与 «${2}» 之间 ("},
	{regexp.MustCompile(`weighted mean of (\d+) dimensions with data; `), "有数据的 ${1} 个维度加权平均；"},
	{regexp.MustCompile(`graded on partial data \(`), "部分数据定级 ("},
	{regexp.MustCompile(`the missing indicators and gates cannot change the grade \(`), "缺失指标与否决项均无法改变该等级 ("},
	{regexp.MustCompile(`the missing indicators cannot change the grade \(`), "缺失指标无法改变该等级 ("},
	{regexp.MustCompile(`; capped at (\S+) by `), "；被以下否决项限定为 «${1}»："},
	{regexp.MustCompile(`; point score ([\d.]+) from the indicators with data \(no estimate below the coverage minimum\)`), "；有数据指标的得分为 ${1}（覆盖率低于最低要求，不作估计）"},
	{regexp.MustCompile(`; estimate (\S+) from the score ([\d.]+) \(the indicators with data\)`), "；按有数据指标的得分 ${2} 估计为 «${1}»"},
	{regexp.MustCompile(`; gates not evaluated \(fired at worst, capping the best case\): `), "；未评估的否决项（最差情况按触发计，并限定最好情况）："},
	{regexp.MustCompile(`: no grade is given`), "：不给出等级"},
	{regexp.MustCompile(`exception on (\S+) \(`), "${1} 的例外 ("},
}

// gradeMark marks a grade id in a translated sentence until it is named.
var gradeMark = regexp.MustCompile(`«([^«»]+)»`)

// ResultExplanation is the engine's explanation of a result's grade in
// lang: in zh "coverage 45.0% is below the model's minimum 50%: between
// D and B (score between …)" reads "数据覆盖率 45.0% 低于模型要求的最低
// 50%：介于 D 与 B 之间（…）", with grade ids named by name (a supplier
// tier's "conditional" as its label); gate ids, sources and numbers stay.
func ResultExplanation(lang, s string, name func(string) string) string {
	if lang != "zh" || s == "" {
		return s
	}
	for _, r := range resultRules {
		s = r.re.ReplaceAllString(s, r.zh)
	}
	s = strings.NewReplacer(" (", "（", "(", "（", ")", "）", "; ", "；", ", ", "、").Replace(s)
	return gradeMark.ReplaceAllStringFunc(s, func(m string) string {
		id := m[len("«") : len(m)-len("»")]
		if name != nil {
			return name(id)
		}
		return id
	})
}

// What measures the sources the needs.* labels (bounds.go) did not name:
// the forge collectors and the derived and clone facts (issue 26: "forge"
// showed as an id in the Chinese ungraded note).
func init() {
	register(map[string]entry{
		"needs.forge":   {"a code forge collector (GitHub, GitLab, Gitee or GitCode: network)", "代码托管平台采集器（GitHub、GitLab、Gitee 或 GitCode，需网络）"},
		"needs.clones":  {"an internal clone (clones: in the config)", "内部克隆（配置中的 clones:）"},
		"needs.derived": {"the facts it is derived from (collected first)", "推导所依据的事实（需先采集）"},
	})
}
