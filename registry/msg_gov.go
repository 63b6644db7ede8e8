package registry

import (
	"bytes"
	"encoding/binary"
	"sort"
	"strconv"
)

// MsgPropose opens a council proposal; the proposer's own vote counts as yes.
type MsgPropose struct {
	Action      Action
	Description string
}

func decodePropose(d *Decoder) Msg {
	return &MsgPropose{Action: DecodeActionFrom(d), Description: d.String()}
}

func (m *MsgPropose) Type() MsgType { return MsgTypePropose }
func (m *MsgPropose) Encode(e *Encoder) {
	EncodeAction(e, m.Action)
	e.String(m.Description)
}
func (m *MsgPropose) ValidateBasic() error {
	if m.Action == nil {
		return Errorf(ErrMalformed, "missing action")
	}
	if err := CheckNFC(m.Description); err != nil {
		return err
	}
	if len(m.Description) > 2000 {
		return Errorf(ErrInvalid, "description above 2000 bytes")
	}
	return m.Action.ValidateBasic()
}
func (m *MsgPropose) Execute(env *Env) error {
	if err := requireCouncil(env); err != nil {
		return err
	}
	if err := m.Action.Check(env); err != nil {
		return err
	}
	params, err := env.State.Params()
	if err != nil {
		return err
	}
	id, err := env.State.NextSeq("proposal")
	if err != nil {
		return err
	}
	p := &Proposal{
		ID: id, Action: m.Action, Description: m.Description, Proposer: env.Signer.PubKey,
		SubmitHeight: env.Ctx.Height, SubmitTime: uint64(env.Ctx.Time.Unix()),
		Deadline: env.Ctx.Height + params.VotingPeriod, Status: ProposalOpen,
	}
	env.Result.Data = binary.BigEndian.AppendUint64(nil, id)
	env.Emit("proposal_submitted", "proposal", strconv.FormatUint(id, 10), "action", m.Action.Summary())
	return castVote(env, p, true)
}

// MsgVote votes on an open proposal. A proposal executes in the block in
// which it reaches the quorum, and is rejected as soon as the quorum can
// no longer be reached.
type MsgVote struct {
	ProposalID uint64
	Approve    bool
}

func decodeVote(d *Decoder) Msg { return &MsgVote{ProposalID: d.Uint(), Approve: d.Bool()} }

func (m *MsgVote) Type() MsgType     { return MsgTypeVote }
func (m *MsgVote) Encode(e *Encoder) { e.Uint(m.ProposalID); e.Bool(m.Approve) }
func (m *MsgVote) ValidateBasic() error {
	if m.ProposalID == 0 {
		return Errorf(ErrInvalid, "proposal id must be positive")
	}
	return nil
}
func (m *MsgVote) Execute(env *Env) error {
	if err := requireCouncil(env); err != nil {
		return err
	}
	p, err := env.State.Proposal(m.ProposalID)
	if err != nil {
		return err
	}
	if st := p.StatusAt(env.Ctx.Height); st != ProposalOpen {
		return Errorf(ErrProposalClosed, "proposal %d is %s", p.ID, st)
	}
	if p.HasVoted(env.Signer.PubKey) {
		return Errorf(ErrConflict, "key %s already voted on proposal %d", KeyID(env.Signer.PubKey), p.ID)
	}
	env.Result.Data = binary.BigEndian.AppendUint64(nil, p.ID)
	return castVote(env, p, m.Approve)
}

func requireCouncil(env *Env) error {
	if env.Signer.Key.Kind != KeyCouncil {
		return Errorf(ErrUnauthorized, "only council keys may propose or vote; key %s is an %s key", KeyID(env.Signer.PubKey), env.Signer.Key.Kind)
	}
	return nil
}

// QuorumReached reports whether yes votes are strictly more than
// num/den of the council.
func QuorumReached(p Params, yes, council int) bool {
	return uint64(yes)*p.QuorumDen > p.QuorumNum*uint64(council)
}

func castVote(env *Env, p *Proposal, approve bool) error {
	if approve {
		p.Yes = insertSorted(p.Yes, env.Signer.PubKey)
	} else {
		p.No = insertSorted(p.No, env.Signer.PubKey)
	}
	env.Emit("proposal_vote", "proposal", strconv.FormatUint(p.ID, 10), "voter", KeyID(env.Signer.PubKey), "approve", strconv.FormatBool(approve))
	params, err := env.State.Params()
	if err != nil {
		return err
	}
	council, err := env.State.Council()
	if err != nil {
		return err
	}
	// Count only votes of current members (membership can change mid-vote).
	yes := countMembers(p.Yes, council)
	no := countMembers(p.No, council)
	switch {
	case QuorumReached(params, yes, len(council)):
		p.DoneHeight = env.Ctx.Height
		if err := p.Action.Check(env); err != nil {
			if !IsDomain(err) {
				return err
			}
			p.Status = ProposalFailed
			p.FailReason = err.Error()
		} else {
			if err := p.Action.Apply(env); err != nil {
				return err
			}
			p.Status = ProposalExecuted
		}
		env.Emit("proposal_done", "proposal", strconv.FormatUint(p.ID, 10), "status", p.Status.String())
	case !QuorumReached(params, len(council)-no, len(council)):
		p.Status = ProposalRejected
		p.DoneHeight = env.Ctx.Height
		env.Emit("proposal_done", "proposal", strconv.FormatUint(p.ID, 10), "status", p.Status.String())
	}
	return env.State.SetProposal(p)
}

func insertSorted(list [][]byte, k []byte) [][]byte {
	i := sort.Search(len(list), func(i int) bool { return bytes.Compare(list[i], k) >= 0 })
	list = append(list, nil)
	copy(list[i+1:], list[i:])
	list[i] = bytes.Clone(k)
	return list
}

func countMembers(votes, council [][]byte) int {
	n := 0
	for _, v := range votes {
		i := sort.Search(len(council), func(i int) bool { return bytes.Compare(council[i], v) >= 0 })
		if i < len(council) && bytes.Equal(council[i], v) {
			n++
		}
	}
	return n
}

func uitoa(v uint64) string { return strconv.FormatUint(v, 10) }
