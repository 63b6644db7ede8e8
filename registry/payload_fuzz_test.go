package registry

import (
	"bytes"
	"testing"
)

// payloadSampleMsgs returns valid messages of every payload type.
func payloadSampleMsgs() []Msg {
	p := newTestPayload("fuzz")
	return []Msg{
		&MsgPayloadBlocks{Blocks: p.blocks()},
		&MsgPayloadBlocks{Blocks: []PayloadBlock{{Codec: CodecRaw, Data: []byte{}}}},
		&MsgPublishPayload{CID: p.cid(), Encrypted: true},
		&MsgPublishPayload{CID: FormatPayloadCID(p.leaves[0].CID())},
		&MsgReleasePayload{CID: p.cid(), Reason: "Chủ thể dữ liệu yêu cầu xóa"},
	}
}

// payloadSampleRecords returns canonical bytes of the payload state values.
func payloadSampleRecords() [][]byte {
	p := newTestPayload("fuzz")
	k := testKey("ubnd")
	return [][]byte{
		encode((&PayloadRecord{CID: p.cid(), Agency: "ubnd-hai-chau", Signer: k.pub, Size: 12, Blocks: 3,
			MediaType: "image/png", Height: 4, Time: 1756800000, Status: PayloadLive, StatusHeight: 4, StatusTime: 1756800000}).Encode),
		encode((&PayloadRecord{CID: p.cid(), Agency: "a", Signer: k.pub, Encrypted: true, Status: PayloadReleased,
			Reason: "Hết hạn"}).Encode),
		encode((&PayloadBlockEntry{Codec: CodecDagPB, Size: 90, Height: 7, Links: p.root.Links}).Encode),
		encode((&PayloadBlockEntry{Codec: CodecRaw, Size: 262144, Height: 7}).Encode),
	}
}

func FuzzDecodePayloadMsg(f *testing.F) {
	for _, m := range payloadSampleMsgs() {
		body := encode(m.Encode)
		f.Add(uint16(m.Type()), body)
		for _, mut := range mutations(body) {
			f.Add(uint16(m.Type()), mut)
		}
	}
	for _, b := range garbageSeeds() {
		f.Add(uint16(MsgTypePayloadBlocks), b)
	}
	f.Fuzz(func(t *testing.T, typ uint16, body []byte) {
		typ = 50 + typ%3
		m, err := DecodeMsg(MsgType(typ), body)
		if err != nil {
			if !IsDomain(err) {
				t.Fatalf("error without a domain code: %v", err)
			}
			return
		}
		if out := encode(m.Encode); !bytes.Equal(body, out) {
			t.Fatalf("accepted a non-canonical body\n in: %x\nout: %x", body, out)
		}
		if err := m.ValidateBasic(); err != nil && !IsDomain(err) {
			t.Fatalf("ValidateBasic error without a domain code: %v", err)
		}
	})
}

func FuzzDecodePayloadRecord(f *testing.F) {
	addSeeds(f, payloadSampleRecords())
	f.Fuzz(func(t *testing.T, in []byte) {
		checkCanonical(t, in, func(b []byte) ([]byte, error) {
			r, err := DecodePayloadRecord(b)
			if err != nil {
				return nil, err
			}
			_ = r.Status.String()
			return encode(r.Encode), nil
		})
		checkCanonical(t, in, func(b []byte) ([]byte, error) {
			e, err := DecodePayloadBlockEntry(b)
			if err != nil {
				return nil, err
			}
			_ = e.FileSize()
			return encode(e.Encode), nil
		})
	})
}

func FuzzParsePayloadCID(f *testing.F) {
	for _, s := range []string{FormatPayloadCID(BlockCID(CodecRaw, nil)), FormatPayloadCID(BlockCID(CodecDagPB, []byte("x"))),
		"QmT78zSuBmuS4z925WZfrqQ1qHaJ56DQaTfyMUF7F8ff5o", "bafy", "", "b", "../x"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		c, err := ParsePayloadCID(s)
		if err != nil {
			if !IsDomain(err) {
				t.Fatalf("error without a domain code: %v", err)
			}
			return
		}
		if FormatPayloadCID(c) != s {
			t.Fatalf("accepted a non-canonical cid %q", s)
		}
	})
}
