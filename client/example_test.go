package client_test

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"os"
	"strings"
	"sync"

	"github.com/danangchain/danangchain/client"
	"github.com/danangchain/danangchain/node"
	"github.com/danangchain/danangchain/registry"
)

// Anchor a document and read it back with a verified proof.
func Example() {
	ctx := context.Background()
	gen, _ := node.LoadGenesis(exampleHome) // the trust root
	c, _ := client.New(exampleURL, client.WithGenesis(gen))
	ward := exampleSigner("ward")

	doc := sha256.Sum256([]byte("Quyết định số 12/QĐ-UBND"))
	res, err := c.Submit(ctx, ward, &registry.MsgAnchor{Hash: doc[:], Tag: "quyết định"})
	fmt.Println("committed:", err == nil && res.Height > 0)

	p, err := c.Get(ctx, registry.AnchorKey(doc[:]))
	a, _ := registry.DecodeAnchor(p.Value)
	fmt.Println("verified:", err == nil, "agency:", a.Agency)
	// Output:
	// committed: true
	// verified: true agency: ubnd-phuong-hai-chau
}

// Issue many results in one call: chunked under the tx size cap, each
// document with its own id.
func ExampleClient_IssueResults() {
	ctx := context.Background()
	c, _ := client.New(exampleURL)
	docs := make([]registry.ResultDoc, 3)
	for i := range docs {
		h := sha256.Sum256([]byte(fmt.Sprintf("giấy chứng nhận %d", i)))
		docs[i] = registry.ResultDoc{Procedure: "2.000720.000.00.00.H17", Title: "Giấy chứng nhận", DocHash: h[:]}
	}
	batch, err := c.IssueResults(ctx, exampleSigner("ward"), docs, func(done, total int) {
		fmt.Printf("progress %d/%d\n", done, total)
	})
	fmt.Println(err, len(batch.Results), batch.Results[0].New)

	// Running the same batch again (a retry) creates nothing new: the
	// same ids come back.
	again, _ := c.IssueResults(ctx, exampleSigner("ward"), docs, nil)
	fmt.Println("same ids:", again.Results[2].ID == batch.Results[2].ID)
	// Output:
	// progress 3/3
	// <nil> 3 true
	// same ids: true
}

// Verify a document from its SHA-256: every value is proven.
func ExampleClient_VerifyDocument() {
	ctx := context.Background()
	gen, _ := node.LoadGenesis(exampleHome)
	c, _ := client.New(exampleURL, client.WithGenesis(gen))
	h := sha256.Sum256([]byte("giấy phép kinh doanh 0001"))
	_, _ = c.IssueResults(ctx, exampleSigner("ward"), []registry.ResultDoc{{Procedure: "1.001612.000.00.00.H17", Title: "Giấy phép", DocHash: h[:]}}, nil)

	v, err := c.VerifyDocument(ctx, h[:])
	fmt.Println(err, v.Status, v.Agency.Name)
	unknown := sha256.Sum256([]byte("không có"))
	v, _ = c.VerifyDocument(ctx, unknown[:])
	fmt.Println(v.Status)
	// Output:
	// <nil> valid UBND phường Hải Châu
	// unknown
}

// Rejections map back to the registry's sentinel errors.
func ExampleClient_Submit_errors() {
	ctx := context.Background()
	c, _ := client.New(exampleURL)
	h := sha256.Sum256([]byte("farm cannot issue results"))
	_, err := c.Submit(ctx, exampleSigner("farm"), registry.NewIssueResults([]registry.ResultDoc{{Procedure: "x", Title: "x", DocHash: h[:]}}))
	fmt.Println(errors.Is(err, registry.ErrUnauthorized))
	// Output: true
}

// Sign elsewhere (an HSM, another machine): build, sign, broadcast.
func ExampleClient_BuildTx() {
	ctx := context.Background()
	c, _ := client.New(exampleURL)
	ward := exampleSigner("ward")
	h := sha256.Sum256([]byte("ký ở máy khác"))
	tx, _ := c.BuildTx(ctx, ward.PubKey(), &registry.MsgAnchor{Hash: h[:]})
	unsigned := tx.SignBytes() // ship these bytes to the signer
	sig, _ := ward.Sign(unsigned)
	tx.Signature = sig
	res, err := c.Broadcast(ctx, tx)
	fmt.Println(err == nil && res.Height > 0)
	// Output: true
}

// Retrying with the same idempotency key never creates a second record,
// even from many goroutines at once.
func ExampleClient_SubmitIdempotent() {
	ctx := context.Background()
	c, _ := client.New(exampleURL)
	ward := exampleSigner("ward")
	h := sha256.Sum256([]byte("một lần duy nhất"))
	var wg sync.WaitGroup
	hashes := make([]string, 5)
	for i := range hashes {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			res, err := c.SubmitIdempotent(ctx, ward, "dossier-0001", &registry.MsgAnchor{Hash: h[:]})
			if err == nil {
				hashes[i] = fmt.Sprintf("%X", res.Hash)
			}
		}(i)
	}
	wg.Wait()
	same := true
	for _, x := range hashes {
		same = same && x == hashes[0] && x != ""
	}
	fmt.Println("one tx:", same)
	// Output: one tx: true
}

// An offline receipt: verified later with nothing but the genesis file.
func ExampleNewReceipt() {
	ctx := context.Background()
	gen, _ := node.LoadGenesis(exampleHome)
	c, _ := client.New(exampleURL, client.WithGenesis(gen))
	h := sha256.Sum256([]byte("biên nhận"))
	_, _ = c.Submit(ctx, exampleSigner("ward"), &registry.MsgAnchor{Hash: h[:]})
	p, _ := c.Get(ctx, registry.AnchorKey(h[:]))
	r, _ := client.NewReceipt(p, gen)
	b, _ := r.Encode()

	v, err := client.VerifyReceiptBytes(b, gen, nil) // no network
	fmt.Println(err, v.Value != nil)
	b[len(b)/2] ^= 1
	_, err = client.VerifyReceiptBytes(b, gen, nil)
	fmt.Println(err != nil)
	// Output:
	// <nil> true
	// true
}

// Anchor a million documents with one state write; prove one of them.
func ExampleClient_AnchorBatch() {
	ctx := context.Background()
	gen, _ := node.LoadGenesis(exampleHome)
	c, _ := client.New(exampleURL, client.WithGenesis(gen))
	docs := make([][]byte, 1000)
	for i := range docs {
		h := sha256.Sum256([]byte(fmt.Sprintf("hồ sơ lưu trữ %d", i)))
		docs[i] = h[:]
	}
	batch, err := c.AnchorBatch(ctx, exampleSigner("ward"), docs, "lưu trữ")
	fmt.Println(err)

	p, _ := c.Get(ctx, registry.AnchorRootKey(batch.Tree.Root())) // the root, proven
	root, _ := registry.DecodeAnchorRoot(p.Value)
	ok := client.VerifyMerklePath(docs[7], 7, root.Count, batch.Tree.Path(7), root.Root)
	fmt.Println(root.Count, ok)
	// Output:
	// <nil>
	// 1000 true
}

// Start verified reads from a header you trust instead of block 1 (which a
// node restored by state sync does not have), and keep the verified
// headers on disk so the next run continues from the newest.
func ExampleWithTrustPoint() {
	ctx := context.Background()
	gen, _ := node.LoadGenesis(exampleHome)
	// The checkpoint: a header's height and hash from a source you trust
	// (the city's published checkpoint, a node you run). Here: this node.
	height := int64(2)
	raw, _ := client.New(exampleURL)
	commit, _ := raw.RPC().Commit(ctx, &height)
	hash := commit.SignedHeader.Hash()

	dir, _ := os.MkdirTemp("", "light-")
	defer os.RemoveAll(dir)
	c, _ := client.New(exampleURL, client.WithGenesis(gen),
		client.WithTrustPoint(height, hash), client.WithLightStore(dir))
	defer c.Close()
	p, err := c.Get(ctx, registry.AgencyKey("ubnd-phuong-hai-chau"))
	fmt.Println("verified:", err == nil && p.Value != nil, "from header", height)
	// Output:
	// verified: true from header 2
}

// Submit and get back, in one call, the commit and the record it wrote
// with its proof (ICS23 + light-client header).
func ExampleClient_SubmitProven() {
	ctx := context.Background()
	gen, _ := node.LoadGenesis(exampleHome)
	c, _ := client.New(exampleURL, client.WithGenesis(gen))
	doc := sha256.Sum256([]byte("Giấy phép xây dựng số 77/GPXD"))
	res, records, err := c.SubmitProven(ctx, exampleSigner("ward"), &registry.MsgAnchor{Hash: doc[:], Tag: "giấy phép"})
	a, _ := registry.DecodeAnchor(records[0].Value)
	fmt.Println("committed:", err == nil && res.Height > 0, "proven at or after it:", records[0].Height >= res.Height,
		"agency:", a.Agency)
	// Output:
	// committed: true proven at or after it: true agency: ubnd-phuong-hai-chau
}

// Verify a result by its id (printed on the document and in its QR code).
func ExampleClient_VerifyResult() {
	ctx := context.Background()
	gen, _ := node.LoadGenesis(exampleHome)
	c, _ := client.New(exampleURL, client.WithGenesis(gen))
	h := sha256.Sum256([]byte("Giấy chứng nhận quyền sử dụng đất — ví dụ VerifyResult"))
	batch, _ := c.IssueResults(ctx, exampleSigner("ward"), []registry.ResultDoc{{
		Procedure: "1.004227.000.00.00.H17", Title: "Giấy chứng nhận", DocHash: h[:]}}, nil)
	v, err := c.VerifyResult(ctx, batch.Results[0].ID)
	fmt.Println(err, v.Valid(), v.Agency.Name)
	// Output:
	// <nil> true UBND phường Hải Châu
}

// Send a signed tx without waiting, then wait for its commit separately
// (e.g. from another worker).
func ExampleClient_BroadcastAsync() {
	ctx := context.Background()
	c, _ := client.New(exampleURL)
	ward := exampleSigner("ward")
	doc := sha256.Sum256([]byte("Công văn số 5/CV — ví dụ BroadcastAsync"))
	tx, _ := c.BuildTx(ctx, ward.PubKey(), &registry.MsgAnchor{Hash: doc[:], Tag: "công văn"})
	_ = client.Sign(tx, ward)
	hash, err := c.BroadcastAsync(ctx, tx.Encode())
	fmt.Println("accepted:", err == nil)
	res, err := c.WaitTx(ctx, hash)
	fmt.Println("committed:", err == nil && res.Height > 0)
	// Output:
	// accepted: true
	// committed: true
}

// Read several keys at one height so they share one verified header.
func ExampleClient_GetAt() {
	ctx := context.Background()
	gen, _ := node.LoadGenesis(exampleHome)
	c, _ := client.New(exampleURL, client.WithGenesis(gen))
	st, _ := c.Status(ctx)
	h := st.SyncInfo.LatestBlockHeight - 1
	ward, err1 := c.GetAt(ctx, h, registry.AgencyKey("ubnd-phuong-hai-chau"))
	farm, err2 := c.GetAt(ctx, h, registry.AgencyKey("trang-trai-hoa-vang"))
	fmt.Println(err1 == nil && err2 == nil, ward.Height == farm.Height, ward.Header.Height == farm.Header.Height)
	// Output:
	// true true true
}

// Publish a public file: its bytes go through consensus, every validator
// keeps them, and the CID is the one `ipfs add --cid-version=1` prints.
func ExampleClient_AddPayload() {
	ctx := context.Background()
	c, _ := client.New(exampleURL)
	file := strings.NewReader("Bảng giá dịch vụ công năm 2026 — ví dụ AddPayload")
	res, err := c.AddPayload(ctx, exampleSigner("ward"), file, client.PayloadOptions{MediaType: "text/plain"})
	fmt.Println(err, strings.HasPrefix(res.CID, "bafkrei"), res.Blocks, res.Published)
	// Output:
	// <nil> true 1 true
}
