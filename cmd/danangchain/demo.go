package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/spf13/cobra"

	"github.com/danangchain/danangchain/client"
	"github.com/danangchain/danangchain/client/keyring"
	"github.com/danangchain/danangchain/node"
	"github.com/danangchain/danangchain/registry"
)

const demoChainID = "danang-demo"

func newDemoCmd(g *globals) *cobra.Command {
	var rpcAddr, p2pAddr, apiAddr, promAddr string
	var exitAfter bool
	cmd := &cobra.Command{
		Use:   "demo",
		Short: "Run a local demo chain with demo agencies and records / Chạy chuỗi demo",
		Long: `demo creates (if --home is empty) a single-validator chain "danang-demo" with the
demo council and agencies, starts the node, seeds demo records, writes
<home>/demo.json naming what it seeded, prints what to try next, and runs until
Ctrl-C.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			out := cmd.OutOrStdout()
			fresh := false
			if _, err := os.Stat(filepath.Join(g.home, "config", "genesis.json")); os.IsNotExist(err) {
				fresh = true
				fmt.Fprintf(out, "Creating demo chain %s in %s ...\n", demoChainID, g.home)
				if _, err := setupNetwork(demoChainID, []netNode{{home: g.home, moniker: "city-node-0",
					p2p: p2pAddr, rpc: rpcAddr, api: apiAddr, prom: promAddr}}, ""); err != nil {
					return err
				}
			} else if err := applyDemoPorts(cmd, g, rpcAddr, p2pAddr, apiAddr, promAddr, out); err != nil {
				return err
			}
			logf, err := os.OpenFile(filepath.Join(g.home, "node.log"), os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o644)
			if err != nil {
				return err
			}
			defer logf.Close()
			n, err := node.New(g.home, node.Options{LogWriter: logf, Version: Version, Routes: apiRoutes})
			if err != nil {
				return err
			}
			if err := n.Start(); err != nil {
				return err
			}
			defer n.Stop()
			fmt.Fprintf(out, "Node started (logs: %s). Waiting for blocks ...\n", filepath.Join(g.home, "node.log"))
			ctx, cancel := context.WithTimeout(cmd.Context(), 2*time.Minute)
			defer cancel()
			rpc := "http://" + addrOf(n.Config.RPC.ListenAddress)
			c, err := client.New(rpc, client.WithChainID(demoChainID), client.WithPollInterval(100*time.Millisecond))
			if err != nil {
				return err
			}
			if err := waitHeight(ctx, c, 1); err != nil {
				return err
			}
			manifest := map[string]any{}
			if b, err := os.ReadFile(filepath.Join(g.home, "demo.json")); err == nil {
				_ = json.Unmarshal(b, &manifest)
			}
			if fresh || manifest["chain_id"] == nil {
				seeded, err := seedDemo(ctx, g, c, out)
				if err != nil {
					return fmt.Errorf("seed demo data: %w", err)
				}
				manifest = seeded
				manifest["chain_id"] = demoChainID
				manifest["home"] = g.home
				manifest["rpc"] = rpc
				manifest["api"] = "http://" + n.APIAddr()
				b, _ := json.MarshalIndent(manifest, "", "  ")
				if err := os.WriteFile(filepath.Join(g.home, "demo.json"), b, 0o644); err != nil {
					return err
				}
			} else if api := "http://" + n.APIAddr(); manifest["rpc"] != rpc || manifest["api"] != api {
				manifest["rpc"], manifest["api"] = rpc, api
				b, _ := json.MarshalIndent(manifest, "", "  ")
				if err := os.WriteFile(filepath.Join(g.home, "demo.json"), b, 0o644); err != nil {
					return err
				}
			}
			if err := waitHeight(ctx, c, 3); err != nil {
				return err
			}
			printDemoHelp(out, g.home, rpc, n.APIAddr(), n.MetricsAddr())
			if exitAfter {
				return nil
			}
			<-cmd.Context().Done()
			fmt.Fprintln(out, "Stopping / Đang dừng ...")
			return nil
		},
	}
	f := cmd.Flags()
	f.StringVar(&rpcAddr, "rpc-addr", "127.0.0.1:26657", "CometBFT RPC address")
	f.StringVar(&p2pAddr, "p2p-addr", "127.0.0.1:26656", "P2P address")
	f.StringVar(&apiAddr, "api-addr", "127.0.0.1:1317", "HTTP API address (verify page, /healthz, /readyz)")
	f.StringVar(&promAddr, "prometheus-addr", "127.0.0.1:26660", "Prometheus /metrics address (application, CometBFT and runtime metrics; not on the API port)")
	f.BoolVar(&exitAfter, "exit", false, "stop after seeding (for scripts)")
	return cmd
}

func addrOf(listen string) string {
	for _, p := range []string{"tcp://", "http://"} {
		if len(listen) > len(p) && listen[:len(p)] == p {
			return listen[len(p):]
		}
	}
	return listen
}

func waitHeight(ctx context.Context, c *client.Client, h int64) error {
	for {
		st, err := c.Status(ctx)
		if err == nil && st.SyncInfo.LatestBlockHeight >= h {
			return nil
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("waiting for height %d: %w", h, ctx.Err())
		case <-time.After(200 * time.Millisecond):
		}
	}
}

// seedDemo writes the demo records and returns what it seeded.
func seedDemo(ctx context.Context, g *globals, c *client.Client, out io.Writer) (map[string]any, error) {
	kr, err := keyring.New(filepath.Join(g.home, "keyring"), keyring.BackendTest, nil)
	if err != nil {
		return nil, err
	}
	keys := map[string]string{}
	infos, err := kr.List()
	if err != nil {
		return nil, err
	}
	for _, i := range infos {
		keys[i.Name] = hex.EncodeToString(i.PubKey)
	}
	ward, err := kr.Signer("ward")
	if err != nil {
		return nil, err
	}
	doc := []byte("Giấy chứng nhận đăng ký hộ kinh doanh — demo / Household business registration — demo\n")
	sum := sha256.Sum256(doc)
	docPath := filepath.Join(g.home, "demo-document.txt")
	if err := os.WriteFile(docPath, doc, 0o644); err != nil {
		return nil, err
	}
	fmt.Fprintln(out, "Seeding: anchoring a demo document signed by UBND phường Hải Châu ...")
	res, err := c.Submit(ctx, ward, &registry.MsgAnchor{Hash: sum[:], Tag: "giấy chứng nhận"})
	if err != nil {
		return nil, err
	}
	seeded := map[string]any{}
	for _, seed := range []func(context.Context, *globals, *client.Client, *keyring.Keyring, io.Writer, map[string]any) error{
		seedResults, seedProducts, seedNotary, seedDemoFiles,
	} {
		if err := seed(ctx, g, c, kr, out, seeded); err != nil {
			return nil, err
		}
	}
	agencies := map[string]string{}
	for _, a := range demoAgencies {
		agencies[a.key] = a.id
	}
	seeded["keys"] = keys
	seeded["agencies"] = agencies
	seeded["anchors"] = []map[string]any{{"file": docPath, "sha256": hex.EncodeToString(sum[:]),
		"height": res.Height, "agency": "ubnd-phuong-hai-chau"}}
	return seeded, nil
}

func printDemoHelp(w io.Writer, home, rpc, api, metrics string) {
	fmt.Fprintf(w, `
DanangChain demo is running / Chuỗi demo đang chạy
  chain id  %s
  RPC       %s
  API       http://%s   (/healthz, /readyz)
  metrics   http://%[6]s/metrics
  manifest  %[4]s

Try next (in another terminal) / Thử tiếp:
  bin/danangchain status --home %[5]s
  bin/danangchain agency list --home %[5]s -o json
  bin/danangchain keys list --home %[5]s
  bin/danangchain anchor %[5]s/demo-document.txt --from ward --home %[5]s -o json
  bin/danangchain query anchor %[5]s/demo-document.txt --home %[5]s -o json     (verified proof)
  bin/danangchain gov propose add-agency --id ubnd-phuong-thach-thang --name "UBND phường Thạch Thang" \
      --roles result.issuer --new-key thachthang --from council1 --home %[5]s
  bin/danangchain gov vote 1 yes --from council2 --home %[5]s ; bin/danangchain gov vote 1 yes --from council3 --home %[5]s
  bin/danangchain gov show 1 --home %[5]s -o json
  bin/danangchain verify %[5]s/result-valid.txt --home %[5]s              (exit 0 valid; try result-revoked.txt)
  bin/danangchain receipt 1 --out r.dnr --home %[5]s && bin/danangchain verify %[5]s/result-valid.txt --receipt r.dnr --offline --home %[5]s
  bin/danangchain product trace "$(python3 -c 'import json;print(json.load(open("%[5]s/demo.json"))["pork_item"])')" --home %[5]s
  bin/danangchain notary check parcel:20194/12/345 --home %[5]s -o json   (blocked; parcel:20194/12/346 is free)
  Verify page / Trang xác minh: http://%[3]s/verify   (results: /v/1, products: /p/<id>)
Ctrl-C stops the node / Ctrl-C để dừng.
`, demoChainID, rpc, api, filepath.Join(home, "demo.json"), home, metrics)
}
