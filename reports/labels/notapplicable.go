package labels

// Labels of "not applicable" (issue 22): an indicator or practice set
// aside, with who and why, by an exception or a self-assessment answer.
// The questionnaire's N/A answer (qx.na…) is in i18n/questionnaire.go.
func init() {
	register(map[string]entry{
		"status.not-applicable": {"not applicable", "不适用"},
	})
}
