package catalog_test

import (
	"context"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/grunnlag/grunnlag/data"
	"github.com/grunnlag/grunnlag/internal/analysis/analysistest"
	"github.com/grunnlag/grunnlag/internal/catalog"
	"github.com/grunnlag/grunnlag/internal/store"
	"github.com/grunnlag/grunnlag/internal/store/sqlstore"
	"github.com/grunnlag/grunnlag/internal/store/sqlstore/pgtest"
)

// searchStore returns a store of the engine with the shipped pack in its
// search, and tables 12617 and 12618 stored with the labels SSB's tables
// are understood to have (shared research, inferred from table 10855; the
// values are constructed), so that a table is found by what it measures.
func searchStore(t *testing.T, dsn string) store.Store {
	t.Helper()
	ctx := context.Background()
	st, err := sqlstore.Open(ctx, dsn, sqlstore.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	levels := analysistest.Dim{ID: "Forvaltningsniva", Label: "forvaltningsnivå", Cats: []string{"K=Kommuner"}}
	year := analysistest.Dim{ID: "Tid", Label: "år", Cats: []string{"2022"}}
	for _, spec := range []analysistest.Spec{
		{Table: "12618", Title: "Tiltak for IKT-sikkerheten (prosent)", Dims: []analysistest.Dim{
			{ID: "ContentsCode", Label: "statistikkvariabel", Cats: []string{
				"Antivirus=Løpende abonnement på antivirusprogram", "Brannmur=Brannmur", "Spam=Spam-filtre",
				"Backup=Oppbevaring av backup på annen lokalitet enn driftsmiljøet",
				"BackupTest=Rutinemessige tester som verifiserer at back-up ikke er korrupt eller manipulert",
				"Trafikk=Program for avdekking og varsling av uønsket/uventet trafikk",
				"Pentest=Rutinemessige penetrasjonstester på interne systemer",
				"Patch=Rutiner for installering av sikkerhetspatcher på systemer",
				"Ovelse=Beredskapsøvelse minst en gang i året",
				"Tofaktor=Tofaktor-autentisering for ansatte ved ekstern innlogging til virksomhetens IKT-systemer",
				"Logg=Sentrale loggtjenester",
			}},
			{ID: "StatusTiltak", Label: "status for tiltak", Cats: []string{"1=Har tiltaket", "2=Har ikke tiltaket", "3=Vet ikke"}},
			levels, year,
		}},
		{Table: "12617", Title: "IKT-sikkerhetsproblemer (prosent)", Dims: []analysistest.Dim{
			{ID: "ContentsCode", Label: "statistikkvariabel", Cats: []string{
				"Phishing=Forsøk på identitetstyveri (phishing)", "Avveie=IKT-utstyr på avveie",
				"Losepenger=Løsepengevirus", "Tilgang=Uautorisert tilgang til systemer eller data",
				"Datatap=Datatap på grunn av manglende backup",
			}},
			{ID: "StatusProblem", Label: "status for sikkerhetsproblemet", Cats: []string{"1=Opplevd", "2=Ikke opplevd", "3=Ukjent"}},
			levels, year,
		}},
	} {
		if _, err := st.SaveSnapshot(ctx, analysistest.Snapshot(spec)); err != nil {
			t.Fatal(err)
		}
	}
	pack, err := catalog.LoadDirs(catalog.Dir{FS: data.FS, Path: ".", Name: "grunnlag"})
	if err != nil {
		t.Fatal(err)
	}
	load, err := pack.StoreLoadFrom(ctx, st, time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.ReplaceCatalog(ctx, load); err != nil {
		t.Fatal(err)
	}
	return st
}

// searchCases are queries people type and an entry each must find among
// its first 10 hits, by kind/id: words in indicator titles and in the
// tables' labels, Norwegian inflection, compounds, abbreviations.
var searchCases = []struct{ query, want string }{
	{"phishing", "indicator/identitetstyveri-opplevd"},
	{"phishing", "table/12617"},
	{"tofaktor", "table/12618"},
	{"tofaktorautentisering", "table/12618"}, // the label writes "Tofaktor-autentisering"
	{"backup", "table/12618"},
	{"backup", "table/12617"},
	{"patch", "indicator/sikkerhetspatcher-mangler"},
	{"sikkerhetspatcher", "indicator/sikkerhetspatcher-mangler"},
	{"sikkerhetspatch", "finding/ssb12618-sikkerhetspatcher-2021"},
	{"ROS", "need/ros-dpia"},
	{"DPIA", "need/ros-dpia"},
	{"penetrasjonstest", "indicator/penetrasjonstesting-mangler"},
	{"penetrasjonstester", "need/penetrasjonstester"},
	{"trafikk", "table/12618"},
	{"varsling", "table/12618"}, // "varsling av uønsket/uventet trafikk"
	{"beredskapsøvelse", "indicator/beredskapsovelse-mangler"},
	{"beredskapsøvelser", "finding/digdir-beredskapsovelser"},
	{"øvelse", "indicator/beredskapsovelse-mangler"},
	{"fylkeskommuner beredskapsøvelse", "indicator/beredskapsovelse-fylkeskommuner"},
	{"rekruttering", "indicator/rekruttering-problemer"},
	{"rekruttering", "table/12038"},
	{"IKT-spesialister", "table/12038"},
	{"digitaliseringsstrategi", "indicator/digitaliseringsstrategi-mangler"},
	{"skystrategi", "finding/ssb12019-skystrategi-2022"},
	{"strategier", "table/12019"},
	{"risikovurderinger", "indicator/risikovurderinger-mangler"},
	{"risikohåndtering", "indicator/risikohandtering-mangler"},
	{"opplæring", "indicator/opplaering-mangler"},
	{"opplæringen", "need/opplaering"},
	{"bevisstgjøring", "indicator/opplaering-mangler"},
	{"policy", "indicator/policy-mangler"},
	{"informasjonssikkerhetspolicy", "indicator/policy-mangler"},
	{"fagansvarlig", "indicator/fagansvarlig-mangler"},
	{"identitetstyveri", "indicator/identitetstyveri-opplevd"},
	{"uautorisert tilgang", "indicator/uautorisert-tilgang-ukjent"},
	{"hindringer", "table/12036"},
	{"elektroniske tjenester", "indicator/hindring-manglende-kompetanse"},
	{"løsepengevirus", "table/12617"},
	{"brannmur", "table/12618"},
	{"antivirus", "table/12618"},
	{"loggtjenester", "table/12618"},
	{"logg", "table/12618"},
	{"12618", "table/12618"},
	{"SOC", "need/soc-irt"},
	{"grunnprinsipper", "document/nsm-grunnprinsipper"},
	{"NOU 2018", "document/nou-2018-14"},
	{"Riksrevisjonen", "document/riksrevisjonen-2023"},
}

// TestSearchFinds runs searchCases on SQLite and PostgreSQL.
func TestSearchFinds(t *testing.T) {
	engines := []struct {
		name string
		dsn  func(t *testing.T) string
	}{
		{"SQLite", func(t *testing.T) string { return filepath.Join(t.TempDir(), "grunnlag.db") }},
		{"PostgreSQL", func(t *testing.T) string { return pgtest.FreshDSN(t) }},
	}
	for _, e := range engines {
		t.Run(e.name, func(t *testing.T) {
			st := searchStore(t, e.dsn(t))
			ctx := context.Background()
			for _, c := range searchCases {
				hits, err := st.SearchCatalog(ctx, c.query, 10)
				if err != nil {
					t.Fatalf("SearchCatalog(%q) = %v", c.query, err)
				}
				var got []string
				for _, h := range hits {
					got = append(got, h.Entry.Kind+"/"+h.Entry.ID)
				}
				if !slices.Contains(got, c.want) {
					t.Errorf("SearchCatalog(%q): %s not among the first 10 hits %v", c.query, c.want, got)
				}
			}
			// A short word matches only at a word's beginning: none of the
			// hits of "ROS" is there for "prosent" or "prosess" alone.
			for _, q := range []string{"ROS", "IKT", "SOC"} {
				hits, err := st.SearchCatalog(ctx, q, 0)
				if err != nil {
					t.Fatal(err)
				}
				for _, h := range hits {
					if !slices.ContainsFunc(strings.Fields(store.SearchWords(h.Entry.Text)), func(w string) bool {
						return strings.HasPrefix(w, strings.ToLower(q))
					}) {
						t.Errorf("SearchCatalog(%q) finds %s/%s, where no word begins with it", q, h.Entry.Kind, h.Entry.ID)
					}
				}
			}
		})
	}
}
