package web

import (
	"fmt"
	"net/http"
	"slices"
	"strings"

	"github.com/grunnlag/grunnlag/internal/analysis"
	"github.com/grunnlag/grunnlag/internal/catalog"
)

// "Hvor står vi?" shows every indicator for one size class of
// municipalities next to the national figure. SSB's tables give the
// figures by size class only (none by county), so a municipality is
// placed by its population in the register: it maps to its class, never
// to a figure of its own.

// standingPage is the page.
type standingPage struct {
	base
	Classes []standingClass
	Class   string // the chosen class's label; "" before one is chosen
	// Municipality is the one chosen by name, with the sentence that
	// places it; Problem says why a name was not found (bokmål).
	Municipality, Placed, Problem string
	Names                         []string // every municipality, for the name field's suggestions
	Rows                          []standingRow
	Register                      string // the register the counts and populations are from
}

func (*standingPage) template() string { return "standing" }

// standingClass is a size class the tables give figures for.
type standingClass struct {
	Label    string
	Min, Max int // population band; Max 0 means no upper limit
	Known    bool
	N        int // municipalities in the class in the register (when Known)
}

// standingRow is one indicator.
type standingRow struct {
	Title, URL          string
	National, Year      string // the newest figure for all sizes
	ClassValue, Diff    string // the class's figure in that year and its difference
	Missing             string // bokmål: why the class has no figure
	Higher, Lower, Same bool   // the class against the country
}

// standing serves /hvor-star-vi: ?klasse=LABEL or ?kommune=NAME.
func (s *Server) standing(w http.ResponseWriter, r *http.Request) error {
	res, err := s.analysis(r.Context())
	if err != nil {
		return err
	}
	year := s.now().Year()
	reg, regOK := s.cfg.Pack.RegisterFor(catalog.RegisterMunicipalities, year)
	if !regOK {
		reg = nil
	}
	p := &standingPage{}
	p.setBase("Hvor står vi?", "hvor")
	p.Classes = s.standingClasses(res, reg)
	if regOK {
		p.Register = reg.Title
		p.Names = municipalityNames(reg)
	}
	q := r.URL.Query()
	p.Class = strings.TrimSpace(q.Get("klasse"))
	if name := strings.TrimSpace(q.Get("kommune")); name != "" {
		s.placeMunicipality(p, reg, name)
	}
	if p.Class != "" && !slices.ContainsFunc(p.Classes, func(c standingClass) bool { return c.Label == p.Class }) {
		p.Problem = fmt.Sprintf("Tabellene har ingen størrelsesklasse som heter «%s». Velg en fra listen.", p.Class)
		p.Class = ""
	}
	if p.Class != "" {
		p.Title = "Hvor står vi? " + p.Class
		for _, ind := range res.Indicators {
			if ind.Status == analysis.OK && ind.Headline != nil {
				p.Rows = append(p.Rows, standingOf(ind, p.Class))
			}
		}
	}
	return s.render(w, http.StatusOK, p)
}

// standingClasses lists the size classes the indicators have figures for,
// in the order the tables give them, each with its population band from
// the pack's counts and the number of municipalities in it by the
// register.
func (s *Server) standingClasses(res *analysis.Result, reg *catalog.Register) []standingClass {
	var out []standingClass
	for _, ind := range res.Indicators {
		if ind.Def.Population != catalog.Municipalities {
			continue
		}
		for _, pt := range ind.Classes {
			if pt.Class == "" || slices.ContainsFunc(out, func(c standingClass) bool { return c.Label == pt.Class }) {
				continue
			}
			c := standingClass{Label: pt.Class}
			for _, n := range s.cfg.Pack.Counts {
				if n.Unit == catalog.Municipalities && n.SizeClass != nil && n.SizeClass.Label == pt.Class {
					c.Min, c.Max, c.Known = n.SizeClass.Min, n.SizeClass.Max, true
					break
				}
			}
			if c.Known && reg != nil {
				for _, a := range reg.Areas {
					if c.holds(a.Population) {
						c.N++
					}
				}
			}
			out = append(out, c)
		}
	}
	return out
}

// holds reports whether a population falls in the class's band.
func (c standingClass) holds(pop int) bool {
	return pop > 0 && pop >= c.Min && (c.Max == 0 || pop <= c.Max)
}

// placeMunicipality finds a municipality by its name in the register
// ("Herøy (Nordland)"), its name alone when only one has it, or its
// number, and chooses its size class.
func (s *Server) placeMunicipality(p *standingPage, reg *catalog.Register, name string) {
	if reg == nil {
		p.Problem = "Kunnskapspakken har ikke noe kommuneregister for i år, så kommunen kan ikke plasseres."
		return
	}
	var hits []catalog.Area
	for _, a := range reg.Areas {
		if strings.EqualFold(a.Name, name) || a.Code == name {
			hits = []catalog.Area{a} // the register's full name or number: one
			break
		}
		if strings.EqualFold(baseName(a.Name), name) {
			hits = append(hits, a)
		}
	}
	switch len(hits) {
	case 0:
		p.Problem = fmt.Sprintf("Fant ingen kommune som heter «%s» i registeret «%s». Skriv navnet som i listen, eller velg en størrelse.", name, reg.Title)
		return
	case 1:
	default:
		var names []string
		for _, a := range hits {
			names = append(names, "«"+a.Name+"»")
		}
		p.Problem = fmt.Sprintf("Flere kommuner heter «%s»: %s. Velg én av dem.", name, strings.Join(names, " og "))
		return
	}
	a := hits[0]
	p.Municipality = a.Name
	if a.Population <= 0 {
		p.Problem = fmt.Sprintf("%s har ikke noe innbyggertall i registeret «%s», så størrelsen er ukjent.", a.Name, reg.Title)
		return
	}
	for _, c := range p.Classes {
		if c.Known && c.holds(a.Population) {
			p.Class = c.Label
			p.Placed = fmt.Sprintf("%s hadde %s innbyggere per %s og er i klassen «%s».", a.Name, thousands(a.Population), norDay(a.PopulationDate), c.Label)
			return
		}
	}
	p.Problem = fmt.Sprintf("%s hadde %s innbyggere, men ingen av tabellenes størrelsesklasser har kjente grenser som passer.", a.Name, thousands(a.Population))
}

// baseName is a municipality's name without the county the register
// adds to tell two of the same name apart: "Herøy (Nordland)" is "Herøy".
func baseName(name string) string {
	if i := strings.Index(name, " ("); i > 0 && strings.HasSuffix(name, ")") {
		return name[:i]
	}
	return name
}

// municipalityNames lists every municipality as the name field takes it.
func municipalityNames(reg *catalog.Register) []string {
	out := make([]string, 0, len(reg.Areas))
	for _, a := range reg.Areas {
		out = append(out, a.Name)
	}
	slices.Sort(out)
	return out
}

// standingOf compares an indicator's class figure with the national one
// in the newest year.
func standingOf(ind *analysis.Indicator, class string) standingRow {
	h := ind.Headline
	row := standingRow{Title: ind.Def.Title, URL: indicatorPath(ind.Def.ID), National: analysis.Percent(h.Share), Year: h.Year}
	i := slices.IndexFunc(ind.Classes, func(p analysis.Point) bool { return p.Class == class })
	switch {
	case len(ind.Classes) == 0:
		row.Missing = "Tabellen har ikke tall per kommunestørrelse."
	case i < 0:
		row.Missing = "Tabellen har ikke denne størrelsesklassen."
	case !ind.Classes[i].OK:
		row.Missing = ind.Classes[i].Missing
		if row.Missing == "" {
			row.Missing = "Tallet mangler i tabellen."
		}
	default:
		v := ind.Classes[i].Share
		row.ClassValue = analysis.Percent(v)
		row.Diff = analysis.Points(v - h.Share)
		switch d := analysis.Number(v-h.Share, 1); {
		case d == "0,0":
			row.Same = true
		case v > h.Share:
			row.Higher = true
		default:
			row.Lower = true
		}
	}
	return row
}

// thousands writes n with a space between thousands: "291 940".
func thousands(n int) string { return analysis.Number(float64(n), 0) }

// norDay writes an ISO date as "1.1.2024"; anything else as given.
func norDay(iso string) string {
	var y, m, d int
	if _, err := fmt.Sscanf(iso, "%d-%d-%d", &y, &m, &d); err != nil {
		return iso
	}
	return fmt.Sprintf("%d.%d.%d", d, m, y)
}
