// Command grunnlag keeps the knowledge basis on digital security in Norway's
// municipalities current: it syncs SSB's statistics, keeps the knowledge
// pack, and shows what is stored. This package only wires things together;
// the work happens in internal/.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"
	_ "time/tzdata" // times are shown in Oslo time on any machine
)

// version is grunnlag's release; the PxWeb client sends it in its User-Agent.
const version = "0.1.0"

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], environment{
		stdout:    os.Stdout,
		stderr:    os.Stderr,
		getenv:    os.Getenv,
		stderrTTY: isTerminal(os.Stderr),
	})
	stop()
	os.Exit(code)
}
