package main

import (
	"context"
	"flag"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"slices"
	"strings"
	"time"

	"github.com/grunnlag/grunnlag/internal/analysis"
	"github.com/grunnlag/grunnlag/internal/audit"
	"github.com/grunnlag/grunnlag/internal/catalog"
	"github.com/grunnlag/grunnlag/internal/fault"
	"github.com/grunnlag/grunnlag/internal/report"
	"github.com/grunnlag/grunnlag/internal/store/sqlstore"
	"github.com/grunnlag/grunnlag/internal/survey"
)

func runReport(ctx context.Context, a *app, args []string) error {
	fs := flag.NewFlagSet("report", flag.ContinueOnError)
	out := fs.String("out", "", "mappen rapporten skrives til (påkrevd)")
	formats := fs.String("format", "html,md,pdf", "formatene, kommaseparert: html, md, pdf")
	compare := fs.String("compare", "", "sammenlign med en tidligere rapport (mappen den ble skrevet til) eller med datagrunnlaget per en dato (ÅÅÅÅ-MM-DD)")
	strict := fs.Bool("strict", false, "avslutt med feil når noe data mangler eller PDF-en ikke kan lages")
	site := fs.String("site", "", "adressen til nettstedet rapporten publiseres på (grunnlag serve); fotnotene lenker da til indikatorsidene der")
	rest, err := a.parse(fs, args)
	if err != nil {
		return err
	}
	if *out == "" || len(rest) > 0 {
		fmt.Fprintln(a.env.stderr, "grunnlag report: oppgi mappen med --out, og ingen andre argumenter")
		a.commandUsage(fs)
		return errUsage
	}
	fmts, err := report.ParseFormats(*formats)
	if err != nil {
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
	var opts report.Options
	if *site != "" {
		base, err := siteURL(*site)
		if err != nil {
			return err
		}
		opts.IndicatorURL = func(id string) string { return base + "/indikatorer/" + url.PathEscape(id) }
	}
	if *compare != "" {
		if opts.Compare, err = comparison(ctx, st, pack, *compare); err != nil {
			return err
		}
	}
	if opts.Survey, err = a.reportSurvey(ctx, st, pack); err != nil {
		return err
	}
	r := report.Build(pack, analysis.Analyze(pack, d), opts)

	var printer report.PDFPrinter
	var noPDF error
	if slices.Contains(fmts, report.PDF) {
		path, err := report.FindChromium(a.env.getenv, exec.LookPath)
		if err != nil {
			noPDF = err
			fmts = slices.DeleteFunc(fmts, func(f report.Format) bool { return f == report.PDF })
		} else {
			printer = report.Chromium{Path: path}
		}
	}
	a.logger().Info("skriver rapporten", "mappe", *out, "formater", fmt.Sprint(fmts))
	written, err := report.Write(ctx, *out, r, fmts, printer)
	if err != nil {
		return err
	}
	for _, f := range written.Files {
		fmt.Fprintf(a.env.stdout, "Skrev %s\n", f)
	}
	if sv := opts.Survey; sv != nil {
		fmt.Fprintf(a.env.stdout, "Rapporten har med egenvurderingen «%s», avsluttet %s.\n", sv.Aggregates.Round.Name, analysis.Date(sv.Aggregates.Round.ClosedAt))
	}
	if opts.Compare != nil {
		fmt.Fprintf(a.env.stdout, "%d indikatorer er endret siden %s.\n", len(r.Changes()), opts.Compare.Label)
	}

	gaps := r.Gaps()
	if len(gaps) > 0 {
		fmt.Fprintf(a.env.stderr, "grunnlag report: %s\n", gapSummary(gaps, a.verbose))
		if a.verbose {
			for _, g := range gaps {
				fmt.Fprintf(a.env.stderr, "  - %s: %s\n", gapName(pack, g), g.Message)
			}
		}
	}
	if noPDF != nil {
		fmt.Fprintf(a.env.stderr, "grunnlag report: %s\n", fault.UserMessage(noPDF))
	}
	if *strict && (len(gaps) > 0 || noPDF != nil) {
		var what []string
		if len(gaps) > 0 {
			what = append(what, "data mangler")
		}
		if noPDF != nil {
			what = append(what, "PDF-en mangler")
		}
		fmt.Fprintf(a.env.stderr, "grunnlag report: --strict: rapporten er skrevet, men %s\n", strings.Join(what, " og "))
		return errReported
	}
	return nil
}

// reportSurvey reads the newest closed round of the self-assessment for
// the report's section on it; nil when no round is closed. It only reads.
func (a *app) reportSurvey(ctx context.Context, st *sqlstore.DB, pack *catalog.Pack) (*report.Survey, error) {
	cfg, err := a.loadConfig()
	if err != nil {
		return nil, err
	}
	svc, err := survey.New(survey.Config{Store: st, Accounts: st, Audit: audit.New(st, time.Now), Pack: pack, K: cfg.DisclosureK})
	if err != nil {
		return nil, err
	}
	r, ok, err := report.NewestClosedRound(ctx, svc)
	if err != nil || !ok {
		return nil, err
	}
	return report.LoadSurvey(ctx, st, svc, r.ID)
}

// gapSummary says in one line what the report lacks, and where the
// details are.
func gapSummary(gaps []analysis.Gap, verbose bool) string {
	tables, indicators := map[string]bool{}, map[string]bool{}
	for _, g := range gaps {
		if g.Ref.Kind == catalog.KindTable {
			tables[g.Ref.ID] = true
		} else {
			indicators[g.Ref.ID] = true
		}
	}
	var parts []string
	if n := len(tables); n > 0 {
		parts = append(parts, plural(n, "tabell", "tabeller")+" er ikke hentet")
	}
	if n := len(indicators); n > 0 {
		parts = append(parts, plural(n, "indikator", "indikatorer")+" mangler tall eller deler av dem")
	}
	where := "se «Manglende data» sist i rapporten, eller kjør med --verbose"
	if verbose {
		where = "se under og «Manglende data» sist i rapporten"
	}
	return "data mangler: " + strings.Join(parts, ", og ") + "; " + where + "."
}

// gapName names what a gap is about for a person.
func gapName(pack *catalog.Pack, g analysis.Gap) string {
	if g.Ref.Kind == catalog.KindTable {
		return "tabell " + g.Ref.ID
	}
	if e, ok := pack.Lookup(g.Ref); ok {
		return "indikatoren «" + e.Summary() + "»"
	}
	return g.Ref.ID
}

// siteURL checks the address given with --site.
func siteURL(raw string) (string, error) {
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return "", fault.WithUser(fault.Invalid,
			fmt.Sprintf("--site %s er ikke en full adresse; skriv for eksempel https://grunnlag.example.no.", raw),
			fmt.Errorf("--site %q: not an http(s) URL", raw))
	}
	return strings.TrimSuffix(u.String(), "/"), nil
}

// comparison reads the vintage to compare with: an earlier report's folder,
// or the store's snapshots as they were at the end of a date.
func comparison(ctx context.Context, st analysis.Store, pack *catalog.Pack, arg string) (*report.Comparison, error) {
	if info, err := os.Stat(arg); err == nil && info.IsDir() {
		before, err := report.ReadPrevious(arg)
		if err != nil {
			return nil, err
		}
		return &report.Comparison{Label: "rapporten i " + arg, Before: before}, nil
	}
	day, err := time.Parse("2006-01-02", arg)
	if err != nil {
		return nil, fault.WithUser(fault.Invalid,
			fmt.Sprintf("--compare %s er verken en mappe med en tidligere rapport eller en dato (ÅÅÅÅ-MM-DD).", arg),
			fmt.Errorf("--compare %q: not a folder and not a date: %w", arg, err))
	}
	// Every snapshot fetched on that day counts: the vintage as it stood at
	// the day's end (UTC).
	d, err := analysis.Load(ctx, st, pack, day.AddDate(0, 0, 1).Add(-time.Nanosecond))
	if err != nil {
		return nil, err
	}
	return &report.Comparison{Label: "datagrunnlaget per " + arg, Before: analysis.Analyze(pack, d).Summaries()}, nil
}
