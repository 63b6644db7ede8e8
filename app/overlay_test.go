package app

import (
	"errors"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/danangchain/danangchain/registry"
)

// recordingStore wraps a MemStore and records the writes it receives.
type recordingStore struct {
	*registry.MemStore
	ops []string
}

func (r *recordingStore) Set(k, v []byte) error {
	r.ops = append(r.ops, "set "+string(k)+"="+string(v))
	return r.MemStore.Set(k, v)
}

func (r *recordingStore) Delete(k []byte) error {
	r.ops = append(r.ops, "del "+string(k))
	return r.MemStore.Delete(k)
}

func memWith(t *testing.T, kvs ...string) *registry.MemStore {
	t.Helper()
	s := registry.NewMemStore()
	for i := 0; i+1 < len(kvs); i += 2 {
		require.NoError(t, s.Set([]byte(kvs[i]), []byte(kvs[i+1])))
	}
	return s
}

// collect iterates s over [start, end) and returns "k=v" pairs; it stops
// after limit entries when limit > 0.
func collect(t *testing.T, s registry.Store, start, end []byte, limit int) []string {
	t.Helper()
	var out []string
	require.NoError(t, s.Iterate(start, end, func(k, v []byte) (bool, error) {
		out = append(out, string(k)+"="+string(v))
		return limit > 0 && len(out) >= limit, nil
	}))
	return out
}

func TestOverlayGetSetDelete(t *testing.T) {
	parent := memWith(t, "a", "1", "b", "2")
	o := newOverlay(parent)

	v, err := o.Get([]byte("a"))
	require.NoError(t, err)
	require.Equal(t, []byte("1"), v, "unbuffered key reads through to the parent")

	require.NoError(t, o.Set([]byte("a"), []byte("10")))
	v, err = o.Get([]byte("a"))
	require.NoError(t, err)
	require.Equal(t, []byte("10"), v, "buffered write shadows the parent")

	require.NoError(t, o.Delete([]byte("b")))
	v, err = o.Get([]byte("b"))
	require.NoError(t, err)
	require.Nil(t, v, "buffered delete hides the parent value")

	// Deleting then setting again resurrects the key.
	require.NoError(t, o.Set([]byte("b"), []byte("20")))
	v, err = o.Get([]byte("b"))
	require.NoError(t, err)
	require.Equal(t, []byte("20"), v)

	// An empty value is a present key, distinct from a deleted one.
	require.NoError(t, o.Set([]byte("e"), nil))
	v, err = o.Get([]byte("e"))
	require.NoError(t, err)
	require.NotNil(t, v)
	require.Empty(t, v)

	// The overlay copies values in and out: callers cannot alias its buffer.
	in := []byte("xyz")
	require.NoError(t, o.Set([]byte("c"), in))
	in[0] = 'Q'
	got, _ := o.Get([]byte("c"))
	require.Equal(t, []byte("xyz"), got)
	got[0] = 'Q'
	got, _ = o.Get([]byte("c"))
	require.Equal(t, []byte("xyz"), got)

	// Nothing reached the parent before Write.
	pv, _ := parent.Get([]byte("a"))
	require.Equal(t, []byte("1"), pv)
	pv, _ = parent.Get([]byte("b"))
	require.Equal(t, []byte("2"), pv)
	pv, _ = parent.Get([]byte("c"))
	require.Nil(t, pv)
}

func TestOverlayIterateMerge(t *testing.T) {
	parent := memWith(t, "b", "pb", "d", "pd", "f", "pf", "h", "ph")
	o := newOverlay(parent)
	require.NoError(t, o.Set([]byte("a"), []byte("oa")))  // before every parent key
	require.NoError(t, o.Set([]byte("c"), []byte("oc")))  // between parent keys
	require.NoError(t, o.Set([]byte("d"), []byte("od")))  // shadows a parent key
	require.NoError(t, o.Delete([]byte("f")))             // hides a parent key
	require.NoError(t, o.Delete([]byte("g")))             // deletes an absent key
	require.NoError(t, o.Set([]byte("i"), []byte("oi")))  // after every parent key
	require.NoError(t, o.Set([]byte("j"), []byte("oj")))  // after every parent key
	require.NoError(t, o.Set([]byte("ee"), []byte("oe"))) // between, longer key

	all := []string{"a=oa", "b=pb", "c=oc", "d=od", "ee=oe", "h=ph", "i=oi", "j=oj"}
	require.Equal(t, all, collect(t, o, nil, nil, 0))

	// Bounds apply to both sources; end is exclusive.
	require.Equal(t, []string{"c=oc", "d=od", "ee=oe"}, collect(t, o, []byte("c"), []byte("f"), 0))
	require.Equal(t, []string{"d=od", "ee=oe", "h=ph", "i=oi"}, collect(t, o, []byte("d"), []byte("j"), 0))
	require.Equal(t, []string{"i=oi", "j=oj"}, collect(t, o, []byte("i"), nil, 0))
	require.Empty(t, collect(t, o, []byte("f"), []byte("h"), 0), "only a deleted key in range")

	// A nested overlay merges with its parent overlay in the same way.
	o2 := newOverlay(o)
	require.NoError(t, o2.Delete([]byte("a")))
	require.NoError(t, o2.Set([]byte("f"), []byte("o2f")))
	require.NoError(t, o2.Delete([]byte("h")))
	require.Equal(t, []string{"b=pb", "c=oc", "d=od", "ee=oe", "f=o2f", "i=oi", "j=oj"}, collect(t, o2, nil, nil, 0))

	// An overlay over an empty parent is just its sorted writes.
	o3 := newOverlay(registry.NewMemStore())
	for _, k := range []string{"z", "m", "a"} {
		require.NoError(t, o3.Set([]byte(k), []byte(k)))
	}
	require.Equal(t, []string{"a=a", "m=m", "z=z"}, collect(t, o3, nil, nil, 0))
}

func TestOverlayIterateStopsEarly(t *testing.T) {
	parent := memWith(t, "b", "pb", "d", "pd")
	o := newOverlay(parent)
	require.NoError(t, o.Set([]byte("a"), []byte("oa")))
	require.NoError(t, o.Set([]byte("c"), []byte("oc")))
	require.NoError(t, o.Set([]byte("e"), []byte("oe"))) // after the parent's last key
	require.NoError(t, o.Set([]byte("f"), []byte("of")))
	all := []string{"a=oa", "b=pb", "c=oc", "d=pd", "e=oe", "f=of"}
	require.Equal(t, all, collect(t, o, nil, nil, 0))

	// Stopping at every position must stop everything, including the
	// buffered keys that come after the parent's keys.
	for n := 1; n <= len(all); n++ {
		require.Equal(t, all[:n], collect(t, o, nil, nil, n), "stop after %d", n)
	}

	// An error stops iteration and is returned as is.
	boom := errors.New("boom")
	for n := 1; n <= len(all); n++ {
		calls := 0
		err := o.Iterate(nil, nil, func(_, _ []byte) (bool, error) {
			calls++
			if calls == n {
				return false, boom
			}
			return false, nil
		})
		require.ErrorIs(t, err, boom)
		require.Equal(t, n, calls, "error at call %d", n)
	}
}

func TestOverlayWriteSorted(t *testing.T) {
	parent := &recordingStore{MemStore: memWith(t, "b", "pb", "d", "pd")}
	o := newOverlay(parent)
	require.NoError(t, o.Set([]byte("z"), []byte("1")))
	require.NoError(t, o.Delete([]byte("b")))
	require.NoError(t, o.Set([]byte("a"), []byte("2")))
	require.NoError(t, o.Set([]byte("d"), []byte("3")))
	require.NoError(t, o.Set([]byte("m"), []byte("4")))
	require.NoError(t, o.Delete([]byte("m"))) // last write wins: a delete
	require.NoError(t, o.Set([]byte("c"), []byte("5")))
	require.NoError(t, o.Set([]byte("c"), []byte("6"))) // last write wins: 6
	require.Empty(t, parent.ops)

	require.NoError(t, o.Write())
	require.Equal(t, []string{"set a=2", "del b", "set c=6", "set d=3", "del m", "set z=1"}, parent.ops)
	require.Equal(t, []string{"a=2", "c=6", "d=3", "z=1"}, collect(t, parent, nil, nil, 0))

	// Write clears the buffer: reads go to the parent, a second Write is a no-op.
	parent.ops = nil
	require.NoError(t, o.Write())
	require.Empty(t, parent.ops)
	require.NoError(t, parent.Set([]byte("a"), []byte("new")))
	v, err := o.Get([]byte("a"))
	require.NoError(t, err)
	require.Equal(t, []byte("new"), v)
}

// The write order must not depend on the insertion order (Go map order is
// random): two overlays with the same writes in different orders flush the
// same sequence.
func TestOverlayWriteOrderIndependent(t *testing.T) {
	keys := []string{"k07", "k03", "k09", "k01", "k05", "k02", "k08", "k04", "k06", "k00"}
	var want []string
	for round := 0; round < 5; round++ {
		parent := &recordingStore{MemStore: registry.NewMemStore()}
		o := newOverlay(parent)
		for i := range keys {
			k := keys[(i+round*3)%len(keys)]
			require.NoError(t, o.Set([]byte(k), []byte("v")))
		}
		require.NoError(t, o.Write())
		if want == nil {
			want = parent.ops
			continue
		}
		require.Equal(t, want, parent.ops)
	}
	require.Equal(t, "set k00=v", want[0])
	require.Equal(t, "set k09=v", want[len(want)-1])
}
