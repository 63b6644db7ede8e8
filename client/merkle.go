package client

import (
	"bytes"
	"crypto/sha256"
	"errors"
)

// Merkle batches follow RFC 6962: leaf = SHA-256(0x00 ‖ document SHA-256),
// node = SHA-256(0x01 ‖ left ‖ right); a level's last node without a
// sibling moves up unchanged (which yields exactly RFC 6962's tree, whose
// left subtree always holds the largest power of two of leaves).

// MerkleTree holds every level of a batch tree (level 0 = leaves).
type MerkleTree struct {
	levels [][][32]byte
}

// NewMerkleTree builds the tree of the given document hashes.
func NewMerkleTree(docHashes [][]byte) (*MerkleTree, error) {
	if len(docHashes) == 0 {
		return nil, errors.New("merkle: no documents")
	}
	leaves := make([][32]byte, len(docHashes))
	var buf [33]byte
	for i, h := range docHashes {
		if len(h) != 32 {
			return nil, errors.New("merkle: document hashes must be 32 bytes")
		}
		buf[0] = 0
		copy(buf[1:], h)
		leaves[i] = sha256.Sum256(buf[:])
	}
	t := &MerkleTree{levels: [][][32]byte{leaves}}
	var nb [65]byte
	nb[0] = 1
	for cur := leaves; len(cur) > 1; {
		next := make([][32]byte, (len(cur)+1)/2)
		for i := 0; i+1 < len(cur); i += 2 {
			copy(nb[1:33], cur[i][:])
			copy(nb[33:], cur[i+1][:])
			next[i/2] = sha256.Sum256(nb[:])
		}
		if len(cur)%2 == 1 {
			next[len(next)-1] = cur[len(cur)-1]
		}
		t.levels = append(t.levels, next)
		cur = next
	}
	return t, nil
}

// Root is the batch root to anchor.
func (t *MerkleTree) Root() []byte {
	r := t.levels[len(t.levels)-1][0]
	return r[:]
}

// Count is the number of documents.
func (t *MerkleTree) Count() int { return len(t.levels[0]) }

// Path returns the inclusion path of document i (sibling hashes, leaf up).
func (t *MerkleTree) Path(i int) [][]byte {
	var path [][]byte
	for _, lvl := range t.levels[:len(t.levels)-1] {
		sib := i ^ 1
		if sib < len(lvl) {
			s := lvl[sib]
			path = append(path, s[:])
		}
		i /= 2
	}
	return path
}

// VerifyMerklePath checks that document docHash is leaf index of a batch
// of count documents with the given root. It is a pure function.
func VerifyMerklePath(docHash []byte, index, count uint64, path [][]byte, root []byte) bool {
	if len(docHash) != 32 || index >= count || len(root) != 32 {
		return false
	}
	var buf [33]byte
	copy(buf[1:], docHash)
	h := sha256.Sum256(buf[:])
	n, i, used := count, index, 0
	var nb [65]byte
	nb[0] = 1
	for n > 1 {
		if i^1 < n { // has a sibling at this level
			if used >= len(path) || len(path[used]) != 32 {
				return false
			}
			if i%2 == 0 {
				copy(nb[1:33], h[:])
				copy(nb[33:], path[used])
			} else {
				copy(nb[1:33], path[used])
				copy(nb[33:], h[:])
			}
			h = sha256.Sum256(nb[:])
			used++
		}
		i /= 2
		n = (n + 1) / 2
	}
	return used == len(path) && bytes.Equal(h[:], root)
}
