package main

import (
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/spf13/cobra"

	"github.com/danangchain/danangchain/registry"
)

// partyReceipt is what a party keeps: the salt of its commitment.
type partyReceipt struct {
	Index      int    `json:"index"` // position of the --party flag, from 1
	Commitment string `json:"commitment"`
	Salt       string `json:"salt"`
}

func newNotaryContractCmd(g *globals) *cobra.Command {
	var from, kind, notaryPub string
	var properties, parties []string
	cmd := &cobra.Command{
		Use:   "contract FILE",
		Short: "Anchor a notarised contract / Neo hợp đồng đã công chứng",
		Long: `contract anchors the SHA-256 of a notarised contract FILE (hashed locally), its
--type, the --property it concerns (repeat the flag) and, for each --party
(repeat the flag: the party's CCCD number, tax code or other identifier), a
commitment SHA-256(salt || identifier) with a fresh 16-byte salt. The chain
sees only the commitments; the salts are printed once: hand each party its
salt, the receipt that proves it was a party.

Signed by --from, a key of a notary office authorised by the Department of
Justice: a notary public's own sub-key, or the office's main key (then
--notary-public may name the notary public's sub-key, by keyring name or hex).
A contract of a restricted type (everything but lease) on a property with an
active blocking notice is rejected, naming the notice id.
Types: ` + fmt.Sprint(registry.ContractTypeNames()),
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			sum, err := hashFile(args[0])
			if err != nil {
				return err
			}
			ct, err := registry.ParseContractType(kind)
			if err != nil {
				return err
			}
			pk, err := g.propertyKeying()
			if err != nil {
				return err
			}
			ps, keys, err := parseProperties(pk, properties)
			if err != nil {
				return fmt.Errorf("--property: %w", err)
			}
			var receipts []partyReceipt
			var commitments [][]byte
			params := g.params()
			for i, id := range parties {
				salt, c, err := newCommitment(params, registry.CommitParty, id)
				if err != nil {
					return err
				}
				commitments = append(commitments, c)
				receipts = append(receipts, partyReceipt{Index: i + 1, Commitment: hex.EncodeToString(c), Salt: hex.EncodeToString(salt)})
			}
			if len(parties) == 0 {
				fmt.Fprintln(os.Stderr, "warning: no --party given: the parties get no receipt proving they were parties")
			}
			msg := &registry.MsgNotaryContract{FileHash: sum, Kind: ct, Properties: keys, Parties: registry.SortHashes(commitments)}
			if notaryPub != "" {
				if msg.NotaryPublic, err = resolvePubKey(g, notaryPub); err != nil {
					return fmt.Errorf("--notary-public: %w", err)
				}
			}
			out, err := submit(cmd, g, from, msg)
			if err != nil {
				if errors.Is(err, registry.ErrBlocked) {
					// Name the properties as the user wrote them.
					var names []string
					for _, p := range ps {
						names = append(names, hex.EncodeToString(p.Key)+" = "+p.String())
					}
					return fmt.Errorf("%w (%s)", err, strings.Join(names, "; "))
				}
				return err
			}
			if receipts == nil {
				receipts = []partyReceipt{}
			}
			res := map[string]any{"id": hex.EncodeToString(sum), "sha256": hex.EncodeToString(sum), "type": ct.String(),
				"properties": propertyViews(ps), "parties": receipts, "notary_public": hex.EncodeToString(msg.NotaryPublic),
				"tx_hash": out.TxHash, "height": out.Height}
			return g.print(cmd.OutOrStdout(), res, func(w io.Writer) {
				fmt.Fprintf(w, "Contract %x (%s) notarised at height %d (tx %s)\n", sum, ct, out.Height, out.TxHash)
				for _, r := range receipts {
					fmt.Fprintf(w, "  party %d: salt %s (give it to the party: it is their receipt)\n", r.Index, r.Salt)
				}
			})
		},
	}
	f := cmd.Flags()
	f.StringVar(&from, "from", "", "key of an authorised notary office (or of its notary public)")
	f.StringVar(&kind, "type", "", "contract type")
	f.StringArrayVar(&properties, "property", nil, "property (repeatable): parcel:WARD/SHEET/PARCEL, cert:SERIAL or a 64-hex key")
	f.StringArrayVar(&parties, "party", nil, "identifier of a party (repeatable); only a salted commitment goes on chain")
	f.StringVar(&notaryPub, "notary-public", "", "sub-key of the notary public (keyring name or hex), when --from is the office's main key")
	_ = cmd.MarkFlagRequired("type")
	_ = cmd.MarkFlagRequired("property")
	return cmd
}

// resolvePubKey accepts a public key in hex or a keyring name.
func resolvePubKey(g *globals, s string) ([]byte, error) {
	if b, err := parsePubKey(s); err == nil {
		return b, nil
	}
	kr, err := g.keyring()
	if err != nil {
		return nil, err
	}
	info, err := kr.Show(s)
	if err != nil {
		return nil, err
	}
	return info.PubKey, nil
}
