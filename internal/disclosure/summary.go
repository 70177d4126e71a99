package disclosure

import (
	"errors"
	"fmt"
	"math"
	"slices"
)

// ErrSuppressed is returned by the helpers for a group Decide did not
// publish: nothing about it may be shown, not even quartiles or counts.
var ErrSuppressed = errors.New("disclosure: the group is not published")

// A Summary is what a published group may show about a figure that each
// member has one value of (a score per principle, say). It holds numbers
// only: an aggregate never carries text, so no comment can reach a page
// through it.
type Summary struct {
	N      int
	Mean   float64
	Q1     float64
	Median float64
	Q3     float64
}

// Summarize returns the mean and quartiles of values, one per member of a
// group Decide published (len(values) must be d.N). Quartiles are not sums,
// but they leak through small groups the same way; shown only for
// published groups, they rest on the same protection. Quartiles are
// interpolated between order statistics (Hyndman and Fan's type 7, the
// default of R and of Excel's QUARTIL.INKL).
func Summarize(d Decision, values []float64) (Summary, error) {
	if !d.Published {
		return Summary{}, ErrSuppressed
	}
	if len(values) != d.N {
		return Summary{}, fmt.Errorf("disclosure: %d values for a group of %d organisations", len(values), d.N)
	}
	sorted := slices.Clone(values)
	sum := 0.0
	for i, v := range sorted {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return Summary{}, fmt.Errorf("disclosure: value %d is not a number", i)
		}
		sum += v
	}
	slices.Sort(sorted)
	return Summary{
		N:      len(sorted),
		Mean:   sum / float64(len(sorted)),
		Q1:     quantile(sorted, 0.25),
		Median: quantile(sorted, 0.5),
		Q3:     quantile(sorted, 0.75),
	}, nil
}

// quantile interpolates the p-quantile of sorted (not empty) values.
func quantile(sorted []float64, p float64) float64 {
	h := float64(len(sorted)-1) * p
	lo := math.Floor(h)
	i := int(lo)
	if i+1 >= len(sorted) {
		return sorted[i]
	}
	return sorted[i] + (h-lo)*(sorted[i+1]-sorted[i])
}

// CountOptions counts the answers of a published group per option:
// counts[i] is how many answers equal options[i]. answers holds one answer
// per member (len(answers) must be d.N; a member who gave none needs an
// option of its own, so that every count rests on the same organisations
// Decide judged). An answer that is not one of the options is refused,
// because aggregates never carry text: a free-text comment passed by
// mistake is an error, and the error does not repeat it.
func CountOptions(d Decision, answers, options []string) ([]int, error) {
	if !d.Published {
		return nil, ErrSuppressed
	}
	if len(answers) != d.N {
		return nil, fmt.Errorf("disclosure: %d answers for a group of %d organisations", len(answers), d.N)
	}
	index := make(map[string]int, len(options))
	for i, o := range options {
		if _, dup := index[o]; dup {
			return nil, fmt.Errorf("disclosure: option %d repeats option %d", i, index[o])
		}
		index[o] = i
	}
	counts := make([]int, len(options))
	for i, a := range answers {
		o, ok := index[a]
		if !ok {
			return nil, fmt.Errorf("disclosure: answer %d is not one of the %d options; aggregates take no free text", i, len(options))
		}
		counts[o]++
	}
	return counts, nil
}
