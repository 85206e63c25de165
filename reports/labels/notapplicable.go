package labels

// Labels of "not applicable" (issue 22): an indicator or practice set
// aside, with who and why, by an exception or a self-assessment answer.
func init() {
	register(map[string]entry{
		"status.not-applicable": {"not applicable", "不适用"},
		"qx.na":                 {"N/A", "不适用"},
		"qx.dv.evidence.na_msg": {" — or N/A when the practice does not apply to you (give the reason in Notes)", "；不适用的实践选“不适用”（请在备注中说明原因）"},
		"qx.dv.evidence.na_error": {"Choose a whole level from 0 to 4, or N/A with the reason in Notes.",
			"请选择 0-4 的整数等级，或选“不适用”并在备注中说明原因。"},
	})
}
