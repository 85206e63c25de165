//go:build postgres

package store

import "github.com/osgauge/osgauge/store/storetest"

// Under the postgres build tag every store test also runs on PostgreSQL,
// each on a fresh database of the cluster named by OSGAUGE_TEST_PG_DSN
// (.ci/run starts one). Without the variable the tests fail: they never
// skip.
func init() {
	testDrivers = append(testDrivers, testDriver{name: DriverPostgres, dsn: storetest.PostgresDSN})
}
