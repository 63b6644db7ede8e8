package node

import (
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/BurntSushi/toml"
	cmtcfg "github.com/cometbft/cometbft/config"
	"github.com/spf13/viper"
)

// AppConfig is config/app.toml: the settings CometBFT's config.toml does
// not cover.
type AppConfig struct {
	// APIAddr serves /healthz, /readyz and the HTTP API. /metrics is on
	// config.toml's prometheus_listen_addr.
	APIAddr string `toml:"api_addr"`
	// LogFormat is "plain" or "json"; LogLevel is "debug", "info", "warn"
	// or "error"; LogModules sets levels per CometBFT module, e.g.
	// "p2p=error,pex=error,statesync=info".
	LogFormat  string `toml:"log_format"`
	LogLevel   string `toml:"log_level"`
	LogModules string `toml:"log_modules"`
	// SnapshotInterval takes a state-sync snapshot every N blocks (0 = off).
	SnapshotInterval uint64 `toml:"snapshot_interval"`
	// SnapshotKeepRecent is how many snapshots to keep.
	SnapshotKeepRecent int `toml:"snapshot_keep_recent"`
	// StateSyncMaxChunks bounds the chunks of a snapshot a peer offers
	// (4 MiB each; chunks are imported as they arrive, never buffered).
	StateSyncMaxChunks uint32 `toml:"statesync_max_chunks"`
	// RetainBlocks lets CometBFT prune blocks older than N (0 = keep all).
	RetainBlocks uint64 `toml:"retain_blocks"`
	// StateKeepVersions keeps the last N state versions (queries and
	// proofs at older heights fail); 0 keeps all (an archive node).
	StateKeepVersions int64 `toml:"state_keep_versions"`
	// IAVLCacheSize is the IAVL node cache (nodes).
	IAVLCacheSize int `toml:"iavl_cache_size"`
	// DBCacheMiB adds a block cache (MiB) to the state database; 0 = none
	// (index and filter blocks pinned in memory, data from the page cache).
	DBCacheMiB int `toml:"db_cache_mib"`
	// ReadyMaxBlockAge: /readyz fails when the last block is older, and the
	// HTTP API refuses verified reads (503 not_current) when the newest
	// verified header is older.
	ReadyMaxBlockAge Duration `toml:"ready_max_block_age"`
	// Witnesses are other nodes' RPC URLs (e.g. "http://10.0.0.2:26657")
	// that cross-check the headers behind the HTTP API's verified reads and
	// tell when this node lags. 'testnet' writes the other nodes here.
	Witnesses []string `toml:"witnesses"`
	// StateSyncFallbackAfter: a node started with [statesync] enable = true
	// and an empty state that has made no restore progress for this long
	// (no snapshot found, or none that verifies) restarts with block sync
	// from genesis instead ("0s" = wait forever, CometBFT's behaviour).
	StateSyncFallbackAfter Duration `toml:"statesync_fallback_after"`
	// HTTP API limits. APIMaxConcurrent requests are served at once (more:
	// 503 with Retry-After); each client address gets APIRatePerSecond
	// requests per second (burst APIRateBurst) on the endpoints that read
	// the chain (/v1/, /ipfs/, /notary/, /epcis/; more: 429). Probes are never
	// limited. Timeouts bound slow clients; bodies above
	// APIMaxBodyBytes are refused.
	APIMaxConcurrent int      `toml:"api_max_concurrent"`
	APIRatePerSecond int      `toml:"api_rate_per_second"`
	APIRateBurst     int      `toml:"api_rate_burst"`
	APIMaxBodyBytes  int64    `toml:"api_max_body_bytes"`
	APIReadTimeout   Duration `toml:"api_read_timeout"`
	APIWriteTimeout  Duration `toml:"api_write_timeout"`
	APIIdleTimeout   Duration `toml:"api_idle_timeout"`
}

// Duration is a time.Duration written as a string in TOML.
type Duration struct{ time.Duration }

// UnmarshalText implements encoding.TextUnmarshaler.
func (d *Duration) UnmarshalText(b []byte) error {
	v, err := time.ParseDuration(string(b))
	d.Duration = v
	return err
}

// MarshalText implements encoding.TextMarshaler.
func (d Duration) MarshalText() ([]byte, error) { return []byte(d.String()), nil }

// DefaultAppConfig returns the defaults.
func DefaultAppConfig() AppConfig {
	return AppConfig{
		APIAddr: "127.0.0.1:1317", LogFormat: "plain", LogLevel: "info",
		LogModules:       "p2p=error,pex=error,blocksync=info,statesync=info,consensus=info,state=info,mempool=error,txindex=error,rpc-server=error,events=error,server=error",
		SnapshotInterval: 1000, SnapshotKeepRecent: 2, StateSyncMaxChunks: 16384, IAVLCacheSize: 500_000, StateKeepVersions: 100_000,
		ReadyMaxBlockAge: Duration{30 * time.Second}, StateSyncFallbackAfter: Duration{2 * time.Minute},
		APIMaxConcurrent: 64, APIRatePerSecond: 50, APIRateBurst: 100, APIMaxBodyBytes: 1 << 20,
		APIReadTimeout: Duration{30 * time.Second}, APIWriteTimeout: Duration{5 * time.Minute}, APIIdleTimeout: Duration{2 * time.Minute},
	}
}

// Paths of the files in a home directory.
func configDir(home string) string     { return filepath.Join(home, "config") }
func appConfigPath(home string) string { return filepath.Join(configDir(home), "app.toml") }

// AppStateDir is where the IAVL database and snapshots live.
func AppStateDir(home string) string { return filepath.Join(home, "data", "app") }

// WriteAppConfig writes config/app.toml.
func WriteAppConfig(home string, c AppConfig) error {
	if err := os.MkdirAll(configDir(home), 0o755); err != nil {
		return err
	}
	f, err := os.Create(appConfigPath(home))
	if err != nil {
		return err
	}
	defer f.Close()
	fmt.Fprintln(f, "# DanangChain application settings (CometBFT's own settings are in config.toml).")
	return toml.NewEncoder(f).Encode(c)
}

// LoadAppConfig reads config/app.toml over the defaults.
func LoadAppConfig(home string) (AppConfig, error) {
	c := DefaultAppConfig()
	b, err := os.ReadFile(appConfigPath(home))
	if os.IsNotExist(err) {
		return c, nil
	}
	if err != nil {
		return c, err
	}
	if _, err := toml.Decode(string(b), &c); err != nil {
		return c, fmt.Errorf("%s: %w", appConfigPath(home), err)
	}
	return c, nil
}

// LoadCometConfig reads config/config.toml (CometBFT's own file).
func LoadCometConfig(home string) (*cmtcfg.Config, error) {
	conf := cmtcfg.DefaultConfig()
	v := viper.New()
	v.SetConfigFile(filepath.Join(configDir(home), "config.toml"))
	if err := v.ReadInConfig(); err != nil {
		return nil, fmt.Errorf("read config.toml: %w (run 'danangchain init' first)", err)
	}
	if err := v.Unmarshal(conf); err != nil {
		return nil, fmt.Errorf("parse config.toml: %w", err)
	}
	conf.SetRoot(home)
	if err := conf.ValidateBasic(); err != nil {
		return nil, fmt.Errorf("config.toml: %w", err)
	}
	return conf, nil
}

// DefaultCometConfig returns CometBFT's defaults adjusted for DanangChain:
// loopback listeners, 1 s blocks, mempool and RPC sized for our txs,
// Prometheus on.
func DefaultCometConfig(home, moniker string) *cmtcfg.Config {
	c := cmtcfg.DefaultConfig()
	c.SetRoot(home)
	c.Moniker = moniker
	c.RPC.ListenAddress = "tcp://127.0.0.1:26657"
	c.RPC.MaxBodyBytes = 8 << 20
	c.RPC.TimeoutBroadcastTxCommit = 30 * time.Second
	c.RPC.MaxSubscriptionsPerClient = 50
	c.P2P.ListenAddress = "tcp://127.0.0.1:26656"
	c.P2P.AddrBookStrict = false
	c.P2P.AllowDuplicateIP = true
	c.Mempool.MaxTxBytes = 2 << 20
	c.Mempool.Size = 20000
	c.Mempool.MaxTxsBytes = 512 << 20
	c.Mempool.CacheSize = 100000
	c.Consensus.TimeoutCommit = time.Second
	c.Instrumentation.Prometheus = true
	c.Instrumentation.PrometheusListenAddr = "127.0.0.1:26660"
	c.Instrumentation.Namespace = "cometbft"
	c.LogLevel = "info"
	return c
}
