package report

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/grunnlag/grunnlag/internal/analysis"
	"github.com/grunnlag/grunnlag/internal/catalog"
	"github.com/grunnlag/grunnlag/internal/store"
)

// The appendix's headings, which the report keeps.
const (
	headMethod    = "Datagrunnlag og metode"
	headDocuments = "Gjennomgang av dokumenter og statistikk"
	headDialogue  = "Samtaler og samarbeid med kommunal sektor"
	headAnalysis  = "Analyse og konklusjon fra dokumentasjonsgjennomgang og sektordialog"
	headSummary   = "Oppsummering"
	headChanges   = "Endringer i datagrunnlaget"
	headMissing   = "Manglende data"
	headNotes     = "Fotnoter"
)

// Options changes what the report holds.
type Options struct {
	// Compare adds a section with the indicators that changed since an
	// earlier data vintage; nil leaves it out.
	Compare *Comparison
	// IndicatorURL, when set, gives the address of an indicator's page on
	// the web site ("/indikatorer/ID"), and the footnote of every figure of
	// the indicator links there. A report written to a folder has no site
	// and leaves it nil.
	IndicatorURL func(id string) string
	// Survey adds a section with a closed round of the self-assessment
	// (LoadSurvey); nil leaves it out.
	Survey *Survey
}

// Comparison is an earlier data vintage to compare with.
type Comparison struct {
	// Label says in bokmål what the earlier vintage is, for the section's
	// text and footnote: "rapporten i rapport-2024/", "datagrunnlaget per
	// 31.01.2025".
	Label  string
	Before []analysis.Summary
}

// Report is a built report, ready to be written in any format.
type Report struct {
	doc     *document
	result  *analysis.Result
	pack    *catalog.Pack
	changes []analysis.Change
	compare *Comparison
	survey  *Survey
}

// Build builds the report from the pack and the analysis. It reads no
// clock and no map in unsorted order, so the same input gives the same
// report.
func Build(pack *catalog.Pack, res *analysis.Result, opts Options) *Report {
	b := &builder{pack: pack, res: res, opts: opts, fn: newFootnotes(), figIDs: map[string]int{}}
	r := &Report{result: res, pack: pack, compare: opts.Compare, survey: opts.Survey}
	if opts.Compare != nil {
		r.changes = analysis.Compare(opts.Compare.Before, res.Summaries())
	}
	doc := &document{
		Title:    "Situasjonsbilde: digital sikkerhet i kommunal sektor",
		Subtitle: []inline{txt("Metode og datagrunnlag, bygget fra kunnskapspakken og SSBs statistikk etter mønster av vedlegg E")},
	}
	doc.Sections = append(doc.Sections, b.method()...)
	doc.Sections = append(doc.Sections, b.documents()...)
	doc.Sections = append(doc.Sections, b.dialogue()...)
	doc.Sections = append(doc.Sections, b.analysis()...)
	doc.Sections = append(doc.Sections, b.summary())
	if opts.Survey != nil {
		doc.Sections = append(doc.Sections, b.survey(opts.Survey)...)
	}
	if opts.Compare != nil {
		doc.Sections = append(doc.Sections, b.changes(opts.Compare, r.changes))
	}
	doc.Sections = append(doc.Sections, b.missing())
	doc.Notes = b.fn.notes
	doc.Figures = b.figures
	doc.renumber()
	r.doc = doc
	return r
}

// Gaps returns what the report had to leave out for lack of data.
func (r *Report) Gaps() []analysis.Gap { return r.result.Gaps() }

// Changes returns the indicators that changed since the compared vintage.
func (r *Report) Changes() []analysis.Change { return r.changes }

type builder struct {
	pack    *catalog.Pack
	res     *analysis.Result
	opts    Options
	fn      *footnotes
	figures []*figure
	figIDs  map[string]int
}

// origin names where an entry is written in the pack, in the one form a
// reader can trace: "grunnlag/findings.yaml:365".
func origin(e catalog.Entry) string { return analysis.PackRef(e.Provenance()) }

// citation names a source the way a footnote does.
func (b *builder) citation(c catalog.Citation) string { return analysis.Citation(b.pack, c) }

func exact(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }

// constructed reports whether a snapshot is constructed test data, by the
// label every constructed snapshot carries in its title or source.
func constructed(s *store.Snapshot) bool { return analysis.Constructed(s.Title, s.Source) }

func (b *builder) method() []*section {
	s := &section{ID: "metode", Level: 2, Heading: headMethod}
	p := b.pack
	packNames := make([]string, len(p.Packs))
	for i, info := range p.Packs {
		packNames[i] = "«" + info.Name + "»"
		if info.Title != "" {
			packNames[i] += " (" + info.Title + ")"
		}
	}
	s.Blocks = append(s.Blocks, para{Inlines: []inline{txt(
		"Rapporten er bygget av grunnlag fra kunnskapspakken " + strings.Join(packNames, " og ") +
			" og SSB-tabellene som er lagret. Tekst som ikke er beregnet, er hentet fra kunnskapspakken. " +
			"Tall er beregnet fra datagrunnlaget, og hvert tall har en fotnote som viser hvor det kommer fra.")}})

	counts := b.fn.add("pakke:antall", fmt.Sprintf(
		"Talt opp i kunnskapspakken %s: %d dokumenter, %d SSB-tabeller, %d aktiviteter i sektordialogen, %d behov, %d funn og %d indikatorer.",
		strings.Join(packNames, " og "), len(p.Documents), len(p.Tables), len(p.Activities), len(p.Needs), len(p.Findings), len(p.Indicators)))
	n := func(k int) inline { return num(strconv.Itoa(k), strconv.Itoa(k)) }
	s.Blocks = append(s.Blocks, para{Inlines: []inline{sourced(counts,
		txt("Kunnskapsgrunnlaget består av "), n(len(p.Documents)), txt(" dokumenter, "), n(len(p.Tables)),
		txt(" SSB-tabeller, "), n(len(p.Activities)), txt(" aktiviteter i sektordialogen, "), n(len(p.Needs)),
		txt(" behov, "), n(len(p.Findings)), txt(" funn og "), n(len(p.Indicators)), txt(" indikatorer."))}})

	if !b.res.AsOf.IsZero() {
		s.Blocks = append(s.Blocks, para{Class: "merknad", Inlines: []inline{
			txt("Datagrunnlaget er SSB-tabellene slik de var lagret per "),
			when(analysis.DateTime(b.res.AsOf), isoTime(b.res.AsOf)), txt("."),
		}})
	}
	var made []inline
	for _, t := range b.res.Tables {
		if t.Snapshot != nil && constructed(t.Snapshot) {
			if len(made) > 0 {
				made = append(made, txt(", "))
			}
			made = append(made, ident(t.Table.ID))
		}
	}
	if len(made) > 0 {
		in := append([]inline{strong("Merk: "), txt("Datagrunnlaget inneholder øyeblikksbilder som er merket som konstruerte (tabell ")}, made...)
		in = append(in, txt("). Titlene under «Statistikk» sier hva som er konstruert; tall fra dem må ikke leses som SSBs tall."))
		s.Blocks = append(s.Blocks, para{Class: "merknad", Inlines: in})
	}
	s.Blocks = append(s.Blocks, para{Inlines: []inline{txt(
		"Hver indikator er beregnet for alle år tabellen har. Utsagnet gjelder det nyeste året med tall, og året vedlegg E " +
			"brukte står ved siden av som referanse. Der SSB har erstattet en tabell med en ny, fortsetter serien i den nye " +
			"tabellen med et markert brudd, fordi spørsmålene er stilt med ny ordlyd. Er ingen versjon av en tabell lagret, " +
			"bruker indikatoren tall som er publisert på en nettside, der kunnskapspakken har dem, merket med nettstedet de er lest fra.")}})
	s.Blocks = append(s.Blocks, para{Inlines: []inline{txt(
		"Andeler regnes om til antall kommuner eller fylkeskommuner med antallet det året (og i størrelsesklassen) " +
			"fra kunnskapspakken. Antallet forutsetter at andelen blant dem som svarte på SSBs undersøkelse, også gjelder " +
			"dem som ikke svarte. Som i vedlegget rundes antallet ned til hele tiere med «mer enn» foran; «minst» brukes når " +
			"antallet er et helt antall tiere, «færre enn ti» når det er under ti, og «ingen» for null. Den eksakte verdien " +
			"står i fotnoten.")}})
	s.Blocks = append(s.Blocks, para{Inlines: []inline{txt(
		"Hypotesene holdes mot tre uavhengige kildetyper: funn i dokumentene, statistikken og funn fra sektordialogen. " +
			"En indikator teller bare når den har et tall, og retningen følger av tallet: hver definisjon sier når tallet " +
			"støtter hypotesen. Vedleggets egne lesninger av SSB-tabellene og behovene fra workshopene vises, men telles ikke: " +
			"vedlegget kan ikke være belegg for sin egen hypotese, og et behov er et ønske, ikke en observasjon.")}})
	return []*section{s}
}

func (b *builder) documents() []*section {
	top := &section{ID: "dokumenter", Level: 2, Heading: headDocuments}
	out := []*section{top}
	groups := b.pack.DocumentGroups()
	var rows [][]string
	for _, g := range groups {
		rows = append(rows, []string{g.Kind.Heading, strconv.Itoa(len(g.Documents))})
	}
	rows = append(rows, []string{"I alt", strconv.Itoa(len(b.pack.Documents))})
	top.Blocks = append(top.Blocks, table{
		Caption: []inline{txt("Gjennomgåtte dokumenter etter kategori")},
		Fn: []int{b.fn.add("pakke:dokumenter", "Talt opp i kunnskapspakken: dokumentene etter vedleggets kategorier, i vedleggets rekkefølge. "+
			"Listene under gjengir hvert dokument slik vedlegget skriver det.")},
		Head:     [][]string{{"Kategori", "Dokumenter"}},
		Rows:     rows,
		RowHeads: 1,
	})
	for _, g := range groups {
		sec := &section{ID: "dokumenter-" + g.Kind.ID, Level: 3, Heading: g.Kind.Heading}
		if g.Kind.ID == "statistikk" {
			sec.Blocks = b.statisticsList()
		} else {
			var items [][]inline
			for _, d := range g.Documents {
				items = append(items, []inline{cite(d.AsWritten)})
			}
			if len(items) > 0 {
				sec.Blocks = append(sec.Blocks, list{Items: items})
			}
		}
		out = append(out, sec)
	}
	return out
}

// statisticsList lists the appendix's tables with the snapshot the
// analysis read, or says that there is none; then the tables that replaced
// them, each with its Norwegian title where one is known.
func (b *builder) statisticsList() []block {
	var items, successors [][]inline
	for _, t := range b.res.Tables {
		item := b.tableItem(t)
		if t.Table.SuccessorOf != "" {
			successors = append(successors, item)
			continue
		}
		items = append(items, item)
	}
	out := []block{
		para{Inlines: []inline{txt("Tabellene fra SSBs statistikk «Bruk av IKT i offentlig sektor» som vedlegget bygger på, og som grunnlag holder oppdatert:")}},
		list{Items: items},
	}
	if len(successors) > 0 {
		out = append(out, para{Inlines: []inline{txt("Tabeller som har erstattet noen av dem, og som seriene fortsetter i med et markert brudd:")}}, list{Items: successors})
	}
	return out
}

// tableItem describes one table: its id and Norwegian title, what it
// replaced, and the stored version.
func (b *builder) tableItem(t analysis.TableStatus) []inline {
	// The table's own id and title, not the appendix's list item: the
	// appendix writes «Tabell 2019» for table 12019.
	var item []inline
	title := b.tableTitle(t.Table.ID)
	switch {
	case title != "":
		item = append(item, cite("Tabell "+t.Table.ID+": «"+title+"»"))
	default:
		item = append(item, cite("Tabell "+t.Table.ID), txt(" (den norske tittelen er ikke kjent før tabellen er hentet)"))
	}
	if t.Table.SuccessorOf != "" {
		item = append(item, txt(", etterfølgeren til tabell "), ident(t.Table.SuccessorOf))
	}
	item = append(item, txt(". "))
	s := t.Snapshot
	if s == nil {
		return append(item, em("Ikke hentet ennå."))
	}
	info := s.Info()
	updated := "Sist oppdatert av SSB "
	if constructed(s) {
		updated = "Versjonen er merket som konstruert; oppdatert "
	}
	if s.Updated == "" {
		item = append(item, txt("Kilden oppgir ikke når tabellen sist ble oppdatert. "+capital(fetchedFrom(&info))+" "))
	} else {
		item = append(item, txt(updated), when(analysis.SourceDate(s.Updated), s.Updated), txt(", "+fetchedFrom(&info)+" "))
	}
	return append(item, when(analysis.DateTime(s.FetchedAt), isoTime(s.FetchedAt)), txt(". Tittel i den lagrede versjonen: "), cite(s.Title), txt("."))
}

func (b *builder) dialogue() []*section {
	top := &section{ID: "dialog", Level: 2, Heading: headDialogue}
	out := []*section{top}
	bySection := map[string]*section{}
	for _, a := range b.pack.Activities {
		sec := top
		if a.Section != headDialogue {
			sec = bySection[a.Section]
			if sec == nil {
				sec = &section{ID: "dialog-" + slug(a.Section), Level: 3, Heading: a.Section}
				bySection[a.Section] = sec
				out = append(out, sec)
			}
		}
		sec.Blocks = append(sec.Blocks, b.activity(a)...)
		if needs := b.needsOf(a.ID); len(needs) > 0 {
			sec.Blocks = append(sec.Blocks, para{Inlines: []inline{txt("Behov som gikk igjen i workshopene med kommunene:")}}, list{Items: needs})
		}
	}
	return out
}

func (b *builder) activityNote(a *catalog.Activity) int {
	text := fmt.Sprintf("Sektordialogen: «%s». %s. (aktivitet %s, %s)", a.Title, b.citation(a.Source), a.ID, origin(a))
	return b.fn.add(a.Ref().String(), text)
}

func (b *builder) activity(a *catalog.Activity) []block {
	fn := b.activityNote(a)
	in := []inline{strong(a.Title), txt(".")}
	if a.Period != nil {
		in = append(in, txt(" Periode: "+a.Period.Text+"."))
	}
	if a.Count != nil {
		what := a.Count.AsWritten
		if what == "" {
			what = a.Count.String()
		}
		in = append(in, txt(" Omfang: "+what+"."))
	}
	if a.Duration != nil {
		// Not AsWritten: the source's words ("på 3 timer") do not read
		// after "Varighet:".
		in = append(in, txt(" Varighet: "+a.Duration.String()+"."))
	}
	if len(a.Participants) > 0 {
		names := make([]string, len(a.Participants))
		for i, p := range a.Participants {
			names[i] = p.Name
		}
		in = append(in, txt(" Deltakere: "+strings.Join(names, ", ")+"."))
	}
	return []block{
		para{Inlines: []inline{sourced(fn, in...)}},
		quote{Inlines: []inline{txt(strings.TrimSpace(a.Quote))}, Fn: []int{fn}},
	}
}

// needsOf lists the needs raised in an activity, each with its footnote.
func (b *builder) needsOf(activity string) [][]inline {
	var items [][]inline
	for _, n := range b.pack.Needs {
		if n.Activity != activity {
			continue
		}
		items = append(items, []inline{sourced(b.needNote(n), txt(n.Text))})
	}
	return items
}

// needNote is a need's footnote: its words and where the appendix raises
// it.
func (b *builder) needNote(n *catalog.Need) int {
	return b.fn.add(n.Ref().String(), fmt.Sprintf("Behov «%s»: %s %s. (behov %s, %s)", n.Title, guillemets(n.Text), b.citation(n.Source), n.ID, origin(n)))
}

// slug turns a heading into an anchor: lowercase ASCII letters, digits and
// hyphens, with æ, ø and å spelled out.
func slug(s string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(s) {
		switch {
		case r >= 'a' && r <= 'z' || r >= '0' && r <= '9':
			b.WriteRune(r)
			dash = false
		case r == 'æ':
			b.WriteString("ae")
		case r == 'ø':
			b.WriteString("o")
		case r == 'å':
			b.WriteString("a")
		default:
			if !dash && b.Len() > 0 {
				b.WriteByte('-')
				dash = true
			}
		}
	}
	return strings.TrimSuffix(b.String(), "-")
}
