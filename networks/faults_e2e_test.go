//go:build e2e

package networks_test

import (
	"bytes"
	"context"
	"encoding/hex"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/cometbft/cometbft/privval"
	"github.com/stretchr/testify/require"

	"github.com/danangchain/danangchain/node"
	"github.com/danangchain/danangchain/registry"
)

// The long fault scenarios (make test-e2e): each runs its own network of
// four validators (plus joiners) under a load of unique records, injects
// one fault, measures the recovery and checks every invariant of the
// suite (faults_harness_test.go). Set DANANGCHAIN_FAULT_REPORT=FILE to
// collect the measurements (docs/fault-tolerance.md).

// e2eBase spreads the scenarios over the ports 30100-30899.
var e2eBase = map[string]int{}

func e2ePort(t *testing.T) int {
	if b, ok := e2eBase[t.Name()]; ok {
		return b
	}
	b := 30100 + 100*(len(e2eBase)%8)
	e2eBase[t.Name()] = b
	return b
}

const e2eWorkers = 16

// e2eNet starts a network with its validators up at height 3 and a load.
func e2eNet(t *testing.T, o faultOpts) (*faultNet, *loadGen) {
	if o.validators == 0 {
		o.validators = 4
	}
	f := newFaultNet(t, t.Name(), e2ePort(t), o)
	vals := f.validators()
	f.startAll(vals...)
	f.waitHeights(vals, 3, 90*time.Second)
	return f, f.startLoad(e2eWorkers, vals)
}

// finish stops the load after a last stretch, checks the invariants over
// nodes and writes the report.
func (f *faultNet) finish(load *loadGen, nodes []int, r faultReport) {
	time.Sleep(5 * time.Second)
	acks, submitted := load.stop()
	require.NotEmpty(f.t, acks, "no record acknowledged")
	r.checked = f.checkInvariants(acks, nodes, 0)
	r.Submitted = submitted
	r.Scenario = strings.TrimPrefix(f.t.Name(), "TestE2E")
	f.report(r)
}

func TestE2EKillOne(t *testing.T) {
	f, load := e2eNet(t, faultOpts{})
	all := f.validators()
	time.Sleep(10 * time.Second)
	f.kill(2)
	f.requireProgress([]int{0, 1, 3}, 5, 30*time.Second)
	h0 := f.maxHeight(all)
	f.start(2)
	prog, rec := f.recovery(h0, all, 90*time.Second)
	require.Less(t, rec, 30*time.Second)
	f.finish(load, all, faultReport{Fault: "kill -9 one validator mid-load (down ~10 s), restart",
		ProgressSec: secs(prog), RecoverySec: secs(rec)})
}

func TestE2EKillAll(t *testing.T) {
	f, load := e2eNet(t, faultOpts{})
	all := f.validators()
	time.Sleep(10 * time.Second)
	prog, rec := f.killAllRestart(all)
	require.Less(t, rec, 30*time.Second)
	f.finish(load, all, faultReport{Fault: "kill -9 all four at once mid-load, restart (times from the restart)",
		ProgressSec: secs(prog), RecoverySec: secs(rec)})
}

func TestE2ERollingRestart(t *testing.T) {
	f, load := e2eNet(t, faultOpts{})
	all := f.validators()
	var worst, worstStop time.Duration
	for i := range all {
		time.Sleep(5 * time.Second)
		worstStop = max(worstStop, f.term(i))
		var others []int
		for _, j := range all {
			if j != i {
				others = append(others, j)
			}
		}
		f.requireProgress(others, 2, 30*time.Second)
		h0 := f.maxHeight(all)
		f.start(i)
		_, rec := f.recovery(h0, all, 90*time.Second)
		worst = max(worst, rec)
	}
	require.Less(t, worst, 30*time.Second)
	f.finish(load, all, faultReport{Fault: "SIGTERM, restart each validator in turn (worst of four)",
		RecoverySec: secs(worst), Notes: fmt.Sprintf("every SIGTERM exited 0, the slowest in %s", worstStop.Round(time.Millisecond))})
}

func testPause(t *testing.T, d time.Duration) {
	f, load := e2eNet(t, faultOpts{})
	all := f.validators()
	time.Sleep(5 * time.Second)
	hp := f.maxHeight(all)
	f.pause(1)
	time.Sleep(d)
	during := f.maxHeight([]int{0, 2, 3}) - hp
	require.GreaterOrEqual(t, during, int64(d/(4*time.Second)), "the other three must keep committing")
	h0 := f.maxHeight([]int{0, 2, 3})
	f.resume(1)
	prog, rec := f.recovery(h0, all, 120*time.Second)
	require.Less(t, rec, 30*time.Second)
	f.finish(load, all, faultReport{Fault: fmt.Sprintf("SIGSTOP one validator for %s, SIGCONT", d),
		ProgressSec: secs(prog), RecoverySec: secs(rec), BlocksDuring: during,
		Notes: fmt.Sprintf("the other three committed %d blocks meanwhile", during)})
}

func TestE2EPause10s(t *testing.T) { testPause(t, 10*time.Second) }

func TestE2EPause2m(t *testing.T) { testPause(t, 2*time.Minute) }

func TestE2EPartition22(t *testing.T) {
	f, load := e2eNet(t, faultOpts{})
	all := f.validators()
	time.Sleep(10 * time.Second)
	during, prog, rec := f.partitionFor([][]int{{0, 1}, {2, 3}}, 60*time.Second)
	require.Zero(t, during, "no block without a 2/3 majority")
	require.Less(t, prog, 30*time.Second, "progress within 30 s of healing")
	f.finish(load, all, faultReport{Fault: "partition {0,1}|{2,3} for 60 s, heal",
		ProgressSec: secs(prog), RecoverySec: secs(rec), BlocksDuring: during,
		Notes: "no block during the partition"})
}

func TestE2EPartition13(t *testing.T) {
	f, load := e2eNet(t, faultOpts{})
	all := f.validators()
	time.Sleep(10 * time.Second)
	f.mesh.partition([]int{3}, []int{0, 1, 2})
	time.Sleep(3 * time.Second)
	hMaj, hMin := f.maxHeight([]int{0, 1, 2}), f.height(3)
	time.Sleep(57 * time.Second)
	during := f.maxHeight([]int{0, 1, 2}) - hMaj
	require.GreaterOrEqual(t, during, int64(15), "the majority (75%) continues")
	require.Equal(t, hMin, f.height(3), "the minority commits nothing")
	h0 := f.maxHeight(all)
	f.mesh.heal()
	prog, rec := f.recovery(h0, all, 90*time.Second)
	require.Less(t, rec, 30*time.Second)
	f.finish(load, all, faultReport{Fault: "partition {3}|{0,1,2} for 60 s, heal",
		ProgressSec: secs(prog), RecoverySec: secs(rec), BlocksDuring: during,
		Notes: fmt.Sprintf("majority committed %d blocks, minority none; minority caught up %d blocks", during, h0-hMin)})
}

// joinerRPCs are the state-sync RPC servers: validators 0 and 1.
func (f *faultNet) joinerRPCs() string {
	return f.nodes[0].rpc + "," + f.nodes[1].rpc
}

func TestE2EStateSyncJoin(t *testing.T) {
	f, load := e2eNet(t, faultOpts{joiners: 1, snapshotInterval: 10})
	vals := f.validators()
	j := 4
	f.waitHeights(vals, 32, 120*time.Second)
	out, err := run(t, "statesync-config", "--home", f.nodes[j].home, "--rpc", f.joinerRPCs(), "--back", "5", "-o", "json")
	require.NoError(t, err)
	require.Equal(t, true, jsonOut(t, out)["enable"])
	start := time.Now()
	f.start(j)
	h0 := f.maxHeight(vals)
	_, rec := f.recoverySince(start, h0, []int{j}, 120*time.Second)
	_, earliest, _ := f.status(j)
	require.Greater(t, earliest, int64(1), "the joiner restored a snapshot (its first block is above 1)")
	log, _ := os.ReadFile(filepath.Join(f.nodes[j].home, "node.log"))
	require.Contains(t, string(log), "Snapshot restored")

	// Verified reads against the joiner alone (its own RPC as the only
	// witness, overriding client.toml's): it has no block 1, so the client
	// must start from a trust point — a header the joiner has, whose hash
	// comes from a source we trust (validator 0's status).
	show := []string{"agency", "show", "ubnd-phuong-hai-chau", "--home", f.nodes[j].home, "--node", f.nodes[j].rpc, "-o", "json"}
	_, err = run(t, append(show, "--witness", f.nodes[j].rpc)...)
	require.ErrorContains(t, err, "trust point")
	out, err = run(t, "status", "--node", f.nodes[0].rpc, "-o", "json")
	require.NoError(t, err)
	st := jsonOut(t, out)
	th, hash := int64(st["latest_height"].(float64)), st["latest_block_hash"].(string)
	require.GreaterOrEqual(t, th, earliest)
	f.waitHeights([]int{j}, th, 60*time.Second) // the joiner has the trust point
	// A full node just restored may trail the validators by a few blocks
	// (not_current: the witnesses are ahead): ask again until it keeps up.
	current := func(args ...string) (string, error) {
		var out string
		var err error
		for deadline := time.Now().Add(60 * time.Second); ; time.Sleep(time.Second) {
			out, err = run(t, args...)
			if err == nil || !strings.Contains(err.Error(), "not_current") || time.Now().After(deadline) {
				return out, err
			}
		}
	}
	out, err = current(append(show, "--trust-height", fmt.Sprint(th), "--trust-hash", hash)...)
	require.NoError(t, err)
	require.Equal(t, true, jsonOut(t, out)["proof_verified"])
	// ... or from block 1 with a witness that still has it.
	out, err = current(append(show, "--witness", f.nodes[0].rpc)...)
	require.NoError(t, err)
	require.Equal(t, true, jsonOut(t, out)["proof_verified"])
	// The joiner's own HTTP API verifies from its [statesync] trust point
	// (503 not_current while it still trails its witnesses after the
	// restore, then 200).
	acfg, err := node.LoadAppConfig(f.nodes[j].home)
	require.NoError(t, err)
	var status int
	var body []byte
	for deadline := time.Now().Add(60 * time.Second); time.Now().Before(deadline); time.Sleep(time.Second) {
		resp, err := http.Get("http://" + acfg.APIAddr + "/v1/state/" + hex.EncodeToString(registry.AgencyKey("ubnd-phuong-hai-chau")))
		require.NoError(t, err)
		body, _ = io.ReadAll(resp.Body)
		resp.Body.Close()
		if status = resp.StatusCode; status == http.StatusOK {
			break
		}
		require.Equal(t, http.StatusServiceUnavailable, status, "%s", body)
	}
	require.Equal(t, http.StatusOK, status, "%s", body)

	f.finish(load, append(vals, j), faultReport{Fault: "a new full node joins by state sync (snapshots every 10 blocks)",
		RecoverySec: secs(rec), Notes: fmt.Sprintf("restored the snapshot at %d; time from start to the tip", earliest-1)})
}

func TestE2EBlockSyncJoin(t *testing.T) {
	f, load := e2eNet(t, faultOpts{joiners: 1})
	vals := f.validators()
	j := 4
	f.waitHeights(vals, 30, 120*time.Second)
	start := time.Now()
	f.start(j)
	h0 := f.maxHeight(vals)
	_, rec := f.recoverySince(start, h0, []int{j}, 120*time.Second)
	_, earliest, _ := f.status(j)
	require.Equal(t, int64(1), earliest)
	f.finish(load, append(vals, j), faultReport{Fault: "a new full node joins by block sync from genesis",
		RecoverySec: secs(rec), Notes: fmt.Sprintf("%d blocks fetched; time from start to the tip", h0)})
}

func TestE2EStateSyncFallback(t *testing.T) {
	f, load := e2eNet(t, faultOpts{joiners: 1}) // snapshots every 1000 blocks: none yet
	vals := f.validators()
	j := 4
	f.waitHeights(vals, 15, 120*time.Second)
	_, err := run(t, "statesync-config", "--home", f.nodes[j].home, "--rpc", f.joinerRPCs(), "--back", "5")
	require.NoError(t, err)
	f.editAppConfig(j, func(s string) string {
		return replaceLine(s, "statesync_fallback_after = ", `statesync_fallback_after = "20s"`)
	})
	start := time.Now()
	f.start(j)
	h0 := f.maxHeight(vals)
	_, rec := f.recoverySince(start, h0, []int{j}, 150*time.Second)
	_, earliest, _ := f.status(j)
	require.Equal(t, int64(1), earliest, "fell back to block sync from genesis")
	log, _ := os.ReadFile(filepath.Join(f.nodes[j].home, "node.log"))
	require.Contains(t, string(log), "restarting with block sync")
	f.finish(load, append(vals, j), faultReport{Fault: "state sync with no snapshot available: fallback to block sync after 20 s",
		RecoverySec: secs(rec), Notes: "time from start to the tip, including the 20 s wait"})
}

func TestE2EGovernanceWhileDown(t *testing.T) {
	f, load := e2eNet(t, faultOpts{joiners: 1})
	vals := f.validators()
	j := 4
	f.start(j) // a full node, to become a validator
	f.waitHeights([]int{j}, f.maxHeight(vals), 90*time.Second)
	time.Sleep(5 * time.Second)
	f.kill(3)
	up := []int{0, 1, 2}
	f.requireProgress(up, 2, 30*time.Second)

	pub := func(i int) string {
		pv := privval.LoadFilePVEmptyState(filepath.Join(f.nodes[i].home, "config", "priv_validator_key.json"), "")
		return hex.EncodeToString(pv.Key.PubKey.Bytes())
	}
	govern := func(args ...string) {
		H := []string{"--home", f.nodes[0].home, "-o", "json"}
		out, err := run(t, append(append([]string{"gov", "propose"}, args...), append([]string{"--from", "council1"}, H...)...)...)
		require.NoError(t, err)
		id := fmt.Sprint(jsonOut(t, out)["proposal_id"])
		for _, k := range []string{"council2", "council3"} {
			out, err = run(t, append([]string{"gov", "vote", id, "yes", "--from", k}, H...)...)
			require.NoError(t, err)
		}
		require.Contains(t, out, `"status": "executed"`)
	}
	inSet := func(pubHex string) bool {
		vs, err := f.clients[0].RPC().Validators(context.Background(), nil, nil, nil)
		require.NoError(t, err)
		for _, v := range vs.Validators {
			if hex.EncodeToString(v.PubKey.Bytes()) == pubHex {
				return true
			}
		}
		return false
	}
	waitSet := func(pubHex string, want bool) {
		deadline := time.Now().Add(60 * time.Second)
		for inSet(pubHex) != want {
			require.True(t, time.Now().Before(deadline), "validator %s in set: want %v", pubHex, want)
			time.Sleep(500 * time.Millisecond)
		}
	}
	// With node3 down (30 of 40 up), add node4, then remove node3.
	govern("set-validator", "--pubkey", pub(j), "--power", "10", "--name", "Nút mới quận Liên Chiểu")
	waitSet(pub(j), true)
	f.requireProgress([]int{0, 1, 2, j}, 3, 30*time.Second)
	govern("set-validator", "--pubkey", pub(3), "--power", "0")
	waitSet(pub(3), false)
	f.requireProgress([]int{0, 1, 2, j}, 3, 30*time.Second)
	// node3 comes back as a full node and catches up.
	h0 := f.maxHeight(up)
	f.start(3)
	prog, rec := f.recovery(h0, []int{0, 1, 2, 3, j}, 90*time.Second)
	require.Less(t, rec, 30*time.Second)
	// node4 signs commits (one of the last five at least).
	pv := privval.LoadFilePVEmptyState(filepath.Join(f.nodes[j].home, "config", "priv_validator_key.json"), "")
	signed := false
	for h := f.height(0); h > 0 && !signed && h > f.height(0)-5; h-- {
		c, err := f.clients[0].RPC().Commit(context.Background(), &h)
		require.NoError(t, err)
		for _, s := range c.Commit.Signatures {
			signed = signed || bytes.Equal(s.ValidatorAddress, pv.Key.PubKey.Address())
		}
	}
	require.True(t, signed, "the new validator signs")
	f.finish(load, []int{0, 1, 2, 3, j}, faultReport{Fault: "governance adds node4 and removes node3 while node3 is down; node3 restarts",
		ProgressSec: secs(prog), RecoverySec: secs(rec), Notes: "validator set {0,1,2,4}; recovery of node3 after its restart"})
}

// TestE2EDiskFull fills the disk of a validator (a 12 MiB tmpfs, so root
// only) with large blocks until it stops, grows the disk and restarts it:
// it must recover by itself (a state version cut short by the full disk is
// dropped and its block replayed) and keep every acknowledged record.
func TestE2EDiskFull(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("needs root to mount a small tmpfs")
	}
	disk := filepath.Join(t.TempDir(), "disk")
	require.NoError(t, os.MkdirAll(disk, 0o755))
	if out, err := exec.Command("mount", "-t", "tmpfs", "-o", "size=12m", "tmpfs", disk).CombinedOutput(); err != nil {
		t.Skipf("mount tmpfs: %v %s", err, out)
	}
	t.Cleanup(func() { _ = exec.Command("umount", "-l", disk).Run() })
	f := newFaultNet(t, t.Name(), e2ePort(t), faultOpts{validators: 1, dir: filepath.Join(disk, "net")})
	f.start(0)
	f.waitHeights([]int{0}, 2, 60*time.Second)
	load := f.startLoad(4, []int{0})
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	bench := exec.CommandContext(ctx, binary(t), "bench", "--home", f.nodes[0].home, "--txs", "40000", "--concurrency", "64")
	require.NoError(t, bench.Start())
	var hMax int64
	select {
	case <-f.nodes[0].done:
	case <-time.After(3 * time.Minute):
		t.Fatal("the node did not stop on a full disk")
	}
	f.running[0] = false
	cancel()
	_ = bench.Wait()
	acks, submitted := load.stop()
	for _, a := range acks {
		hMax = max(hMax, a.height)
	}
	log, _ := os.ReadFile(filepath.Join(f.nodes[0].home, "node.log"))
	stopLine := "?"
	for _, l := range strings.Split(string(log), "\n") {
		if strings.Contains(l, "no space left") || strings.Contains(l, "fatal error") || strings.Contains(l, "panic") {
			if i := strings.Index(l, "err="); i >= 0 {
				l = l[i:]
			}
			stopLine = l[:min(len(l), 110)]
			break
		}
	}
	// The expected CONSENSUS FAILURE stays in node.log.full; the
	// invariants check the log of the restarted node.
	require.NoError(t, os.Rename(filepath.Join(f.nodes[0].home, "node.log"), filepath.Join(f.nodes[0].home, "node.log.full")))
	require.NoError(t, exec.Command("mount", "-o", "remount,size=256m", disk).Run())
	start := time.Now()
	f.start(0)
	_, rec := f.recoverySince(start, hMax, []int{0}, 90*time.Second)
	log, _ = os.ReadFile(filepath.Join(f.nodes[0].home, "node.log"))
	repaired := strings.Contains(string(log), "dropped a partially written state version")
	r := faultReport{Scenario: "DiskFull", Fault: "a 12 MiB disk fills up under large blocks; grow it, restart",
		RecoverySec: secs(rec), Submitted: submitted,
		Notes: fmt.Sprintf("stopped on: %s; partial IAVL version dropped at restart: %v", stopLine, repaired)}
	r.checked = f.checkInvariants(acks, []int{0}, 0)
	f.report(r)
}
