package jsonstat

import (
	"errors"
	"fmt"
	"runtime"
	"strings"
	"testing"
)

// allocated returns the bytes f allocates on the heap, all goroutines
// counted; the decoder starts none, so this is what f costs.
func allocated(f func()) uint64 {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	f()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}

// Each input below is constructed: a small document that claims far more
// than it holds (issue 14, finding 1: a 144-byte file with
// size:[1000000000] killed the process).
func TestHugeClaimsAreRefusedInConstantMemory(t *testing.T) {
	const claim = 1_000_000_000
	raised := Limits{MaxCells: 2 * claim, MaxCategories: 2 * claim}
	tests := []struct {
		name string
		in   string
		lim  Limits
		want string
	}{
		{"2.0 size over the category limit", fmt.Sprintf(`{"version":"2.0","class":"dataset","id":["a"],"size":[%d],
			"dimension":{"a":{"category":{"index":["x"]}}},"value":[1]}`, claim), DefaultLimits(),
			`size[0]: 1000000000 categories, over the limit of 200000 (MaxCategories)`},
		{"2.0 size within raised limits, against one index entry", fmt.Sprintf(`{"version":"2.0","class":"dataset","id":["a"],"size":[%d],
			"dimension":{"a":{"category":{"index":["x"]}}},"value":[1]}`, claim), raised,
			`dimension.a.category.index: 1 entries, size says 1000000000`},
		{"2.0 index object against size", fmt.Sprintf(`{"version":"2.0","class":"dataset","id":["a"],"size":[%d],
			"dimension":{"a":{"category":{"index":{"x":0}}}},"value":[]}`, claim), raised,
			`dimension.a.category.index: 1 entries, size says 1000000000`},
		{"2.0 metadata, no index", fmt.Sprintf(`{"version":"2.0","class":"dataset","id":["a"],"size":[%d],
			"dimension":{"a":{"category":{"label":{"x":"X"}}}},"value":[]}`, claim), raised,
			`dimension.a.category.index: missing (size says 1000000000)`},
		{"2.0 sparse values", fmt.Sprintf(`{"version":"2.0","class":"dataset","id":["a"],"size":[%d],
			"dimension":{"a":{"category":{"index":["x"]}}},"value":{"0":1},"status":"s"}`, claim), raised,
			`value: object form for 1000000000 cells is implausible in a 146-byte document`},
		{"2.0 value before size", fmt.Sprintf(`{"value":[1],"version":"2.0","class":"dataset","id":["a"],"size":[%d],
			"dimension":{"a":{"category":{"index":["x"]}}}}`, claim), raised,
			`dimension.a.category.index: 1 entries, size says 1000000000`},
		{"1.x size", fmt.Sprintf(`{"ds":{"dimension":{"id":["a"],"size":[%d],"a":{"category":{"index":["x"]}}},"value":[1]}}`, claim), DefaultLimits(),
			`ds.dimension.size[0]: 1000000000 categories, over the limit of 200000 (MaxCategories)`},
		{"cells over the limit", `{"version":"2.0","class":"dataset","id":["a","b","c"],"size":[200000,200000,200000],
			"dimension":{},"value":[]}`, DefaultLimits(),
			`size: 8000000000000000 cells, over the limit of 50000000 (MaxCells)`},
		{"PxWeb metadata cells", `{"title":"t","variables":[` + strings.Repeat(`{"code":"a","values":["1","2","3","4","5","6","7","8","9","10"]},`, 0) +
			pxVariables(4, 50) + `]}`, Limits{MaxCells: 1_000_000},
			`variables: 6250000 cells, over the limit of 1000000 (MaxCells)`},
		{"PxWeb metadata too many dimensions", `{"title":"t","variables":[` + pxVariables(5, 1) + `]}`, Limits{MaxDimensions: 4},
			`variables: 5 dimensions, over the limit of 4 (MaxDimensions)`},
		{"px-json categories", `{"columns":[{"code":"R","type":"d"},{"code":"V","type":"c"}],"data":[{"key":["a"],"values":["1"]},{"key":["b"],"values":["1"]},{"key":["c"],"values":["1"]}]}`,
			Limits{MaxCategories: 2}, `data[2].key[0]: 3 categories, over the limit of 2 (MaxCategories)`},
		{"body over the limit", `{"version":"2.0"}`, Limits{MaxBodyBytes: 10}, `17 bytes, over the limit of 10 (MaxBodyBytes)`},
		{"index array over the category limit", `{"version":"2.0","class":"dataset","id":["a"],"size":[2],
			"dimension":{"a":{"category":{"index":["x","y","z"]}}},"value":[1,2]}`, Limits{MaxCategories: 2},
			`dimension.a.category.index: 3 entries, over the limit of 2 (MaxCategories)`},
		{"label object over the category limit", `{"version":"2.0","class":"dataset","id":["a"],"size":[1],
			"dimension":{"a":{"category":{"label":{"x":"1","y":"2","z":"3"}}}},"value":[1]}`, Limits{MaxCategories: 2},
			`dimension.a.category.label: 3 entries, over the limit of 2 (MaxCategories)`},
		{"too many dimensions in id", `{"version":"2.0","class":"dataset","id":["a","b","c"],"size":[1,1,1],"dimension":{},"value":[1]}`,
			Limits{MaxDimensions: 2}, `id: 3 dimensions, over the limit of 2 (MaxDimensions)`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var err error
			n := allocated(func() { _, err = DecodeLimited([]byte(tt.in), tt.lim) })
			if err == nil {
				t.Fatalf("DecodeLimited succeeded, want error %s", tt.want)
			}
			if got := err.Error(); got != tt.want {
				t.Errorf("DecodeLimited error = %s\n                        want %s", got, tt.want)
			}
			// The document is a few hundred bytes; what it claims would be
			// gigabytes. 64 KiB is room for the decoder's own bookkeeping.
			if n > 64<<10 {
				t.Errorf("DecodeLimited allocated %d bytes for a %d-byte document, want at most 64 KiB", n, len(tt.in))
			}
		})
	}
}

// pxVariables returns n PxWeb v1 metadata variables of k values each.
func pxVariables(n, k int) string {
	var b strings.Builder
	for i := range n {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, `{"code":"v%d","values":[`, i)
		for j := range k {
			if j > 0 {
				b.WriteByte(',')
			}
			fmt.Fprintf(&b, `"%d"`, j)
		}
		b.WriteString("]}")
	}
	return b.String()
}

func TestLimitErrorIsReachable(t *testing.T) {
	_, err := Decode([]byte(`{"version":"2.0","class":"dataset","id":["a"],"size":[1000000000],"dimension":{},"value":[]}`))
	var le *LimitError
	if !errors.As(err, &le) {
		t.Fatalf("Decode error %v does not wrap a *LimitError", err)
	}
	if le.Limit != "MaxCategories" || le.Max != DefaultMaxCategories || le.Got != 1_000_000_000 {
		t.Errorf("LimitError = %+v", le)
	}
}

// A blanket status over a large sparse table must cost no more than the
// values (issue 14, finding 4: 4096² cells with a blanket status took
// 2.7 GB as one map entry per cell). Constructed input, 1024² cells, one
// in 128 with a value: about as sparse as the decoder believes a body of
// this size.
func TestBlanketStatusStaysOneValue(t *testing.T) {
	const side = 1024
	in := fmt.Sprintf(`{"version":"2.0","class":"dataset","id":["a","b"],"size":[%d,%d],
		"dimension":{"a":{"category":{"index":[%s]}},"b":{"category":{"index":[%s]}}},
		"value":{%s},"status":"e"}`, side, side, codeList(side), codeList(side), sparse(side*side, 128))
	var ds *Dataset
	var err error
	n := allocated(func() { ds, err = Decode([]byte(in)) })
	if err != nil {
		t.Fatal(err)
	}
	if ds.Status != nil || ds.StatusAll != "e" {
		t.Errorf("Status has %d entries, StatusAll %q; want none and \"e\"", len(ds.Status), ds.StatusAll)
	}
	if got := ds.CellStatus(side*side - 1); got != "e" {
		t.Errorf("CellStatus(last) = %q, want \"e\"", got)
	}
	values := uint64(side * side * 8)
	if n > values+values/4 {
		t.Errorf("Decode allocated %d bytes; the values take %d, want at most 25%% more", n, values)
	}
}

// sparse returns the members of a sparse value object with a value for
// every step-th of n cells.
func sparse(n, step int) string {
	var b strings.Builder
	for i := 0; i < n; i += step {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, `"%d":%d`, i, i%1000)
	}
	return b.String()
}

func codeList(n int) string {
	var b strings.Builder
	for i := range n {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, `"%d"`, i)
	}
	return b.String()
}

func TestNotesHaveTheirOwnLimit(t *testing.T) {
	note := strings.Repeat("n", DefaultMaxLabelBytes+1)
	in := `{"version":"2.0","class":"dataset","note":["` + note + `"],"id":["a"],"size":[1],
		"dimension":{"a":{"category":{"index":["x"],"note":{"x":["` + note + `"]}}}},"value":[1]}`
	ds, err := Decode([]byte(in))
	if err != nil {
		t.Fatalf("Decode with notes longer than a label = %v", err)
	}
	if ds.Note[0] != note || ds.Dimensions[0].Categories[0].Note[0] != note {
		t.Errorf("notes not kept whole")
	}
	_, err = DecodeLimited([]byte(in), Limits{MaxNoteBytes: 100})
	if want := "note: 4097 bytes in a string, over the limit of 100 (MaxNoteBytes) at line 1, column 45 (byte 44)"; err == nil || err.Error() != want {
		t.Errorf("DecodeLimited error = %v\n                  want %s", err, want)
	}
}
