package main

import (
	"context"
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"io"

	"github.com/spf13/cobra"

	"github.com/danangchain/danangchain/client"
	"github.com/danangchain/danangchain/client/keyring"
	"github.com/danangchain/danangchain/registry"
)

func newNotaryCmd(g *globals) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "notary",
		Short: "Notary registry / Công chứng",
		Long: `notary: blocking notices (thông tin ngăn chặn) and their releases (giải tỏa),
the Department of Justice's authorisation of notary offices, notarised
contracts, checks with proofs of absence or presence, and metered lookups.
See docs/notary.md.`,
	}
	cmd.AddCommand(
		newNotaryBlockCmd(g), newNotaryReleaseCmd(g), newNotaryAuthorizeCmd(g), newNotaryContractCmd(g),
		newNotaryCheckCmd(g), newNotaryVerifyCheckCmd(g), newNotaryBillingCmd(g), newNotaryKeyCmd(g),
	)
	return cmd
}

// Demo properties: one under a court's blocking notice, one free.
const (
	demoBlockedProperty = "parcel:20194/12/345"
	demoFreeProperty    = "parcel:20194/12/346"
)

// seedNotary seeds this family's demo records and names them in manifest:
// the Department of Justice authorises the demo notary office, and the
// court blocks one property while a second one stays free.
func seedNotary(ctx context.Context, g *globals, c *client.Client, kr *keyring.Keyring, out io.Writer, manifest map[string]any) error {
	justice, err := kr.Signer("justice")
	if err != nil {
		return err
	}
	court, err := kr.Signer("court")
	if err != nil {
		return err
	}
	fmt.Fprintln(out, "Seeding: Sở Tư pháp authorises Văn phòng công chứng Sông Hàn ...")
	if _, err := c.Submit(ctx, justice, &registry.MsgNotaryAuthorize{Agency: "vpcc-song-han", Status: registry.OfficeAuthorised,
		Ref: "120/QĐ-STP"}); err != nil {
		return fmt.Errorf("authorise notary office: %w", err)
	}
	pk, err := g.propertyKeying()
	if err != nil {
		return err
	}
	blocked, err := registry.ParseProperty(demoBlockedProperty, pk)
	if err != nil {
		return err
	}
	decision := sha256.Sum256([]byte("Quyết định áp dụng biện pháp khẩn cấp tạm thời số 45/2025/QĐ-BPKCTT — demo\n"))
	fmt.Fprintf(out, "Seeding: the court blocks %s (thông tin ngăn chặn) ...\n", demoBlockedProperty)
	res, err := c.Submit(ctx, court, &registry.MsgNotaryBlock{Ref: "45/2025/QĐ-BPKCTT", Reason: registry.ReasonCourtInjunction,
		DocHash: decision[:], Properties: [][]byte{blocked.Key}})
	if err != nil {
		return fmt.Errorf("block demo property: %w", err)
	}
	if len(res.Data) != 8 {
		return fmt.Errorf("block demo property: unexpected result %x", res.Data)
	}
	manifest["blocked_property"] = demoBlockedProperty
	manifest["free_property"] = demoFreeProperty
	manifest["blocking_notice_id"] = binary.BigEndian.Uint64(res.Data)
	manifest["notary_office"] = "vpcc-song-han"
	return nil
}
