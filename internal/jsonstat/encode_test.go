package jsonstat

import (
	"bytes"
	"encoding/json"
	"errors"
	"math"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

// equateNaN makes NaN equal to NaN: missing cells compare equal.
var equateNaN = cmpopts.EquateNaNs()

func encode(t testing.TB, ds *Dataset) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := Encode(&buf, ds); err != nil {
		t.Fatalf("Encode = %v", err)
	}
	return buf.Bytes()
}

func TestEncodeRoundTripFixtures(t *testing.T) {
	for _, path := range fixtureFiles(t) {
		if notJSONStat[path] {
			continue
		}
		t.Run(path, func(t *testing.T) {
			doc, err := Parse(fixture(t, path))
			if err != nil {
				t.Fatal(err)
			}
			for _, nd := range doc.Datasets {
				out := encode(t, nd.Dataset)
				if !json.Valid(out) {
					t.Fatalf("Encode wrote invalid JSON:\n%s", out)
				}
				back, err := Decode(out)
				if err != nil {
					t.Fatalf("Decode(Encode(%s)) = %v", nd.Name, err)
				}
				if diff := cmp.Diff(nd.Dataset, back, equateNaN); diff != "" {
					t.Errorf("round trip of %q (-before +after):\n%s", nd.Name, diff)
				}
				if again := encode(t, back); !bytes.Equal(out, again) {
					t.Errorf("Encode is not stable across a round trip")
				}
			}
		})
	}
}

func TestEncodeDeterministic(t *testing.T) {
	ds := decodeFixture(t, "jsonstat/oecd.json") // status map with 72 entries, child map
	first := encode(t, ds)
	for range 20 {
		if got := encode(t, ds); !bytes.Equal(first, got) {
			t.Fatal("Encode gave different bytes for the same dataset")
		}
	}
}

func TestEncodeExact(t *testing.T) {
	// Constructed dataset covering every member Encode writes.
	nan := math.NaN()
	ds := &Dataset{
		Label:     "Tabell \"x\"\n",
		Source:    "SSB",
		Updated:   "2025-01-01T07:00:00Z",
		Href:      "https://example.invalid/t",
		Note:      []string{"n1"},
		Extension: json.RawMessage(`{"px":{"decimals":1}}`),
		Link:      json.RawMessage(`{"alternate":[]}`),
		Role:      Role{Time: []string{"Tid"}, Metric: []string{"ContentsCode"}},
		Dimensions: []Dimension{
			{ID: "Region", Label: "region", Note: []string{"d"}, Href: "h",
				Categories: []Category{{Code: "0301", Label: "Oslo", Note: []string{"c"}}, {Code: "03", Label: "03"}},
				Child:      map[string][]string{"03": {"0301"}},
				Extension:  json.RawMessage(`{"elimination":true}`)},
			{ID: "ContentsCode", Categories: []Category{{Code: "Andel", Label: "Andel",
				Unit: &Unit{Label: "prosent", Symbol: "%", Position: "end", Decimals: intPtr(1), Multiplier: intPtr(-2)}}}},
			{ID: "Tid", Categories: []Category{{Code: "2024", Label: "2024"}, {Code: "2025", Label: "2025"}, {Code: "2026", Label: "2026"}}},
		},
		Values: []float64{1.5, nan, 1e21, -0.000001, nan, 0.1},
		Text:   map[int]string{4: "tekst"},
		Status: map[int]string{1: "..", 5: "e", 0: ""},
	}
	want := `{"version":"2.0","class":"dataset","href":"https://example.invalid/t","label":"Tabell \"x\"\n","source":"SSB",` +
		`"updated":"2025-01-01T07:00:00Z","note":["n1"],"role":{"time":["Tid"],"metric":["ContentsCode"]},` +
		`"id":["Region","ContentsCode","Tid"],"size":[2,1,3],"dimension":{` +
		`"Region":{"category":{"index":["0301","03"],"label":{"0301":"Oslo","03":"03"},"note":{"0301":["c"]},"child":{"03":["0301"]}},` +
		`"label":"region","href":"h","note":["d"],"extension":{"elimination":true}},` +
		`"ContentsCode":{"category":{"index":["Andel"],"label":{"Andel":"Andel"},` +
		`"unit":{"Andel":{"base":"prosent","label":"prosent","decimals":1,"symbol":"%","position":"end","multiplier":-2}}}},` +
		`"Tid":{"category":{"index":["2024","2025","2026"],"label":{"2024":"2024","2025":"2025","2026":"2026"}}}},` +
		`"value":[1.5,null,1e+21,-0.000001,"tekst",0.1],"status":{"1":"..","5":"e"},` +
		`"extension":{"px":{"decimals":1}},"link":{"alternate":[]}}` + "\n"
	got := encode(t, ds)
	if diff := cmp.Diff(want, string(got)); diff != "" {
		t.Errorf("Encode (-want +got):\n%s", diff)
	}
	back, err := Decode(got)
	if err != nil {
		t.Fatal(err)
	}
	delete(ds.Status, 0) // an empty symbol is no status
	if diff := cmp.Diff(ds, back, equateNaN); diff != "" {
		t.Errorf("round trip (-before +after):\n%s", diff)
	}
}

func TestEncodeRefuses(t *testing.T) {
	one := func() []Dimension {
		return []Dimension{{ID: "a", Categories: []Category{{Code: "x", Label: "x"}, {Code: "y", Label: "y"}}}}
	}
	tests := []struct {
		name string
		ds   *Dataset
		want string
	}{
		{"duplicate id", &Dataset{Dimensions: append(one(), one()...)}, `id: dimension "a" listed twice`},
		{"empty dimension", &Dataset{Dimensions: []Dimension{{ID: "a"}}}, "dimension.a.category: no categories"},
		{"duplicate code", &Dataset{Dimensions: []Dimension{{ID: "a", Categories: []Category{{Code: "x"}, {Code: "x"}}}}},
			`dimension.a.category.index: code "x" listed twice`},
		{"values do not fit", &Dataset{Dimensions: one(), Values: []float64{1}}, "value: 1 entries, size says 2"},
		{"infinite value", &Dataset{Dimensions: one(), Values: []float64{1, math.Inf(1)}}, "value[1]: infinite"},
		{"status out of range", &Dataset{Dimensions: one(), Status: map[int]string{2: "x"}}, `status["2"]: cell index out of range (size 2)`},
		{"text without values", &Dataset{Dimensions: one(), Text: map[int]string{0: "x"}}, `value["0"]: text for a cell out of range (0 values)`},
		{"role names unknown dimension", &Dataset{Dimensions: one(), Role: Role{Geo: []string{"b"}}}, `role.geo[0]: no dimension "b"`},
		{"bad extension", &Dataset{Dimensions: one(), Extension: json.RawMessage(`{`)}, "extension: not valid JSON"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var buf bytes.Buffer
			err := Encode(&buf, tt.ds)
			var e *Error
			if !errors.As(err, &e) || err.Error() != tt.want {
				t.Errorf("Encode = %v, want %s", err, tt.want)
			}
			if buf.Len() != 0 {
				t.Errorf("Encode wrote %d bytes before failing", buf.Len())
			}
		})
	}
}

func TestAppendString(t *testing.T) {
	tests := []struct{ in, want string }{
		{"plain", `"plain"`},
		{"æøå", `"æøå"`},
		{"a\"b\\c", `"a\"b\\c"`},
		{"\x00\x1f\t", `"\u0000\u001f\t"`},
		{"bad\xffutf8", `"bad\ufffdutf8"`},
		{"\u2028", `"\u2028"`},
	}
	for _, tt := range tests {
		if got := string(appendString(nil, tt.in)); got != tt.want {
			t.Errorf("appendString(%q) = %s, want %s", tt.in, got, tt.want)
		}
		var back string
		if err := json.Unmarshal(appendString(nil, tt.in), &back); err != nil {
			t.Errorf("appendString(%q) is not valid JSON: %v", tt.in, err)
		}
	}
}
