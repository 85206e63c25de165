package main

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
	"unicode"

	"github.com/osgauge/osgauge/collectors"
	"github.com/osgauge/osgauge/collectors/forge"
	"github.com/osgauge/osgauge/config"
	"github.com/osgauge/osgauge/pipeline"
	"github.com/osgauge/osgauge/reports/labels"
)

// Issue 26: under zh every line the CLI prints on the way (progress,
// collection summary, evidence, assessment, files written, store, demo)
// is Chinese; under en it is the English it was.

// englishInTerminal are words of the terminal's English lines (the
// progress, the collection summary, the evidence, assess, wrote, store,
// the plan, the clones, the demo's import) that a Chinese line must not
// contain; "forge" is the summary's source name.
var englishInTerminal = strings.Fields(`collecting collected jobs ok collection run observations complete partial
	supplier suppliers evidence continuity lifecycle assessed assessing results wrote store skipped subjects
	imported instants projects live data sample recorded plan about clones facts governance practices
	institution discovered backfill calls retries failed not for the of in and to up as from with forge
	token exist does repository whole`)

// modelRef is a model id with its version ("supplier 0.3.0"), allowed.
var modelRef = regexp.MustCompile(`\b[a-z][a-z-]* \d+\.\d+\.\d+`)

// englishWords returns the words of englishInTerminal in text, a line at a
// time, after taking out the names in allowed and model ids with their
// versions; a field holding a path, an id, a version or a number (a /, .,
// -, _, :, @ or digit inside it: gate ids, periods, file names, cred:…)
// is allowed as it is; punctuation at a field's ends does not count.
func englishWords(text string, allowed []string) []string {
	banned := map[string]bool{}
	for _, w := range englishInTerminal {
		banned[w] = true
	}
	var found []string
	for _, line := range strings.Split(text, "\n") {
		for _, a := range allowed {
			line = strings.ReplaceAll(line, a, " ")
		}
		line = modelRef.ReplaceAllString(line, " ")
		fields := strings.FieldsFunc(line, func(r rune) bool { return unicode.IsSpace(r) || r > unicode.MaxASCII })
		for _, f := range fields {
			f = strings.Trim(f, ":;,.()'\"")
			if strings.ContainsAny(f, "/\\.-_:@0123456789") {
				continue
			}
			for _, w := range strings.FieldsFunc(f, func(r rune) bool { return !unicode.IsLetter(r) }) {
				if banned[strings.ToLower(w)] {
					found = append(found, w+" in "+strings.TrimSpace(line))
				}
			}
		}
	}
	return found
}

// The checker itself: an English line is caught, a Chinese line with ids,
// paths and names is not.
func TestEnglishWordsChecker(t *testing.T) {
	if got := englishWords("collected: 19 jobs in 41ms", nil); len(got) != 3 { // collected, jobs, in
		t.Errorf("English line: %q, want collected, jobs, in", got)
	}
	zh := "[2/19] 软件物料清单（SBOM） · Gamma Data Systems：完成（32ms）\n已写入 /tmp/recorded/osgauge-2026Q3.json\n模型：governance-maturity 0.4.0 · supplier 0.3.0"
	if got := englishWords(zh, []string{"Gamma Data Systems"}); len(got) != 0 {
		t.Errorf("Chinese lines: %q, want none", got)
	}
}

// captureStderr runs f with os.Stderr going to a pipe (the progress
// writes there) and returns what was written.
func captureStderr(t *testing.T, f func()) string {
	t.Helper()
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	old := os.Stderr
	os.Stderr = w
	done := make(chan string)
	go func() {
		b, _ := io.ReadAll(r)
		done <- string(b)
	}()
	defer func() { os.Stderr = old }()
	f()
	w.Close()
	os.Stderr = old
	return <-done
}

var demoNames = []string{"Acme OSS Services", "Beta Cloud Native Ltd", "Gamma Data Systems", "Example Bank"}

func hasCJK(s string) bool {
	for _, r := range s {
		if unicode.Is(unicode.Han, r) {
			return true
		}
	}
	return false
}

// The recorded demo under zh (its default) and under en.
func TestDemoTerminalLanguage(t *testing.T) {
	t.Setenv("GITHUB_TOKEN", "")
	var zhOut, enOut string
	var zhErr, enErr error
	zhProg := captureStderr(t, func() { zhOut, zhErr = runCLI(t, "demo", "--out", t.TempDir()) })
	if zhErr != nil {
		t.Fatalf("demo: %v\n%s", zhErr, zhOut)
	}
	all := zhProg + zhOut
	if bad := englishWords(all, demoNames); len(bad) > 0 {
		t.Errorf("English under zh:\n%s\n--- output:\n%s", strings.Join(bad, "\n"), all)
	}
	// The demo's jobs, counted by hand: osv and sbom for the six recorded
	// projects and the bank (7 + 7), the questionnaires of the three
	// suppliers and the bank (4), Acme's stated facts (manual, 1): 19.
	// The recorded quarters assess the 6 projects; the current quarter
	// the 6 projects, 3 suppliers and the bank: 10.
	for _, want := range []string{
		"采集：共 19 项任务", "采集结束：19 项任务，用时 ", "[19/19] ", "：完成（",
		"已评估 2025Q3 的结果 6 项", "已评估 2026Q3 的结果 10 项",
		"供应商客观证据：3 家供应商，观测值 ", "生命周期证据：机构治理实践的观测值 ",
		"录制的样例数据：已导入 6 个项目在 5 个时点（截至 2026-08-22）的观测值 ",
		"已写入 ", "osgauge-2026Q3.json", "数据存储：",
		"软件物料清单（SBOM）：2 个系统的 SBOM 已导入 2 个（自上次导入以来未变 0 个，失败 0 个）",
	} {
		if !strings.Contains(all, want) {
			t.Errorf("zh output lacks %q:\n%s", want, all)
		}
	}
	if !regexp.MustCompile(`(?m)^采集运行 \d+：完成，观测值 \d+ 条，用时 `).MatchString(all) {
		t.Errorf("zh output lacks the collection run line:\n%s", all)
	}

	enProg := captureStderr(t, func() { enOut, enErr = runCLI(t, "demo", "--out", t.TempDir(), "--lang", "en") })
	if enErr != nil {
		t.Fatalf("demo --lang en: %v\n%s", enErr, enOut)
	}
	all = enProg + enOut
	if hasCJK(all) {
		t.Errorf("Chinese under en:\n%s", all)
	}
	// The English lines as they were before issue 26.
	for _, want := range []string{
		"collecting: 19 jobs\n", "collected: 19 jobs in ", "[19/19] ", ": ok (",
		"assessed 6 results for 2025Q3\n", "assessed 10 results for 2026Q3\n",
		"supplier evidence: ", " observations for 3 suppliers\n",
		" observations for the institution's governance practices\n", " supply cut-off facts for the projects\n",
		"recorded sample data: imported 1230 observations of 6 projects at 5 instants up to 2026-08-22 (recorded/portfolio.json; not live data)\n",
		"\nwrote ", "\nstore: ",
		"sbom: 2 of 2 systems' SBOMs imported (0 unchanged since the last import, 0 failed)",
	} {
		if !strings.Contains(all, want) {
			t.Errorf("en output lacks %q:\n%s", want, all)
		}
	}
	if !regexp.MustCompile(`(?m)^collection run \d+: complete, \d+ observations in \d`).MatchString(all) {
		t.Errorf("en output lacks the collection run line:\n%s", all)
	}
}

// A small collection under zh with skips, then assess and report: the
// skip lines name the source by its label and the reason in Chinese.
func TestCollectSkipsChinese(t *testing.T) {
	t.Setenv("OSGAUGE_TEST_TOKEN", "")
	dir := t.TempDir()
	if _, err := runCLI(t, "init", "--dir", dir); err != nil {
		t.Fatal(err)
	}
	cfg := filepath.Join(dir, "osgauge.yaml")
	os.WriteFile(cfg, []byte(`institution: {name: Example Bank, self_assessment: self-assessment.yaml}
github: {token_env: OSGAUGE_TEST_TOKEN}
projects:
  - {name: tool, repo: https://github.com/example/tool, local_path: clones/tool}
suppliers:
  - {name: Acme OSS Services, questionnaire: suppliers/acme.yaml, supports: [tool]}
report: {formats: [json]}
`), 0o644)
	var out string
	var err error
	prog := captureStderr(t, func() {
		out, err = runCLI(t, "--config", cfg, "collect", "--only", "github,gitlocal,license,questionnaire")
	})
	if err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	all := prog + out
	if bad := englishWords(all, []string{"Acme OSS Services", "Example Bank"}); len(bad) > 0 {
		t.Errorf("English under zh:\n%s\n--- output:\n%s", strings.Join(bad, "\n"), all)
	}
	// github: no token; gitlocal and license: the clone is missing (one
	// group each, one subject); the questionnaires of Acme and the bank
	// run: 2 jobs.
	for _, want := range []string{
		"采集：共 2 项任务", "已跳过：",
		"  GitHub：未设置 GitHub 令牌（github.com/example/tool）",
		"  git 历史：local_path ", "  许可证识别：local_path ", " 不存在（github.com/example/tool）",
	} {
		if !strings.Contains(all, want) {
			t.Errorf("output lacks %q:\n%s", want, all)
		}
	}
	out, err = runCLI(t, "--config", cfg, "collect", "--only", "questionnaire", "--as-of", "2025-09-30")
	if err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	// Questionnaires read only the present: skipped as of the day, for the
	// supplier and the bank (2 subjects, the supplier's first).
	want := "  问卷：只读取当前状态，没有历史可回溯；按 2025-09-30 采集时跳过（2 个对象，例如 "
	if !strings.Contains(out, want) || !strings.Contains(out, "（截至 2025-09-30）") {
		t.Errorf("as-of output lacks %q and the as-of day:\n%s", want, out)
	}
}

// printCollectLang on a summary made by hand, in both languages.
func TestPrintCollectLang(t *testing.T) {
	asOf := time.Date(2025, 9, 30, 23, 59, 59, 0, time.UTC)
	sum := &pipeline.CollectSummary{RunID: 7, Status: "partial", Observations: 12, Duration: 1500 * time.Millisecond, AsOf: &asOf,
		Skipped: []pipeline.Skip{
			{Source: "gitlocal", Subject: "a", Reason: "not a git repository: /x/a"},
			{Source: "gitlocal", Subject: "b", Reason: "not a git repository: /x/b"},
			{Source: "forge", Subject: "c", Reason: "no forge collector serves git.example.com: assessed from git only, no forge data"},
			{Source: "scorecard", Subject: "d", Reason: "an unknown reason"},
		},
		Cost:        map[string]collectors.Cost{"github": {Requests: 30, NotModified: 10, Retries: 1, RateRemaining: 4970}},
		SubjectCost: map[string]collectors.Cost{"a": {Requests: 30, NotModified: 10, Retries: 1}},
		Failed:      []pipeline.Failure{{Source: "sbom", Subject: "the whole run", Error: "sbom import: bad.json: line 3: unexpected EOF"}},
	}
	var en, zh strings.Builder
	printCollectLang(&en, sum, "en")
	printCollectLang(&zh, sum, "zh")
	wantEn := `collection run 7: partial, 12 observations as of 2025-09-30 in 1.5s
skipped:
  gitlocal: not a git repository (2 subjects, e.g. a)
  forge: no forge collector serves git.example.com (c)
  scorecard: an unknown reason (d)
github: 30 API calls (10 not modified, free against the rate limit), 1 retries; rate limit remaining 4970
  a: 30 calls, 10 not modified, 1 retries
FAILED sbom for the whole run: sbom import: bad.json: line 3: unexpected EOF
`
	if en.String() != wantEn {
		t.Errorf("en:\n%s\nwant:\n%s", en.String(), wantEn)
	}
	// The unknown reason stays as it is; the error text stays English.
	wantZh := `采集运行 7：部分完成（部分来源失败），观测值 12 条（截至 2025-09-30），用时 1.5s
已跳过：
  git 历史：不是 git 仓库（2 个对象，例如 a）
  代码托管平台：没有代码托管平台采集器支持 git.example.com（c）
  OpenSSF Scorecard：an unknown reason（d）
GitHub：API 调用 30 次（其中 10 次内容未变，不计入速率限制），重试 1 次；速率限制剩余 4970
  a：调用 30 次，内容未变 10 次，重试 1 次
失败：软件物料清单（SBOM） · 整个运行：sbom import: bad.json: line 3: unexpected EOF
`
	if zh.String() != wantZh {
		t.Errorf("zh:\n%s\nwant:\n%s", zh.String(), wantZh)
	}
	// printCollect (the queue's and the worker's) is the English one.
	var plain strings.Builder
	printCollect(&plain, sum)
	if plain.String() != wantEn {
		t.Errorf("printCollect:\n%s", plain.String())
	}
}

// The progress lines and a preparation's note, in both languages.
func TestProgressLang(t *testing.T) {
	run := func(lang string) string {
		var b strings.Builder
		p := &pipeline.LineProgress{W: &b, Lang: lang}
		p.Note("sbom: 2 of 3 systems' SBOMs imported (1 unchanged since the last import, 0 failed), 9 component references")
		p.Start(2)
		p.Step("gitlocal", "karmada", nil, 5*time.Millisecond)
		p.Step("osv", "gson", errors.New("osv: 503 Service Unavailable"), 0)
		p.Done()
		return b.String()
	}
	en, zh := run("en"), run("zh")
	for _, want := range []string{"sbom: 2 of 3 systems' SBOMs imported (1 unchanged since the last import, 0 failed), 9 component references\n",
		"collecting: 2 jobs\n", "[1/2] gitlocal karmada: ok (5ms)\n", "[2/2] osv gson: FAILED: osv: 503 Service Unavailable (0s)\n", "collected: 2 jobs in "} {
		if !strings.Contains(en, want) {
			t.Errorf("en lacks %q:\n%s", want, en)
		}
	}
	for _, want := range []string{"软件物料清单（SBOM）：3 个系统的 SBOM 已导入 2 个（自上次导入以来未变 1 个，失败 0 个），组件引用 9 条\n",
		"采集：共 2 项任务\n", "[1/2] git 历史 · karmada：完成（5ms）\n", "[2/2] OSV 漏洞库 · gson：失败：osv: 503 Service Unavailable（0s）\n", "采集结束：2 项任务，用时 "} {
		if !strings.Contains(zh, want) {
			t.Errorf("zh lacks %q:\n%s", want, zh)
		}
	}
}

// The plan of TestPlanLines2000Projects in Chinese: 24,000 requests at
// 5,000 an hour, nothing stored: 5,000 now, ⌈19,000 ÷ 5,000⌉ = 4 more
// windows, 1 h + 3 h = 4h0m0s.
func TestPlanLinesChinese(t *testing.T) {
	now := time.Date(2026, 5, 1, 10, 0, 0, 0, time.UTC)
	plan := forge.MakePlan([]forge.Demand{{Forge: "GitHub", Credential: "cred:abc", Resource: "core", Unit: "requests",
		Amount: 24000, Limit: 5000, Projects: 2000, What: "first collection by REST (at least 12 requests each, more for projects with long lists)"}}, nil, now, forge.PlanWindow)
	zh := planLinesLang(plan, now, "zh")
	if len(zh) != 1 {
		t.Fatalf("lines %q", zh)
	}
	for _, want := range []string{"计划：github core（cred:abc）：2000 个项目，首次采集，使用 REST（每个项目至少 12 次请求，列表长的项目更多）——约 24,000 次请求；",
		"约 4h0m0s：", "前剩余 5000（假定当前窗口额度已满），之后还需 4 个每小时 5000 的窗口"} {
		if !strings.Contains(zh[0], want) {
			t.Errorf("line %q lacks %q", zh[0], want)
		}
	}
	if en := planLinesLang(plan, now, "en"); en[0] != planLines(plan, now)[0] || !strings.HasPrefix(en[0], "plan: github core (cred:abc): 2000 projects, first collection by REST") {
		t.Errorf("en %q", en[0])
	}
}

// The clones manager's lines by their format, and a phrase matched with
// its parts.
func TestCloneLogAndPhrases(t *testing.T) {
	args := []any{"cloned", "github.com/a/b", "https://m.example/a/b", " (mirror rule https://github.com → https://m.example)", "git", "1.2s", "3.0 MB"}
	format := "clones: %s %s from %s%s with %s in %s, %s on disk"
	want := "克隆：github.com/a/b 已克隆，来自 https://m.example/a/b（镜像规则 https://github.com → https://m.example），用 git，用时 1.2s，占用磁盘 3.0 MB"
	if got := labels.CloneLog("zh", format, args...); got != want {
		t.Errorf("zh %q\nwant %q", got, want)
	}
	if got := labels.CloneLog("en", format, args...); got != "clones: cloned github.com/a/b from https://m.example/a/b (mirror rule https://github.com → https://m.example) with git in 1.2s, 3.0 MB on disk" {
		t.Errorf("en %q", got)
	}
	if got := labels.CloneLog("zh", "clones: %s from %s failed: %v", "fetch", "https://x/y", errors.New("exit status 128")); got != "克隆：从 https://x/y 拉取失败：exit status 128" {
		t.Errorf("failed %q", got)
	}
	if got := labels.CloneLog("zh", "clones: %s on disk, above the limit of %s: every remaining clone is in use by this run%s", "60 GB", "50 GB", " or by another osgauge process (2)"); got != "克隆：磁盘占用 60 GB，超过上限 50 GB：其余克隆均为本次运行或另一个 osgauge 进程（2 个）所用" {
		t.Errorf("overfull %q", got)
	}
	if got := labels.CloneLog("zh", "clones: %s is in use by another osgauge process: used as it left it (%s)", "github.com/a/b", "fetched 2026-05-01T10:00:00Z"); got != "克隆：github.com/a/b 正被另一个 osgauge 进程使用：按其留下的状态使用（拉取于 2026-05-01T10:00:00Z）" {
		t.Errorf("in use %q", got)
	}
	for in, want := range map[string]string{
		"local_path clones/x does not exist":                                    "local_path clones/x 不存在",
		"no repo (scorecard api mode reads published results for a repository)": "未配置仓库地址（scorecard 的 api 模式需要）",
		"3 credentials":       "3 个凭据",
		"no local_path":       "未配置 local_path",
		"no local_path here":  "no local_path here", // not a phrase as a whole
		"local_path does not": "local_path does not",
	} {
		if got := labels.TermPhrase("zh", in); got != want {
			t.Errorf("TermPhrase(%q) = %q, want %q", in, got, want)
		}
		if got := labels.TermPhrase("en", in); got != in {
			t.Errorf("en TermPhrase(%q) = %q", in, got)
		}
	}
}

// The closing count of failed collections follows the lines it points to.
func TestFinishFailedLang(t *testing.T) {
	for lang, want := range map[string]string{
		"en": "2 collection(s) failed (see the FAILED lines above); results for those subjects use earlier observations or are inconclusive",
		"zh": "2 项采集失败（见上方以“失败：”开头的行）；这些对象的结果使用较早的观测值，或显示为数据不足",
	} {
		c := config.Default()
		c.Report.Lang = lang
		s := &session{cfg: c, failed: 2}
		if err := s.finish(nil); err == nil || err.Error() != want {
			t.Errorf("%s: %v, want %q", lang, err, want)
		}
	}
}
