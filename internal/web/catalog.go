package web

import (
	"cmp"
	"fmt"
	"maps"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/grunnlag/grunnlag/internal/catalog"
	"github.com/grunnlag/grunnlag/internal/fault"
)

// The catalogue pages read the knowledge pack, which the server holds in
// memory; only search goes to the store.

// directionLabel says in bokmål which way evidence points.
func directionLabel(d catalog.Direction) string {
	switch d {
	case catalog.Supports:
		return "støtter hypotesen"
	case catalog.Against:
		return "taler mot hypotesen"
	case catalog.Neutral:
		return "nøytral"
	}
	return string(d)
}

// basisLabel names a kind of source in bokmål.
func basisLabel(b catalog.Basis) string {
	switch b {
	case catalog.FromDocument:
		return "Dokument"
	case catalog.FromStatistics:
		return "Statistikk"
	case catalog.FromDialogue:
		return "Dialog"
	}
	return string(b)
}

// activityKindLabel names the form of a dialogue activity in bokmål.
func activityKindLabel(k catalog.ActivityKind) string {
	switch k {
	case catalog.Meetings:
		return "Møter"
	case catalog.MeetingsAndWorkshops:
		return "Møter og workshops"
	case catalog.WorkingGroup:
		return "Arbeidsgruppe"
	case catalog.InputRound:
		return "Innspillsrunde"
	case catalog.Collaboration:
		return "Samarbeid"
	case catalog.Briefing:
		return "Orientering"
	}
	return string(k)
}

// notFoundEntry is the error for an id the pack does not have.
func notFoundEntry(what, id string) error {
	return fault.WithUser(fault.NotFound,
		fmt.Sprintf("Fant ingen %s med ID «%s». Prøv søket, eller se hele listen.", what, id),
		fmt.Errorf("no %s %q in the pack", what, id))
}

func (s *Server) themeCards() []themeCard {
	p := s.cfg.Pack
	var out []themeCard
	for _, t := range p.Themes {
		out = append(out, themeCard{Theme: t, Findings: len(p.FindingsByTheme(t.ID)),
			Needs: len(p.NeedsByTheme(t.ID)), Documents: len(p.DocumentsByTheme(t.ID))})
	}
	return out
}

func (s *Server) themeList(w http.ResponseWriter, r *http.Request) error {
	p := &themeListPage{Themes: s.themeCards(), Conclusions: s.cfg.Pack.Conclusions}
	p.setBase("Temaer", "temaer")
	return s.render(w, http.StatusOK, p)
}

func (s *Server) themePage(w http.ResponseWriter, r *http.Request) error {
	pk := s.cfg.Pack
	t, ok := pk.Theme(r.PathValue("id"))
	if !ok {
		return notFoundEntry("tema", r.PathValue("id"))
	}
	p := &themeDetailPage{Theme: t, Findings: pk.FindingsByTheme(t.ID), Needs: pk.NeedsByTheme(t.ID),
		Documents: pk.DocumentsByTheme(t.ID)}
	for _, ev := range pk.Evidence(t.ID) {
		row := evidenceRow{Summary: ev.Entry.Summary(), Basis: basisLabel(ev.Basis),
			Direction: directionLabel(ev.Evidence.Supports), Notes: ev.Evidence.Notes}
		ref := ev.Entry.Ref()
		row.URL = entryURL(string(ref.Kind), ref.ID)
		row.Kind = kindLabel(string(ref.Kind))
		p.Evidence = append(p.Evidence, row)
	}
	p.Indicators = s.indicatorSection(r.Context(), t.ID)
	if res, err := s.analysis(r.Context()); err == nil {
		for _, tr := range res.Themes {
			if tr.Theme.ID == t.ID {
				p.Verdict = tr.Text()
			}
		}
	}
	p.setBase(t.Title, "temaer")
	return s.render(w, http.StatusOK, p)
}

func (s *Server) documentList(w http.ResponseWriter, r *http.Request) error {
	pk := s.cfg.Pack
	q := r.URL.Query()
	p := &documentListPage{Total: len(pk.Documents), Sort: q.Get("sorter"), Kind: q.Get("type"),
		Publisher: q.Get("utgiver"), Text: strings.TrimSpace(q.Get("tekst")), LinkedOnly: q.Get("lenke") == "ja"}
	if !slices.ContainsFunc(documentSorts, func(o option) bool { return o.Value == p.Sort }) {
		p.Sort = documentSorts[0].Value
	}
	p.Sorts = documentSorts
	kindOrder := map[string]int{}
	for i, k := range pk.DocumentKinds {
		kindOrder[k.ID] = i
		p.Kinds = append(p.Kinds, option{Value: k.ID, Label: k.Heading})
	}
	publishers := map[string]bool{}
	for _, d := range pk.Documents {
		if d.Publisher != "" {
			publishers[d.Publisher] = true
		}
		if d.URL != "" {
			p.Linked++
		}
	}
	for _, pub := range slices.Sorted(maps.Keys(publishers)) {
		p.Publishers = append(p.Publishers, option{Value: pub, Label: pub})
	}
	p.Publishers = append(p.Publishers, option{Value: "-", Label: "Ikke oppgitt"})
	text := strings.ToLower(p.Text)
	for _, d := range pk.Documents {
		switch {
		case p.Kind != "" && d.Kind != p.Kind,
			p.Publisher == "-" && d.Publisher != "",
			p.Publisher != "" && p.Publisher != "-" && d.Publisher != p.Publisher,
			p.LinkedOnly && d.URL == "",
			text != "" && !strings.Contains(strings.ToLower(d.Label()+" "+d.AsWritten+" "+d.Publisher), text):
			continue
		}
		row := documentRow{Doc: d}
		if k, ok := pk.DocumentKind(d.Kind); ok {
			row.Kind = k.Heading
		}
		p.Rows = append(p.Rows, row)
	}
	year := func(r documentRow) int {
		if len(r.Doc.Year) >= 4 {
			if y, err := strconv.Atoi(r.Doc.Year[:4]); err == nil {
				return y
			}
		}
		return 0
	}
	// Documents without a year or publisher go last, whichever way.
	byYear := func(a, b documentRow, newest bool) int {
		ya, yb := year(a), year(b)
		switch {
		case ya == yb:
			return 0
		case ya == 0:
			return 1
		case yb == 0:
			return -1
		case newest:
			return cmp.Compare(yb, ya)
		}
		return cmp.Compare(ya, yb)
	}
	slices.SortStableFunc(p.Rows, func(a, b documentRow) int {
		switch p.Sort {
		case "ar-eldst":
			return byYear(a, b, false)
		case "type":
			return cmp.Or(cmp.Compare(kindOrder[a.Doc.Kind], kindOrder[b.Doc.Kind]), byYear(a, b, true))
		case "utgiver":
			pa, pb := a.Doc.Publisher, b.Doc.Publisher
			if (pa == "") != (pb == "") {
				return cmp.Compare(len(pb), len(pa)) // the one with a publisher first
			}
			return cmp.Or(strings.Compare(pa, pb), byYear(a, b, true))
		case "tittel":
			return strings.Compare(strings.ToLower(a.Doc.Label()), strings.ToLower(b.Doc.Label()))
		}
		return byYear(a, b, true)
	})
	p.Filtered = p.Kind != "" || p.Publisher != "" || p.Text != "" || p.LinkedOnly
	ts, err := s.tableStatuses(r.Context())
	if err != nil {
		return err
	}
	for _, t := range ts {
		if !t.Registered {
			continue
		}
		row := catalogTable{ID: t.ID, Title: t.Title, Stored: t.Stored}
		if pt, ok := pk.Table(t.ID); ok {
			row.Title, row.English = pt.Title, pt.TitleLang == "en"
		}
		if d, ok := pk.DocumentForTable(t.ID); ok {
			row.DocID, row.URL = d.ID, d.URL
		}
		p.Tables = append(p.Tables, row)
	}
	p.setBase("Dokumenter", "dokumenter")
	return s.render(w, http.StatusOK, p)
}

// documentSorts are the orders the document list offers; the first is the
// default.
var documentSorts = []option{
	{Value: "ar-nyest", Label: "År, nyeste først"},
	{Value: "ar-eldst", Label: "År, eldste først"},
	{Value: "type", Label: "Type, som i vedlegget"},
	{Value: "utgiver", Label: "Utgiver"},
	{Value: "tittel", Label: "Tittel"},
}

func (s *Server) documentPage(w http.ResponseWriter, r *http.Request) error {
	pk := s.cfg.Pack
	d, ok := pk.Document(r.PathValue("id"))
	if !ok {
		return notFoundEntry("dokument", r.PathValue("id"))
	}
	p := &documentDetailPage{Doc: d, Findings: pk.FindingsOfDocument(d.ID)}
	p.Kind, _ = pk.DocumentKind(d.Kind)
	for _, id := range d.Themes {
		if t, ok := pk.Theme(id); ok {
			p.Themes = append(p.Themes, t)
		}
	}
	if d.Table != "" {
		p.TableURL = "/tabeller/" + d.Table
	}
	p.setBase(d.Label(), "dokumenter")
	return s.render(w, http.StatusOK, p)
}

// sourceOf names the document or activity a finding comes from, with its page.
func (s *Server) sourceOf(f *catalog.Finding) (label, url string) {
	if f.Document != "" {
		if d, ok := s.cfg.Pack.Document(f.Document); ok {
			if f.Basis == catalog.FromStatistics && d.Table != "" {
				// The appendix's own reading of a table: the appendix wrote
				// the sentence, not SSB.
				return "Vedlegg E, med henvisning til tabell " + d.Table, entryURL("document", d.ID)
			}
			return d.Label(), entryURL("document", d.ID)
		}
		return f.Document, ""
	}
	if a, ok := s.cfg.Pack.Activity(f.Activity); ok {
		return a.Title, entryURL("activity", a.ID)
	}
	return f.Activity, ""
}

func (s *Server) findingList(w http.ResponseWriter, r *http.Request) error {
	p := &findingListPage{}
	for _, f := range s.cfg.Pack.Findings {
		label, url := s.sourceOf(f)
		p.Findings = append(p.Findings, findingRow{F: f, Source: label, URL: url})
	}
	p.setBase("Funn", "funn")
	return s.render(w, http.StatusOK, p)
}

func (s *Server) evidenceThemes(evs []catalog.Evidence) []evidenceTheme {
	var out []evidenceTheme
	for _, ev := range evs {
		if t, ok := s.cfg.Pack.Theme(ev.Theme); ok {
			out = append(out, evidenceTheme{Theme: t, Direction: directionLabel(ev.Supports), Notes: ev.Notes})
		}
	}
	return out
}

func (s *Server) findingPage(w http.ResponseWriter, r *http.Request) error {
	f, ok := s.cfg.Pack.Finding(r.PathValue("id"))
	if !ok {
		return notFoundEntry("funn", r.PathValue("id"))
	}
	p := &findingDetailPage{F: f, Evidence: s.evidenceThemes(f.Evidence)}
	p.Source, p.SourceURL = s.sourceOf(f)
	p.setBase(f.About, "funn")
	return s.render(w, http.StatusOK, p)
}

func (s *Server) activityList(w http.ResponseWriter, r *http.Request) error {
	p := &activityListPage{Activities: s.cfg.Pack.Activities}
	p.setBase("Sektordialog", "dialog")
	return s.render(w, http.StatusOK, p)
}

func (s *Server) activityPage(w http.ResponseWriter, r *http.Request) error {
	pk := s.cfg.Pack
	a, ok := pk.Activity(r.PathValue("id"))
	if !ok {
		return notFoundEntry("aktivitet", r.PathValue("id"))
	}
	p := &activityDetailPage{A: a, Kind: activityKindLabel(a.Kind)}
	for _, f := range pk.Findings {
		if f.Activity == a.ID {
			p.Findings = append(p.Findings, f)
		}
	}
	for _, n := range pk.Needs {
		if n.Activity == a.ID {
			p.Needs = append(p.Needs, n)
		}
	}
	p.setBase(a.Title, "dialog")
	return s.render(w, http.StatusOK, p)
}

func (s *Server) needList(w http.ResponseWriter, r *http.Request) error {
	p := &needListPage{Needs: s.cfg.Pack.Needs}
	p.setBase("Behov", "behov")
	return s.render(w, http.StatusOK, p)
}

func (s *Server) needPage(w http.ResponseWriter, r *http.Request) error {
	pk := s.cfg.Pack
	n, ok := pk.Need(r.PathValue("id"))
	if !ok {
		return notFoundEntry("behov", r.PathValue("id"))
	}
	p := &needDetailPage{N: n, Evidence: s.evidenceThemes(n.Evidence)}
	p.Activity, _ = pk.Activity(n.Activity)
	for _, id := range n.Principles {
		if pr, ok := pk.Principle(id); ok {
			p.Principles = append(p.Principles, pr)
		}
	}
	p.setBase(n.Title, "behov")
	return s.render(w, http.StatusOK, p)
}

func (s *Server) nsmCategories() []nsmCategory {
	pk := s.cfg.Pack
	var out []nsmCategory
	for _, c := range pk.Categories {
		nc := nsmCategory{C: c}
		for _, pr := range pk.PrinciplesOf(c.ID) {
			nc.Principles = append(nc.Principles, nsmPrinciple{P: pr, Measures: pk.MeasuresOf(pr.ID)})
		}
		out = append(out, nc)
	}
	return out
}

func (s *Server) nsmPage(w http.ResponseWriter, r *http.Request) error {
	p := &nsmPage{Categories: s.nsmCategories()}
	p.setBase("NSMs grunnprinsipper for IKT-sikkerhet", "nsm")
	return s.render(w, http.StatusOK, p)
}

// kindLabel names a kind of catalogue entry in bokmål.
func kindLabel(kind string) string {
	switch catalog.Kind(kind) {
	case catalog.KindDocument:
		return "Dokument"
	case catalog.KindFinding:
		return "Funn"
	case catalog.KindActivity:
		return "Dialog"
	case catalog.KindNeed:
		return "Behov"
	case catalog.KindTheme:
		return "Tema"
	case catalog.KindConclusion:
		return "Konklusjon"
	case catalog.KindPrinciple:
		return "NSM-prinsipp"
	case catalog.KindMeasure:
		return "NSM-tiltak"
	case catalog.KindCategory:
		return "NSM-kategori"
	case catalog.KindTable:
		return "Tabell"
	case catalog.KindIndicator:
		return "Indikator"
	}
	return kind
}

// kindPlural names a kind of entry in the plural, as a heading over hits.
func kindPlural(kind string) string {
	switch catalog.Kind(kind) {
	case catalog.KindDocument:
		return "Dokumenter"
	case catalog.KindFinding:
		return "Funn"
	case catalog.KindActivity:
		return "Dialog"
	case catalog.KindNeed:
		return "Behov"
	case catalog.KindTheme:
		return "Temaer"
	case catalog.KindConclusion:
		return "Konklusjoner"
	case catalog.KindPrinciple:
		return "NSM-prinsipper"
	case catalog.KindMeasure:
		return "NSM-tiltak"
	case catalog.KindCategory:
		return "NSM-kategorier"
	case catalog.KindTable:
		return "Tabeller"
	case catalog.KindIndicator:
		return "Indikatorer"
	}
	return kind
}

// entryURL returns the page of a catalogue entry; "" for kinds without one.
func entryURL(kind, id string) string {
	switch catalog.Kind(kind) {
	case catalog.KindDocument:
		return "/dokumenter/" + id
	case catalog.KindFinding:
		return "/funn/" + id
	case catalog.KindActivity:
		return "/dialog/" + id
	case catalog.KindNeed:
		return "/behov/" + id
	case catalog.KindTheme:
		return "/temaer/" + id
	case catalog.KindConclusion:
		return "/temaer#konklusjon-" + id
	case catalog.KindPrinciple:
		return "/nsm#prinsipp-" + id
	case catalog.KindMeasure:
		return "/nsm#tiltak-" + id
	case catalog.KindCategory:
		return "/nsm#kategori-" + id
	case catalog.KindTable:
		return "/tabeller/" + id
	case catalog.KindIndicator:
		return "/indikatorer/" + id
	}
	return ""
}

// accessibility is the accessibility statement.
func (s *Server) accessibility(w http.ResponseWriter, r *http.Request) error {
	p := &accessibilityPage{Contact: s.cfg.Contact}
	p.setBase("Tilgjengelighetserklæring", "")
	return s.render(w, http.StatusOK, p)
}
