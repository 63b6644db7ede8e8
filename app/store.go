package app

import (
	"bytes"
	"errors"
	"sort"

	corestore "cosmossdk.io/core/store"
	"github.com/cosmos/iavl"

	"github.com/danangchain/danangchain/registry"
)

// iterable is what both IAVL tree kinds offer for iteration.
type iterable interface {
	Get(key []byte) ([]byte, error)
	Iterator(start, end []byte, ascending bool) (corestore.Iterator, error)
}

func iterate(t iterable, start, end []byte, fn func(k, v []byte) (bool, error)) error {
	it, err := t.Iterator(start, end, true)
	if err != nil {
		return err
	}
	defer it.Close()
	for ; it.Valid(); it.Next() {
		stop, err := fn(it.Key(), it.Value())
		if err != nil || stop {
			return err
		}
	}
	return it.Error()
}

// treeStore adapts the working IAVL tree to registry.Store.
type treeStore struct{ t *iavl.MutableTree }

var _ registry.Store = treeStore{}

func (s treeStore) Get(k []byte) ([]byte, error) { return s.t.Get(k) }
func (s treeStore) Set(k, v []byte) error {
	_, err := s.t.Set(k, v)
	return err
}
func (s treeStore) Delete(k []byte) error {
	_, _, err := s.t.Remove(k)
	return err
}
func (s treeStore) Iterate(start, end []byte, fn func(k, v []byte) (bool, error)) error {
	return iterate(s.t, start, end, fn)
}

// errReadOnly is returned by writes to a committed version.
var errReadOnly = errors.New("read-only store")

// readStore adapts an immutable IAVL version to registry.Store.
type readStore struct{ t *iavl.ImmutableTree }

var _ registry.Store = readStore{}

func (s readStore) Get(k []byte) ([]byte, error) { return s.t.Get(k) }
func (s readStore) Set(_, _ []byte) error        { return errReadOnly }
func (s readStore) Delete(_ []byte) error        { return errReadOnly }
func (s readStore) Iterate(start, end []byte, fn func(k, v []byte) (bool, error)) error {
	return iterate(s.t, start, end, fn)
}

// overlay buffers writes over a parent store. Write flushes them to the
// parent in ascending key order, so the tree sees the same sequence of
// operations on every node.
type overlay struct {
	parent registry.Store
	writes map[string]*[]byte // nil pointer = deleted
}

var _ registry.Store = (*overlay)(nil)

func newOverlay(parent registry.Store) *overlay {
	return &overlay{parent: parent, writes: map[string]*[]byte{}}
}

func (o *overlay) Get(k []byte) ([]byte, error) {
	if v, ok := o.writes[string(k)]; ok {
		if v == nil {
			return nil, nil
		}
		return bytes.Clone(*v), nil
	}
	return o.parent.Get(k)
}

func (o *overlay) Set(k, v []byte) error {
	if v == nil {
		v = []byte{}
	}
	c := bytes.Clone(v)
	o.writes[string(k)] = &c
	return nil
}

func (o *overlay) Delete(k []byte) error {
	o.writes[string(k)] = nil
	return nil
}

func (o *overlay) sortedKeys(start, end []byte) []string {
	keys := make([]string, 0, len(o.writes))
	for k := range o.writes {
		if k >= string(start) && (end == nil || k < string(end)) {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	return keys
}

// Iterate merges the parent's keys with the buffered writes.
func (o *overlay) Iterate(start, end []byte, fn func(k, v []byte) (bool, error)) error {
	mine := o.sortedKeys(start, end)
	i := 0
	stopped := false
	call := func(k, v []byte) (bool, error) {
		stop, err := fn(k, v)
		if stop || err != nil {
			stopped = true
			return true, err
		}
		return false, nil
	}
	// emit buffered keys below upto (or equal to it when inclusive).
	emit := func(upto string, bounded, inclusive bool) (bool, error) {
		for i < len(mine) && (!bounded || mine[i] < upto || (inclusive && mine[i] == upto)) {
			k := mine[i]
			i++
			if v := o.writes[k]; v != nil {
				if stop, err := call([]byte(k), *v); stop {
					return true, err
				}
			}
		}
		return false, nil
	}
	err := o.parent.Iterate(start, end, func(k, v []byte) (bool, error) {
		_, shadowed := o.writes[string(k)]
		if stop, err := emit(string(k), true, shadowed); stop {
			return true, err
		}
		if shadowed {
			return false, nil
		}
		return call(k, v)
	})
	if err != nil || stopped {
		return err
	}
	_, err = emit("", false, false)
	return err
}

// Write flushes buffered writes to the parent in key order and clears them.
func (o *overlay) Write() error {
	for _, k := range o.sortedKeys(nil, nil) {
		v := o.writes[k]
		var err error
		if v == nil {
			err = o.parent.Delete([]byte(k))
		} else {
			err = o.parent.Set([]byte(k), *v)
		}
		if err != nil {
			return err
		}
	}
	o.writes = map[string]*[]byte{}
	return nil
}
