package disclosure

import (
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

var (
	shown  = Decision{Published: true, Rule: RulePublish, N: 5}
	hidden = Decision{Rule: RuleComplementary, N: 5, Reason: reason(RuleComplementary, 5)}
)

func TestSummarize(t *testing.T) {
	tests := []struct {
		name   string
		d      Decision
		values []float64
		want   Summary
		err    string
	}{
		{"five scores", shown, []float64{0.2, 1, 0.4, 0.8, 0.6}, Summary{N: 5, Mean: 0.6, Q1: 0.4, Median: 0.6, Q3: 0.8}, ""},
		{"interpolated", Decision{Published: true, N: 6}, []float64{1, 2, 3, 4, 5, 6}, Summary{N: 6, Mean: 3.5, Q1: 2.25, Median: 3.5, Q3: 4.75}, ""},
		{"hidden group", hidden, []float64{0.2, 1, 0.4, 0.8, 0.6}, Summary{}, ErrSuppressed.Error()},
		{"values for another group", shown, []float64{1, 2, 3, 4}, Summary{}, "4 values for a group of 5 organisations"},
		{"not a number", shown, []float64{1, 2, 3, 4, 0 / zero()}, Summary{}, "value 4 is not a number"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Summarize(tt.d, tt.values)
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("Summarize error = %v, want %q", err, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(got, tt.want, cmp.Comparer(approx)); diff != "" {
				t.Errorf("Summarize (-got +want):\n%s", diff)
			}
		})
	}
}

func zero() float64 { return 0 }

func approx(a, b float64) bool { d := a - b; return d < 1e-12 && d > -1e-12 }

func TestCountOptions(t *testing.T) {
	options := []string{"ja", "delvis", "nei", "vet ikke", "ikke relevant"}
	comment := "Vi mangler SOC, se vedlegg fra kommunedirektøren"
	tests := []struct {
		name    string
		d       Decision
		answers []string
		want    []int
		err     string
	}{
		{"counts per option", shown, []string{"ja", "nei", "ja", "ikke relevant", "delvis"}, []int{2, 1, 1, 0, 1}, ""},
		{"hidden group", hidden, []string{"ja", "nei", "ja", "ja", "ja"}, nil, ErrSuppressed.Error()},
		{"answers for another group", shown, []string{"ja"}, nil, "1 answers for a group of 5 organisations"},
		{"a free-text comment", shown, []string{"ja", "nei", comment, "ja", "ja"}, nil, "answer 2 is not one of the 5 options; aggregates take no free text"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := CountOptions(tt.d, tt.answers, options)
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("CountOptions error = %v, want %q", err, tt.err)
				}
				if strings.Contains(err.Error(), "SOC") {
					t.Errorf("the error repeats the comment: %v", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(got, tt.want); diff != "" {
				t.Errorf("CountOptions (-got +want):\n%s", diff)
			}
		})
	}
	if _, err := CountOptions(shown, []string{"ja", "ja", "ja", "ja", "ja"}, []string{"ja", "nei", "ja"}); err == nil {
		t.Error("CountOptions accepted an option listed twice")
	}
}

// TestAggregatesCarryNoText: the types an aggregate is returned in hold
// numbers only, so free text cannot travel in them.
func TestAggregatesCarryNoText(t *testing.T) {
	counts, _ := CountOptions(shown, []string{"ja", "ja", "ja", "ja", "ja"}, []string{"ja"})
	for _, typ := range []reflect.Type{reflect.TypeFor[Summary](), reflect.TypeOf(counts)} {
		if path, ok := textIn(typ, typ.String()); ok {
			t.Errorf("aggregate type carries text at %s", path)
		}
	}
	if _, ok := textIn(reflect.TypeFor[struct{ Comment []string }](), "probe"); !ok {
		t.Error("textIn misses a string inside a struct field: the check above proves nothing")
	}
}

// textIn reports the first place a type can hold a string (or anything
// that could: an interface, a map key or value, a func).
func textIn(t reflect.Type, path string) (string, bool) {
	switch t.Kind() {
	case reflect.String, reflect.Interface, reflect.Func, reflect.Chan, reflect.UnsafePointer:
		return path, true
	case reflect.Slice, reflect.Array, reflect.Pointer:
		return textIn(t.Elem(), path+"[]")
	case reflect.Map:
		if p, ok := textIn(t.Key(), path+"[key]"); ok {
			return p, true
		}
		return textIn(t.Elem(), path+"[value]")
	case reflect.Struct:
		for i := range t.NumField() {
			if p, ok := textIn(t.Field(i).Type, path+"."+t.Field(i).Name); ok {
				return p, true
			}
		}
	}
	return "", false
}

func TestErrSuppressedIsMatchable(t *testing.T) {
	_, err := Summarize(hidden, []float64{1, 2, 3, 4, 5})
	if !errors.Is(err, ErrSuppressed) {
		t.Errorf("Summarize on a hidden group: %v, want ErrSuppressed", err)
	}
}
