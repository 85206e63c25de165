// Package templates holds the embedded HTML templates and static assets of
// the reports. Dashboards must work offline from file://, so the ECharts
// script is embedded: a pinned, unmodified copy of dist/echarts.min.js from
// the npm package echarts (Apache-2.0; LICENSE and NOTICE beside it in
// echarts/), reproduced by echarts/fetch.sh.
package templates

import _ "embed"

// EChartsVersion is the version of the vendored ECharts.
const EChartsVersion = "5.6.0"

// EChartsJS is the vendored echarts.min.js, to be inlined in a <script>.
//
//go:embed echarts/echarts.min.js
var EChartsJS string

// Dashboard is the html/template source of the HTML dashboard.
//
//go:embed dashboard.html.tmpl
var Dashboard string
