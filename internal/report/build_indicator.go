package report

import (
	"fmt"
	"net/url"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/grunnlag/grunnlag/internal/analysis"
	"github.com/grunnlag/grunnlag/internal/catalog"
	"github.com/grunnlag/grunnlag/internal/chart"
	"github.com/grunnlag/grunnlag/internal/pivot"
	"github.com/grunnlag/grunnlag/internal/store"
)

// maxViewCells is the largest table the report shows in full; a larger
// one is left to `grunnlag show`, which pages it.
const maxViewCells = 2000

// tableTitle returns a table's Norwegian title for the text: the pack's
// when it is Norwegian, else the stored snapshot's; "" when only a title in
// another language is known.
func (b *builder) tableTitle(id string) string {
	var snap *store.SnapshotInfo
	if ts, ok := b.res.Table(id); ok && ts.Snapshot != nil {
		info := ts.Snapshot.Info()
		snap = &info
	}
	return analysis.NorwegianTitle(b.pack, id, snap)
}

// tableName names a table in a footnote: "tabell 12618 «Tiltak …»".
func (b *builder) tableName(id string) string {
	if t := b.tableTitle(id); t != "" {
		return "tabell " + id + " «" + t + "»"
	}
	return "tabell " + id
}

// tableLink returns the address of the table's page at SSB as the pack's
// document for it gives it, or "".
func (b *builder) tableLink(id string) string {
	if d, ok := b.pack.DocumentForTable(id); ok {
		return d.URL
	}
	return ""
}

// fetchedFrom says how a snapshot reached the store, without a machine's
// path or an API's request: "hentet fra SSBs API", "importert fra filen
// «12041.json»".
func fetchedFrom(s *store.SnapshotInfo) string {
	switch src := s.Source; {
	case analysis.Constructed(s.Title, src):
		return "lagret som konstruerte testdata"
	case strings.HasPrefix(src, "http://") || strings.HasPrefix(src, "https://"):
		u, err := url.Parse(src)
		if err == nil && (u.Hostname() == "ssb.no" || strings.HasSuffix(u.Hostname(), ".ssb.no")) {
			return "hentet fra SSBs API"
		}
		host := "en annen server"
		if err == nil && u.Hostname() != "" {
			host = u.Hostname()
		}
		return "hentet fra PxWeb-tjenesten på " + host
	case src == "":
		return "kilden er ikke oppgitt"
	default:
		return "importert fra filen «" + filepath.Base(src) + "»"
	}
}

// snapshotText describes a snapshot for a footnote: who published it,
// SSB's update, the fetch, how it came, and the version's number.
func (b *builder) snapshotText(s *store.SnapshotInfo) string {
	text := fmt.Sprintf("Versjonen av tabellen: oppdatert av kilden %s, %s %s, lagret versjon nr. %d; tittel i versjonen «%s».",
		analysis.SourceDate(s.Updated), fetchedFrom(s), analysis.DateTime(s.FetchedAt), s.ID, s.Title)
	if link := b.tableLink(s.TableID); link != "" && !analysis.Constructed(s.Title, s.Source) {
		text += " Tabellen hos SSB: " + link + "."
	}
	return text
}

// selection describes the categories an indicator picked in a table,
// dimension by dimension: «label» (kode X).
func selection(resolved []analysis.ResolvedDimension, p *analysis.Point) string {
	var parts []string
	for _, d := range resolved {
		var cats []string
		switch d.Role {
		case analysis.RoleTime:
			if p == nil {
				continue
			}
			cats = []string{"«" + p.Year + "» (kode " + p.YearCode + ")"}
		case analysis.RoleSize:
			if p != nil && !p.Total {
				cats = []string{"«" + p.Class + "» (kode " + p.ClassCode + ")"}
				break
			}
			fallthrough
		default:
			for i := range d.Codes {
				cats = append(cats, "«"+d.Labels[i]+"» (kode "+d.Codes[i]+")")
			}
		}
		parts = append(parts, d.Label+": "+strings.Join(cats, " + ")) // summed categories
	}
	return strings.Join(parts, "; ")
}

// definitionText names an indicator's definition in the pack and says
// where its labels come from.
func definitionText(ind *analysis.Indicator) string {
	d := ind.Def
	labels := "sett på SSBs sider"
	if d.Labels == catalog.LabelsInferred {
		labels = "antatt, ikke sett hos SSB"
	}
	return fmt.Sprintf("Definisjonen: indikatoren «%s» i kunnskapspakken (%s); etikettene er %s.", d.ID, analysis.PackRef(d.Origin), labels)
}

// publishedText describes a published figure for a footnote: the mark,
// the figure, the page and, where the page is Norwegian, its words.
func publishedText(f *catalog.Published) string {
	cell := "«" + f.Variable + "»"
	if f.Category != "" {
		cell += ", «" + f.Category + "»"
	}
	text := fmt.Sprintf("%s: %s, %s, %d = %s %%.", capital(analysis.PublishedNote(f)), cell, f.Population, f.Year, analysis.Exact(f.Value))
	if f.Norwegian() && f.PageTitle != "" {
		text += fmt.Sprintf(" Siden «%s» skriver: %s", f.PageTitle, sentence(guillemets(strings.TrimSpace(f.Quote))))
	}
	return text + " Side: " + f.Page + "."
}

// sentence ends a sentence that ends in a quote: a quote that ends its own
// sentence («… fra 2022.») takes no second full stop.
func sentence(s string) string {
	if strings.HasSuffix(s, ".»") || strings.HasSuffix(s, "?»") || strings.HasSuffix(s, "!»") {
		return s
	}
	return s + "."
}

func capital(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// pointNote is the footnote of one figure of an indicator: where it comes
// from, the cells and their labels, each step of the arithmetic, the count
// used and its source, and the definition.
func (b *builder) pointNote(ind *analysis.Indicator, p *analysis.Point) int {
	seg := ind.SegmentOf(p)
	table := seg.Reading.Table
	key := fmt.Sprintf("punkt:%s:%s:%s:%s", ind.Def.ID, table, p.YearCode, p.ClassCode)
	var steps []string
	if p.Published != nil {
		steps = append(steps, publishedText(p.Published))
	} else {
		steps = append(steps, fmt.Sprintf("%s, %s. Utvalg: %s.", capital(analysis.TableSource(table, seg.Snapshot.Title, seg.Snapshot.Source)), strings.TrimPrefix(b.tableName(table), "tabell "+table+" "), selection(seg.Resolved, p)))
		var cells []string
		for _, c := range p.Cells {
			cells = append(cells, fmt.Sprintf("nr. %d = %s", c.Index, analysis.Exact(c.Value)))
		}
		steps = append(steps, "Celle: "+strings.Join(cells, ", ")+".")
	}
	ep := pointExplanation(b.pack, ind, p)
	if len(ep.Steps) > 0 {
		steps = append(steps, "Utregning: "+strings.TrimSuffix(strings.Join(ep.Steps, "; "), ".")+".")
	}
	if ep.Count != "" {
		steps = append(steps, "Antallet: "+ep.Count)
	}
	if seg.Snapshot != nil {
		steps = append(steps, b.snapshotText(seg.Snapshot))
	}
	steps = append(steps, definitionText(ind))
	return b.fn.addLink(key, strings.Join(steps, " "), b.indicatorLink(ind.Def.ID))
}

// pointExplanation returns the steps of one figure, as the indicator page
// shows them, so the footnote and the page say the same.
func pointExplanation(pack *catalog.Pack, ind *analysis.Indicator, p *analysis.Point) analysis.ExplainedPoint {
	return analysis.ExplainPoint(pack, ind, p)
}

// indicatorLink is the address of the indicator's own page, when the
// report is told where the site is.
func (b *builder) indicatorLink(id string) string {
	if b.opts.IndicatorURL == nil {
		return ""
	}
	return b.opts.IndicatorURL(id)
}

// seriesNote is the footnote of an indicator's trend or size classes.
func (b *builder) seriesNote(key, what string, ind *analysis.Indicator, pts []analysis.Point) int {
	var vals []string
	for _, p := range pts {
		label := p.Year
		if !p.Total {
			label = p.Class
		}
		v := "mangler"
		if p.OK {
			v = analysis.Percent(p.Share)
		}
		switch {
		case !strings.Contains(ind.Def.Statement, "{antall}"):
			// The statement gives the share; no number to account for.
		case p.Estimate != nil:
			v += fmt.Sprintf(", %s av %d = %s", analysis.Percent(p.Share), p.Estimate.Base, analysis.Number(p.Estimate.Exact, 3))
		case p.OK && p.EstimateMissing != "":
			v += ", antall ikke beregnet: " + p.EstimateMissing
		}
		seg := ind.SegmentOf(&p)
		switch {
		case p.Published != nil:
			v += " (" + analysis.PublishedNote(p.Published) + ", " + p.Published.Page + ")"
		case len(ind.Segments) > 1:
			v += " (tabell " + seg.Reading.Table + ")"
		}
		vals = append(vals, "«"+label+"»: "+v)
	}
	var parts []string
	for _, seg := range ind.Segments {
		switch seg.Source {
		case analysis.FromSnapshot:
			parts = append(parts, fmt.Sprintf("%s, %s. Utvalg: %s. %s", capital(analysis.TableSource(seg.Reading.Table, seg.Snapshot.Title, seg.Snapshot.Source)), strings.TrimPrefix(b.tableName(seg.Reading.Table), "tabell "+seg.Reading.Table+" "), selection(seg.Resolved, nil), b.snapshotText(seg.Snapshot)))
		case analysis.FromPublished:
			parts = append(parts, fmt.Sprintf("Tabell %s: ingen versjon er lagret, så tallene er %s.", seg.Reading.Table, analysis.PublishedNote(seg.Published[0])))
		}
	}
	if before, after, ok := ind.Break(); ok {
		parts = append(parts, analysis.BreakText(ind, before, after))
	}
	text := fmt.Sprintf("%s. %s Verdier: %s. %s", capital(what), strings.Join(parts, " "), strings.Join(vals, "; "), definitionText(ind))
	return b.fn.addLink(key, text, b.indicatorLink(ind.Def.ID))
}

func (b *builder) classesNote(ind *analysis.Indicator) int {
	return b.seriesNote("klasser:"+ind.Def.ID, "størrelsesklassene i "+ind.Headline.Year, ind, ind.Classes)
}

func (b *builder) definitionNote(ind *analysis.Indicator) int {
	return b.fn.addLink("definisjon:"+ind.Def.Ref().String(), fmt.Sprintf("Indikatoren «%s» i kunnskapspakken (%s); kilden til definisjonens etiketter: %s.", ind.Def.Title, analysis.PackRef(ind.Def.Origin), analysis.Citation(b.pack, ind.Def.Source)), b.indicatorLink(ind.Def.ID))
}

// figureID returns a unique id for a figure.
func (b *builder) figureID(base string) string {
	b.figIDs[base]++
	if n := b.figIDs[base]; n > 1 {
		return fmt.Sprintf("%s-%d", base, n)
	}
	return base
}

// statementInlines turns a statement's parts into inlines with their
// exact values.
func statementInlines(parts []analysis.Part, p *analysis.Point) []inline {
	var in []inline
	for _, part := range parts {
		switch part.Kind {
		case analysis.CountPart:
			in = append(in, num(part.Text, exact(p.Estimate.Exact)))
		case analysis.SharePart:
			in = append(in, num(part.Text, exact(p.Share)))
		case analysis.YearPart:
			in = append(in, when(part.Text, p.YearCode))
		default:
			in = append(in, txt(part.Text))
		}
	}
	return in
}

// figureWords words a figure as its statement does, as a sourced number.
func figureWords(ind *analysis.Indicator, p *analysis.Point) inline {
	if p.Estimate != nil && strings.Contains(ind.Def.Statement, "{antall}") {
		return num(analysis.FigureWords(ind, p), exact(p.Estimate.Exact))
	}
	return num(analysis.FigureWords(ind, p), exact(p.Share))
}

// indicator writes an indicator: its newest statement, the appendix's
// year beside it, the appendix's reading held against it, the direction
// it points in, its trend across tables and its size classes, or what is
// missing.
func (b *builder) indicator(ind *analysis.Indicator) []block {
	d := ind.Def
	out := []block{para{Inlines: []inline{strong(d.Title)}}}
	if d.Description != "" {
		out = append(out, para{Inlines: []inline{sourced(b.definitionNote(ind), txt(strings.TrimSpace(d.Description)))}})
	}
	if ind.Status != analysis.OK {
		out = append(out, para{Class: "mangler", Inlines: []inline{strong("Statistikk mangler: "), sourced(b.definitionNote(ind), txt(ind.Problem))}})
		if c := analysis.CheckText(ind); c != "" {
			out = append(out, para{Class: "merknad", Inlines: []inline{sourced(b.findingNote(ind.Check.Finding), txt(c))}})
		}
		return out
	}
	h := ind.Headline
	fn := b.pointNote(ind, h)
	if ind.Statement == nil {
		out = append(out, para{Class: "mangler", Inlines: []inline{
			sourced(fn, txt("Andelen er "), num(analysis.Percent(h.Share), exact(h.Share)), txt(" ("), when(h.Year, h.YearCode), txt(").")),
			txt(" "), sourced(b.definitionNote(ind), txt(ind.StatementMissing)),
		}})
	} else {
		in := []inline{sourced(fn, statementInlines(ind.Statement, h)...)}
		if f := h.Published; f != nil {
			in = append(in, txt(" "), em("("+analysis.PublishedNote(f)+")"))
		}
		out = append(out, para{Class: "utsagn", Inlines: in})
	}
	out = append(out, b.reference(ind)...)
	out = append(out, b.directions(ind)...)
	out = append(out, b.comparison(ind)...)
	out = append(out, b.trend(ind)...)
	if len(ind.Classes) > 0 {
		out = append(out, b.classBlocks(ind)...)
	}
	return out
}

// leadWords is analysis.ReferenceLead without the year, which the report
// marks up as a time.
func leadWords(ind *analysis.Indicator) string {
	lead, _, _ := strings.Cut(analysis.ReferenceLead(ind), " (")
	return lead
}

// reference sets the figure of the appendix's year beside the newest, and
// holds it against the appendix's own reading.
func (b *builder) reference(ind *analysis.Indicator) []block {
	a := ind.Def.Appendix
	if a == nil {
		return nil
	}
	h, r := ind.Headline, ind.Reference
	year := strconv.Itoa(a.Year)
	var out []block
	switch {
	case r == nil:
		out = append(out, para{Class: "mangler", Inlines: []inline{sourced(b.definitionNote(ind),
			txt("Tallet for vedleggets år ("), when(year, year), txt(") mangler: "+ind.ReferenceMissing+"."))}})
	case r == h:
		out = append(out, para{Inlines: []inline{sourced(b.pointNote(ind, r),
			txt(leadWords(ind)+" ("), when(year, year), txt("): "), figureWords(ind, r), txt("; det er også det nyeste året med tall."))}})
	default:
		rfn := b.pointNote(ind, r)
		out = append(out, para{Inlines: []inline{sourcedAll([]int{rfn, b.pointNote(ind, h)},
			txt(leadWords(ind)+" ("), when(year, year), txt("): "), figureWords(ind, r),
			txt("; nyeste ("), when(h.Year, h.YearCode), txt("): "), figureWords(ind, h), txt("."))}})
		if ind.ReferenceStatement != nil {
			lead := "Utsagnet for vedleggets år: "
			if c := ind.Check; c != nil && c.Known && c.Holds {
				lead = "Utsagnet for vedleggets år, som i vedlegg E: "
			}
			in := []inline{txt(lead), sourced(rfn, statementInlines(ind.ReferenceStatement, r)...)}
			if f := r.Published; f != nil {
				in = append(in, txt(" "), em("("+analysis.PublishedNote(f)+")"))
			}
			out = append(out, para{Inlines: in})
		}
	}
	if c := ind.Check; c != nil {
		fns := []int{b.findingNote(c.Finding)}
		if r != nil {
			fns = append(fns, b.pointNote(ind, r))
		}
		class := ""
		if c.Known && !c.Holds {
			class = "merknad"
		}
		out = append(out, para{Class: class, Inlines: []inline{sourcedAll(fns, txt(analysis.CheckText(ind)))}})
	}
	return out
}

// directions says which way the newest figure points for each theme, by
// the rule of the definition.
func (b *builder) directions(ind *analysis.Indicator) []block {
	h := ind.Headline
	var items [][]inline
	for i := range ind.Def.Evidence {
		e := &ind.Def.Evidence[i]
		theme := e.Theme
		if t, ok := b.pack.Theme(e.Theme); ok {
			theme = t.Title
		}
		in := []inline{txt("«" + theme + "»: ")}
		if e.When == nil || e.Supports == catalog.Neutral {
			in = append(in, txt("tallet peker ingen vei for hypotesen."))
		} else {
			in = append(in, txt(analysis.DirectionText(e.Direction(h.Share))+" (andelen er "), num(analysis.Percent(h.Share), exact(h.Share)),
				txt("; regelen: "+analysis.RuleText(e)+")."))
		}
		items = append(items, []inline{sourcedAll([]int{b.pointNote(ind, h), b.definitionNote(ind)}, in...)})
	}
	if len(items) == 0 {
		return nil
	}
	return []block{para{Inlines: []inline{txt("Retningen det nyeste tallet peker i:")}}, list{Items: items}}
}

// comparison sets the indicator beside the one its definition compares
// it with, when both have a figure for the same year.
func (b *builder) comparison(ind *analysis.Indicator) []block {
	other, ok := b.res.Indicator(ind.Def.CompareWith)
	if !ok || other.Headline == nil {
		return nil
	}
	h, o := ind.Headline, other.Headline
	if h.Year != o.Year {
		return nil
	}
	diff := h.Share - o.Share
	return []block{para{Inlines: []inline{sourcedAll([]int{b.pointNote(ind, h), b.pointNote(other, o)},
		txt("Sammenlignet med «"+other.Def.Title+"» ("), when(h.Year, h.YearCode), txt("): "),
		num(analysis.Percent(h.Share), exact(h.Share)), txt(" mot "), num(analysis.Percent(o.Share), exact(o.Share)),
		txt(", en forskjell på "), num(analysis.Points(diff), exact(diff)), txt("."))}}}
}

// trend shows every year of the series in a table and a chart, with the
// break between tables marked, and the change within the newest table.
func (b *builder) trend(ind *analysis.Indicator) []block {
	okPoints := 0
	for _, p := range ind.Trend {
		if p.OK {
			okPoints++
		}
	}
	if okPoints < 2 {
		return nil
	}
	d := ind.Def
	tfn := b.seriesNote("trend:"+d.ID, "alle år i tabellene", ind, ind.Trend)
	var out []block
	if first, last, ok := ind.Change(); ok {
		out = append(out, para{Inlines: []inline{sourced(tfn,
			txt("Andelen var "), num(analysis.Percent(first.Share), exact(first.Share)), txt(" i "), when(first.Year, first.YearCode),
			txt(" og "), num(analysis.Percent(last.Share), exact(last.Share)), txt(" i "), when(last.Year, last.YearCode),
			txt(", en endring på "), num(analysis.Points(last.Share-first.Share), exact(last.Share-first.Share)), txt("."))}})
	}
	before, after, broken := ind.Break()
	if broken {
		out = append(out, para{Class: "merknad", Inlines: []inline{sourced(tfn, txt(analysis.BreakText(ind, before, after)))}})
	}
	unit := "kommuner"
	if d.Population == catalog.CountyMunicipalities {
		unit = "fylkeskommuner"
	}
	// The number of municipalities is shown where the statement gives one.
	showCount := d.ShareOf == "" && strings.Contains(d.Statement, "{antall}")
	var rows [][]string
	for i, p := range ind.Trend {
		seg := ind.SegmentOf(&p)
		share, count, note := "mangler", "", ""
		if p.OK {
			share = analysis.Percent(p.Share)
		}
		if p.Estimate != nil {
			count = p.Estimate.Phrase + " (" + analysis.Number(p.Estimate.Exact, 1) + " av " + strconv.Itoa(p.Estimate.Base) + ")"
		}
		if i > 0 && p.Segment != ind.Trend[i-1].Segment {
			note = "brudd: ny tabell med endret ordlyd"
		}
		if p.Published != nil {
			note = strings.TrimPrefix(note+"; ", "; ") + analysis.PublishedNote(p.Published)
		}
		row := []string{p.Year, seg.Reading.Table, share, count, note}
		if !showCount {
			row = []string{p.Year, seg.Reading.Table, share, note}
		}
		rows = append(rows, row)
	}
	head := []string{"År", "Tabell", "Andel", "Antall " + unit, "Merknad"}
	if !showCount {
		head = []string{"År", "Tabell", "Andel", "Merknad"}
	}
	out = append(out, table{
		Caption: []inline{txt(d.Title + " etter år")},
		Fn:      []int{tfn},
		Head:    [][]string{head},
		Rows:    rows, RowHeads: 1,
	})
	out = append(out, b.trendFigure(ind, tfn, broken))
	return out
}

func (b *builder) sourceLine(ind *analysis.Indicator, p *analysis.Point) string {
	seg := ind.SegmentOf(p)
	switch seg.Source {
	case analysis.FromPublished:
		return "Kilde: " + analysis.PublishedNote(seg.Published[0]) + ", tabell " + seg.Reading.Table + "."
	case analysis.FromSnapshot:
		s := seg.Snapshot
		return fmt.Sprintf("Kilde: %s, oppdatert %s, hentet %s.", analysis.TableSource(s.TableID, s.Title, s.Source), analysis.SourceDate(s.Updated), analysis.DateTime(s.FetchedAt))
	}
	return ""
}

// trendFigure draws the trend: a line over the years of one table, or,
// when the series changes table, a bar per year labelled with its table,
// so the chart draws no line across the break.
func (b *builder) trendFigure(ind *analysis.Indicator, fn int, broken bool) *figure {
	d := ind.Def
	common := chart.Common{
		ID: b.figureID("figur-" + d.ID + "-ar"), Title: d.Title + ", etter år",
		Unit: "%", Decimals: 1, Source: b.sourceLine(ind, ind.Headline),
	}
	var desc []string
	var svg []byte
	if broken {
		common.Title += " (brudd i serien)"
		common.XLabel, common.YLabel = "Andel (prosent)", "År og tabell"
		c := &chart.Bars{Common: common}
		for _, p := range ind.Trend {
			label := p.Year + " (tabell " + ind.SegmentOf(&p).Reading.Table + ")"
			c.Items = append(c.Items, chart.Item{Label: label, Value: p.Share, OK: p.OK})
			desc = append(desc, label+": "+shareOrMissing(p))
		}
		c.Desc = "Stolpediagram, én stolpe per år; tallene før og etter bruddet er ikke direkte sammenlignbare. " + strings.Join(desc, "; ") + ". " + c.Source
		common = c.Common
		svg = c.SVG()
	} else {
		common.XLabel, common.YLabel = "År", "Andel (prosent)"
		c := &chart.Lines{Common: common}
		ser := chart.Series{Name: d.Title}
		for _, p := range ind.Trend {
			c.X = append(c.X, p.Year)
			ser.Values = append(ser.Values, p.Share)
			ser.OK = append(ser.OK, p.OK)
			desc = append(desc, p.Year+": "+shareOrMissing(p))
		}
		c.Series = []chart.Series{ser}
		c.Desc = "Linjediagram. " + strings.Join(desc, "; ") + ". " + c.Source
		common = c.Common
		svg = c.SVG()
	}
	f := &figure{Name: common.ID + ".svg", Title: common.Title, SVG: svg, Caption: []inline{txt(common.Title + ".")}, Fn: []int{fn}}
	b.figures = append(b.figures, f)
	return f
}

func shareOrMissing(p analysis.Point) string {
	if p.OK {
		return analysis.Percent(p.Share)
	}
	return "mangler"
}

func (b *builder) classBlocks(ind *analysis.Indicator) []block {
	d := ind.Def
	fn := b.classesNote(ind)
	h := ind.Headline
	c := &chart.Bars{Common: chart.Common{
		ID: b.figureID("figur-" + d.ID + "-storrelse"), Title: d.Title + ", etter antall innbyggere, " + h.Year,
		XLabel: "Andel (prosent)", YLabel: "Antall innbyggere", Unit: "%", Decimals: 1, Source: b.sourceLine(ind, h),
	}}
	rows := [][]string{}
	var desc []string
	for _, p := range ind.Classes {
		c.Items = append(c.Items, chart.Item{Label: p.Class, Value: p.Share, OK: p.OK})
		share, count := "mangler", ""
		if p.OK {
			share = analysis.Percent(p.Share)
			count = "ikke beregnet"
		}
		if p.Estimate != nil {
			count = p.Estimate.Phrase + " (" + analysis.Number(p.Estimate.Exact, 1) + " av " + fmt.Sprint(p.Estimate.Base) + ")"
		}
		rows = append(rows, []string{p.Class, share, count})
		desc = append(desc, p.Class+": "+share)
	}
	total := "Alle"
	for _, r := range ind.Resolved {
		if r.Role == analysis.RoleSize && len(r.Labels) == 1 {
			total = r.Labels[0]
		}
	}
	c.Items = append(c.Items, chart.Item{Label: total, Value: h.Share, OK: true, Total: true})
	totalCount := ""
	if h.Estimate != nil {
		totalCount = h.Estimate.Phrase + " (" + analysis.Number(h.Estimate.Exact, 1) + " av " + fmt.Sprint(h.Estimate.Base) + ")"
	}
	rows = append(rows, []string{total, analysis.Percent(h.Share), totalCount})
	desc = append(desc, total+": "+analysis.Percent(h.Share))
	c.Desc = "Stolpediagram. " + strings.Join(desc, "; ") + ". " + c.Source
	f := &figure{Name: c.ID + ".svg", Title: c.Title, SVG: c.SVG(), Caption: []inline{txt(c.Title + ".")}, Fn: []int{fn}}
	b.figures = append(b.figures, f)
	unit := "kommuner"
	if d.Population == catalog.CountyMunicipalities {
		unit = "fylkeskommuner"
	}
	out := []block{f, table{
		Caption:  []inline{txt(d.Title + " etter antall innbyggere (" + h.Year + ")")},
		Fn:       []int{fn, b.pointNote(ind, h)},
		Head:     [][]string{{"Antall innbyggere", "Andel", "Antall " + unit}},
		Rows:     rows,
		RowHeads: 1,
	}}
	if s := ind.Spread; s != nil {
		out = append(out, para{Inlines: []inline{sourced(fn,
			txt("Forskjellen mellom størrelsesklassene er "), num(analysis.Number(s.Diff, 1)+"\u00a0prosentpoeng", exact(s.Diff)),
			txt(": høyest i «"+s.High.Class+"» ("), num(analysis.Percent(s.High.Share), exact(s.High.Share)),
			txt("), lavest i «"+s.Low.Class+"» ("), num(analysis.Percent(s.Low.Share), exact(s.Low.Share)), txt(")."))}})
	}
	return out
}

// tableView shows a table's whole snapshot the way SSB's table view does:
// years across, the other dimensions down.
func (b *builder) tableView(ts analysis.TableStatus) []block {
	s := ts.Snapshot
	if s == nil || s.Data == nil {
		return nil
	}
	info := s.Info()
	fn := b.fn.add("tabell:"+ts.Table.ID, fmt.Sprintf("%s, alle celler i den lagrede versjonen. %s",
		capital(analysis.TableSource(ts.Table.ID, s.Title, s.Source)), b.snapshotText(&info)))
	title := b.tableTitle(ts.Table.ID)
	caption := []inline{txt("SSB-tabell " + ts.Table.ID)}
	if title != "" {
		caption = []inline{txt("SSB-tabell " + ts.Table.ID + ": " + title)}
	}
	if s.Cells() > maxViewCells {
		return []block{para{Inlines: []inline{sourced(fn, txt(fmt.Sprintf("Tabell %s har %d celler, for mange til å vises her; «grunnlag show %s» viser dem.", ts.Table.ID, s.Cells(), ts.Table.ID)))}}}
	}
	pt, err := pivot.Build(s.Data, pivot.Default(s.Data))
	if err != nil {
		return []block{para{Class: "mangler", Inlines: []inline{sourced(fn, txt("Tabellen kan ikke vises: dimensjonene passer ikke sammen."))}}}
	}
	// One header row per column dimension; the last one names the row
	// dimensions above their columns, the others name their own dimension.
	nr := len(pt.Rows.Dims)
	head := make([][]string, len(pt.Cols.Dims))
	for k := range pt.Cols.Dims {
		row := make([]string, nr)
		if k == len(pt.Cols.Dims)-1 {
			for j, d := range pt.Rows.Dims {
				row[j] = d.Label
			}
		} else if nr > 0 {
			row[nr-1] = pt.Cols.Dims[k].Label
		}
		for _, labels := range pt.Cols.Labels {
			row = append(row, labels[k])
		}
		head[k] = row
	}
	var rows [][]string
	for i, labels := range pt.Rows.Labels {
		row := append([]string(nil), labels...)
		// Like SSB's table view, a row label repeats only where it changes.
		for k := 0; i > 0 && k < len(row)-1 && labels[k] == pt.Rows.Labels[i-1][k]; k++ {
			row[k] = ""
		}
		for _, c := range pt.Cells[i] {
			row = append(row, pivot.Format(c))
		}
		rows = append(rows, row)
	}
	for _, f := range pt.Fixed {
		caption = append(caption, txt("; "+f.Dim.Label+": "+f.Category.Label))
	}
	return []block{table{Caption: caption, Fn: []int{fn}, Head: head, Rows: rows, RowHeads: len(pt.Rows.Dims)}}
}

// isoTime is the machine form of a time in a <time> element.
func isoTime(t time.Time) string { return t.UTC().Format(time.RFC3339) }
