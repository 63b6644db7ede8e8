package registry

import (
	"bytes"
	"strings"
)

// Contract is a notarised contract (hợp đồng, giao dịch đã công chứng)
// anchored by a notary office: the SHA-256 of the signed contract file,
// its type, the properties it concerns and salted commitments to its
// parties. No names or identity numbers are on chain.
type Contract struct {
	FileHash     []byte
	Type         ContractType
	Properties   [][]byte // property keys, ascending
	Parties      [][]byte // PartyCommitment values, ascending
	Office       string   // agency id of the notary office
	NotaryPublic []byte   // key of the notary public (công chứng viên)
	Signer       []byte
	Height       uint64
	Time         uint64 // unix seconds, block time
}

// Encode writes the canonical form.
func (c *Contract) Encode(e *Encoder) {
	e.Bytes(c.FileHash)
	e.Uint(uint64(c.Type))
	encodeHashList(e, c.Properties)
	encodeHashList(e, c.Parties)
	e.String(c.Office)
	e.Bytes(c.NotaryPublic)
	e.Bytes(c.Signer)
	e.Uint(c.Height)
	e.Uint(c.Time)
}

// DecodeContract reads the canonical form.
func DecodeContract(raw []byte) (*Contract, error) {
	d := NewDecoder(raw)
	c := &Contract{FileHash: d.Bytes(), Type: ContractType(d.Uint()), Properties: decodeHashList(d, MaxNotaryProperties),
		Parties: decodeHashList(d, MaxNotaryParties), Office: d.String(), NotaryPublic: d.Bytes(), Signer: d.Bytes(),
		Height: d.Uint(), Time: d.Uint()}
	if err := d.Finish(); err != nil {
		return nil, err
	}
	return c, nil
}

// MsgNotaryContract anchors a notarised contract.
//
// The signer's agency must hold notary.office and be authorised by the
// notary.authority (OfficeAuth with status authorised). The notary public
// is either the signer itself, when a notary public signs with their own
// sub-key of the office, or — when the office's main key signs — the
// sub-key named in NotaryPublic (empty: the office signs without naming
// one). A restricted contract type on a property with an active blocking
// notice fails with ErrBlocked naming the notice ids only.
type MsgNotaryContract struct {
	FileHash     []byte
	Kind         ContractType
	Properties   [][]byte // ascending, 1..100
	Parties      [][]byte // ascending commitments, 0..20 (none: the parties hold no receipt)
	NotaryPublic []byte   // empty, or a 32-byte sub-key of the office
}

func decodeNotaryContract(d *Decoder) Msg {
	return &MsgNotaryContract{FileHash: d.Bytes(), Kind: ContractType(d.Uint()),
		Properties: decodeHashList(d, MaxNotaryProperties), Parties: decodeHashList(d, MaxNotaryParties),
		NotaryPublic: d.Bytes()}
}

func (m *MsgNotaryContract) Type() MsgType { return MsgTypeNotaryContract }
func (m *MsgNotaryContract) Encode(e *Encoder) {
	e.Bytes(m.FileHash)
	e.Uint(uint64(m.Kind))
	encodeHashList(e, m.Properties)
	encodeHashList(e, m.Parties)
	e.Bytes(m.NotaryPublic)
}
func (m *MsgNotaryContract) ValidateBasic() error {
	if len(m.FileHash) != HashSize {
		return Errorf(ErrInvalid, "file hash must be %d bytes (SHA-256)", HashSize)
	}
	if !m.Kind.Valid() {
		return Errorf(ErrInvalid, "unknown contract type %d", m.Kind)
	}
	if err := checkHashList("properties", m.Properties, MaxNotaryProperties); err != nil {
		return err
	}
	if err := checkHashListMax("parties", m.Parties, MaxNotaryParties); err != nil {
		return err
	}
	if len(m.NotaryPublic) != 0 {
		return checkPubKey(m.NotaryPublic)
	}
	return nil
}
func (m *MsgNotaryContract) Execute(env *Env) error {
	if err := env.Signer.RequireRole(RoleNotaryOffice); err != nil {
		return err
	}
	st := env.State
	office := env.Signer.Agency.ID
	auth, err := st.OfficeAuth(office)
	if err != nil {
		return err
	}
	if auth == nil || auth.Status != OfficeAuthorised {
		status := "never authorised"
		if auth != nil {
			status = auth.Status.String()
		}
		return Errorf(ErrUnauthorized, "notary office %s is not authorised by the %s (%s)", office, RoleNotaryAuthority, status)
	}
	notary, err := notaryPublic(env, m.NotaryPublic)
	if err != nil {
		return err
	}
	if old, err := st.s.Get(NotaryContractKey(m.FileHash)); err != nil {
		return err
	} else if old != nil {
		return Errorf(ErrConflict, "contract %s is already notarised", hexs(m.FileHash))
	}
	if m.Kind.Restricted() {
		var blocked []string
		for _, p := range m.Properties {
			ids, err := st.ActiveBlocks(p)
			if err != nil {
				return err
			}
			if len(ids) > 0 {
				noun := "notice id "
				if len(ids) > 1 {
					noun = "notice ids "
				}
				blocked = append(blocked, "property "+shortKey(p)+" is under active blocking "+noun+joinIDs(ids))
			}
		}
		if len(blocked) > 0 {
			return Errorf(ErrBlocked, "a %s contract cannot be notarised: %s; it needs a release notice first",
				m.Kind, strings.Join(blocked, "; "))
		}
	}
	c := &Contract{FileHash: m.FileHash, Type: m.Kind, Properties: m.Properties, Parties: m.Parties, Office: office,
		NotaryPublic: notary, Signer: env.Signer.PubKey, Height: env.Ctx.Height, Time: uint64(env.Ctx.Time.Unix())}
	env.Result.Data = bytes.Clone(m.FileHash)
	env.Emit("notary_contract", "hash", hexs(m.FileHash), "type", m.Kind.String(), "office", office)
	return st.put(NotaryContractKey(m.FileHash), c.Encode)
}

// notaryPublic resolves the notary public of a contract (see
// MsgNotaryContract).
func notaryPublic(env *Env, named []byte) ([]byte, error) {
	signer := env.Signer
	if len(named) == 0 || bytes.Equal(named, signer.PubKey) {
		return bytes.Clone(signer.PubKey), nil
	}
	if signer.Key.Kind != KeyAgency {
		return nil, Errorf(ErrUnauthorized, "a notary public signs for themself; only the office main key may name another")
	}
	kr, err := env.State.KeyRecord(named)
	if err != nil {
		if !IsDomain(err) {
			return nil, err
		}
		return nil, Errorf(ErrNotFound, "notary public key %s is not registered", KeyID(named))
	}
	if kr.Kind != KeyOfficial || kr.Owner != signer.Agency.ID {
		return nil, Errorf(ErrUnauthorized, "key %s is not a sub-key of %s", KeyID(named), signer.Agency.ID)
	}
	if kr.Revoked {
		return nil, Errorf(ErrRevokedKey, "notary public key %s was revoked at height %d", KeyID(named), kr.RevokedHeight)
	}
	return bytes.Clone(named), nil
}

// Contract reads a notarised contract; ErrNotFound if absent.
func (st *State) Contract(fileHash []byte) (*Contract, error) {
	raw, err := st.s.Get(NotaryContractKey(fileHash))
	if err != nil {
		return nil, err
	}
	if raw == nil {
		return nil, Errorf(ErrNotFound, "contract %s", hexs(fileHash))
	}
	return DecodeContract(raw)
}
