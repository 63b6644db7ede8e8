package client

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/ipfs/go-cid"

	"github.com/danangchain/danangchain/cas"
	"github.com/danangchain/danangchain/registry"
)

// PayloadOptions tune AddPayload.
type PayloadOptions struct {
	// MediaType is recorded with the publication ("" = unknown).
	MediaType string
	// Encrypt encrypts the file with a new per-document key before it
	// leaves this process (personal data: see docs/payloads.md). The key
	// is returned in PayloadResult.Key and nowhere else.
	Encrypt bool
	// Progress is called after each committed upload tx with the block
	// bytes committed so far and in all.
	Progress func(done, total uint64)
	// InFlight caps the upload txs in the mempool at once (default 4).
	InFlight int
}

// PayloadResult describes a published payload.
type PayloadResult struct {
	CID       string // root CID: what `ipfs add --cid-version=1` prints for the stored bytes
	Size      uint64 // stored bytes (the ciphertext when encrypted)
	Blocks    int    // blocks in the DAG
	UploadTxs int    // payload/blocks txs sent (0 when the payload was already live)
	Height    int64  // height of the publication
	TxHash    []byte // of the publication
	Key       []byte // the decryption key when Encrypt was set
	Published bool   // a new publication by this agency (false: it already had one)
}

// AddPayload imports r (Kubo-compatible CIDs), uploads its blocks through
// consensus in payload/blocks txs of at most registry.MaxPayloadTxData
// bytes, waits for their commits and publishes the root for the signer's
// agency. Once it returns, every validator holds every block. A payload
// above registry.MaxPayloadSize fails before anything is sent.
func (c *Client) AddPayload(ctx context.Context, s Signer, r io.Reader, o PayloadOptions) (*PayloadResult, error) {
	res := &PayloadResult{}
	if o.Encrypt {
		key, err := cas.NewKey()
		if err != nil {
			return nil, err
		}
		if r, err = cas.EncryptReader(r, key); err != nil {
			return nil, err
		}
		res.Key = key
	}
	dag, err := cas.Import(r, registry.MaxPayloadSize)
	if err != nil {
		if errors.Is(err, cas.ErrTooLarge) {
			return nil, registry.Errorf(registry.ErrOversize, "payload above %d MiB, the limit of what travels through consensus", registry.MaxPayloadSize>>20)
		}
		return nil, err
	}
	res.CID, res.Size, res.Blocks = dag.Root.String(), dag.Size, len(dag.Blocks)
	live, err := c.payloadLive(ctx, dag.Root)
	if err != nil {
		return nil, err
	}
	upload := func() error {
		msgs := PackPayloadBlocks(cas.PayloadBlocks(dag.Blocks), registry.MaxPayloadTxData)
		res.UploadTxs = len(msgs)
		return c.uploadBlocks(ctx, s, msgs, o)
	}
	if !live {
		if err := upload(); err != nil {
			return nil, err
		}
	}
	publish := &registry.MsgPublishPayload{CID: res.CID, MediaType: o.MediaType, Encrypted: o.Encrypt}
	out, err := c.Submit(ctx, s, publish)
	if live && errors.Is(err, registry.ErrNotFound) {
		// The node said "live" but the chain disagrees (released since,
		// or a node that lies): upload after all.
		if err := upload(); err != nil {
			return nil, err
		}
		out, err = c.Submit(ctx, s, publish)
	}
	if err != nil {
		return nil, err
	}
	res.Height, res.TxHash = out.Height, out.Hash
	for _, ev := range out.Events {
		for _, a := range ev.Attrs {
			if ev.Type == "payload_publish" && a.Key == "new" {
				res.Published = a.Value == "true"
			}
		}
	}
	return res, nil
}

// payloadLive asks the node (unverified: it only saves an upload) whether
// root already has a live publication.
func (c *Client) payloadLive(ctx context.Context, root cid.Cid) (bool, error) {
	q, err := c.rpc.ABCIQuery(ctx, registry.QueryPathStore, registry.PayloadLiveKey(root.Bytes()))
	if err != nil {
		return false, fmt.Errorf("query: %w", err)
	}
	return q.Response.Code == 0 && len(q.Response.Value) > 0, nil
}

// PackPayloadBlocks groups blocks, in order, into payload/blocks messages
// of at most maxData block bytes and registry.MaxPayloadTxBlocks blocks.
func PackPayloadBlocks(blocks []registry.PayloadBlock, maxData int) []*registry.MsgPayloadBlocks {
	var out []*registry.MsgPayloadBlocks
	cur, size := &registry.MsgPayloadBlocks{}, 0
	for _, b := range blocks {
		if len(cur.Blocks) > 0 && (size+len(b.Data) > maxData || len(cur.Blocks) == registry.MaxPayloadTxBlocks) {
			out = append(out, cur)
			cur, size = &registry.MsgPayloadBlocks{}, 0
		}
		cur.Blocks = append(cur.Blocks, b)
		size += len(b.Data)
	}
	if len(cur.Blocks) > 0 {
		out = append(out, cur)
	}
	return out
}

// uploadBlocks sends the messages with at most o.InFlight uncommitted at
// once and waits for every commit.
func (c *Client) uploadBlocks(ctx context.Context, s Signer, msgs []*registry.MsgPayloadBlocks, o PayloadOptions) error {
	inFlight := o.InFlight
	if inFlight <= 0 {
		inFlight = 4
	}
	var total, done uint64
	for _, m := range msgs {
		for _, b := range m.Blocks {
			total += uint64(len(b.Data))
		}
	}
	type pending struct {
		hash  []byte
		bytes uint64
	}
	var queue []pending
	wait := func() error {
		p := queue[0]
		queue = queue[1:]
		if _, err := c.WaitTx(ctx, p.hash); err != nil {
			return fmt.Errorf("payload upload: %w", err)
		}
		done += p.bytes
		if o.Progress != nil {
			o.Progress(done, total)
		}
		return nil
	}
	for _, m := range msgs {
		if len(queue) >= inFlight {
			if err := wait(); err != nil {
				return err
			}
		}
		tx, err := c.BuildTx(ctx, s.PubKey(), m)
		if err != nil {
			return err
		}
		if err := Sign(tx, s); err != nil {
			return err
		}
		hash, err := c.BroadcastAsync(ctx, tx.Encode())
		if err != nil {
			return fmt.Errorf("payload upload: %w", err)
		}
		var n uint64
		for _, b := range m.Blocks {
			n += uint64(len(b.Data))
		}
		queue = append(queue, pending{hash, n})
	}
	for len(queue) > 0 {
		if err := wait(); err != nil {
			return err
		}
	}
	return nil
}

// FetchPayload downloads root from an IPFS trustless gateway as a CAR
// (GET {gateway}/ipfs/{root}?format=car), checks every block against its
// CID, checks the DAG is complete and consistent, and writes the file to
// w. Nothing is trusted but the CID: a gateway that lies is caught.
// maxBytes > 0 caps the download (default registry.MaxPayloadSize plus
// the DAG's overhead).
func FetchPayload(ctx context.Context, hc *http.Client, gateway string, root cid.Cid, w io.Writer, maxBytes int64) (uint64, error) {
	if err := cas.CheckCID(root); err != nil {
		return 0, err
	}
	if hc == nil {
		hc = &http.Client{Timeout: 5 * time.Minute}
	}
	if maxBytes <= 0 {
		maxBytes = registry.MaxPayloadSize + registry.MaxPayloadSize/64
	}
	if !strings.Contains(gateway, "://") {
		gateway = "http://" + gateway
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, strings.TrimRight(gateway, "/")+cas.GatewayPath+root.String()+"?format=car&dag-scope=all", nil)
	if err != nil {
		return 0, err
	}
	req.Header.Set("Accept", "application/vnd.ipld.car")
	resp, err := hc.Do(req)
	if err != nil {
		return 0, fmt.Errorf("gateway: %w", err)
	}
	defer resp.Body.Close()
	switch {
	case resp.StatusCode == http.StatusNotFound:
		return 0, registry.Errorf(registry.ErrNotFound, "payload %s is not on %s", root, gateway)
	case resp.StatusCode == http.StatusBadRequest:
		b, _ := io.ReadAll(io.LimitReader(resp.Body, 4096))
		return 0, registry.Errorf(registry.ErrInvalid, "gateway refused %s: %s", root, strings.TrimSpace(string(b)))
	case resp.StatusCode != http.StatusOK:
		return 0, fmt.Errorf("gateway %s: %s", gateway, resp.Status)
	}
	roots, blocks, err := cas.ReadCAR(io.LimitReader(resp.Body, maxBytes+1), maxBytes)
	if err != nil {
		return 0, err
	}
	if len(roots) != 1 || !roots[0].Equals(root) {
		return 0, registry.Errorf(registry.ErrProofInvalid, "gateway answered a CAR for %v, not %s", roots, root)
	}
	return cas.Assemble(w, root, blocks)
}
