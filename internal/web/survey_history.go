package web

import (
	"encoding/json"
	"net/http"

	"github.com/grunnlag/grunnlag/internal/store"
)

// surveyHistoryPage lists every change of the organisation's answers in a
// round, newest first: who, when, the old and the new answer.
type surveyHistoryPage struct {
	base
	RoundID string
	OrgName string
	Rows    []historyRow
}

type historyRow struct {
	When     string
	Who      string
	Measure  string
	URL      string
	Old, New string
}

func (*surveyHistoryPage) template() string { return "survey_history" }

func (s *Server) surveyHistory(w http.ResponseWriter, r *http.Request) error {
	o, err := s.memberViewOf(r, true)
	if err != nil {
		return err
	}
	v := o.view
	rd := v.Round
	principle := map[string]string{}
	for _, m := range rd.Measures {
		principle[m.Measure] = m.Principle
	}
	providers := map[int64]string{}
	for _, e := range v.Answers {
		if e.Provider != nil {
			providers[e.Provider.ProviderID] = e.Provider.ProviderName
		}
	}
	pg := &surveyHistoryPage{RoundID: rd.ID, OrgName: o.org.Name}
	for i := len(v.Changes) - 1; i >= 0; i-- {
		c := &v.Changes[i]
		row := historyRow{When: norDateTime(c.ChangedAt, s.loc), Who: changedBy(c), Measure: c.Measure,
			Old: historyText(c.Old, rd.Settings.Levels, providers), New: historyText(c.New, rd.Settings.Levels, providers)}
		if p := principle[c.Measure]; p != "" {
			row.URL = "/kartlegging/" + rd.ID + "/" + p + "#tiltak-" + fieldKey(c.Measure)
		}
		pg.Rows = append(pg.Rows, row)
	}
	pg.setBase("Endringer i svarene", "kartlegging")
	return s.render(w, http.StatusOK, pg)
}

// historyValue is an answer as the history keeps it (the store's JSON).
type historyValue struct {
	Answer        string `json:"answer"`
	Reason        string `json:"reason"`
	Maturity      *int   `json:"maturity"`
	Comment       string `json:"comment"`
	Evidence      string `json:"evidence"`
	InheritedFrom int64  `json:"inherited_from"`
}

// historyText writes a kept answer as people read it; an empty one (the
// first answer's "before") as «ikke besvart».
func historyText(b []byte, levels []string, providers map[int64]string) string {
	if len(b) == 0 {
		return "ikke besvart"
	}
	var h historyValue
	if err := json.Unmarshal(b, &h); err != nil {
		return "kan ikke vises"
	}
	a := store.Answer{Answer: h.Answer, Reason: h.Reason, Maturity: -1, Comment: h.Comment, Evidence: h.Evidence}
	if h.Maturity != nil {
		a.Maturity = *h.Maturity
	}
	t := answerText(a, levels)
	if h.InheritedFrom != 0 {
		name := providers[h.InheritedFrom]
		if name == "" {
			name = "IT-leverandøren"
		} else {
			name = "IT-leverandøren " + name
		}
		t += " (tatt over fra " + name + ")"
	}
	return t
}
