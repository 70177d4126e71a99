package usertext

import "testing"

// TestProblems checks that the scan finds what it is meant to.
func TestProblems(t *testing.T) {
	for _, bad := range []string{
		"Kilde: data (innebygd)/dialogue.yaml:6", "Slik står det (as_written)", "(DESIGN, issue 3)", "research-ssb-figures §4.3",
		"Tittel ikke sett ordrett", "hentet 2025-06-23T06:00:00Z", "Kilde: https://data.ssb.no/api/pxwebapi/v2/tables/12041/data",
		"fil /tmp/x/13615.json", "outcome: failed",
	} {
		if len(Problems(bad)) == 0 {
			t.Errorf("the scan lets %q through", bad)
		}
	}
	for _, good := range []string{"Kilde: grunnlag/findings.yaml:365", "hentet 3. juni 2025 kl. 10.30", "Tabell 12041 hos SSB"} {
		if p := Problems(good); len(p) != 0 {
			t.Errorf("the scan refuses %q: %v", good, p)
		}
	}
}
