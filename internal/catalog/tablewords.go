package catalog

import (
	"slices"
	"strings"

	"github.com/grunnlag/grunnlag/internal/jsonstat"
)

// maxWordCategories is the most categories of one dimension whose labels
// a table is found by: a longer list (every municipality, every year) is
// not what the table is about.
const maxWordCategories = 100

// TableWords returns the words a stored table is found by besides its
// title in the pack: the labels of its dimensions and of their categories,
// leaving out regions, times and lists longer than maxWordCategories (357
// municipality names would drown what the table measures). d is the
// table's newest stored data; only its dimensions are read.
func TableWords(d *jsonstat.Dataset) string {
	var words []string
	for _, dim := range d.Dimensions {
		if dim.Label != "" {
			words = append(words, dim.Label)
		}
		if slices.Contains(d.Role.Geo, dim.ID) || slices.Contains(d.Role.Time, dim.ID) || len(dim.Categories) > maxWordCategories {
			continue
		}
		for _, c := range dim.Categories {
			if c.Label != "" && !slices.Contains(words, c.Label) {
				words = append(words, c.Label)
			}
		}
	}
	return strings.Join(words, "\n")
}
