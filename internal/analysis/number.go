package analysis

import (
	"math"
	"strconv"
	"strings"
)

// nbsp keeps a number and its unit, or the groups of a large number, on
// one line.
const nbsp = "\u00a0"

// Number formats v the Norwegian way with the given decimals: decimal
// comma, non-breaking spaces between thousands, and a minus sign (U+2212)
// for negative values. -0 is written as 0.
func Number(v float64, decimals int) string {
	s := strconv.FormatFloat(math.Abs(v), 'f', decimals, 64)
	intPart, frac, hasFrac := strings.Cut(s, ".")
	var b strings.Builder
	if v < 0 && strings.Trim(s, "0.") != "" {
		b.WriteString("\u2212")
	}
	for i, c := range intPart {
		if i > 0 && (len(intPart)-i)%3 == 0 {
			b.WriteString(nbsp)
		}
		b.WriteRune(c)
	}
	if hasFrac {
		b.WriteByte(',')
		b.WriteString(frac)
	}
	return b.String()
}

// Percent formats a share in per cent with one decimal: "17,4 %".
func Percent(v float64) string { return Number(v, 1) + nbsp + "%" }

// Points formats a difference of shares in percentage points with a sign:
// "+2,3 prosentpoeng", "−4,0 prosentpoeng".
func Points(v float64) string {
	s := Number(v, 1)
	if !strings.HasPrefix(s, "\u2212") && s != "0,0" {
		s = "+" + s
	}
	return s + nbsp + "prosentpoeng"
}

// Phrase words an estimated number of municipalities the way appendix E
// does: rounded down to tens and bounded from below, so the words stay true
// whatever the decimals. 61.9 is "mer enn 60" and 243.9 "mer enn 240". An
// exact multiple of ten cannot be "more than" itself, so 60.0 is "minst 60";
// under ten the tens say nothing, so 3.6 is "færre enn 10"; 0 is "ingen".
// The exact value belongs in the footnote and the JSON, never here.
func Phrase(exact float64) string {
	// Shares have one decimal and counts are whole, so a product carries at
	// most a few decimals; rounding to a millionth removes float noise
	// (0.2 × 300 = 60.00000000000001) without moving a real value.
	r := math.Round(exact*1e6) / 1e6
	switch {
	case r <= 0:
		return "ingen"
	case r < 10:
		return "færre enn 10"
	}
	tens := math.Floor(r/10) * 10
	if r == tens {
		return "minst " + Number(tens, 0)
	}
	return "mer enn " + Number(tens, 0)
}
