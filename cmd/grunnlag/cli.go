package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"

	"github.com/grunnlag/grunnlag/internal/fault"
	"github.com/grunnlag/grunnlag/internal/ingest"
	"github.com/grunnlag/grunnlag/internal/progress"
	"github.com/grunnlag/grunnlag/internal/terminal"
)

// environment is what the process gives the command: output streams and
// the environment. Tests pass their own.
type environment struct {
	stdout, stderr io.Writer
	getenv         func(string) string
	stderrTTY      bool
}

// app holds the global options and the environment for one run.
type app struct {
	// env's stdout and stderr escape every control character, since
	// titles, labels and messages come from outside (see package
	// terminal); status is the raw stderr, for the progress bar's own
	// control sequences.
	env     environment
	status  io.Writer
	db      string
	verbose bool
	version bool
	packs   packFlag
	// configPath is the deployment's configuration file (see fileConfig).
	configPath string
	log        *slog.Logger
	// logOut is where log lines go: stderr, or through the progress bar
	// while one is drawn there.
	logOut io.Writer
	bar    bool // a progress bar shares stderr with the log
}

type command struct {
	name    string
	args    string // usage after the name
	summary string // bokmål
	run     func(ctx context.Context, a *app, args []string) error
}

func commands() []command {
	return []command{
		{"sync", "[--base-url URL] [TABELL...]", "henter tabeller fra SSB (alle registrerte uten TABELL) og sjekker etikettene til indikatorene", runSync},
		{"import", "[--table ID [--force]] FIL...", "lagrer nedlastede JSON-stat-filer", runImport},
		{"tables", "[--json]", "viser lagrede tabeller", runTables},
		{"show", "[--json] TABELL", "viser nyeste versjon av en tabell", runShow},
		{"check", "[--pack DIR]...", "sjekker kunnskapspakken og viser alle feil med fil og linje", runCheck},
		{"sources", "[--json]", "viser kildene (dokumentene) i kunnskapsgrunnlaget", runSources},
		{"search", "[--json] TEKST", "søker i dokumenter, funn, dialog, behov, indikatorer og tabeller", runSearch},
		{"serve", "[--addr 127.0.0.1:8080] [--base-url URL] [--no-sync] [--trusted-proxy CIDR]...", "starter nettsiden og API-et (og synkroniserer i bakgrunnen)", runServe},
		{"indicators", "[--json] [--explain ID]", "beregner indikatorene fra lagrede tabeller og viser utsagnene, eller én utregning steg for steg", runIndicators},
		{"report", "--out MAPPE [--format html,md,pdf] [--compare MAPPE|DATO] [--site URL] [--strict]", "skriver situasjonsbildet (vedlegg E) med fotnoter til hvert tall", runReport},
		{"nsm-import", "[--out MAPPE] REGNEARK.xlsx", "leser NSMs tiltaksregneark (alle tiltak med NSMs prioritering) inn som en kunnskapspakke", runNSMImport},
		{"pack", "load [--pack DIR]...", "lagrer kunnskapspakken i databasen (det gjør også serve, sync og import)", runPack},
		{"migrate", "", "oppdaterer databaseskjemaet og viser versjonen", runMigrate},
		{"backup", "FIL", "skriver en sikkerhetskopi av databasen mens den er i bruk (SQLite; pg_dump for PostgreSQL)", runBackup},
		{"restore", "FIL", "gjenoppretter en sikkerhetskopi til en ny, tom database (--db)", runRestore},
		{"verify", "", "sjekker databasen: integritet, cellene og råsvarene i hver versjon, revisjonsloggens kjede", runVerify},
		{"copy", "--from DSN --to DSN", "kopierer alt fra én database til en annen (f.eks. SQLite til PostgreSQL)", runCopy},
		{"user", "add [--admin | --role ROLLE --org KODE] EPOST | reset EPOST | disable EPOST | list", "legger til brukere og roller, lager lenker for å sette passord", runUser},
		{"org", "add --kind provider|network --code KODE --name NAVN | member LEVERANDØR KOMMUNE [--from DATO] | list [--kind TYPE]", "IT-leverandører, regionale nettverk og medlemmene deres", runOrg},
		{"round", "create --id ID --name NAVN [--opens DATO] [--closes DATO] [--maturity] | open ID | close ID | extend ID ORG DATO | reopen ID ORG | list", "runder i kartleggingen mot NSMs grunnprinsipper", runRound},
		{"answers", "import --round ID FIL | export --round ID --org KODE", "svar fra regneark (CSV eller XLSX: org, measure, answer, maturity, comment), alt eller ingenting; eksport i samme format", runAnswers},
		{"token", "create EPOST [--name NAVN] [--expires 90d]", "lager en personlig API-nøkkel (skrives én gang, på siste linje)", runToken},
		{"audit", "[--since DATO] [--action HANDLING] [--json] | verify", "viser revisjonsloggen, eller sjekker at ingen oppføring er endret eller fjernet", runAudit},
		{"version", "", "viser versjonen", runVersion},
	}
}

// errReported marks an error whose message has already been written.
var errReported = errors.New("reported")

func run(ctx context.Context, args []string, env environment) int {
	stdout, stderr := terminal.NewWriter(env.stdout), terminal.NewWriter(env.stderr)
	defer stdout.Flush()
	defer stderr.Flush()
	a := &app{env: env, status: env.stderr}
	a.env.stdout, a.env.stderr = stdout, stderr
	env = a.env
	global := flag.NewFlagSet("grunnlag", flag.ContinueOnError)
	global.SetOutput(io.Discard)
	a.globalFlags(global)
	if err := global.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			a.usage()
			return 0
		}
		fmt.Fprintf(env.stderr, "grunnlag: %s\n\n", flagError(err))
		a.usage()
		return 2
	}
	if a.version {
		fmt.Fprintln(env.stdout, "grunnlag", version)
		return 0
	}
	rest := global.Args()
	if len(rest) == 0 {
		a.usage()
		return 2
	}
	name := rest[0]
	if name == "help" {
		a.usage()
		return 0
	}
	for _, c := range commands() {
		if c.name != name {
			continue
		}
		err := c.run(ctx, a, rest[1:])
		switch {
		case err == nil:
			return 0
		case errors.Is(err, errReported):
			return 1
		case errors.Is(err, flag.ErrHelp):
			return 0
		case errors.Is(err, errUsage):
			return 2
		}
		a.report(name, err)
		return 1
	}
	fmt.Fprintf(env.stderr, "grunnlag: ukjent kommando %q\n\n", name)
	a.usage()
	return 2
}

// globalFlags registers the global flags on fs. A command's flag set gets
// them too, so they may follow the command name; their current values are
// the defaults, so a value given before the command name survives.
func (a *app) globalFlags(fs *flag.FlagSet) {
	fs.StringVar(&a.db, "db", a.db, "database: en SQLite-fil, eller postgres://… (standard: $GRUNNLAG_DB, ellers grunnlag.db)")
	fs.BoolVar(&a.verbose, "verbose", a.verbose, "skriv flere logglinjer")
	fs.BoolVar(&a.verbose, "v", a.verbose, "kort for --verbose")
	fs.Var(&a.packs, "pack", "en kunnskapspakke (mappe) i tillegg til den innebygde; kan gis flere ganger")
	fs.StringVar(&a.configPath, "config", a.configPath, "konfigurasjonsfilen (standard: $GRUNNLAG_CONFIG): adresse, innloggingstjenester, nøkler")
	fs.BoolVar(&a.version, "version", a.version, "vis versjonen og avslutt")
}

// flagError says in bokmål what was wrong with the flags, from the flag
// package's English error.
func flagError(err error) string {
	msg := err.Error()
	for _, m := range []struct{ prefix, format string }{
		{"flag provided but not defined: ", "ukjent valg «%s»"},
		{"flag needs an argument: ", "valget «%s» mangler en verdi"},
		{"bad flag syntax: ", "feil skrevet valg «%s»"},
	} {
		if rest, ok := strings.CutPrefix(msg, m.prefix); ok {
			return fmt.Sprintf(m.format, "-"+strings.TrimLeft(rest, "-"))
		}
	}
	// invalid value "x" for flag -timeout: parse error
	// invalid boolean value "x" for -json: parse error
	for _, prefix := range []string{"invalid value ", "invalid boolean value "} {
		if rest, ok := strings.CutPrefix(msg, prefix); ok {
			val, after, _ := strings.Cut(rest, " for ")
			name, _, _ := strings.Cut(strings.TrimPrefix(after, "flag "), ":")
			return fmt.Sprintf("ugyldig verdi %s for valget «-%s»", strings.Trim(val, `"`)+"", strings.TrimLeft(name, "-"))
		}
	}
	return msg
}

// printFlags lists a flag set's flags in bokmål: "--name VERDI", its text
// and its default.
func printFlags(w io.Writer, fs *flag.FlagSet) {
	fs.VisitAll(func(f *flag.Flag) {
		kind, usage := flag.UnquoteUsage(f)
		arg := map[string]string{"string": "TEKST", "duration": "VARIGHET", "int": "TALL", "uint": "TALL", "float": "TALL", "value": "VERDI"}[kind]
		line := "  --" + f.Name
		if arg != "" {
			line += " " + arg
		}
		fmt.Fprintf(w, "%s\n        %s", line, usage)
		if d := f.DefValue; d != "" && d != "false" && d != "0" && d != "[]" {
			fmt.Fprintf(w, " (standard: %s)", d)
		}
		fmt.Fprintln(w)
	})
}

func (a *app) usage() {
	w := a.env.stderr
	fmt.Fprintln(w, "Bruk: grunnlag [--db DSN] [--pack DIR]... [--verbose] [--version] KOMMANDO [ARGUMENTER]")
	fmt.Fprintln(w, "\nKommandoer:")
	for _, c := range commands() {
		fmt.Fprintf(w, "  %-8s %s\n           %s\n", c.name, c.args, c.summary)
	}
	fmt.Fprintln(w, "\nDatabasen er en SQLite-fil (standard grunnlag.db) eller en PostgreSQL-DSN (postgres://…).")
}

// report writes err for a person: the bokmål message, and with --verbose
// the English detail for whoever has to dig further.
func (a *app) report(cmd string, err error) {
	fmt.Fprintf(a.env.stderr, "grunnlag %s: %s\n", cmd, fault.UserMessage(err))
	a.details(err)
}

// details writes the English detail of err with --verbose, or when the
// bokmål message is only the generic one of its kind (then the detail is
// the only place that says where); else it says how to see it.
func (a *app) details(err error) {
	if a.verbose || fault.UserMessage(err) == fault.KindOf(err).Message() {
		fmt.Fprintf(a.env.stderr, "  detaljer: %v\n", err)
		return
	}
	fmt.Fprintln(a.env.stderr, "  (tekniske detaljer: kjør kommandoen på nytt med --verbose)")
}

// logger returns the run's logger: text lines on stderr; info and up when
// stderr is not a terminal (there the progress bar shows the work), warnings
// and up on a terminal, debug with --verbose.
func (a *app) logger() *slog.Logger {
	if a.log != nil {
		return a.log
	}
	level := slog.LevelInfo
	if a.env.stderrTTY {
		level = slog.LevelWarn
	}
	if a.bar {
		// The bar shows the work and the result lines say how it went in
		// bokmål; only errors are logged beside it.
		level = slog.LevelError
	}
	if a.verbose {
		level = slog.LevelDebug
	}
	out := a.logOut
	if out == nil {
		out = a.env.stderr
	}
	a.log = slog.New(slog.NewTextHandler(out, &slog.HandlerOptions{Level: level}))
	return a.log
}

// dsn returns the database the run uses.
func (a *app) dsn() string {
	if a.db != "" {
		return a.db
	}
	if v := a.env.getenv("GRUNNLAG_DB"); v != "" {
		return v
	}
	return "grunnlag.db"
}

var errUsage = errors.New("usage")

// parse parses a command's flags. Flags may come before, between or after
// the positional arguments; the global flags are accepted here too.
func (a *app) parse(fs *flag.FlagSet, args []string) ([]string, error) {
	fs.SetOutput(io.Discard)
	a.globalFlags(fs)
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				a.commandUsage(fs)
				return nil, err
			}
			fmt.Fprintf(a.env.stderr, "grunnlag %s: %s\n\n", fs.Name(), flagError(err))
			a.commandUsage(fs)
			return nil, errUsage
		}
		if fs.NArg() == 0 {
			return pos, nil
		}
		pos = append(pos, fs.Arg(0))
		args = fs.Args()[1:]
	}
}

func (a *app) commandUsage(fs *flag.FlagSet) {
	for _, c := range commands() {
		if c.name == fs.Name() {
			fmt.Fprintf(a.env.stderr, "Bruk: grunnlag %s %s\n  %s\n\nValg:\n", c.name, c.args, c.summary)
		}
	}
	printFlags(a.env.stderr, fs)
}

// observer returns the progress display for a sync or import. Call it
// before logger: on a terminal the log then writes through the bar.
func (a *app) observer() ingest.Observer {
	if a.env.stderrTTY && !a.verbose {
		bar := progress.NewBar(a.status, a.env.stdout, nil)
		a.logOut, a.bar, a.log = bar.Writer(), true, nil
		return bar
	}
	return progress.NewLog(a.logger(), a.env.stdout)
}

func isTerminal(f *os.File) bool { return progress.IsTerminal(f) }

func runVersion(_ context.Context, a *app, args []string) error {
	fs := flag.NewFlagSet("version", flag.ContinueOnError)
	if _, err := a.parse(fs, args); err != nil {
		return err
	}
	fmt.Fprintln(a.env.stdout, "grunnlag", version)
	return nil
}
