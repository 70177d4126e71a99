// Command survey plays the deadline day of the self-assessment
// (kartlegging) against grunnlag's real web server, on SQLite and on
// PostgreSQL in turn, and prints what people would feel.
//
// For each store it builds a fresh database (a SQLite file in a temporary
// folder, or a new database on the PostgreSQL server -postgres names),
// loads the shipped knowledge pack, stores the organisations of the
// registers, creates and opens a round of the pack's NSM measures (with
// maturity asked), and makes three people for every municipality — its
// lead and two respondents — plus one lead for every county municipality
// and an analyst, each signed in through the auth service (a session, as
// after a password and a code). Then it serves internal/web on loopback,
// with the real auth and survey services, and drives it over HTTP:
//
//  1. Before the clock: each county municipality's lead answers every
//     principle and submits, so that some organisations have a profile
//     to look at while the round is open.
//  2. The deadline (-d): -c clients save principle forms as the page's
//     script does, flat out unless -think is given. The people of a
//     municipality split its principles between them (-shared: all
//     three answer every principle, and meet each other's saves as
//     version conflicts). A person's first save of a principle fetches
//     the form first, for its version. Every -profile-every, a county
//     lead fetches its profile page.
//  3. Afterwards the answers are checked against what the clients were
//     told: every principle saved is stored at the version of its last
//     save; each version was given out once; every measure is stored once
//     with the value of its last save; and the history holds exactly one
//     change for every save that changed a value.
//  4. Every municipality's lead submits, an administrator closes the
//     round, and for -closed the clients read the pages that compare a
//     municipality with its peers, now with the full round stored: the
//     profile (every lead), and the analysts' aggregates page and API.
//
// It prints, per request kind, the count, errors, requests per second and
// latency percentiles for each store, then the PostgreSQL/SQLite ratio of
// the medians and p99s. A request is an error when it fails, times out or
// answers anything else than what the kind expects (a save: 200; with
// -shared also 409, counted apart as a conflict). The program exits 1 on
// any error or failed check.
//
//	go run ./bench/survey -d 30s
//	go run ./bench/survey -stores sqlite,postgres -postgres "$GRUNNLAG_TEST_POSTGRES"
//
// bench/survey.sh runs it with a throw-away PostgreSQL.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime"
	"runtime/pprof"
	"strings"
	"time"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "survey:", err)
		os.Exit(1)
	}
}

// config is one run's settings, from the flags.
type config struct {
	stores       []string // "sqlite", "postgres"
	postgres     string   // a server where the benchmark may create and drop databases
	duration     time.Duration
	closed       time.Duration
	alone        time.Duration
	warmup       time.Duration
	clients      int
	think        time.Duration
	shared       bool
	people       int // per municipality
	profileEvery time.Duration
	timeout      time.Duration
	seed         uint64
	cpuProfile   string
	keep         bool
}

func run(ctx context.Context, args []string, out, progress io.Writer) error {
	fs := flag.NewFlagSet("survey", flag.ContinueOnError)
	var cfg config
	stores := fs.String("stores", "sqlite,postgres", "the stores to measure, in turn: sqlite, postgres or both")
	fs.StringVar(&cfg.postgres, "postgres", os.Getenv("GRUNNLAG_TEST_POSTGRES"), "PostgreSQL server (DSN) where the benchmark creates and drops its own database")
	fs.DurationVar(&cfg.duration, "d", 5*time.Minute, "how long the deadline lasts: clients saving answers")
	fs.DurationVar(&cfg.closed, "closed", time.Minute, "how long the clients read the profile and aggregates after the round is closed")
	fs.DurationVar(&cfg.alone, "alone", 15*time.Second, "how long one client alone reads them afterwards: the pages' own time, the baseline of the loaded figures")
	fs.DurationVar(&cfg.warmup, "warmup", 2*time.Second, "how long each phase runs before it is measured (at least -think, so that every client has started)")
	fs.IntVar(&cfg.clients, "c", 64, "concurrent clients")
	fs.DurationVar(&cfg.think, "think", 0, "mean think time between a client's requests (exponential); 0: flat out")
	fs.BoolVar(&cfg.shared, "shared", false, "the three people of a municipality all answer every principle, and meet each other's saves as conflicts")
	fs.IntVar(&cfg.people, "people", 3, "people answering for each municipality (the first is its lead)")
	fs.DurationVar(&cfg.profileEvery, "profile-every", 250*time.Millisecond, "how often a county lead fetches its profile during the deadline")
	fs.DurationVar(&cfg.timeout, "timeout", 30*time.Second, "timeout per request")
	fs.Uint64Var(&cfg.seed, "seed", 1, "seed of the clients' random answers")
	fs.BoolVar(&cfg.keep, "keep", false, "leave each store's database behind for inspection, and print where it is")
	fs.StringVar(&cfg.cpuProfile, "cpuprofile", "", "write a CPU profile of the whole run (server and clients) to this file")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	for _, s := range strings.Split(*stores, ",") {
		switch s = strings.TrimSpace(s); s {
		case "sqlite", "postgres":
			cfg.stores = append(cfg.stores, s)
		case "":
		default:
			return fmt.Errorf("-stores: %q is neither sqlite nor postgres", s)
		}
	}
	switch {
	case len(cfg.stores) == 0:
		return errors.New("-stores names no store")
	case cfg.clients < 1 || cfg.duration <= 0 || cfg.closed <= 0 || cfg.alone <= 0 || cfg.people < 1 || cfg.profileEvery <= 0:
		return errors.New("-c, -people, -d, -closed, -alone and -profile-every must be above 0")
	}
	// Clients that think start within their first think (stagger): the
	// measuring starts when all have.
	cfg.warmup = max(cfg.warmup, cfg.think)
	for _, s := range cfg.stores {
		if s == "postgres" && cfg.postgres == "" {
			return errors.New("-stores postgres needs -postgres DSN (or GRUNNLAG_TEST_POSTGRES); bench/survey.sh starts a server")
		}
	}

	mode := "each principle answered by one of the municipality's people"
	if cfg.shared {
		mode = "every principle answered by all of the municipality's people"
	}
	think := "flat out"
	if cfg.think > 0 {
		think = fmt.Sprintf("think time %s on average", cfg.think)
	}
	fmt.Fprintf(out, "Deadline day: %d people per municipality, %s; %d clients, %s; deadline %s, closed round %s, one client alone %s, each after %s warm-up (%d CPUs, %s/%s).\n",
		cfg.people, mode, cfg.clients, think, cfg.duration, cfg.closed, cfg.alone, cfg.warmup, runtime.NumCPU(), runtime.GOOS, runtime.GOARCH)

	if cfg.cpuProfile != "" {
		f, err := os.Create(cfg.cpuProfile)
		if err != nil {
			return err
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return err
		}
		defer pprof.StopCPUProfile()
	}
	var results []*result
	failed := false
	for _, s := range cfg.stores {
		r, err := runStore(ctx, cfg, s, progress)
		if err != nil {
			return fmt.Errorf("%s: %w", s, err)
		}
		results = append(results, r)
		fmt.Fprintln(out)
		r.print(out)
		failed = failed || !r.ok()
	}
	if len(results) == 2 {
		fmt.Fprintln(out)
		printRatios(out, results[0], results[1])
	}
	if failed {
		return errors.New("errors or failed checks (see above)")
	}
	return nil
}
