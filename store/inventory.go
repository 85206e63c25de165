package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"
)

// The inventory: components deduplicated across systems, each SBOM import
// of a system as a snapshot (history is kept: snapshots are never
// rewritten), the system → component references of each snapshot, and the
// known vulnerabilities (OSV, CISA KEV) matched against component versions.
func init() {
	addMigration(4, `
	CREATE TABLE inv_components (
		ckey          TEXT PRIMARY KEY,
		purl          TEXT NOT NULL DEFAULT '',
		ecosystem     TEXT NOT NULL DEFAULT '',
		namespace     TEXT NOT NULL DEFAULT '',
		name          TEXT NOT NULL,
		version       TEXT NOT NULL DEFAULT '',
		license       TEXT NOT NULL DEFAULT '',
		supplier      TEXT NOT NULL DEFAULT '',
		hashes        TEXT NOT NULL DEFAULT '',
		repo          TEXT NOT NULL DEFAULT '',
		project_id    TEXT NOT NULL DEFAULT '',
		first_seen    TEXT NOT NULL
	);
	CREATE INDEX inv_components_name ON inv_components (name, version);
	CREATE INDEX inv_components_project ON inv_components (project_id);
	CREATE TABLE sbom_snapshots (
		id             INTEGER PRIMARY KEY AUTOINCREMENT,
		system         TEXT NOT NULL,
		path           TEXT NOT NULL,
		format         TEXT NOT NULL,
		sha256         TEXT NOT NULL,
		system_license TEXT NOT NULL DEFAULT '',
		use_type       TEXT NOT NULL DEFAULT '',
		run_id         INTEGER NOT NULL DEFAULT 0,
		imported_at    TEXT NOT NULL,
		components     INTEGER NOT NULL DEFAULT 0
	);
	CREATE INDEX sbom_snapshots_system ON sbom_snapshots (system, id);
	CREATE TABLE sbom_refs (
		snapshot_id   INTEGER NOT NULL REFERENCES sbom_snapshots(id),
		ckey          TEXT NOT NULL REFERENCES inv_components(ckey),
		relation      TEXT NOT NULL,
		license       TEXT NOT NULL DEFAULT '',
		PRIMARY KEY (snapshot_id, ckey)
	);
	CREATE INDEX sbom_refs_component ON sbom_refs (ckey);
	CREATE TABLE osv_vulns (
		id         TEXT PRIMARY KEY,
		modified   TEXT NOT NULL DEFAULT '',
		published  TEXT NOT NULL DEFAULT '',
		summary    TEXT NOT NULL DEFAULT '',
		severity   TEXT NOT NULL DEFAULT '',
		score      REAL,
		aliases    TEXT NOT NULL DEFAULT '',
		record     TEXT NOT NULL,
		source     TEXT NOT NULL DEFAULT ''
	);
	CREATE TABLE osv_packages (
		ecosystem TEXT NOT NULL,
		name      TEXT NOT NULL,
		vuln_id   TEXT NOT NULL,
		PRIMARY KEY (ecosystem, name, vuln_id)
	);
	CREATE TABLE osv_checked (
		ckey       TEXT PRIMARY KEY,
		checked_at TEXT NOT NULL,
		source     TEXT NOT NULL
	);
	CREATE TABLE osv_matches (
		ckey     TEXT NOT NULL,
		vuln_id  TEXT NOT NULL,
		fixed    TEXT NOT NULL DEFAULT '',
		PRIMARY KEY (ckey, vuln_id)
	);
	CREATE TABLE kev (
		cve        TEXT PRIMARY KEY,
		vendor     TEXT NOT NULL DEFAULT '',
		product    TEXT NOT NULL DEFAULT '',
		name       TEXT NOT NULL DEFAULT '',
		date_added TEXT NOT NULL DEFAULT '',
		due_date   TEXT NOT NULL DEFAULT ''
	);`)
	// Where a system's licence came from: the config, or the SBOM's own
	// description of the system when the config gives none.
	addMigration(5, `ALTER TABLE sbom_snapshots ADD COLUMN license_source TEXT NOT NULL DEFAULT ''`)
}

// InvComponent is one component version, the same whichever systems use it.
type InvComponent struct {
	Key       string // canonical package URL with version, without qualifiers (or name@version)
	PURL      string // as the SBOM gave it
	Ecosystem string // purl type: maven, npm, golang, pypi…
	Namespace string
	Name      string
	Version   string
	License   string // declared licence expression
	Supplier  string
	Hashes    string // "SHA-256:…; SHA-1:…"
	Repo      string // repository URL, from the SBOM or the config's mapping
	ProjectID string // the portfolio project it maps to (ProjectID of Repo)
}

// InvRef is a snapshot's use of a component.
type InvRef struct {
	Key      string
	Relation string // direct, transitive, unknown
	License  string // as this SBOM declares it
}

// Snapshot is one SBOM import of a system.
type Snapshot struct {
	ID            int64
	System        string
	Path          string
	Format        string
	SHA256        string
	SystemLicense string
	// LicenseSource says where SystemLicense came from: "config", "sbom"
	// (the SBOM's metadata component or described package) or "".
	LicenseSource string
	Use           string
	RunID         int64
	ImportedAt    time.Time
	Components    int
}

// SaveSnapshot stores one SBOM import in one transaction: the components
// (new ones inserted, known ones completed with what this SBOM adds), the
// snapshot and its references. Either all of it is kept or none.
func (s *Store) SaveSnapshot(ctx context.Context, snap Snapshot, comps []InvComponent, refs []InvRef) (int64, error) {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return 0, err
	}
	defer tx.Rollback()
	now := ts(time.Now())
	cs, err := tx.PrepareContext(ctx, `
		INSERT INTO inv_components (ckey, purl, ecosystem, namespace, name, version, license, supplier, hashes, repo, project_id, first_seen)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (ckey) DO UPDATE SET
			license    = CASE WHEN excluded.license <> '' THEN excluded.license ELSE inv_components.license END,
			supplier   = CASE WHEN excluded.supplier <> '' THEN excluded.supplier ELSE inv_components.supplier END,
			hashes     = CASE WHEN excluded.hashes <> '' THEN excluded.hashes ELSE inv_components.hashes END,
			repo       = CASE WHEN excluded.repo <> '' THEN excluded.repo ELSE inv_components.repo END,
			project_id = CASE WHEN excluded.project_id <> '' THEN excluded.project_id ELSE inv_components.project_id END`)
	if err != nil {
		return 0, err
	}
	defer cs.Close()
	for _, c := range comps {
		if c.Key == "" || c.Name == "" {
			return 0, fmt.Errorf("component without key or name: %+v", c)
		}
		if _, err := cs.ExecContext(ctx, c.Key, c.PURL, c.Ecosystem, c.Namespace, c.Name, c.Version, c.License, c.Supplier, c.Hashes, c.Repo, c.ProjectID, now); err != nil {
			return 0, fmt.Errorf("component %s: %w", c.Key, err)
		}
	}
	snap.Components = len(refs)
	res, err := tx.ExecContext(ctx, `
		INSERT INTO sbom_snapshots (system, path, format, sha256, system_license, license_source, use_type, run_id, imported_at, components)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		snap.System, snap.Path, snap.Format, snap.SHA256, snap.SystemLicense, snap.LicenseSource, snap.Use, snap.RunID, ts(snap.ImportedAt), snap.Components)
	if err != nil {
		return 0, fmt.Errorf("snapshot of %s: %w", snap.System, err)
	}
	id, err := res.LastInsertId()
	if err != nil {
		return 0, err
	}
	rs, err := tx.PrepareContext(ctx, `INSERT INTO sbom_refs (snapshot_id, ckey, relation, license) VALUES (?, ?, ?, ?)`)
	if err != nil {
		return 0, err
	}
	defer rs.Close()
	for _, r := range refs {
		if _, err := rs.ExecContext(ctx, id, r.Key, r.Relation, r.License); err != nil {
			return 0, fmt.Errorf("reference %s → %s: %w", snap.System, r.Key, err)
		}
	}
	return id, tx.Commit()
}

const snapshotCols = `id, system, path, format, sha256, system_license, license_source, use_type, run_id, imported_at, components`

func scanSnapshot(sc interface{ Scan(...any) error }) (Snapshot, error) {
	var sn Snapshot
	var at string
	err := sc.Scan(&sn.ID, &sn.System, &sn.Path, &sn.Format, &sn.SHA256, &sn.SystemLicense, &sn.LicenseSource, &sn.Use, &sn.RunID, &at, &sn.Components)
	sn.ImportedAt = parseTS(at)
	return sn, err
}

// LatestSnapshot returns the latest snapshot of a system; ok is false when
// it has none.
func (s *Store) LatestSnapshot(ctx context.Context, system string) (Snapshot, bool, error) {
	sn, err := scanSnapshot(s.db.QueryRowContext(ctx,
		`SELECT `+snapshotCols+` FROM sbom_snapshots WHERE system = ? ORDER BY id DESC LIMIT 1`, system))
	if errors.Is(err, sql.ErrNoRows) {
		return sn, false, nil
	}
	return sn, err == nil, err
}

// Snapshots returns every snapshot, oldest first (the SBOM history).
func (s *Store) Snapshots(ctx context.Context) ([]Snapshot, error) {
	return s.snapshots(ctx, `SELECT `+snapshotCols+` FROM sbom_snapshots ORDER BY id`)
}

// ProjectInventory returns a project's component references across all
// snapshots and the ids of each system's current snapshot, to tell the
// references in use now from history.
func (s *Store) ProjectInventory(ctx context.Context, projectID string) ([]InventoryRow, map[int64]bool, error) {
	hist, err := s.ProjectHistory(ctx, projectID)
	if err != nil {
		return nil, nil, err
	}
	current, err := s.CurrentSnapshotIDs(ctx)
	return hist, current, err
}

// CurrentSnapshotIDs returns the ids of each system's latest snapshot, to
// tell the references in use now from history.
func (s *Store) CurrentSnapshotIDs(ctx context.Context) (map[int64]bool, error) {
	snaps, err := s.CurrentSnapshots(ctx)
	if err != nil {
		return nil, err
	}
	ids := make(map[int64]bool, len(snaps))
	for _, sn := range snaps {
		ids[sn.ID] = true
	}
	return ids, nil
}

// CurrentSnapshots returns the latest snapshot of every system.
func (s *Store) CurrentSnapshots(ctx context.Context) ([]Snapshot, error) {
	return s.snapshots(ctx, `SELECT `+snapshotCols+` FROM sbom_snapshots
		WHERE id IN (SELECT MAX(id) FROM sbom_snapshots GROUP BY system) ORDER BY system`)
}

func (s *Store) snapshots(ctx context.Context, q string, args ...any) ([]Snapshot, error) {
	rows, err := s.db.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Snapshot
	for rows.Next() {
		sn, err := scanSnapshot(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, sn)
	}
	return out, rows.Err()
}

// InventoryRow is one system's use of one component in a snapshot.
type InventoryRow struct {
	SnapshotID int64
	System     string
	Use        string
	SysLicense string
	Relation   string
	RefLicense string
	InvComponent
}

// DeclaredLicence is the component's licence as this SBOM declares it,
// else as any SBOM does.
func (r InventoryRow) DeclaredLicence() string {
	if r.RefLicense != "" {
		return r.RefLicense
	}
	return r.License
}

const inventoryQuery = `
	SELECT s.id, s.system, s.use_type, s.system_license, r.relation, r.license,
	       c.ckey, c.purl, c.ecosystem, c.namespace, c.name, c.version, c.license, c.supplier, c.hashes, c.repo, c.project_id
	FROM sbom_refs r
	JOIN sbom_snapshots s ON s.id = r.snapshot_id
	JOIN inv_components c ON c.ckey = r.ckey`

// CurrentInventory returns every component reference of the latest
// snapshot of every system, ordered by system and component.
func (s *Store) CurrentInventory(ctx context.Context) ([]InventoryRow, error) {
	return s.inventory(ctx, inventoryQuery+`
	WHERE s.id IN (SELECT MAX(id) FROM sbom_snapshots GROUP BY system)
	ORDER BY s.system, c.ckey`)
}

// SnapshotInventory returns the references of one snapshot.
func (s *Store) SnapshotInventory(ctx context.Context, snapshotID int64) ([]InventoryRow, error) {
	return s.inventory(ctx, inventoryQuery+` WHERE s.id = ? ORDER BY c.ckey`, snapshotID)
}

// ProjectHistory returns every reference, in every snapshot, to the
// components that map to a project, oldest snapshot first: how its
// version and declared licence changed over time.
func (s *Store) ProjectHistory(ctx context.Context, projectID string) ([]InventoryRow, error) {
	return s.inventory(ctx, inventoryQuery+` WHERE c.project_id = ? ORDER BY s.id, c.ckey`, projectID)
}

// SystemsRunning answers "which systems run fastjson 1.2.24?": the systems
// whose latest snapshot holds a component with that name (or
// namespace/name, or package URL without version) at that version; an
// empty version matches every version.
func (s *Store) SystemsRunning(ctx context.Context, name, version string) ([]InventoryRow, error) {
	q := inventoryQuery + `
	WHERE s.id IN (SELECT MAX(id) FROM sbom_snapshots GROUP BY system)
	  AND (c.name = ? OR c.namespace || '/' || c.name = ? OR c.ckey LIKE ?)`
	args := []any{name, name, strings.ReplaceAll(name, "%", "") + "@%"}
	if version != "" {
		q += ` AND c.version = ?`
		args = append(args, version)
	}
	return s.inventory(ctx, q+` ORDER BY s.system, c.ckey`, args...)
}

func (s *Store) inventory(ctx context.Context, q string, args ...any) ([]InventoryRow, error) {
	rows, err := s.db.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("inventory: %w", err)
	}
	defer rows.Close()
	var out []InventoryRow
	for rows.Next() {
		var r InventoryRow
		c := &r.InvComponent
		if err := rows.Scan(&r.SnapshotID, &r.System, &r.Use, &r.SysLicense, &r.Relation, &r.RefLicense,
			&c.Key, &c.PURL, &c.Ecosystem, &c.Namespace, &c.Name, &c.Version, &c.License, &c.Supplier, &c.Hashes, &c.Repo, &c.ProjectID); err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// Vuln is a known vulnerability (an OSV record, kept whole in Record).
type Vuln struct {
	ID        string
	Modified  string
	Published string
	Summary   string
	Severity  string // critical, high, medium, low, unknown
	Score     *float64
	Aliases   []string
	Record    []byte // the OSV JSON
	Source    string // api or the export file
	Packages  [][2]string
}

// PutVulns stores (or replaces) vulnerability records and the packages
// they name, in one transaction.
func (s *Store) PutVulns(ctx context.Context, vs []Vuln) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	vst, err := tx.PrepareContext(ctx, `
		INSERT INTO osv_vulns (id, modified, published, summary, severity, score, aliases, record, source) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (id) DO UPDATE SET modified = excluded.modified, published = excluded.published, summary = excluded.summary,
			severity = excluded.severity, score = excluded.score, aliases = excluded.aliases, record = excluded.record, source = excluded.source`)
	if err != nil {
		return err
	}
	defer vst.Close()
	pst, err := tx.PrepareContext(ctx, `INSERT INTO osv_packages (ecosystem, name, vuln_id) VALUES (?, ?, ?) ON CONFLICT DO NOTHING`)
	if err != nil {
		return err
	}
	defer pst.Close()
	for _, v := range vs {
		var score any
		if v.Score != nil {
			score = *v.Score
		}
		if _, err := vst.ExecContext(ctx, v.ID, v.Modified, v.Published, v.Summary, v.Severity, score, strings.Join(v.Aliases, " "), string(v.Record), v.Source); err != nil {
			return fmt.Errorf("vulnerability %s: %w", v.ID, err)
		}
		for _, p := range v.Packages {
			if _, err := pst.ExecContext(ctx, p[0], p[1], v.ID); err != nil {
				return err
			}
		}
	}
	return tx.Commit()
}

const vulnCols = `v.id, v.modified, v.published, v.summary, v.severity, v.score, v.aliases, v.record, v.source`

func scanVuln(sc interface{ Scan(...any) error }, extra ...any) (Vuln, error) {
	var v Vuln
	var score sql.NullFloat64
	var aliases, record string
	err := sc.Scan(append([]any{&v.ID, &v.Modified, &v.Published, &v.Summary, &v.Severity, &score, &aliases, &record, &v.Source}, extra...)...)
	if score.Valid {
		f := score.Float64
		v.Score = &f
	}
	v.Aliases = strings.Fields(aliases)
	v.Record = []byte(record)
	return v, err
}

// VulnsForPackage returns the stored records that name a package.
func (s *Store) VulnsForPackage(ctx context.Context, ecosystem, name string) ([]Vuln, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT `+vulnCols+` FROM osv_vulns v
		JOIN osv_packages p ON p.vuln_id = v.id WHERE p.ecosystem = ? AND p.name = ? ORDER BY v.id`, ecosystem, name)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Vuln
	for rows.Next() {
		v, err := scanVuln(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

// VulnByID returns one stored record.
func (s *Store) VulnByID(ctx context.Context, id string) (Vuln, bool, error) {
	v, err := scanVuln(s.db.QueryRowContext(ctx, `SELECT `+vulnCols+` FROM osv_vulns v WHERE v.id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return v, false, nil
	}
	return v, err == nil, err
}

// VulnMatch says that a component version is affected by a vulnerability.
type VulnMatch struct {
	Key   string // component
	Vuln  string
	Fixed string // the first fixed version, "" if none is known
}

// SetMatches records the vulnerabilities found for the checked components,
// replacing what an earlier check found for them, in one transaction.
// Components checked and found clean are remembered as checked, so that
// "no known vulnerability" is told apart from "never checked".
func (s *Store) SetMatches(ctx context.Context, checked []string, matches []VulnMatch, source string) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	del, err := tx.PrepareContext(ctx, `DELETE FROM osv_matches WHERE ckey = ?`)
	if err != nil {
		return err
	}
	defer del.Close()
	chk, err := tx.PrepareContext(ctx, `INSERT INTO osv_checked (ckey, checked_at, source) VALUES (?, ?, ?)
		ON CONFLICT (ckey) DO UPDATE SET checked_at = excluded.checked_at, source = excluded.source`)
	if err != nil {
		return err
	}
	defer chk.Close()
	now := ts(time.Now())
	for _, k := range checked {
		if _, err := del.ExecContext(ctx, k); err != nil {
			return err
		}
		if _, err := chk.ExecContext(ctx, k, now, source); err != nil {
			return err
		}
	}
	ins, err := tx.PrepareContext(ctx, `INSERT INTO osv_matches (ckey, vuln_id, fixed) VALUES (?, ?, ?) ON CONFLICT DO NOTHING`)
	if err != nil {
		return err
	}
	defer ins.Close()
	for _, m := range matches {
		if _, err := ins.ExecContext(ctx, m.Key, m.Vuln, m.Fixed); err != nil {
			return err
		}
	}
	return tx.Commit()
}

// ComponentVuln is a match with its vulnerability.
type ComponentVuln struct {
	Key   string
	Fixed string
	Vuln
}

// Matches returns every stored match with its vulnerability, and the set
// of components that were checked.
func (s *Store) Matches(ctx context.Context) (map[string][]ComponentVuln, map[string]bool, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT `+vulnCols+`, m.ckey, m.fixed FROM osv_matches m JOIN osv_vulns v ON v.id = m.vuln_id ORDER BY m.ckey, v.id`)
	if err != nil {
		return nil, nil, err
	}
	defer rows.Close()
	out := map[string][]ComponentVuln{}
	for rows.Next() {
		var cv ComponentVuln
		v, err := scanVuln(rows, &cv.Key, &cv.Fixed)
		if err != nil {
			return nil, nil, err
		}
		cv.Vuln = v
		cv.Vuln.Record = nil
		out[cv.Key] = append(out[cv.Key], cv)
	}
	if err := rows.Err(); err != nil {
		return nil, nil, err
	}
	checked := map[string]bool{}
	crow, err := s.db.QueryContext(ctx, `SELECT ckey FROM osv_checked`)
	if err != nil {
		return nil, nil, err
	}
	defer crow.Close()
	for crow.Next() {
		var k string
		if err := crow.Scan(&k); err != nil {
			return nil, nil, err
		}
		checked[k] = true
	}
	return out, checked, crow.Err()
}

// KEVEntry is one CISA Known Exploited Vulnerabilities entry.
type KEVEntry struct {
	CVE, Vendor, Product, Name, DateAdded, DueDate string
}

// PutKEV stores the known-exploited list (entries are replaced by CVE).
func (s *Store) PutKEV(ctx context.Context, es []KEVEntry) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	st, err := tx.PrepareContext(ctx, `INSERT INTO kev (cve, vendor, product, name, date_added, due_date) VALUES (?, ?, ?, ?, ?, ?)
		ON CONFLICT (cve) DO UPDATE SET vendor = excluded.vendor, product = excluded.product, name = excluded.name,
			date_added = excluded.date_added, due_date = excluded.due_date`)
	if err != nil {
		return err
	}
	defer st.Close()
	for _, e := range es {
		if _, err := st.ExecContext(ctx, e.CVE, e.Vendor, e.Product, e.Name, e.DateAdded, e.DueDate); err != nil {
			return fmt.Errorf("KEV %s: %w", e.CVE, err)
		}
	}
	return tx.Commit()
}

// KEV returns the stored known-exploited list by CVE.
func (s *Store) KEV(ctx context.Context) (map[string]KEVEntry, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT cve, vendor, product, name, date_added, due_date FROM kev`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]KEVEntry{}
	for rows.Next() {
		var e KEVEntry
		if err := rows.Scan(&e.CVE, &e.Vendor, &e.Product, &e.Name, &e.DateAdded, &e.DueDate); err != nil {
			return nil, err
		}
		out[e.CVE] = e
	}
	return out, rows.Err()
}

// Components returns every component version the inventory has ever
// held, current or historical, ordered by key.
func (s *Store) Components(ctx context.Context) ([]InvComponent, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT ckey, purl, ecosystem, namespace, name, version, license, supplier, hashes, repo, project_id
		FROM inv_components ORDER BY ckey`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []InvComponent
	for rows.Next() {
		var c InvComponent
		if err := rows.Scan(&c.Key, &c.PURL, &c.Ecosystem, &c.Namespace, &c.Name, &c.Version, &c.License, &c.Supplier, &c.Hashes, &c.Repo, &c.ProjectID); err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// SnapshotKeys returns the component keys of every snapshot, by snapshot
// id: the light view of the history that vulnerability tracking needs.
func (s *Store) SnapshotKeys(ctx context.Context) (map[int64][]string, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT snapshot_id, ckey FROM sbom_refs ORDER BY snapshot_id, ckey`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[int64][]string{}
	for rows.Next() {
		var id int64
		var k string
		if err := rows.Scan(&id, &k); err != nil {
			return nil, err
		}
		out[id] = append(out[id], k)
	}
	return out, rows.Err()
}
