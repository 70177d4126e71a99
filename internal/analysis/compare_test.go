package analysis

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/grunnlag/grunnlag/internal/analysis/analysistest"
)

// TestCompare compares two constructed vintages: the earlier has only
// 12617 and a 12618 where the patch share is 19.0 % in 2021 (the
// appendix's year); the later has the 12618 of the other tests (17.4 %)
// and no 12617, so its phishing figure is the published one.
func TestCompare(t *testing.T) {
	p := shippedPack(t)
	older := analysistest.Constructed12618(analysistest.FetchedAt(-30))
	older.Data.Values[older.Data.Index(0, 1, 0, 1)] = 19.0 // patches, har ikke, kommuner, 2021
	before := Analyze(p, dataOf(older, analysistest.Constructed12617(analysistest.FetchedAt(-30)))).Summaries()
	after := Analyze(p, dataOf(analysistest.Constructed12618(analysistest.FetchedAt(0)))).Summaries()

	type change struct{ ID, What string }
	var got []change
	for _, c := range Compare(before, after) {
		got = append(got, change{c.ID, c.What})
		if c.ID == "sikkerhetspatcher-mangler" && (*c.Before.Appendix.Share != 19.0 || *c.After.Appendix.Share != 17.4) {
			t.Errorf("patch change in 2021 = %v → %v, want 19.0 → 17.4", *c.Before.Appendix.Share, *c.After.Appendix.Share)
		}
	}
	want := []change{
		{"sikkerhetspatcher-mangler", "ny andel for vedleggets år"},
		{"uautorisert-tilgang-ukjent", "status endret"},
		{"identitetstyveri-opplevd", "ny kilde"}, // the snapshot's figure, then the published one
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Compare() mismatch (-want +got):\n%s", diff)
	}
	if got := Compare(after, after); len(got) != 0 {
		t.Errorf("Compare(same, same) = %v, want nothing", got)
	}
	removed := Compare(before, after[:1])
	if last := removed[len(removed)-1]; last.After != nil || last.What != "indikatoren er fjernet" {
		t.Errorf("Compare() with fewer indicators ends with %+v, want a removed indicator", last)
	}
}
