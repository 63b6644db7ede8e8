package registry

// resultMsgs lists the administrative-result messages (types 10-19).
func resultMsgs() []msgKind { return nil }
