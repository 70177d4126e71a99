package chart

import (
	"math"
	"regexp"
	"strconv"
	"strings"
)

// niceTicks returns round tick values that cover lo..hi and zero, about n
// of them. For per cent (unit "%") with values from 0 up to more than half,
// the axis runs to 100.
func niceTicks(lo, hi float64, n int, unit string) []float64 {
	lo, hi = math.Min(lo, 0), math.Max(hi, 0)
	if unit == "%" && lo == 0 && hi > 50 && hi <= 100 {
		hi = 100
	}
	if lo == hi {
		hi = lo + 1
	}
	step := niceStep((hi - lo) / float64(max(n, 1)))
	first, last := math.Floor(lo/step+1e-9), math.Ceil(hi/step-1e-9)
	// Round each tick to the step's decimals, so 3 × 0.2 is 0.6.
	scale := math.Pow(10, math.Max(0, 1-math.Floor(math.Log10(step))))
	var out []float64
	for k := first; k <= last; k++ {
		out = append(out, math.Round(k*step*scale)/scale)
	}
	if len(out) < 2 {
		out = append(out, out[0]+step)
	}
	return out
}

// niceStep rounds a raw step up to 1, 2, 2.5 or 5 times a power of ten.
func niceStep(raw float64) float64 {
	if raw <= 0 || math.IsNaN(raw) || math.IsInf(raw, 0) {
		return 1
	}
	p := math.Pow(10, math.Floor(math.Log10(raw)))
	for _, m := range []float64{1, 2, 2.5, 5, 10} {
		if raw <= m*p*(1+1e-9) {
			return m * p
		}
	}
	return 10 * p
}

// tickDecimals is the number of decimals the ticks need.
func tickDecimals(ticks []float64) int {
	if len(ticks) < 2 {
		return 0
	}
	step := math.Abs(ticks[1] - ticks[0])
	d := 0
	for step < 1-1e-9 && d < 6 {
		step *= 10
		d++
	}
	if math.Abs(step-math.Round(step)) > 1e-9 && d < 6 {
		d++
	}
	return d
}

// Number formats v the Norwegian way: decimal comma, a real minus sign,
// and (from five digits) a no-break space between thousands: "12 345,5".
func Number(v float64, decimals int) string {
	s := strconv.FormatFloat(v, 'f', decimals, 64)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	intPart, frac, hasFrac := strings.Cut(s, ".")
	var b strings.Builder
	if neg && strings.Trim(s, "0.") != "" {
		b.WriteString("\u2212")
	}
	if len(intPart) > 4 {
		for i, r := range intPart {
			if i > 0 && (len(intPart)-i)%3 == 0 {
				b.WriteRune('\u00a0')
			}
			b.WriteRune(r)
		}
	} else {
		b.WriteString(intPart)
	}
	if hasFrac {
		b.WriteByte(',')
		b.WriteString(frac)
	}
	return b.String()
}

// timeCode matches the period codes of SSB and other PxWeb hosts: a year,
// a year with a half (H), quarter (K or Q), month (M) or week (U), or a span of
// years ("2016-2017", "2019–2025").
var timeCode = regexp.MustCompile(`^(\d{4})(?:([HKQMU])(\d{1,2})|\s*[-–/]\s*(\d{4}))?$`)

// timePosition returns where a period lies on a time axis, in years:
// "2020" is 2020, "2020K3" 2020.5, "2020M04" 2020.25, "2016–2017" 2016.5.
func timePosition(label string) (float64, bool) {
	m := timeCode.FindStringSubmatch(strings.TrimSpace(label))
	if m == nil {
		return 0, false
	}
	y, _ := strconv.Atoi(m[1])
	if m[4] != "" {
		y2, _ := strconv.Atoi(m[4])
		if y2 < y {
			return 0, false
		}
		return (float64(y) + float64(y2)) / 2, true
	}
	if m[2] == "" {
		return float64(y), true
	}
	n, _ := strconv.Atoi(m[3])
	per := map[string]int{"H": 2, "K": 4, "Q": 4, "M": 12, "U": 53}[m[2]]
	if n < 1 || n > per {
		return 0, false
	}
	return float64(y) + float64(n-1)/float64(per), true
}

// timePositions returns the positions of every period when all of them
// are periods in increasing order; else nil, and the axis spaces the
// labels evenly.
func timePositions(labels []string) []float64 {
	out := make([]float64, len(labels))
	for i, l := range labels {
		p, ok := timePosition(l)
		if !ok || (i > 0 && p <= out[i-1]) {
			return nil
		}
		out[i] = p
	}
	return out
}
