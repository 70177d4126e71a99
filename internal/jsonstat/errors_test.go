package jsonstat

import (
	"errors"
	"strings"
	"testing"

	"github.com/grunnlag/grunnlag/internal/fault"
)

// validDoc is a small constructed JSON-stat 2.0 dataset (2 x 2 cells); each
// error case breaks one rule by replacing part of it.
const validDoc = `{"version":"2.0","class":"dataset","id":["Region","Tid"],"size":[2,2],` +
	`"role":{"time":["Tid"]},` +
	`"dimension":{"Region":{"category":{"index":["0301","1103"]}},"Tid":{"category":{"index":["2024","2025"]}}},` +
	`"value":[1,2,3,4]}`

func TestValidDocDecodes(t *testing.T) {
	if _, err := Decode([]byte(validDoc)); err != nil {
		t.Fatalf("Decode(validDoc) = %v", err)
	}
}

func TestDecodeErrors(t *testing.T) {
	broken := func(oldNew ...string) string {
		out := validDoc
		for i := 0; i < len(oldNew); i += 2 {
			if !strings.Contains(out, oldNew[i]) {
				panic("test case replaces text not in validDoc: " + oldNew[i])
			}
			out = strings.Replace(out, oldNew[i], oldNew[i+1], 1)
		}
		return out
	}
	tests := []struct {
		name string
		in   string
		want string
	}{
		// Structure: id, size, dimension.
		{"id listed twice", broken(`"id":["Region","Tid"]`, `"id":["Tid","Tid"]`),
			`id: dimension "Tid" listed twice`},
		{"size negative", broken(`"size":[2,2]`, `"size":[2,2,-1]`), `size[2]: negative`},
		{"size zero", broken(`"size":[2,2]`, `"size":[2,0]`), `size[1]: zero; a dimension needs at least one category`},
		{"size fraction", broken(`"size":[2,2]`, `"size":[2.5,2]`), `size[0]: not a whole number`},
		{"size not a number", broken(`"size":[2,2]`, `"size":["2",2]`), `size[0]: unexpected '"', want a number at line 1, column 66 (byte 65)`},
		{"size and id differ", broken(`"size":[2,2]`, `"size":[2]`), `size: 1 entries, id has 2`},
		{"size product overflows", broken(`"size":[2,2]`, `"size":[200000,200000,200000,200000]`, `"id":["Region","Tid"]`, `"id":["Region","Tid","X","Y"]`),
			`size: more cells than an int holds, over the limit of 50000000 (MaxCells)`},
		{"size product over the cell limit", broken(`"size":[2,2]`, `"size":[200000,200000]`),
			`size: 40000000000 cells, over the limit of 50000000 (MaxCells)`},
		{"size over the category limit", broken(`"size":[2,2]`, `"size":[1000000000,2]`),
			`size[0]: 1000000000 categories, over the limit of 200000 (MaxCategories)`},
		{"no dimensions", broken(`"id":["Region","Tid"]`, `"id":[]`, `"size":[2,2]`, `"size":[]`, `"role":{"time":["Tid"]},`, ``, `[1,2,3,4]`, `[1]`),
			`id: no dimensions; a dataset needs at least one`},
		{"unknown version", broken(`"version":"2.0"`, `"version":"9.9"`), `version: unknown JSON-stat version "9.9"; want 2.0 (or 1.x)`},
		{"unknown version without class", broken(`"version":"2.0","class":"dataset",`, `"version":"9.9",`), `version: unknown JSON-stat version "9.9"; want 2.0 (or 1.x)`},
		{"invalid UTF-8 in a code", broken(`["0301"`, "[\"03\xff1\""),
			`dimension.Region.category.index: invalid UTF-8 in string at line 1, column 142 (byte 141)`},
		{"invalid UTF-8 in a label", broken(`"role"`, "\"label\":\"Befolkning \xc3(\",\"role\""),
			`label: invalid UTF-8 in string at line 1, column 91 (byte 90)`},
		{"invalid UTF-8 after an escape", broken(`"role"`, "\"label\":\"a\\n\xe2\x82\",\"role\""),
			`label: invalid UTF-8 in string at line 1, column 83 (byte 82)`},
		{"label over the limit", broken(`"role"`, `"label":"`+strings.Repeat("x", 5000)+`","role"`),
			`label: 5000 bytes in a string, over the limit of 4096 (MaxLabelBytes) at line 1, column 80 (byte 79)`},
		{"id missing", broken(`"id":["Region","Tid"],`, ``), `id: missing`},
		{"dimension for id missing", broken(`"Tid":{"category":{"index":["2024","2025"]}}`, `"Year":{"category":{"index":["2024","2025"]}}`),
			`dimension: no entry for id "Tid"`},
		{"dimension member missing", broken(`"dimension":`, `"dimensions":`), `dimension: missing`},
		{"category missing", broken(`"Tid":{"category":{"index":["2024","2025"]}}`, `"Tid":{"label":"year"}`),
			`dimension.Tid.category: missing`},
		{"index array too short", broken(`"index":["2024","2025"]`, `"index":["2024"]`),
			`dimension.Tid.category.index: 1 entries, size says 2`},
		{"index array code twice", broken(`"index":["2024","2025"]`, `"index":["2024","2024"]`),
			`dimension.Tid.category.index[1]: code "2024" listed twice`},
		{"index object position out of range", broken(`"index":["0301","1103"]`, `"index":{"0301":5,"1103":0}`),
			`dimension.Region.category.index["0301"]: position 5 out of range (2 categories)`},
		{"index object position taken", broken(`"index":["0301","1103"]`, `"index":{"0301":1,"1103":1}`),
			`dimension.Region.category.index["1103"]: position 1 already taken by "0301"`},
		{"index object code twice", broken(`"index":["0301","1103"]`, `"index":{"0301":0,"0301":1}`),
			`dimension.Region.category.index["0301"]: code listed twice`},
		{"index object negative position", broken(`"index":["0301","1103"]`, `"index":{"0301":-1,"1103":0}`),
			`dimension.Region.category.index["0301"]: negative`},
		{"index missing for two categories", broken(`"index":["2024","2025"]`, `"label":{"2024":"2024","2025":"2025"}`),
			`dimension.Tid.category.index: missing (size says 2)`},
		{"index missing, label not single", broken(`"size":[2,2]`, `"size":[2,1]`, `"index":["2024","2025"]`, `"label":{"2024":"a","2025":"b"}`, `[1,2,3,4]`, `[1,2]`),
			`dimension.Tid.category: no index, and label has 2 entries instead of 1`},
		{"index of wrong type", broken(`"index":["2024","2025"]`, `"index":"2024"`),
			`dimension.Tid.category.index: unexpected '"', want an array or object at line 1, column 183 (byte 182)`},
		{"role names unknown dimension", broken(`"time":["Tid"]`, `"time":["Year"]`), `role.time[0]: no dimension "Year"`},
		{"unit decimals not whole", broken(`"index":["2024","2025"]`, `"index":["2024","2025"],"unit":{"2024":{"decimals":1.5}}`),
			`dimension.Tid.category.unit["2024"].decimals: not a whole number`},

		// Values.
		{"value too short", broken(`[1,2,3,4]`, `[1,2,3]`), `value: 3 entries, size says 4`},
		{"value too long", broken(`[1,2,3,4]`, `[1,2,3,4,5]`), `value: 5 entries, size says 4`},
		{"value missing", broken(`,"value":[1,2,3,4]`, ``), `value: missing`},
		{"value sparse index out of range", broken(`[1,2,3,4]`, `{"0":1,"9":2}`), `value["9"]: cell index out of range (size 4)`},
		{"value sparse key not an index", broken(`[1,2,3,4]`, `{"01":1}`), `value["01"]: not a cell index`},
		{"value sparse key beyond int64", broken(`[1,2,3,4]`, `{"99999999999999999999999":1}`),
			`value["99999999999999999999999"]: cell index out of range (size 4)`},
		{"value boolean", broken(`[1,2,3,4]`, `[1,true,3,4]`),
			`value[1]: unexpected 't', want a number, string or null at line 1, column 213 (byte 212)`},
		{"value number out of range", broken(`[1,2,3,4]`, `[1,2,1e400,4]`), `value[2]: number 1e400 out of range at line 1, column 215 (byte 214)`},
		{"value number malformed", broken(`[1,2,3,4]`, `[1,2,3.,4]`), `value[2]: missing digits after the decimal point at line 1, column 217 (byte 216)`},
		{"value leading zero", broken(`[1,2,3,4]`, `[1,2,03,4]`), `value: unexpected '3', want ',' or ']' at line 1, column 216 (byte 215)`},
		{"value null", broken(`[1,2,3,4]`, `null`), `value: unexpected 'n', want an array or object at line 1, column 210 (byte 209)`},
		{"value sparse implausibly large", broken(`"size":[2,2]`, `"size":[2000,2000]`, `"index":["0301","1103"]`, `"index":{}`, `[1,2,3,4]`, `{}`),
			`value: object form for 4000000 cells is implausible in a 205-byte document`},

		// Status.
		{"status index out of range", broken(`[1,2,3,4]`, `[1,2,3,4],"status":{"7":"."}`), `status["7"]: cell index out of range (size 4)`},
		{"status array wrong length", broken(`[1,2,3,4]`, `[1,2,3,4],"status":["a","b","c"]`), `status: 3 entries for 4 cells`},
		{"status array too long", broken(`[1,2,3,4]`, `[1,2,3,4],"status":["a","b","c","d","e"]`), `status: more entries than the 4 cells`},
		{"status number", broken(`[1,2,3,4]`, `[1,2,3,4],"status":7`), `status: unexpected '7', want a string, array or object at line 1, column 229 (byte 228)`},

		// Syntax.
		{"empty input", ``, `unexpected end of input at line 1, column 1 (byte 0)`},
		{"not JSON", `<html>`, `unexpected '<', want a value at line 1, column 1 (byte 0)`},
		{"truncated multi-line body", "{\n\"version\": \"2.0\",\n\"class\": \"dataset\",\n\"value\": [1, 2,\n 3",
			`value: unexpected end of input at line 5, column 3 (byte 58)`},
		{"truncated in a number", `{"class":"dataset","value":[1.`, `value: unexpected end of input in number at line 1, column 31 (byte 30)`},
		{"truncated in a number of a known size", broken(`[1,2,3,4]`, `[1,2,3,4e`)[:len(validDoc)-1],
			`value[3]: unexpected end of input in number at line 1, column 219 (byte 218)`},
		{"truncated in a string", `{"class":"dataset","label":"Befolk`, `label: unexpected end of input in string at line 1, column 35 (byte 34)`},
		{"trailing data", validDoc + `{}`, `unexpected data after the top-level value at line 1, column 220 (byte 219)`},
		{"control character in string", "{\"class\":\"dataset\",\"label\":\"a\tb\"}", `label: control character in string at line 1, column 30 (byte 29)`},
		{"bad escape", `{"class":"dataset","label":"a\qb"}`, `label: invalid escape in string at line 1, column 30 (byte 29)`},
		{"missing colon", `{"class" "dataset"}`, `unexpected '"', want ':' at line 1, column 10 (byte 9)`},
		{"deep nesting", `{"x":` + strings.Repeat("[", 2000) + strings.Repeat("]", 2000) + `}`, `x: nesting too deep at line 1, column 1006 (byte 1005)`},

		// Documents that are not one dataset.
		{"top-level array", `[1,2]`, `not a JSON-stat document: the top-level value is not an object`},
		{"unknown object", `{"tables":[]}`, `not a JSON-stat document: no class, version, dimension, columns or variables`},
		{"class dimension", `{"version":"2.0","class":"dimension"}`, `class: "dimension" documents are not supported`},
		{"class unknown", `{"version":"2.0","class":"cube"}`, `class: unknown class "cube"`},
		{"error response", `{"version":"2.0","error":[{"status":"400","label":"bad"}]}`,
			`error: the document reports an error: [{"status":"400","label":"bad"}]`},

		// JSON-stat 1.x.
		{"1.x id missing", `{"dataset":{"dimension":{"size":[1],"a":{"category":{"index":["x"]}}},"value":[1]}}`,
			`dataset.dimension.id: missing`},
		{"1.x index too long", `{"dataset":{"dimension":{"id":["a"],"size":[1],"a":{"category":{"index":["x","y"]}}},"value":[1]}}`,
			`dataset.dimension.a.category.index: 2 entries, size says 1`},

		// PxWeb v1.
		{"px-json key too short", `{"columns":[{"code":"R","type":"d"},{"code":"T","type":"t"},{"code":"V","type":"c"}],"data":[{"key":["r"],"values":["1"]}]}`,
			`data[0].key: 1 codes, columns say 2`},
		{"px-json unknown column type", `{"columns":[{"code":"R","type":"x"}],"data":[]}`, `columns[0].type: unknown column type "x"`},
		{"px-json no value columns", `{"columns":[{"code":"R","type":"d"}],"data":[]}`, `columns: no column of type "c"`},
		{"px-json cell twice", `{"columns":[{"code":"R","type":"d"},{"code":"V","type":"c"}],"data":[{"key":["r"],"values":["1"]},{"key":["r"],"values":["2"]}]}`,
			`data[1].key: cell listed twice`},
		{"px-json no rows", `{"columns":[{"code":"V","type":"c"}],"data":[]}`, `data: no rows`},
		{"px metadata texts", `{"title":"t","variables":[{"code":"R","text":"r","values":["1","2"],"valueTexts":["en"]}]}`,
			`variables[0].valueTexts: 1 entries, values has 2`},
		{"px metadata no values", `{"title":"t","variables":[{"code":"R","text":"r","values":[]}]}`, `variables[0].values: no values`},
		{"px metadata code twice", `{"title":"t","variables":[{"code":"R","values":["1"]},{"code":"R","values":["1"]}]}`,
			`variables[1].code: "R" listed twice`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ds, err := Decode([]byte(tt.in))
			if err == nil {
				t.Fatalf("Decode = %+v, want error %s", ds, tt.want)
			}
			if err.Error() != tt.want {
				t.Errorf("Decode error = %s\n                  want %s", err, tt.want)
			}
			var e *Error
			if !errors.As(err, &e) {
				t.Errorf("Decode error %T is not an *Error", err)
			}
			if !fault.Is(err, fault.Invalid) {
				t.Errorf("Decode error kind = %v, want invalid", fault.KindOf(err))
			}
		})
	}
}

func TestSyntaxErrorLocation(t *testing.T) {
	// A recorded response cut short, as a dropped connection leaves it.
	full := fixture(t, "pxweb/ssb-v2/13615/data-GET.json")
	cut := full[:len(full)/2]
	_, err := Decode(cut)
	var e *Error
	if !errors.As(err, &e) {
		t.Fatalf("Decode(truncated) = %v, want *Error", err)
	}
	wantLine := 1 + strings.Count(string(cut), "\n")
	if e.Offset != len(cut) || e.Line != wantLine || !strings.Contains(e.Msg, "unexpected end of input") {
		t.Errorf("Decode(truncated) = %+v, want end of input at byte %d, line %d", e, len(cut), wantLine)
	}
}

func TestDecodeTruncatedFixtures(t *testing.T) {
	// Every recorded document cut at 40 points must fail cleanly with an
	// *Error, never panic or succeed.
	for _, path := range fixtureFiles(t) {
		full := fixture(t, path)
		for k := 1; k < 40; k++ {
			cut := full[:len(full)*k/40]
			_, err := Parse(cut)
			var e *Error
			if !errors.As(err, &e) {
				t.Errorf("Parse(%s cut at %d) = %v, want *Error", path, len(cut), err)
			}
		}
	}
}
