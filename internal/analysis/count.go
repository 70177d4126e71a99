package analysis

import (
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"

	"github.com/grunnlag/grunnlag/internal/catalog"
)

// Estimate is a share turned into a number of municipalities (or county
// municipalities) with a count from the knowledge pack.
type Estimate struct {
	Exact  float64        // share / 100 × Base, unrounded
	Base   int            // the number of municipalities the share is of
	Count  *catalog.Count // the pack's count, with its source
	Phrase string         // the statement's words: "mer enn 60"
}

// estimate converts a share. The count is the pack's total for the
// population and year, or, for a size class, the pack's count of that class
// in that year; when the pack has none it says so and computes nothing.
func estimate(pack *catalog.Pack, ind *catalog.Indicator, year int, class string, share float64) (*Estimate, string) {
	unit := unitName(ind.Population)
	switch {
	case ind.ShareOf != "":
		return nil, "andelen er av " + ind.ShareOf + ", ikke av alle " + unit + ", så den regnes ikke om til et antall"
	case year == 0:
		return nil, "året i tabellen kan ikke leses som et årstall, så antallet " + unit + " er ukjent"
	}
	var c *catalog.Count
	if class == "" {
		var ok bool
		if c, ok = pack.Count(ind.Population, year); !ok {
			return nil, fmt.Sprintf("kunnskapspakken har ikke antallet %s i %d", unit, year)
		}
	} else {
		c = classCount(pack.SizeClassCounts(ind.Population, year), class)
		if c == nil {
			return nil, fmt.Sprintf("kunnskapspakken har ikke antallet %s i størrelsesklassen «%s» i %d", unit, class, year)
		}
	}
	// Round away float noise (17.4 / 100 × 356 = 61.943999999999996); a
	// share has at most a few decimals, so a millionth loses nothing.
	exact := math.Round(share*float64(c.Value)*1e4) / 1e6
	return &Estimate{Exact: exact, Base: c.Value, Count: c, Phrase: Phrase(exact)}, ""
}

func unitName(p catalog.Population) string {
	if p == catalog.CountyMunicipalities {
		return "fylkeskommuner"
	}
	return "kommuner"
}

// classCount finds the pack's count for a size class of a table: by the
// range of inhabitants read from the label when both sides have one, else
// by the label itself. A class that matches several counts, or none, has
// no count: a near match is a guess.
func classCount(counts []*catalog.Count, label string) *catalog.Count {
	lo, hi, ok := ParseSizeClass(label)
	var found []*catalog.Count
	if ok {
		for _, c := range counts {
			if c.SizeClass.Min == lo && c.SizeClass.Max == hi {
				found = append(found, c)
			}
		}
	}
	if len(found) == 0 {
		for _, c := range counts {
			if (catalog.CategoryMatch{Label: c.SizeClass.Label}).MatchCategory("", label) {
				found = append(found, c)
			}
		}
	}
	if len(found) != 1 {
		return nil
	}
	return found[0]
}

// numberRE finds whole numbers written with or without spaces between
// thousands: "5 000", "19 999", "50000".
var numberRE = regexp.MustCompile(`\d{1,3}(?:[ \x{00a0}\x{202f}]\d{3})+|\d+`)

// ParseSizeClass reads the range of inhabitants from a size-class label:
// "Under 5 000 innbyggere" is 0–4 999, "5 000-19 999 innbyggere" is
// 5 000–19 999, "20 000 eller flere innbyggere" and "≥ 50 000" are open
// upwards (max 0, as counts.yaml writes it), "over 50 000" starts at
// 50 001. ok is false when the label gives no range ("I alt").
func ParseSizeClass(label string) (lo, hi int, ok bool) {
	s := strings.ToLower(label)
	var nums []int
	for _, m := range numberRE.FindAllString(s, -1) {
		n, err := strconv.Atoi(strings.Map(func(r rune) rune {
			if r >= '0' && r <= '9' {
				return r
			}
			return -1
		}, m))
		if err != nil {
			return 0, 0, false
		}
		nums = append(nums, n)
	}
	has := func(words ...string) bool {
		for _, w := range words {
			if strings.Contains(s, w) {
				return true
			}
		}
		return false
	}
	switch len(nums) {
	case 2:
		if nums[0] > nums[1] {
			return 0, 0, false
		}
		return nums[0], nums[1], true
	case 1:
		n := nums[0]
		switch {
		case has("eller flere", "eller mer", "og over", "og mer", "og fleire", "≥", "minst", "+"):
			return n, 0, true
		case has("under", "<", "færre enn", "mindre enn"):
			if n == 0 {
				return 0, 0, false
			}
			return 0, n - 1, true
		case has("≤", "høyst", "inntil", "opp til"):
			return 0, n, true
		case has("over", ">", "flere enn", "mer enn"):
			return n + 1, 0, true
		}
	}
	return 0, 0, false
}
