package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/grunnlag/grunnlag/internal/analysis"
	"github.com/grunnlag/grunnlag/internal/fault"
)

func runIndicators(ctx context.Context, a *app, args []string) error {
	fs := flag.NewFlagSet("indicators", flag.ContinueOnError)
	asJSON := fs.Bool("json", false, "skriv JSON: hver indikator med andel, antall, utsagn, løste koder og kilde")
	explain := fs.String("explain", "", "vis utregningen av én indikator steg for steg (indikatorens ID)")
	if _, err := a.parse(fs, args); err != nil {
		return err
	}
	st, pack, _, err := a.openReaderWithPack(ctx)
	if err != nil {
		return err
	}
	defer st.Close()
	d, err := analysis.Load(ctx, st, pack, time.Time{})
	if err != nil {
		return err
	}
	res := analysis.Analyze(pack, d)
	if *explain != "" {
		ind, ok := res.Indicator(*explain)
		if !ok {
			var ids []string
			for _, i := range res.Indicators {
				ids = append(ids, i.Def.ID)
			}
			return fault.WithUser(fault.NotFound,
				fmt.Sprintf("Kunnskapspakken har ingen indikator «%s». Indikatorene er: %s.", *explain, strings.Join(ids, ", ")),
				fmt.Errorf("no indicator %q", *explain))
		}
		writeExplanation(a.env.stdout, analysis.Explain(pack, ind))
		return nil
	}
	sums := res.Summaries()
	if *asJSON {
		enc := json.NewEncoder(a.env.stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(sums)
	}
	if len(sums) == 0 {
		fmt.Fprintln(a.env.stdout, "Kunnskapspakken har ingen indikatorer.")
		return nil
	}
	tw := tabwriter.NewWriter(a.env.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "INDIKATOR\tTABELL\tNYESTE\tANDEL\tENDRING\tVEDLEGGETS ÅR\tUTSAGN ELLER HVA SOM MANGLER")
	for _, s := range sums {
		share, change, appendix, text := "–", "–", "–", s.Statement
		if s.Share != nil {
			share = analysis.Percent(*s.Share)
			if s.Published != nil {
				share += " (publisert)"
			}
		}
		if s.Change != nil {
			change = analysis.Points(s.Change.Points) + " fra " + s.Change.FromYear
		}
		if s.Appendix != nil && s.Appendix.Share != nil {
			appendix = s.Appendix.Year + ": " + analysis.Percent(*s.Appendix.Share)
		}
		if s.Status != analysis.OK {
			text = s.Problem
		} else if text == "" {
			text = s.CountNote
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\n", s.ID, s.Table, s.Year, share, change, appendix, text)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintln(a.env.stdout, "\n«(publisert)»: publisert tall lest fra en nettside, ikke hentet fra SSBs API, fordi tabellen ikke er lagret.")
	fmt.Fprintln(a.env.stdout, "Utregningen steg for steg: grunnlag indicators --explain INDIKATOR")
	return nil
}

// writeExplanation prints every step of an indicator's figures.
func writeExplanation(w io.Writer, x *analysis.Explanation) {
	fmt.Fprintf(w, "%s (%s)\n", x.Title, x.ID)
	if x.Description != "" {
		fmt.Fprintf(w, "%s\n", x.Description)
	}
	if x.Problem != "" {
		fmt.Fprintf(w, "\nTallet mangler: %s\n", x.Problem)
	}
	fmt.Fprintln(w, "\nDefinisjonen:")
	for _, part := range x.Definition {
		fmt.Fprintf(w, "  %s:\n", part.Head)
		for _, l := range part.Lines {
			fmt.Fprintf(w, "  – %s\n", l)
		}
	}
	if len(x.Rules) > 0 {
		fmt.Fprintln(w, "\nNår tallet støtter hypotesen:")
		for _, l := range x.Rules {
			fmt.Fprintf(w, "  %s\n", l)
		}
	}
	fmt.Fprintln(w, "\nTabellene:")
	for _, t := range x.Tables {
		title := ""
		if t.Title != "" {
			title = ": " + t.Title
		}
		fmt.Fprintf(w, "  Tabell %s%s\n", t.Table, title)
		if t.Successor {
			fmt.Fprintf(w, "    Etterfølger. %s\n", t.Change)
		}
		if t.Source != "" {
			fmt.Fprintf(w, "    %s\n", t.Source)
		}
		if t.Page != "" {
			fmt.Fprintf(w, "    Side: %s\n", t.Page)
		}
		if t.Problem != "" {
			fmt.Fprintf(w, "    %s\n", t.Problem)
		}
		for _, r := range t.Resolved {
			fmt.Fprintf(w, "    %s\n", r)
		}
	}
	for _, p := range x.Points {
		fmt.Fprintf(w, "\n%s (tabell %s)\n", p.Heading, p.Table)
		for _, c := range p.Cells {
			fmt.Fprintf(w, "  Celle: %s\n", c)
		}
		for i, s := range p.Steps {
			fmt.Fprintf(w, "  %d. %s\n", i+1, s)
		}
		if p.Count != "" {
			fmt.Fprintf(w, "  Antallet: %s\n", p.Count)
		}
		if p.Statement != "" {
			fmt.Fprintf(w, "  Utsagnet: %s\n", p.Statement)
		}
	}
	for _, l := range []string{x.Reference, x.Check, x.Break} {
		if l != "" {
			fmt.Fprintf(w, "\n%s\n", l)
		}
	}
	if len(x.Points) > 0 && len(x.Points[0].CellIndexes) > 0 {
		fmt.Fprintf(w, "\nCellene i tabellen: grunnlag show %s, eller siden /indikatorer/%s i grunnlag serve.\n", x.Points[0].Table, x.ID)
	}
}
