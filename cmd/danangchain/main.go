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
)

// Version is set at build time with -ldflags "-X main.Version=...".
var Version = "dev"

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	root := newRootCmd()
	err := root.ExecuteContext(ctx)
	if err == nil {
		return
	}
	var ec *exitError
	if errors.As(err, &ec) {
		if ec.msg != "" {
			fmt.Fprintln(os.Stderr, "error:", ec.msg)
		}
		os.Exit(ec.code)
	}
	fmt.Fprintln(os.Stderr, "error:", err)
	os.Exit(2)
}

// exitError carries a process exit code (verify: 1 = not valid).
type exitError struct {
	code int
	msg  string
}

func (e *exitError) Error() string { return e.msg }
