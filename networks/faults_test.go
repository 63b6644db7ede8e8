package networks_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// TestFaultsQuick is the part of the fault suite that runs on every
// submission (make test): four validators under a load of unique records
// go through kill -9 of one validator and its restart, a 2|2 partition of
// 15 s and its healing, kill -9 of all four and their restart, and a
// rollback of one node by three heights (rollback, rollback --hard twice);
// then every invariant of the suite is checked (faults_harness_test.go).
// The longer scenarios are in faults_e2e_test.go (make test-e2e).
func TestFaultsQuick(t *testing.T) {
	if testing.Short() {
		t.Skip("multi-process test")
	}
	f := newFaultNet(t, "quick", 30000, faultOpts{validators: 4})
	all := f.validators()
	f.startAll(all...)
	f.waitHeights(all, 3, 60*time.Second)
	load := f.startLoad(8, all)
	time.Sleep(4 * time.Second)
	var reports []faultReport

	// kill -9 one validator mid-load: the other three (75%) keep going.
	f.kill(3)
	f.requireProgress([]int{0, 1, 2}, 3, 30*time.Second)
	h0 := f.maxHeight(all)
	f.start(3)
	prog, rec := f.recovery(h0, all, 60*time.Second)
	reports = append(reports, faultReport{Scenario: "quick/kill-one", Fault: "kill -9 node3 mid-load; restart",
		ProgressSec: secs(prog), RecoverySec: secs(rec)})

	// 2|2 partition: no block without a 2/3 majority; progress after healing.
	during, prog, rec := f.partitionFor([][]int{{0, 1}, {2, 3}}, 15*time.Second)
	require.Zero(t, during, "blocks committed during a 2|2 partition")
	require.Less(t, prog, 30*time.Second, "progress after healing")
	reports = append(reports, faultReport{Scenario: "quick/partition-2-2", Fault: "partition {0,1}|{2,3} for 15 s; heal",
		ProgressSec: secs(prog), RecoverySec: secs(rec), BlocksDuring: during})

	// kill -9 all four at once; restart.
	prog, rec = f.killAllRestart(all)
	reports = append(reports, faultReport{Scenario: "quick/kill-all", Fault: "kill -9 all four mid-load; restart",
		ProgressSec: secs(prog), RecoverySec: secs(rec)})

	// Roll node2 back three heights, restart it: it re-executes and
	// re-fetches the blocks and agrees with the others again.
	rec, notes := f.rollbackRestart(2)
	reports = append(reports, faultReport{Scenario: "quick/rollback", Fault: "SIGTERM node2; rollback; rollback --hard x2; restart",
		RecoverySec: secs(rec), Notes: notes})

	acks, submitted := load.stop()
	res := f.checkInvariants(acks, all, 0)
	for _, r := range reports {
		r.checked, r.Submitted = res, submitted
		f.report(r)
	}
}

// partitionFor cuts the network into groups for d, heals it, and returns
// the blocks committed by the best-connected group meanwhile (after a 3 s
// grace for a block in flight) and the progress and recovery times.
func (f *faultNet) partitionFor(groups [][]int, d time.Duration) (during int64, prog, rec time.Duration) {
	all := f.validators()
	f.mesh.partition(groups...)
	time.Sleep(3 * time.Second)
	hp := f.maxHeight(all)
	time.Sleep(d - 3*time.Second)
	during = f.maxHeight(all) - hp
	h0 := f.maxHeight(all)
	f.mesh.heal()
	prog, rec = f.recovery(h0, all, 90*time.Second)
	return during, prog, rec
}

// killAllRestart kills -9 every validator at once and restarts them; the
// times count from the restart.
func (f *faultNet) killAllRestart(all []int) (prog, rec time.Duration) {
	for _, i := range all {
		f.kill(i)
	}
	start := time.Now()
	f.startAll(all...)
	// The height each node had stored: the first new block is above all.
	h0 := int64(-1)
	for _, i := range all {
		for f.height(i) < 0 {
			require.Less(f.t, time.Since(start), 60*time.Second, "node %d RPC after restart", i)
			time.Sleep(100 * time.Millisecond)
		}
		h0 = max(h0, f.height(i))
	}
	return f.recoverySince(start, h0, all, 90*time.Second)
}

// rollbackRestart stops node i with SIGTERM, rolls it back three heights
// and restarts it; the time counts from the restart.
func (f *faultNet) rollbackRestart(i int) (time.Duration, string) {
	t := f.t
	f.term(i)
	home := f.nodes[i].home
	var heights []any
	for _, args := range [][]string{{"rollback"}, {"rollback", "--hard"}, {"rollback", "--hard"}} {
		out, err := run(t, append(args, "--home", home, "-o", "json")...)
		require.NoError(t, err)
		heights = append(heights, jsonOut(t, out)["height"])
	}
	all := f.validators()
	h0 := f.maxHeight(all)
	f.start(i)
	_, rec := f.recovery(h0, all, 90*time.Second)
	return rec, fmt.Sprintf("rolled back to heights %v while the others were at %d", heights, h0)
}
