package registry

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// An anchor names one agency: the same agency again is a no-op, another
// agency gets a conflict naming the first — never a silent success.
func TestAnchorOnce(t *testing.T) {
	c := newChain(t)
	first := c.mustDeliver(haiChau, anchor("giấy phép 01"))
	assert.True(t, hasEvent(first, "anchor", "new", "true"))

	again := c.mustDeliver(haiChau2, anchor("giấy phép 01"))
	assert.True(t, hasEvent(again, "anchor", "new", "false"), "a second key of the same agency: no-op")

	_, err := c.deliver(tuPhapKey, anchor("giấy phép 01"))
	requireErrIs(t, err, ErrConflict)
	assert.Contains(t, err.Error(), "already anchored by ubnd-hai-chau")

	b, err := c.state().Store().Get(AnchorKey(docHash("giấy phép 01")))
	require.NoError(t, err)
	a, err := DecodeAnchor(b)
	require.NoError(t, err)
	assert.Equal(t, "ubnd-hai-chau", a.Agency, "the first anchor stands")
}
