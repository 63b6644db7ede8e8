package registry

import "fmt"

// MsgType identifies a message kind on the wire. Numbers are stable.
type MsgType uint16

// Message types. Ranges: 1-9 governance and keys, 10-19 administrative
// results, 20-39 provenance, 40-49 notary, 50-59 payloads.
const (
	MsgTypePropose      MsgType = 1
	MsgTypeVote         MsgType = 2
	MsgTypeAddSubKey    MsgType = 3
	MsgTypeRevokeSubKey MsgType = 4
	MsgTypeAnchor       MsgType = 5
)

// Msg is the content of a transaction.
type Msg interface {
	Type() MsgType
	// Encode writes the canonical body.
	Encode(e *Encoder)
	// ValidateBasic checks fields without state.
	ValidateBasic() error
	// Execute applies the message; it may assume ValidateBasic passed and
	// the signer was authenticated.
	Execute(env *Env) error
}

// msgKind is one row of the message table.
type msgKind struct {
	typ    MsgType
	name   string
	decode func(d *Decoder) Msg
}

// msgTable is the explicit list of message kinds (no init registration):
// the core messages, then each record family's own table.
func msgTable() []msgKind {
	t := coreMsgs()
	t = append(t, resultMsgs()...)
	t = append(t, provenanceMsgs()...)
	t = append(t, notaryMsgs()...)
	t = append(t, payloadMsgs()...)
	return t
}

func coreMsgs() []msgKind {
	return []msgKind{
		{MsgTypePropose, "gov/propose", decodePropose},
		{MsgTypeVote, "gov/vote", decodeVote},
		{MsgTypeAddSubKey, "key/add-sub", decodeAddSubKey},
		{MsgTypeRevokeSubKey, "key/revoke-sub", decodeRevokeSubKey},
		{MsgTypeAnchor, "anchor", decodeAnchor},
		{MsgTypeAnchorRoot, "anchor/root", decodeAnchorRoot},
	}
}

// MsgName returns the printable name of a message type.
func MsgName(t MsgType) string {
	for _, k := range msgTable() {
		if k.typ == t {
			return k.name
		}
	}
	return fmt.Sprintf("msg/%d", t)
}

// DecodeMsg decodes a message body of type t.
func DecodeMsg(t MsgType, body []byte) (Msg, error) {
	for _, k := range msgTable() {
		if k.typ == t {
			d := NewDecoder(body)
			m := k.decode(d)
			if err := d.Finish(); err != nil {
				return nil, err
			}
			return m, nil
		}
	}
	return nil, Errorf(ErrUnknownMsg, "type %d", t)
}
