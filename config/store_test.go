package config

import (
	"strings"
	"testing"
)

func TestStoreDefaultsToSQLite(t *testing.T) {
	c, err := Parse("bank.yaml", []byte("institution: {name: X}\n"))
	if err != nil {
		t.Fatal(err)
	}
	if c.Store.Driver != "sqlite" || c.Store.DSN != "osgauge.db" {
		t.Errorf("store = %+v", c.Store)
	}
	if dsn, err := c.StoreDSN(); err != nil || dsn != "osgauge.db" {
		t.Errorf("StoreDSN = %q, %v", dsn, err)
	}
	if dsn, err := Default().StoreDSN(); err != nil || dsn != "osgauge.db" {
		t.Errorf("default StoreDSN = %q, %v", dsn, err)
	}
}

func TestStorePostgresFromEnvironment(t *testing.T) {
	c, err := Parse("bank.yaml", []byte("store: {driver: postgres, dsn_env: OSGAUGE_PG_DSN}\n"))
	if err != nil {
		t.Fatal(err)
	}
	if c.Store.DSN != "" {
		t.Errorf("a sqlite default was applied to postgres: %+v", c.Store)
	}
	t.Setenv("OSGAUGE_PG_DSN", "")
	if _, err := c.StoreDSN(); err == nil || !strings.Contains(err.Error(), "OSGAUGE_PG_DSN") {
		t.Errorf("empty variable: %v", err)
	}
	t.Setenv("OSGAUGE_PG_DSN", "/var/lib/osgauge.db")
	if _, err := c.StoreDSN(); err == nil || !strings.Contains(err.Error(), "does not hold a PostgreSQL DSN") {
		t.Errorf("not a PostgreSQL DSN: %v", err)
	}
	const secret = "postgres://osgauge:s3cret@db.bank.internal:5432/osgauge?sslmode=verify-full"
	t.Setenv("OSGAUGE_PG_DSN", secret)
	if dsn, err := c.StoreDSN(); err != nil || dsn != secret {
		t.Errorf("StoreDSN = %q, %v", dsn, err)
	}
	// --db sets store.dsn, which wins over dsn_env.
	c.Store.DSN = "postgres://osgauge@127.0.0.1/other"
	if dsn, err := c.StoreDSN(); err != nil || dsn != c.Store.DSN {
		t.Errorf("StoreDSN with --db = %q, %v", dsn, err)
	}
}

func TestStorePostgresDSNWithoutPasswordInFile(t *testing.T) {
	for _, dsn := range []string{"postgres://osgauge@db.bank.internal/osgauge?sslmode=verify-full", "host=db.bank.internal user=osgauge dbname=osgauge"} {
		c, err := Parse("bank.yaml", []byte("store:\n  driver: postgres\n  dsn: \""+dsn+"\"\n"))
		if err != nil {
			t.Fatalf("%s: %v", dsn, err)
		}
		if got, err := c.StoreDSN(); err != nil || got != dsn {
			t.Errorf("StoreDSN = %q, %v", got, err)
		}
	}
}

func TestStoreErrorsNameTheLine(t *testing.T) {
	const hint = "put the DSN in the environment and name it with dsn_env"
	cases := []struct{ yaml, want string }{
		{"store:\n  driver: mysql\n", "line 2: store.driver must be sqlite or postgres, got \"mysql\""},
		{"store:\n  driver: postgres\n  dsn: postgres://osgauge:s3cret@db/osgauge\n", "line 3: store.dsn holds a password: " + hint},
		{"store:\n  driver: postgres\n  dsn: postgresql://osgauge@db/osgauge?password=s3cret\n", "line 3: store.dsn holds a password: " + hint},
		{"store:\n  driver: postgres\n  dsn: host=db user=osgauge password=s3cret\n", "line 3: store.dsn holds a password: " + hint},
		{"store:\n  driver: sqlite\n  dsn: postgres://osgauge:s3cret@db/osgauge\n", "line 3: store.dsn holds a password: " + hint},
		{"store:\n  driver: postgres\n", "line 2: store.driver postgres needs dsn_env"},
		{"store:\n  driver: postgres\n  dsn: osgauge.db\n", "line 3: store.dsn must be a PostgreSQL DSN"},
		{"store:\n  dsn: postgres://osgauge@db/osgauge\n", "store.dsn is a PostgreSQL DSN but store.driver is sqlite"},
		{"store:\n  driver: postgres\n  dsn: postgres://osgauge@db/osgauge\n  dsn_env: PG\n", "store: set dsn or dsn_env, not both"},
		{"store:\n  driver: postgres\n  dsn_env: postgres://u:s3cret@db/x\n", "line 3: store.dsn_env must be the name of an environment variable"},
	}
	for _, c := range cases {
		_, err := Parse("bank.yaml", []byte(c.yaml))
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%q: error %v, want %q", c.yaml, err, c.want)
			continue
		}
		if !strings.HasPrefix(err.Error(), "bank.yaml: ") {
			t.Errorf("error does not name the file: %v", err)
		}
		// The password never appears in a message.
		if strings.Contains(err.Error(), "s3cret") {
			t.Errorf("error shows the password: %v", err)
		}
	}
}

// --db postgres://… on a file without a store section opens PostgreSQL:
// store.Open tells the database by the DSN's form.
func TestStoreDBFlagPicksPostgres(t *testing.T) {
	c := Default()
	c.Store.DSN = "postgres://osgauge@127.0.0.1:5432/osgauge"
	if dsn, err := c.StoreDSN(); err != nil || dsn != c.Store.DSN {
		t.Errorf("StoreDSN = %q, %v", dsn, err)
	}
}
