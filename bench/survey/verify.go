package main

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"time"

	"github.com/grunnlag/grunnlag/internal/store"
	"github.com/grunnlag/grunnlag/internal/survey"
)

// verdict is what the check of the stored answers found.
type verdict struct {
	saves, principles, orgs int
	answers, changes        int
	problems                []string
}

// value is an answer's content, as the client sent it and as the store
// keeps it.
type value struct {
	Answer, Reason, Comment, Evidence string
	Maturity                          int
}

func inputValue(a survey.Input) value {
	return value{a.Answer, a.Reason, a.Comment, a.Evidence, a.Maturity}
}

func storedValue(a store.Answer) value {
	return value{a.Answer, a.Reason, a.Comment, a.Evidence, a.Maturity}
}

// historyValue reads a change's new value as the store's history keeps it
// (JSON, maturity absent when not given).
func historyValue(b []byte) (value, error) {
	var v struct {
		Answer, Reason, Comment, Evidence string
		Maturity                          *int
	}
	if err := json.Unmarshal(b, &v); err != nil {
		return value{}, err
	}
	out := value{v.Answer, v.Reason, v.Comment, v.Evidence, -1}
	if v.Maturity != nil {
		out.Maturity = *v.Maturity
	}
	return out, nil
}

// verify checks the store against the saves the server confirmed. For
// each principle of each organisation, the saves' versions must be 1, 2,
// … n, each given out once (two saves told the same version would mean
// one overwrote the other unseen; a missing one, a save that was stored
// although its client was told otherwise), and the store must be at
// version n. Each measure must be stored once, with the value of the
// principle's last save, and nothing else stored. The history must hold
// one change per save that changed a measure's value, the last one being
// the stored value.
func verify(ctx context.Context, s *site, saved []saveRecord) verdict {
	var v verdict
	v.saves = len(saved)
	problem := func(format string, args ...any) {
		v.problems = append(v.problems, fmt.Sprintf(format, args...))
	}
	byOrg := map[*orgPeople]map[string][]saveRecord{}
	for _, r := range saved {
		if byOrg[r.org] == nil {
			byOrg[r.org] = map[string][]saveRecord{}
		}
		byOrg[r.org][r.principle] = append(byOrg[r.org][r.principle], r)
	}
	v.orgs = len(byOrg)
	for _, o := range append(slices.Clone(s.municipalities), s.counties...) {
		code := o.org.Code
		oa, err := s.st.OrgAnswers(ctx, store.Operator, roundID, o.org.ID, time.Now())
		if err != nil {
			problem("%s: read answers: %v", code, err)
			continue
		}
		history, err := s.st.AnswerHistory(ctx, store.Operator, roundID, o.org.ID, time.Now())
		if err != nil {
			problem("%s: read history: %v", code, err)
			continue
		}
		// What the clients believe: each measure's last value, and the
		// values each measure went through, in the order stored.
		want := map[string]value{}
		changes := map[string]int{}
		for principle, list := range byOrg[o] {
			v.principles++
			slices.SortFunc(list, func(a, b saveRecord) int { return a.version - b.version })
			for i, r := range list {
				if r.version != i+1 {
					problem("%s %s: the saves were told versions %v; want 1 to %d, each once", code, principle, versionsOf(list), len(list))
					break
				}
			}
			if got := oa.Versions[principle]; got != len(list) {
				problem("%s %s: stored at version %d; the clients were told of %d saves", code, principle, got, len(list))
			}
			for _, r := range list {
				for _, a := range r.answers {
					nv := inputValue(a)
					if old, ok := want[a.Measure]; !ok || old != nv {
						changes[a.Measure]++
					}
					want[a.Measure] = nv
				}
			}
		}
		for principle, n := range oa.Versions {
			if _, ok := byOrg[o][principle]; !ok {
				problem("%s %s: stored at version %d, but no client was told of a save", code, principle, n)
			}
		}
		stored := map[string]int{}
		for _, a := range oa.Own {
			stored[a.Measure]++
			v.answers++
			w, ok := want[a.Measure]
			switch {
			case stored[a.Measure] > 1:
				problem("%s %s: stored %d times", code, a.Measure, stored[a.Measure])
			case !ok:
				problem("%s %s: stored (%+v), but no client saved it", code, a.Measure, storedValue(a))
			case storedValue(a) != w:
				problem("%s %s: stored %+v; the last save was %+v", code, a.Measure, storedValue(a), w)
			}
		}
		for m := range want {
			if stored[m] == 0 {
				problem("%s %s: saved, but not stored", code, m)
			}
		}
		seen := map[string]int{}
		last := map[string]store.AnswerChange{}
		for _, c := range history {
			seen[c.Measure]++
			last[c.Measure] = c
			v.changes++
		}
		for m, n := range changes {
			if seen[m] != n {
				problem("%s %s: %d changes in the history; the saves changed it %d times", code, m, seen[m], n)
				continue
			}
			hv, err := historyValue(last[m].New)
			if err != nil {
				problem("%s %s: the history's last change: %v", code, m, err)
			} else if hv != want[m] {
				problem("%s %s: the history's last change is %+v; the last save was %+v", code, m, hv, want[m])
			}
		}
		for m, n := range seen {
			if changes[m] == 0 {
				problem("%s %s: %d changes in the history, but no client saved it", code, m, n)
			}
		}
	}
	return v
}

func versionsOf(list []saveRecord) []int {
	var out []int
	for _, r := range list {
		out = append(out, r.version)
	}
	return out
}
