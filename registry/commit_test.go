package registry

import (
	"bytes"
	"testing"

	"github.com/stretchr/testify/assert"
	"golang.org/x/text/unicode/norm"
)

// cheap keeps the table fast; the defaults are exercised once and benched.
var cheap = Params{CommitTime: 1, CommitMemoryKiB: 8 << 10}

func TestCommit(t *testing.T) {
	salt := bytes.Repeat([]byte{7}, CommitSaltSize)
	id := "048099001234"
	c := Commit(CommitHolder, salt, id, cheap)
	assert.Len(t, c, HashSize)
	for _, tc := range []struct {
		name string
		got  []byte
		same bool
	}{
		{"deterministic", Commit(CommitHolder, salt, id, cheap), true},
		{"spaces trimmed", Commit(CommitHolder, salt, "  "+id+"\n", cheap), true},
		{"another kind (domain separation)", Commit(CommitOwner, salt, id, cheap), false},
		{"a party", Commit(CommitParty, salt, id, cheap), false},
		{"another salt", Commit(CommitHolder, bytes.Repeat([]byte{8}, CommitSaltSize), id, cheap), false},
		{"another id", Commit(CommitHolder, salt, "048099001235", cheap), false},
		{"another cost", Commit(CommitHolder, salt, id, Params{CommitTime: 2, CommitMemoryKiB: 8 << 10}), false},
		{"version 1", HolderCommitment(salt, id), false},
	} {
		assert.Equal(t, tc.same, bytes.Equal(c, tc.got), tc.name)
	}
	assert.Equal(t, Commit(CommitParty, salt, "Nguyễn Văn A", cheap), Commit(CommitParty, salt, norm.NFD.String("Nguyễn Văn A"), cheap), "NFC")

	// Records of both versions verify.
	assert.Equal(t, 2, MatchCommitment(c, CommitHolder, salt, id, cheap))
	assert.Equal(t, 1, MatchCommitment(HolderCommitment(salt, id), CommitHolder, salt, id, cheap))
	assert.Equal(t, 1, MatchCommitment(PartyCommitment(salt, id), CommitParty, salt, id, cheap))
	assert.Equal(t, 0, MatchCommitment(c, CommitOwner, salt, id, cheap), "a holder's commitment is not an owner's")
	assert.Equal(t, 0, MatchCommitment(c, CommitHolder, salt, "048099001235", cheap))

	// Zero parameters (a genesis that predates them) mean the defaults.
	assert.Equal(t, Commit(CommitHolder, salt, id, DefaultParams()), Commit(CommitHolder, salt, id, Params{}))
}

func TestCommitParamsValidate(t *testing.T) {
	p := DefaultParams()
	assert.NoError(t, p.Validate())
	for _, bad := range []Params{{CommitTime: 0, CommitMemoryKiB: 65536}, {CommitTime: 3, CommitMemoryKiB: 1024}, {CommitTime: 17, CommitMemoryKiB: 65536}} {
		q := DefaultParams()
		q.CommitTime, q.CommitMemoryKiB = bad.CommitTime, bad.CommitMemoryKiB
		requireErrIs(t, q.Validate(), ErrInvalid)
	}
}

// BenchmarkCommit measures one commitment at the default cost (what an
// attacker pays per candidate identifier) beside version 1 (SHA-256).
func BenchmarkCommit(b *testing.B) {
	salt := bytes.Repeat([]byte{7}, CommitSaltSize)
	b.Run("v2-argon2id-3x64MiB", func(b *testing.B) {
		p := DefaultParams()
		for i := 0; i < b.N; i++ {
			Commit(CommitHolder, salt, "048099001234", p)
		}
	})
	b.Run("v1-sha256", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			HolderCommitment(salt, "048099001234")
		}
	})
}
