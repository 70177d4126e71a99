package analysis

// Change is an indicator whose figures differ between two data vintages.
type Change struct {
	ID     string
	Title  string
	Before *Summary // nil for an indicator the earlier vintage did not have
	After  *Summary // nil for one the later vintage does not have
	What   string   // bokmål: what changed
}

// Compare lists the indicators whose status, year, share or number differ
// between two vintages (from an earlier report's rapport.json, or an
// analysis of the snapshots as of a date), in the later vintage's order,
// then those only the earlier one had.
func Compare(before, after []Summary) []Change {
	old := map[string]*Summary{}
	for i := range before {
		old[before[i].ID] = &before[i]
	}
	seen := map[string]bool{}
	var out []Change
	for i := range after {
		a := &after[i]
		seen[a.ID] = true
		b, ok := old[a.ID]
		if !ok {
			out = append(out, Change{ID: a.ID, Title: a.Title, After: a, What: "ny indikator"})
			continue
		}
		if what := difference(b, a); what != "" {
			out = append(out, Change{ID: a.ID, Title: a.Title, Before: b, After: a, What: what})
		}
	}
	for i := range before {
		b := &before[i]
		if !seen[b.ID] {
			out = append(out, Change{ID: b.ID, Title: b.Title, Before: b, What: "indikatoren er fjernet"})
		}
	}
	return out
}

// difference says what changed between two summaries of one indicator,
// or "" when its figures are the same.
func difference(b, a *Summary) string {
	switch {
	case b.Status != a.Status:
		return "status endret"
	case b.SourceKind != a.SourceKind:
		return "ny kilde"
	case b.Year != a.Year:
		return "nytt år"
	case !sameShare(b.Share, a.Share):
		return "ny andel"
	case (b.Count == nil) != (a.Count == nil) || b.Count != nil && (b.Count.Value != a.Count.Value || b.Count.Base != a.Count.Base):
		return "nytt antall"
	case (b.Appendix == nil) != (a.Appendix == nil) || b.Appendix != nil && !sameShare(b.Appendix.Share, a.Appendix.Share):
		return "ny andel for vedleggets år"
	}
	return ""
}

func sameShare(b, a *float64) bool {
	return (b == nil) == (a == nil) && (b == nil || *b == *a)
}
