package client

import (
	"context"
	"errors"
	"net"
	"net/url"
	"strings"
	"syscall"
)

// ErrUnreachable marks a failure to get any answer from a node
// (connection refused, unknown host, a timeout before the reply): not an
// answer of the chain, so never a rejection.
var ErrUnreachable = errors.New("node unreachable")

// IsUnreachable reports whether err is a transport failure rather than an
// answer: a caller may retry or try another node.
func IsUnreachable(err error) bool {
	if err == nil {
		return false
	}
	if errors.Is(err, ErrUnreachable) || errors.Is(err, syscall.ECONNREFUSED) ||
		errors.Is(err, syscall.ECONNRESET) || errors.Is(err, syscall.EHOSTUNREACH) ||
		errors.Is(err, syscall.ENETUNREACH) {
		return true
	}
	var ue *url.Error
	var oe *net.OpError
	var de *net.DNSError
	if errors.As(err, &ue) || errors.As(err, &oe) || errors.As(err, &de) {
		return !errors.Is(err, context.Canceled)
	}
	// CometBFT's RPC client flattens some transport errors into text.
	s := err.Error()
	for _, m := range []string{"connection refused", "no such host", "connection reset", "dial tcp", "i/o timeout"} {
		if strings.Contains(s, m) {
			return true
		}
	}
	return false
}
