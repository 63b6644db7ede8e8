package registry

// provenanceMsgs lists the provenance messages (types 20-39).
func provenanceMsgs() []msgKind { return nil }
