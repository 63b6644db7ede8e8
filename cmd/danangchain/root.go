package main

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/BurntSushi/toml"
	"github.com/spf13/cobra"

	"github.com/danangchain/danangchain/client"
	"github.com/danangchain/danangchain/client/keyring"
	"github.com/danangchain/danangchain/node"
)

// globals are the flags every command shares.
type globals struct {
	home           string
	node           string
	output         string
	keyringBackend string
	trustHeight    int64
	trustHash      string
	witnesses      []string
	lightDir       string
	maxHeaderAge   time.Duration
}

// clientConfig is config/client.toml: defaults for client commands.
type clientConfig struct {
	Node           string `toml:"node"`
	KeyringBackend string `toml:"keyring_backend"`
	ChainID        string `toml:"chain_id"`
	// VerifyURL is the public verify page base URL printed into QR codes
	// (production: an HTTPS address; demo: the node's API address).
	VerifyURL string `toml:"verify_url"`
	// TrustHeight and TrustHash: a header to start verified reads from
	// (instead of block 1, which state-synced or pruned nodes lack).
	TrustHeight int64  `toml:"trust_height,omitempty"`
	TrustHash   string `toml:"trust_hash,omitempty"`
	// Witnesses are other nodes' RPC URLs that cross-check headers.
	Witnesses []string `toml:"witnesses,omitempty"`
	// LightDir keeps verified headers between runs.
	LightDir string `toml:"light_dir,omitempty"`
	// MaxHeaderAge bounds how old the newest verified header may be for a
	// verdict to count as current (Go duration, e.g. "30s").
	MaxHeaderAge string `toml:"max_header_age,omitempty"`
}

func defaultHome() string {
	if h := os.Getenv("DANANGCHAIN_HOME"); h != "" {
		return h
	}
	d, err := os.UserHomeDir()
	if err != nil {
		return ".danangchain"
	}
	return filepath.Join(d, ".danangchain")
}

func newRootCmd() *cobra.Command {
	g := &globals{}
	root := &cobra.Command{
		Use:   "danangchain",
		Short: "DanangChain — lớp tin cậy của thành phố Đà Nẵng / Da Nang's trust layer",
		Long: `DanangChain anchors administrative results, product provenance and notary data
on a permissioned CometBFT chain run by the city's agencies, and lets anyone
verify them without trusting a single server.`,
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	pf := root.PersistentFlags()
	pf.StringVar(&g.home, "home", defaultHome(), "node and keyring directory")
	pf.StringVar(&g.node, "node", "", "node RPC URL (default from <home>/config/client.toml, else http://127.0.0.1:26657)")
	pf.StringVarP(&g.output, "output", "o", "text", "output format: text, json, or value=FIELD: only that field of the JSON output, "+
		"a string bare, anything else as JSON (for scripts: ID=$(danangchain result issue ... -o value=id); "+
		"FIELD.NAME and FIELD.N reach into objects and lists; a missing field is an error)")
	pf.StringVar(&g.keyringBackend, "keyring-backend", "", "keyring backend: file (encrypted) or test (demo only); default from client.toml, else file")
	pf.Int64Var(&g.trustHeight, "trust-height", 0, "verified reads start from this header (with --trust-hash) instead of block 1; default from client.toml")
	pf.StringVar(&g.trustHash, "trust-hash", "", "hex hash of the --trust-height header, from a source you trust")
	pf.StringSliceVar(&g.witnesses, "witness", nil, "other nodes' RPC URLs that cross-check every header (repeatable)")
	pf.StringVar(&g.lightDir, "light-dir", "", "keep verified headers in this directory between runs")
	pf.DurationVar(&g.maxHeaderAge, "max-header-age", 0, "newest verified header may be at most this old on this computer's clock, else the answer is 'could not confirm the current state' (default from client.toml, else 30s)")
	root.AddCommand(
		newVersionCmd(g), newInitCmd(g), newStartCmd(g), newTestnetCmd(g), newDemoCmd(g),
		newStatusCmd(g), newKeysCmd(g), newGovCmd(g), newQueryCmd(g), newAgencyCmd(g),
		newAnchorCmd(g), newBenchCmd(g), newBenchVerifyCmd(g), newBenchStateCmd(g), newResultCmd(g), newVerifyCmd(g), newReceiptCmd(g), newQRCmd(g), newProductCmd(g), newNotaryCmd(g),
		newPayloadCmd(g),
		newRollbackCmd(g), newExportCmd(g), newUnsafeResetAllCmd(g), newStateSyncConfigCmd(g),
	)
	return root
}

func (g *globals) clientConfig() clientConfig {
	var c clientConfig
	b, err := os.ReadFile(filepath.Join(g.home, "config", "client.toml"))
	if err == nil {
		_, _ = toml.Decode(string(b), &c)
	}
	return c
}

func writeClientConfig(home string, c clientConfig) error {
	if err := os.MkdirAll(filepath.Join(home, "config"), 0o755); err != nil {
		return err
	}
	f, err := os.Create(filepath.Join(home, "config", "client.toml"))
	if err != nil {
		return err
	}
	defer f.Close()
	fmt.Fprintln(f, "# Defaults for danangchain client commands run with this --home.")
	return toml.NewEncoder(f).Encode(c)
}

func (g *globals) nodeURL() string {
	if g.node != "" {
		return g.node
	}
	if c := g.clientConfig(); c.Node != "" {
		return c.Node
	}
	return "http://127.0.0.1:26657"
}

func (g *globals) keyring() (*keyring.Keyring, error) {
	backend := g.keyringBackend
	if backend == "" {
		backend = g.clientConfig().KeyringBackend
	}
	if backend == "" {
		backend = "file"
	}
	return keyring.New(filepath.Join(g.home, "keyring"), keyring.Backend(backend), passphrase)
}

// passphrase reads DANANGCHAIN_KEYRING_PASSPHRASE or one line of stdin.
func passphrase() ([]byte, error) {
	if p, ok := os.LookupEnv("DANANGCHAIN_KEYRING_PASSPHRASE"); ok {
		return []byte(p), nil
	}
	fmt.Fprint(os.Stderr, "Keyring passphrase / Mật khẩu kho khóa: ")
	var line string
	if _, err := fmt.Fscanln(os.Stdin, &line); err != nil {
		return nil, cliErrf(errKeyring, "read passphrase (set DANANGCHAIN_KEYRING_PASSPHRASE for scripts): %v", err)
	}
	return []byte(line), nil
}

// client returns an SDK client for --node, with the home's genesis as the
// trust root when present.
func (g *globals) client(opts ...client.Option) (*client.Client, error) {
	if gen, err := node.LoadGenesis(g.home); err == nil {
		opts = append(opts, client.WithGenesis(gen), client.WithChainID(gen.ChainID))
	}
	trust, err := g.trustOptions()
	if err != nil {
		return nil, err
	}
	return client.New(g.nodeURL(), append(opts, trust...)...)
}

// trustOptions turns --trust-height/--trust-hash, --witness and
// --light-dir (else client.toml) into client options.
func (g *globals) trustOptions() ([]client.Option, error) {
	cc := g.clientConfig()
	height, hash := g.trustHeight, g.trustHash
	if height == 0 && hash == "" {
		height, hash = cc.TrustHeight, cc.TrustHash
	}
	var opts []client.Option
	if height != 0 || hash != "" {
		if height <= 0 {
			return nil, cliErrf(errUsage, "--trust-hash needs --trust-height (a positive header height)")
		}
		h, err := client.ParseTrustHash(hash)
		if err != nil {
			return nil, err
		}
		opts = append(opts, client.WithTrustPoint(height, h))
	}
	witnesses := g.witnesses
	if len(witnesses) == 0 {
		witnesses = cc.Witnesses
	}
	if len(witnesses) > 0 {
		opts = append(opts, client.WithWitnesses(witnesses...))
	}
	dir := g.lightDir
	if dir == "" {
		dir = cc.LightDir
	}
	if dir != "" {
		opts = append(opts, client.WithLightStore(dir))
	}
	age := g.maxHeaderAge
	if age == 0 && cc.MaxHeaderAge != "" {
		d, err := time.ParseDuration(cc.MaxHeaderAge)
		if err != nil || d <= 0 {
			return nil, cliErrf(errFormat, "client.toml: max_header_age %q: want a positive duration such as \"30s\"", cc.MaxHeaderAge)
		}
		age = d
	}
	if age > 0 {
		opts = append(opts, client.WithMaxHeaderAge(age))
	}
	return opts, nil
}

// signer loads a key from the keyring.
func (g *globals) signer(name string) (*keyring.Signer, error) {
	if name == "" {
		return nil, cliErrf(errUsage, "--from is required (the name of your key in the keyring: danangchain keys list)")
	}
	kr, err := g.keyring()
	if err != nil {
		return nil, err
	}
	sg, err := kr.Signer(name)
	if err != nil {
		return nil, cliErrf(errKeyring, "--from %s: %v", name, err)
	}
	return sg, nil
}

func (g *globals) json() bool { return g.output == "json" }

// print writes v as one JSON object with -o json; with -o value=FIELD only
// that field of the same JSON (a string bare, any other value as compact
// JSON, one line; dots step into objects and list indexes: value=nodes.0.RPC),
// so that a shell can capture it; else it calls text.
func (g *globals) print(w io.Writer, v any, text func(w io.Writer)) error {
	switch {
	case g.output == "json":
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		enc.SetEscapeHTML(false)
		return enc.Encode(v)
	case g.output == "text" || g.output == "":
		text(w)
		return nil
	case strings.HasPrefix(g.output, "value="):
		path := strings.TrimPrefix(g.output, "value=")
		b, err := json.Marshal(v)
		if err != nil {
			return err
		}
		var x any
		dec := json.NewDecoder(strings.NewReader(string(b)))
		dec.UseNumber() // ids and heights keep every digit
		if err := dec.Decode(&x); err != nil {
			return err
		}
		for _, name := range strings.Split(path, ".") {
			switch node := x.(type) {
			case map[string]any:
				next, ok := node[name]
				if !ok {
					fields := make([]string, 0, len(node))
					for k := range node {
						fields = append(fields, k)
					}
					slices.Sort(fields)
					return cliErrf(errUsage, "-o value=%s: the output has no field %q (it has: %s); the command itself ran", path, name, strings.Join(fields, ", "))
				}
				x = next
			case []any:
				i, err := strconv.Atoi(name)
				if err != nil || i < 0 || i >= len(node) {
					return cliErrf(errUsage, "-o value=%s: %q is not an index of a list of %d; the command itself ran", path, name, len(node))
				}
				x = node[i]
			default:
				return cliErrf(errUsage, "-o value=%s: %q: the value before it is not an object or a list; the command itself ran", path, name)
			}
		}
		if s, ok := x.(string); ok {
			_, err := fmt.Fprintln(w, s)
			return err
		}
		enc := json.NewEncoder(w)
		enc.SetEscapeHTML(false)
		return enc.Encode(x)
	}
	return cliErrf(errUsage, "unknown output format %q (want text, json or value=FIELD)", g.output)
}
