package forge

// The forge vocabulary: every forge collector records these names, so the
// models read one set of metrics wherever a project is hosted. The PHI
// (models/builtin/project-health.yaml) reads archived,
// months_since_last_push, commits_per_week, releases_12m, authors_12m,
// org_count_12m, bus_factor_12m, elephant_factor_12m, adoption,
// issue_first_response_days, change_first_response_days,
// change_closure_ratio and bug_open_days; the others are metadata and
// evidence. A "change" is a pull request (GitHub, Gitee, GitCode) or a
// merge request (GitLab).
const (
	MetricAdoption            = "forge.adoption"
	MetricAdvisoriesPublished = "forge.advisories_published"
	MetricArchived            = "forge.archived"
	MetricAuthors12m          = "forge.authors_12m"
	MetricBugOpenDays         = "forge.bug_open_days"
	MetricBusFactor12m        = "forge.bus_factor_12m"
	MetricChangeClosureRatio  = "forge.change_closure_ratio"
	MetricChangeFirstResponse = "forge.change_first_response_days"
	MetricChangeMergeDays     = "forge.change_merge_days"
	MetricChangeMergeRatio    = "forge.change_merge_ratio"
	MetricChangesOpened180d   = "forge.changes_opened_180d"
	MetricCommits12m          = "forge.commits_12m"
	MetricCommitsPerWeek      = "forge.commits_per_week"
	MetricContributors12m     = "forge.contributors_12m"
	MetricCreatedDays         = "forge.created_days"
	MetricDefaultBranch       = "forge.default_branch"
	MetricDisabled            = "forge.disabled"
	MetricElephantFactor12m   = "forge.elephant_factor_12m"
	MetricFork                = "forge.fork"
	MetricForks               = "forge.forks"
	MetricHomepage            = "forge.homepage"
	MetricIssueFirstResponse  = "forge.issue_first_response_days"
	MetricIssuesClosed180d    = "forge.issues_closed_180d"
	MetricIssuesOpened180d    = "forge.issues_opened_180d"
	MetricLicenseSPDX         = "forge.license_spdx"
	MetricMerges12m           = "forge.merges_12m"
	MetricMonthsSinceLastPush = "forge.months_since_last_push"
	MetricMonthsSinceRelease  = "forge.months_since_last_release"
	MetricOpenIssues          = "forge.open_issues"
	MetricOrgCount12m         = "forge.org_count_12m"
	MetricOwnerLogin          = "forge.owner_login"
	MetricOwnerType           = "forge.owner_type"
	MetricReleases12m         = "forge.releases_12m"
	MetricSecurityPolicy      = "forge.security_policy"
	MetricStars               = "forge.stars"
	MetricTopics              = "forge.topics"
	MetricWatchers            = "forge.watchers"
)

// MetricMonthsSinceLastPersonCommit is the age of the newest default-branch
// commit by a person (bots' commits and merges left out; a person's merge
// counts): unlike months_since_last_push, bots pushing branches do not keep
// it fresh. With no commit by a person in a completely read 12-month window
// it is that window's length, a lower bound.
const MetricMonthsSinceLastPersonCommit = "forge.months_since_last_person_commit"
