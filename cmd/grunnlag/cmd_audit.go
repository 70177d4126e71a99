package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"text/tabwriter"
	"time"

	"github.com/grunnlag/grunnlag/internal/audit"
	"github.com/grunnlag/grunnlag/internal/fault"
	"github.com/grunnlag/grunnlag/internal/store"
)

// auditEntry is one entry of `grunnlag audit --json`.
type auditEntry struct {
	Seq    int64     `json:"seq"`
	At     time.Time `json:"at"`
	Actor  string    `json:"actor"`
	IP     string    `json:"ip"`
	Action string    `json:"action"`
	Object string    `json:"object"`
	Org    string    `json:"org"`
	Detail string    `json:"detail"`
	Hash   string    `json:"hash"`
}

func runAudit(ctx context.Context, a *app, args []string) error {
	fs := flag.NewFlagSet("audit", flag.ContinueOnError)
	since := fs.String("since", "", "bare oppføringer fra og med denne datoen (ÅÅÅÅ-MM-DD)")
	action := fs.String("action", "", "bare denne handlingen, f.eks. login (gir også login.failed)")
	asJSON := fs.Bool("json", false, "skriv JSON")
	rest, err := a.parse(fs, args)
	if err != nil {
		return err
	}
	verify := len(rest) == 1 && rest[0] == "verify"
	if len(rest) > 0 && !verify {
		fmt.Fprintf(a.env.stderr, "grunnlag audit: ukjent argument %q\n", rest[0])
		a.commandUsage(fs)
		return errUsage
	}
	st, err := a.openReader(ctx)
	if err != nil {
		return err
	}
	defer st.Close()
	log := audit.New(st, time.Now)
	if verify {
		n, err := log.Verify(ctx)
		if err != nil {
			return fault.WithUser(fault.Invalid, "Revisjonsloggen er brutt: en oppføring er endret, fjernet eller satt inn i ettertid.", err)
		}
		fmt.Fprintf(a.env.stdout, "Revisjonsloggen er hel: %d oppføringer, hver lenket til den før.\n", n)
		return nil
	}
	f := store.AuditFilter{Action: *action}
	if *since != "" {
		if f.Since, err = time.ParseInLocation("2006-01-02", *since, osloLocation()); err != nil {
			fmt.Fprintf(a.env.stderr, "grunnlag audit: --since %q er ikke en dato (ÅÅÅÅ-MM-DD)\n", *since)
			return errUsage
		}
	}
	entries, err := log.Entries(ctx, f)
	if err != nil {
		return err
	}
	if *asJSON {
		out := make([]auditEntry, 0, len(entries))
		for _, e := range entries {
			out = append(out, auditEntry{e.Seq, e.At, e.Actor, e.IP, e.Action, e.Object, e.OrgCode, e.Detail, e.Hash})
		}
		enc := json.NewEncoder(a.env.stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(out)
	}
	if len(entries) == 0 {
		fmt.Fprintln(a.env.stdout, "Ingen oppføringer.")
		return nil
	}
	tw := tabwriter.NewWriter(a.env.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "NR\tTID (OSLO)\tHVEM\tFRA\tHANDLING\tGJELDER\tORG\tDETALJER")
	for _, e := range entries {
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", e.Seq, osloTime(e.At), e.Actor, e.IP, e.Action, e.Object, e.OrgCode, e.Detail)
	}
	return tw.Flush()
}

// osloLocation returns Norway's time zone (embedded in the binary).
func osloLocation() *time.Location {
	loc, err := time.LoadLocation("Europe/Oslo")
	if err != nil {
		return time.UTC
	}
	return loc
}
