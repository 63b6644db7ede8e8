package registry_test

import (
	"errors"
	"fmt"

	"github.com/danangchain/danangchain/registry"
)

// Example builds, signs, encodes and checks an anchor transaction, as a
// client does before broadcasting it.
func Example() {
	// A fixed seed keeps the example's output stable; real keys come from
	// crypto/rand and never leave the agency's signing device.
	seed := make([]byte, 32)
	for i := range seed {
		seed[i] = byte(i)
	}
	priv := registry.NewKeyFromSeed(seed)

	doc := []byte("Quyết định số 123/QĐ-UBND")
	tx := &registry.Tx{
		ChainID:   "danangchain-1",
		Signer:    registry.PubKeyOf(priv),
		Nonce:     []byte{0, 0, 0, 0, 0, 0, 0, 1},
		ExpiresAt: 1000,
		Msg:       &registry.MsgAnchor{Hash: registry.Hash(doc), Tag: registry.NFC("công văn")},
	}
	tx.SignWith(priv)
	wire := tx.Encode()

	// What every node does with the bytes.
	decoded, err := registry.DecodeTx(wire)
	if err != nil {
		panic(err)
	}
	fmt.Println(decoded)
	fmt.Println("wire bytes:", len(wire))
	fmt.Printf("signature: %x…\n", decoded.Signature[:8])
	fmt.Println("valid:", decoded.ValidateBasic("danangchain-1") == nil)

	err = decoded.ValidateBasic("danangchain-testnet")
	space, code := registry.ABCICode(err)
	fmt.Println("on another chain:", errors.Is(err, registry.ErrWrongChain), space, code)
	// Output:
	// tx{anchor from 56475aa75463474c0285df5dbf2bcab73da65135}
	// wire bytes: 170
	// signature: 978d54c1f9b002b5…
	// valid: true
	// on another chain: true danang 4
}
