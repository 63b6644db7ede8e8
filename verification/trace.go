package verification

import (
	"bytes"
	"fmt"
	"sort"
	"time"

	"github.com/danangchain/danangchain/registry"
)

// Limits of one trace: it stops (Truncated) rather than read without end.
const (
	MaxTraceProducts = 200
	MaxTraceEvents   = 1000
	MaxTraceListLen  = 500 // scans, transfers, attestations read per product
)

// TraceQuery names the product to trace: by id, or by identifier (a
// canonical GS1 Digital Link URI or trace code URN).
type TraceQuery struct {
	ID         uint64
	Identifier string
}

// TraceValues are the verified state values a trace is built from, all
// at one height, keyed by state key. Every entry MUST come from a
// verified read (a receipt checked with VerifyReceipt, or an ICS23 proof
// checked against the app hash of a light-client-verified header);
// EvaluateTrace checks that they fit together and that each event hashes
// to its key, not the proofs themselves.
type TraceValues struct {
	Height int64
	Values map[string]*Value
}

// MissingProofsError lists the state keys EvaluateTrace needs next.
type MissingProofsError struct{ Keys [][]byte }

func (e *MissingProofsError) Error() string {
	return fmt.Sprintf("%d more state values are needed", len(e.Keys))
}

// Direction says how a trace reached a product or a step.
type Direction string

// Directions, relative to the product traced ("one step back, one step
// forward"): its own steps, the steps of what it came from (inputs of a
// transformation, contents of a case) and of what it became (outputs).
const (
	DirSelf    Direction = "self"
	DirBack    Direction = "back"
	DirForward Direction = "forward"
)

// TraceStep is one EPCIS event of the chain of custody.
type TraceStep struct {
	Hash        []byte // the CBV event hash the product's index names
	Record      *registry.EventRecord
	Agency      *registry.Agency // the business that recorded it
	Declaration *registry.Declaration
	Corrects    [][]byte // events this one corrects (their declarations name it)
	Direction   Direction
	Via         uint64 // the product through which the trace reached it
	Verified    bool
	Problem     string
	// Outside: recorded by a business outside the product's chain (see
	// markChain); shown apart, never counted as part of the journey.
	Outside bool
	// Compromised: signed by a key declared compromised at or before the
	// record's height (never verified).
	Compromised bool
}

// TraceProduct is a product the trace visited.
type TraceProduct struct {
	Product   *registry.Product
	Direction Direction
	Parent    bool // reached as the container (parentID) of a traced product
}

// TraceAttestation is a quality attestation with its rater.
type TraceAttestation struct {
	*registry.Attestation
	Rater       *registry.Agency
	Valid       bool // in force at the trace's block time (and not signed by a compromised key)
	Compromised bool // signed by a key declared compromised
}

// TraceScan is a recorded scan of the product's tag.
type TraceScan struct {
	*registry.Scan
	Agency      *registry.Agency
	Compromised bool // signed by a key declared compromised: ignored by clone detection
}

// Trace is the proven history of a product at one height.
type Trace struct {
	Product      *registry.Product
	Maker        *registry.Agency // craft: the maker's workshop
	Registrar    *registry.Agency // craft: the agency that enrolled the maker
	Tag          *registry.TagBinding
	Steps        []*TraceStep // by event time, then chain order
	Products     []*TraceProduct
	Ownership    []*registry.Transfer
	Attestations []*TraceAttestation
	Scans        []*TraceScan
	Flags        []CloneFlag
	// Owners names the key owners of the product (its current owner and
	// the parties of its transfers) by Owner.String(): the key's on-chain
	// label, else its agency's name. Buyers without a key stay private.
	Owners map[string]string
	// PlaceNames are the names businesses registered for the places of
	// the steps and scans (registry.LocationName), by location id.
	PlaceNames map[string]*registry.LocationName
	Height     int64
	Time       time.Time // block time of the verified header
	Truncated  bool
}

// Verified reports whether every step verified.
func (t *Trace) Verified() bool {
	for _, s := range t.Steps {
		if !s.Verified {
			return false
		}
	}
	return true
}

// evaluator walks the product graph over the proofs.
type evaluator struct {
	p       *TraceValues
	missing [][]byte
	seenKey map[string]bool
	bad     error
}

// compromised reports whether the key pub was declared compromised at or
// before height h, reading (and proving) its key record; a key without a
// record, or whose proof is still missing, is not.
func (e *evaluator) compromised(pub []byte, h uint64) (bool, uint64) {
	if len(pub) == 0 {
		return false, 0
	}
	v, ok := e.get(registry.KeyRecordKey(pub))
	if !ok || v == nil {
		return false, 0
	}
	k, err := registry.DecodeKeyRecord(v)
	if err != nil {
		e.setBad(err)
		return false, 0
	}
	return k.SignedWhileCompromised(h), k.CompromisedSince
}

// get returns the value at key (nil = proven absent) and whether the
// proof is there; absent proofs are recorded as missing.
func (e *evaluator) get(key []byte) ([]byte, bool) {
	pv, ok := e.p.Values[string(key)]
	if !ok {
		if !e.seenKey[string(key)] {
			e.seenKey[string(key)] = true
			e.missing = append(e.missing, key)
		}
		return nil, false
	}
	if e.bad == nil && (pv == nil || !bytes.Equal(pv.Key, key) || pv.Height != e.p.Height || pv.Time.IsZero()) {
		e.bad = fmt.Errorf("%w: proof for key %X is for another key or height", registry.ErrProofInvalid, key)
	}
	if pv == nil {
		return nil, true
	}
	return pv.Value, true
}

// EvaluateTrace builds the trace of q from proven state values. It is
// pure: the same inputs give the same trace anywhere (CLI, web page,
// offline). While values are missing it returns a *MissingProofsError
// naming them; the caller reads them (verified) and calls again.
//
// The walk: the product's own events (I|id|1..n), then, one step at a
// time, what it came from — inputs of a transformation that output it,
// contents of a case it is the parent of — and what it became — outputs
// of a transformation it went into — and the cases it travelled in
// (their shipping and receiving). Products reached backwards are only
// followed backwards, forwards only forwards, so a cut's trace shows its
// carcass and pig but not its sibling cuts. An event declared in error
// is shown with its declaration and its corrective events, and is not
// followed.
func EvaluateTrace(q TraceQuery, p *TraceValues) (*Trace, error) {
	e := &evaluator{p: p, seenKey: map[string]bool{}}
	tr, err := e.walk(q)
	if e.bad != nil {
		return nil, e.bad
	}
	if err != nil {
		return nil, err
	}
	if len(e.missing) > 0 {
		return nil, &MissingProofsError{Keys: e.missing}
	}
	return tr, nil
}

type queued struct {
	id         uint64
	dir        Direction
	noChildren bool
}

func (e *evaluator) walk(q TraceQuery) (*Trace, error) {
	start := q.ID
	if q.Identifier != "" {
		v, ok := e.get(registry.IdentifierKey(q.Identifier))
		if !ok {
			return nil, nil
		}
		if v == nil {
			return nil, fmt.Errorf("%w: no product with identifier %s (proven absent at height %d)", registry.ErrNotFound, q.Identifier, e.p.Height)
		}
		id, err := registry.DecodeProductIndex(v)
		if err != nil {
			return nil, err
		}
		start = id
	}
	tr := &Trace{Height: e.p.Height}
	for _, pv := range e.p.Values {
		if pv != nil && !pv.Time.IsZero() {
			tr.Time = pv.Time
			break
		}
	}
	agencies := map[string]*registry.Agency{}
	agency := func(id string) *registry.Agency {
		if a, ok := agencies[id]; ok {
			return a
		}
		v, ok := e.get(registry.AgencyKey(id))
		if !ok || v == nil {
			return nil
		}
		a, err := registry.DecodeAgency(v)
		if err != nil {
			return nil
		}
		agencies[id] = a
		return a
	}
	product := func(id uint64) (*registry.Product, bool, error) {
		v, ok := e.get(registry.ProductKey(id))
		if !ok {
			return nil, false, nil
		}
		if v == nil {
			return nil, true, fmt.Errorf("%w: product %d (proven absent at height %d)", registry.ErrNotFound, id, e.p.Height)
		}
		pr, err := registry.DecodeProduct(v)
		if err == nil && pr.ID != id {
			err = fmt.Errorf("%w: record at product %d is product %d", registry.ErrProofInvalid, id, pr.ID)
		}
		return pr, true, err
	}

	first, ok, err := product(start)
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, nil
	}
	if q.Identifier != "" && first.Identifier != q.Identifier {
		return nil, fmt.Errorf("%w: product %d is not %s", registry.ErrProofInvalid, start, q.Identifier)
	}
	tr.Product = first
	e.ownerLists(tr, first, agency)

	steps := map[string]*TraceStep{}
	visited := map[uint64]bool{}
	queue := []queued{{id: start, dir: DirSelf}}
	enqueue := func(ids []string, dir Direction, noChildren bool) {
		for _, ident := range ids {
			v, ok := e.get(registry.IdentifierKey(ident))
			if !ok || v == nil {
				continue
			}
			if id, err := registry.DecodeProductIndex(v); err == nil && !visited[id] {
				queue = append(queue, queued{id: id, dir: dir, noChildren: noChildren})
				visited[id] = true
			}
		}
	}
	visited[start] = true
	for len(queue) > 0 {
		cur := queue[0]
		queue = queue[1:]
		if len(tr.Products) >= MaxTraceProducts {
			tr.Truncated = true
			break
		}
		pr, ok, err := product(cur.id)
		if err != nil {
			return nil, err
		}
		if !ok {
			continue
		}
		tr.Products = append(tr.Products, &TraceProduct{Product: pr, Direction: cur.dir, Parent: cur.noChildren})
		for n := uint64(1); n <= pr.Events; n++ {
			if len(steps) >= MaxTraceEvents {
				tr.Truncated = true
				break
			}
			h, ok := e.get(registry.EventIndexKey(pr.ID, n))
			if !ok {
				continue
			}
			if len(h) != registry.HashSize {
				return nil, fmt.Errorf("%w: event index %d/%d is not an event hash", registry.ErrProofInvalid, pr.ID, n)
			}
			st := e.step(steps, h, cur, agency)
			if st == nil || st.Record == nil {
				continue
			}
			if st.Declaration != nil {
				for _, c := range st.Declaration.Corrective {
					if registry.CorrectiveURI(c) {
						continue // an event outside the chain, named by its URI
					}
					if cs := e.step(steps, c, cur, agency); cs != nil && cs.Record != nil {
						cs.Corrects = appendUnique(cs.Corrects, h)
						e.follow(cs.Record, pr, cur, enqueue)
					}
				}
				continue
			}
			e.follow(st.Record, pr, cur, enqueue)
		}
	}
	for _, s := range steps {
		tr.Steps = append(tr.Steps, s)
	}
	sort.Slice(tr.Steps, func(i, j int) bool {
		a, b := tr.Steps[i].Record, tr.Steps[j].Record
		switch {
		case a == nil && b == nil:
			return bytes.Compare(tr.Steps[i].Hash, tr.Steps[j].Hash) < 0
		case a == nil || b == nil:
			return a == nil
		case a.Event.Time != b.Event.Time:
			return a.Event.Time < b.Event.Time
		}
		return a.Seq < b.Seq
	})
	markChain(tr)
	e.placeNames(tr)
	tr.Flags = DetectClones(tr)
	return tr, nil
}

// placeNames reads the registered names of the trace's places.
func (e *evaluator) placeNames(tr *Trace) {
	var locs []string
	for _, s := range tr.Steps {
		if s.Record != nil && s.Verified { // an unverified step's place is not worth a read
			locs = append(locs, s.Record.Event.Location())
		}
	}
	for _, s := range tr.Scans {
		locs = append(locs, s.Location)
	}
	for _, loc := range locs {
		if loc == "" || tr.PlaceNames[loc] != nil {
			continue
		}
		v, ok := e.get(registry.LocationKey(loc))
		if !ok || v == nil {
			continue
		}
		l, err := registry.DecodeLocationName(v)
		if err != nil || l.Location != loc {
			e.setBad(fmt.Errorf("%w: the name of place %s does not match it", registry.ErrProofInvalid, loc))
			continue
		}
		if tr.PlaceNames == nil {
			tr.PlaceNames = map[string]*registry.LocationName{}
		}
		tr.PlaceNames[loc] = l
	}
}

// PlaceWords says a place for people: the name its business registered,
// then the place in words (GLN, coordinates).
func (t *Trace) PlaceWords(loc string) Words {
	d := DescribePlace(loc)
	if n := t.PlaceNames[loc]; n != nil {
		return Words{n.Name + " · " + d.Vi, n.Name + " · " + d.En}
	}
	return d
}

// Custody hand-offs: a business joins a product's chain by receiving it
// after a business of the chain shipped it.
var (
	shipSteps    = map[string]bool{"shipping": true, "departing": true}
	receiveSteps = map[string]bool{"receiving": true, "arriving": true, "accepting": true}
)

// markChain sets Outside on the steps recorded by businesses outside the
// product's chain. In the order the events happened (event time, then the
// chain's event number — the order of the journey; businesses submit
// their documents in any order), the chain is: the business of each
// visited product's first event (who commissioned, made or packed it),
// and every business that records a receiving (arriving, accepting) event
// of a shipment a business of the chain recorded (shipping, departing)
// and nobody has received yet — each shipment is received once. Any other
// business's events on these products are shown apart: anyone authorised
// for a bizStep can name any identifier, but only a hand-off makes it part
// of the journey. Steps declared in error and steps that did not verify
// count for nothing.
func markChain(tr *Trace) {
	order := make([]*TraceStep, 0, len(tr.Steps))
	for _, s := range tr.Steps { // sorted by event time, then event number
		if s.Record != nil {
			order = append(order, s)
		}
	}
	names := func(ev *registry.EPCISEvent, id string) bool {
		return contains(ev.EPCs, id) || contains(ev.OutEPCs, id) || ev.Parent == id
	}
	in := map[string]bool{}
	for _, p := range tr.Products {
		for _, s := range order {
			if s.Declaration == nil && s.Verified && names(&s.Record.Event, p.Product.Identifier) {
				in[s.Record.Agency] = true
				break
			}
		}
	}
	pending := 0 // shipments by the chain not yet received
	for _, s := range order {
		ag, step := s.Record.Agency, s.Record.Event.BizStep
		counts := s.Declaration == nil && s.Verified
		switch {
		case counts && receiveSteps[step] && pending > 0:
			pending--
			in[ag] = true
		case in[ag]:
			if counts && shipSteps[step] {
				pending++
			}
		default:
			s.Outside = true
		}
	}
}

// step reads (once) the event with hash h, its declaration and business.
func (e *evaluator) step(steps map[string]*TraceStep, h []byte, via queued, agency func(string) *registry.Agency) *TraceStep {
	if s, ok := steps[string(h)]; ok {
		return s
	}
	v, ok := e.get(registry.EventKey(h))
	if !ok {
		return nil
	}
	s := &TraceStep{Hash: h, Direction: via.dir, Via: via.id}
	steps[string(h)] = s
	if v == nil {
		s.Problem = "event is indexed but proven absent"
		return s
	}
	rec, err := registry.DecodeEventRecord(v)
	if err != nil {
		s.Problem = "event record does not decode: " + err.Error()
		return s
	}
	s.Record = rec
	switch {
	case !bytes.Equal(rec.Hash, h):
		s.Problem = "record is stored under another hash"
	case !bytes.Equal(rec.Event.Hash(), h):
		s.Problem = "event does not hash to its CBV event hash"
	default:
		s.Verified = true
	}
	if bad, since := e.compromised(rec.Signer, rec.Height); bad {
		s.Verified, s.Compromised = false, true
		s.Problem = fmt.Sprintf("signed by a key declared compromised since height %d / ký bằng khóa đã bị lộ từ khối %d", since, since)
	}
	if dv, ok := e.get(registry.DeclarationKey(h)); ok && dv != nil {
		d, err := registry.DecodeDeclaration(dv)
		switch {
		case err != nil || !bytes.Equal(d.Hash, h) || d.Agency != rec.Agency:
			s.Verified, s.Problem = false, "error declaration does not match the event"
		default:
			if bad, since := e.compromised(d.Signer, d.Height); bad {
				s.Verified, s.Compromised = false, true
				s.Problem = fmt.Sprintf("declared in error with a key declared compromised since height %d / tuyên bố sai bằng khóa đã bị lộ từ khối %d", since, since)
			}
			s.Declaration = d
		}
	}
	if s.Agency = agency(rec.Agency); s.Agency == nil {
		if _, ok := e.p.Values[string(registry.AgencyKey(rec.Agency))]; ok {
			s.Verified, s.Problem = false, "business "+rec.Agency+" is not on chain"
		}
	}
	return s
}

// follow enqueues the products one step back or forward of pr through
// event r.
func (e *evaluator) follow(r *registry.EventRecord, pr *registry.Product, cur queued, enqueue func([]string, Direction, bool)) {
	ev := &r.Event
	id := pr.Identifier
	switch ev.Type {
	case registry.EventTransformation:
		if contains(ev.Outputs(), id) && cur.dir != DirForward {
			enqueue(ev.Inputs(), DirBack, false)
		}
		if contains(ev.Inputs(), id) && cur.dir != DirBack {
			enqueue(ev.Outputs(), DirForward, false)
		}
	case registry.EventAggregation:
		if ev.Parent == id {
			if !cur.noChildren && cur.dir != DirForward {
				enqueue(ev.Children(), DirBack, false)
			}
		} else if ev.Parent != "" && contains(ev.Children(), id) {
			enqueue([]string{ev.Parent}, cur.dir, true)
		}
	}
}

// ownerLists reads the start product's tag, ownership history,
// attestations and scans.
func (e *evaluator) ownerLists(tr *Trace, pr *registry.Product, agency func(string) *registry.Agency) {
	if c := pr.Craft; c != nil {
		tr.Maker, tr.Registrar = agency(c.Agency), agency(c.Registrar)
	}
	if pr.Tag != "" {
		if v, ok := e.get(registry.TagKey(pr.TagKind, pr.Tag)); ok && v != nil {
			if b, err := registry.DecodeTagBinding(v); err == nil && b.Product == pr.ID {
				tr.Tag = b
			} else if e.bad == nil {
				e.bad = fmt.Errorf("%w: tag %s is not bound to product %d", registry.ErrProofInvalid, pr.Tag, pr.ID)
			}
		}
	}
	// Newest first: when a list is longer than a trace reads, the latest
	// MaxTraceListLen entries are kept (the current owner, the latest
	// scans that clone detection needs), never the oldest — so nobody can
	// blind a trace by filling a product's lists early.
	list := func(count uint64, key func(n uint64) []byte, each func(v []byte) error) {
		first := uint64(1)
		if count > MaxTraceListLen {
			tr.Truncated = true
			first = count - MaxTraceListLen + 1
		}
		for n := first; n <= count; n++ {
			if v, ok := e.get(key(n)); ok {
				if v == nil {
					e.setBad(fmt.Errorf("%w: entry %d of product %d is missing", registry.ErrProofInvalid, n, pr.ID))
				} else if err := each(v); err != nil {
					e.setBad(err)
				}
			}
		}
	}
	list(pr.Transfers, func(n uint64) []byte { return registry.TransferKey(pr.ID, n) }, func(v []byte) error {
		t, err := registry.DecodeTransfer(v)
		if err == nil {
			tr.Ownership = append(tr.Ownership, t)
		}
		return err
	})
	list(pr.Attestations, func(n uint64) []byte { return registry.AttestationKey(pr.ID, n) }, func(v []byte) error {
		a, err := registry.DecodeAttestation(v)
		if err == nil {
			bad, _ := e.compromised(a.Signer, a.Height)
			tr.Attestations = append(tr.Attestations, &TraceAttestation{Attestation: a, Rater: agency(a.Agency), Compromised: bad})
		}
		return err
	})
	scan := func(s *registry.Scan) *TraceScan {
		bad, _ := e.compromised(s.Signer, s.Height)
		return &TraceScan{Scan: s, Agency: agency(s.Agency), Compromised: bad}
	}
	list(pr.Scans, func(n uint64) []byte { return registry.ScanKey(pr.ID, n) }, func(v []byte) error {
		s, err := registry.DecodeScan(v)
		if err == nil {
			tr.Scans = append(tr.Scans, scan(s))
		}
		return err
	})
	// The latest scan at each recent place and the scans just before and
	// after it, also when the newest scans all come from one place (a
	// flood after a clone's scan elsewhere): a change of place next to
	// that scan is what clone detection looks for.
	if pr.Scans > 0 {
		if v, ok := e.get(registry.ScanPlacesKey(pr.ID)); ok && v != nil {
			places, err := registry.DecodeScanPlaces(v)
			if err != nil {
				e.setBad(err)
			}
			read := map[uint64]bool{}
			for _, s := range tr.Scans {
				read[s.Seq] = true
			}
			for _, pl := range places {
				for _, n := range []uint64{pl.Seq - 1, pl.Seq, pl.Seq + 1} {
					if read[n] || n < 1 || n > pr.Scans {
						continue
					}
					sv, ok := e.get(registry.ScanKey(pr.ID, n))
					if !ok {
						continue
					}
					s, err := registry.DecodeScan(sv)
					if sv == nil || err != nil || s.Seq != n || (n == pl.Seq && s.Location != pl.Location) {
						e.setBad(fmt.Errorf("%w: scan %d of product %d does not match its place", registry.ErrProofInvalid, n, pr.ID))
						continue
					}
					read[n] = true
					tr.Scans = append(tr.Scans, scan(s))
				}
			}
			sort.Slice(tr.Scans, func(i, j int) bool { return tr.Scans[i].Seq < tr.Scans[j].Seq })
		}
	}
	for _, a := range tr.Attestations {
		a.Valid = a.ValidAt(uint64(tr.Time.Unix())) && !a.Compromised
	}
	var keys []registry.Owner
	if c := pr.Craft; c != nil {
		keys = append(keys, c.Owner)
	}
	for _, t := range tr.Ownership {
		keys = append(keys, t.From, t.To)
	}
	for _, o := range keys {
		if o.Kind != registry.OwnerKey || tr.Owners[o.String()] != "" {
			continue
		}
		v, ok := e.get(registry.KeyRecordKey(o.Value))
		if !ok || v == nil {
			continue
		}
		k, err := registry.DecodeKeyRecord(v)
		if err != nil {
			e.setBad(err)
			continue
		}
		name := k.Label
		if k.Owner != "" {
			if a := agency(k.Owner); a != nil && name == "" {
				name = a.Name
			} else if a != nil && a.Name != name {
				name += " (" + a.Name + ")"
			}
		}
		if name != "" {
			if tr.Owners == nil {
				tr.Owners = map[string]string{}
			}
			tr.Owners[o.String()] = name
		}
	}
}

func (e *evaluator) setBad(err error) {
	if e.bad == nil {
		e.bad = err
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func appendUnique(list [][]byte, h []byte) [][]byte {
	for _, x := range list {
		if bytes.Equal(x, h) {
			return list
		}
	}
	return append(list, h)
}
