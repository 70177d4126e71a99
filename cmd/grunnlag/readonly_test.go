package main

import (
	"crypto/sha256"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/grunnlag/grunnlag/internal/fixtures"
	"github.com/grunnlag/grunnlag/internal/store/sqlstore/pgtest"
)

// fileState is what a command that only reads must leave as it was.
type fileState struct {
	sum   [32]byte
	size  int64
	mtime time.Time
}

func stateOf(t *testing.T, path string) fileState {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	return fileState{sha256.Sum256(b), fi.Size(), fi.ModTime()}
}

// readCommands are the commands that only read, with arguments that make
// each do its whole work.
func readCommands(t *testing.T) [][]string {
	out := t.TempDir()
	return [][]string{
		{"tables"},
		{"tables", "--json"},
		{"show", "03024"},
		{"indicators"},
		{"indicators", "--json"},
		{"report", "--out", out, "--format", "html,md"},
		{"search", "patch"},
		{"sources"},
		{"check"},
	}
}

// TestReadCommandsLeaveTheFileAlone runs every read command on a SQLite
// file holding a table and the pack, then on one without the pack stored,
// and on a file that does not exist: the file keeps its bytes and its
// modification time, and no file is created.
func TestReadCommandsLeaveTheFileAlone(t *testing.T) {
	db := filepath.Join(t.TempDir(), "g.db")
	env := map[string]string{"GRUNNLAG_DB": db}
	if code, _, errOut := runCLI(t, env, "import", fixturePath(t, "pxweb/ssb-v2/03024/data-POST.json")); code != 0 {
		t.Fatalf("import exit %d: %s", code, errOut)
	}
	before := stateOf(t, db)
	time.Sleep(20 * time.Millisecond) // a write would show in the mtime
	for _, args := range readCommands(t) {
		code, _, errOut := runCLI(t, env, args...)
		if code != 0 && args[0] != "report" { // report may exit 1 for missing data only with --strict
			t.Errorf("%s exit %d: %s", strings.Join(args, " "), code, errOut)
		}
		if after := stateOf(t, db); after != before {
			t.Fatalf("%s changed the database file: %+v, then %+v", strings.Join(args, " "), before, after)
		}
	}
	// (A reader of a file in WAL mode may leave its empty -wal and -shm
	// companions; they hold no data, and the next writer uses them.)

	// A pack that differs from the stored one: each read command says so
	// in one line at most, and still leaves the file alone.
	pack := writePack(t, map[string]string{"pack.yaml": "pack:\n  name: vestland\n", "documents.yaml": "documents: []\n"})
	code, _, errOut := runCLI(t, env, "--pack", pack, "search", "patch")
	if code != 0 || strings.Count(errOut, "kunnskapspakken i databasen er en annen") != 1 {
		t.Errorf("search with another pack: exit %d, stderr %q, want one line about the stored pack", code, errOut)
	}
	if after := stateOf(t, db); after != before {
		t.Errorf("search with another pack changed the database file")
	}

	missing := filepath.Join(t.TempDir(), "ingen.db")
	for _, args := range readCommands(t) {
		runCLI(t, map[string]string{"GRUNNLAG_DB": missing}, args...)
		if _, err := os.Stat(missing); err == nil {
			t.Fatalf("%s created %s", strings.Join(args, " "), missing)
		}
	}
}

// TestReadCommandsOnPostgresAsReader runs the read commands as a
// PostgreSQL role that may only SELECT: none needs to write.
func TestReadCommandsOnPostgresAsReader(t *testing.T) {
	admin := pgtest.AdminDSN(t)
	if !strings.HasPrefix(admin, "postgres://") {
		t.Skip("GRUNNLAG_TEST_POSTGRES is not a URL")
	}
	role := pgtest.Name("grunnlag_t_reader_")
	pgtest.Exec(t, admin, "CREATE ROLE "+role+" LOGIN")
	t.Cleanup(func() { pgtest.Exec(t, admin, "DROP ROLE IF EXISTS "+role) })
	dsn := pgtest.FreshDSN(t)
	if code, _, errOut := runCLI(t, map[string]string{"GRUNNLAG_DB": dsn}, "import", fixturePath(t, "pxweb/ssb-v2/03024/data-POST.json")); code != 0 {
		t.Fatalf("import exit %d: %s", code, errOut)
	}
	pgtest.Exec(t, dsn, "GRANT SELECT ON ALL TABLES IN SCHEMA public TO "+role)
	reader := strings.Replace(dsn, "postgres://postgres@", "postgres://"+role+"@", 1)
	for _, args := range readCommands(t) {
		code, _, errOut := runCLI(t, map[string]string{"GRUNNLAG_DB": reader}, args...)
		if code != 0 {
			t.Errorf("%s as a read-only role: exit %d: %s", strings.Join(args, " "), code, errOut)
		}
	}
}

// fixturePath writes a recorded fixture to a file and returns its path.
func fixturePath(t *testing.T, name string) string {
	t.Helper()
	b, err := fixtures.FS.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), filepath.Base(name))
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}
