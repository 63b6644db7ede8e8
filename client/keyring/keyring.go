package keyring

import (
	"bytes"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/pem"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strings"
	"sync"
	"time"
)

// Backend selects how keys are stored.
type Backend string

// The backends.
const (
	// BackendFile encrypts each key with a passphrase. It is the default.
	BackendFile Backend = "file"
	// BackendTest stores seeds unencrypted. For demos and tests only.
	BackendTest Backend = "test"
)

// Sentinel errors, to be checked with errors.Is.
var (
	ErrNotFound        = errors.New("keyring: key not found")
	ErrExists          = errors.New("keyring: key already exists")
	ErrBadName         = errors.New("keyring: invalid key name")
	ErrWrongPassphrase = errors.New("keyring: wrong passphrase or altered key data")
	ErrCorrupt         = errors.New("keyring: corrupt key data")
	ErrBackendMismatch = errors.New("keyring: key belongs to another backend")
)

// SeedSize is the size of an ed25519 seed, the secret a key is stored as.
const SeedSize = ed25519.SeedSize

// armorType is the PEM block type of an exported key.
const armorType = "DANANGCHAIN ED25519 PRIVATE KEY"

// fileExt is the suffix of key files.
const fileExt = ".json"

var nameRE = regexp.MustCompile(`^[a-zA-Z0-9][a-zA-Z0-9_.-]{0,63}$`)

// CheckName reports whether name is a valid key name. It returns an error
// wrapping ErrBadName if not.
func CheckName(name string) error {
	if !nameRE.MatchString(name) {
		return fmt.Errorf("%w: %q (want 1-64 of [a-zA-Z0-9_.-], starting with a letter or digit)", ErrBadName, name)
	}
	return nil
}

// Info describes a stored key. It never contains secret material.
type Info struct {
	Name    string
	PubKey  []byte
	Backend Backend
	Created time.Time
}

// Keyring is a directory of key files. Create it with New.
type Keyring struct {
	dir        string
	backend    Backend
	passphrase func() ([]byte, error)
	kdf        scryptParams // defaultScrypt; tests lower it
	mu         sync.Mutex   // serialises the no-link fallback of writeNew
}

// New opens the keyring in dir, creating the directory (mode 0700) if
// needed and removing group and other permissions from it if present.
// backend "" means BackendFile. passphrase is required by BackendFile and
// may be nil for BackendTest; it is called whenever a key must be
// encrypted or decrypted.
func New(dir string, backend Backend, passphrase func() ([]byte, error)) (*Keyring, error) {
	if backend == "" {
		backend = BackendFile
	}
	switch backend {
	case BackendFile:
		if passphrase == nil {
			return nil, errors.New("keyring: the file backend needs a passphrase callback")
		}
	case BackendTest:
	default:
		return nil, fmt.Errorf("keyring: unknown backend %q (want %q or %q)", backend, BackendFile, BackendTest)
	}
	if dir == "" {
		return nil, errors.New("keyring: empty directory")
	}
	dir = filepath.Clean(dir)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("keyring: %w", err)
	}
	fi, err := os.Stat(dir)
	if err != nil {
		return nil, fmt.Errorf("keyring: %w", err)
	}
	if !fi.IsDir() {
		return nil, fmt.Errorf("keyring: %s is not a directory", dir)
	}
	if runtime.GOOS != "windows" && fi.Mode().Perm()&0o077 != 0 {
		if err := os.Chmod(dir, fi.Mode().Perm()&0o700); err != nil {
			return nil, fmt.Errorf("keyring: %w", err)
		}
	}
	return &Keyring{dir: dir, backend: backend, passphrase: passphrase, kdf: defaultScrypt}, nil
}

// Dir returns the directory of the keyring.
func (k *Keyring) Dir() string { return k.dir }

// Backend returns the backend of the keyring.
func (k *Keyring) Backend() Backend { return k.backend }

// Add creates a new random key (crypto/rand) named name. It fails with
// ErrExists if the name is taken.
func (k *Keyring) Add(name string) (*Info, error) {
	seed := make([]byte, SeedSize)
	defer clear(seed)
	if _, err := rand.Read(seed); err != nil {
		return nil, fmt.Errorf("keyring: %w", err)
	}
	return k.store(name, seed)
}

// ImportSeed stores the key derived from a 32-byte ed25519 seed under
// name. It fails with ErrExists if the name is taken. seed is not modified.
func (k *Keyring) ImportSeed(name string, seed []byte) (*Info, error) {
	if len(seed) != SeedSize {
		return nil, fmt.Errorf("keyring: seed is %d bytes, want %d", len(seed), SeedSize)
	}
	return k.store(name, seed)
}

// List returns every key of the directory, sorted by name. Files whose
// names are not <valid name>.json are ignored; a key file that does not
// parse makes List fail with ErrCorrupt.
func (k *Keyring) List() ([]Info, error) {
	entries, err := os.ReadDir(k.dir)
	if err != nil {
		return nil, fmt.Errorf("keyring: %w", err)
	}
	infos := []Info{}
	for _, e := range entries {
		name, ok := strings.CutSuffix(e.Name(), fileExt)
		if !ok || CheckName(name) != nil {
			continue
		}
		key, err := k.read(name)
		if errors.Is(err, ErrNotFound) {
			continue // deleted meanwhile
		}
		if err != nil {
			return nil, err
		}
		infos = append(infos, *key.info())
	}
	slices.SortFunc(infos, func(a, b Info) int { return strings.Compare(a.Name, b.Name) })
	return infos, nil
}

// Show returns the description of a key, or ErrNotFound. It does not need
// the passphrase.
func (k *Keyring) Show(name string) (*Info, error) {
	key, err := k.read(name)
	if err != nil {
		return nil, err
	}
	return key.info(), nil
}

// Delete removes a key, or fails with ErrNotFound. It does not need the
// passphrase: whoever can write the directory can delete the file anyway.
func (k *Keyring) Delete(name string) error {
	if err := CheckName(name); err != nil {
		return err
	}
	if err := os.Remove(k.path(name)); err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("%w: %q", ErrNotFound, name)
		}
		return fmt.Errorf("keyring: %w", err)
	}
	return syncDir(k.dir)
}

// Signer decrypts a key and returns a Signer for it. A bad passphrase (or
// an altered file) fails with ErrWrongPassphrase.
func (k *Keyring) Signer(name string) (*Signer, error) {
	seed, key, err := k.unlock(name)
	if err != nil {
		return nil, err
	}
	defer clear(seed)
	return &Signer{name: key.name, priv: ed25519.NewKeyFromSeed(seed)}, nil
}

// Export decrypts a key and returns it re-encrypted under exportPassphrase,
// as PEM-armored text. exportPassphrase must not be empty and is not
// modified.
func (k *Keyring) Export(name string, exportPassphrase []byte) ([]byte, error) {
	if len(exportPassphrase) == 0 {
		return nil, errors.New("keyring: empty export passphrase")
	}
	seed, key, err := k.unlock(name)
	if err != nil {
		return nil, err
	}
	defer clear(seed)
	doc, err := sealExport(seed, key.pub, exportPassphrase, k.kdf)
	if err != nil {
		return nil, err
	}
	return pem.EncodeToMemory(&pem.Block{Type: armorType, Bytes: doc}), nil
}

// Import decrypts armored text made by Export with exportPassphrase and
// stores the key under name. It fails with ErrExists if the name is taken,
// ErrWrongPassphrase if the export passphrase is wrong (or the text was
// altered) and ErrCorrupt if the text is not an exported key.
func (k *Keyring) Import(name string, armored []byte, exportPassphrase []byte) (*Info, error) {
	if err := k.checkFree(name); err != nil {
		return nil, err
	}
	block, rest := pem.Decode(armored)
	if block == nil || block.Type != armorType || len(block.Headers) != 0 || len(bytes.TrimSpace(rest)) != 0 {
		return nil, fmt.Errorf("%w: not a single %q block", ErrCorrupt, armorType)
	}
	seed, err := openExport(block.Bytes, exportPassphrase)
	if err != nil {
		return nil, err
	}
	defer clear(seed)
	return k.store(name, seed)
}

// store writes a new key file for seed under name.
func (k *Keyring) store(name string, seed []byte) (*Info, error) {
	// Fail early (before asking for a passphrase) if the name is bad or
	// taken; writeNew checks again, atomically.
	if err := k.checkFree(name); err != nil {
		return nil, err
	}
	priv := ed25519.NewKeyFromSeed(seed)
	defer clear(priv)
	key := &key{
		name:    name,
		pub:     bytes.Clone(priv[SeedSize:]),
		backend: k.backend,
		created: time.Now().UTC().Truncate(time.Second),
	}
	switch k.backend {
	case BackendFile:
		pass, err := k.getPassphrase()
		if err != nil {
			return nil, err
		}
		if len(pass) == 0 {
			return nil, errors.New("keyring: empty passphrase")
		}
		key.kdf = k.kdf
		key.salt, key.nonce, key.ciphertext, err = seal(seed, pass, k.kdf, keyAD(name, key.pub))
		if err != nil {
			return nil, err
		}
	case BackendTest:
		key.seed = bytes.Clone(seed)
		defer clear(key.seed)
	}
	data, err := key.marshal()
	if err != nil {
		return nil, err
	}
	defer clear(data)
	if err := k.writeNew(name, data); err != nil {
		return nil, err
	}
	return key.info(), nil
}

// unlock reads a key and returns its seed, checked against its public key.
// The caller must clear the seed.
func (k *Keyring) unlock(name string) ([]byte, *key, error) {
	key, err := k.read(name)
	if err != nil {
		return nil, nil, err
	}
	if key.backend != k.backend {
		return nil, nil, fmt.Errorf("%w: %q is a %q key, this keyring uses %q", ErrBackendMismatch, name, key.backend, k.backend)
	}
	var seed []byte
	switch key.backend {
	case BackendFile:
		pass, err := k.getPassphrase()
		if err != nil {
			return nil, nil, err
		}
		seed, err = open(key.ciphertext, pass, key.kdf, key.salt, key.nonce, keyAD(key.name, key.pub))
		if err != nil {
			return nil, nil, fmt.Errorf("%w (key %q)", err, name)
		}
	case BackendTest:
		seed = bytes.Clone(key.seed)
		clear(key.seed)
	}
	if !seedMatches(seed, key.pub) {
		clear(seed)
		return nil, nil, fmt.Errorf("%w: key %q: seed does not match pub_key", ErrCorrupt, name)
	}
	return seed, key, nil
}

func (k *Keyring) getPassphrase() ([]byte, error) {
	if k.passphrase == nil {
		return nil, errors.New("keyring: no passphrase callback")
	}
	pass, err := k.passphrase()
	if err != nil {
		return nil, fmt.Errorf("keyring: reading passphrase: %w", err)
	}
	return pass, nil
}

// path is the file of a key; name must have been checked.
func (k *Keyring) path(name string) string {
	return filepath.Join(k.dir, name+fileExt)
}

// checkFree fails with ErrBadName or ErrExists unless name is free.
func (k *Keyring) checkFree(name string) error {
	if err := CheckName(name); err != nil {
		return err
	}
	_, err := os.Lstat(k.path(name))
	switch {
	case err == nil:
		return fmt.Errorf("%w: %q", ErrExists, name)
	case errors.Is(err, fs.ErrNotExist):
		return nil
	default:
		return fmt.Errorf("keyring: %w", err)
	}
}

// Signer signs with one decrypted key.
type Signer struct {
	name string
	priv ed25519.PrivateKey // 64-byte seed||pub form
}

// Name returns the name of the key.
func (s *Signer) Name() string { return s.name }

// PubKey returns the 32-byte ed25519 public key.
func (s *Signer) PubKey() []byte {
	if s == nil || len(s.priv) != ed25519.PrivateKeySize {
		return nil
	}
	return bytes.Clone(s.priv[SeedSize:])
}

// Sign returns the 64-byte ed25519 signature (RFC 8032, deterministic) of
// msg.
func (s *Signer) Sign(msg []byte) ([]byte, error) {
	if s == nil || len(s.priv) != ed25519.PrivateKeySize {
		return nil, errors.New("keyring: signer has no key")
	}
	return ed25519.Sign(s.priv, msg), nil
}
