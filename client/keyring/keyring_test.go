package keyring

import (
	"bytes"
	"crypto/ed25519"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"encoding/pem"
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// fastScrypt keeps tests fast; production uses defaultScrypt.
var fastScrypt = scryptParams{N: 16, R: 8, P: 1}

var testPass = []byte("correct horse battery staple")

func constPass(p []byte) func() ([]byte, error) {
	return func() ([]byte, error) { return p, nil }
}

func newFile(t testing.TB, dir string, pass []byte) *Keyring {
	t.Helper()
	k, err := New(dir, BackendFile, constPass(pass))
	require.NoError(t, err)
	k.kdf = fastScrypt
	return k
}

func newTest(t testing.TB, dir string) *Keyring {
	t.Helper()
	k, err := New(dir, BackendTest, nil)
	require.NoError(t, err)
	k.kdf = fastScrypt // used by Export
	return k
}

// both runs f against a fresh keyring of each backend.
func both(t *testing.T, f func(t *testing.T, k *Keyring)) {
	t.Run("file", func(t *testing.T) { f(t, newFile(t, t.TempDir(), testPass)) })
	t.Run("test", func(t *testing.T) { f(t, newTest(t, t.TempDir())) })
}

// RFC 8032 section 7.1, test 1.
var (
	rfcSeed = mustHex("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60")
	rfcPub  = mustHex("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a")
	rfcSig  = mustHex("e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b")
)

func mustHex(s string) []byte {
	b, err := hex.DecodeString(s)
	if err != nil {
		panic(err)
	}
	return b
}

// editFile applies f to the JSON object of a key file.
func editFile(t *testing.T, path string, f func(m map[string]any)) {
	t.Helper()
	data, err := os.ReadFile(path)
	require.NoError(t, err)
	var m map[string]any
	require.NoError(t, json.Unmarshal(data, &m))
	f(m)
	data, err = json.Marshal(m)
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(path, data, 0o600))
}

func TestCheckName(t *testing.T) {
	tests := []struct {
		name string
		ok   bool
	}{
		{"a", true},
		{"Z", true},
		{"0", true},
		{"alice", true},
		{"validator-1", true},
		{"agency_ops.v2", true},
		{"a..", true},
		{"a" + strings.Repeat("b", 63), true},
		{"", false},
		{".", false},
		{"..", false},
		{"../x", false},
		{"a/../../etc/passwd", false},
		{"a/b", false},
		{`a\b`, false},
		{"/abs", false},
		{"a\x00", false},
		{"\x00", false},
		{".hidden", false},
		{"-flag", false},
		{"_a", false},
		{"a b", false},
		{"a\n", false},
		{"alice\n", false},
		{"ä", false},
		{"a:b", false},
		{"a" + strings.Repeat("b", 64), false},
	}
	for _, tt := range tests {
		t.Run(strings.ReplaceAll(tt.name, "/", "%2F"), func(t *testing.T) {
			err := CheckName(tt.name)
			if tt.ok {
				assert.NoError(t, err)
			} else {
				assert.ErrorIs(t, err, ErrBadName)
			}
		})
	}
}

func TestBadNamesEverywhere(t *testing.T) {
	parent := t.TempDir()
	dir := filepath.Join(parent, "keyring")
	k := newFile(t, dir, testPass)
	armored := func() []byte {
		_, err := k.ImportSeed("src", rfcSeed)
		require.NoError(t, err)
		a, err := k.Export("src", []byte("export"))
		require.NoError(t, err)
		return a
	}()
	for _, name := range []string{"", "..", "../escape", "a/b", "x\x00y", ".hidden"} {
		_, err := k.Add(name)
		assert.ErrorIs(t, err, ErrBadName, "Add %q", name)
		_, err = k.ImportSeed(name, rfcSeed)
		assert.ErrorIs(t, err, ErrBadName, "ImportSeed %q", name)
		_, err = k.Import(name, armored, []byte("export"))
		assert.ErrorIs(t, err, ErrBadName, "Import %q", name)
		_, err = k.Show(name)
		assert.ErrorIs(t, err, ErrBadName, "Show %q", name)
		_, err = k.Signer(name)
		assert.ErrorIs(t, err, ErrBadName, "Signer %q", name)
		_, err = k.Export(name, []byte("export"))
		assert.ErrorIs(t, err, ErrBadName, "Export %q", name)
		assert.ErrorIs(t, k.Delete(name), ErrBadName, "Delete %q", name)
	}
	// Nothing escaped the keyring directory.
	entries, err := os.ReadDir(parent)
	require.NoError(t, err)
	require.Len(t, entries, 1)
	assert.Equal(t, "keyring", entries[0].Name())
}

func TestNew(t *testing.T) {
	dir := t.TempDir()

	_, err := New(dir, "ledger", constPass(testPass))
	assert.Error(t, err)
	_, err = New(dir, BackendFile, nil)
	assert.Error(t, err, "file backend needs a passphrase callback")
	_, err = New("", BackendTest, nil)
	assert.Error(t, err)

	file := filepath.Join(dir, "plain")
	require.NoError(t, os.WriteFile(file, nil, 0o600))
	_, err = New(file, BackendTest, nil)
	assert.Error(t, err)

	k, err := New(filepath.Join(dir, "default"), "", constPass(testPass))
	require.NoError(t, err)
	assert.Equal(t, BackendFile, k.Backend())
	assert.Equal(t, filepath.Join(dir, "default"), k.Dir())
}

func TestDefaultScryptParams(t *testing.T) {
	assert.Equal(t, scryptParams{N: 1 << 15, R: 8, P: 1}, defaultScrypt)
	k, err := New(t.TempDir(), BackendFile, constPass(testPass))
	require.NoError(t, err)
	assert.Equal(t, defaultScrypt, k.kdf, "production keyrings use N=2^15")

	// One real-cost round trip, to check the recorded parameters.
	_, err = k.ImportSeed("real", rfcSeed)
	require.NoError(t, err)
	data, err := os.ReadFile(filepath.Join(k.Dir(), "real.json"))
	require.NoError(t, err)
	assert.Contains(t, string(data), `"kdf": {`)
	assert.Contains(t, string(data), `"n": 32768`)
	s, err := k.Signer("real")
	require.NoError(t, err)
	assert.Equal(t, rfcPub, s.PubKey())
}

func TestAddListShowDelete(t *testing.T) {
	both(t, func(t *testing.T, k *Keyring) {
		list, err := k.List()
		require.NoError(t, err)
		assert.Empty(t, list)

		// "a-b" sorts after "a" although "a-b.json" sorts before "a.json".
		names := []string{"zed", "a-b", "Bob", "a", "carol.1"}
		added := map[string]*Info{}
		for _, n := range names {
			info, err := k.Add(n)
			require.NoError(t, err)
			assert.Equal(t, n, info.Name)
			assert.Len(t, info.PubKey, ed25519.PublicKeySize)
			assert.Equal(t, k.Backend(), info.Backend)
			assert.False(t, info.Created.IsZero())
			added[n] = info
		}

		list, err = k.List()
		require.NoError(t, err)
		var got []string
		for _, info := range list {
			got = append(got, info.Name)
			assert.Equal(t, *added[info.Name], info)
		}
		assert.Equal(t, []string{"Bob", "a", "a-b", "carol.1", "zed"}, got)

		info, err := k.Show("a-b")
		require.NoError(t, err)
		assert.Equal(t, added["a-b"], info)
		assert.True(t, info.Created.Equal(added["a-b"].Created))

		_, err = k.Add("a-b")
		assert.ErrorIs(t, err, ErrExists)
		_, err = k.ImportSeed("a-b", rfcSeed)
		assert.ErrorIs(t, err, ErrExists)
		again, err := k.Show("a-b")
		require.NoError(t, err)
		assert.Equal(t, added["a-b"].PubKey, again.PubKey, "a failed Add leaves the key alone")

		require.NoError(t, k.Delete("a-b"))
		_, err = k.Show("a-b")
		assert.ErrorIs(t, err, ErrNotFound)
		_, err = k.Signer("a-b")
		assert.ErrorIs(t, err, ErrNotFound)
		assert.ErrorIs(t, k.Delete("a-b"), ErrNotFound)
		_, err = k.Show("nobody")
		assert.ErrorIs(t, err, ErrNotFound)
		_, err = k.Export("nobody", []byte("x"))
		assert.ErrorIs(t, err, ErrNotFound)

		list, err = k.List()
		require.NoError(t, err)
		assert.Len(t, list, 4)

		// The name is free again.
		_, err = k.Add("a-b")
		require.NoError(t, err)

		// Keys are distinct.
		seen := map[string]bool{}
		for _, info := range added {
			seen[string(info.PubKey)] = true
		}
		assert.Len(t, seen, len(names))
	})
}

func TestSignaturesVerify(t *testing.T) {
	both(t, func(t *testing.T, k *Keyring) {
		info, err := k.Add("signer")
		require.NoError(t, err)
		s, err := k.Signer("signer")
		require.NoError(t, err)
		assert.Equal(t, "signer", s.Name())
		assert.Equal(t, info.PubKey, s.PubKey())

		msg := []byte("danangchain tx bytes")
		sig, err := s.Sign(msg)
		require.NoError(t, err)
		assert.Len(t, sig, ed25519.SignatureSize)
		assert.True(t, ed25519.Verify(info.PubKey, msg, sig))
		assert.False(t, ed25519.Verify(info.PubKey, []byte("other"), sig))
		sig2, err := s.Sign(msg)
		require.NoError(t, err)
		assert.Equal(t, sig, sig2, "ed25519 signing is deterministic")

		// Known answer: RFC 8032 test 1.
		_, err = k.ImportSeed("rfc", rfcSeed)
		require.NoError(t, err)
		rs, err := k.Signer("rfc")
		require.NoError(t, err)
		assert.Equal(t, rfcPub, rs.PubKey())
		sig, err = rs.Sign(nil)
		require.NoError(t, err)
		assert.Equal(t, rfcSig, sig)

		// PubKey returns a copy.
		rs.PubKey()[0] ^= 0xff
		assert.Equal(t, rfcPub, rs.PubKey())
	})

	var zero *Signer
	_, err := zero.Sign([]byte("x"))
	assert.Error(t, err)
	assert.Nil(t, zero.PubKey())
	_, err = (&Signer{}).Sign([]byte("x"))
	assert.Error(t, err)
}

func TestImportSeedRejectsBadSeed(t *testing.T) {
	k := newTest(t, t.TempDir())
	for _, n := range []int{0, 31, 33, 64} {
		_, err := k.ImportSeed("k", make([]byte, n))
		assert.Error(t, err, "seed of %d bytes", n)
	}
	list, err := k.List()
	require.NoError(t, err)
	assert.Empty(t, list)
}

func TestWrongPassphrase(t *testing.T) {
	dir := t.TempDir()
	k := newFile(t, dir, testPass)
	info, err := k.Add("alice")
	require.NoError(t, err)

	for _, bad := range [][]byte{[]byte("wrong"), {}, nil, []byte("Correct horse battery staple"), testPass[:len(testPass)-1]} {
		other := newFile(t, dir, bad)
		_, err = other.Signer("alice")
		assert.ErrorIs(t, err, ErrWrongPassphrase, "passphrase %q", bad)
		_, err = other.Export("alice", []byte("export"))
		assert.ErrorIs(t, err, ErrWrongPassphrase)
		// List and Show do not need the passphrase.
		shown, err := other.Show("alice")
		require.NoError(t, err)
		assert.Equal(t, info, shown)
	}

	s, err := k.Signer("alice")
	require.NoError(t, err)
	assert.Equal(t, info.PubKey, s.PubKey())
}

func TestPassphraseCallback(t *testing.T) {
	dir := t.TempDir()
	boom := errors.New("no tty")
	failing, err := New(dir, BackendFile, func() ([]byte, error) { return nil, boom })
	require.NoError(t, err)
	failing.kdf = fastScrypt
	_, err = failing.Add("k")
	assert.ErrorIs(t, err, boom)

	empty := newFile(t, dir, []byte{})
	_, err = empty.Add("k")
	assert.Error(t, err, "empty passphrase refused for new keys")

	// Not prompted when the name is bad or taken.
	calls := 0
	counting, err := New(dir, BackendFile, func() ([]byte, error) { calls++; return testPass, nil })
	require.NoError(t, err)
	counting.kdf = fastScrypt
	_, err = counting.Add("k")
	require.NoError(t, err)
	assert.Equal(t, 1, calls)
	_, err = counting.Add("k")
	assert.ErrorIs(t, err, ErrExists)
	_, err = counting.Add("../k")
	assert.ErrorIs(t, err, ErrBadName)
	_, err = counting.List()
	require.NoError(t, err)
	_, err = counting.Show("k")
	require.NoError(t, err)
	assert.Equal(t, 1, calls)
	_, err = failing.Signer("k")
	assert.ErrorIs(t, err, boom)

	// The passphrase slice is not modified.
	pass := []byte("keep me")
	k := newFile(t, t.TempDir(), pass)
	_, err = k.Add("k")
	require.NoError(t, err)
	_, err = k.Signer("k")
	require.NoError(t, err)
	assert.Equal(t, []byte("keep me"), pass)
}

func TestTamperedFile(t *testing.T) {
	otherPub, _, err := ed25519.GenerateKey(nil)
	require.NoError(t, err)

	tests := []struct {
		name    string
		edit    func(m map[string]any)
		showErr error // nil: Show still works (clear fields are not authenticated)
		signErr error
	}{
		{"flip ciphertext byte", func(m map[string]any) {
			ct, _ := base64.StdEncoding.DecodeString(m["ciphertext"].(string))
			ct[3] ^= 0x01
			m["ciphertext"] = base64.StdEncoding.EncodeToString(ct)
		}, nil, ErrWrongPassphrase},
		{"flip tag byte", func(m map[string]any) {
			ct, _ := base64.StdEncoding.DecodeString(m["ciphertext"].(string))
			ct[len(ct)-1] ^= 0x80
			m["ciphertext"] = base64.StdEncoding.EncodeToString(ct)
		}, nil, ErrWrongPassphrase},
		{"other pub_key", func(m map[string]any) {
			m["pub_key"] = hex.EncodeToString(otherPub)
		}, nil, ErrWrongPassphrase},
		{"flip nonce byte", func(m map[string]any) {
			n, _ := base64.StdEncoding.DecodeString(m["nonce"].(string))
			n[0] ^= 0x01
			m["nonce"] = base64.StdEncoding.EncodeToString(n)
		}, nil, ErrWrongPassphrase},
		{"other salt", func(m map[string]any) {
			m["salt"] = base64.StdEncoding.EncodeToString(make([]byte, saltSize))
		}, nil, ErrWrongPassphrase},
		{"other kdf cost", func(m map[string]any) {
			m["kdf"].(map[string]any)["n"] = 32
		}, nil, ErrWrongPassphrase},
		{"pub_key not hex", func(m map[string]any) { m["pub_key"] = "zz" }, ErrCorrupt, ErrCorrupt},
		{"pub_key short", func(m map[string]any) { m["pub_key"] = hex.EncodeToString(otherPub[:31]) }, ErrCorrupt, ErrCorrupt},
		{"name mismatch", func(m map[string]any) { m["name"] = "mallory" }, ErrCorrupt, ErrCorrupt},
		{"bad name", func(m map[string]any) { m["name"] = "../alice" }, ErrCorrupt, ErrCorrupt},
		{"version 2", func(m map[string]any) { m["version"] = 2 }, ErrCorrupt, ErrCorrupt},
		{"unknown field", func(m map[string]any) { m["extra"] = true }, ErrCorrupt, ErrCorrupt},
		{"unknown backend", func(m map[string]any) { m["backend"] = "os" }, ErrCorrupt, ErrCorrupt},
		{"short ciphertext", func(m map[string]any) { m["ciphertext"] = base64.StdEncoding.EncodeToString(make([]byte, 47)) }, ErrCorrupt, ErrCorrupt},
		{"short nonce", func(m map[string]any) { m["nonce"] = base64.StdEncoding.EncodeToString(make([]byte, 12)) }, ErrCorrupt, ErrCorrupt},
		{"unknown kdf", func(m map[string]any) { m["kdf"].(map[string]any)["name"] = "argon2id" }, ErrCorrupt, ErrCorrupt},
		{"huge kdf", func(m map[string]any) { m["kdf"].(map[string]any)["n"] = 1 << 30 }, ErrCorrupt, ErrCorrupt},
		{"kdf n not power of two", func(m map[string]any) { m["kdf"].(map[string]any)["n"] = 1000 }, ErrCorrupt, ErrCorrupt},
		{"unknown cipher", func(m map[string]any) { m["cipher"] = "aes-gcm" }, ErrCorrupt, ErrCorrupt},
		{"clear seed added", func(m map[string]any) { m["seed"] = hex.EncodeToString(rfcSeed) }, ErrCorrupt, ErrCorrupt},
		{"turned into a test key", func(m map[string]any) {
			for _, f := range []string{"kdf", "cipher", "salt", "nonce", "ciphertext"} {
				delete(m, f)
			}
			m["backend"] = "test"
			m["seed"] = hex.EncodeToString(rfcSeed)
		}, ErrCorrupt, ErrCorrupt},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			k := newFile(t, t.TempDir(), testPass)
			_, err := k.Add("alice")
			require.NoError(t, err)
			editFile(t, filepath.Join(k.Dir(), "alice.json"), tt.edit)

			_, err = k.Show("alice")
			if tt.showErr == nil {
				assert.NoError(t, err)
			} else {
				assert.ErrorIs(t, err, tt.showErr)
				_, err = k.List()
				assert.ErrorIs(t, err, tt.showErr)
			}
			_, err = k.Signer("alice")
			assert.ErrorIs(t, err, tt.signErr)
			_, err = k.Export("alice", []byte("export"))
			assert.ErrorIs(t, err, tt.signErr)
		})
	}
}

func TestTamperedFileRaw(t *testing.T) {
	k := newFile(t, t.TempDir(), testPass)
	_, err := k.Add("alice")
	require.NoError(t, err)
	path := filepath.Join(k.Dir(), "alice.json")
	orig, err := os.ReadFile(path)
	require.NoError(t, err)

	for name, data := range map[string][]byte{
		"empty":     {},
		"truncated": orig[:len(orig)/2],
		"trailing":  append(bytes.Clone(orig), []byte(`{}`)...),
		"array":     []byte(`[]`),
		"null":      []byte(`null`),
		"huge":      bytes.Repeat([]byte(" "), maxFileSize+10),
	} {
		require.NoError(t, os.WriteFile(path, data, 0o600))
		_, err := k.Show("alice")
		assert.ErrorIs(t, err, ErrCorrupt, name)
		_, err = k.Signer("alice")
		assert.ErrorIs(t, err, ErrCorrupt, name)
	}

	// A directory or a symlink in place of a key file.
	require.NoError(t, os.Remove(path))
	require.NoError(t, os.Mkdir(path, 0o700))
	_, err = k.Show("alice")
	assert.ErrorIs(t, err, ErrCorrupt)
	require.NoError(t, os.Remove(path))
	if runtime.GOOS != "windows" {
		target := filepath.Join(t.TempDir(), "elsewhere.json")
		require.NoError(t, os.WriteFile(target, orig, 0o600))
		require.NoError(t, os.Symlink(target, path))
		_, err = k.Show("alice")
		assert.ErrorIs(t, err, ErrCorrupt)
	}
}

func TestSwappedFiles(t *testing.T) {
	k := newFile(t, t.TempDir(), testPass)
	alice, err := k.Add("alice")
	require.NoError(t, err)
	_, err = k.Add("bob")
	require.NoError(t, err)
	alicePath := filepath.Join(k.Dir(), "alice.json")
	bobPath := filepath.Join(k.Dir(), "bob.json")
	bobData, err := os.ReadFile(bobPath)
	require.NoError(t, err)

	// bob's file under alice's name: the name field gives it away.
	require.NoError(t, os.WriteFile(alicePath, bobData, 0o600))
	_, err = k.Signer("alice")
	assert.ErrorIs(t, err, ErrCorrupt)

	// ... and renaming the field too breaks the AEAD binding.
	editFile(t, alicePath, func(m map[string]any) { m["name"] = "alice" })
	_, err = k.Signer("alice")
	assert.ErrorIs(t, err, ErrWrongPassphrase)

	// bob's ciphertext with alice's public key: also detected.
	editFile(t, alicePath, func(m map[string]any) { m["pub_key"] = hex.EncodeToString(alice.PubKey) })
	_, err = k.Signer("alice")
	assert.ErrorIs(t, err, ErrWrongPassphrase)

	s, err := k.Signer("bob")
	require.NoError(t, err, "bob is intact")
	assert.NotNil(t, s)
}

func TestTestBackend(t *testing.T) {
	k := newTest(t, t.TempDir())
	info, err := k.ImportSeed("demo", rfcSeed)
	require.NoError(t, err)
	assert.Equal(t, BackendTest, info.Backend)
	assert.Equal(t, rfcPub, info.PubKey)

	data, err := os.ReadFile(filepath.Join(k.Dir(), "demo.json"))
	require.NoError(t, err)
	var m map[string]any
	require.NoError(t, json.Unmarshal(data, &m))
	assert.Equal(t, hex.EncodeToString(rfcSeed), m["seed"], "test backend stores the seed in clear")
	assert.Equal(t, "test", m["backend"])
	assert.Equal(t, float64(1), m["version"])
	for _, f := range []string{"kdf", "salt", "nonce", "ciphertext", "cipher"} {
		assert.NotContains(t, m, f)
	}

	s, err := k.Signer("demo")
	require.NoError(t, err)
	sig, err := s.Sign(nil)
	require.NoError(t, err)
	assert.Equal(t, rfcSig, sig)

	// A seed that does not match pub_key is corrupt.
	otherPub, _, err := ed25519.GenerateKey(nil)
	require.NoError(t, err)
	editFile(t, filepath.Join(k.Dir(), "demo.json"), func(m map[string]any) {
		m["pub_key"] = hex.EncodeToString(otherPub)
	})
	_, err = k.Show("demo")
	assert.ErrorIs(t, err, ErrCorrupt)
	_, err = k.Signer("demo")
	assert.ErrorIs(t, err, ErrCorrupt)
}

func TestBackendMismatch(t *testing.T) {
	dir := t.TempDir()
	fk := newFile(t, dir, testPass)
	tk := newTest(t, dir)
	_, err := fk.Add("enc")
	require.NoError(t, err)
	_, err = tk.Add("plain")
	require.NoError(t, err)

	for _, k := range []*Keyring{fk, tk} {
		list, err := k.List()
		require.NoError(t, err)
		require.Len(t, list, 2)
		assert.Equal(t, BackendFile, list[0].Backend)
		assert.Equal(t, BackendTest, list[1].Backend)
	}
	_, err = fk.Signer("plain")
	assert.ErrorIs(t, err, ErrBackendMismatch)
	_, err = fk.Export("plain", []byte("x"))
	assert.ErrorIs(t, err, ErrBackendMismatch)
	_, err = tk.Signer("enc")
	assert.ErrorIs(t, err, ErrBackendMismatch)
	_, err = fk.Signer("enc")
	assert.NoError(t, err)
	_, err = tk.Signer("plain")
	assert.NoError(t, err)
}

func TestExportImport(t *testing.T) {
	exportPass := []byte("export passphrase")
	src := newFile(t, t.TempDir(), testPass)
	info, err := src.Add("alice")
	require.NoError(t, err)

	armored, err := src.Export("alice", exportPass)
	require.NoError(t, err)
	assert.True(t, bytes.HasPrefix(armored, []byte("-----BEGIN "+armorType+"-----\n")), "%s", armored)
	block, rest := pem.Decode(armored)
	require.NotNil(t, block)
	assert.Empty(t, rest)
	var doc map[string]any
	require.NoError(t, json.Unmarshal(block.Bytes, &doc))
	assert.Equal(t, hex.EncodeToString(info.PubKey), doc["pub_key"])
	assert.NotContains(t, doc, "seed")

	// Two exports differ (fresh salt and nonce).
	armored2, err := src.Export("alice", exportPass)
	require.NoError(t, err)
	assert.NotEqual(t, armored, armored2)

	msg := []byte("same key, same signature")
	want, err := mustSigner(t, src, "alice").Sign(msg)
	require.NoError(t, err)

	// Into another file keyring with another passphrase, and into a test keyring.
	dst := newFile(t, t.TempDir(), []byte("another keyring passphrase"))
	plain := newTest(t, t.TempDir())
	for _, k := range []*Keyring{dst, plain} {
		got, err := k.Import("alice2", armored, exportPass)
		require.NoError(t, err)
		assert.Equal(t, info.PubKey, got.PubKey)
		assert.Equal(t, "alice2", got.Name)
		assert.Equal(t, k.Backend(), got.Backend)
		sig, err := mustSigner(t, k, "alice2").Sign(msg)
		require.NoError(t, err)
		assert.Equal(t, want, sig)

		_, err = k.Import("alice2", armored, exportPass)
		assert.ErrorIs(t, err, ErrExists)
	}

	// Export from a test keyring works too and is encrypted.
	back, err := plain.Export("alice2", exportPass)
	require.NoError(t, err)
	assert.NotContains(t, string(back), hex.EncodeToString(mustSigner(t, plain, "alice2").priv.Seed()))
	got, err := src.Import("alice3", back, exportPass)
	require.NoError(t, err)
	assert.Equal(t, info.PubKey, got.PubKey)

	// Failures.
	_, err = dst.Import("x", armored, []byte("wrong"))
	assert.ErrorIs(t, err, ErrWrongPassphrase)
	_, err = dst.Import("x", armored, nil)
	assert.Error(t, err)
	_, err = src.Export("alice", nil)
	assert.Error(t, err, "empty export passphrase")

	tamper := func(f func(m map[string]any)) []byte {
		var m map[string]any
		require.NoError(t, json.Unmarshal(block.Bytes, &m))
		f(m)
		b, err := json.Marshal(m)
		require.NoError(t, err)
		return pem.EncodeToMemory(&pem.Block{Type: armorType, Bytes: b})
	}
	otherPub, _, err := ed25519.GenerateKey(nil)
	require.NoError(t, err)
	for name, tc := range map[string]struct {
		armored []byte
		err     error
	}{
		"garbage":        {[]byte("not armored"), ErrCorrupt},
		"empty":          {nil, ErrCorrupt},
		"wrong pem type": {pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: block.Bytes}), ErrCorrupt},
		"pem headers":    {pem.EncodeToMemory(&pem.Block{Type: armorType, Headers: map[string]string{"a": "b"}, Bytes: block.Bytes}), ErrCorrupt},
		"two blocks":     {append(bytes.Clone(armored), armored...), ErrCorrupt},
		"not json":       {pem.EncodeToMemory(&pem.Block{Type: armorType, Bytes: []byte("{")}), ErrCorrupt},
		"other pub_key":  {tamper(func(m map[string]any) { m["pub_key"] = hex.EncodeToString(otherPub) }), ErrWrongPassphrase},
		"flip ciphertext": {tamper(func(m map[string]any) {
			ct, _ := base64.StdEncoding.DecodeString(m["ciphertext"].(string))
			ct[0] ^= 1
			m["ciphertext"] = base64.StdEncoding.EncodeToString(ct)
		}), ErrWrongPassphrase},
		"wrong type":    {tamper(func(m map[string]any) { m["type"] = "secp256k1" }), ErrCorrupt},
		"wrong version": {tamper(func(m map[string]any) { m["version"] = 9 }), ErrCorrupt},
		"missing kdf":   {tamper(func(m map[string]any) { delete(m, "kdf") }), ErrCorrupt},
		"unknown field": {tamper(func(m map[string]any) { m["seed"] = "00" }), ErrCorrupt},
		// A key file's sealed seed is not an export: different additional data.
		"key file as export": {func() []byte {
			raw, err := os.ReadFile(filepath.Join(src.Dir(), "alice.json"))
			require.NoError(t, err)
			var kf map[string]any
			require.NoError(t, json.Unmarshal(raw, &kf))
			return tamper(func(m map[string]any) {
				for _, f := range []string{"salt", "nonce", "ciphertext", "kdf"} {
					m[f] = kf[f]
				}
			})
		}(), ErrWrongPassphrase},
	} {
		_, err := dst.Import("x", tc.armored, exportPass)
		if name == "key file as export" {
			// The key file was sealed with the keyring passphrase; use it.
			_, err = dst.Import("x", tc.armored, testPass)
		}
		assert.ErrorIs(t, err, tc.err, name)
	}
	_, err = dst.Show("x")
	assert.ErrorIs(t, err, ErrNotFound, "failed imports store nothing")
}

func mustSigner(t *testing.T, k *Keyring, name string) *Signer {
	t.Helper()
	s, err := k.Signer(name)
	require.NoError(t, err)
	return s
}

func TestPermissions(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("no POSIX permissions")
	}
	parent := t.TempDir()
	dir := filepath.Join(parent, "home", "keyring")
	k := newFile(t, dir, testPass)
	_, err := k.Add("alice")
	require.NoError(t, err)
	_, err = k.Import("bob", must(k.Export("alice", []byte("x"))), []byte("x"))
	require.NoError(t, err)

	fi, err := os.Stat(dir)
	require.NoError(t, err)
	assert.Equal(t, os.FileMode(0o700), fi.Mode().Perm())
	entries, err := os.ReadDir(dir)
	require.NoError(t, err)
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
		fi, err := os.Stat(filepath.Join(dir, e.Name()))
		require.NoError(t, err)
		assert.Equal(t, os.FileMode(0o600), fi.Mode().Perm(), e.Name())
	}
	assert.Equal(t, []string{"alice.json", "bob.json"}, names, "no temporary files left behind")

	// An existing directory open to others is tightened.
	loose := filepath.Join(parent, "loose")
	require.NoError(t, os.Mkdir(loose, 0o755))
	require.NoError(t, os.Chmod(loose, 0o755))
	_, err = New(loose, BackendTest, nil)
	require.NoError(t, err)
	fi, err = os.Stat(loose)
	require.NoError(t, err)
	assert.Equal(t, os.FileMode(0o700), fi.Mode().Perm())
}

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

func TestListIgnoresOtherFiles(t *testing.T) {
	k := newTest(t, t.TempDir())
	_, err := k.Add("alice")
	require.NoError(t, err)
	dir := k.Dir()
	for _, f := range []string{"README", ".tmp-bob-123", ".hidden.json", "bad name.json", "alice.json.bak"} {
		require.NoError(t, os.WriteFile(filepath.Join(dir, f), []byte("junk"), 0o600))
	}
	require.NoError(t, os.Mkdir(filepath.Join(dir, "sub"), 0o700))
	list, err := k.List()
	require.NoError(t, err)
	require.Len(t, list, 1)
	assert.Equal(t, "alice", list[0].Name)

	// A corrupt key file is reported, not hidden, and can be deleted.
	require.NoError(t, os.WriteFile(filepath.Join(dir, "bob.json"), []byte("junk"), 0o600))
	_, err = k.List()
	assert.ErrorIs(t, err, ErrCorrupt)
	require.NoError(t, k.Delete("bob"))
	_, err = k.List()
	require.NoError(t, err)
}

func TestConcurrentAddSameName(t *testing.T) {
	dir := t.TempDir()
	const n = 8
	var (
		wg   sync.WaitGroup
		mu   sync.Mutex
		wins []*Info
		errs []error
	)
	for i := 0; i < n; i++ {
		// Separate Keyring values, as separate processes would have.
		k := newTest(t, dir)
		wg.Add(1)
		go func() {
			defer wg.Done()
			info, err := k.Add("race")
			mu.Lock()
			defer mu.Unlock()
			if err != nil {
				errs = append(errs, err)
			} else {
				wins = append(wins, info)
			}
		}()
	}
	wg.Wait()
	require.Len(t, wins, 1, "exactly one Add wins")
	for _, err := range errs {
		assert.ErrorIs(t, err, ErrExists)
	}
	info, err := newTest(t, dir).Show("race")
	require.NoError(t, err)
	assert.Equal(t, wins[0].PubKey, info.PubKey, "the winner's key is the stored key")
}

func TestConcurrentUse(t *testing.T) {
	k := newFile(t, t.TempDir(), testPass)
	_, err := k.ImportSeed("shared", rfcSeed)
	require.NoError(t, err)
	var wg sync.WaitGroup
	for i := 0; i < 4; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			name := string(rune('a' + i))
			_, err := k.Add(name)
			assert.NoError(t, err)
			_, err = k.List()
			assert.NoError(t, err)
			s, err := k.Signer("shared")
			if assert.NoError(t, err) {
				sig, err := s.Sign(nil)
				assert.NoError(t, err)
				assert.Equal(t, rfcSig, sig)
			}
			assert.NoError(t, k.Delete(name))
		}()
	}
	wg.Wait()
	list, err := k.List()
	require.NoError(t, err)
	assert.Len(t, list, 1)
}

func FuzzParseKeyFile(f *testing.F) {
	fk := newFile(f, f.TempDir(), testPass)
	tk := newTest(f, f.TempDir())
	for _, k := range []*Keyring{fk, tk} {
		_, err := k.ImportSeed("seed-key", rfcSeed)
		require.NoError(f, err)
		data, err := os.ReadFile(filepath.Join(k.Dir(), "seed-key.json"))
		require.NoError(f, err)
		f.Add(data)
		f.Add(data[:len(data)/2])
		f.Add(bytes.ReplaceAll(data, []byte(`"version": 1`), []byte(`"version": 2`)))
		f.Add(bytes.ReplaceAll(data, []byte(`"pub_key": "d7`), []byte(`"pub_key": "00`)))
	}
	f.Add([]byte(`{}`))
	f.Add([]byte(`null`))
	f.Add([]byte(`{"version":1,"name":"a","pub_key":"","backend":"file","kdf":{"name":"scrypt","n":1,"r":0,"p":0}}`))
	f.Add([]byte(`{"version":1,"name":"a","pub_key":"","backend":"test","seed":"zz"}`))
	f.Add([]byte("\x00\xff"))

	f.Fuzz(func(t *testing.T, data []byte) {
		k, err := parseKeyFile(data)
		if err != nil {
			require.ErrorIs(t, err, ErrCorrupt)
			require.Nil(t, k)
			return
		}
		require.NoError(t, CheckName(k.name))
		require.Len(t, k.pub, ed25519.PublicKeySize)
		switch k.backend {
		case BackendFile:
			require.NoError(t, k.kdf.validate())
			require.Len(t, k.salt, saltSize)
			require.Len(t, k.nonce, nonceSize)
			require.Len(t, k.ciphertext, sealedSize)
			require.Nil(t, k.seed)
			if k.kdf.N*k.kdf.R*k.kdf.P <= 1<<12 { // keep each input cheap
				seed, err := open(k.ciphertext, testPass, k.kdf, k.salt, k.nonce, keyAD(k.name, k.pub))
				if err == nil {
					require.Len(t, seed, SeedSize)
				}
			}
		case BackendTest:
			require.True(t, seedMatches(k.seed, k.pub))
		default:
			t.Fatalf("backend %q accepted", k.backend)
		}
		// What parses re-encodes to something that parses the same.
		out, err := k.marshal()
		require.NoError(t, err)
		k2, err := parseKeyFile(out)
		require.NoError(t, err)
		require.Equal(t, k.info(), k2.info())
	})
}
