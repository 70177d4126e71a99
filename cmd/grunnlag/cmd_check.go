package main

import (
	"context"
	"errors"
	"flag"
	"fmt"

	"github.com/grunnlag/grunnlag/internal/catalog"
)

func runCheck(_ context.Context, a *app, args []string) error {
	fs := flag.NewFlagSet("check", flag.ContinueOnError)
	if _, err := a.parse(fs, args); err != nil {
		return err
	}
	pack, err := a.loadPack()
	var problems catalog.Problems
	if errors.As(err, &problems) {
		for _, p := range problems {
			fmt.Fprintln(a.env.stdout, p.String())
		}
		fmt.Fprintf(a.env.stderr, "grunnlag check: %d feil i kunnskapspakken\n", len(problems))
		return errReported
	}
	if err != nil {
		return err
	}
	w := a.env.stdout
	fmt.Fprintf(w, "Kunnskapspakken er i orden: %d dokumenter, %d funn, %d dialogaktiviteter, %d behov, %d temaer, %d NSM-prinsipper med %d tiltak, %d tall for antall kommuner.\n",
		len(pack.Documents), len(pack.Findings), len(pack.Activities), len(pack.Needs), len(pack.Themes),
		len(pack.Principles), len(pack.Measures), len(pack.Counts))
	for _, info := range pack.Packs {
		fmt.Fprintf(w, "Pakke: %s (%s)\n", info.Name, info.Dir)
	}
	for _, o := range pack.Overrides {
		fmt.Fprintf(w, "Overstyrt: %s fra %s erstattet av %s\n", o.Ref, o.Replaced, o.By)
	}
	return nil
}
