package cas

import (
	"bytes"
	"context"
	"fmt"
	"io"

	"github.com/ipfs/go-cid"
	carv2 "github.com/ipld/go-car/v2"
)

// MaxCARBlocks caps the blocks ReadCAR accepts.
const MaxCARBlocks = 1 << 16

// ReadCAR reads a CAR (v1 or v2), checks every block against its CID and
// the policy, and returns the blocks by CID with the roots the header
// names. maxBytes > 0 caps the total block bytes.
func ReadCAR(r io.Reader, maxBytes int64) (roots []cid.Cid, blocks map[string][]byte, err error) {
	br, err := carv2.NewBlockReader(r)
	if err != nil {
		return nil, nil, fmt.Errorf("%w: car: %v", ErrBadBlock, err)
	}
	blocks = map[string][]byte{}
	var total int64
	for {
		b, err := br.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, nil, fmt.Errorf("%w: car: %v", ErrBadBlock, err)
		}
		if err := VerifyBlock(b.Cid(), b.RawData()); err != nil {
			return nil, nil, err
		}
		total += int64(len(b.RawData()))
		if maxBytes > 0 && total > maxBytes {
			return nil, nil, fmt.Errorf("%w: car above %d bytes", ErrTooLarge, maxBytes)
		}
		if len(blocks) >= MaxCARBlocks {
			return nil, nil, fmt.Errorf("%w: car with more than %d blocks", ErrTooLarge, MaxCARBlocks)
		}
		blocks[b.Cid().KeyString()] = b.RawData()
	}
	return br.Roots, blocks, nil
}

// Assemble writes the file under root from verified blocks (as ReadCAR
// returns them) to w, checking the DAG is complete and well formed, and
// returns the number of bytes written.
func Assemble(w io.Writer, root cid.Cid, blocks map[string][]byte) (uint64, error) {
	if err := CheckCID(root); err != nil {
		return 0, err
	}
	var n uint64
	var walk func(c cid.Cid, want uint64, isRoot bool, depth int) error
	walk = func(c cid.Cid, want uint64, isRoot bool, depth int) error {
		if depth > 32 {
			return fmt.Errorf("%w: DAG deeper than 32", ErrBadBlock)
		}
		data, ok := blocks[c.KeyString()]
		if !ok {
			return fmt.Errorf("%w: %s (missing from the CAR)", ErrNotFound, c)
		}
		if c.Prefix().Codec == CodecRaw {
			if !isRoot && uint64(len(data)) != want {
				return fmt.Errorf("%w: leaf %s has %d bytes, its parent says %d", ErrBadBlock, c, len(data), want)
			}
			m, err := w.Write(data)
			n += uint64(m)
			return err
		}
		links, err := NodeLinks(data)
		if err != nil {
			return err
		}
		var sum uint64
		for _, l := range links {
			sum += l.Size
		}
		if !isRoot && sum != want {
			return fmt.Errorf("%w: node %s spans %d bytes, its parent says %d", ErrBadBlock, c, sum, want)
		}
		for _, l := range links {
			if err := walk(l.CID, l.Size, false, depth+1); err != nil {
				return err
			}
		}
		return nil
	}
	return n, walk(root, 0, true, 0)
}

// ImportCAR stores the blocks of a verified CAR (repairing a node, e.g.
// after state sync) and reports how many it wrote.
func (s *Store) ImportCAR(ctx context.Context, r io.Reader, maxBytes int64) (roots []cid.Cid, n int, err error) {
	roots, bs, err := ReadCAR(r, maxBytes)
	if err != nil {
		return nil, 0, err
	}
	var out []Block
	for k, data := range bs {
		c, _ := cid.Cast([]byte(k))
		out = append(out, Block{CID: c, Data: data})
	}
	return roots, len(out), s.PutMany(ctx, out)
}

// WriteFile is Assemble into a byte slice (small payloads, tests).
func WriteFile(root cid.Cid, blocks map[string][]byte) ([]byte, error) {
	var buf bytes.Buffer
	_, err := Assemble(&buf, root, blocks)
	return buf.Bytes(), err
}
