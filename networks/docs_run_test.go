package networks_test

import (
	"bufio"
	"fmt"
	"math/rand/v2"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// Docs that run (issue 15): TestDocsRun runs the ```sh blocks of README.md
// and docs/*.md, as written, the way a new user would paste them.
//
// The conventions the documents follow:
//
//   - Every command (a line, with its `\` continuation lines) must exit 0,
//     unless its trailing comment announces otherwise, visibly:
//     `# exits N` (anywhere in the comment): the exit status is N, exactly;
//     `# rejected: CODE`: a write the chain refuses, exit status 2 with an
//     error that names CODE (e.g. `# rejected: blocked`).
//     The test fails on any other status, and on an announced failure that
//     does not happen.
//   - `<!-- docs-run: skip (REASON) -->` on the line(s) before a block: the
//     block is not run; the reason is required and shown in the test log.
//   - `<!-- docs-run: testnet -->`: the block needs the running 4-validator
//     network in ./testnet of the README's node-operator quick start. When
//     no earlier block of the document creates it (`bin/danangchain
//     testnet ...`), the test creates and starts it first with the same
//     commands.
//   - Any other block runs against the demo: `.demo` is the home of one
//     `danangchain demo --home .demo` that the test starts in the
//     background (as `make demo` in another terminal), shared by all
//     documents in turn, so documents must not depend on each other's
//     records (use the ids commands print: `ID=$(... -o value=id)`).
//
// Each document runs in one bash session (a variable set in one block is
// seen by the next), with `set -o pipefail`, stdin from /dev/null, in a
// fresh directory that stands for the repository root: bin/danangchain is
// the binary under test, .demo the demo's home. Only ports are substituted:
// the demo's defaults (API 1317, RPC 26657, P2P 26656, Prometheus 26660)
// and the testnet's (26600-26649, `--base-port 26600` or the default) become
// free ports; DANANGCHAIN_HOME points at an empty directory so that a
// command missing its --home fails instead of using ~/.danangchain.
// Processes a document leaves running (nodes started with `&`) are stopped
// when it ends.
//
// Run only this test, without make:
//
//	scripts/docs-run.sh                 # every document
//	scripts/docs-run.sh results.md      # one (a fresh demo)
//	go test ./networks -run '^TestDocsRun$' -count=1 -v   # with bin/danangchain built
func TestDocsRun(t *testing.T) {
	if testing.Short() {
		t.Skip("multi-process test")
	}
	bin := binary(t)
	root := docsRepoRoot()
	docs := []string{filepath.Join(root, "README.md")}
	more, err := filepath.Glob(filepath.Join(root, "docs", "*.md"))
	require.NoError(t, err)
	sort.Strings(more)
	docs = append(docs, more...)

	// Parse every document first: a malformed marker fails before anything runs.
	parsed := map[string][]docBlock{}
	for _, path := range docs {
		blocks, err := parseDocBlocks(path)
		require.NoError(t, err)
		parsed[path] = blocks
	}

	demo := startDocsDemo(t, bin)
	for _, path := range docs {
		name := filepath.Base(path)
		if !docsHasRunnable(parsed[path]) {
			continue
		}
		t.Run(name, func(t *testing.T) {
			runDoc(t, bin, demo, name, parsed[path])
		})
	}
}

// docBlock is one ```sh block of a document.
type docBlock struct {
	line   int    // of the opening fence
	mark   string // "", "skip" or "testnet"
	reason string // for skip
	cmds   []docCmd
}

// docCmd is one command: a line and its continuation lines.
type docCmd struct {
	line    int
	text    string
	want    int    // expected exit status
	mention string // "# rejected: CODE": the error must name CODE
}

var (
	docsMarkRe     = regexp.MustCompile(`^<!-- docs-run: (?:(testnet)|skip \((.+)\)) -->$`)
	docsExitsRe    = regexp.MustCompile(`\bexits (\d+)\b`)
	docsRejectedRe = regexp.MustCompile(`\brejected: ([a-z_]+)`)
	docsHostPortRe = regexp.MustCompile(`\b(127\.0\.0\.1|localhost):(\d{2,5})\b`)
	docsBasePortRe = regexp.MustCompile(`--base-port([ =])(\d+)`)
	docsTestnetRe  = regexp.MustCompile(`bin/danangchain testnet(\s|$)`)
)

// parseDocBlocks reads the ```sh blocks of a Markdown file with their
// markers and the expectations of their commands.
func parseDocBlocks(path string) ([]docBlock, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	name := filepath.Base(path)
	lines := strings.Split(string(raw), "\n")
	var blocks []docBlock
	var pending *docBlock
	for i := 0; i < len(lines); i++ {
		trimmed := strings.TrimSpace(lines[i])
		if strings.Contains(trimmed, "docs-run:") && strings.HasPrefix(trimmed, "<!--") {
			m := docsMarkRe.FindStringSubmatch(trimmed)
			if m == nil {
				return nil, fmt.Errorf("%s:%d: malformed marker %q (want <!-- docs-run: testnet --> or <!-- docs-run: skip (reason) -->)", name, i+1, trimmed)
			}
			if pending != nil {
				return nil, fmt.Errorf("%s:%d: two markers before one block", name, i+1)
			}
			pending = &docBlock{mark: "testnet", reason: m[2]}
			if m[1] == "" {
				pending.mark = "skip"
			}
			continue
		}
		if !strings.HasPrefix(trimmed, "```") {
			if trimmed != "" && pending != nil {
				return nil, fmt.Errorf("%s:%d: a docs-run marker must come right before a ```sh block", name, i+1)
			}
			continue
		}
		// A fenced block: find its end.
		lang := strings.TrimPrefix(trimmed, "```")
		indent := lines[i][:len(lines[i])-len(strings.TrimLeft(lines[i], " \t"))]
		start := i
		var body []string
		for i++; i < len(lines) && strings.TrimSpace(lines[i]) != "```"; i++ {
			body = append(body, strings.TrimPrefix(lines[i], indent))
		}
		if i == len(lines) {
			return nil, fmt.Errorf("%s:%d: unclosed code block", name, start+1)
		}
		if lang != "sh" && lang != "bash" {
			if pending != nil {
				return nil, fmt.Errorf("%s:%d: a docs-run marker before a ```%s block", name, start+1, lang)
			}
			continue
		}
		b := docBlock{line: start + 1}
		if pending != nil {
			b.mark, b.reason = pending.mark, pending.reason
			pending = nil
		}
		for j := 0; j < len(body); j++ {
			if t := strings.TrimSpace(body[j]); t == "" || strings.HasPrefix(t, "#") {
				continue
			}
			c := docCmd{line: start + 2 + j}
			text := body[j]
			for strings.HasSuffix(strings.TrimRight(body[j], " \t"), `\`) && j+1 < len(body) {
				j++
				text += "\n" + body[j]
			}
			c.text = text
			comment := shellComment(text)
			if m := docsExitsRe.FindStringSubmatch(comment); m != nil {
				c.want, _ = strconv.Atoi(m[1])
			}
			if m := docsRejectedRe.FindStringSubmatch(comment); m != nil {
				c.want, c.mention = 2, m[1]
			}
			b.cmds = append(b.cmds, c)
		}
		blocks = append(blocks, b)
	}
	if pending != nil {
		return nil, fmt.Errorf("%s: a docs-run marker at the end, before no block", name)
	}
	return blocks, nil
}

// shellComment returns the trailing comment of a shell command: from a #
// outside quotes that starts a word.
func shellComment(s string) string {
	var single, double, escaped bool
	for i, r := range s {
		switch {
		case escaped:
			escaped = false
		case r == '\\' && !single:
			escaped = true
		case r == '\'' && !double:
			single = !single
		case r == '"' && !single:
			double = !double
		case r == '#' && !single && !double && (i == 0 || s[i-1] == ' ' || s[i-1] == '\t' || s[i-1] == '\n'):
			return s[i+1:]
		}
	}
	return ""
}

func docsHasRunnable(blocks []docBlock) bool {
	for _, b := range blocks {
		if b.mark != "skip" && len(b.cmds) > 0 {
			return true
		}
	}
	return false
}

// docsDemo is the demo the documents share.
type docsDemo struct {
	home                string // absolute path of its .demo
	p2p, rpc, api, prom int
}

func docsRepoRoot() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Dir(filepath.Dir(file))
}

// startDocsDemo runs `danangchain demo --home .demo` in a directory of its
// own on free ports and waits until it is running and seeded.
func startDocsDemo(t *testing.T, bin string) *docsDemo {
	dir := t.TempDir()
	base := docsFreePorts(t, 4)
	d := &docsDemo{home: filepath.Join(dir, ".demo"), p2p: base, rpc: base + 1, api: base + 2, prom: base + 3}
	addr := func(p int) string { return fmt.Sprintf("127.0.0.1:%d", p) }
	out := filepath.Join(dir, "demo.out")
	logf, err := os.Create(out)
	require.NoError(t, err)
	defer logf.Close()
	cmd := exec.Command(bin, "demo", "--home", ".demo", "--p2p-addr", addr(d.p2p), "--rpc-addr", addr(d.rpc),
		"--api-addr", addr(d.api), "--prometheus-addr", addr(d.prom))
	cmd.Dir, cmd.Stdout, cmd.Stderr = dir, logf, logf
	cmd.Env = docsEnv(t)
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	require.NoError(t, cmd.Start())
	exited := make(chan struct{})
	go func() { _ = cmd.Wait(); close(exited) }()
	t.Cleanup(func() { docsStopGroup(cmd.Process.Pid, exited) })
	deadline := time.Now().Add(3 * time.Minute)
	for {
		b, _ := os.ReadFile(out)
		if strings.Contains(string(b), "DanangChain demo is running") {
			return d
		}
		select {
		case <-exited:
			t.Fatalf("demo exited:\n%s", b)
		case <-time.After(300 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			t.Fatalf("demo not running after 3 minutes:\n%s", b)
		}
	}
}

// docsEnv is the environment of the documents' commands: the user's, with
// DANANGCHAIN_* settings replaced by a home that does not exist.
func docsEnv(t *testing.T) []string {
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "DANANGCHAIN_") {
			env = append(env, kv)
		}
	}
	return append(env, "DANANGCHAIN_HOME="+filepath.Join(t.TempDir(), "no-home-given"))
}

// docsFreePorts returns the first of n consecutive free ports on 127.0.0.1,
// in 31100-32699 (the package's other tests use fixed ports below).
func docsFreePorts(t *testing.T, n int) int {
	const lo, slots, width = 31100, 32, 50
	first := rand.IntN(slots)
	for k := 0; k < slots; k++ {
		base := lo + width*((first+k)%slots)
		var ls []net.Listener
		ok := true
		for p := base; p < base+n; p++ {
			l, err := net.Listen("tcp", fmt.Sprintf("127.0.0.1:%d", p))
			if err != nil {
				ok = false
				break
			}
			ls = append(ls, l)
		}
		for _, l := range ls {
			l.Close()
		}
		if ok {
			return base
		}
	}
	t.Fatalf("no %d free consecutive ports in %d-%d", n, lo, lo+slots*width)
	return 0
}

// docsStopGroup stops a process group: SIGTERM (nodes shut down gracefully),
// then SIGKILL after 30 s. exited, if not nil, closes when the leader was
// reaped.
func docsStopGroup(pgid int, exited <-chan struct{}) {
	_ = syscall.Kill(-pgid, syscall.SIGTERM)
	for deadline := time.Now().Add(30 * time.Second); docsGroupAlive(pgid); time.Sleep(200 * time.Millisecond) {
		if time.Now().After(deadline) {
			_ = syscall.Kill(-pgid, syscall.SIGKILL)
			break
		}
	}
	if exited != nil {
		<-exited
	}
}

// docsGroupAlive reports whether a process of the group still runs
// (zombies waiting for a parent that does not reap them do not count).
func docsGroupAlive(pgid int) bool {
	if syscall.Kill(-pgid, 0) != nil {
		return false
	}
	entries, err := os.ReadDir("/proc")
	if err != nil {
		return true
	}
	group := strconv.Itoa(pgid)
	for _, e := range entries {
		b, err := os.ReadFile(filepath.Join("/proc", e.Name(), "stat"))
		if err != nil {
			continue
		}
		// pid (comm) state ppid pgrp ...
		i := strings.LastIndexByte(string(b), ')')
		if f := strings.Fields(string(b[i+1:])); i > 0 && len(f) > 2 && f[2] == group && f[0] != "Z" {
			return true
		}
	}
	return false
}

// docRun is one document's run: its directory and ports.
type docRun struct {
	t        *testing.T
	bin      string
	demo     *docsDemo
	name     string
	dir      string // stands for the repository root
	testBase int    // the testnet's first port (26600 in the docs)
}

// port maps a port of the docs to the one of this run.
func (r *docRun) port(p int) (int, bool) {
	switch {
	case p == 1317:
		return r.demo.api, true
	case p == 26656:
		return r.demo.p2p, true
	case p == 26657:
		return r.demo.rpc, true
	case p == 26660:
		return r.demo.prom, true
	case p >= 26600 && p < 26650:
		return r.testBase + p - 26600, true
	}
	return p, false
}

// substitute replaces the ports of a command (and only them).
func (r *docRun) substitute(s string) string {
	s = docsHostPortRe.ReplaceAllStringFunc(s, func(m string) string {
		sub := docsHostPortRe.FindStringSubmatch(m)
		p, _ := strconv.Atoi(sub[2])
		if q, ok := r.port(p); ok {
			return fmt.Sprintf("%s:%d", sub[1], q)
		}
		return m
	})
	if docsTestnetRe.MatchString(s) {
		if docsBasePortRe.MatchString(s) {
			s = docsBasePortRe.ReplaceAllStringFunc(s, func(m string) string {
				sub := docsBasePortRe.FindStringSubmatch(m)
				p, _ := strconv.Atoi(sub[2])
				q, _ := r.port(p)
				return fmt.Sprintf("--base-port%s%d", sub[1], q)
			})
		} else {
			s = docsTestnetRe.ReplaceAllString(s, fmt.Sprintf("bin/danangchain testnet --base-port %d$1", r.testBase))
		}
	}
	return s
}

// runDoc runs the blocks of one document in one bash session.
func runDoc(t *testing.T, bin string, demo *docsDemo, name string, blocks []docBlock) {
	start := time.Now()
	r := &docRun{t: t, bin: bin, demo: demo, name: name, dir: t.TempDir()}
	r.testBase = docsFreePorts(t, 50)
	require.NoError(t, os.Mkdir(filepath.Join(r.dir, "bin"), 0o755))
	require.NoError(t, os.Symlink(bin, filepath.Join(r.dir, "bin", "danangchain")))
	require.NoError(t, os.Symlink(demo.home, filepath.Join(r.dir, ".demo")))

	// Does a testnet block come before the document creates its testnet?
	provision := false
	for _, b := range blocks {
		if b.mark == "skip" {
			continue
		}
		creates := false
		for _, c := range b.cmds {
			creates = creates || docsTestnetRe.MatchString(c.text)
		}
		if creates {
			break
		}
		if b.mark == "testnet" {
			provision = true
			break
		}
	}
	if provision {
		r.startTestnet()
	}

	var cmds []docCmd
	for _, b := range blocks {
		if b.mark == "skip" {
			t.Logf("%s:%d: skipped: %s", name, b.line, b.reason)
			continue
		}
		for _, c := range b.cmds {
			c.text = r.substitute(c.text)
			cmds = append(cmds, c)
		}
	}
	if failure := runDocCmds(t, r.dir, name, cmds, 6*time.Minute); failure != "" {
		t.Fatalf("%s\n(ports substituted; the demo's home: %s)", failure, demo.home)
	}
	t.Logf("%s: %d commands ran as documented in %s", name, len(cmds), time.Since(start).Round(time.Second))
}

// runDocCmds runs cmds in order in one bash session in dir and checks
// each exit status against what the docs announce. It returns "" when all
// ran as documented, else the first failure with the output's tail. What
// the commands leave running is stopped before it returns.
func runDocCmds(t *testing.T, dir, name string, cmds []docCmd, timeout time.Duration) string {
	scratch := t.TempDir()
	status, errFile := filepath.Join(scratch, "status"), filepath.Join(scratch, "stderr")
	var sb strings.Builder
	fmt.Fprintf(&sb, "set -o pipefail\n__docs_status=%s\n__docs_err=%s\n", docsQuote(status), docsQuote(errFile))
	sb.WriteString(`__docs_ck() { # status want mention
	cat "$__docs_err" >&2
	if [ "$1" != "$2" ]; then
		printf 'exit status %s, the docs announce %s\n' "$1" "$2" >> "$__docs_status"; exit 86
	fi
	if [ -n "$3" ] && ! grep -qiF -- "$3" "$__docs_err"; then
		printf 'rejected as announced, but the error does not name %s\n' "$3" >> "$__docs_status"; exit 86
	fi
	printf 'ok\n' >> "$__docs_status"
}
`)
	for _, c := range cmds {
		// The command as written, in a group whose stderr is kept for
		// "# rejected: CODE"; its comment ends before the closing brace.
		fmt.Fprintf(&sb, "\nprintf '\\n=== %%s\\n$ %%s\\n' %s %s >&2\n{\n%s\n} 2>\"$__docs_err\"\n__docs_ck $? %d %s\n",
			docsQuote(fmt.Sprintf("%s:%d", name, c.line)), docsQuote(c.text), c.text, c.want, docsQuote(c.mention))
	}
	script := filepath.Join(scratch, "doc.sh")
	require.NoError(t, os.WriteFile(script, []byte(sb.String()), 0o644))
	logPath := filepath.Join(scratch, "output.log")
	logf, err := os.Create(logPath)
	require.NoError(t, err)
	defer logf.Close()
	cmd := exec.Command("bash", script)
	cmd.Dir, cmd.Stdout, cmd.Stderr = dir, logf, logf
	cmd.Env = docsEnv(t)
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	require.NoError(t, cmd.Start())
	exited := make(chan struct{})
	var waitErr error
	go func() { waitErr = cmd.Wait(); close(exited) }()
	timedOut := false
	select {
	case <-exited:
	case <-time.After(timeout):
		timedOut = true
	}
	// Stop what the document left running (its nodes), then read the verdicts.
	docsStopGroup(cmd.Process.Pid, exited)

	verdicts := docsReadLines(status)
	n := len(verdicts)
	var why string
	switch {
	case timedOut:
		why = fmt.Sprintf("still running after %s", timeout)
	case n > 0 && verdicts[n-1] != "ok":
		why, n = verdicts[n-1], n-1
	case waitErr != nil || n != len(cmds):
		why = fmt.Sprintf("bash ended (%v) after %d of %d commands", waitErr, n, len(cmds))
	default:
		return ""
	}
	at := name
	if n < len(cmds) {
		at = fmt.Sprintf("%s:%d: %s", name, cmds[n].line, cmds[n].text)
	}
	return fmt.Sprintf("%s\n=> %s\n\noutput (tail):\n%s", at, why, docsTail(logPath, 80))
}

// startTestnet creates and starts ./testnet as the README's node-operator
// quick start does (4 validators, pid files), on this run's ports, and
// waits until node0 is ready.
func (r *docRun) startTestnet() {
	t := r.t
	cmd := exec.Command(r.bin, "testnet", "--validators", "4", "--output", "./testnet", "--base-port", strconv.Itoa(r.testBase))
	cmd.Dir, cmd.Env = r.dir, docsEnv(t)
	out, err := cmd.CombinedOutput()
	require.NoError(t, err, "%s", out)
	for i := 0; i < 4; i++ {
		home := fmt.Sprintf("testnet/node%d", i)
		logf, err := os.Create(filepath.Join(r.dir, home+".log"))
		require.NoError(t, err)
		p := exec.Command(r.bin, "start", "--home", home)
		p.Dir, p.Env, p.Stdout, p.Stderr = r.dir, cmd.Env, logf, logf
		p.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
		require.NoError(t, p.Start())
		logf.Close()
		exited := make(chan struct{})
		go func() { _ = p.Wait(); close(exited) }()
		t.Cleanup(func() { docsStopGroup(p.Process.Pid, exited) })
		require.NoError(t, os.WriteFile(filepath.Join(r.dir, home+".pid"), []byte(strconv.Itoa(p.Process.Pid)+"\n"), 0o644))
	}
	url := fmt.Sprintf("http://127.0.0.1:%d/readyz", r.testBase+2)
	deadline := time.Now().Add(2 * time.Minute)
	for {
		resp, err := http.Get(url)
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				t.Logf("%s: started the testnet the document uses (ports from %d)", r.name, r.testBase)
				return
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("testnet node0 not ready at %s after 2 minutes", url)
		}
		time.Sleep(500 * time.Millisecond)
	}
}

// docsQuote quotes s for bash.
func docsQuote(s string) string { return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'" }

func docsReadLines(path string) []string {
	f, err := os.Open(path)
	if err != nil {
		return nil
	}
	defer f.Close()
	var out []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		out = append(out, sc.Text())
	}
	return out
}

func docsTail(path string, n int) string {
	lines := docsReadLines(path)
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}

// TestDocsRunParse checks the block parser and the conventions on a small
// document (no processes).
func TestDocsRunParse(t *testing.T) {
	doc := "# T\n\n```sh\nH=\"--home .demo\"   # comment\nbin/danangchain verify x $H   # exits 1: revoked\n" +
		"bin/danangchain notary contract a \\\n    --from notary $H  # rejected: blocked\necho '# not a comment' \"#\" # exits 3\n```\n\n" +
		"<!-- docs-run: skip (needs root) -->\n```sh\nuseradd x\n```\n\n<!-- docs-run: testnet -->\n\n   ```sh\n   curl 127.0.0.1:26602/readyz\n   ```\n" +
		"```go\nx := 1 // ```sh\n```\n"
	path := filepath.Join(t.TempDir(), "doc.md")
	require.NoError(t, os.WriteFile(path, []byte(doc), 0o644))
	blocks, err := parseDocBlocks(path)
	require.NoError(t, err)
	require.Len(t, blocks, 3)
	require.Equal(t, []docCmd{
		{line: 4, text: `H="--home .demo"   # comment`},
		{line: 5, text: "bin/danangchain verify x $H   # exits 1: revoked", want: 1},
		{line: 6, text: "bin/danangchain notary contract a \\\n    --from notary $H  # rejected: blocked", want: 2, mention: "blocked"},
		{line: 8, text: `echo '# not a comment' "#" # exits 3`, want: 3},
	}, blocks[0].cmds)
	require.Equal(t, "skip", blocks[1].mark)
	require.Equal(t, "needs root", blocks[1].reason)
	require.Equal(t, "testnet", blocks[2].mark)
	require.Equal(t, "curl 127.0.0.1:26602/readyz", blocks[2].cmds[0].text)

	r := &docRun{demo: &docsDemo{p2p: 31000, rpc: 31001, api: 31002, prom: 31003}, testBase: 31500}
	require.Equal(t, "curl http://127.0.0.1:31002/v1/x; curl localhost:31542/readyz", r.substitute("curl http://127.0.0.1:1317/v1/x; curl localhost:26642/readyz"))
	require.Equal(t, "bin/danangchain testnet --base-port 31500 --validators 4 --output ./testnet", r.substitute("bin/danangchain testnet --validators 4 --output ./testnet"))
	require.Equal(t, "bin/danangchain testnet --output t --base-port 31500", r.substitute("bin/danangchain testnet --output t --base-port 26600"))
	require.Equal(t, "--rpc http://127.0.0.1:31501,http://127.0.0.1:31511", r.substitute("--rpc http://127.0.0.1:26601,http://127.0.0.1:26611"))

	for _, bad := range []string{
		"<!-- docs-run: skip -->\n```sh\nx\n```\n",
		"<!-- docs-run: testnet -->\ntext\n```sh\nx\n```\n",
		"<!-- docs-run: testnet -->\n```go\nx\n```\n",
		"```sh\nx\n",
	} {
		require.NoError(t, os.WriteFile(path, []byte(bad), 0o644))
		_, err := parseDocBlocks(path)
		require.Error(t, err, bad)
	}
}

// TestDocsRunChecks runs small documents through the same bash session
// and checks that the announced exit statuses are enforced both ways.
func TestDocsRunChecks(t *testing.T) {
	run := func(body string) (string, string) {
		t.Helper()
		dir := t.TempDir()
		path := filepath.Join(dir, "doc.md")
		require.NoError(t, os.WriteFile(path, []byte("```sh\n"+body+"```\n"), 0o644))
		blocks, err := parseDocBlocks(path)
		require.NoError(t, err)
		return runDocCmds(t, dir, "doc.md", blocks[0].cmds, time.Minute), dir
	}
	failure, dir := run(`true
false                                   # exits 1: announced
X=$(echo 5)
[ "$X" = 5 ]                            # a variable outlives its line
sh -c 'echo "rejected (code 19): blocked: notice 2" >&2; exit 2'   # rejected: blocked
sleep 120 & echo $! > bg.pid            # left running: stopped at the end
`)
	require.Empty(t, failure)
	b, err := os.ReadFile(filepath.Join(dir, "bg.pid"))
	require.NoError(t, err)
	pid, err := strconv.Atoi(strings.TrimSpace(string(b)))
	require.NoError(t, err)
	if stat, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid)); err == nil { // gone, or a zombie
		require.Equal(t, "Z", strings.Fields(string(stat[strings.LastIndexByte(string(stat), ')')+1:]))[0],
			"a background process outlived its document")
	}

	for body, want := range map[string]string{
		"true\nfalse\ntouch never\n":                                "doc.md:3: false\n=> exit status 1, the docs announce 0",
		"true   # exits 1\n":                                        "exit status 0, the docs announce 1",
		"sh -c 'exit 0'   # rejected: blocked\n":                    "exit status 0, the docs announce 2",
		"sh -c 'echo conflict >&2; exit 2'   # rejected: blocked\n": "the error does not name blocked",
		"echo 'unclosed\n":                                          "bash ended",
	} {
		failure, dir := run(body)
		require.Contains(t, failure, want, body)
		require.NoFileExists(t, filepath.Join(dir, "never"))
	}
}
