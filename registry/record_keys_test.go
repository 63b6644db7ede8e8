package registry

import (
	"bytes"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestRecordKeys(t *testing.T) {
	h := bytes.Repeat([]byte{7}, HashSize)
	issued := EncodeIssued([]IssuedResult{{ID: 5, New: true}, {ID: 9}})
	for _, tc := range []struct {
		name string
		msg  RecordKeyer
		data []byte
		want [][]byte
		err  bool
	}{
		{"anchor", &MsgAnchor{Hash: h}, h, [][]byte{AnchorKey(h)}, false},
		{"anchor root", &MsgAnchorRoot{Root: h}, h, [][]byte{AnchorRootKey(h)}, false},
		{"issue results", &MsgIssueResults{}, issued, [][]byte{ResultKey(5), ResultKey(9)}, false},
		{"supersede", &MsgSupersedeResult{}, EncodeIssued([]IssuedResult{{ID: 12}}), [][]byte{ResultKey(12)}, false},
		{"issue results, bad data", &MsgIssueResults{}, []byte{0xff}, nil, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := tc.msg.RecordKeys(tc.data)
			if tc.err {
				require.Error(t, err)
				return
			}
			require.NoError(t, err)
			require.Equal(t, tc.want, got)
		})
	}
}
