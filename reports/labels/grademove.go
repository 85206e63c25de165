package labels

// Labels of a grade's kind (decided, estimate, between grades), of grade
// moves between periods, and of the portfolio trend's split (issue 16).
func init() {
	register(map[string]entry{
		"grade.kind.decided":          {"decided {g}", "已判定 {g}"},
		"grade.kind.estimate":         {"{g} (estimate; {range})", "{g}（估计；{range}）"},
		"grade.kind.between_unstored": {"between grades (range not stored)", "介于等级之间（区间未存储）"},
		"grade.kind.unknown":          {"not graded (inconclusive or between grades: not stored)", "未定级（数据不足或介于等级之间，未存储）"},
		"grade.move":                  {"{from} → {to}", "{from} → {to}"},
		"grade.move.not_change":       {"not a grade change", "非等级变化"},
		"grade.moves.tier":            {"Supplier tier changed", "供应商分级变化"},
		"grade.moves.estimate":        {"Supplier tier estimate or decision changed", "供应商分级估计或判定变化"},
		"trend.decided_grades":        {"Decided grades", "已判定等级"},
		"trend.between":               {"Between grades", "介于等级之间"},
		"trend.inconclusive":          {"Inconclusive", "数据不足"},
		"trend.unsplit":               {"{n} of the inconclusive may lie between grades (ranges not stored for this period)", "其中 {n} 个数据不足的结果可能介于等级之间（本期未存储区间）"},
		"trend.grade_chart_note": {"Number of projects per decided grade in each period; light grey: between grades (undecided); grey: inconclusive.",
			"各期各已判定等级的项目数；浅灰：介于等级之间（未判定）；灰色：数据不足。"},
		"trend.mean_note": {"Mean score: every result with a score and status ok (decided, or between grades with coverage at the model's minimum); inconclusive results are left out. Grade columns count decided grades only.",
			"平均得分：所有有得分且状态正常的结果（已判定等级，或覆盖率达到模型要求但介于等级之间）；数据不足的结果不计入。各等级列只计已判定的等级。"},
	})
}
