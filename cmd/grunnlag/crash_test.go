package main

import (
	"context"
	"database/sql"
	"fmt"
	"math/rand/v2"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/grunnlag/grunnlag/internal/pxweb/pxwebtest"
	"github.com/grunnlag/grunnlag/internal/store"
	"github.com/grunnlag/grunnlag/internal/store/sqlstore"
	"github.com/grunnlag/grunnlag/internal/store/sqlstore/pgtest"
)

// TestCrashSafety builds the real binary and kills it with SIGKILL at
// random moments: during a sync of a large table (fetched in parts),
// during the import of a large file, during a pack load, and during a
// burst of web writes. After every kill the database must open, verify
// clean (integrity, cells, raw bodies, audit chain), hold no partial
// snapshot, pack or plan, and the next run must complete.
//
// It runs on a SQLite file and on a PostgreSQL database (skipped when no
// server is given, as the store's tests are). GRUNNLAG_CRASH_KILLS sets
// the number of kills on SQLite (8 by default; .ci/run asks for 52);
// PostgreSQL gets half as many. The data is constructed.
func TestCrashSafety(t *testing.T) {
	if testing.Short() {
		t.Skip("kills processes; not in -short")
	}
	kills := 8
	if v := os.Getenv("GRUNNLAG_CRASH_KILLS"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 4 {
			t.Fatalf("GRUNNLAG_CRASH_KILLS=%q: want a number of 4 or more", v)
		}
		kills = n
	}
	bin := filepath.Join(t.TempDir(), "grunnlag")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	t.Run("SQLite", func(t *testing.T) {
		crashRun(t, bin, filepath.Join(t.TempDir(), "g.db"), "sqlite", kills)
	})
	t.Run("PostgreSQL", func(t *testing.T) {
		crashRun(t, bin, pgtest.FreshDSN(t), "pgx", max(4, kills/2))
	})
}

// crashRun kills the binary kills times on the database db (opened raw
// with the database/sql driver named driver for the cell counts).
func crashRun(t *testing.T, bin, db, driver string, kills int) {
	fake := pxwebtest.New(pxwebtest.WithMaxCells(40_000))
	defer fake.Close()
	// Constructed: 20 years × 40 levels × 50 variables (× the contents),
	// fetched in several parts.
	fake.AddTable(pxwebtest.ConstructedTable("99901", 20, 40, 50))

	c := &crasher{t: t, bin: bin, db: db, driver: driver, rng: rand.New(rand.NewPCG(1, 2))}
	// First runs without a kill: the durations the kills are drawn from.
	c.run("sync", "--base-url", fake.URL(), "99901")
	big := c.bigFile()
	c.run("import", big)
	c.run("pack", "load")

	kinds := []string{"sync", "import", "pack", "web"}
	done := map[string]int{}
	for i := range kills {
		kind := kinds[i%len(kinds)]
		switch kind {
		case "sync":
			fake.SetUpdated("99901", fmt.Sprintf("2026-01-%02dT08:00:00Z", 1+i%28))
			c.killDuring(kind, "sync", "--base-url", fake.URL(), "99901")
		case "import":
			c.killDuring(kind, "import", c.variant(big, i))
		case "pack":
			dir := c.pack(i)
			c.killDuring(kind, "--pack", dir, "pack", "load")
		case "web":
			c.killWeb(i)
		}
		done[kind]++
		c.check(kind)
	}
	t.Logf("killed the binary %d times with SIGKILL: %v; the database verified clean after each, and the next run completed", kills, done)
}

type crasher struct {
	t      *testing.T
	bin    string
	db     string
	driver string // database/sql's name for the engine: sqlite or pgx
	rng    *rand.Rand
	dur    map[string]time.Duration
}

// run runs the binary to completion; it must succeed.
func (c *crasher) run(args ...string) time.Duration {
	c.t.Helper()
	start := time.Now()
	cmd := exec.Command(c.bin, append([]string{"--db", c.db}, args...)...)
	if out, err := cmd.CombinedOutput(); err != nil {
		c.t.Fatalf("%s: %v\n%s", strings.Join(args, " "), err, out)
	}
	d := time.Since(start)
	if c.dur == nil {
		c.dur = map[string]time.Duration{}
	}
	if _, ok := c.dur[args[0]]; !ok {
		c.dur[args[0]] = d
	}
	return d
}

// killDuring starts the binary, kills it after a random part of the time
// a whole run took, then runs it again to completion.
func (c *crasher) killDuring(kind string, args ...string) {
	c.t.Helper()
	cmd := exec.Command(c.bin, append([]string{"--db", c.db}, args...)...)
	if err := cmd.Start(); err != nil {
		c.t.Fatal(err)
	}
	full := c.dur[args[0]]
	if full == 0 {
		full = c.dur[kind]
	}
	time.Sleep(time.Duration(c.rng.Int64N(int64(full) + 1)))
	cmd.Process.Signal(syscall.SIGKILL)
	cmd.Wait()
	c.check(kind)
	c.run(args...)
}

// check opens the database after a kill and verifies it.
func (c *crasher) check(kind string) {
	c.t.Helper()
	ctx := context.Background()
	st, err := sqlstore.Open(ctx, c.db, sqlstore.Options{ReadOnly: true})
	if err != nil {
		c.t.Fatalf("after a kill during %s, the database does not open: %v", kind, err)
	}
	defer st.Close()
	checks, err := st.Verify(ctx)
	if err != nil {
		c.t.Fatalf("after a kill during %s: verify: %v", kind, err)
	}
	for _, ch := range checks {
		if ch.Problem != "" {
			c.t.Fatalf("after a kill during %s: %s: %s", kind, ch.What, ch.Problem)
		}
	}
	// Every version of the table is whole: as many cell rows as every other
	// version from the same source (only "updated" changes). The synced
	// versions come in several parts; the imported file is the first part
	// alone.
	dsn := c.db
	if c.driver == "sqlite" {
		dsn += "?mode=ro"
	}
	raw, err := sql.Open(c.driver, dsn)
	if err != nil {
		c.t.Fatal(err)
	}
	defer raw.Close()
	// A snapshot's cells are its rows of cells and the values in its blocks
	// (8 bytes a cell).
	rows, err := raw.Query(`SELECT s.id, s.source LIKE 'http%',
			(SELECT COUNT(*) FROM cells c WHERE c.snapshot_id = s.id) +
			(SELECT COALESCE(SUM(length(v.data)), 0) / 8 FROM cell_values v WHERE v.snapshot_id = s.id)
		FROM snapshots s WHERE s.table_id = '99901' ORDER BY s.id`)
	if err != nil {
		c.t.Fatal(err)
	}
	first := map[bool][2]int64{}
	for rows.Next() {
		var id, n int64
		var synced bool
		if err := rows.Scan(&id, &synced, &n); err != nil {
			c.t.Fatal(err)
		}
		f, ok := first[synced]
		if !ok {
			first[synced] = [2]int64{id, n}
			continue
		}
		if n != f[1] {
			c.t.Fatalf("after a kill during %s: snapshot %d has %d cells unlike snapshot %d's %d: a partial snapshot", kind, id, n, f[0], f[1])
		}
	}
	if err := rows.Err(); err != nil {
		c.t.Fatal(err)
	}
	// The stored pack is one whole load: as many entries as it says.
	info, err := st.CatalogInfo(ctx)
	if err == nil {
		entries, err := st.CatalogEntries(ctx, "")
		if err != nil || len(entries) != info.Entries {
			c.t.Fatalf("after a kill during %s: the pack says %d entries, %d stored (%v)", kind, info.Entries, len(entries), err)
		}
	}
}

// bigFile writes a large JSON-stat file (the synced table, exported by the
// binary's own show --json is not JSON-stat; the fake server's answer is).
func (c *crasher) bigFile() string {
	c.t.Helper()
	ctx := context.Background()
	st, err := sqlstore.Open(ctx, c.db, sqlstore.Options{ReadOnly: true})
	if err != nil {
		c.t.Fatal(err)
	}
	defer st.Close()
	s, err := st.LatestSnapshot(ctx, "99901")
	if err != nil {
		c.t.Fatal(err)
	}
	raw, err := st.SnapshotRaw(ctx, s.ID)
	if err != nil || len(raw) == 0 {
		c.t.Fatalf("raw bodies: %v", err)
	}
	path := filepath.Join(c.t.TempDir(), "stor.json")
	if err := os.WriteFile(path, raw[0], 0o644); err != nil {
		c.t.Fatal(err)
	}
	return path
}

// variant writes the big file with another "updated", so that importing
// it stores a new version (the same cells).
var updatedRE = regexp.MustCompile(`"updated"\s*:\s*"[^"]*"`)

func (c *crasher) variant(path string, i int) string {
	c.t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		c.t.Fatal(err)
	}
	b = updatedRE.ReplaceAll(b, []byte(fmt.Sprintf(`"updated":"2027-02-%02dT08:00:00Z"`, 1+i%28)))
	out := filepath.Join(c.t.TempDir(), fmt.Sprintf("stor-%d.json", i))
	if err := os.WriteFile(out, b, 0o644); err != nil {
		c.t.Fatal(err)
	}
	return out
}

// pack writes a small pack folder that differs for each i, so that each
// load replaces the stored pack.
func (c *crasher) pack(i int) string {
	c.t.Helper()
	dir := filepath.Join(c.t.TempDir(), "vest")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		c.t.Fatal(err)
	}
	doc := fmt.Sprintf(`documents:
  - id: nou-2018-14
    kind: nou
    as_written: "NOU 2018:14 IKT-sikkerhet i alle ledd."
    identifier: "NOU 2018:14"
    title: "IKT-sikkerhet i alle ledd (konstruert merknad %d)"
    source: {ref: vedlegg-e, at: "konstruert"}
`, i)
	if err := os.WriteFile(filepath.Join(dir, "pack.yaml"), []byte("pack:\n  name: vest\n"), 0o644); err != nil {
		c.t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "documents.yaml"), []byte(doc), 0o644); err != nil {
		c.t.Fatal(err)
	}
	return dir
}

// killWeb starts the server, sends a burst of plan saves from several
// clients, kills the server in the middle, and checks that every save the
// server answered is stored.
func (c *crasher) killWeb(i int) {
	c.t.Helper()
	if i < 4 { // the first time: a round, a lead and a token
		for _, args := range [][]string{
			{"user", "add", "--role", "lead", "--org", "0301", "leder@example.invalid"},
			{"round", "create", "--id", "r1", "--name", "Konstruert runde", "--opens", "2020-01-01", "--closes", "2099-12-31"},
			{"round", "open", "r1"},
		} {
			if _, err := exec.Command(c.bin, append([]string{"--db", c.db}, args...)...).CombinedOutput(); err != nil && i == 3 {
				c.t.Fatalf("%s: %v", strings.Join(args, " "), err)
			}
		}
	}
	out, err := exec.Command(c.bin, "--db", c.db, "token", "create", "leder@example.invalid").Output()
	if err != nil {
		c.t.Fatalf("token create: %v", err)
	}
	lines := strings.Split(strings.TrimSpace(string(out)), "\n")
	token := lines[len(lines)-1]

	cmd := exec.Command(c.bin, "--db", c.db, "serve", "--no-sync", "--addr", "127.0.0.1:0")
	stdout, _ := cmd.StdoutPipe()
	if err := cmd.Start(); err != nil {
		c.t.Fatal(err)
	}
	buf := make([]byte, 4096)
	n, _ := stdout.Read(buf)
	m := regexp.MustCompile(`serverer på (http://\S+)/`).FindSubmatch(buf[:n])
	if m == nil {
		cmd.Process.Kill()
		cmd.Wait()
		c.t.Fatalf("serve said %q", buf[:n])
	}
	base := string(m[1])
	var mu sync.Mutex
	answered := map[string]string{} // measure → owner the server confirmed
	var wg sync.WaitGroup
	stop := make(chan struct{})
	for w := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			client := &http.Client{Timeout: 5 * time.Second, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
			for j := 0; ; j++ {
				select {
				case <-stop:
					return
				default:
				}
				measure := fmt.Sprintf("1.%d.%d", 1+(w+j)%2, 1+j%3)
				owner := fmt.Sprintf("eier-%d-%d-%d", i, w, j)
				req, _ := http.NewRequest(http.MethodPost, base+"/kartlegging/r1/plan/"+measure,
					strings.NewReader("status=planlagt&ansvarlig="+owner))
				req.Header.Set("Authorization", "Bearer "+token)
				req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
				resp, err := client.Do(req)
				if err != nil {
					return // the server is gone
				}
				resp.Body.Close()
				if resp.StatusCode == http.StatusSeeOther {
					mu.Lock()
					answered[fmt.Sprintf("%d/%s", w, measure)] = owner
					mu.Unlock()
				}
			}
		}()
	}
	time.Sleep(time.Duration(50+c.rng.IntN(400)) * time.Millisecond)
	cmd.Process.Signal(syscall.SIGKILL)
	cmd.Wait()
	close(stop)
	wg.Wait()
	c.check("web")
	if len(answered) == 0 {
		return
	}
	// Every save the server confirmed is stored (or a later save of the
	// same measure by another client replaced it): a confirmed write is
	// never lost.
	ctx := context.Background()
	st, err := sqlstore.Open(ctx, c.db, sqlstore.Options{ReadOnly: true})
	if err != nil {
		c.t.Fatal(err)
	}
	defer st.Close()
	items, err := st.PlanItems(ctx, store.Operator, "r1", orgID(c.t, st, "0301"), time.Now())
	if err != nil {
		c.t.Fatal(err)
	}
	// Every measure a save was confirmed for has a row (the confirmed one,
	// or a later save of the same measure whose answer the kill cut off):
	// a confirmed write is never lost.
	stored := map[string]bool{}
	for _, it := range items {
		stored[it.Measure] = true
	}
	for key, owner := range answered {
		_, measure, _ := strings.Cut(key, "/")
		if !stored[measure] {
			c.t.Fatalf("a plan save the server confirmed (%s, %s) is not stored after the kill", measure, owner)
		}
	}
}

func orgID(t *testing.T, st *sqlstore.DB, code string) int64 {
	o, err := st.Organisation(context.Background(), code)
	if err != nil {
		t.Fatal(err)
	}
	return o.ID
}
