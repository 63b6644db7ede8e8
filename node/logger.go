package node

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"strings"

	cmtlog "github.com/cometbft/cometbft/libs/log"
)

// NewLogger returns a slog logger writing plain text or JSON.
func NewLogger(w io.Writer, format, level string) (*slog.Logger, error) {
	lvl, err := parseLevel(level)
	if err != nil {
		return nil, err
	}
	opts := &slog.HandlerOptions{Level: lvl}
	switch format {
	case "json":
		return slog.New(slog.NewJSONHandler(w, opts)), nil
	case "plain", "text", "":
		return slog.New(slog.NewTextHandler(w, opts)), nil
	}
	return nil, fmt.Errorf("log format %q: want plain or json", format)
}

func parseLevel(s string) (slog.Level, error) {
	switch strings.ToLower(s) {
	case "debug":
		return slog.LevelDebug, nil
	case "info", "":
		return slog.LevelInfo, nil
	case "warn":
		return slog.LevelWarn, nil
	case "error", "none":
		return slog.LevelError, nil
	}
	return 0, fmt.Errorf("log level %q: want debug, info, warn or error", s)
}

// cometLogger adapts slog to CometBFT's logger with per-module levels.
type cometLogger struct {
	l       *slog.Logger
	modules map[string]slog.Level
	level   slog.Level
}

// newCometLogger parses "p2p=error,pex=error" module levels.
func newCometLogger(l *slog.Logger, base string, modules string) (cmtlog.Logger, error) {
	lvl, err := parseLevel(base)
	if err != nil {
		return nil, err
	}
	m := map[string]slog.Level{}
	for _, part := range strings.Split(modules, ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		k, v, ok := strings.Cut(part, "=")
		if !ok {
			return nil, fmt.Errorf("log_modules entry %q: want module=level", part)
		}
		ml, err := parseLevel(v)
		if err != nil {
			return nil, err
		}
		m[strings.TrimSpace(k)] = ml
	}
	return &cometLogger{l: l, modules: m, level: lvl}, nil
}

func (c *cometLogger) log(lvl slog.Level, msg string, kv []any) {
	if lvl < c.level {
		return
	}
	if !c.l.Enabled(context.Background(), lvl) {
		return
	}
	c.l.Log(context.Background(), lvl, msg, kv...)
}

func (c *cometLogger) Debug(msg string, kv ...any) { c.log(slog.LevelDebug, msg, kv) }
func (c *cometLogger) Info(msg string, kv ...any)  { c.log(slog.LevelInfo, msg, kv) }
func (c *cometLogger) Error(msg string, kv ...any) { c.log(slog.LevelError, msg, kv) }

func (c *cometLogger) With(kv ...any) cmtlog.Logger {
	n := &cometLogger{l: c.l.With(kv...), modules: c.modules, level: c.level}
	for i := 0; i+1 < len(kv); i += 2 {
		if k, ok := kv[i].(string); ok && k == "module" {
			if mod, ok := kv[i+1].(string); ok {
				if ml, ok := c.modules[mod]; ok {
					n.level = ml
				}
			}
		}
	}
	return n
}
