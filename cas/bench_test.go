package cas

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"testing"
)

// Payload add/get throughput beside the raw primitives, measured in the
// same run (scripts/bench.sh reports the ratios in docs/benchmarks.md):
//
//	Baseline/write  SHA-256 of the file + write it to one new file + fsync
//	                the file and its directory (a durable raw write)
//	Add             Store.Add into a store with fsync on (what a node does):
//	                chunk, hash, build the DAG, re-hash every block on put,
//	                write one file per block, fsync
//	Baseline/read   read the file (streamed) + SHA-256 (page cache warm)
//	Get             Store.Open + read all (every block re-hashed on read)
//
// Every iteration writes new content (the first 8 bytes of each chunk
// carry the iteration number), so content addressing never skips a write.
var benchSizes = []struct {
	name string
	n    int
}{{"1KB", 1 << 10}, {"1MB", 1 << 20}, {"100MB", 100 << 20}}

// stamp makes data unique to iteration i.
func stamp(data []byte, i int) {
	for off := 0; off < len(data); off += ChunkSize {
		var b [8]byte
		binary.BigEndian.PutUint64(b[:], uint64(i)+1)
		copy(data[off:], b[:min(8, len(data)-off)])
	}
}

func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	return d.Sync()
}

func BenchmarkPayload(b *testing.B) {
	ctx := context.Background()
	for _, sz := range benchSizes {
		data := pattern(sz.n)
		b.Run("Baseline/write/"+sz.name, func(b *testing.B) {
			dir := b.TempDir()
			b.SetBytes(int64(sz.n))
			for i := 0; b.Loop(); i++ {
				stamp(data, i)
				sum := sha256.Sum256(data)
				f, err := os.Create(filepath.Join(dir, fmt.Sprintf("%x", sum[:8])))
				if err != nil {
					b.Fatal(err)
				}
				if _, err := f.Write(data); err != nil {
					b.Fatal(err)
				}
				if err := f.Sync(); err != nil {
					b.Fatal(err)
				}
				f.Close()
				if err := syncDir(dir); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run("Add/"+sz.name, func(b *testing.B) {
			st, err := Open(filepath.Join(b.TempDir(), "payloads"), Options{})
			if err != nil {
				b.Fatal(err)
			}
			defer st.Close()
			b.SetBytes(int64(sz.n))
			for i := 0; b.Loop(); i++ {
				stamp(data, i)
				if _, _, err := st.Add(ctx, bytes.NewReader(data)); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run("Baseline/read/"+sz.name, func(b *testing.B) {
			p := filepath.Join(b.TempDir(), "f")
			if err := os.WriteFile(p, data, 0o644); err != nil {
				b.Fatal(err)
			}
			b.SetBytes(int64(sz.n))
			buf := make([]byte, ChunkSize)
			for b.Loop() {
				f, err := os.Open(p)
				if err != nil {
					b.Fatal(err)
				}
				h := sha256.New()
				if _, err := io.CopyBuffer(h, f, buf); err != nil {
					b.Fatal(err)
				}
				f.Close()
				_ = h.Sum(nil)
			}
		})
		b.Run("Get/"+sz.name, func(b *testing.B) {
			st, err := Open(filepath.Join(b.TempDir(), "payloads"), Options{})
			if err != nil {
				b.Fatal(err)
			}
			defer st.Close()
			root, _, err := st.Add(ctx, bytes.NewReader(data))
			if err != nil {
				b.Fatal(err)
			}
			b.SetBytes(int64(sz.n))
			for b.Loop() {
				f, err := st.Open(ctx, root)
				if err != nil {
					b.Fatal(err)
				}
				if _, err := io.Copy(io.Discard, f); err != nil {
					b.Fatal(err)
				}
				f.Close()
			}
		})
	}
}
