package labels

// Labels of decided grades, estimates, gate states, level ranges and
// model changes in the workbook (xlsx.*) and the dashboard (html.*)
// (issue 16). A result between grades is said by grade.kind.estimate
// (grademove.go).
func init() {
	register(map[string]entry{
		"gates.not_evaluated":      {"not evaluated: {list}", "未评估：{list}"},
		"gate.state.fired":         {"fired", "已触发"},
		"gate.state.clear":         {"clear", "未触发"},
		"gate.state.not-evaluated": {"not evaluated", "未评估"},
		"gate.waived":              {"waived", "已豁免"},

		"xlsx.gates_not_evaluated":  {"Gates not evaluated (what to run)", "未评估的否决项（需运行）"},
		"xlsx.between_grades":       {"between grades (undecided)", "介于等级之间（未判定）"},
		"xlsx.between_grades_label": {"not counted as a grade: the data leaves two or more grades open", "不计入任何等级：现有数据无法在等级间判定"},
		"xlsx.count.undecided":      {"Undecided grades (between grades)", "未判定等级的结果数（介于等级之间）"},
		"xlsx.level_between":        {"level between L{a} and L{b}", "级别介于 L{a} 与 L{b} 之间"},
		"xlsx.gate_best_cap":        {"Best grade while not evaluated", "未评估时最高等级"},
		"xlsx.model_changes":        {"Changes", "版本变更"},
		"xlsx.change_text":          {"What changed", "变更说明"},

		"html.estimate_note": {"Grade not decided: with the missing data at its worst and at its best the grades differ ({range}); {g} is the grade of the point score, an estimate.",
			"等级未判定：缺失数据取最差与最好时等级不同（{range}）；{g} 为点得分对应的等级，仅为估计。"},
		"html.count_undecided": {"Undecided grades (between grades)", "未判定等级（介于等级之间）"},
		"html.between_grades":  {"between grades", "介于等级之间"},
		"html.gate_state":      {"State", "状态"},
		"html.gate_detail":     {"Why / what is missing", "原因 / 缺失数据"},
		"html.gate_run":        {"To evaluate, run", "评估所需数据来源"},
		"html.gate_best_cap":   {"Best grade while not evaluated", "未评估时最高等级"},
		"html.not_evaluated_n": {"{n} not evaluated", "{n} 项未评估"},
		"html.level_between": {"Level between L{a} and L{b}: the evidence proves L{a}; answering the open practices could reach L{b}.",
			"级别介于 L{a} 与 L{b} 之间：现有证据证明达到 L{a}；补充未作答的实践最高可达 L{b}。"},
		"html.ungraded_note_nosrc": {"Projects undecided: {n} ({spans}).", "未定级项目：{n} 个（{spans}）。"},
		"html.model_changes":       {"Changes", "版本变更"},
		"html.grade_distribution_note": {"Only decided grades are counted as grades; a project whose data leaves two or more grades open (or none known) is counted once, as undecided.",
			"只有已定级的项目计入各等级；数据仍使两个或以上等级成立（或尚无等级信息）的项目只计一次，计为“未定级”。"},
	})
}
