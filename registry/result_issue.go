package registry

import (
	"fmt"
	"strconv"
)

// ResultTemplate holds the fields many results of one issuance share (the
// procedure and the kind of document), so that a bulk tx states them once.
type ResultTemplate struct {
	Procedure string
	DocType   string
	Title     string
}

// ResultItem is one result of an issue tx; Template indexes the message's
// templates.
type ResultItem struct {
	Template   uint64
	DocHash    []byte
	Dossier    string
	Holder     []byte
	ValidFrom  uint64
	ValidUntil uint64
	CID        string
}

// MsgIssueResults issues one or many results (up to MaxResultsPerTx, within
// MaxTxBytes) for the signer's agency. Every item becomes its own record
// with its own id; ids are assigned in item order from the chain's result
// sequence, and an item whose document the agency already issued keeps its
// existing id. The tx Data lists the ids (EncodeIssued), in item order.
type MsgIssueResults struct {
	Templates []ResultTemplate
	Items     []ResultItem
}

// NewIssueResults builds the message for docs, stating each distinct
// (procedure, type, title) once, in order of first use.
func NewIssueResults(docs []ResultDoc) *MsgIssueResults {
	m := &MsgIssueResults{Items: make([]ResultItem, 0, len(docs))}
	index := map[ResultTemplate]uint64{}
	for _, d := range docs {
		t := ResultTemplate{Procedure: d.Procedure, DocType: d.DocType, Title: d.Title}
		i, ok := index[t]
		if !ok {
			i = uint64(len(m.Templates))
			index[t] = i
			m.Templates = append(m.Templates, t)
		}
		m.Items = append(m.Items, ResultItem{Template: i, DocHash: d.DocHash, Dossier: d.Dossier, Holder: d.Holder,
			ValidFrom: d.ValidFrom, ValidUntil: d.ValidUntil, CID: d.CID})
	}
	return m
}

// minItemSize is the smallest encoding of a ResultItem.
const minItemSize = 1 + 1 + HashSize + 1 + 1 + 1 + 1 + 1

func decodeIssueResults(d *Decoder) Msg {
	m := &MsgIssueResults{}
	n := d.Count(MaxResultsPerTx, 3)
	m.Templates = make([]ResultTemplate, 0, n)
	for i := 0; i < n; i++ {
		m.Templates = append(m.Templates, ResultTemplate{Procedure: d.String(), DocType: d.String(), Title: d.String()})
	}
	n = d.Count(MaxResultsPerTx, minItemSize)
	m.Items = make([]ResultItem, 0, n)
	for i := 0; i < n; i++ {
		m.Items = append(m.Items, ResultItem{Template: d.Uint(), DocHash: d.Bytes(), Dossier: d.String(), Holder: d.Bytes(),
			ValidFrom: d.Uint(), ValidUntil: d.Uint(), CID: d.String()})
	}
	return m
}

func (m *MsgIssueResults) Type() MsgType { return MsgTypeIssueResults }

func (m *MsgIssueResults) Encode(e *Encoder) {
	e.Uint(uint64(len(m.Templates)))
	for _, t := range m.Templates {
		e.String(t.Procedure)
		e.String(t.DocType)
		e.String(t.Title)
	}
	e.Uint(uint64(len(m.Items)))
	for _, it := range m.Items {
		e.Uint(it.Template)
		e.Bytes(it.DocHash)
		e.String(it.Dossier)
		e.Bytes(it.Holder)
		e.Uint(it.ValidFrom)
		e.Uint(it.ValidUntil)
		e.String(it.CID)
	}
}

func (m *MsgIssueResults) ValidateBasic() error {
	if len(m.Items) == 0 || len(m.Items) > MaxResultsPerTx {
		return Errorf(ErrInvalid, "an issue tx carries 1..%d results", MaxResultsPerTx)
	}
	if len(m.Templates) == 0 || len(m.Templates) > len(m.Items) {
		return Errorf(ErrInvalid, "an issue tx carries 1..%d templates (at most one per result)", len(m.Items))
	}
	for i, t := range m.Templates {
		if err := checkTemplate(t.Procedure, t.DocType, t.Title); err != nil {
			return fmt.Errorf("template %d: %w", i, err)
		}
	}
	used := make([]bool, len(m.Templates))
	for i, it := range m.Items {
		if it.Template >= uint64(len(m.Templates)) {
			return Errorf(ErrInvalid, "result %d: template %d does not exist", i, it.Template)
		}
		used[it.Template] = true
		if err := checkItem(it.DocHash, it.Dossier, it.Holder, it.ValidFrom, it.ValidUntil, it.CID); err != nil {
			return fmt.Errorf("result %d: %w", i, err)
		}
	}
	for i, u := range used {
		if !u {
			return Errorf(ErrInvalid, "template %d is not used", i)
		}
	}
	return nil
}

// Doc returns item i merged with its template.
func (m *MsgIssueResults) Doc(i int) *ResultDoc {
	it := m.Items[i]
	t := m.Templates[it.Template]
	return &ResultDoc{Procedure: t.Procedure, DocType: t.DocType, Title: t.Title, DocHash: it.DocHash,
		Dossier: it.Dossier, Holder: it.Holder, ValidFrom: it.ValidFrom, ValidUntil: it.ValidUntil, CID: it.CID}
}

func (m *MsgIssueResults) Execute(env *Env) error {
	if err := requireIssuerKey(env); err != nil {
		return err
	}
	if err := env.Signer.RequireRole(RoleResultIssuer); err != nil {
		return err
	}
	out := make([]IssuedResult, 0, len(m.Items))
	fresh := 0
	for i := range m.Items {
		r, err := issueResult(env, m.Doc(i), OriginIssue, 0)
		if err != nil {
			return fmt.Errorf("result %d: %w", i, err)
		}
		if r.New {
			fresh++
		}
		out = append(out, r)
	}
	env.Result.Data = EncodeIssued(out)
	env.Emit("result_issued", "agency", env.Signer.Agency.ID, "count", strconv.Itoa(len(out)), "new", strconv.Itoa(fresh),
		"first_id", FormatResultID(out[0].ID), "last_id", FormatResultID(out[len(out)-1].ID))
	return nil
}
