// Package cas stores content-addressed payloads: files as UnixFS DAGs in a
// boxo blockstore on disk, named by the same CIDs Kubo computes, served by
// boxo's IPFS gateway, with client-side encryption for personal data.
//
// The CID policy is strict and checked everywhere (ParseCID, CheckCID):
// CIDv1, a sha2-256 multihash of 32 bytes, codec raw (0x55) or dag-pb
// (0x70), text form base32 ("bafk…", "bafy…"). CIDv0, identity CIDs and
// every other hash function are refused. A block's CID is recomputed from
// its bytes on every put and every read: a block whose bytes do not match
// its CID is never stored or served.
//
// Import follows Kubo's `ipfs add --cid-version=1` (which implies
// --raw-leaves): fixed-size chunks of 262,144 bytes ("size-262144"), raw
// leaves, a balanced DAG of dag-pb UnixFS file nodes with at most 174 links
// each, CIDv1 sha2-256. A file of at most one chunk is a single raw block.
//
// Pieces, each usable on its own:
//
//   - Import builds a file's DAG in memory (the SDK uploads it through
//     consensus; see registry's payload family).
//   - Store is the on-disk blockstore of a node (flatfs, fsynced): Put,
//     Get, Add, Open (a verified UnixFS reader), Missing, GC.
//   - Store.Gateway is the trustless gateway (GET/HEAD /ipfs/{cid},
//     ?format=raw, ?format=car, ranges) built on boxo/gateway.
//   - CheckBlock is the stateless check the chain runs on every dag-pb
//     block: its bytes encode exactly the links the transaction declares.
//   - Encrypt/Decrypt: XChaCha20-Poly1305 in 64 KiB segments with a
//     per-document key (crypto-erasure: destroy the key).
//   - ReadCAR verifies every block of a CAR file against its CID.
//
// Errors wrap the registry sentinels (ErrInvalid, ErrNotFound,
// ErrOversize), so the API, the CLI and the SDK report the same codes.
package cas
