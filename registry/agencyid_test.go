package registry

import (
	"math/rand/v2"
	"regexp"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestValidAgencyIDMatchesPattern: the hand-written check accepts exactly
// what agencyIDPattern and the month pattern describe.
func TestValidAgencyIDMatchesPattern(t *testing.T) {
	re := regexp.MustCompile(agencyIDPattern)
	month := regexp.MustCompile(`^[0-9]{4}-(0[1-9]|1[0-2])$`)
	for _, s := range []string{"", "a", "ab", "a.", "-a", ".a", "ubnd-phuong-hai-chau", "so-tu-phap.dn", "A1", "a_b", "aé"} {
		require.Equal(t, re.MatchString(s), validAgencyID(s), "%q", s)
	}
	r := rand.New(rand.NewPCG(1, 2))
	alphabet := "az09.-A_é"
	for i := 0; i < 20000; i++ {
		b := make([]byte, r.IntN(70))
		for j := range b {
			b[j] = alphabet[r.IntN(len(alphabet))]
		}
		require.Equal(t, re.MatchString(string(b)), validAgencyID(string(b)), "%q", b)
		m := []byte("2026-01")
		m[r.IntN(7)] = "0123456789-x"[r.IntN(12)]
		require.Equal(t, month.MatchString(string(m)), ValidMonth(string(m)), "%q", m)
	}
}
