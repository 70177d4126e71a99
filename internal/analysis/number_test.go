package analysis

import "testing"

func TestPhrase(t *testing.T) {
	tests := []struct {
		name  string
		exact float64
		want  string
	}{
		{"appendix: patches 17.4 % of 356", 0.174 * 356, "mer enn 60"},
		{"appendix: penetration tests 68.5 % of 356", 0.685 * 356, "mer enn 240"},
		{"61.9", 61.9, "mer enn 60"},
		{"243.9", 243.9, "mer enn 240"},
		{"exact multiple of ten is not more than itself", 60, "minst 60"},
		{"float noise does not make 60 more than 60", 0.2 * 300, "minst 60"},
		{"just above a multiple", 60.01, "mer enn 60"},
		{"just below a multiple", 59.99, "mer enn 50"},
		{"ten", 10, "minst 10"},
		{"under ten", 3.6, "færre enn 10"},
		{"zero", 0, "ingen"},
		{"thousands get a non-breaking space", 1234.5, "mer enn 1\u00a0230"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Phrase(tt.exact); got != tt.want {
				t.Errorf("Phrase(%v) = %q, want %q", tt.exact, got, tt.want)
			}
		})
	}
}

func TestNumber(t *testing.T) {
	tests := []struct {
		v        float64
		decimals int
		want     string
	}{
		{61.944, 1, "61,9"},
		{243.86, 1, "243,9"},
		{1234567.891, 2, "1\u00a0234\u00a0567,89"},
		{-4, 1, "\u22124,0"},
		{-0.04, 1, "0,0"},
		{357, 0, "357"},
	}
	for _, tt := range tests {
		if got := Number(tt.v, tt.decimals); got != tt.want {
			t.Errorf("Number(%v, %d) = %q, want %q", tt.v, tt.decimals, got, tt.want)
		}
	}
	if got, want := Percent(17.4), "17,4\u00a0%"; got != want {
		t.Errorf("Percent(17.4) = %q, want %q", got, want)
	}
	for v, want := range map[float64]string{2.3: "+2,3\u00a0prosentpoeng", -4: "\u22124,0\u00a0prosentpoeng", 0: "0,0\u00a0prosentpoeng"} {
		if got := Points(v); got != want {
			t.Errorf("Points(%v) = %q, want %q", v, got, want)
		}
	}
}

func TestParseSizeClass(t *testing.T) {
	tests := []struct {
		label  string
		lo, hi int
		ok     bool
	}{
		{"Under 5 000 innbyggere", 0, 4999, true},
		{"5 000-19 999 innbyggere", 5000, 19999, true},
		{"20 000 eller flere innbyggere", 20000, 0, true},
		{"< 2 000", 0, 1999, true},
		{"2 000–4 999", 2000, 4999, true},
		{"≥ 50 000", 50000, 0, true},
		{"0-1 999 innbyggere", 0, 1999, true},
		{"50 000 innbyggere og over", 50000, 0, true},
		{"Over 50 000 innbyggere", 50001, 0, true},
		{"Inntil 4\u00a0999 innbyggere", 0, 4999, true},
		{"Minst 40000 innbyggere", 40000, 0, true},
		{"I alt", 0, 0, false},
		{"19 999-5 000", 0, 0, false},
		{"5 000 innbyggere", 0, 0, false},
	}
	for _, tt := range tests {
		lo, hi, ok := ParseSizeClass(tt.label)
		if lo != tt.lo || hi != tt.hi || ok != tt.ok {
			t.Errorf("ParseSizeClass(%q) = %d, %d, %v, want %d, %d, %v", tt.label, lo, hi, ok, tt.lo, tt.hi, tt.ok)
		}
	}
}
