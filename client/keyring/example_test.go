package keyring_test

import (
	"crypto/ed25519"
	"encoding/hex"
	"fmt"
	"log"
	"os"
	"path/filepath"

	"github.com/danangchain/danangchain/client/keyring"
)

func Example() {
	home, err := os.MkdirTemp("", "danang-home")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(home)

	// A CLI would prompt on the terminal here.
	passphrase := func() ([]byte, error) { return []byte("correct horse battery staple"), nil }
	kr, err := keyring.New(filepath.Join(home, "keyring"), keyring.BackendFile, passphrase)
	if err != nil {
		log.Fatal(err)
	}

	// RFC 8032 test vector 1; use kr.Add("name") for a fresh random key.
	seed, _ := hex.DecodeString("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60")
	if _, err := kr.ImportSeed("agency-ops", seed); err != nil {
		log.Fatal(err)
	}

	keys, err := kr.List() // no passphrase needed
	if err != nil {
		log.Fatal(err)
	}
	for _, info := range keys {
		fmt.Println(info.Name, info.Backend, hex.EncodeToString(info.PubKey))
	}

	signer, err := kr.Signer("agency-ops") // decrypts with the passphrase
	if err != nil {
		log.Fatal(err)
	}
	msg := []byte("anchor this")
	sig, err := signer.Sign(msg)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("verified:", ed25519.Verify(signer.PubKey(), msg, sig))

	// Output:
	// agency-ops file d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a
	// verified: true
}
