package registry

import (
	"bytes"
	"sort"
)

// Store is the key-value state the rules read and write. Iterate visits
// keys in ascending byte order in [start, end) (end nil = no upper bound)
// until fn returns stop=true or an error.
type Store interface {
	Get(key []byte) ([]byte, error)
	Set(key, value []byte) error
	Delete(key []byte) error
	Iterate(start, end []byte, fn func(key, value []byte) (stop bool, err error)) error
}

// PrefixEnd returns the smallest key greater than every key with prefix p.
func PrefixEnd(p []byte) []byte {
	end := bytes.Clone(p)
	for i := len(end) - 1; i >= 0; i-- {
		if end[i] < 0xff {
			end[i]++
			return end[:i+1]
		}
	}
	return nil
}

// MemStore is an in-memory Store for tests and tools.
type MemStore struct {
	m map[string][]byte
}

// NewMemStore returns an empty MemStore.
func NewMemStore() *MemStore { return &MemStore{m: map[string][]byte{}} }

// Get implements Store.
func (s *MemStore) Get(key []byte) ([]byte, error) {
	v, ok := s.m[string(key)]
	if !ok {
		return nil, nil
	}
	return bytes.Clone(v), nil
}

// Set implements Store.
func (s *MemStore) Set(key, value []byte) error {
	s.m[string(key)] = bytes.Clone(value)
	return nil
}

// Delete implements Store.
func (s *MemStore) Delete(key []byte) error {
	delete(s.m, string(key))
	return nil
}

// Iterate implements Store.
func (s *MemStore) Iterate(start, end []byte, fn func(k, v []byte) (bool, error)) error {
	keys := make([]string, 0, len(s.m))
	for k := range s.m {
		if k >= string(start) && (end == nil || k < string(end)) {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	for _, k := range keys {
		stop, err := fn([]byte(k), s.m[k])
		if err != nil || stop {
			return err
		}
	}
	return nil
}

// Len returns the number of keys.
func (s *MemStore) Len() int { return len(s.m) }
