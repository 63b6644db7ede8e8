package node

import (
	"context"
	"errors"
)

// ErrConsensusHalted is returned by Run when CometBFT's consensus routine
// stopped by itself ("CONSENSUS FAILURE!!!" in the log: a disk write
// failed, the application returned an error, ...). CometBFT would leave
// the process running without consensus; Run stops the node and returns,
// so that the process exits non-zero and its supervisor (systemd, docker)
// restarts it, which replays the missing blocks once the cause is fixed.
var ErrConsensusHalted = errors.New("consensus halted (see CONSENSUS FAILURE above): node stopped")

// consensusDone returns a channel closed when the consensus routine ends
// (nil if it cannot be observed). The routine only runs once the node is
// caught up; it ends at Stop or on a consensus failure.
func (n *Node) consensusDone() <-chan struct{} {
	env, err := n.Comet.ConfigureRPC()
	if err != nil {
		return nil
	}
	w, ok := env.ConsensusState.(interface{ Wait() })
	if !ok {
		return nil
	}
	done := make(chan struct{})
	go func() {
		w.Wait()
		close(done)
	}()
	return done
}

// waitHalt blocks until ctx ends (nil) or consensus halts by itself
// (ErrConsensusHalted).
func (n *Node) waitHalt(ctx context.Context) error {
	select {
	case <-ctx.Done():
		return nil
	case <-n.consensusDone():
		if ctx.Err() != nil {
			return nil
		}
		return ErrConsensusHalted
	}
}
