package catalog

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestPack_searchable(t *testing.T) {
	p := loadShipped(t)
	es := p.Searchable()
	kinds := map[Kind]int{}
	seen := map[Ref]bool{}
	for _, e := range es {
		r := e.Ref()
		kinds[r.Kind]++
		if seen[r] {
			t.Errorf("%s listed twice", r)
		}
		seen[r] = true
		if e.SearchText() == "" || e.Summary() == "" {
			t.Errorf("%s: empty SearchText or Summary", r)
		}
		if got, ok := p.Lookup(r); !ok || got != e {
			t.Errorf("Lookup(%s) does not return the entry", r)
		}
	}
	want := map[Kind]int{
		KindIndicator: 18, KindTable: 7,
		KindDocument: 36, KindFinding: 30, KindActivity: 10, KindNeed: 9, KindTheme: 3,
		KindConclusion: 2, KindPrinciple: 21, KindMeasure: 100,
	}
	if diff := cmp.Diff(want, kinds); diff != "" {
		t.Errorf("Searchable kinds mismatch (-want +got):\n%s", diff)
	}

	f, _ := p.Finding("ssb12618-sikkerhetspatcher-2021")
	if got := f.SearchText(); !strings.Contains(got, "sikkerhetspatcher") || !strings.Contains(got, f.About) {
		t.Errorf("finding SearchText() = %q, want its quote and about", got)
	}
	if got, want := f.Ref().String(), "finding/ssb12618-sikkerhetspatcher-2021"; got != want {
		t.Errorf("Ref().String() = %q, want %q", got, want)
	}
	if got, want := f.Summary(), "Kommuner uten rutiner for installering av sikkerhetspatcher på systemer: > 60 kommuner (ikke bekreftet)"; got != want {
		t.Errorf("Summary() = %q, want %q", got, want)
	}
	a, _ := p.Activity("moter-2022")
	if got := a.SearchText(); !strings.Contains(got, "JustisCERT") || !strings.Contains(got, "våren/sommeren 2022") {
		t.Errorf("activity SearchText() = %q, want participants and period", got)
	}
	if got, want := len(p.Entries()), len(es)+7+8+9+4+4+len(p.Counts)+len(p.Published); got != want {
		t.Errorf("len(Entries()) = %d, want %d", got, want)
	}
}

func TestQuantity_String(t *testing.T) {
	tests := []struct {
		in   Quantity
		want string
	}{
		{Quantity{Op: Less, Value: 65, Unit: Percent}, "< 65 %"},
		{Quantity{Op: Equal, Value: 84.8, Unit: Percent}, "84,8 %"},
		{Quantity{Op: Greater, Value: 25, Unit: Number, Of: "møter"}, "> 25 møter"},
		{Quantity{Op: GreaterEqual, Value: 2, Unit: Number}, ">= 2 antall"},
		{Quantity{Op: Equal, Value: 3, Unit: Hours, Of: "per møte"}, "3 timer per møte"},
	}
	for _, tt := range tests {
		if got := tt.in.String(); got != tt.want {
			t.Errorf("%+v.String() = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestFinding_Years(t *testing.T) {
	tests := []struct {
		period   string
		from, to int
		ok       bool
	}{
		{"2018", 2018, 2018, true},
		{"2018–2020", 2018, 2020, true},
		{"2018-2019", 2018, 2019, true},
		{"2020–2018", 2020, 2018, false},
		{"", 0, 0, false},
	}
	for _, tt := range tests {
		f := Finding{Period: tt.period}
		from, to, ok := f.Years()
		if from != tt.from || to != tt.to || ok != tt.ok {
			t.Errorf("Finding{Period: %q}.Years() = %d, %d, %v; want %d, %d, %v", tt.period, from, to, ok, tt.from, tt.to, tt.ok)
		}
	}
}

func TestPack_evidence(t *testing.T) {
	p := loadShipped(t)
	var got []string
	for _, e := range p.Evidence("kompetanse") {
		got = append(got, string(e.Basis)+" "+e.Entry.Ref().String()+" "+string(e.Evidence.Supports))
	}
	if len(got) == 0 || !strings.HasPrefix(got[0], "dokument finding/") || !strings.HasPrefix(got[len(got)-1], "dialog need/") {
		t.Errorf("Evidence(kompetanse) = %v, want findings first and needs last", got)
	}
	if n := len(p.NeedsByTheme("kompetanse")); n != 6 {
		t.Errorf("len(NeedsByTheme(kompetanse)) = %d, want 6", n)
	}
	if n := len(p.DocumentsByTheme("lopende-sikring")); n == 0 {
		t.Errorf("DocumentsByTheme(lopende-sikring) is empty")
	}
}

func BenchmarkLoad(b *testing.B) {
	for b.Loop() {
		loadShipped(b)
	}
}
