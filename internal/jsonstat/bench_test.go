package jsonstat

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"strconv"
	"testing"
)

// largeDataset generates a JSON-stat 2.0 dataset of about 110 MB shaped like
// an SSB table: 5 dimensions (360 municipalities with codes like "0301",
// 20 age groups, 3 sexes, 2 contents, 360 months = 15.5 million cells),
// whole numbers for one contents code and up to 2 decimals for the other,
// one cell in 1000 null with status "..". Constructed for the benchmark only; never written to disk.
func largeDataset() []byte {
	r := rand.New(rand.NewPCG(2025, 10))
	dims := []struct {
		id, label string
		codes     []string
	}{
		{"Region", "region", codes(360, func(i int) string { return fmt.Sprintf("%02d%02d", 1+i/20, 1+i%20) })},
		{"Alder", "alder", codes(20, func(i int) string {
			if i == 19 {
				return "95+"
			}
			return fmt.Sprintf("%02d-%02d", 5*i, 5*i+4)
		})},
		{"Kjonn", "kjønn", []string{"0", "1", "2"}},
		{"ContentsCode", "statistikkvariabel", []string{"Personer", "Andel"}},
		{"Tid", "måned", codes(360, func(i int) string { return fmt.Sprintf("%dM%02d", 1996+i/12, 1+i%12) })},
	}
	var b bytes.Buffer
	b.WriteString(`{"version":"2.0","class":"dataset","label":"Generert testtabell","source":"konstruert for benchmark",` +
		`"updated":"2025-10-29T07:00:00Z","role":{"time":["Tid"],"metric":["ContentsCode"]},"id":[`)
	cells := 1
	for i, d := range dims {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, "%q", d.id)
		cells *= len(d.codes)
	}
	b.WriteString(`],"size":[`)
	for i, d := range dims {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(strconv.Itoa(len(d.codes)))
	}
	b.WriteString(`],"dimension":{`)
	for i, d := range dims {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, `%q:{"label":%q,"category":{"index":{`, d.id, d.label)
		for j, c := range d.codes {
			if j > 0 {
				b.WriteByte(',')
			}
			fmt.Fprintf(&b, `%q:%d`, c, j)
		}
		b.WriteString(`},"label":{`)
		for j, c := range d.codes {
			if j > 0 {
				b.WriteByte(',')
			}
			fmt.Fprintf(&b, `%q:"%s %s"`, c, d.label, c)
		}
		b.WriteString(`}},"extension":{"elimination":false,"show":"value"}}`)
	}
	b.WriteString(`},"value":[`)
	var nulls []int
	buf := make([]byte, 0, 32)
	for i := range cells {
		if i > 0 {
			b.WriteByte(',')
		}
		if r.IntN(1000) == 0 {
			b.WriteString("null")
			nulls = append(nulls, i)
			continue
		}
		// As in SSB tables: the contents code decides the decimals
		// (Personer whole numbers, Andel two decimals, trailing zeros
		// dropped), and Tid varies fastest.
		buf = buf[:0]
		if (i/360)%2 == 0 {
			buf = strconv.AppendInt(buf, int64(r.IntN(200000)), 10)
		} else {
			buf = strconv.AppendFloat(buf, float64(r.IntN(100000))/100, 'f', -1, 64)
		}
		b.Write(buf)
	}
	b.WriteString(`],"status":{`)
	for i, n := range nulls {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, `"%d":".."`, n)
	}
	b.WriteString("}}\n")
	return b.Bytes()
}

func codes(n int, f func(int) string) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = f(i)
	}
	return out
}

// BenchmarkDecode decodes the generated dataset with Decode and, as a
// baseline on the same bytes in the same run, with encoding/json into a
// generic tree.
func BenchmarkDecode(b *testing.B) {
	data := largeDataset()
	b.Logf("input: %.1f MB", float64(len(data))/1e6)
	b.Run("jsonstat", func(b *testing.B) {
		b.SetBytes(int64(len(data)))
		b.ReportAllocs()
		for b.Loop() {
			if _, err := Decode(data); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("encoding-json", func(b *testing.B) {
		b.SetBytes(int64(len(data)))
		b.ReportAllocs()
		for b.Loop() {
			var v any
			if err := json.Unmarshal(data, &v); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkEncode writes the generated dataset back out.
func BenchmarkEncode(b *testing.B) {
	ds, err := Decode(largeDataset())
	if err != nil {
		b.Fatal(err)
	}
	var n countingWriter
	if err := Encode(&n, ds); err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(n))
	b.ReportAllocs()
	for b.Loop() {
		if err := Encode(io.Discard, ds); err != nil {
			b.Fatal(err)
		}
	}
}

type countingWriter int

func (c *countingWriter) Write(p []byte) (int, error) {
	*c += countingWriter(len(p))
	return len(p), nil
}

func TestLargeDatasetDecodes(t *testing.T) {
	if testing.Short() {
		t.Skip("generates 110 MB")
	}
	data := largeDataset()
	if len(data) < 100e6 {
		t.Errorf("generated %d bytes, want at least 100 MB", len(data))
	}
	ds, err := Decode(data)
	if err != nil {
		t.Fatal(err)
	}
	if len(ds.Values) != 360*20*3*2*360 || len(ds.Status) == 0 {
		t.Errorf("decoded %d values and %d statuses", len(ds.Values), len(ds.Status))
	}
	for i := range ds.Status {
		if _, ok := ds.Value(i); ok {
			t.Fatalf("cell %d has status %q and a value", i, ds.Status[i])
		}
	}
}
