package main

import (
	"bytes"
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A proposal that was not accepted leaves no --new-key key behind.
func TestRefusedProposalDeletesNewKey(t *testing.T) {
	home := t.TempDir()
	run := func(args ...string) (string, error) {
		root := newRootCmd()
		var stderr bytes.Buffer
		root.SetArgs(append(args, "--home", home, "--keyring-backend", "test"))
		root.SetOut(new(bytes.Buffer))
		root.SetErr(&stderr)
		err := root.ExecuteContext(context.Background())
		return stderr.String(), err
	}
	_, err := run("keys", "add", "council1")
	require.NoError(t, err)
	stderr, err := run("gov", "propose", "add-agency", "--id", "ubnd-phuong-an-hai", "--name", "UBND phường An Hải",
		"--roles", "result.issuer", "--new-key", "anhai", "--from", "council1", "--node", "http://127.0.0.1:1")
	require.Error(t, err)
	assert.Contains(t, stderr, `Deleted the new key "anhai"`)
	kr, err := (&globals{home: home, keyringBackend: "test"}).keyring()
	require.NoError(t, err)
	_, err = kr.Show("anhai")
	assert.Error(t, err, "the key of a refused proposal is gone")
	_, err = kr.Show("council1")
	assert.NoError(t, err)
}
