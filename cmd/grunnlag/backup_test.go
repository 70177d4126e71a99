package main

import (
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/grunnlag/grunnlag/internal/store/sqlstore/pgtest"
)

// fill puts something in every kind of table through the commands: a
// table, the pack, organisations, users, a token, a round with imported
// answers (constructed), and the audit log.
func fill(t *testing.T, env map[string]string) {
	t.Helper()
	answers := filepath.Join(t.TempDir(), "svar.csv")
	writeFile(t, answers, "org,measure,answer,comment\n0301,1.1.1,ja,konstruert\n4601,1.1.2,delvis,\n")
	for _, args := range [][]string{
		{"import", fixturePath(t, "pxweb/ssb-v2/03024/data-POST.json")},
		{"user", "add", "--admin", "admin@example.invalid"},
		{"user", "add", "--role", "lead", "--org", "0301", "leder@example.invalid"},
		{"token", "create", "admin@example.invalid"},
		{"org", "add", "--kind", "provider", "--code", "iks-konstruert", "--name", "Konstruert IKS"},
		{"org", "member", "iks-konstruert", "4601", "--from", "2024-01-01"},
		{"round", "create", "--id", "r1", "--name", "Konstruert runde", "--opens", "2020-01-01", "--closes", "2099-12-31"},
		{"round", "open", "r1"},
		{"answers", "import", "--round", "r1", answers},
	} {
		if code, out, errOut := runCLI(t, env, args...); code != 0 {
			t.Fatalf("%s exit %d: %s%s", strings.Join(args, " "), code, out, errOut)
		}
	}
}

// dump returns every row of every table of a database, each as text,
// table by table, sorted: two databases with the same content dump alike.
func dump(t *testing.T, driver, dsn string) map[string][]string {
	t.Helper()
	db, err := sql.Open(driver, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	q := `SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'catalog_words%' AND name NOT LIKE 'catalog_trigram%'`
	if driver == "pgx" {
		q = `SELECT tablename FROM pg_catalog.pg_tables WHERE schemaname = current_schema()`
	}
	rows, err := db.Query(q)
	if err != nil {
		t.Fatal(err)
	}
	var tables []string
	for rows.Next() {
		var n string
		rows.Scan(&n)
		tables = append(tables, n)
	}
	rows.Close()
	out := map[string][]string{}
	for _, tbl := range tables {
		rs, err := db.Query(`SELECT * FROM ` + tbl)
		if err != nil {
			t.Fatalf("%s: %v", tbl, err)
		}
		cols, _ := rs.Columns()
		var lines []string
		for rs.Next() {
			vals := make([]any, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			if err := rs.Scan(ptrs...); err != nil {
				t.Fatal(err)
			}
			lines = append(lines, fmt.Sprintf("%v", vals))
		}
		rs.Close()
		sort.Strings(lines)
		out[tbl] = lines
	}
	return out
}

// TestBackupRestore backs up a database in use, restores it into a new one,
// and compares every table row by row; verify finds the copy whole.
func TestBackupRestore(t *testing.T) {
	t.Run("sqlite", func(t *testing.T) {
		db := filepath.Join(t.TempDir(), "g.db")
		env := map[string]string{"GRUNNLAG_DB": db}
		fill(t, env)
		backup := filepath.Join(t.TempDir(), "kopi.db")
		if code, out, errOut := runCLI(t, env, "backup", backup); code != 0 {
			t.Fatalf("backup exit %d: %s%s", code, out, errOut)
		}
		if code, _, errOut := runCLI(t, env, "backup", backup); code == 0 || !strings.Contains(errOut, "finnes allerede") {
			t.Errorf("a second backup to the same file: exit %d, %q; want a refusal", code, errOut)
		}
		restored := filepath.Join(t.TempDir(), "ny.db")
		if code, out, errOut := runCLI(t, map[string]string{"GRUNNLAG_DB": restored}, "restore", backup); code != 0 {
			t.Fatalf("restore exit %d: %s%s", code, out, errOut)
		}
		if diff := cmp.Diff(dump(t, "sqlite", db), dump(t, "sqlite", restored)); diff != "" {
			t.Errorf("restored database differs (-original +restored):\n%s", diff)
		}
		if code, out, errOut := runCLI(t, map[string]string{"GRUNNLAG_DB": restored}, "verify"); code != 0 || strings.Contains(out, "FEIL") {
			t.Errorf("verify of the restored database: exit %d\n%s%s", code, out, errOut)
		}
		if code, _, errOut := runCLI(t, map[string]string{"GRUNNLAG_DB": restored}, "restore", backup); code == 0 || !strings.Contains(errOut, "finnes allerede") {
			t.Errorf("restore over an existing database: exit %d, %q; want a refusal", code, errOut)
		}
	})
	t.Run("postgres", func(t *testing.T) {
		dsn := pgtest.FreshDSN(t)
		env := map[string]string{"GRUNNLAG_DB": dsn}
		fill(t, env)
		backup := filepath.Join(t.TempDir(), "kopi.dump")
		if code, out, errOut := runCLI(t, env, "backup", backup); code != 0 {
			t.Fatalf("backup exit %d: %s%s", code, out, errOut)
		}
		restored := pgtest.FreshDSN(t)
		if code, out, errOut := runCLI(t, map[string]string{"GRUNNLAG_DB": restored}, "restore", backup); code != 0 {
			t.Fatalf("restore exit %d: %s%s", code, out, errOut)
		}
		if diff := cmp.Diff(dump(t, "pgx", dsn), dump(t, "pgx", restored)); diff != "" {
			t.Errorf("restored database differs (-original +restored):\n%s", diff)
		}
		if code, out, errOut := runCLI(t, map[string]string{"GRUNNLAG_DB": restored}, "verify"); code != 0 || strings.Contains(out, "FEIL") {
			t.Errorf("verify of the restored database: exit %d\n%s%s", code, out, errOut)
		}
		if code, _, errOut := runCLI(t, map[string]string{"GRUNNLAG_DB": dsn}, "restore", backup); code == 0 || !strings.Contains(errOut, "ikke tom") {
			t.Errorf("restore into a database in use: exit %d, %q; want a refusal", code, errOut)
		}
	})
}

// TestVerifyFindsDamage changes a stored raw body and an audit entry
// behind grunnlag's back: verify names both and exits 1.
func TestVerifyFindsDamage(t *testing.T) {
	db := filepath.Join(t.TempDir(), "g.db")
	env := map[string]string{"GRUNNLAG_DB": db}
	fill(t, env)
	if code, out, _ := runCLI(t, env, "verify"); code != 0 {
		t.Fatalf("verify before the damage: exit %d\n%s", code, out)
	}
	raw, err := sql.Open("sqlite", db)
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{
		`UPDATE snapshots SET sha256 = '0000000000000000000000000000000000000000000000000000000000000000'`,
		`UPDATE audit_log SET detail = 'endret' WHERE seq = 2`,
	} {
		if _, err := raw.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	raw.Close()
	code, out, _ := runCLI(t, env, "verify")
	if code != 1 || !strings.Contains(out, "FEIL: råsvarene mot SHA-256") || !strings.Contains(out, "FEIL: revisjonsloggens kjede: audit entry 2") {
		t.Errorf("verify after the damage: exit %d\n%s", code, out)
	}
}

func writeFile(t *testing.T, path, body string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
}
