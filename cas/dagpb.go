package cas

import (
	"fmt"

	"github.com/ipfs/boxo/ipld/merkledag"
	"github.com/ipfs/boxo/ipld/unixfs"
	unixfspb "github.com/ipfs/boxo/ipld/unixfs/pb"

	"github.com/danangchain/danangchain/registry"
)

// NodeLinks decodes a dag-pb UnixFS file node and returns its links with
// the file bytes under each. It accepts only what a file import produces:
// a UnixFS File node without inline data, mode, mtime or HAMT fields,
// with one blocksize per link and unnamed links to payload CIDs.
func NodeLinks(data []byte) ([]Link, error) {
	pn, err := merkledag.DecodeProtobuf(data)
	if err != nil {
		return nil, fmt.Errorf("%w: dag-pb: %v", ErrBadBlock, err)
	}
	fs, err := unixfs.FromBytes(pn.Data())
	if err != nil {
		return nil, fmt.Errorf("%w: unixfs: %v", ErrBadBlock, err)
	}
	switch {
	case fs.GetType() != unixfspb.Data_File:
		return nil, fmt.Errorf("%w: unixfs node of type %s: only files", ErrBadBlock, fs.GetType())
	case len(fs.GetData()) != 0:
		return nil, fmt.Errorf("%w: unixfs node with inline data", ErrBadBlock)
	case fs.Mode != nil || fs.Mtime != nil || fs.HashType != nil || fs.Fanout != nil:
		return nil, fmt.Errorf("%w: unixfs node with mode, mtime or HAMT fields", ErrBadBlock)
	case len(pn.Links()) == 0:
		return nil, fmt.Errorf("%w: unixfs file node without links", ErrBadBlock)
	case len(pn.Links()) != len(fs.GetBlocksizes()):
		return nil, fmt.Errorf("%w: %d links but %d blocksizes", ErrBadBlock, len(pn.Links()), len(fs.GetBlocksizes()))
	}
	var total uint64
	out := make([]Link, 0, len(pn.Links()))
	for i, l := range pn.Links() {
		if l.Name != "" {
			return nil, fmt.Errorf("%w: named link in a file node", ErrBadBlock)
		}
		if err := CheckCID(l.Cid); err != nil {
			return nil, err
		}
		size := fs.GetBlocksizes()[i]
		total += size
		out = append(out, Link{CID: l.Cid, Size: size})
	}
	if fs.Filesize != nil && fs.GetFilesize() != total {
		return nil, fmt.Errorf("%w: filesize %d, blocksizes add up to %d", ErrBadBlock, fs.GetFilesize(), total)
	}
	return out, nil
}

// CheckBlock is the stateless check of a block carried by a payload/blocks
// transaction: a raw block has no links; a dag-pb block is a UnixFS file
// node (NodeLinks) whose links and blocksizes are exactly the declared
// ones, in order. Its errors carry registry codes.
func CheckBlock(b *registry.PayloadBlock) error {
	if b.Codec == registry.CodecRaw {
		if len(b.Links) != 0 {
			return registry.Errorf(registry.ErrInvalid, "a raw block has no links")
		}
		return nil
	}
	if b.Codec != registry.CodecDagPB {
		return registry.Errorf(registry.ErrInvalid, "block codec 0x%x: only raw and dag-pb", b.Codec)
	}
	links, err := NodeLinks(b.Data)
	if err != nil {
		return err
	}
	c := BlockCID(CodecDagPB, b.Data)
	if len(links) != len(b.Links) {
		return registry.Errorf(registry.ErrInvalid, "block %s has %d links, the tx declares %d", c, len(links), len(b.Links))
	}
	for i, l := range links {
		if string(l.CID.Bytes()) != string(b.Links[i].CID) || l.Size != b.Links[i].Size {
			return registry.Errorf(registry.ErrInvalid, "block %s: link %d is %s (%d bytes), the tx declares %s (%d bytes)",
				c, i, l.CID, l.Size, registry.FormatPayloadCID(b.Links[i].CID), b.Links[i].Size)
		}
	}
	return nil
}

// PayloadBlocks converts imported blocks to the chain's form.
func PayloadBlocks(bs []Block) []registry.PayloadBlock {
	out := make([]registry.PayloadBlock, 0, len(bs))
	for _, b := range bs {
		pb := registry.PayloadBlock{Codec: b.CID.Prefix().Codec, Data: b.Data}
		for _, l := range b.Links {
			pb.Links = append(pb.Links, registry.PayloadLink{CID: l.CID.Bytes(), Size: l.Size})
		}
		out = append(out, pb)
	}
	return out
}
