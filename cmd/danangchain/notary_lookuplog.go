package main

import (
	"bufio"
	"bytes"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/danangchain/danangchain/registry"
)

// The lookup log: <home>/data/notary-lookups/lookups.jsonl, one JSON object
// per line, append-only, each entry linked to the previous one by its
// SHA-256 (registry.LookupLogEntry). It is node-local and never part of
// consensus state; a lookup is answered only after its entry is on disk
// (fsync), so no answered lookup goes uncounted.

const lookupLogFile = "lookups.jsonl"

// lookupWindow is how far a request's signed time may be from the node's
// clock; nonces are remembered for twice as long.
const lookupWindow = 5 * time.Minute

// lookupLogDir is where a node keeps its lookup log.
func lookupLogDir(home string) string { return filepath.Join(home, "data", "notary-lookups") }

// logLine is the JSON form of one log entry. Month (ICT, from the signed
// time) and Hash are derived and checked on reading.
type logLine struct {
	Seq         uint64 `json:"seq"`
	Time        uint64 `json:"time"`
	Month       string `json:"month"`
	Org         string `json:"org"`
	PubKey      string `json:"pub_key"`
	PropertyKey string `json:"property_key"`
	Nonce       string `json:"nonce"`
	Signature   string `json:"signature"`
	Height      uint64 `json:"height"`
	Prev        string `json:"prev"`
	Node        string `json:"node"`
	Hash        string `json:"hash"`
}

// monthOf is the billing month of a unix time, in Vietnam's time zone.
func monthOf(unix uint64) string { return time.Unix(int64(unix), 0).In(vnZone).Format("2006-01") }

func lineOf(e *registry.LookupLogEntry) logLine {
	return logLine{Seq: e.Seq, Time: e.Time, Month: monthOf(e.Time), Org: e.Org, PubKey: hex.EncodeToString(e.PubKey),
		PropertyKey: hex.EncodeToString(e.PropertyKey), Nonce: hex.EncodeToString(e.Nonce),
		Signature: hex.EncodeToString(e.Signature), Height: e.Height, Prev: hex.EncodeToString(e.Prev), Node: e.Node,
		Hash: hex.EncodeToString(e.Hash())}
}

// entry converts a line back and checks its derived fields.
func (l logLine) entry() (*registry.LookupLogEntry, error) {
	var err error
	field := func(name, s string) []byte {
		b, e := hex.DecodeString(s)
		if e != nil && err == nil {
			err = fmt.Errorf("%w: lookup %d: %s is not hex", registry.ErrProofInvalid, l.Seq, name)
		}
		return b
	}
	e := &registry.LookupLogEntry{Seq: l.Seq, Time: l.Time, Org: l.Org, PubKey: field("pub_key", l.PubKey),
		PropertyKey: field("property_key", l.PropertyKey), Nonce: field("nonce", l.Nonce),
		Signature: field("signature", l.Signature), Height: l.Height, Prev: field("prev", l.Prev), Node: l.Node}
	if err != nil {
		return nil, err
	}
	if l.Month != monthOf(l.Time) {
		return nil, fmt.Errorf("%w: lookup %d: month %s does not match its time", registry.ErrProofInvalid, l.Seq, l.Month)
	}
	if hex.EncodeToString(e.Hash()) != l.Hash {
		return nil, fmt.Errorf("%w: lookup %d: hash does not match its content", registry.ErrProofInvalid, l.Seq)
	}
	return e, nil
}

// verifyLogLines checks a contiguous run of lines: derived fields, links
// and the offices' signatures. The first line's prev is taken as given.
func verifyLogLines(chainID string, lines []logLine) ([]*registry.LookupLogEntry, error) {
	var out []*registry.LookupLogEntry
	var prev *registry.LookupLogEntry
	for _, l := range lines {
		e, err := l.entry()
		if err != nil {
			return nil, err
		}
		if err := e.VerifyLink(chainID, prev); err != nil {
			return nil, err
		}
		out = append(out, e)
		prev = e
	}
	return out, nil
}

// readLogFile reads every complete line of the log. A last line without a
// newline is a write torn by a crash (never acknowledged); its offset is
// returned so the writer can cut it off.
func readLogFile(path string) (lines []logLine, goodLen int64, err error) {
	f, err := os.Open(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil, 0, nil
	}
	if err != nil {
		return nil, 0, err
	}
	defer f.Close()
	r := bufio.NewReaderSize(f, 64<<10)
	for {
		raw, err := r.ReadBytes('\n')
		if errors.Is(err, io.EOF) {
			return lines, goodLen, nil // raw, if any, is torn
		}
		if err != nil {
			return nil, 0, err
		}
		var l logLine
		dec := json.NewDecoder(bytes.NewReader(raw))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&l); err != nil {
			return nil, 0, fmt.Errorf("%w: %s line %d: %v", registry.ErrProofInvalid, path, len(lines)+1, err)
		}
		lines = append(lines, l)
		goodLen += int64(len(raw))
	}
}

// monthRange returns the shortest contiguous run of lines holding every
// line of month (lines of neighbouring months may be inside the run when
// requests near midnight arrived out of order).
func monthRange(lines []logLine, month string) []logLine {
	first, last := -1, -1
	for i, l := range lines {
		if l.Month == month {
			if first < 0 {
				first = i
			}
			last = i
		}
	}
	if first < 0 {
		return nil
	}
	return lines[first : last+1]
}

// lookupLog appends to a node's log.
type lookupLog struct {
	mu      sync.Mutex
	chainID string
	path    string
	f       *os.File
	size    int64 // bytes of complete lines
	last    *registry.LookupLogEntry
	nonces  map[string]uint64 // pub||nonce -> signed time
}

// openLookupLog opens (creating) the log in dir, verifies the whole chain
// and cuts off a torn last line. A broken chain is an error: metering must
// not continue on a log that was tampered with.
func openLookupLog(dir, chainID string) (*lookupLog, error) {
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return nil, err
	}
	path := filepath.Join(dir, lookupLogFile)
	lines, good, err := readLogFile(path)
	if err != nil {
		return nil, err
	}
	entries, err := verifyLogLines(chainID, lines)
	if err != nil {
		return nil, fmt.Errorf("lookup log %s: %w", path, err)
	}
	if len(entries) > 0 && !bytes.Equal(entries[0].Prev, make([]byte, registry.HashSize)) {
		return nil, fmt.Errorf("lookup log %s: first entry does not start the chain", path)
	}
	f, err := os.OpenFile(path, os.O_CREATE|os.O_WRONLY, 0o640)
	if err != nil {
		return nil, err
	}
	if err := f.Truncate(good); err != nil {
		f.Close()
		return nil, err
	}
	if _, err := f.Seek(good, io.SeekStart); err != nil {
		f.Close()
		return nil, err
	}
	l := &lookupLog{chainID: chainID, path: path, f: f, size: good, nonces: map[string]uint64{}}
	for _, e := range entries {
		l.nonces[string(e.PubKey)+string(e.Nonce)] = e.Time
	}
	if n := len(entries); n > 0 {
		l.last = entries[n-1]
	}
	return l, nil
}

// checkFresh refuses a request whose time is off the node's clock or
// whose nonce was seen; call with mu held.
func (l *lookupLog) checkFresh(r *registry.APIRequest, now time.Time) error {
	d := now.Sub(time.Unix(int64(r.Time), 0))
	if d > lookupWindow || d < -lookupWindow {
		return registry.Errorf(registry.ErrExpired, "request time is %s from the node's clock (limit %s)", d.Round(time.Second), lookupWindow)
	}
	if _, seen := l.nonces[string(r.PubKey)+string(r.Nonce)]; seen {
		return registry.Errorf(registry.ErrReplay, "request nonce already used")
	}
	return nil
}

// remember records a nonce and forgets those out of the window.
func (l *lookupLog) remember(r *registry.APIRequest, now time.Time) {
	horizon := uint64(now.Add(-2 * lookupWindow).Unix())
	for k, t := range l.nonces {
		if t < horizon {
			delete(l.nonces, k)
		}
	}
	l.nonces[string(r.PubKey)+string(r.Nonce)] = r.Time
}

// Admit checks freshness and remembers a request that is not logged (a
// billing request).
func (l *lookupLog) Admit(r *registry.APIRequest, now time.Time) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if err := l.checkFresh(r, now); err != nil {
		return err
	}
	l.remember(r, now)
	return nil
}

// Append records an answered lookup durably and returns its line.
func (l *lookupLog) Append(r *registry.APIRequest, org string, height uint64, now time.Time) (*logLine, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if err := l.checkFresh(r, now); err != nil {
		return nil, err
	}
	e := &registry.LookupLogEntry{Seq: 1, Time: r.Time, Org: org, PubKey: r.PubKey, PropertyKey: r.Subject,
		Nonce: r.Nonce, Signature: r.Signature, Height: height, Prev: make([]byte, registry.HashSize), Node: r.Node}
	if l.last != nil {
		e.Seq = l.last.Seq + 1
		e.Prev = l.last.Hash()
	}
	line := lineOf(e)
	raw, err := json.Marshal(line)
	if err != nil {
		return nil, err
	}
	raw = append(raw, '\n')
	_, err = l.f.Write(raw)
	if err == nil {
		err = l.f.Sync()
	}
	if err != nil {
		// Cut a partial line off so that the next append starts clean.
		_ = l.f.Truncate(l.size)
		_, _ = l.f.Seek(l.size, io.SeekStart)
		return nil, fmt.Errorf("lookup log: %w", err)
	}
	l.size += int64(len(raw))
	l.last = e
	l.remember(r, now)
	return &line, nil
}

// Lines reads the log's complete lines (consistent with appends).
func (l *lookupLog) Lines() ([]logLine, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	lines, _, err := readLogFile(l.path)
	return lines, err
}
