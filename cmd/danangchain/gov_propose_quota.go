package main

import (
	"github.com/spf13/cobra"

	"github.com/danangchain/danangchain/registry"
)

func newProposeSetPayloadQuotaCmd(g *globals) *cobra.Command {
	var p proposeFlags
	var id string
	var mib uint64
	cmd := &cobra.Command{
		Use:   "set-payload-quota --id AGENCY --mib N",
		Short: "Set how many MiB of payloads an agency may upload per quota period",
		Long: `set-payload-quota overrides, for one agency, the genesis default of payload
bytes it may upload per period (params payload_quota_bytes per
payload_quota_period blocks; default 256 MiB per 86,400 blocks). Every uploaded
byte is stored by every validator; 0 stops the agency's uploads.`,
		Example: `  danangchain gov propose set-payload-quota --id ubnd-phuong-hai-chau --mib 1024 --from council1`,
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return p.run(cmd, g, &registry.SetPayloadQuota{ID: id, Bytes: mib << 20})
		},
	}
	p.bind(cmd)
	cmd.Flags().StringVar(&id, "id", "", "agency id")
	cmd.Flags().Uint64Var(&mib, "mib", 0, "MiB per quota period")
	_ = cmd.MarkFlagRequired("id")
	_ = cmd.MarkFlagRequired("mib")
	return cmd
}
