package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"text/tabwriter"
	"time"

	"github.com/grunnlag/grunnlag/internal/analysis"
)

func runIndicators(ctx context.Context, a *app, args []string) error {
	fs := flag.NewFlagSet("indicators", flag.ContinueOnError)
	asJSON := fs.Bool("json", false, "skriv JSON: hver indikator med andel, antall, utsagn, løste koder og kilde")
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
	sums := analysis.Analyze(pack, d).Summaries()
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
	fmt.Fprintln(tw, "INDIKATOR\tTABELL\tÅR\tANDEL\tANTALL\tUTSAGN ELLER HVA SOM MANGLER")
	for _, s := range sums {
		share, count, text := "–", "–", s.Statement
		if s.Share != nil {
			share = analysis.Percent(*s.Share)
		}
		if s.Count != nil {
			count = analysis.Number(s.Count.Value, 1)
		}
		if s.Status != analysis.OK {
			text = s.Problem
		} else if text == "" {
			text = s.CountNote
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", s.ID, s.Table, s.Year, share, count, text)
	}
	return tw.Flush()
}
