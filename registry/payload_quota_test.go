package registry

import (
	"bytes"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Uploads need payload.publisher and fit a per-agency budget per period;
// the council overrides an agency's budget.
func TestPayloadQuota(t *testing.T) {
	g := testGenesis()
	g.Params.PayloadQuotaBytes, g.Params.PayloadQuotaPeriod = 1000, 100
	c := newChainWith(t, g)
	block := func(fill byte, n int) *MsgPayloadBlocks {
		return &MsgPayloadBlocks{Blocks: []PayloadBlock{{Codec: CodecRaw, Data: bytes.Repeat([]byte{fill}, n)}}}
	}

	// The role: an agency without payload.publisher cannot upload or publish.
	noRole := testKeyAgency(t, c, "so-cong-thuong")
	_, err := c.deliver(noRole, block('a', 10))
	requireErrIs(t, err, ErrUnauthorized)
	assert.Contains(t, err.Error(), RolePayloadPublisher)
	_, err = c.deliver(noRole, &MsgPublishPayload{CID: FormatPayloadCID(block('a', 10).Blocks[0].CID())})
	requireErrIs(t, err, ErrUnauthorized)

	// The budget: 1000 bytes per 100 blocks, counted per tx (a block sent
	// again costs every validator its bytes again).
	c.mustDeliver(haiChau, block('a', 600))
	c.mustDeliver(haiChau2, block('a', 300)) // the same agency's other key shares the budget
	_, err = c.deliver(haiChau, block('b', 200))
	requireErrIs(t, err, ErrOversize)
	assert.Contains(t, err.Error(), "900 bytes uploaded of 1000 this period, 100 remaining, this upload is 200")
	assert.False(t, c.has(PayloadBlockKey(block('b', 200).Blocks[0].CID())), "nothing written")
	c.mustDeliver(tuPhapKey, block('b', 200)) // another agency's budget is its own
	q, err := c.state().PayloadQuotaAt("ubnd-hai-chau", uint64(c.height))
	require.NoError(t, err)
	assert.Equal(t, uint64(900), q.Used)
	assert.Equal(t, uint64(100), q.Remaining())

	// The next period starts afresh.
	c.advanceTo(q.ResetsAt)
	c.mustDeliver(haiChau, block('b', 200))

	// The council raises one agency's budget.
	c.pass(&SetPayloadQuota{ID: "ubnd-hai-chau", Bytes: 5000})
	c.mustDeliver(haiChau, block('c', 1500))
	q, err = c.state().PayloadQuotaAt("ubnd-hai-chau", uint64(c.height))
	require.NoError(t, err)
	assert.True(t, q.Overridden)
	assert.Equal(t, uint64(5000), q.Bytes)
	_, err = c.deliver(council1, &MsgPropose{Action: &SetPayloadQuota{ID: "khong-co", Bytes: 1}})
	requireErrIs(t, err, ErrNotFound)
}

func TestSetPayloadQuotaValidate(t *testing.T) {
	require.NoError(t, (&SetPayloadQuota{ID: "ubnd-hai-chau", Bytes: 0}).ValidateBasic(), "zero: the agency may upload nothing")
	requireErrIs(t, (&SetPayloadQuota{ID: "UBND", Bytes: 1}).ValidateBasic(), ErrInvalid)
	requireErrIs(t, (&SetPayloadQuota{ID: "ubnd-hai-chau", Bytes: 1 << 51}).ValidateBasic(), ErrInvalid)
}
