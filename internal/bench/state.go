package bench

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"time"

	abci "github.com/cometbft/cometbft/abci/types"

	"github.com/danangchain/danangchain/app"
	"github.com/danangchain/danangchain/client"
	"github.com/danangchain/danangchain/registry"
)

// StateConfig sets the size of a state-scale run.
type StateConfig struct {
	Dir          string        // work directory (states are created inside)
	Records      int           // results in the large state
	BlockRecords int           // results per block (fill and probes)
	Small        int           // results in the small state the probes compare with
	Rounds       int           // probe rounds (each: one small, one large block of each kind)
	SingleTxs    int           // txs in a one-result-per-tx probe block
	Queries      int           // proven lookups per state
	CacheSize    int           // IAVL node cache (as app.toml iavl-cache-size)
	MaxFill      time.Duration // stop filling after this long (0 = never) and measure the state reached
}

// StateWindow is the fill rate over the window ending at AtRecords.
type StateWindow struct {
	AtRecords     int     `json:"at_records"`
	RecordsPerSec float64 `json:"records_per_s"`
}

// StateQuery summarises proven lookups against one state.
type StateQuery struct {
	Records int     `json:"records_in_state"`
	N       int     `json:"lookups"`
	P50Ms   float64 `json:"p50_ms"`
	P95Ms   float64 `json:"p95_ms"`
	P99Ms   float64 `json:"p99_ms"`
	MaxMs   float64 `json:"max_ms"`
}

// StateProbe compares the write rate of one kind of block at the small and
// the large state (medians of alternating rounds).
type StateProbe struct {
	Kind       string    `json:"kind"`
	Records    int       `json:"records_per_block"`
	PerTx      int       `json:"records_per_tx"`
	SmallRate  float64   `json:"small_records_per_s"`
	LargeRate  float64   `json:"large_records_per_s"`
	Ratio      float64   `json:"large_over_small"`
	SmallRates []float64 `json:"small_rates"`
	LargeRates []float64 `json:"large_rates"`
}

// StateResult is the report of bench-state.
type StateResult struct {
	Records          int           `json:"records"`
	Target           int           `json:"target_records"`
	StoppedEarly     bool          `json:"fill_stopped_at_time_limit"`
	BlockRecords     int           `json:"records_per_block"`
	CacheSize        int           `json:"iavl_cache_nodes"`
	FillSeconds      float64       `json:"fill_seconds"`
	FillRate         float64       `json:"fill_records_per_s"`
	Curve            []StateWindow `json:"fill_curve"`
	SmallRecords     int           `json:"small_records"`
	Rounds           int           `json:"probe_rounds"`
	Probes           []StateProbe  `json:"probes"`
	QuerySmall       StateQuery    `json:"query_small"`
	QueryLarge       StateQuery    `json:"query_large"`
	DiskBytes        int64         `json:"disk_bytes"`
	BytesPerRecord   float64       `json:"disk_bytes_per_record"`
	LogicalPerRecord float64       `json:"logical_bytes_per_record"`
	Versions         int64         `json:"versions_kept"`
}

const stateBenchChainID = "danang-bench-state"

// bulkPerTx is the number of results per bulk-issue tx.
const bulkPerTx = 5000

// stateBench drives one App without consensus.
type stateBench struct {
	app    *app.App
	dir    string
	priv   []byte
	pub    []byte
	height int64
	n      int // results issued
	seed   byte
	hash   []byte // last app hash
}

// openStateBench creates an app in dir and runs InitChain with one agency
// that may issue results.
func openStateBench(dir string, cacheSize int, seed byte) (*stateBench, error) {
	opts := app.DefaultOptions(dir, stateBenchChainID)
	opts.CacheSize = cacheSize
	opts.SnapshotInterval = 0 // snapshots run in the background; keep them out of the timings
	a, err := app.New(opts)
	if err != nil {
		return nil, err
	}
	s := &stateBench{app: a, dir: dir, seed: seed}
	var k [32]byte
	if _, err := rand.Read(k[:]); err != nil {
		return nil, err
	}
	s.priv = registry.NewKeyFromSeed(k[:])
	s.pub = registry.PubKeyOf(s.priv)
	if _, err := rand.Read(k[:]); err != nil {
		return nil, err
	}
	council := registry.PubKeyOf(registry.NewKeyFromSeed(k[:]))
	g := registry.GenesisState{
		Params:  registry.DefaultParams(),
		Council: []registry.GenesisMember{{Name: "Hội đồng", PubKey: fmt.Sprintf("%x", council)}},
		Agencies: []registry.GenesisAgency{{ID: "ubnd-phuong-hai-chau", Name: "UBND phường Hải Châu",
			Roles: []string{registry.RoleResultIssuer}, Keys: []string{fmt.Sprintf("%x", s.pub)}}},
	}
	state, err := json.Marshal(g)
	if err != nil {
		return nil, err
	}
	resp, err := a.InitChain(context.Background(), &abci.RequestInitChain{Time: time.Unix(1_790_000_000, 0).UTC(),
		ChainId: stateBenchChainID, InitialHeight: 1, AppStateBytes: state,
		Validators: []abci.ValidatorUpdate{abci.UpdateValidator(council, 10, "ed25519")}})
	if err != nil {
		a.Close()
		return nil, err
	}
	s.hash = resp.AppHash
	return s, nil
}

// docHash is the document hash of the i-th result of a state (1-based):
// derived, so lookups can name any record without keeping 10^7 hashes.
func (s *stateBench) docHash(i int) []byte {
	var b [9]byte
	b[0] = s.seed
	binary.BigEndian.PutUint64(b[1:], uint64(i))
	h := sha256.Sum256(b[:])
	return h[:]
}

// nextTxs signs the txs of a block of n new results, perTx per tx (5,000
// as an agency's bulk issuance; 1 as one signed record per tx).
func (s *stateBench) nextTxs(n, perTx int) ([][]byte, error) {
	var txs [][]byte
	for n > 0 {
		m := min(n, perTx)
		docs := make([]registry.ResultDoc, m)
		for j := range docs {
			i := s.n + len(txs)*perTx + j + 1
			holder := sha256.Sum256(s.docHash(i))
			docs[j] = registry.ResultDoc{Procedure: "2.000720.000.00.00.H17", DocType: "Giấy chứng nhận",
				Title: "Giấy chứng nhận đăng ký hộ kinh doanh", DocHash: s.docHash(i),
				Dossier: fmt.Sprintf("000.26.17.H17-261122-%07d", i%10_000_000), Holder: holder[:]}
		}
		nonce := make([]byte, 16)
		if _, err := rand.Read(nonce); err != nil {
			return nil, err
		}
		tx := &registry.Tx{ChainID: stateBenchChainID, Signer: s.pub, Nonce: nonce, ExpiresAt: uint64(s.height) + 100,
			Msg: registry.NewIssueResults(docs)}
		tx.SignWith(s.priv)
		txs = append(txs, tx.Encode())
		n -= m
	}
	return txs, nil
}

// block executes and commits txs as the next block and returns the time
// FinalizeBlock + Commit took.
func (s *stateBench) block(ctx context.Context, txs [][]byte, results int) (time.Duration, error) {
	h := s.height + 1
	start := time.Now()
	resp, err := s.app.FinalizeBlock(ctx, &abci.RequestFinalizeBlock{Txs: txs, Height: h,
		Time: time.Unix(1_790_000_000+h, 0).UTC()})
	if err != nil {
		return 0, err
	}
	for i, r := range resp.TxResults {
		if r.Code != abci.CodeTypeOK {
			return 0, fmt.Errorf("block %d tx %d: code %d: %s", h, i, r.Code, r.Log)
		}
	}
	if _, err := s.app.Commit(ctx, &abci.RequestCommit{}); err != nil {
		return 0, err
	}
	took := time.Since(start)
	s.height, s.n, s.hash = h, s.n+results, resp.AppHash
	return took, nil
}

// grow issues n results in blocks of per and returns the time spent in
// FinalizeBlock + Commit (tx building and signing, client work, excluded).
func (s *stateBench) grow(ctx context.Context, n, per int) (time.Duration, error) {
	var total time.Duration
	for n > 0 {
		m := min(n, per)
		txs, err := s.nextTxs(m, bulkPerTx)
		if err != nil {
			return 0, err
		}
		d, err := s.block(ctx, txs, m)
		if err != nil {
			return 0, err
		}
		total += d
		n -= m
	}
	return total, nil
}

// lookups times q proven lookups of random records, the way verification
// reads them: the document-hash index, then the record, each with an ICS23
// proof. Every proof is checked against the app hash (outside the timer).
func (s *stateBench) lookups(q int) (StateQuery, error) {
	lat := make([]float64, 0, q)
	var r [8]byte
	for range q {
		if _, err := rand.Read(r[:]); err != nil {
			return StateQuery{}, err
		}
		i := int(binary.BigEndian.Uint64(r[:])%uint64(s.n)) + 1
		hk := registry.ResultHashKey(s.docHash(i))
		start := time.Now()
		idv, idp, _, err := s.app.Get(0, hk, true)
		if err != nil {
			return StateQuery{}, err
		}
		if len(idv) != 8 {
			return StateQuery{}, fmt.Errorf("result %d: index value %x", i, idv)
		}
		rk := registry.ResultKey(binary.BigEndian.Uint64(idv))
		rv, rp, _, err := s.app.Get(0, rk, true)
		if err != nil {
			return StateQuery{}, err
		}
		lat = append(lat, float64(time.Since(start).Microseconds())/1000)
		if err := client.VerifyProof(s.hash, hk, idv, idp); err != nil {
			return StateQuery{}, fmt.Errorf("result %d: index proof: %w", i, err)
		}
		if err := client.VerifyProof(s.hash, rk, rv, rp); err != nil {
			return StateQuery{}, fmt.Errorf("result %d: record proof: %w", i, err)
		}
	}
	p50, p95, p99, mx := Percentiles(lat)
	return StateQuery{Records: s.n, N: q, P50Ms: p50, P95Ms: p95, P99Ms: p99, MaxMs: mx}, nil
}

// Percentiles returns p50, p95, p99 and the maximum of lat (sorted in place).
func Percentiles(lat []float64) (p50, p95, p99, mx float64) {
	if len(lat) == 0 {
		return 0, 0, 0, 0
	}
	sort.Float64s(lat)
	pct := func(p float64) float64 { return lat[min(len(lat)-1, int(p*float64(len(lat))))] }
	return pct(0.50), pct(0.95), pct(0.99), lat[len(lat)-1]
}

func median(xs []float64) float64 {
	s := append([]float64(nil), xs...)
	sort.Float64s(s)
	if len(s) == 0 {
		return 0
	}
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

func dirBytes(dir string) (int64, error) {
	var total int64
	err := filepath.WalkDir(dir, func(_ string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		total += info.Size()
		return nil
	})
	return total, err
}

func RunState(ctx context.Context, cfg StateConfig, log io.Writer) (*StateResult, error) {
	if cfg.Records < cfg.Small || cfg.Small < 1 || cfg.BlockRecords < 1 || cfg.Rounds < 1 || cfg.Queries < 1 || cfg.SingleTxs < 1 {
		return nil, fmt.Errorf("need records >= small >= 1, block, rounds and queries >= 1")
	}
	large, err := openStateBench(filepath.Join(cfg.Dir, "large"), cfg.CacheSize, 'L')
	if err != nil {
		return nil, err
	}
	defer large.app.Close()
	res := &StateResult{Records: cfg.Records, Target: cfg.Records, BlockRecords: cfg.BlockRecords, CacheSize: cfg.CacheSize,
		SmallRecords: cfg.Small, Rounds: cfg.Rounds}

	// Fill, printing progress every 1% and keeping the rate per window
	// (each decade, then every 10%) as the fill curve.
	fmt.Fprintf(log, "filling a state with %d results, %d per block...\n", cfg.Records, cfg.BlockRecords)
	marks := map[int]bool{cfg.Records: true}
	for m := 10_000; m < cfg.Records; m *= 10 {
		marks[m] = true
	}
	for k := 1; k < 10; k++ {
		marks[cfg.Records/10*k] = true
	}
	step := max(cfg.BlockRecords, cfg.Records/100)
	var total, window time.Duration
	windowStart, started, lastLog := 0, time.Now(), 0
	for large.n < cfg.Records {
		if cfg.MaxFill > 0 && time.Since(started) > cfg.MaxFill && large.n >= cfg.Small {
			fmt.Fprintf(log, "  fill time limit %s reached at %d results: measuring this state\n", cfg.MaxFill, large.n)
			res.Records, res.StoppedEarly = large.n, true
			break
		}
		next := large.n + cfg.BlockRecords
		for m := large.n + 1; m < next; m++ { // stop a block early at a mark
			if marks[m] {
				next = m
				break
			}
		}
		next = min(next, cfg.Records)
		grown := next - large.n
		d, err := large.grow(ctx, grown, cfg.BlockRecords)
		if err != nil {
			return nil, err
		}
		total += d
		window += d
		if marks[large.n] {
			res.Curve = append(res.Curve, StateWindow{AtRecords: large.n, RecordsPerSec: float64(large.n-windowStart) / window.Seconds()})
			windowStart, window = large.n, 0
		}
		if large.n-lastLog >= step || large.n == cfg.Records {
			elapsed := time.Since(started)
			eta := time.Duration(float64(elapsed) / float64(large.n) * float64(cfg.Records-large.n))
			fmt.Fprintf(log, "  %d/%d results (%d%%), last block %.0f results/s, elapsed %s, eta %s\n",
				large.n, cfg.Records, 100*int64(large.n)/int64(cfg.Records), float64(grown)/d.Seconds(),
				elapsed.Round(time.Second), eta.Round(time.Second))
			lastLog = large.n
		}
		if err := ctx.Err(); err != nil {
			return nil, err
		}
	}
	res.FillSeconds = total.Seconds()
	res.FillRate = float64(large.n) / total.Seconds()
	if res.DiskBytes, err = dirBytes(large.dir); err != nil {
		return nil, err
	}
	res.BytesPerRecord = float64(res.DiskBytes) / float64(large.n)
	res.Versions = large.height

	// Logical bytes of one result: its two keys and values.
	{
		v, _, _, err := large.app.Get(0, registry.ResultKey(1), false)
		if err != nil {
			return nil, err
		}
		res.LogicalPerRecord = float64(len(registry.ResultKey(1)) + len(v) + len(registry.ResultHashKey(large.docHash(1))) + 8)
	}

	// Alternating probes: a fresh small state, then the large one, for
	// each kind of block.
	res.Probes = []StateProbe{
		{Kind: "one signed record per tx", Records: cfg.SingleTxs, PerTx: 1},
		{Kind: "bulk issuance", Records: cfg.BlockRecords, PerTx: bulkPerTx},
	}
	fmt.Fprintf(log, "probing: %d rounds at %d and at %d results...\n", cfg.Rounds, cfg.Small, cfg.Records)
	var small *stateBench
	for r := range cfg.Rounds {
		if small != nil {
			small.app.Close()
			os.RemoveAll(small.dir)
		}
		small, err = openStateBench(filepath.Join(cfg.Dir, fmt.Sprintf("small-%d", r)), cfg.CacheSize, byte('a'+r))
		if err != nil {
			return nil, err
		}
		if _, err := small.grow(ctx, cfg.Small, cfg.BlockRecords); err != nil {
			return nil, err
		}
		for k := range res.Probes {
			p := &res.Probes[k]
			for _, s := range []*stateBench{small, large} {
				txs, err := s.nextTxs(p.Records, p.PerTx)
				if err != nil {
					return nil, err
				}
				d, err := s.block(ctx, txs, p.Records)
				if err != nil {
					return nil, err
				}
				rate := float64(p.Records) / d.Seconds()
				if s == small {
					p.SmallRates = append(p.SmallRates, rate)
				} else {
					p.LargeRates = append(p.LargeRates, rate)
				}
			}
			fmt.Fprintf(log, "  round %d, %s: %.0f results/s small, %.0f large\n", r+1, p.Kind, p.SmallRates[r], p.LargeRates[r])
		}
	}
	for k := range res.Probes {
		p := &res.Probes[k]
		p.SmallRate, p.LargeRate = median(p.SmallRates), median(p.LargeRates)
		p.Ratio = p.LargeRate / p.SmallRate
	}

	fmt.Fprintf(log, "timing %d proven lookups on each state...\n", cfg.Queries)
	if res.QuerySmall, err = small.lookups(cfg.Queries); err != nil {
		return nil, err
	}
	small.app.Close()
	os.RemoveAll(small.dir)
	if res.QueryLarge, err = large.lookups(cfg.Queries); err != nil {
		return nil, err
	}
	return res, nil
}

// DefaultCacheSize is a node's default IAVL node cache (app.toml
// iavl_cache_size), the size the state benchmark measures by default.
func DefaultCacheSize() int { return app.DefaultOptions("", "").CacheSize }
