package node

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"sync"
	"time"

	"github.com/cometbft/cometbft/abci/example/kvstore"
	abci "github.com/cometbft/cometbft/abci/types"
	cmtcfg "github.com/cometbft/cometbft/config"
	nm "github.com/cometbft/cometbft/node"
	"github.com/cometbft/cometbft/p2p"
	"github.com/cometbft/cometbft/privval"
	"github.com/cometbft/cometbft/proxy"
	"github.com/cometbft/cometbft/types"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/danangchain/danangchain/app"
	"github.com/danangchain/danangchain/cas"
)

// Options tune New beyond the files in home.
type Options struct {
	// LogWriter receives logs (default os.Stderr).
	LogWriter io.Writer
	// Version is reported by Info and /status.
	Version string
	// DisableCometMetrics turns CometBFT's Prometheus metrics off (they
	// register globally, so only one node per process may have them).
	DisableCometMetrics bool
	// Routes adds HTTP handlers to the API server (e.g. the verify API).
	Routes func(mux *http.ServeMux, n *Node)
	// BaselineKVStore runs CometBFT's example kvstore app instead of
	// DanangChain's, with the same node settings: the benchmark baseline.
	BaselineKVStore bool
	// DisableStateSync ignores [statesync] enable in config.toml (the
	// block-sync fallback, see ErrStateSyncFallback).
	DisableStateSync bool
}

// Node is a running DanangChain node.
type Node struct {
	Home   string
	Comet  *nm.Node
	App    *app.App
	Config *cmtcfg.Config
	AppCfg AppConfig
	Log    *slog.Logger

	// Payloads is the payload block store (nil with BaselineKVStore).
	Payloads *cas.Store

	registry *prometheus.Registry
	closeApp func() error
	api      *http.Server
	apiLn    net.Listener
	// metrics serves /metrics on metricsAddr (config.toml's
	// prometheus_listen_addr; CometBFT's own server there is not started).
	metrics     *http.Server
	metricsAddr string
	metricsLn   net.Listener
	stopOnce    sync.Once
	stopErr     error
	ssWatch     *stateSyncWatch // nil unless starting by state sync
}

// New builds a node from the files in home (see 'danangchain init').
func New(home string, opts Options) (*Node, error) {
	if opts.LogWriter == nil {
		opts.LogWriter = os.Stderr
	}
	conf, err := LoadCometConfig(home)
	if err != nil {
		return nil, err
	}
	acfg, err := LoadAppConfig(home)
	if err != nil {
		return nil, err
	}
	logger, err := NewLogger(opts.LogWriter, acfg.LogFormat, "debug")
	if err != nil {
		return nil, err
	}
	cl, err := newCometLogger(logger, acfg.LogLevel, acfg.LogModules)
	if err != nil {
		return nil, err
	}
	appLogger := logger.With("module", "app")
	if lvl, _ := parseLevel(acfg.LogLevel); lvl > slog.LevelDebug {
		appLogger, _ = NewLogger(opts.LogWriter, acfg.LogFormat, acfg.LogLevel)
		appLogger = appLogger.With("module", "app")
	}
	gen, err := types.GenesisDocFromFile(conf.GenesisFile())
	if err != nil {
		return nil, fmt.Errorf("genesis: %w", err)
	}
	reg := prometheus.NewRegistry()
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	metrics := app.NewMetrics(reg)
	if err := os.MkdirAll(AppStateDir(home), 0o755); err != nil {
		return nil, err
	}
	aopts := app.DefaultOptions(AppStateDir(home), gen.ChainID)
	aopts.CacheSize = acfg.IAVLCacheSize
	aopts.DBCacheMiB = acfg.DBCacheMiB
	aopts.KeepVersions = acfg.StateKeepVersions
	aopts.SnapshotInterval = acfg.SnapshotInterval
	aopts.SnapshotKeepRecent = acfg.SnapshotKeepRecent
	aopts.MaxSnapshotChunks = acfg.StateSyncMaxChunks
	aopts.RetainBlocks = acfg.RetainBlocks
	aopts.Logger = appLogger
	aopts.Metrics = metrics
	aopts.SoftwareVersion = opts.Version
	var application *app.App
	var abciApp abci.Application
	var closeApp func() error
	var payloads *cas.Store
	if opts.BaselineKVStore {
		kv := kvstore.NewPersistentApplication(AppStateDir(home))
		abciApp = kv
		closeApp = kv.Close
	} else {
		if payloads, err = OpenPayloads(home); err != nil {
			return nil, err
		}
		aopts.Payloads = payloads
		application, err = app.New(aopts)
		if err != nil {
			payloads.Close()
			return nil, err
		}
		abciApp = application
		closeApp = func() error { return errors.Join(application.Close(), payloads.Close()) }
	}
	nodeKey, err := p2p.LoadOrGenNodeKey(conf.NodeKeyFile())
	if err != nil {
		closeApp()
		return nil, fmt.Errorf("node key: %w", err)
	}
	pv := privval.LoadOrGenFilePV(conf.PrivValidatorKeyFile(), conf.PrivValidatorStateFile())
	if opts.DisableStateSync {
		conf.StateSync.Enable = false
	}
	var ssWatch *stateSyncWatch
	if application != nil && conf.StateSync.Enable && application.Height() == 0 && acfg.StateSyncFallbackAfter.Duration > 0 {
		ssWatch = newStateSyncWatch(abciApp, application.Height)
		abciApp = ssWatch
	}
	if opts.DisableCometMetrics {
		conf.Instrumentation.Prometheus = false
	}
	// The node, not CometBFT, listens on prometheus_listen_addr: it serves
	// the application's, CometBFT's and the runtime's metrics there
	// together, on their own listener, apart from the public API.
	metricsAddr := ""
	if conf.Instrumentation.Prometheus {
		metricsAddr = conf.Instrumentation.PrometheusListenAddr
	}
	conf.Instrumentation.PrometheusListenAddr = ""
	comet, err := nm.NewNode(conf, pv, nodeKey, proxy.NewLocalClientCreator(abciApp),
		func() (*types.GenesisDoc, error) { return gen, nil },
		cmtcfg.DefaultDBProvider, nm.DefaultMetricsProvider(conf.Instrumentation), cl)
	if err != nil {
		closeApp()
		return nil, fmt.Errorf("cometbft: %w", err)
	}
	n := &Node{metricsAddr: metricsAddr, Home: home, Comet: comet, App: application, closeApp: closeApp, Payloads: payloads, Config: conf, AppCfg: acfg, Log: logger, registry: reg, ssWatch: ssWatch}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", n.handleHealth)
	mux.HandleFunc("GET /readyz", n.handleReady)
	if metricsAddr != "" {
		gatherers := prometheus.Gatherers{reg, prefixGatherer(prometheus.DefaultGatherer, conf.Instrumentation.Namespace+"_")}
		mm := http.NewServeMux()
		mm.Handle("GET /metrics", promhttp.HandlerFor(gatherers, promhttp.HandlerOpts{}))
		n.metrics = &http.Server{Handler: mm, ReadHeaderTimeout: 10 * time.Second, ReadTimeout: 30 * time.Second,
			WriteTimeout: time.Minute, IdleTimeout: 2 * time.Minute, MaxHeaderBytes: 64 << 10}
	}
	if opts.Routes != nil {
		opts.Routes(mux, n)
	}
	n.api = &http.Server{Handler: newAPILimits(acfg).wrap(mux), ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout: acfg.APIReadTimeout.Duration, WriteTimeout: acfg.APIWriteTimeout.Duration,
		IdleTimeout: acfg.APIIdleTimeout.Duration, MaxHeaderBytes: 64 << 10}
	return n, nil
}

// Start starts CometBFT and the API server.
func (n *Node) Start() error {
	ln, err := net.Listen("tcp", n.AppCfg.APIAddr)
	if err != nil {
		n.closeApp()
		return fmt.Errorf("api listen %s: %w", n.AppCfg.APIAddr, err)
	}
	n.apiLn = ln
	if n.metrics != nil {
		mln, err := net.Listen("tcp", n.metricsAddr)
		if err != nil {
			ln.Close()
			n.closeApp()
			return fmt.Errorf("metrics listen %s (prometheus_listen_addr): %w", n.metricsAddr, err)
		}
		n.metricsLn = mln
		go func() {
			if err := n.metrics.Serve(mln); err != nil && !errors.Is(err, http.ErrServerClosed) {
				n.Log.Error("metrics server", "err", err)
			}
		}()
	}
	if err := n.Comet.Start(); err != nil {
		ln.Close()
		if n.metrics != nil {
			n.metrics.Close()
		}
		n.closeApp()
		if n.ssWatch != nil && isStateSyncStartError(err) {
			return fmt.Errorf("%w: %v", ErrStateSyncFallback, err)
		}
		return fmt.Errorf("start cometbft: %w", err)
	}
	go func() {
		if err := n.api.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			n.Log.Error("api server", "err", err)
		}
	}()
	n.Log.Info("node started", "chain_id", n.Comet.GenesisDoc().ChainID, "rpc", n.Config.RPC.ListenAddress,
		"p2p", n.Config.P2P.ListenAddress, "api", ln.Addr().String(), "metrics", n.MetricsAddr(), "home", n.Home)
	return nil
}

// APIAddr is the address the API server listens on.
func (n *Node) APIAddr() string {
	if n.apiLn == nil {
		return n.AppCfg.APIAddr
	}
	return n.apiLn.Addr().String()
}

// MetricsAddr is the address /metrics is served on ("" when metrics are
// off).
func (n *Node) MetricsAddr() string {
	if n.metricsLn == nil {
		return n.metricsAddr
	}
	return n.metricsLn.Addr().String()
}

// Stop shuts the node down: API server, CometBFT (which flushes its
// stores), then the application state. Safe to call twice.
func (n *Node) Stop() error {
	n.stopOnce.Do(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
		defer cancel()
		_ = n.api.Shutdown(ctx)
		if n.metrics != nil {
			_ = n.metrics.Shutdown(ctx)
		}
		if n.Comet.IsRunning() {
			if err := n.Comet.Stop(); err != nil {
				n.stopErr = err
			}
			n.Comet.Wait()
		}
		if err := n.closeApp(); err != nil && n.stopErr == nil {
			n.stopErr = err
		}
		n.Log.Info("node stopped", "height", n.Comet.BlockStore().Height())
	})
	return n.stopErr
}

// Run starts the node and blocks until ctx is done, then stops it.
func (n *Node) Run(ctx context.Context) error {
	if err := n.Start(); err != nil {
		return err
	}
	if n.ssWatch != nil {
		after := n.AppCfg.StateSyncFallbackAfter.Duration
		if err := n.ssWatch.watch(ctx, after, n.Comet.BlockStore().Height); err != nil {
			n.Log.Warn("no snapshot restored, stopping to restart with block sync", "waited", after)
			if serr := n.Stop(); serr != nil {
				n.Log.Error("stop", "err", serr)
			}
			return err
		}
	}
	if err := n.waitHalt(ctx); err != nil {
		n.Log.Error("consensus halted: stopping the node so that it can be restarted", "err", err)
		if serr := n.Stop(); serr != nil {
			n.Log.Error("stop", "err", serr)
		}
		return err
	}
	n.Log.Info("shutting down", "reason", context.Cause(ctx))
	return n.Stop()
}

// Readiness is the answer of /readyz.
type Readiness struct {
	Ready       bool      `json:"ready"`
	CatchingUp  bool      `json:"catching_up"`
	Height      int64     `json:"height"`
	LastBlock   time.Time `json:"last_block_time"`
	BlockAgeSec float64   `json:"block_age_seconds"`
	Reason      string    `json:"reason,omitempty"`
}

// Ready reports whether the node is caught up and the last block is recent.
func (n *Node) Ready() Readiness {
	r := Readiness{CatchingUp: n.Comet.ConsensusReactor().WaitSync()}
	bs := n.Comet.BlockStore()
	r.Height = bs.Height()
	if meta := bs.LoadBlockMeta(r.Height); meta != nil {
		r.LastBlock = meta.Header.Time
		r.BlockAgeSec = time.Since(meta.Header.Time).Seconds()
	}
	switch {
	case r.CatchingUp:
		r.Reason = "catching up"
	case r.Height == 0:
		r.Reason = "no block yet"
	case time.Since(r.LastBlock) > n.AppCfg.ReadyMaxBlockAge.Duration:
		r.Reason = fmt.Sprintf("last block is older than %s", n.AppCfg.ReadyMaxBlockAge)
	default:
		r.Ready = true
	}
	return r
}
