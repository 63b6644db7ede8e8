// Command danangchain runs and uses a DanangChain node: init, start,
// testnet, demo, keys, governance, queries and the load generator.
package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"github.com/spf13/cobra"
)

// Version is set at build time with -ldflags "-X main.Version=...".
var Version = "dev"

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	root := newRootCmd()
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return cliErrf(errUsage, "%v", err) })
	err := root.ExecuteContext(ctx)
	if err == nil {
		return
	}
	output, _ := root.PersistentFlags().GetString("output")
	var ec *exitError
	if errors.As(err, &ec) {
		switch {
		case ec.err != nil:
			printError(os.Stderr, output, ec.err)
		case ec.msg != "":
			fmt.Fprintln(os.Stderr, "Lỗi / Error:", ec.msg)
		}
		os.Exit(ec.code)
	}
	printError(os.Stderr, output, err)
	os.Exit(2)
}

// exitError carries a process exit code (verify: 1 = not valid) and,
// optionally, the error to report (printed through the error table).
type exitError struct {
	code int
	msg  string
	err  error
}

func (e *exitError) Error() string {
	if e.err != nil {
		return e.err.Error()
	}
	return e.msg
}

func (e *exitError) Unwrap() error { return e.err }
