package networks_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/cometbft/cometbft/p2p"
	rpcclient "github.com/cometbft/cometbft/rpc/client"
	"github.com/cometbft/cometbft/types"
	"github.com/stretchr/testify/require"

	"github.com/danangchain/danangchain/client"
	"github.com/danangchain/danangchain/registry"
)

// The fault suite runs real `danangchain start` processes whose p2p
// connections all go through in-test TCP proxies (proxy_test.go), so that
// a test can kill -9, SIGTERM, SIGSTOP/SIGCONT and partition nodes while a
// load of unique records is written, then check the invariants:
//
//   - every node has the same block hash and app hash at every height;
//   - every record whose commit was acknowledged is in the state of every
//     node, with an ICS23 proof valid against a header verified from
//     genesis (zero lost), anchored by exactly the acknowledged tx (no
//     duplicate: each acknowledged tx is in exactly one block);
//   - no block carries evidence and no node logs a double sign or a
//     consensus failure;
//   - the chain progresses whenever more than 2/3 of the voting power is
//     up and connected (checked during each fault).
//
// Port layout from base: node i uses base+10i..base+10i+3 (i < 6), the
// proxies base+60... Tests use bases 30000-30899.

// faultOpts shape a fault network.
type faultOpts struct {
	validators int
	// joiners are full nodes (testnet --full-nodes) that the scenario
	// starts itself, e.g. to join by state sync or block sync.
	joiners int
	// snapshotInterval in blocks (0 = the default, 1000: no snapshot in a
	// short test).
	snapshotInterval uint64
	// dir holds the homes (default: a temporary directory).
	dir string
}

// faultNet is a network whose p2p links the test controls.
type faultNet struct {
	t       *testing.T
	name    string
	base    int
	vals    int
	nodes   []*proc
	ids     []string
	clients []*client.Client
	mesh    *mesh
	gen     *types.GenesisDoc
	running []bool
	paused  []bool
	started time.Time
}

func newFaultNet(t *testing.T, name string, base int, o faultOpts) *faultNet {
	t.Helper()
	dir := o.dir
	if dir == "" {
		dir = t.TempDir()
	}
	n := o.validators + o.joiners
	require.LessOrEqual(t, n, 6)
	args := []string{"testnet", "--validators", fmt.Sprint(o.validators), "--full-nodes", fmt.Sprint(o.joiners),
		"--output", dir, "--base-port", fmt.Sprint(base), "--chain-id", "danang-faults"}
	if o.snapshotInterval > 0 {
		args = append(args, "--snapshot-interval", fmt.Sprint(o.snapshotInterval))
	}
	_, err := run(t, args...)
	require.NoError(t, err)
	f := &faultNet{t: t, name: name, base: base, vals: o.validators, running: make([]bool, n), paused: make([]bool, n)}
	for i := 0; i < n; i++ {
		p := &proc{home: filepath.Join(dir, fmt.Sprintf("node%d", i)), rpc: fmt.Sprintf("http://127.0.0.1:%d", base+10*i+1)}
		f.nodes = append(f.nodes, p)
		nk, err := p2p.LoadNodeKey(filepath.Join(p.home, "config", "node_key.json"))
		require.NoError(t, err)
		f.ids = append(f.ids, string(nk.ID()))
		c, err := client.New(p.rpc, client.WithPollInterval(100*time.Millisecond))
		require.NoError(t, err)
		f.clients = append(f.clients, c)
	}
	f.mesh, err = newMesh(n,
		func(j int) string { return fmt.Sprintf("127.0.0.1:%d", base+10*j) },
		func(i, j int) string {
			k := i*(n-1) + j
			if j > i {
				k--
			}
			return fmt.Sprintf("127.0.0.1:%d", base+60+k)
		})
	require.NoError(t, err)
	t.Cleanup(func() {
		for i := range f.nodes {
			f.kill(i)
		}
		f.mesh.close()
	})
	// Every peer address goes through the mesh; PEX off so that nodes
	// never learn each other's real addresses.
	for i := range f.nodes {
		var peers []string
		for j := 0; j < o.validators; j++ {
			if j != i {
				peers = append(peers, f.ids[j]+"@"+f.mesh.links[[2]int{i, j}].addr())
			}
		}
		f.editConfig(i, func(s string) string {
			s = replaceLine(s, "persistent_peers = ", fmt.Sprintf("persistent_peers = %q", strings.Join(peers, ",")))
			return replaceLine(s, "pex = ", "pex = false")
		})
	}
	f.gen, err = types.GenesisDocFromFile(filepath.Join(f.nodes[0].home, "config", "genesis.json"))
	require.NoError(t, err)
	return f
}

// replaceLine replaces the first line starting with prefix.
func replaceLine(s, prefix, line string) string {
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		if strings.HasPrefix(l, prefix) {
			lines[i] = line
			return strings.Join(lines, "\n")
		}
	}
	panic("no line " + prefix)
}

func (f *faultNet) editConfig(i int, edit func(string) string) {
	p := filepath.Join(f.nodes[i].home, "config", "config.toml")
	b, err := os.ReadFile(p)
	require.NoError(f.t, err)
	require.NoError(f.t, os.WriteFile(p, []byte(edit(string(b))), 0o644))
}

func (f *faultNet) editAppConfig(i int, edit func(string) string) {
	p := filepath.Join(f.nodes[i].home, "config", "app.toml")
	b, err := os.ReadFile(p)
	require.NoError(f.t, err)
	require.NoError(f.t, os.WriteFile(p, []byte(edit(string(b))), 0o644))
}

// validators lists the indexes 0..vals-1.
func (f *faultNet) validators() []int {
	out := make([]int, f.vals)
	for i := range out {
		out[i] = i
	}
	return out
}

func (f *faultNet) start(i int) {
	f.t.Helper()
	require.False(f.t, f.running[i], "node %d already running", i)
	f.nodes[i].start(f.t)
	f.running[i] = true
}

func (f *faultNet) startAll(nodes ...int) {
	for _, i := range nodes {
		f.start(i)
	}
}

// kill sends SIGKILL (after SIGCONT if paused) and waits for the exit.
func (f *faultNet) kill(i int) {
	if !f.running[i] {
		return
	}
	p := f.nodes[i]
	_ = p.cmd.Process.Signal(syscall.SIGKILL)
	<-p.done
	f.running[i], f.paused[i] = false, false
}

// term sends SIGTERM and requires a clean exit (status 0) within 15 s.
func (f *faultNet) term(i int) time.Duration {
	f.t.Helper()
	require.True(f.t, f.running[i])
	require.False(f.t, f.paused[i])
	err, took := f.nodes[i].stop(15 * time.Second)
	f.running[i] = false
	require.NoError(f.t, err, "node %d after SIGTERM", i)
	return took
}

func (f *faultNet) pause(i int) {
	require.NoError(f.t, f.nodes[i].cmd.Process.Signal(syscall.SIGSTOP))
	f.paused[i] = true
}

func (f *faultNet) resume(i int) {
	require.NoError(f.t, f.nodes[i].cmd.Process.Signal(syscall.SIGCONT))
	f.paused[i] = false
}

// status of node i, nil if it does not answer within 2 s.
func (f *faultNet) status(i int) (latest, earliest int64, ok bool) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	st, err := f.clients[i].Status(ctx)
	if err != nil {
		return -1, -1, false
	}
	return st.SyncInfo.LatestBlockHeight, st.SyncInfo.EarliestBlockHeight, true
}

func (f *faultNet) height(i int) int64 {
	h, _, _ := f.status(i)
	return h
}

// maxHeight is the highest height among nodes (-1 if none answers).
func (f *faultNet) maxHeight(nodes []int) int64 {
	best := int64(-1)
	for _, i := range nodes {
		if f.running[i] && !f.paused[i] {
			best = max(best, f.height(i))
		}
	}
	return best
}

// waitHeights waits until every node in nodes is at h or above.
func (f *faultNet) waitHeights(nodes []int, h int64, timeout time.Duration) time.Duration {
	f.t.Helper()
	start := time.Now()
	for {
		ok := true
		for _, i := range nodes {
			if f.height(i) < h {
				ok = false
				break
			}
		}
		if ok {
			return time.Since(start)
		}
		if time.Since(start) > timeout {
			var hs []string
			for _, i := range nodes {
				hs = append(hs, fmt.Sprintf("node%d=%d", i, f.height(i)))
			}
			f.t.Fatalf("%s: nodes did not reach height %d within %s: %s", f.name, h, timeout, strings.Join(hs, " "))
		}
		time.Sleep(200 * time.Millisecond)
	}
}

// recovery measures, from now, how long the chain takes to commit a block
// above h0 (progress) and every node in nodes to have one (recovered).
func (f *faultNet) recovery(h0 int64, nodes []int, limit time.Duration) (progress, recovered time.Duration) {
	return f.recoverySince(time.Now(), h0, nodes, limit)
}

// recoverySince is recovery measured from start.
func (f *faultNet) recoverySince(start time.Time, h0 int64, nodes []int, limit time.Duration) (progress, recovered time.Duration) {
	f.t.Helper()
	progress = -1
	for {
		all := true
		for _, i := range nodes {
			h := f.height(i)
			if h > h0 && progress < 0 {
				progress = time.Since(start)
			}
			if h <= h0 {
				all = false
			}
		}
		if all {
			if progress < 0 {
				progress = time.Since(start)
			}
			return progress, time.Since(start)
		}
		if time.Since(start) > limit {
			f.t.Fatalf("%s: not recovered within %s (progress %v, heights %v, h0 %d)", f.name, limit, progress, f.heights(nodes), h0)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

func (f *faultNet) heights(nodes []int) []int64 {
	var out []int64
	for _, i := range nodes {
		out = append(out, f.height(i))
	}
	return out
}

// requireProgress requires the nodes (more than 2/3 of the power, up and
// connected) to commit at least blocks more blocks within timeout.
func (f *faultNet) requireProgress(nodes []int, blocks int64, timeout time.Duration) {
	f.t.Helper()
	h := f.maxHeight(nodes)
	f.waitHeights(nodes, h+blocks, timeout)
}

// ack is an acknowledged record: its commit was seen (height, code 0).
type ack struct {
	hash   []byte
	txHash []byte
	height int64
}

// loadGen writes unique anchors from the "ward" agency with workers
// spread over the given nodes until stopped.
type loadGen struct {
	cancel    context.CancelFunc
	wg        sync.WaitGroup
	mu        sync.Mutex
	acks      []ack
	submitted int
}

func (f *faultNet) startLoad(workers int, nodes []int) *loadGen {
	s := signer(f.t, f.nodes[0].home, "ward")
	ctx, cancel := context.WithCancel(context.Background())
	l := &loadGen{cancel: cancel}
	for w := 0; w < workers; w++ {
		l.wg.Add(1)
		go func(url string) {
			defer l.wg.Done()
			c, err := client.New(url, client.WithPollInterval(100*time.Millisecond), client.WithChainID(f.gen.ChainID))
			if err != nil {
				return
			}
			for ctx.Err() == nil {
				h := make([]byte, 32)
				rand.Read(h)
				cctx, ccancel := context.WithTimeout(ctx, 15*time.Second)
				res, err := c.Submit(cctx, s, &registry.MsgAnchor{Hash: h, Tag: "kiểm thử sự cố"})
				ccancel()
				l.mu.Lock()
				l.submitted++
				if err == nil {
					l.acks = append(l.acks, ack{hash: h, txHash: res.Hash, height: res.Height})
				}
				l.mu.Unlock()
				if err != nil {
					time.Sleep(200 * time.Millisecond)
				}
			}
		}(f.nodes[nodes[w%len(nodes)]].rpc)
	}
	return l
}

func (l *loadGen) count() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.acks)
}

// stop ends the load and returns the acknowledged records.
func (l *loadGen) stop() (acks []ack, submitted int) {
	l.cancel()
	l.wg.Wait()
	return l.acks, l.submitted
}

// checked is what checkInvariants verified.
type checked struct {
	Nodes      int   `json:"nodes"`
	Heights    int64 `json:"heights_compared"`
	Records    int   `json:"records_acked"`
	Proofs     int   `json:"proofs_checked"`
	Lost       int   `json:"lost"`
	Duplicates int   `json:"duplicates"`
	Evidence   int   `json:"evidence"`
}

// checkInvariants waits for nodes to converge and checks every invariant
// of the suite over them; node ref must have the whole chain (block 1).
func (f *faultNet) checkInvariants(acks []ack, nodes []int, ref int) checked {
	t := f.t
	t.Helper()
	ctx := context.Background()
	res := checked{Nodes: len(nodes), Records: len(acks)}
	// Converge: every node one block above the current maximum.
	target := f.maxHeight(nodes) + 1
	f.waitHeights(nodes, target, 120*time.Second)

	// 1. Same block hash and app hash at every common height.
	top, low := int64(1<<62), int64(1)
	for _, i := range nodes {
		latest, earliest, ok := f.status(i)
		require.True(t, ok, "node %d status", i)
		top = min(top, latest)
		low = max(low, earliest)
	}
	_, refEarliest, _ := f.status(ref)
	require.Equal(t, int64(1), refEarliest, "reference node %d must hold the whole chain", ref)
	type hashes struct{ block, app string }
	byNode := map[int]map[int64]hashes{}
	for _, i := range nodes {
		m := map[int64]hashes{}
		for h := low; h <= top; h += 20 {
			hi := min(h+19, top)
			r, err := f.clients[i].RPC().BlockchainInfo(ctx, h, hi)
			require.NoError(t, err, "node %d blockchain %d-%d", i, h, hi)
			for _, meta := range r.BlockMetas {
				m[meta.Header.Height] = hashes{meta.BlockID.Hash.String(), meta.Header.AppHash.String()}
			}
		}
		require.Len(t, m, int(top-low+1), "node %d block metas", i)
		byNode[i] = m
	}
	for _, i := range nodes {
		for h := low; h <= top; h++ {
			require.Equal(t, byNode[ref][h], byNode[i][h], "node %d vs node %d at height %d: block/app hash", i, ref, h)
		}
	}
	res.Heights = top - low + 1

	// 2. Blocks of the reference node: no evidence, every tx once.
	txHeight := map[string]int64{}
	for h := int64(1); h <= top; h++ {
		b, err := f.clients[ref].RPC().Block(ctx, &h)
		require.NoError(t, err)
		res.Evidence += len(b.Block.Evidence.Evidence)
		for _, tx := range b.Block.Txs {
			k := string(tx.Hash())
			if _, dup := txHeight[k]; dup {
				res.Duplicates++
			}
			txHeight[k] = h
		}
	}
	for _, a := range acks {
		h, ok := txHeight[string(a.txHash)]
		if !ok {
			res.Lost++
			t.Errorf("acknowledged tx %X (height %d) is in no block", a.txHash, a.height)
		} else if h != a.height {
			res.Duplicates++
			t.Errorf("acknowledged tx %X at height %d is in block %d", a.txHash, a.height, h)
		}
	}

	// 3. Every acknowledged record on every node, with a proof against the
	// app hash of header top (state after block top-1), verified from
	// genesis by a light client.
	v, err := client.NewVerifier(ctx, f.gen, f.nodes[ref].rpc)
	require.NoError(t, err)
	lb, err := v.LightBlock(ctx, top)
	require.NoError(t, err)
	appHash := lb.Header.AppHash
	var mu sync.Mutex
	for _, i := range nodes {
		jobs := make(chan ack)
		var wg sync.WaitGroup
		for w := 0; w < 8; w++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for a := range jobs {
					lost, dup := f.checkRecord(ctx, i, a, top-1, appHash)
					mu.Lock()
					res.Proofs++
					if lost != "" {
						res.Lost++
						t.Errorf("node %d: record %x (height %d): %s", i, a.hash, a.height, lost)
					}
					if dup {
						res.Duplicates++
					}
					mu.Unlock()
				}
			}()
		}
		for _, a := range acks {
			jobs <- a
		}
		close(jobs)
		wg.Wait()
	}

	// 4. No node saw a double sign or a consensus failure.
	for _, i := range nodes {
		b, err := os.ReadFile(filepath.Join(f.nodes[i].home, "node.log"))
		require.NoError(t, err)
		// "conflicting data" is the file signer refusing to sign a second,
		// different vote at a height/round it already signed after a restart:
		// the double-sign protection working, not a double sign.
		for _, bad := range []string{"CONSENSUS FAILURE", "double sign", "DuplicateVoteEvidence"} {
			if n := bytes.Count(b, []byte(bad)); n > 0 {
				res.Evidence += n
				t.Errorf("node %d log: %d x %q", i, n, bad)
			}
		}
	}
	require.Zero(t, res.Lost, "lost records")
	require.Zero(t, res.Duplicates, "duplicates")
	require.Zero(t, res.Evidence, "evidence or double signs")
	return res
}

// checkRecord returns why a record is lost ("" if present with a valid
// proof) and whether it was anchored by another tx than the acknowledged
// one.
func (f *faultNet) checkRecord(ctx context.Context, i int, a ack, height int64, appHash []byte) (string, bool) {
	key := registry.AnchorKey(a.hash)
	q, err := f.clients[i].RPC().ABCIQueryWithOptions(ctx, "/store", key, rpcclient.ABCIQueryOptions{Height: height, Prove: true})
	if err != nil {
		return "query: " + err.Error(), false
	}
	if len(q.Response.Value) == 0 {
		return "absent", false
	}
	if q.Response.ProofOps == nil || len(q.Response.ProofOps.Ops) != 1 {
		return "no proof", false
	}
	if err := client.VerifyProof(appHash, key, q.Response.Value, q.Response.ProofOps.Ops[0].Data); err != nil {
		return "proof: " + err.Error(), false
	}
	an, err := registry.DecodeAnchor(q.Response.Value)
	if err != nil {
		return "decode: " + err.Error(), false
	}
	return "", int64(an.Height) != a.height
}

// faultReport is one line of the fault-tolerance report.
type faultReport struct {
	Scenario     string  `json:"scenario"`
	Fault        string  `json:"fault"`
	ProgressSec  float64 `json:"progress_s"`
	RecoverySec  float64 `json:"recovery_s"`
	BlocksDuring int64   `json:"blocks_during_fault"`
	Submitted    int     `json:"submitted"`
	checked
	Notes string `json:"notes,omitempty"`
}

// report logs r and appends it as JSON to $DANANGCHAIN_FAULT_REPORT.
func (f *faultNet) report(r faultReport) {
	f.t.Logf("REPORT %-28s recovery %6.1fs progress %6.1fs acked %5d proofs %6d lost %d dup %d evidence %d heights %d  %s",
		r.Scenario, r.RecoverySec, r.ProgressSec, r.Records, r.Proofs, r.Lost, r.Duplicates, r.Evidence, r.Heights, r.Notes)
	path := os.Getenv("DANANGCHAIN_FAULT_REPORT")
	if path == "" {
		return
	}
	b, _ := json.Marshal(r)
	fh, err := os.OpenFile(path, os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o644)
	require.NoError(f.t, err)
	defer fh.Close()
	_, err = fmt.Fprintf(fh, "%s\n", b)
	require.NoError(f.t, err)
}

func secs(d time.Duration) float64 {
	return float64(d.Round(100*time.Millisecond)) / float64(time.Second)
}
