package keyring

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"runtime"
)

// read loads and parses the file of key name. A missing file is
// ErrNotFound; anything but a regular file, an oversized or unparsable
// file, or a file whose "name" differs from its file name is ErrCorrupt.
func (k *Keyring) read(name string) (*key, error) {
	if err := CheckName(name); err != nil {
		return nil, err
	}
	path := k.path(name)
	fi, err := os.Lstat(path)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("%w: %q", ErrNotFound, name)
		}
		return nil, fmt.Errorf("keyring: %w", err)
	}
	if !fi.Mode().IsRegular() {
		return nil, corrupt("key %q: %s is not a regular file", name, path)
	}
	f, err := os.Open(path)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("%w: %q", ErrNotFound, name)
		}
		return nil, fmt.Errorf("keyring: %w", err)
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, maxFileSize+1))
	if err != nil {
		return nil, fmt.Errorf("keyring: reading %s: %w", path, err)
	}
	defer clear(data)
	key, err := parseKeyFile(data)
	if err != nil {
		return nil, fmt.Errorf("%w (file %s)", err, path)
	}
	if key.name != name {
		return nil, corrupt("key %q: file holds key %q", name, key.name)
	}
	return key, nil
}

// writeNew atomically creates the file of key name with data, mode 0600.
// It never replaces an existing file: it fails with ErrExists instead.
//
// The data goes to a temporary file in the same directory, which is
// fsynced and then hard-linked to its final name (link(2) fails if the name
// exists, even against another process). Where hard links are not
// supported it falls back to check-then-rename, serialised within this
// process. The directory is fsynced last.
func (k *Keyring) writeNew(name string, data []byte) error {
	final := k.path(name)
	// The leading dot keeps temporary files out of the key name space.
	f, err := os.CreateTemp(k.dir, ".tmp-"+name+"-*")
	if err != nil {
		return fmt.Errorf("keyring: %w", err)
	}
	tmp := f.Name()
	defer os.Remove(tmp) // after link or rename this only drops the temporary name
	if err := writeSync(f, data); err != nil {
		return err
	}

	k.mu.Lock()
	defer k.mu.Unlock()
	lerr := os.Link(tmp, final)
	switch {
	case lerr == nil:
	case errors.Is(lerr, fs.ErrExist):
		return fmt.Errorf("%w: %q", ErrExists, name)
	default:
		if _, err := os.Lstat(final); err == nil {
			return fmt.Errorf("%w: %q", ErrExists, name)
		} else if !errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("keyring: %w", err)
		}
		if err := os.Rename(tmp, final); err != nil {
			return fmt.Errorf("keyring: %w", err)
		}
	}
	return syncDir(k.dir)
}

func writeSync(f *os.File, data []byte) error {
	err := f.Chmod(0o600) // whatever the umask
	if err == nil {
		_, err = f.Write(data)
	}
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("keyring: writing %s: %w", f.Name(), err)
	}
	return nil
}

// syncDir makes a create, rename or remove in dir durable.
func syncDir(dir string) error {
	if runtime.GOOS == "windows" {
		return nil // directories cannot be fsynced there
	}
	d, err := os.Open(dir)
	if err != nil {
		return fmt.Errorf("keyring: %w", err)
	}
	err = d.Sync()
	if cerr := d.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("keyring: syncing %s: %w", dir, err)
	}
	return nil
}
