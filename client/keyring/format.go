package keyring

import (
	"bytes"
	"crypto/cipher"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/subtle"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/bits"
	"time"

	"golang.org/x/crypto/chacha20poly1305"
	"golang.org/x/crypto/scrypt"
)

// Format constants.
const (
	fileVersion   = 1
	exportVersion = 1
	kdfScrypt     = "scrypt"
	cipherName    = "xchacha20-poly1305"
	keyType       = "ed25519"
	saltSize      = 16
	aeadKeySize   = chacha20poly1305.KeySize // 32
	nonceSize     = chacha20poly1305.NonceSizeX
	sealedSize    = SeedSize + chacha20poly1305.Overhead
	maxFileSize   = 64 << 10

	keyADTag    = "danangchain/keyring/key/v1"
	exportADTag = "danangchain/keyring/export/v1"
)

// scryptParams are the scrypt cost parameters.
type scryptParams struct {
	N, R, P int
}

// defaultScrypt is the production cost: N=2^15, r=8, p=1 (32 MiB).
var defaultScrypt = scryptParams{N: 1 << 15, R: 8, P: 1}

// Bounds on parameters read from files, so a hostile file cannot make the
// keyring allocate or compute without limit.
const (
	maxScryptN   = 1 << 20
	maxScryptR   = 32
	maxScryptP   = 16
	maxScryptMem = 1 << 30 // 128*r*N bytes
)

func (p scryptParams) validate() error {
	switch {
	case p.N < 2 || p.N > maxScryptN || bits.OnesCount(uint(p.N)) != 1:
		return fmt.Errorf("scrypt n=%d must be a power of two in [2, 2^20]", p.N)
	case p.R < 1 || p.R > maxScryptR:
		return fmt.Errorf("scrypt r=%d out of range [1, %d]", p.R, maxScryptR)
	case p.P < 1 || p.P > maxScryptP:
		return fmt.Errorf("scrypt p=%d out of range [1, %d]", p.P, maxScryptP)
	case 128*p.R*p.N > maxScryptMem:
		return fmt.Errorf("scrypt n=%d r=%d needs more than 1 GiB", p.N, p.R)
	}
	return nil
}

// kdfJSON is the "kdf" object of the file formats.
type kdfJSON struct {
	Name string `json:"name"`
	N    int    `json:"n"`
	R    int    `json:"r"`
	P    int    `json:"p"`
}

// keyFileJSON is the on-disk form of a key. []byte fields are base64.
type keyFileJSON struct {
	Version    int       `json:"version"`
	Name       string    `json:"name"`
	PubKey     string    `json:"pub_key"`
	Backend    Backend   `json:"backend"`
	Created    time.Time `json:"created"`
	KDF        *kdfJSON  `json:"kdf,omitempty"`
	Cipher     string    `json:"cipher,omitempty"`
	Salt       []byte    `json:"salt,omitempty"`
	Nonce      []byte    `json:"nonce,omitempty"`
	Ciphertext []byte    `json:"ciphertext,omitempty"`
	Seed       string    `json:"seed,omitempty"` // test backend only
}

// exportJSON is the document inside the PEM block made by Export.
type exportJSON struct {
	Version    int      `json:"version"`
	Type       string   `json:"type"`
	PubKey     string   `json:"pub_key"`
	KDF        *kdfJSON `json:"kdf"`
	Cipher     string   `json:"cipher"`
	Salt       []byte   `json:"salt"`
	Nonce      []byte   `json:"nonce"`
	Ciphertext []byte   `json:"ciphertext"`
}

// key is a parsed and validated key file.
type key struct {
	name    string
	pub     []byte
	backend Backend
	created time.Time
	// BackendFile
	kdf        scryptParams
	salt       []byte
	nonce      []byte
	ciphertext []byte
	// BackendTest
	seed []byte
}

func (k *key) info() *Info {
	return &Info{Name: k.name, PubKey: bytes.Clone(k.pub), Backend: k.backend, Created: k.created}
}

func (k *key) marshal() ([]byte, error) {
	f := keyFileJSON{
		Version: fileVersion,
		Name:    k.name,
		PubKey:  hex.EncodeToString(k.pub),
		Backend: k.backend,
		Created: k.created,
	}
	switch k.backend {
	case BackendFile:
		f.KDF = &kdfJSON{Name: kdfScrypt, N: k.kdf.N, R: k.kdf.R, P: k.kdf.P}
		f.Cipher = cipherName
		f.Salt, f.Nonce, f.Ciphertext = k.salt, k.nonce, k.ciphertext
	case BackendTest:
		f.Seed = hex.EncodeToString(k.seed)
	}
	data, err := json.MarshalIndent(&f, "", "  ")
	if err != nil {
		return nil, fmt.Errorf("keyring: %w", err)
	}
	return append(data, '\n'), nil
}

func corrupt(format string, args ...any) error {
	return fmt.Errorf("%w: "+format, append([]any{ErrCorrupt}, args...)...)
}

// decodeStrict decodes exactly one JSON value with no unknown fields.
func decodeStrict(data []byte, v any) error {
	if len(data) > maxFileSize {
		return corrupt("larger than %d bytes", maxFileSize)
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return corrupt("%v", err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return corrupt("trailing data after the JSON object")
	}
	return nil
}

func parsePub(s string) ([]byte, error) {
	pub, err := hex.DecodeString(s)
	if err != nil || len(pub) != ed25519.PublicKeySize {
		return nil, corrupt("pub_key must be %d hex-encoded bytes", ed25519.PublicKeySize)
	}
	return pub, nil
}

func parseKDF(k *kdfJSON) (scryptParams, error) {
	if k == nil {
		return scryptParams{}, corrupt("missing kdf")
	}
	if k.Name != kdfScrypt {
		return scryptParams{}, corrupt("unsupported kdf %q", k.Name)
	}
	p := scryptParams{N: k.N, R: k.R, P: k.P}
	if err := p.validate(); err != nil {
		return scryptParams{}, corrupt("%v", err)
	}
	return p, nil
}

func checkSealed(cipherField string, salt, nonce, ciphertext []byte) error {
	switch {
	case cipherField != cipherName:
		return corrupt("unsupported cipher %q", cipherField)
	case len(salt) != saltSize:
		return corrupt("salt is %d bytes, want %d", len(salt), saltSize)
	case len(nonce) != nonceSize:
		return corrupt("nonce is %d bytes, want %d", len(nonce), nonceSize)
	case len(ciphertext) != sealedSize:
		return corrupt("ciphertext is %d bytes, want %d", len(ciphertext), sealedSize)
	}
	return nil
}

// parseKeyFile decodes and validates a key file. It does not decrypt, but
// checks that a test backend seed matches its public key.
func parseKeyFile(data []byte) (*key, error) {
	var f keyFileJSON
	if err := decodeStrict(data, &f); err != nil {
		return nil, err
	}
	if f.Version != fileVersion {
		return nil, corrupt("unsupported version %d", f.Version)
	}
	if CheckName(f.Name) != nil {
		return nil, corrupt("invalid name %q", f.Name)
	}
	pub, err := parsePub(f.PubKey)
	if err != nil {
		return nil, err
	}
	k := &key{name: f.Name, pub: pub, backend: f.Backend, created: f.Created}
	switch f.Backend {
	case BackendFile:
		if f.Seed != "" {
			return nil, corrupt("file backend key with a clear seed")
		}
		if k.kdf, err = parseKDF(f.KDF); err != nil {
			return nil, err
		}
		if err := checkSealed(f.Cipher, f.Salt, f.Nonce, f.Ciphertext); err != nil {
			return nil, err
		}
		k.salt, k.nonce, k.ciphertext = f.Salt, f.Nonce, f.Ciphertext
	case BackendTest:
		if f.KDF != nil || f.Cipher != "" || f.Salt != nil || f.Nonce != nil || f.Ciphertext != nil {
			return nil, corrupt("test backend key with encryption fields")
		}
		seed, err := hex.DecodeString(f.Seed)
		if err != nil || len(seed) != SeedSize {
			return nil, corrupt("seed must be %d hex-encoded bytes", SeedSize)
		}
		if !seedMatches(seed, pub) {
			clear(seed)
			return nil, corrupt("seed does not match pub_key")
		}
		k.seed = seed
	default:
		return nil, corrupt("unknown backend %q", f.Backend)
	}
	return k, nil
}

// seedMatches reports whether seed derives the public key pub.
func seedMatches(seed, pub []byte) bool {
	if len(seed) != SeedSize {
		return false
	}
	priv := ed25519.NewKeyFromSeed(seed)
	defer clear(priv)
	return subtle.ConstantTimeCompare(priv[SeedSize:], pub) == 1
}

// keyAD is the additional data of a key file: it binds name and pub_key.
func keyAD(name string, pub []byte) []byte {
	ad := make([]byte, 0, len(keyADTag)+2+len(name)+len(pub))
	ad = append(ad, keyADTag...)
	ad = append(ad, 0, byte(len(name)))
	ad = append(ad, name...)
	return append(ad, pub...)
}

// exportAD is the additional data of an exported key: it binds pub_key.
func exportAD(pub []byte) []byte {
	ad := make([]byte, 0, len(exportADTag)+1+len(pub))
	ad = append(ad, exportADTag...)
	ad = append(ad, 0)
	return append(ad, pub...)
}

func newAEAD(pass, salt []byte, p scryptParams) (cipher.AEAD, error) {
	dk, err := scrypt.Key(pass, salt, p.N, p.R, p.P, aeadKeySize)
	if err != nil {
		return nil, fmt.Errorf("keyring: scrypt: %w", err)
	}
	defer clear(dk)
	aead, err := chacha20poly1305.NewX(dk)
	if err != nil {
		return nil, fmt.Errorf("keyring: %w", err)
	}
	return aead, nil
}

// seal encrypts seed under pass with a fresh salt and nonce.
func seal(seed, pass []byte, p scryptParams, ad []byte) (salt, nonce, ciphertext []byte, err error) {
	salt = make([]byte, saltSize)
	nonce = make([]byte, nonceSize)
	if _, err := rand.Read(salt); err != nil {
		return nil, nil, nil, fmt.Errorf("keyring: %w", err)
	}
	if _, err := rand.Read(nonce); err != nil {
		return nil, nil, nil, fmt.Errorf("keyring: %w", err)
	}
	aead, err := newAEAD(pass, salt, p)
	if err != nil {
		return nil, nil, nil, err
	}
	return salt, nonce, aead.Seal(nil, nonce, seed, ad), nil
}

// open decrypts a sealed seed. Any authentication failure is
// ErrWrongPassphrase.
func open(ciphertext, pass []byte, p scryptParams, salt, nonce, ad []byte) ([]byte, error) {
	aead, err := newAEAD(pass, salt, p)
	if err != nil {
		return nil, err
	}
	seed, err := aead.Open(nil, nonce, ciphertext, ad)
	if err != nil {
		return nil, ErrWrongPassphrase
	}
	if len(seed) != SeedSize {
		clear(seed)
		return nil, corrupt("sealed seed is %d bytes", len(seed))
	}
	return seed, nil
}

// sealExport builds the JSON document of an exported key.
func sealExport(seed, pub, pass []byte, p scryptParams) ([]byte, error) {
	salt, nonce, ct, err := seal(seed, pass, p, exportAD(pub))
	if err != nil {
		return nil, err
	}
	doc, err := json.Marshal(&exportJSON{
		Version:    exportVersion,
		Type:       keyType,
		PubKey:     hex.EncodeToString(pub),
		KDF:        &kdfJSON{Name: kdfScrypt, N: p.N, R: p.R, P: p.P},
		Cipher:     cipherName,
		Salt:       salt,
		Nonce:      nonce,
		Ciphertext: ct,
	})
	if err != nil {
		return nil, fmt.Errorf("keyring: %w", err)
	}
	return doc, nil
}

// openExport validates and decrypts the JSON document of an exported key
// and returns its seed, checked against its public key.
func openExport(doc, pass []byte) ([]byte, error) {
	var e exportJSON
	if err := decodeStrict(doc, &e); err != nil {
		return nil, err
	}
	if e.Version != exportVersion {
		return nil, corrupt("unsupported export version %d", e.Version)
	}
	if e.Type != keyType {
		return nil, corrupt("unsupported key type %q", e.Type)
	}
	pub, err := parsePub(e.PubKey)
	if err != nil {
		return nil, err
	}
	p, err := parseKDF(e.KDF)
	if err != nil {
		return nil, err
	}
	if err := checkSealed(e.Cipher, e.Salt, e.Nonce, e.Ciphertext); err != nil {
		return nil, err
	}
	if len(pass) == 0 {
		return nil, errors.New("keyring: empty export passphrase")
	}
	seed, err := open(e.Ciphertext, pass, p, e.Salt, e.Nonce, exportAD(pub))
	if err != nil {
		return nil, err
	}
	if !seedMatches(seed, pub) {
		clear(seed)
		return nil, corrupt("exported seed does not match pub_key")
	}
	return seed, nil
}
