package epcis

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// People read these messages: no Go type names, and XML gets advice.
func TestParseErrorsAreReadable(t *testing.T) {
	for _, tc := range []struct {
		name, doc, want string
	}{
		{"top-level list", `[]`, "must be an object, not array"},
		{"xml", "<?xml version=\"1.0\"?><epcis:EPCISDocument/>", "root element must be epcis:EPCISDocument in urn:epcglobal:epcis:xsd:2"},
		{"syntax", `{"type": "EPCISDocument",}`, "not valid JSON near byte"},
		{"wrong field type", `{"type": 7}`, "field type must be text, not number"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Parse([]byte(tc.doc))
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.want)
			assert.NotContains(t, err.Error(), "Go value")
			assert.NotContains(t, err.Error(), "struct {")
		})
	}
}
