package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/grunnlag/grunnlag/internal/audit"
	"github.com/grunnlag/grunnlag/internal/catalog"
	"github.com/grunnlag/grunnlag/internal/fault"
	"github.com/grunnlag/grunnlag/internal/store"
	"github.com/grunnlag/grunnlag/internal/store/sqlstore"
	"github.com/grunnlag/grunnlag/internal/survey"
)

// surveyService opens the store with the pack and organisations stored,
// and returns the self-assessment service on it.
func (a *app) surveyService(ctx context.Context) (*sqlstore.DB, *catalog.Pack, *survey.Service, error) {
	st, _, err := a.accounts(ctx)
	if err != nil {
		return nil, nil, nil, err
	}
	pack, err := a.loadPack()
	if err != nil {
		st.Close()
		return nil, nil, nil, err
	}
	cfg, err := a.loadConfig()
	if err != nil {
		st.Close()
		return nil, nil, nil, err
	}
	svc, err := survey.New(survey.Config{Store: st, Accounts: st, Audit: audit.New(st, time.Now), Pack: pack, K: cfg.DisclosureK})
	if err != nil {
		st.Close()
		return nil, nil, nil, err
	}
	return st, pack, svc, nil
}

func runRound(ctx context.Context, a *app, args []string) error {
	fs := flag.NewFlagSet("round", flag.ContinueOnError)
	sub, args, err := a.subcommand(fs, args, "create", "open", "close", "extend", "reopen", "list")
	if err != nil {
		return err
	}
	id := fs.String("id", "", "rundens id: små bokstaver, sifre og bindestrek, f.eks. 2027")
	name := fs.String("name", "", "rundens navn, f.eks. «Kartlegging 2027»")
	today := time.Now().In(osloLocation()).Format("2006-01-02")
	opens := fs.String("opens", today, "første dag svar tas imot (ÅÅÅÅ-MM-DD)")
	closes := fs.String("closes", time.Now().AddDate(0, 2, 0).In(osloLocation()).Format("2006-01-02"), "siste dag svar tas imot (ÅÅÅÅ-MM-DD)")
	maturity := fs.Bool("maturity", false, "spør også om modenhet (0–5) for hvert tiltak")
	principles := fs.String("principles", "", "bare disse prinsippene, kommaseparert (standard: alle)")
	rest, err := a.parse(fs, args)
	if err != nil {
		return err
	}
	st, pack, svc, err := a.surveyService(ctx)
	if err != nil {
		return err
	}
	defer st.Close()
	need := func(n int, what string) error {
		if len(rest) != n {
			fmt.Fprintf(a.env.stderr, "grunnlag round %s: oppgi %s\n", sub, what)
			a.commandUsage(fs)
			return errUsage
		}
		return nil
	}
	switch sub {
	case "create":
		if *id == "" || *name == "" || len(rest) > 0 {
			fmt.Fprintln(a.env.stderr, "grunnlag round create: oppgi --id og --name")
			a.commandUsage(fs)
			return errUsage
		}
		set := survey.DefaultSettings(pack)
		set.Maturity = *maturity
		var ps []string
		if *principles != "" {
			ps = strings.Split(*principles, ",")
		}
		r, err := svc.CreateRound(ctx, audit.CLI, survey.RoundSpec{ID: *id, Name: *name, OpensOn: *opens, ClosesOn: *closes, Settings: set, Principles: ps})
		if err != nil {
			return err
		}
		full, err := svc.Round(ctx, r.ID)
		if err != nil {
			return err
		}
		fmt.Fprintf(a.env.stdout, "Runden %s («%s») er laget som utkast: %d tiltak under %d prinsipper, svar fra %s til og med %s. Åpne den med «grunnlag round open %s».\n",
			r.ID, r.Name, len(full.Measures), countPrinciples(full), r.OpensOn, r.ClosesOn, r.ID)
	case "open", "close":
		if err := need(1, "rundens id"); err != nil {
			return err
		}
		status := store.RoundOpen
		if sub == "close" {
			status = store.RoundClosed
		}
		if err := svc.SetStatus(ctx, audit.CLI, rest[0], status); err != nil {
			return err
		}
		fmt.Fprintf(a.env.stdout, "Runden %s er %s.\n", rest[0], map[string]string{store.RoundOpen: "åpnet", store.RoundClosed: "lukket og endres ikke mer"}[status])
	case "extend":
		if err := need(3, "runden, organisasjonen og den nye fristen (ÅÅÅÅ-MM-DD)"); err != nil {
			return err
		}
		if err := svc.Extend(ctx, audit.CLI, rest[0], rest[1], rest[2]); err != nil {
			return err
		}
		fmt.Fprintf(a.env.stdout, "%s kan svare i runden %s til og med %s.\n", rest[1], rest[0], rest[2])
	case "reopen":
		if err := need(2, "runden og organisasjonen"); err != nil {
			return err
		}
		if err := svc.Reopen(ctx, audit.CLI, rest[0], rest[1]); err != nil {
			return err
		}
		fmt.Fprintf(a.env.stdout, "Svarene til %s i runden %s er åpnet igjen.\n", rest[1], rest[0])
	default:
		rounds, err := st.Rounds(ctx)
		if err != nil {
			return err
		}
		tw := tabwriter.NewWriter(a.env.stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "ID\tNAVN\tSTATUS\tÅPNER\tFRIST\tSENDT INN")
		for _, r := range rounds {
			subs, err := st.Submissions(ctx, r.ID)
			if err != nil {
				return err
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%d\n", r.ID, r.Name, r.Status, r.OpensOn, r.ClosesOn, len(subs))
		}
		return tw.Flush()
	}
	return nil
}

func countPrinciples(r *survey.Round) int {
	n := 0
	for _, c := range r.Categories {
		n += len(c.Principles)
	}
	return n
}

func runAnswers(ctx context.Context, a *app, args []string) error {
	fs := flag.NewFlagSet("answers", flag.ContinueOnError)
	sub, args, err := a.subcommand(fs, args, "import", "export")
	if err != nil {
		return err
	}
	round := fs.String("round", "", "rundens id")
	orgCode := fs.String("org", "", "organisasjonen (export)")
	rest, err := a.parse(fs, args)
	if err != nil {
		return err
	}
	if *round == "" || (sub == "import" && len(rest) != 1) || (sub == "export" && (*orgCode == "" || len(rest) != 0)) {
		fmt.Fprintf(a.env.stderr, "grunnlag answers %s: oppgi --round og %s\n", sub, map[string]string{"import": "én fil (CSV eller XLSX)", "export": "--org"}[sub])
		a.commandUsage(fs)
		return errUsage
	}
	st, _, svc, err := a.surveyService(ctx)
	if err != nil {
		return err
	}
	defer st.Close()
	if sub == "export" {
		return a.exportAnswers(ctx, st, svc, *round, *orgCode)
	}
	f, err := os.Open(rest[0])
	if err != nil {
		return fault.WithUser(fault.NotFound, fmt.Sprintf("Finner ikke filen %s.", rest[0]), err)
	}
	defer f.Close()
	res, err := svc.Import(ctx, audit.CLI, store.Operator, *round, rest[0], f, "")
	var ps survey.Problems
	if errors.As(err, &ps) {
		for _, p := range ps {
			fmt.Fprintln(a.env.stdout, p.String())
		}
		fmt.Fprintf(a.env.stderr, "grunnlag answers import: %d feil; ingenting er lagret\n", len(ps))
		return errReported
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(a.env.stdout, "Lagret %d svar fra %d organisasjoner i runden %s.\n", res.Rows, res.Orgs, *round)
	return nil
}

// exportAnswers writes an organisation's answers as CSV on stdout, read as
// the command line (an operator): the read is audited.
func (a *app) exportAnswers(ctx context.Context, st *sqlstore.DB, svc *survey.Service, roundID, code string) error {
	org, err := st.Organisation(ctx, code)
	if err != nil {
		return err
	}
	view, err := svc.OperatorView(ctx, audit.CLI, roundID, org)
	if err != nil {
		return err
	}
	return survey.Export(a.env.stdout, org.Code, view)
}
