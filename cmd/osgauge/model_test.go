package main

import (
	"bytes"
	"strings"
	"testing"

	"github.com/osgauge/osgauge/models"
)

// A model's change log is printed after its gates, newest first, in the
// chosen language.
func TestModelShowChanges(t *testing.T) {
	m, err := models.Parse("m.yaml", []byte(`
id: test-health
version: 1.1.0
subject: project
name: {en: Test Health, zh: 测试健康度}
min_coverage: 0.5
grades:
  - {id: A, min: 80, label: {en: "A (healthy)", zh: "A（健康）"}}
  - {id: D, min: 0, label: {en: "D (high risk)", zh: "D（高风险）"}}
changes:
  - version: 1.1.0
    en: "Grades are decided from bounds;\n  an undecided grade is an estimate."
    zh: 等级按上下界判定；未判定的等级为估计。
  - {version: 1.0.0, en: First version., zh: 首个版本。}
dimensions:
  - id: ACT
    name: {en: Activity, zh: 活跃度}
    weight: 100
    indicators:
      - {id: ACT-1, name: {en: Commits, zh: 提交}, metrics: [manual.commits_90d], normalize: {log: {threshold: 100}}, weight: 1, clause: "CHAOSS Activity"}
`))
	if err != nil {
		t.Fatal(err)
	}
	var en, zh bytes.Buffer
	showModel(&en, m, "en")
	showModel(&zh, m, "zh")
	want := "\nchanges (newest first)\n  1.1.0  Grades are decided from bounds; an undecided grade is an estimate.\n  1.0.0  First version.\n"
	if !strings.HasSuffix(en.String(), want) {
		t.Errorf("en output does not end with the changes:\n%s", en.String())
	}
	wantZh := "\n版本变更（由新到旧）\n  1.1.0  等级按上下界判定；未判定的等级为估计。\n  1.0.0  首个版本。\n"
	if !strings.HasSuffix(zh.String(), wantZh) {
		t.Errorf("zh output does not end with the changes:\n%s", zh.String())
	}
}
