package registry

// notaryMsgs lists the notary messages (types 40-49).
func notaryMsgs() []msgKind { return nil }
