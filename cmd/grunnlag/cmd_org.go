package main

import (
	"context"
	"flag"
	"fmt"
	"text/tabwriter"
	"time"

	"github.com/grunnlag/grunnlag/internal/audit"
	"github.com/grunnlag/grunnlag/internal/store"
)

func runOrg(ctx context.Context, a *app, args []string) error {
	fs := flag.NewFlagSet("org", flag.ContinueOnError)
	sub, args, err := a.subcommand(fs, args, "add", "member", "list")
	if err != nil {
		return err
	}
	kind := fs.String("kind", "", "provider (IT-leverandør: IKS eller vertskommune) eller network (regionalt nettverk); for list også municipality og county")
	code := fs.String("code", "", "en kort id for organisasjonen, f.eks. iks-ikt-agder")
	name := fs.String("name", "", "navnet")
	orgNumber := fs.String("org-number", "", "organisasjonsnummeret, når en kilde oppgir det")
	from := fs.String("from", time.Now().Format("2006-01-02"), "medlem fra og med (ÅÅÅÅ-MM-DD)")
	rest, err := a.parse(fs, args)
	if err != nil {
		return err
	}
	st, svc, err := a.accounts(ctx)
	if err != nil {
		return err
	}
	defer st.Close()
	switch sub {
	case "add":
		if len(rest) > 0 || *code == "" || *name == "" || (*kind != "provider" && *kind != "network") {
			fmt.Fprintln(a.env.stderr, "grunnlag org add: oppgi --kind provider|network, --code og --name")
			a.commandUsage(fs)
			return errUsage
		}
		o, err := st.AddOrganisation(ctx, store.Organisation{Code: *code, Kind: store.OrgKind(*kind), Name: *name,
			OrgNumber: *orgNumber, Source: "lagt til med grunnlag org add", CreatedAt: time.Now()})
		if err != nil {
			return err
		}
		if err := svc.Audit().Record(ctx, audit.CLI, "org.add", "org:"+o.Code, o.Code, o.Name); err != nil {
			return err
		}
		fmt.Fprintf(a.env.stdout, "La til %s (%s).\n", o.Name, o.Code)
	case "member":
		if len(rest) != 2 {
			fmt.Fprintln(a.env.stderr, "grunnlag org member: oppgi leverandøren (eller nettverket) og kommunen, f.eks. iks-ikt-agder 4204")
			return errUsage
		}
		if _, err := time.Parse("2006-01-02", *from); err != nil {
			fmt.Fprintf(a.env.stderr, "grunnlag org member: --from %q er ikke en dato (ÅÅÅÅ-MM-DD)\n", *from)
			return errUsage
		}
		if err := st.AddMembership(ctx, store.Membership{Parent: rest[0], Member: rest[1], ValidFrom: *from}); err != nil {
			return err
		}
		if err := svc.Audit().Record(ctx, audit.CLI, "org.member", "org:"+rest[0], rest[1], "fra "+*from); err != nil {
			return err
		}
		fmt.Fprintf(a.env.stdout, "%s er medlem av %s fra %s.\n", rest[1], rest[0], *from)
	default:
		orgs, err := st.Organisations(ctx, store.OrgKind(*kind))
		if err != nil {
			return err
		}
		tw := tabwriter.NewWriter(a.env.stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "KODE\tTYPE\tNAVN\tFYLKE\tINNBYGGERE")
		for _, o := range orgs {
			if !o.RetiredAt.IsZero() {
				continue
			}
			pop := ""
			if o.Population > 0 {
				pop = fmt.Sprint(o.Population)
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", o.Code, o.Kind, o.Name, o.County, pop)
		}
		return tw.Flush()
	}
	return nil
}
