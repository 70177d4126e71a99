// Package analysistest builds snapshots for the tests and benchmarks of the
// analysis, the report and the command line.
//
// Every snapshot here is constructed test data and says so in its title
// and source ("Konstruerte testdata"), and so is the knowledge pack of Pack,
// except the figures of Published12041:
// those are SSB's published national figures for 2018, copied with their
// source into testdata/ssb-12041-2018.csv, placed in a constructed
// snapshot whose codes are made up. Nothing here may be shown to a user as
// SSB's figures.
package analysistest

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/csv"
	"encoding/hex"
	"fmt"
	"hash/fnv"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/grunnlag/grunnlag/internal/catalog"
	"github.com/grunnlag/grunnlag/internal/jsonstat"
	"github.com/grunnlag/grunnlag/internal/store"
)

//go:embed testdata/ssb-12041-2018.csv testdata/pakke/*.yaml
var testdata embed.FS

// Pack returns the small knowledge pack constructed for golden tests
// (testdata/pakke): two themes, a few findings, one activity and need,
// counts, three tables and five indicators, every text marked constructed.
// Tests that must not change when the shipped pack is edited use it.
func Pack() catalog.Dir {
	return catalog.Dir{FS: testdata, Path: "testdata/pakke", Name: "testdata/pakke"}
}

// Constructed marks the title and source of every constructed snapshot.
const Constructed = "Konstruerte testdata"

// Dim is a dimension of a constructed table.
type Dim struct {
	ID, Label string
	Cats      []string // "code=label", or "label" to use the label as code
}

// Cells sets chosen cells by their labels joined with "|" in dimension
// order ("Rutiner …|Har ikke tiltaket|Kommuner|2021"). A value of NaN is a
// missing cell; Status gives its symbol.
type Cells map[string]float64

// Spec describes a constructed snapshot.
type Spec struct {
	Table     string
	Title     string // after "Konstruerte testdata: "
	Dims      []Dim  // the last one varies fastest
	Cells     Cells  // cells set by label; the others get a made-up share
	Status    map[string]string
	Updated   string    // SSB's "updated"; default 2025-05-06T06:00:00Z
	FetchedAt time.Time // default FetchedAt(0)
}

// FetchedAt returns a fixed fetch time plus n days, so snapshots of
// different vintages have different times and the output stays the same.
func FetchedAt(n int) time.Time {
	return time.Date(2025, 6, 2, 8, 30, 0, 0, time.UTC).AddDate(0, 0, n)
}

// Snapshot builds the snapshot a spec describes, with its JSON-stat body as
// the raw response, so a store keeps it like any synced table.
func Snapshot(s Spec) *store.Snapshot {
	ds := &jsonstat.Dataset{
		Label:   Constructed + ": " + s.Title,
		Source:  Constructed + " (grunnlag/internal/analysis/analysistest)",
		Updated: s.Updated,
	}
	if ds.Updated == "" {
		ds.Updated = "2025-05-06T06:00:00Z"
	}
	for _, d := range s.Dims {
		dim := jsonstat.Dimension{ID: d.ID, Label: d.Label}
		for _, c := range d.Cats {
			code, label, ok := strings.Cut(c, "=")
			if !ok {
				label = code
			}
			cat := jsonstat.Category{Code: code, Label: label}
			if d.ID == "ContentsCode" {
				// As SSB's tables: per cent with one decimal.
				one := 1
				cat.Unit = &jsonstat.Unit{Label: "prosent", Decimals: &one}
			}
			dim.Categories = append(dim.Categories, cat)
		}
		ds.Dimensions = append(ds.Dimensions, dim)
		if d.ID == "Tid" {
			ds.Role.Time = []string{"Tid"}
		}
		if d.ID == "ContentsCode" {
			ds.Role.Metric = []string{"ContentsCode"}
		}
	}
	n := ds.Len()
	ds.Values = make([]float64, n)
	used := map[string]bool{}
	coords := make([]int, 0, len(ds.Dimensions))
	for idx := range n {
		coords = ds.Coords(idx, coords)
		labels := make([]string, len(coords))
		for i, p := range coords {
			labels[i] = ds.Dimensions[i].Categories[p].Label
		}
		key := strings.Join(labels, "|")
		v, ok := s.Cells[key]
		if ok {
			used[key] = true
		} else {
			v = madeUp(key)
		}
		ds.Values[idx] = v
		if st, ok := s.Status[key]; ok {
			if ds.Status == nil {
				ds.Status = map[int]string{}
			}
			ds.Status[idx] = st
		}
	}
	for key := range s.Cells {
		if !used[key] {
			panic(fmt.Sprintf("analysistest: table %s has no cell %q", s.Table, key))
		}
	}
	var raw bytes.Buffer
	if err := jsonstat.Encode(&raw, ds); err != nil {
		panic(fmt.Sprintf("analysistest: table %s: %v", s.Table, err))
	}
	sum := sha256.Sum256(raw.Bytes())
	fetched := s.FetchedAt
	if fetched.IsZero() {
		fetched = FetchedAt(0)
	}
	return &store.Snapshot{
		TableID:   s.Table,
		Title:     ds.Label,
		Lang:      "no",
		Updated:   ds.Updated,
		FetchedAt: fetched,
		Source:    "konstruert://analysistest/" + s.Table,
		SHA256:    hex.EncodeToString(sum[:]),
		Raw:       [][]byte{raw.Bytes()},
		Data:      ds,
	}
}

// madeUp gives a cell not set by the test a share between 1.0 and 99.0,
// the same for the same labels.
func madeUp(key string) float64 {
	h := fnv.New32a()
	h.Write([]byte(key))
	return 1 + float64(h.Sum32()%981)/10
}

// Levels returns the administrative-level dimension as 12041's page shows
// it (the codes are made up).
func Levels() Dim {
	return Dim{ID: "Forvaltningsniva", Label: "forvaltningsnivå", Cats: []string{"K=Kommuner", "F=Fylkeskommuner"}}
}

// Measures12618 returns statistikkvariabel labels of 12618 as inferred in
// research-ssb-tables (from the state table 10855), with made-up codes.
func Measures12618() []string {
	return []string{
		"Patch=Rutiner for installering av sikkerhetspatcher på systemer",
		"Pentest=Rutinemessige penetrasjonstester på interne systemer",
		"Brannmur=Brannmur",
		"Backup=Oppbevaring av backup på annen lokalitet enn driftsmiljøet",
	}
}

// Constructed12618 returns a constructed 12618 for 2020–2022 whose 2021
// shares without patch routines (17.4 %) and without penetration tests
// (68.5 %) give, with the 356 municipalities of 2021, 61.9 and 243.9: the
// appendix's "mer enn 60" and "mer enn 240". The "vet ikke" share for
// patches is missing in 2022 (".."), so the newest year with a value is 2021.
func Constructed12618(fetched time.Time) *store.Snapshot {
	return Snapshot(Spec{
		Table: "12618",
		Title: "Tiltak for IKT-sikkerheten (prosent), etter statistikkvariabel, status for tiltak, forvaltningsnivå og år",
		Dims: []Dim{
			{ID: "ContentsCode", Label: "statistikkvariabel", Cats: Measures12618()},
			{ID: "StatusTiltak", Label: "status for tiltak", Cats: []string{"1=Har tiltaket", "2=Har ikke tiltaket", "3=Vet ikke"}},
			Levels(),
			{ID: "Tid", Label: "år", Cats: []string{"2020", "2021", "2022"}},
		},
		Cells: Cells{
			"Rutiner for installering av sikkerhetspatcher på systemer|Har ikke tiltaket|Kommuner|2020": 19.1,
			"Rutiner for installering av sikkerhetspatcher på systemer|Har ikke tiltaket|Kommuner|2021": 17.4,
			"Rutiner for installering av sikkerhetspatcher på systemer|Har ikke tiltaket|Kommuner|2022": 15.2,
			"Rutiner for installering av sikkerhetspatcher på systemer|Vet ikke|Kommuner|2021":          3.1,
			"Rutiner for installering av sikkerhetspatcher på systemer|Vet ikke|Kommuner|2022":          math.NaN(),
			"Rutinemessige penetrasjonstester på interne systemer|Har ikke tiltaket|Kommuner|2021":      68.5,
		},
		Status:    map[string]string{"Rutiner for installering av sikkerhetspatcher på systemer|Vet ikke|Kommuner|2022": ".."},
		FetchedAt: fetched,
	})
}

// Constructed12617 returns a constructed 12617 for 2020 and 2022.
func Constructed12617(fetched time.Time) *store.Snapshot {
	return Snapshot(Spec{
		Table: "12617",
		Title: "IKT-sikkerhetsproblemer (prosent), etter statistikkvariabel, status for sikkerhetsproblemet, forvaltningsnivå og år",
		Dims: []Dim{
			{ID: "ContentsCode", Label: "statistikkvariabel", Cats: []string{
				"Phishing=Forsøk på identitetstyveri (phishing)",
				"Tilgang=Uautorisert tilgang til systemer eller data",
				"Avveie=IKT-utstyr på avveie",
			}},
			{ID: "StatusProblem", Label: "status for sikkerhetsproblemet", Cats: []string{"1=Opplevd", "2=Ikke opplevd", "3=Ukjent"}},
			Levels(),
			{ID: "Tid", Label: "år", Cats: []string{"2020", "2022"}},
		},
		Cells: Cells{
			"Uautorisert tilgang til systemer eller data|Ukjent|Kommuner|2020": 14.0,
			"Uautorisert tilgang til systemer eller data|Ukjent|Kommuner|2022": 11.5,
		},
		FetchedAt: fetched,
	})
}

// Constructed12038 returns a constructed 12038 for 2018–2020.
func Constructed12038(fetched time.Time) *store.Snapshot {
	return Snapshot(Spec{
		Table: "12038",
		Title: "Rekruttering av IKT-spesialister (prosent), etter forvaltningsnivå, statistikkvariabel og år",
		Dims: []Dim{
			Levels(),
			{ID: "ContentsCode", Label: "statistikkvariabel", Cats: []string{
				"Forsokt=Har rekruttert eller forsøkt å rekruttere IKT-spesialister siste år",
				"Problem=Har hatt problemer med å rekruttere IKT-spesialister",
			}},
			{ID: "Tid", Label: "år", Cats: []string{"2018", "2019", "2020"}},
		},
		FetchedAt: fetched,
	})
}

// Constructed12019 returns a constructed 12019 for 2018 and 2022.
func Constructed12019(fetched time.Time) *store.Snapshot {
	return Snapshot(Spec{
		Table: "12019",
		Title: "IKT-strategier (prosent), etter status for strategi, forvaltningsnivå, statistikkvariabel og år",
		Dims: []Dim{
			{ID: "StatusStrategi", Label: "status for strategi", Cats: []string{"1=Har strategi", "2=Under utarbeidelse", "3=Har ikke strategi"}},
			Levels(),
			{ID: "ContentsCode", Label: "statistikkvariabel", Cats: []string{"IKT=IKT-strategi", "Digi=Digitaliseringsstrategi", "Sky=Strategi for skytjenester"}},
			{ID: "Tid", Label: "år", Cats: []string{"2018", "2022"}},
		},
		FetchedAt: fetched,
	})
}

// Constructed12036 returns a constructed 12036 for 2020 and 2024.
func Constructed12036(fetched time.Time) *store.Snapshot {
	return Snapshot(Spec{
		Table: "12036",
		Title: "Hindringer for utvikling av elektroniske tjenester (prosent), etter statistikkvariabel, grad av hindring, forvaltningsnivå og år",
		Dims: []Dim{
			{ID: "ContentsCode", Label: "statistikkvariabel", Cats: []string{
				"Ressurser=Vanskelig å frigjøre ressurser til utvikling",
				"Kompetanse=Manglende kompetanse i virksomheten",
				"Lov=Lovgivning og regler mangler tilpasning",
			}},
			{ID: "Grad", Label: "grad av hindring", Cats: []string{"1=I stor eller svært stor grad", "2=I noen grad", "3=I liten eller ingen grad"}},
			Levels(),
			{ID: "Tid", Label: "år", Cats: []string{"2020", "2024"}},
		},
		FetchedAt: fetched,
	})
}

// Measures12041 returns 12041's statistikkvariabel labels, as seen on SSB's
// page, with made-up codes.
func Measures12041() []string {
	return []string{
		"Policy=Har en skriftlig informasjonssikkerhetspolicy som er forankret i ledelsen",
		"Ansvarlig=En formelt utnevnt person er fagansvarlig for informasjonssikkerheten",
		"Ovelse=Beredskapsøvelse gjennomføres minst en gang per år",
		"Risiko=Risikovurderinger gjennomføres systematisk og periodisk",
		"Handtering=Ved nye risikovurderinger iverksettes nødvendig risikohåndtering",
		"Opplaering=Aktiviteter for opplæring og bevisstgjøring av ansatte og ledere gjennomføres minst én gang per år",
	}
}

// Constructed12041BySize returns a constructed 12041 with size classes in
// 2019 and 2024: the three classes SSB's glossary uses, for which the pack
// has counts in 2024 but not in 2019, and one made-up class no count fits.
func Constructed12041BySize(fetched time.Time) *store.Snapshot {
	return Snapshot(Spec{
		Table: "12041",
		Title: "Tiltak/rutiner ved administrasjon av IKT-sikkerheten, etter antall innbyggere (Fylkeskommuner, kommuner)",
		Dims: []Dim{
			{ID: "ContentsCode", Label: "statistikkvariabel", Cats: Measures12041()},
			Levels(),
			{ID: "Innbyggere", Label: "antall innbyggere", Cats: []string{
				"0=I alt", "1=Under 5 000 innbyggere", "2=5 000-19 999 innbyggere", "3=20 000 eller flere innbyggere", "9=Konstruert klasse uten antall",
			}},
			{ID: "Tid", Label: "år", Cats: []string{"2019", "2024"}},
		},
		Cells: Cells{
			"Beredskapsøvelse gjennomføres minst en gang per år|Kommuner|I alt|2024":                         20.0,
			"Beredskapsøvelse gjennomføres minst en gang per år|Kommuner|Under 5 000 innbyggere|2024":        10.0,
			"Beredskapsøvelse gjennomføres minst en gang per år|Kommuner|5 000-19 999 innbyggere|2024":       22.5,
			"Beredskapsøvelse gjennomføres minst en gang per år|Kommuner|20 000 eller flere innbyggere|2024": 40.0,
			"Beredskapsøvelse gjennomføres minst en gang per år|Kommuner|Konstruert klasse uten antall|2024": 30.0,
		},
		FetchedAt: fetched,
	})
}

// Published12041 returns a snapshot of 12041 holding SSB's published
// national figures for 2018 (kommuner and fylkeskommuner, six measures).
// The figures are SSB's; the snapshot around them is constructed: its
// codes, its one size category "I alt" (the label is not known) and its
// dates are made up, and its title says so.
func Published12041(fetched time.Time) *store.Snapshot {
	rows := PublishedRows()
	cells := Cells{}
	for _, r := range rows {
		cells[r.Variable+"|"+r.Level+"|I alt|2018"] = r.Value
	}
	return Snapshot(Spec{
		Table: "12041",
		Title: "Tiltak/rutiner ved administrasjon av IKT-sikkerheten, etter antall innbyggere (Fylkeskommuner, kommuner); SSBs publiserte tall for 2018 i et konstruert øyeblikksbilde",
		Dims: []Dim{
			{ID: "ContentsCode", Label: "statistikkvariabel", Cats: Measures12041()},
			Levels(),
			{ID: "Innbyggere", Label: "antall innbyggere", Cats: []string{"0=I alt"}},
			{ID: "Tid", Label: "år", Cats: []string{"2018"}},
		},
		Cells:     cells,
		Updated:   "2020-05-04T06:00:00Z",
		FetchedAt: fetched,
	})
}

// PublishedRow is one published figure of table 12041.
type PublishedRow struct {
	Level    string // "Kommuner" or "Fylkeskommuner"
	Variable string // the statistikkvariabel label
	Value    float64
	Text     string // the value as SSB prints it: "63.9"
	Source   string // the page it was read on
}

// PublishedRows returns the 12 published national figures of 12041 for
// 2018, from testdata/ssb-12041-2018.csv.
func PublishedRows() []PublishedRow {
	b, err := testdata.ReadFile("testdata/ssb-12041-2018.csv")
	if err != nil {
		panic(err)
	}
	var lines []string
	for _, l := range strings.Split(string(b), "\n") {
		if !strings.HasPrefix(l, "#") {
			lines = append(lines, l)
		}
	}
	recs, err := csv.NewReader(strings.NewReader(strings.Join(lines, "\n"))).ReadAll()
	if err != nil {
		panic(err)
	}
	var out []PublishedRow
	for _, r := range recs[1:] {
		v, err := strconv.ParseFloat(r[6], 64)
		if err != nil {
			panic(err)
		}
		level := "Kommuner"
		if r[2] == "fylkeskommuner" {
			level = "Fylkeskommuner"
		}
		out = append(out, PublishedRow{Level: level, Variable: r[4], Value: v, Text: r[6], Source: r[8]})
	}
	return out
}

// Measures14559 returns statistikkvariabel labels for 14559 in Norwegian.
// They are made up: only SSB's English labels were seen (research-ssb-
// figures §1), and these are constructed translations that fit the
// shipped pack's inferred patterns, with made-up codes.
func Measures14559() []string {
	return []string{
		"Policy=Har en skriftlig informasjonssikkerhetspolicy som er integrert i virksomhetens styring",
		"Ansvar=Har utnevnt en person med overordnet ansvar for informasjonssikkerheten",
		"Risiko=Gjennomfører risikovurderinger systematisk",
		"Handtering=Iverksetter nødvendig risikohåndtering etter risikovurderinger",
		"Opplaering=Gir de ansatte opplæring og bevisstgjøring i informasjonssikkerhet minst én gang per år",
		"Ovelse=Ledelsen øver på å håndtere uønskede IKT-hendelser minst én gang per år",
		"Ledere=Ledelsen får opplæring i styring og kontroll av informasjonssikkerheten",
	}
}

// Constructed14559 returns a constructed 14559 for 2025, the successor of
// 12041, with constructed Norwegian labels (Measures14559), the three size
// classes of SSB's glossary and a total.
func Constructed14559(fetched time.Time) *store.Snapshot {
	return Snapshot(Spec{
		Table: "14559",
		Title: "Informasjonssikkerhetstiltak, etter antall innbyggere (fylkeskommuner, kommuner), med konstruerte norske etiketter",
		Dims: []Dim{
			{ID: "ContentsCode", Label: "statistikkvariabel", Cats: Measures14559()},
			Levels(),
			{ID: "Innbyggere", Label: "antall innbyggere", Cats: []string{
				"0=I alt", "1=Under 5 000 innbyggere", "2=5 000-19 999 innbyggere", "3=20 000 eller flere innbyggere",
			}},
			{ID: "Tid", Label: "år", Cats: []string{"2025"}},
		},
		Cells: Cells{
			"Har en skriftlig informasjonssikkerhetspolicy som er integrert i virksomhetens styring|Kommuner|I alt|2025": 81.2,
		},
		Updated:   "2025-06-23T06:00:00Z",
		FetchedAt: fetched,
	})
}

// All returns a constructed snapshot of every table the shipped pack's
// indicators use, with 12041 from the published 2018 figures, all fetched
// at fetched. 14559 is left out: a table never synced.
func All(fetched time.Time) []*store.Snapshot {
	return []*store.Snapshot{
		Published12041(fetched),
		Constructed12038(fetched),
		Constructed12019(fetched),
		Constructed12036(fetched),
		Constructed12617(fetched),
		Constructed12618(fetched),
	}
}
