package ingest_test

import (
	"context"
	"fmt"
	"os"
	"runtime"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/grunnlag/grunnlag/internal/fault"
	"github.com/grunnlag/grunnlag/internal/ingest"
	"github.com/grunnlag/grunnlag/internal/jsonstat"
	"github.com/grunnlag/grunnlag/internal/pxweb/pxwebtest"
)

// allocated returns the bytes f allocates on the heap.
func allocated(f func()) uint64 {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	f()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}

// Issue 14, finding 13: `import /dev/zero` peaked at 4.6 GB before it was
// refused. Any input that is huge or not JSON is refused after a bounded
// read, naming the file.
func TestImportRefusesAfterABoundedRead(t *testing.T) {
	big := writeFile(t, "big.json", []byte(`{"version":"2.0",`+strings.Repeat(" ", 3000)+`}`))
	spaces := writeFile(t, "spaces.json", []byte(strings.Repeat(" ", 5000)))
	tests := []struct {
		name   string
		path   string
		limits jsonstat.Limits
		kind   fault.Kind
		want   string
		user   string
	}{
		{"a device of endless zero bytes", "/dev/zero", jsonstat.Limits{}, fault.Invalid,
			"file /dev/zero: not JSON-stat: byte 0 is '\\x00', want '{'", "Filen er ikke en JSON-stat-fil: den begynner ikke med «{»."},
		{"a file over the limit, refused by its size", big, jsonstat.Limits{MaxBodyBytes: 1000}, fault.TooLarge,
			"file " + big + ": 3018 bytes, over the limit of 1000 (MaxBodyBytes)", "Filen er større enn grensen på 1000 byte."},
		{"a device over the limit, refused while read", "/dev/urandom", jsonstat.Limits{MaxBodyBytes: 1000}, 0,
			"", ""}, // random bytes: refused at the first byte unless it is '{' or white space, else by size
		{"white space only, over the limit", spaces, jsonstat.Limits{MaxBodyBytes: 4500}, fault.TooLarge,
			"file " + spaces + ": 5000 bytes, over the limit of 4500 (MaxBodyBytes)", "Filen er større enn grensen på 4500 byte."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := os.Stat(tt.path); err != nil {
				t.Skipf("%s: %v", tt.path, err)
			}
			st := openStore(t)
			im := ingest.NewImporter(st, nil, nil, nil)
			im.Limits = tt.limits
			var rs []ingest.Result
			n := allocated(func() { rs = im.Import(context.Background(), []string{tt.path}, "") })
			if len(rs) != 1 || rs[0].Err == nil {
				t.Fatalf("Import(%s) = %+v, want one failure", tt.path, rs)
			}
			err := rs[0].Err
			if tt.want != "" {
				if got := err.Error(); got != tt.want {
					t.Errorf("error = %s\n   want %s", got, tt.want)
				}
				if fault.KindOf(err) != tt.kind || fault.UserMessage(err) != tt.user {
					t.Errorf("kind %v, user message %q; want %v, %q", fault.KindOf(err), fault.UserMessage(err), tt.kind, tt.user)
				}
			} else if !strings.HasPrefix(err.Error(), "file "+tt.path+": ") {
				t.Errorf("error = %v, want it to name the file", err)
			}
			if n > 4<<20 {
				t.Errorf("Import allocated %d bytes, want at most 4 MiB", n)
			}
		})
	}
}

// Issue 14, finding 4: a blanket status stays one value in the decoder,
// but no status may be lost on its way into the store.
func TestImportKeepsABlanketStatus(t *testing.T) {
	st := openStore(t)
	// Constructed: three cells, one missing, one status for all.
	path := writeFile(t, "blanket.json", []byte(`{"version":"2.0","class":"dataset","label":"99990: Konstruert",
		"id":["a"],"size":[3],"dimension":{"a":{"category":{"index":["x","y","z"]}}},"value":[1,null,3],"status":"p"}`))
	rs := ingest.NewImporter(st, nil, nil, nil).Import(context.Background(), []string{path}, "")
	if len(rs) != 1 || rs[0].Err != nil {
		t.Fatalf("Import = %+v", rs)
	}
	snap, err := st.LatestSnapshot(context.Background(), "99990")
	if err != nil {
		t.Fatal(err)
	}
	got := make([]string, 3)
	for i := range got {
		got[i] = snap.Data.CellStatus(i)
	}
	if diff := cmp.Diff([]string{"p", "p", "p"}, got); diff != "" {
		t.Errorf("stored statuses (-want +got):\n%s", diff)
	}
}

// Issue 14, finding 3, through sync: a hostile server's metadata fails the
// table with an error that names it and the limit, and stores nothing.
func TestSyncRefusesAHugeTable(t *testing.T) {
	srv := pxwebtest.New()
	defer srv.Close()
	srv.AddTable(pxwebtest.ConstructedTable("99901", 2, 1, 1))
	var meta strings.Builder
	meta.WriteString(`{"version":"2.0","class":"dataset","id":["a","b","c","d"],"size":[50000,50000,50000,50000],"dimension":{`)
	for i, id := range []string{"a", "b", "c", "d"} {
		if i > 0 {
			meta.WriteByte(',')
		}
		fmt.Fprintf(&meta, `%q:{"category":{"index":[`, id)
		for j := range 50000 {
			if j > 0 {
				meta.WriteByte(',')
			}
			fmt.Fprintf(&meta, `"%d"`, j)
		}
		meta.WriteString(`]}}`)
	}
	meta.WriteString(`},"value":[]}`)
	srv.Inject(pxwebtest.Fault{Kind: pxwebtest.Body, Path: "/tables/99901/metadata", Body: []byte(meta.String())})
	st := openStore(t)
	rs := newSyncer(srv, st).Sync(context.Background(), []string{"99901"})
	if len(rs) != 1 || rs[0].Err == nil {
		t.Fatalf("Sync = %+v, want one failure", rs)
	}
	err := rs[0].Err
	if !fault.Is(err, fault.TooLarge) || !strings.HasPrefix(err.Error(), "table 99901: ") || !strings.Contains(err.Error(), "over the limit of 50000000 (MaxCells)") {
		t.Errorf("error = %v (kind %v), want too large, naming the table and the limit", err, fault.KindOf(err))
	}
	if got, want := fault.UserMessage(err), "Tabell 99901 er større enn grensene grunnlag er satt opp med, og ble ikke hentet."; got != want {
		t.Errorf("user message = %q, want %q", got, want)
	}
	if n := srv.Count(pxwebtest.Data); n != 0 {
		t.Errorf("%d data requests, want none", n)
	}
	if n := snapshotCount(t, st, "99901"); n != 0 {
		t.Errorf("%d snapshots stored, want none", n)
	}
}
