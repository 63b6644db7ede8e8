// Package keyring stores DanangChain ed25519 signing keys in files under one
// directory (normally <home>/keyring), for the CLI and the Go SDK.
//
// # Backends
//
// The backend is chosen when the Keyring is opened with New:
//
//   - BackendFile ("file", the default) encrypts every key with a passphrase
//     supplied by a callback. The passphrase is stretched with scrypt
//     (N=2^15, r=8, p=1, 16-byte random salt) into a 32-byte key, which seals
//     the 32-byte ed25519 seed with XChaCha20-Poly1305 (24-byte random nonce).
//     The key name and public key are bound as AEAD additional data, so a
//     file that was renamed, swapped or edited fails to decrypt.
//   - BackendTest ("test") stores the seed UNENCRYPTED, in hex. It exists for
//     demos, local networks and tests only: anyone who can read the directory
//     can sign as every key in it. Never use it for a key that matters.
//
// A keyring only unlocks keys written by its own backend: opening a "test"
// key through a "file" keyring (or the reverse) fails with
// ErrBackendMismatch. List and Show still report every key, with its
// backend.
//
// # Files
//
// Each key is one JSON file, <dir>/<name>.json, mode 0600, in a directory of
// mode 0700. Files are written atomically: a temporary file in the same
// directory is written, fsynced, then linked (or, where hard links are not
// supported, renamed) into place, and the directory is fsynced. A key is
// never overwritten: adding an existing name fails with ErrExists, even
// when two processes race. A "file" key looks like:
//
//	{
//	  "version": 1,
//	  "name": "alice",
//	  "pub_key": "<64 hex digits>",
//	  "backend": "file",
//	  "created": "2025-01-02T03:04:05Z",
//	  "kdf": {"name": "scrypt", "n": 32768, "r": 8, "p": 1},
//	  "cipher": "xchacha20-poly1305",
//	  "salt": "<base64, 16 bytes>",
//	  "nonce": "<base64, 24 bytes>",
//	  "ciphertext": "<base64, 48 bytes: sealed seed and tag>"
//	}
//
// A "test" key has the same version, name, pub_key, backend and created
// fields and a "seed" field (64 hex digits) instead of kdf, cipher, salt,
// nonce and ciphertext. The name and public key are kept in clear so that
// List and Show work without the passphrase. The additional data of a key
// file is
//
//	"danangchain/keyring/key/v1" || 0x00 || len(name) (1 byte) || name || pub_key
//
// Because an AEAD cannot tell a wrong passphrase from altered data, a
// changed ciphertext, salt, nonce, kdf cost or pub_key, or a file renamed
// together with its "name" field, makes Signer and Export fail with
// ErrWrongPassphrase. Files that do not even parse (bad JSON, unknown
// fields or version, wrong field sizes, a name that does not match the file
// name, a test seed that does not match its public key) fail with
// ErrCorrupt. Note that List and Show trust the clear-text public key: only
// Signer and Export authenticate it.
//
// # Export and import
//
// Export re-encrypts a key under a separate export passphrase (same scrypt
// parameters and AEAD, fresh salt and nonce, additional data
// "danangchain/keyring/export/v1" || 0x00 || pub_key) and armors the small
// JSON document that results as a PEM block of type
// "DANANGCHAIN ED25519 PRIVATE KEY". Import reverses it under a name of the
// caller's choice.
//
// # Names
//
// Key names match ^[a-zA-Z0-9][a-zA-Z0-9_.-]{0,63}$. Anything else (empty
// names, path separators, "..", NUL bytes, leading dots or dashes) fails
// with ErrBadName before the file system is touched, so a name can never
// reach outside the directory. On case-insensitive file systems names that
// differ only in case share one file: the second Add fails with ErrExists.
//
// # Passphrases and memory
//
// The passphrase callback is called at most once per operation, and only by
// operations that need it (Add, ImportSeed, Signer, Export and Import with
// the file backend); confirming a new passphrase is the caller's job. An
// empty passphrase is refused when a key is encrypted. The keyring never
// modifies the slices it is given; it zeroes its own copies of seeds and
// derived keys on a best-effort basis (Go gives no guarantee about copies
// made by the runtime). A Signer holds the private key in memory.
//
// The Keyring is safe for concurrent use.
package keyring
