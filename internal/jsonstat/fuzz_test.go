package jsonstat

import (
	"bytes"
	"errors"
	"math"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// FuzzDecode checks that no input makes the decoder panic, and that every
// dataset it accepts encodes, decodes to an equal dataset, and encodes to
// the same bytes again. Seeded with every fixture; run it with
// go test -fuzz FuzzDecode, which keeps any failing input in
// testdata/fuzz/FuzzDecode so that plain go test replays it.
func FuzzDecode(f *testing.F) {
	for _, path := range fixtureFiles(f) {
		f.Add(fixture(f, path))
	}
	f.Add([]byte(validDoc))
	f.Add([]byte(`{"version":"2.0","id":["a"],"size":[3],"dimension":{"a":{"category":{"index":{"x":2,"y":0,"z":1}}}},"value":{"2":"t","0":1e-7},"status":["s"]}`))
	f.Add([]byte(`{"columns":[{"code":"R","type":"d"},{"code":"V","type":"c"}],"data":[{"key":["r"],"values":[".."]}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		doc, err := Parse(data)
		if err != nil {
			return
		}
		for _, nd := range doc.Datasets {
			roundTrip(t, nd.Dataset)
		}
		if ds, err := Decode(data); err == nil {
			roundTrip(t, ds)
		}
	})
}

func roundTrip(t *testing.T, ds *Dataset) {
	t.Helper()
	var buf bytes.Buffer
	if err := Encode(&buf, ds); err != nil {
		t.Fatalf("Encode of a decoded dataset = %v", err)
	}
	back, err := Decode(buf.Bytes())
	if err != nil {
		t.Fatalf("Decode(Encode(ds)) = %v\n%s", err, buf.Bytes())
	}
	if !sameDataset(ds, back) {
		t.Fatalf("round trip (-before +after):\n%s", cmp.Diff(ds, back, equateNaN))
	}
	var again bytes.Buffer
	if err := Encode(&again, back); err != nil || !bytes.Equal(buf.Bytes(), again.Bytes()) {
		t.Fatalf("second Encode differs (err %v)", err)
	}
}

// sameDataset is cmp.Equal with NaN equal to NaN, with the values compared
// by a plain loop first: cmp's reflection is too slow for the millions of
// cells a fuzzed size can ask for.
func sameDataset(a, b *Dataset) bool {
	if len(a.Values) != len(b.Values) || (a.Values == nil) != (b.Values == nil) {
		return false
	}
	for i, v := range a.Values {
		if w := b.Values[i]; v != w && !(math.IsNaN(v) && math.IsNaN(w)) {
			return false
		}
	}
	ac, bc := *a, *b
	ac.Values, bc.Values = nil, nil
	return cmp.Equal(&ac, &bc)
}

// FuzzParseV1 is FuzzDecode for the older shapes: JSON-stat 1.x bundles,
// PxWeb v1 json data and PxWeb v1 metadata, seeded with the recorded v1
// responses. Beyond not panicking, every error must be an *Error (so it
// names a member or a position), and a dataset must fit its limits.
func FuzzParseV1(f *testing.F) {
	for _, path := range fixtureFiles(f) {
		if strings.Contains(path, "-v1") || strings.Contains(path, "v1/") {
			f.Add(fixture(f, path))
		}
	}
	f.Add([]byte(`{"ds":{"dimension":{"id":["a"],"size":[2],"a":{"category":{"index":{"x":1,"y":0}}}},"value":[1,null],"status":"s"}}`))
	f.Add([]byte(`{"columns":[{"code":"R","type":"d"},{"code":"T","type":"t"},{"code":"V","type":"c"}],"data":[{"key":["r","2020"],"values":["1.5"]}]}`))
	f.Add([]byte(`{"title":"t","variables":[{"code":"R","text":"r","values":["1","2"],"valueTexts":["en","to"],"time":true}]}`))
	lim := Limits{MaxCells: 1 << 16, MaxCategories: 1 << 12, MaxDimensions: 8, MaxLabelBytes: 256}
	f.Fuzz(func(t *testing.T, data []byte) {
		doc, err := ParseLimited(data, lim)
		if err != nil {
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("ParseLimited error %T (%v) is not an *Error", err, err)
			}
			return
		}
		for _, nd := range doc.Datasets {
			ds := nd.Dataset
			if n := ds.Len(); n > lim.MaxCells || len(ds.Dimensions) == 0 || len(ds.Dimensions) > lim.MaxDimensions {
				t.Fatalf("dataset %q: %d dimensions, %d cells; beyond the limits", nd.Name, len(ds.Dimensions), n)
			}
			roundTrip(t, ds)
		}
	})
}
