package report

import (
	"fmt"
	"strings"

	"github.com/grunnlag/grunnlag/internal/analysis"
	"github.com/grunnlag/grunnlag/internal/catalog"
	"github.com/grunnlag/grunnlag/internal/chart"
	"github.com/grunnlag/grunnlag/internal/pivot"
	"github.com/grunnlag/grunnlag/internal/store"
)

// maxViewCells is the largest table the report shows in full; a larger
// one is left to `grunnlag show`, which pages it.
const maxViewCells = 2000

// snapshotText describes a snapshot for a footnote: SSB's update, the
// fetch, the title and the address it came from.
func snapshotText(s *store.SnapshotInfo) string {
	return fmt.Sprintf("Oppdatert %s; hentet %s; tittel i datagrunnlaget «%s»; adresse %s; øyeblikksbilde %d.",
		s.Updated, stamp(s.FetchedAt), s.Title, s.Source, s.ID)
}

// selection describes the categories an indicator picked, dimension by
// dimension: «label» (kode X).
func selection(ind *analysis.Indicator, p *analysis.Point) string {
	var parts []string
	for _, d := range ind.Resolved {
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

func definitionText(ind *analysis.Indicator) string {
	d := ind.Def
	labels := "sett på SSBs sider"
	if d.Labels == catalog.LabelsInferred {
		labels = "antatt, ikke sett hos SSB"
	}
	return fmt.Sprintf("Definisjon: indikator «%s» (%s); etikettene er %s.", d.ID, origin(d), labels)
}

// pointNote is the footnote of one figure of an indicator: the table, the
// cells and their labels, the year, how the share became a number, and
// the snapshot's dates.
func (b *builder) pointNote(ind *analysis.Indicator, p *analysis.Point) int {
	key := fmt.Sprintf("punkt:%s:%s:%s", ind.Def.ID, p.YearCode, p.ClassCode)
	title := ind.Def.Table
	if t, ok := b.pack.Table(ind.Def.Table); ok {
		title = t.Title
	}
	var cells []string
	for _, c := range p.Cells {
		cells = append(cells, fmt.Sprintf("nr. %d = %s", c.Index, analysis.Number(c.Value, 1)))
	}
	share := analysis.Percent(p.Share)
	if ind.Def.CombineOrDefault() == catalog.Complement {
		share += " (100 minus summen av cellene: andelen som ikke har det tabellen teller)"
	} else if len(p.Cells) > 1 {
		share += " (summen av cellene)"
	}
	count := "Antall: ikke beregnet, fordi " + p.EstimateMissing + "."
	if e := p.Estimate; e != nil {
		unit := "kommuner"
		if ind.Def.Population == catalog.CountyMunicipalities {
			unit = "fylkeskommuner"
		}
		class := ""
		if !p.Total {
			class = " i størrelsesklassen"
		}
		count = fmt.Sprintf("Antall: %s av %d %s%s i %d = %s, skrevet «%s». Antallet %s er «%s» i counts.yaml (kilde: %s; %s).",
			analysis.Percent(p.Share), e.Base, unit, class, p.YearNum, analysis.Number(e.Exact, 3), e.Phrase,
			unit, e.Count.ID, b.citation(e.Count.Source), map[catalog.CountBasis]string{catalog.Seen: "sett i kilden", catalog.Derived: "avledet"}[e.Count.Basis])
	}
	text := fmt.Sprintf("%s «%s». Utvalg: %s. Celle: %s. Andel: %s. %s %s %s",
		tableSource(ind.Def.Table, ind.Snapshot.Title, ind.Snapshot.Source), title, selection(ind, p), strings.Join(cells, ", "), share, count, snapshotText(ind.Snapshot), definitionText(ind))
	return b.fn.add(key, text)
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
		if p.Estimate != nil {
			v += fmt.Sprintf(", %s av %d = %s (%s)", analysis.Percent(p.Share), p.Estimate.Base, analysis.Number(p.Estimate.Exact, 3), p.Estimate.Count.ID)
		} else if p.OK && p.EstimateMissing != "" {
			v += ", antall ikke beregnet: " + p.EstimateMissing
		}
		vals = append(vals, "«"+label+"»: "+v)
	}
	text := fmt.Sprintf("%s, %s. Utvalg: %s. Verdier: %s. %s %s",
		tableSource(ind.Def.Table, ind.Snapshot.Title, ind.Snapshot.Source), what, selection(ind, nil), strings.Join(vals, "; "), snapshotText(ind.Snapshot), definitionText(ind))
	return b.fn.add(key, text)
}

func (b *builder) classesNote(ind *analysis.Indicator) int {
	return b.seriesNote("klasser:"+ind.Def.ID, "størrelsesklassene i "+ind.Headline.Year, ind, ind.Classes)
}

func (b *builder) definitionNote(ind *analysis.Indicator) int {
	return b.fn.add("definisjon:"+ind.Def.Ref().String(), fmt.Sprintf("Indikatoren «%s» i kunnskapspakken (%s); definisjonens kilde: %s.", ind.Def.Title, origin(ind.Def), b.citation(ind.Def.Source)))
}

// figureID returns a unique id for a figure.
func (b *builder) figureID(base string) string {
	b.figIDs[base]++
	if n := b.figIDs[base]; n > 1 {
		return fmt.Sprintf("%s-%d", base, n)
	}
	return base
}

// indicator writes an indicator: its statement, its description, its trend
// and its size classes, or what is missing.
func (b *builder) indicator(ind *analysis.Indicator) []block {
	d := ind.Def
	out := []block{para{Inlines: []inline{strong(d.Title)}}}
	if d.Description != "" {
		out = append(out, para{Inlines: []inline{sourced(b.definitionNote(ind), txt(strings.TrimSpace(d.Description)))}})
	}
	if ind.Status != analysis.OK {
		out = append(out, para{Class: "mangler", Inlines: []inline{strong("Mangler data: "), sourced(b.definitionNote(ind), txt(ind.Problem))}})
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
		var in []inline
		for _, p := range ind.Statement {
			switch p.Kind {
			case analysis.CountPart:
				in = append(in, num(p.Text, exact(h.Estimate.Exact)))
			case analysis.SharePart:
				in = append(in, num(p.Text, exact(h.Share)))
			case analysis.YearPart:
				in = append(in, when(p.Text, h.YearCode))
			default:
				in = append(in, txt(p.Text))
			}
		}
		out = append(out, para{Class: "utsagn", Inlines: []inline{sourced(fn, in...)}})
	}
	if first, last, ok := ind.Change(); ok {
		tfn := b.seriesNote("trend:"+d.ID, "alle år i tabellen", ind, ind.Trend)
		out = append(out, para{Inlines: []inline{sourced(tfn,
			txt("Andelen var "), num(analysis.Percent(first.Share), exact(first.Share)), txt(" i "), when(first.Year, first.YearCode),
			txt(" og "), num(analysis.Percent(last.Share), exact(last.Share)), txt(" i "), when(last.Year, last.YearCode),
			txt(", en endring på "), num(analysis.Points(last.Share-first.Share), exact(last.Share-first.Share)), txt("."))}})
		out = append(out, b.trendFigure(ind, tfn))
	}
	if len(ind.Classes) > 0 {
		out = append(out, b.classBlocks(ind)...)
	}
	return out
}

func sourceLine(ind *analysis.Indicator) string {
	s := ind.Snapshot
	return fmt.Sprintf("Kilde: %s, oppdatert %s, hentet %s. %s", tableSource(ind.Def.Table, s.Title, s.Source), s.Updated, stamp(s.FetchedAt), s.Title)
}

// tableSource names the source of a table's figures: SSB, unless the
// snapshot is marked as constructed, which then says so first.
func tableSource(id, title, source string) string {
	if constructedText(title + " " + source) {
		return "tabell " + id + " i et øyeblikksbilde merket som konstruert"
	}
	return "SSB, tabell " + id
}

func (b *builder) trendFigure(ind *analysis.Indicator, fn int) *figure {
	d := ind.Def
	c := &chart.Lines{Common: chart.Common{
		ID: b.figureID("figur-" + d.ID + "-ar"), Title: d.Title + ", etter år",
		XLabel: "År", YLabel: "Andel (prosent)", Unit: "%", Decimals: 1, Source: sourceLine(ind),
	}}
	ser := chart.Series{Name: d.Title}
	var desc []string
	for _, p := range ind.Trend {
		c.X = append(c.X, p.Year)
		ser.Values = append(ser.Values, p.Share)
		ser.OK = append(ser.OK, p.OK)
		if p.OK {
			desc = append(desc, p.Year+": "+analysis.Percent(p.Share))
		} else {
			desc = append(desc, p.Year+": mangler")
		}
	}
	c.Series = []chart.Series{ser}
	c.Desc = "Linjediagram. " + strings.Join(desc, "; ") + ". " + c.Source
	f := &figure{Name: c.ID + ".svg", Title: c.Title, SVG: c.SVG(), Caption: []inline{txt(c.Title + ".")}, Fn: []int{fn}}
	b.figures = append(b.figures, f)
	return f
}

func (b *builder) classBlocks(ind *analysis.Indicator) []block {
	d := ind.Def
	fn := b.classesNote(ind)
	h := ind.Headline
	c := &chart.Bars{Common: chart.Common{
		ID: b.figureID("figur-" + d.ID + "-storrelse"), Title: d.Title + ", etter antall innbyggere, " + h.Year,
		XLabel: "Andel (prosent)", YLabel: "Antall innbyggere", Unit: "%", Decimals: 1, Source: sourceLine(ind),
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
	fn := b.fn.add("tabell:"+ts.Table.ID, fmt.Sprintf("%s «%s», alle celler i datagrunnlaget. %s", tableSource(ts.Table.ID, s.Title, s.Source), ts.Table.Title, snapshotText(&info)))
	caption := []inline{txt("SSB-tabell " + ts.Table.ID + ": " + ts.Table.Title)}
	if s.Cells() > maxViewCells {
		return []block{para{Inlines: []inline{sourced(fn, txt(fmt.Sprintf("Tabell %s har %d celler, for mange til å vises her; «grunnlag show %s» viser dem.", ts.Table.ID, s.Cells(), ts.Table.ID)))}}}
	}
	pt, err := pivot.Build(s.Data, pivot.Default(s.Data))
	if err != nil {
		return []block{para{Class: "mangler", Inlines: []inline{sourced(fn, txt("Tabellen kan ikke vises: "+err.Error()+"."))}}}
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
