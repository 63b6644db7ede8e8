package cas

import (
	"bufio"
	"bytes"
	"crypto/cipher"
	"crypto/rand"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"io"

	"golang.org/x/crypto/chacha20poly1305"
)

// Encryption of personal payloads (see docs/payloads.md).
//
// A payload holding personal data is encrypted on the client with a random
// per-document key before it is imported, so the chain and the nodes see
// only ciphertext and its CID. Destroying every copy of the key erases the
// data (crypto-erasure). The format is a STREAM construction over
// XChaCha20-Poly1305:
//
//	header   = "DNGENC01" (8 bytes) || nonce_prefix (16 random bytes)
//	segment  = XChaCha20-Poly1305(key, nonce, plaintext[i*65536 : (i+1)*65536], aad = header)
//	nonce    = nonce_prefix || counter i (7 bytes, big-endian) || last (1 byte: 1 on the final segment)
//	file     = header || segment_0 || … || segment_n
//
// Every segment but the last holds exactly 65,536 plaintext bytes; the last
// holds 0..65,536 (an empty file is one empty last segment). Reordered,
// truncated, extended or altered ciphertext fails to decrypt.
const (
	KeySize     = chacha20poly1305.KeySize
	SegmentSize = 64 << 10
	cryptMagic  = "DNGENC01"
	headerSize  = len(cryptMagic) + 16
	tagSize     = chacha20poly1305.Overhead
	maxSegments = 1 << 56
)

// NewKey returns a random per-document key.
func NewKey() ([]byte, error) {
	k := make([]byte, KeySize)
	if _, err := rand.Read(k); err != nil {
		return nil, err
	}
	return k, nil
}

// FormatKey is the printable form of a key (64 hex digits).
func FormatKey(k []byte) string { return hex.EncodeToString(k) }

// ParseKey parses FormatKey's output.
func ParseKey(s string) ([]byte, error) {
	k, err := hex.DecodeString(s)
	if err != nil || len(k) != KeySize {
		return nil, fmt.Errorf("%w: key must be %d hex digits", ErrDecrypt, 2*KeySize)
	}
	return k, nil
}

// CiphertextSize is the encrypted size of n plaintext bytes.
func CiphertextSize(n int64) int64 {
	segs := n/SegmentSize + 1
	if n > 0 && n%SegmentSize == 0 {
		segs--
	}
	return int64(headerSize) + n + segs*tagSize
}

func segmentNonce(prefix []byte, i uint64, last bool) []byte {
	n := make([]byte, chacha20poly1305.NonceSizeX)
	copy(n, prefix)
	var ctr [8]byte
	binary.BigEndian.PutUint64(ctr[:], i)
	copy(n[16:23], ctr[1:])
	if last {
		n[23] = 1
	}
	return n
}

// EncryptReader returns a reader of the ciphertext of r under key.
func EncryptReader(r io.Reader, key []byte) (io.Reader, error) {
	aead, err := chacha20poly1305.NewX(key)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrDecrypt, err)
	}
	header := make([]byte, headerSize)
	copy(header, cryptMagic)
	if _, err := rand.Read(header[len(cryptMagic):]); err != nil {
		return nil, err
	}
	return &encReader{src: bufio.NewReaderSize(r, SegmentSize), aead: aead, header: header,
		out: bytes.NewBuffer(bytes.Clone(header)), plain: make([]byte, SegmentSize)}, nil
}

type encReader struct {
	src    *bufio.Reader
	aead   cipher.AEAD
	header []byte
	out    *bytes.Buffer
	plain  []byte
	i      uint64
	done   bool
	err    error
}

func (e *encReader) Read(p []byte) (int, error) {
	for e.out.Len() == 0 {
		if e.err != nil {
			return 0, e.err
		}
		if e.done {
			return 0, io.EOF
		}
		e.next()
	}
	return e.out.Read(p)
}

// next seals the next segment into out.
func (e *encReader) next() {
	n, err := io.ReadFull(e.src, e.plain)
	last := false
	switch {
	case errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF):
		last = true
	case err != nil:
		e.err = err
		return
	default:
		if _, perr := e.src.Peek(1); errors.Is(perr, io.EOF) {
			last = true
		} else if perr != nil {
			e.err = perr
			return
		}
	}
	if e.i >= maxSegments {
		e.err = fmt.Errorf("%w: too many segments", ErrTooLarge)
		return
	}
	sealed := e.aead.Seal(nil, segmentNonce(e.header[len(cryptMagic):], e.i, last), e.plain[:n], e.header)
	e.out.Write(sealed)
	e.i++
	e.done = last
}

// Decrypt writes the plaintext of src to dst, segment by segment: each
// segment is written only after it authenticates. An error after some
// output means the ciphertext was cut or altered: discard what was written.
func Decrypt(dst io.Writer, src io.Reader, key []byte) (int64, error) {
	aead, err := chacha20poly1305.NewX(key)
	if err != nil {
		return 0, fmt.Errorf("%w: %v", ErrDecrypt, err)
	}
	br := bufio.NewReaderSize(src, SegmentSize+tagSize)
	header := make([]byte, headerSize)
	if _, err := io.ReadFull(br, header); err != nil || string(header[:len(cryptMagic)]) != cryptMagic {
		return 0, fmt.Errorf("%w: not a DanangChain encrypted payload", ErrDecrypt)
	}
	buf := make([]byte, SegmentSize+tagSize)
	var total int64
	for i := uint64(0); ; i++ {
		n, err := io.ReadFull(br, buf)
		last := false
		switch {
		case errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF):
			last = true
		case err != nil:
			return total, err
		default:
			if _, perr := br.Peek(1); errors.Is(perr, io.EOF) {
				last = true
			} else if perr != nil {
				return total, perr
			}
		}
		plain, err := aead.Open(buf[:0], segmentNonce(header[len(cryptMagic):], i, last), buf[:n], header)
		if err != nil {
			return total, fmt.Errorf("%w: segment %d does not authenticate (wrong key, or altered or truncated ciphertext)", ErrDecrypt, i)
		}
		w, err := dst.Write(plain)
		total += int64(w)
		if err != nil {
			return total, err
		}
		if last {
			return total, nil
		}
	}
}

// LooksEncrypted reports whether b starts like a payload encrypted by
// Encrypt (its magic header). Plain files may start the same way only by
// design, never by accident of a common format.
func LooksEncrypted(b []byte) bool {
	return len(b) >= headerSize && string(b[:len(cryptMagic)]) == cryptMagic
}
