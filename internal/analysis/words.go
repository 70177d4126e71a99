package analysis

import (
	"fmt"
	"strings"
	"time"
	_ "time/tzdata" // Oslo time on machines without zone data

	"github.com/grunnlag/grunnlag/internal/catalog"
)

// This file holds the bokmål words the report, the web and the command
// line share, so a figure, a rule or a date reads the same everywhere.

// PublishedNote is the mark every text shows with a published figure:
// "publisert tall lest fra ssb.no, ikke hentet fra SSBs API".
func PublishedNote(f *catalog.Published) string {
	return "publisert tall lest fra " + f.Site() + ", ikke hentet fra SSBs API"
}

// BoundText words a threshold: "minst 10 %", "under 50 %".
func BoundText(t *catalog.Threshold) string {
	words := map[catalog.Op]string{catalog.GreaterEqual: "minst", catalog.Greater: "over", catalog.Less: "under", catalog.LessEqual: "høyst", catalog.Equal: "lik"}[t.Op]
	v := Number(t.Value, 1)
	if t.Value == float64(int(t.Value)) {
		v = Number(t.Value, 0)
	}
	return words + " " + v + nbsp + "%"
}

// RuleText says when an indicator supports its theme's hypothesis:
// "støtter hypotesen når andelen er minst 10 %, ellers taler den mot".
func RuleText(e *catalog.IndicatorEvidence) string {
	if e.When == nil || e.Supports == catalog.Neutral {
		return "nøytral: tallet peker ingen vei for hypotesen"
	}
	if e.Supports == catalog.Against {
		return "taler mot hypotesen når andelen er " + BoundText(e.When) + ", ellers støtter den"
	}
	return "støtter hypotesen når andelen er " + BoundText(e.When) + ", ellers taler den mot"
}

// DirectionText words a direction: "støtter hypotesen".
func DirectionText(d catalog.Direction) string {
	switch d {
	case catalog.Supports:
		return "støtter hypotesen"
	case catalog.Against:
		return "taler mot hypotesen"
	}
	return "peker ingen vei"
}

// CheckText says whether the table reproduces the appendix's reading of
// the figure for its year, or why that cannot be told; "" when the
// definition names no reading.
func CheckText(ind *Indicator) string {
	c := ind.Check
	if c == nil {
		return ""
	}
	f := c.Finding
	written := ""
	if f.Value != nil {
		written = f.Value.AsWritten
		if written == "" {
			written = f.Value.String()
		}
	}
	year := ind.Def.Appendix.Year
	said := fmt.Sprintf("Vedlegget skrev «%s» for %d", written, year)
	whose := ""
	if f.Population != ind.Def.Population {
		// The reading is about more than the indicator's population
		// ("både fylkeskommuner og kommuner"): say whose figure is held
		// against it.
		whose = " for " + UnitDefinite(ind.Def.Population)
	}
	if f.Value == nil {
		said = fmt.Sprintf("Vedlegget skrev «%s»", f.Quote)
	}
	if !c.Known {
		return said + "; det kan ikke holdes mot tallene: " + c.Why + "."
	}
	what := "tabellens tall"
	if ind.Reference != nil && ind.Reference.Published != nil {
		what = "det publiserte tallet"
	}
	value := Percent(c.Value)
	if c.Unit == catalog.Number {
		value = Number(c.Value, 1) + " " + unitName(ind.Def.Population)
	}
	if c.Holds {
		return fmt.Sprintf("%s; %s%s for %d gir %s, som stemmer med vedlegget.", said, what, whose, year, value)
	}
	return fmt.Sprintf("%s; %s%s for %d gir %s, som ikke stemmer med vedlegget.", said, what, whose, year, value)
}

// UnitDefinite names a population in the definite plural: "kommunene",
// "fylkeskommunene".
func UnitDefinite(p catalog.Population) string {
	return strings.TrimSuffix(unitName(p), "r") + "ne"
}

// oslo is Norway's time zone; every time a person reads is Oslo time.
var oslo = func() *time.Location {
	if loc, err := time.LoadLocation("Europe/Oslo"); err == nil {
		return loc
	}
	return time.UTC
}()

var months = [...]string{"januar", "februar", "mars", "april", "mai", "juni", "juli", "august", "september", "oktober", "november", "desember"}

// Date formats t as a Norwegian date in Oslo time: "4. mai 2020".
func Date(t time.Time) string {
	t = t.In(oslo)
	return fmt.Sprintf("%d. %s %d", t.Day(), months[t.Month()-1], t.Year())
}

// DateTime formats t as a Norwegian date and time in Oslo time:
// "2. juni 2025 kl. 10.30".
func DateTime(t time.Time) string {
	lt := t.In(oslo)
	return fmt.Sprintf("%s kl. %02d.%02d", Date(t), lt.Hour(), lt.Minute())
}

// SourceDate formats a source's own "updated" (SSB gives RFC 3339) as a
// Norwegian date; text that is no time stays as it is, and "" is "ikke
// oppgitt".
func SourceDate(v string) string {
	if v == "" {
		return "ikke oppgitt"
	}
	for _, layout := range []string{time.RFC3339, "2006-01-02T15:04:05", "2006-01-02"} {
		if t, err := time.Parse(layout, v); err == nil {
			return Date(t)
		}
	}
	return v
}
