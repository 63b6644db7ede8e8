package main

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	rpcclient "github.com/cometbft/cometbft/rpc/client"

	"github.com/danangchain/danangchain/client"
	"github.com/danangchain/danangchain/registry"
)

// parseProperties parses property arguments and returns them with their
// keys sorted (as messages need them).
func parseProperties(k registry.PropertyKeying, args []string) ([]registry.Property, [][]byte, error) {
	var ps []registry.Property
	var keys [][]byte
	for _, a := range args {
		p, err := registry.ParseProperty(a, k)
		if err != nil {
			return nil, nil, err
		}
		ps = append(ps, p)
		keys = append(keys, p.Key)
	}
	if len(ps) == 0 {
		return nil, nil, cliErrf(errUsage, "at least one property is required")
	}
	return ps, registry.SortHashes(keys), nil
}

type propertyView struct {
	Property string `json:"property"`
	Key      string `json:"key"`
}

func propertyViews(ps []registry.Property) []propertyView {
	out := make([]propertyView, 0, len(ps))
	for _, p := range ps {
		out = append(out, propertyView{p.String(), hex.EncodeToString(p.Key)})
	}
	return out
}

// docHashFlag returns the SHA-256 of --file, or --doc-sha256, or nothing.
func docHashFlag(file, sum string) ([]byte, error) {
	switch {
	case file != "" && sum != "":
		return nil, cliErrf(errUsage, "give --file or --doc-sha256, not both")
	case file != "":
		return hashFile(file)
	case sum != "":
		b, err := hex.DecodeString(sum)
		if err != nil || len(b) != registry.HashSize {
			return nil, cliErrf(errFormat, "--doc-sha256 must be 64 hex digits")
		}
		return b, nil
	}
	return nil, nil
}

// notaryNode asks the node behind url for its node ID, which a signed
// request must name.
func notaryNode(ctx context.Context, url string) (string, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url+"/notary/v1/node", nil)
	if err != nil {
		return "", err
	}
	res, err := (&http.Client{Timeout: 30 * time.Second}).Do(req)
	if err != nil {
		return "", fmt.Errorf("notary API %s: %w", url, err)
	}
	defer res.Body.Close()
	var out struct {
		NodeID string `json:"node_id"`
	}
	if res.StatusCode != http.StatusOK || json.NewDecoder(io.LimitReader(res.Body, 4096)).Decode(&out) != nil || out.NodeID == "" {
		return "", fmt.Errorf("notary API %s/notary/v1/node: %s: no node id (is this a DanangChain node's API address?)", url, res.Status)
	}
	return out.NodeID, nil
}

// signAPIRequest builds and signs a notary API request with s, addressed
// to node.
func signAPIRequest(chainID, node, action string, subject []byte, s client.Signer) (*registry.APIRequest, error) {
	nonce := make([]byte, 16)
	if _, err := rand.Read(nonce); err != nil {
		return nil, err
	}
	r := &registry.APIRequest{ChainID: chainID, Node: node, Action: action, Subject: subject, Time: uint64(time.Now().Unix()),
		Nonce: nonce, PubKey: s.PubKey()}
	sig, err := s.Sign(r.SignBytes())
	if err != nil {
		return nil, fmt.Errorf("sign request: %w", err)
	}
	r.Signature = sig
	return r, nil
}

// postNotary sends a signed request to the node's notary API.
func postNotary(ctx context.Context, url, path string, r *registry.APIRequest, out any) error {
	body, err := json.Marshal(notaryRequestOf(r))
	if err != nil {
		return err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url+path, bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	res, err := (&http.Client{Timeout: 30 * time.Second}).Do(req)
	if err != nil {
		return fmt.Errorf("notary API %s: %w", url, err)
	}
	defer res.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(res.Body, 64<<20))
	if err != nil {
		return err
	}
	if res.StatusCode != http.StatusOK {
		var e struct {
			Codespace string `json:"codespace"`
			Code      uint32 `json:"code"`
			Detail    string `json:"detail"`
		}
		if json.Unmarshal(raw, &e) == nil && e.Code != 0 {
			return registry.FromCode(e.Codespace, e.Code, e.Detail)
		}
		return fmt.Errorf("notary API %s%s: %s: %s", url, path, res.Status, bytes.TrimSpace(raw))
	}
	return json.Unmarshal(raw, out)
}

// queryProven reads key at height (0 = latest) with its proof, unverified.
func queryProven(ctx context.Context, c *client.Client, height int64, key []byte) (provenEntry, int64, error) {
	res, err := c.RPC().ABCIQueryWithOptions(ctx, registry.QueryPathStore, key, rpcclient.ABCIQueryOptions{Height: height, Prove: true})
	if err != nil {
		return provenEntry{}, 0, fmt.Errorf("query: %w", err)
	}
	r := res.Response
	if r.Code != 0 {
		return provenEntry{}, 0, registry.FromCode(r.Codespace, r.Code, r.Log)
	}
	if r.ProofOps == nil || len(r.ProofOps.Ops) != 1 || r.ProofOps.Ops[0].Type != registry.ProofOpType || !bytes.Equal(r.ProofOps.Ops[0].Key, key) {
		return provenEntry{}, 0, fmt.Errorf("%w: missing or unexpected proof", registry.ErrProofInvalid)
	}
	e := provenEntry{Key: key, Proof: r.ProofOps.Ops[0].Data}
	if len(r.Value) > 0 {
		e.Value = r.Value
	}
	return e, r.Height, nil
}

// readCheckEntries reads a property's index key and the notices it lists,
// all at one height — the state under the current header, which the
// verifier established itself (client.Current), never the node's word for
// its latest height — straight from RPC (not metered).
func readCheckEntries(ctx context.Context, c *client.Client, property []byte) (int64, []provenEntry, error) {
	cur, err := c.Current(ctx)
	if err != nil {
		return 0, nil, err
	}
	idx, h, err := queryProven(ctx, c, max(cur.Height-1, 1), registry.NotaryActiveKey(property))
	if err != nil {
		return 0, nil, err
	}
	out := []provenEntry{idx}
	if idx.Value == nil {
		return h, out, nil
	}
	ids, err := registry.DecodeActiveBlocks(idx.Value)
	if err != nil {
		return 0, nil, err
	}
	for _, id := range ids {
		e, _, err := queryProven(ctx, c, h, registry.NotaryBlockKey(id))
		if err != nil {
			return 0, nil, err
		}
		out = append(out, e)
	}
	return h, out, nil
}

// entriesOf converts API entries (hex) to proven entries; the proofs are
// checked when the bundle is.
func entriesOf(list []bundleEntry) ([]provenEntry, error) {
	var out []provenEntry
	for _, e := range list {
		k, err1 := hex.DecodeString(e.Key)
		v, err2 := hex.DecodeString(e.Value)
		p, err3 := hex.DecodeString(e.Proof)
		if err1 != nil || err2 != nil || err3 != nil {
			return nil, fmt.Errorf("%w: bad hex in the node's answer", registry.ErrProofInvalid)
		}
		if len(v) == 0 {
			v = nil
		}
		out = append(out, provenEntry{Key: k, Value: v, Proof: p})
	}
	return out, nil
}

// proveCheck verifies entries read at height: it fetches header height+1
// and the validator set that signed it through the light client (verified
// from genesis), builds the offline bundle and verifies it.
func proveCheck(ctx context.Context, c *client.Client, k registry.PropertyKeying, p registry.Property, height int64, entries []provenEntry) ([]byte, *checkResult, error) {
	chainID, err := c.ChainID(ctx)
	if err != nil {
		return nil, nil, err
	}
	v, err := c.Verifier(ctx)
	if err != nil {
		return nil, nil, err
	}
	if err := waitForHeight(ctx, c, height+1); err != nil {
		return nil, nil, err
	}
	lb, err := v.LightBlock(ctx, height+1)
	if err != nil {
		return nil, nil, err
	}
	// "No active blocking notice" must hold now, not at whatever height the
	// answering node (or API) chose: the proven height must be within two
	// blocks of the current header this verifier established.
	cur, err := c.Current(ctx)
	if err != nil {
		return nil, nil, err
	}
	if height+1 < cur.Height-2 {
		return nil, nil, fmt.Errorf("%w: the answer is as of height %d but the chain is at %d (verified): ask again or another node",
			registry.ErrNotCurrent, height, cur.Height)
	}
	sh, vals := lb.SignedHeader, lb.ValidatorSet
	b, err := newBundle(chainID, p, height, sh, vals, entries)
	if err != nil {
		return nil, nil, err
	}
	raw, err := encodeBundle(b)
	if err != nil {
		return nil, nil, err
	}
	res, err := verifyBundle(raw, chainID, k, nil)
	if err != nil {
		return nil, nil, err
	}
	if !bytes.Equal(res.Header.Hash(), sh.Hash()) {
		return nil, nil, fmt.Errorf("%w: header changed while bundling", registry.ErrProofInvalid)
	}
	return raw, res, nil
}

func waitForHeight(ctx context.Context, c *client.Client, h int64) error {
	ctx, cancel := context.WithTimeout(ctx, 60*time.Second)
	defer cancel()
	for {
		st, err := c.Status(ctx)
		if err == nil && st.SyncInfo.LatestBlockHeight >= h {
			return nil
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("waiting for block %d: %w", h, ctx.Err())
		case <-time.After(150 * time.Millisecond):
		}
	}
}

// blockView is a blocking notice as printed.
type blockView struct {
	ID          uint64   `json:"id"`
	Ref         string   `json:"ref"`
	Authority   string   `json:"authority"`
	Reason      string   `json:"reason"`
	ReasonVI    string   `json:"reason_vi"`
	DocSHA256   string   `json:"doc_sha256,omitempty"`
	Properties  []string `json:"property_keys"`
	BlockHeight uint64   `json:"block_height"`
	BlockTime   string   `json:"block_time"`
	Released    bool     `json:"released"`
	// Compromised: recorded with a key declared compromised at or before
	// the notice (checked online only, with a proof of the key's record;
	// an offline bundle does not carry key records). The notice still
	// blocks on chain: the authority confirms or releases it.
	Compromised      bool   `json:"signed_by_compromised_key,omitempty"`
	CompromisedSince uint64 `json:"signer_key_compromised_since,omitempty"`
	signer           []byte
}

func viewBlock(n *registry.BlockNotice) blockView {
	v := blockView{ID: n.ID, Ref: n.Ref, Authority: n.Authority, Reason: n.Reason.String(), ReasonVI: n.Reason.VI(),
		DocSHA256: hex.EncodeToString(n.DocHash), BlockHeight: n.Height,
		BlockTime: time.Unix(int64(n.Time), 0).In(vnZone).Format(time.RFC3339), Released: n.Released, signer: n.Signer}
	for _, p := range n.Properties {
		v.Properties = append(v.Properties, hex.EncodeToString(p))
	}
	return v
}

// checkView is the answer of notary check and notary verify-check.
type checkView struct {
	Property      string         `json:"property"`
	PropertyKey   string         `json:"property_key"`
	ChainID       string         `json:"chain_id"`
	Height        int64          `json:"height"`
	HeaderHeight  int64          `json:"header_height"`
	AppHash       string         `json:"app_hash"`
	Blocked       bool           `json:"blocked"`
	Statement     string         `json:"statement"`
	ActiveBlocks  []blockView    `json:"active_blocks"`
	ProofKind     string         `json:"proof_kind"`
	Proof         string         `json:"proof"`
	ProofVerified bool           `json:"proof_verified"`
	Trusted       string         `json:"trusted_validators,omitempty"`
	Lookup        *lookupReceipt `json:"lookup,omitempty"`
	Bundle        string         `json:"bundle,omitempty"`
}

func viewCheck(r *checkResult) checkView {
	v := checkView{Property: r.Property, PropertyKey: hex.EncodeToString(r.PropertyKey), ChainID: r.ChainID,
		Height: r.Height, HeaderHeight: r.Header.Height, AppHash: r.Header.AppHash.String(),
		Blocked: len(r.Blocks) > 0, ActiveBlocks: []blockView{}, Proof: hex.EncodeToString(r.IndexProof), ProofVerified: true}
	if v.Property == "" {
		v.Property = v.PropertyKey
	}
	for _, n := range r.Blocks {
		v.ActiveBlocks = append(v.ActiveBlocks, viewBlock(n))
	}
	if v.Blocked {
		ids := make([]string, len(r.Blocks))
		for i, n := range r.Blocks {
			ids[i] = fmt.Sprint(n.ID)
		}
		v.ProofKind = "membership (ICS23 existence proofs of the index and of each notice)"
		v.Statement = fmt.Sprintf("BLOCKED: %d active blocking notice(s) (id %s) as of height %d / Đang bị ngăn chặn",
			len(r.Blocks), strings.Join(ids, ", "), r.Height)
	} else {
		v.ProofKind = "non-membership (ICS23 non-existence proof of the index key)"
		v.Statement = fmt.Sprintf("no active blocking notice as of height %d / Không có thông tin ngăn chặn", r.Height)
	}
	return v
}

// markCompromisedNotices flags the active notices recorded with a key
// declared compromised, reading each signer's key record with a proof.
func markCompromisedNotices(ctx context.Context, c *client.Client, v *checkView) error {
	for i := range v.ActiveBlocks {
		b := &v.ActiveBlocks[i]
		p, err := c.Get(ctx, registry.KeyRecordKey(b.signer))
		if err != nil {
			return err
		}
		if p.Value == nil {
			continue
		}
		k, err := registry.DecodeKeyRecord(p.Value)
		if err != nil {
			return err
		}
		if k.SignedWhileCompromised(b.BlockHeight) {
			b.Compromised, b.CompromisedSince = true, k.CompromisedSince
		}
	}
	return nil
}

func printCheck(w io.Writer, v checkView) {
	fmt.Fprintf(w, "%s\n  %s\n", v.Property, v.Statement)
	for _, b := range v.ActiveBlocks {
		fmt.Fprintf(w, "  notice %d  ref %s  by %s  reason %s (%s)  since %s (height %d)\n",
			b.ID, b.Ref, b.Authority, b.Reason, b.ReasonVI, b.BlockTime, b.BlockHeight)
		if b.Compromised {
			fmt.Fprintf(w, "    ⚠ ghi bằng khóa đã bị lộ từ khối %d: hỏi lại cơ quan ban hành / recorded with a key compromised since height %d: confirm with the authority (it still blocks on chain)\n",
				b.CompromisedSince, b.CompromisedSince)
		}
	}
	fmt.Fprintf(w, "  proof: %s, verified against app hash %s of header %d\n", v.ProofKind, v.AppHash, v.HeaderHeight)
	if v.Trusted != "" {
		fmt.Fprintf(w, "  header signed by the %s validator set (offline verification)\n", v.Trusted)
	}
	if v.Lookup != nil {
		fmt.Fprintf(w, "  counted: lookup %d of %s in %s\n", v.Lookup.Seq, v.Lookup.Org, v.Lookup.Month)
	}
	if v.Bundle != "" {
		fmt.Fprintf(w, "  proof bundle written to %s\n", v.Bundle)
	}
}
