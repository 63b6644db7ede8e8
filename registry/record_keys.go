package registry

// RecordKeyer is implemented by messages whose committed tx writes records
// at state keys that a client can name from the message and the tx's Data
// alone: the keys an SDK proves right after a commit.
type RecordKeyer interface {
	RecordKeys(data []byte) ([][]byte, error)
}

// RecordKeys: the anchor record.
func (m *MsgAnchor) RecordKeys([]byte) ([][]byte, error) { return [][]byte{AnchorKey(m.Hash)}, nil }

// RecordKeys: the Merkle root's record.
func (m *MsgAnchorRoot) RecordKeys([]byte) ([][]byte, error) {
	return [][]byte{AnchorRootKey(m.Root)}, nil
}

// RecordKeys: the record of each issued result, in item order.
func (m *MsgIssueResults) RecordKeys(data []byte) ([][]byte, error) { return issuedKeys(data) }

// RecordKeys: the new result's record.
func (m *MsgSupersedeResult) RecordKeys(data []byte) ([][]byte, error) { return issuedKeys(data) }

func issuedKeys(data []byte) ([][]byte, error) {
	list, err := DecodeIssued(data)
	if err != nil {
		return nil, err
	}
	keys := make([][]byte, len(list))
	for i, r := range list {
		keys[i] = ResultKey(r.ID)
	}
	return keys, nil
}
