// Package storetest gives tests of any package a fresh PostgreSQL
// database. The cluster is named by the environment variable
// OSGAUGE_TEST_PG_DSN (an administrator's DSN, for example
// postgres://postgres@127.0.0.1:55432/postgres?sslmode=disable), which
// .ci/run sets after starting a throwaway cluster.
package storetest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" driver
)

// EnvDSN names the environment variable holding the administrator's DSN
// of the test cluster.
const EnvDSN = "OSGAUGE_TEST_PG_DSN"

// HowTo says how to get a test cluster.
const HowTo = EnvDSN + ` is not set: PostgreSQL tests need a throwaway cluster.
Run .ci/run (it installs Debian's postgresql package if needed, starts a cluster on a loopback port and sets ` + EnvDSN + `), or by hand, as root:
  d=$(mktemp -d); chown postgres "$d"
  runuser -u postgres -- /usr/lib/postgresql/*/bin/initdb -D "$d/data" -A trust -U postgres
  runuser -u postgres -- /usr/lib/postgresql/*/bin/pg_ctl -D "$d/data" -l "$d/log" -o "-c listen_addresses=127.0.0.1 -p 55432 -k $d" -w start
  export ` + EnvDSN + `='postgres://postgres@127.0.0.1:55432/postgres?sslmode=disable'`

// PostgresDSN creates a fresh, empty database on the test cluster named by
// OSGAUGE_TEST_PG_DSN and returns its DSN; the database is dropped when
// the test ends. It fails the test (never skips it) when the variable is
// unset.
func PostgresDSN(t testing.TB) string {
	t.Helper()
	admin := strings.TrimSpace(os.Getenv(EnvDSN))
	if admin == "" {
		t.Fatal(HowTo)
	}
	var b [6]byte
	if _, err := rand.Read(b[:]); err != nil {
		t.Fatal(err)
	}
	name := "osgauge_test_" + hex.EncodeToString(b[:])
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	db, err := sql.Open("pgx", admin)
	if err != nil {
		t.Fatalf("storetest: %s: %v", EnvDSN, err)
	}
	if _, err := db.ExecContext(ctx, `CREATE DATABASE `+name); err != nil {
		db.Close()
		t.Fatalf("storetest: create database on the cluster of %s: %v", EnvDSN, err)
	}
	t.Cleanup(func() {
		defer db.Close()
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		if _, err := db.ExecContext(ctx, `DROP DATABASE IF EXISTS `+name+` WITH (FORCE)`); err != nil {
			t.Errorf("storetest: drop database %s: %v", name, err)
		}
	})
	dsn, err := withDatabase(admin, name)
	if err != nil {
		t.Fatalf("storetest: %s: %v", EnvDSN, err)
	}
	return dsn
}

// withDatabase returns dsn naming database name instead of its own.
func withDatabase(dsn, name string) (string, error) {
	l := strings.ToLower(dsn)
	if strings.HasPrefix(l, "postgres://") || strings.HasPrefix(l, "postgresql://") {
		u, err := url.Parse(dsn)
		if err != nil {
			return "", err
		}
		u.Path = "/" + name
		u.RawPath = ""
		return u.String(), nil
	}
	// key=value: a later key overrides an earlier one.
	return dsn + " dbname=" + name, nil
}
