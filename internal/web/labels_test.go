package web

import (
	"strings"
	"testing"

	"github.com/grunnlag/grunnlag/internal/analysis"
	"github.com/grunnlag/grunnlag/internal/store"
)

// TestSyncPageLabels: the sync page says which indicator definitions no
// longer fit the stored tables, as grunnlag sync does after a sync — here
// the constructed snapshot of 13615 is read by an indicator whose label
// the test changes (constructed) — and only an analyst sees the fix.
func TestSyncPageLabels(t *testing.T) {
	e := newEnv(t)
	_, body := e.get(t, "/synk")
	if !strings.Contains(body, "Alle indikatordefinisjonene passer til de lagrede tabellene.") {
		t.Fatalf("the shipped pack against the test's tables: the page does not say every definition fits:\n%s", body)
	}

	// A pack whose first indicator looks for a label no table has.
	pack := loadPack(t)
	def := pack.Indicators[0]
	for i := range def.Select {
		if def.Select[i].Category.Label != "" {
			def.Select[i].Category.Label = "Konstruert etikett som ingen tabell har"
			break
		}
		if def.Select[i].Category.Pattern != "" {
			def.Select[i].Category.Pattern = "^Konstruert etikett som ingen tabell har$"
			break
		}
	}
	e2 := newEnv(t, func(c *Config) { c.Pack = pack })
	data, err := analysis.Load(t.Context(), e2.st, pack, testNow)
	if err != nil {
		t.Fatal(err)
	}
	issues := analysis.LabelHealth(pack, data, analysis.Data{})
	if len(issues) == 0 {
		t.Fatal("the changed definition still fits: the test shows nothing")
	}
	_, body = e2.get(t, "/synk")
	for _, li := range issues {
		if !strings.Contains(body, `href="`+indicatorPath(li.Indicator)+`"`) {
			t.Errorf("the page does not name %s", li.Indicator)
		}
	}
	if strings.Contains(body, "<pre>") {
		t.Error("an anonymous visitor sees the fix")
	}
	analyst := e2.signIn(t, "analytiker@example.invalid", store.RoleAnalyst, "")
	_, body = e2.doAs(t, analyst, "GET", "/synk", nil)
	if issues[0].Fix != "" && !strings.Contains(body, "<pre>") {
		t.Error("the analyst does not see the fix")
	}
}
