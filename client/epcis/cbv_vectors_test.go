package epcis

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/danangchain/danangchain/registry"
)

// TestCBV20ReferenceVectors: every document of the reference
// implementation's CBV 2.0 test set (github.com/RalphTro/epcis-event-hash-
// generator, tests/examples/documents and tests/examples/expected/CBV2.0,
// commits d8d87463 and 084b0034; copied unedited into testdata/cbv20, see
// testdata/cbv20/SOURCES.md) imports, and each event's hash id — and,
// where the vector gives it, its pre-hash string — equals the reference's.
func TestCBV20ReferenceVectors(t *testing.T) {
	docs, err := filepath.Glob("testdata/cbv20/*.[jx][sm][ol]*")
	require.NoError(t, err)
	require.NotEmpty(t, docs)
	for _, path := range docs {
		name := strings.TrimSuffix(filepath.Base(path), filepath.Ext(path))
		t.Run(name, func(t *testing.T) {
			b, err := os.ReadFile(path)
			require.NoError(t, err)
			want := lines(t, "testdata/cbv20/"+name+".hashes")
			pre := lines(t, "testdata/cbv20/"+name+".prehashes")
			doc, err := Parse(b)
			if reason, refused := refusedVectors[name]; refused {
				require.Error(t, err, "refused for a rule of the chain: %s", reason)
				assert.Contains(t, err.Error(), reason)
				return
			}
			require.NoError(t, err)
			require.Len(t, doc.Events, len(want))
			for i, ev := range doc.Events {
				if len(pre) == len(want) {
					if got := ev.Item.Event.PreHash(); got != pre[i] {
						t.Errorf("pre-hash of event %d differs %s", i, firstDiff(pre[i], got))
					}
				}
				assert.Equal(t, want[i], ev.HashID(), "event %d", i)
			}
		})
	}
}

// TestGS1Examples: GS1's published EPCIS 2.0 examples of the five event
// types, JSON-LD and XML (github.com/gs1/EPCIS, JSON/ and XML/, copied
// unedited into testdata/gs1; testdata/gs1/SOURCES.md), import as a
// partner's system would send them, with their CBV 2.0 hashes.
func TestGS1Examples(t *testing.T) {
	files, err := filepath.Glob("testdata/gs1/*.[jx][sm][ol]*")
	require.NoError(t, err)
	types := map[string]bool{}
	hashes := map[string][]string{}
	for _, f := range files {
		b, err := os.ReadFile(f)
		require.NoError(t, err)
		doc, err := Parse(b)
		require.NoError(t, err, f)
		for _, ev := range doc.Events {
			hashes[f] = append(hashes[f], ev.HashID())
			types[ev.Item.Event.Type.String()] = true
			require.NoError(t, ev.Item.Event.Validate(), f)
			assert.Equal(t, uint64(registry.EventHashV2), ev.Item.Event.HashVersion)
			if x := ev.Item.Declaration; x != nil {
				require.NoError(t, x.Validate(), f)
			}
		}
	}
	assert.Len(t, types, 5, "all five event types: %v", types)
	// GS1's JSON-LD and XML "all possible fields" association examples are
	// not the same document (the XML adds persistentDisposition), so their
	// hashes differ; the binding parity is TestXMLAndJSONAgree's.
	assert.NotEqual(t, hashes["testdata/gs1/association_event_all_possible_fields.jsonld"],
		hashes["testdata/gs1/association_event_all_possible_fields.xml"])
}

// TestXMLAndJSONAgree: the reference documents published in both bindings
// give the same events, field for field.
func TestXMLAndJSONAgree(t *testing.T) {
	for _, name := range []string{"ObjectEvent_all_possible_fields", "ReferenceEventHashAlgorithm",
		"TransformationEventWithUserExtensions", "epcisDocWithXMLstartTagAndErrorDeclaration"} {
		js, _ := filepath.Glob("testdata/cbv20/" + name + ".json*")
		require.Len(t, js, 1, name)
		jb, err := os.ReadFile(js[0])
		require.NoError(t, err)
		xb, err := os.ReadFile("testdata/cbv20/" + name + ".xml")
		require.NoError(t, err)
		jd, err := Parse(jb)
		require.NoError(t, err, name)
		xd, err := Parse(xb)
		require.NoError(t, err, name)
		require.Len(t, xd.Events, len(jd.Events), name)
		for i := range jd.Events {
			assert.Equal(t, jd.Events[i].Item.Event.PreHash(), xd.Events[i].Item.Event.PreHash(), "%s event %d", name, i)
			assert.Equal(t, jd.Events[i].HashID(), xd.Events[i].HashID(), "%s event %d", name, i)
		}
	}
}

// refusedVectors are reference documents the chain refuses, with the
// rule (a part of the error message).
var refusedVectors = map[string]string{
	// Events 2 and 3 are sensor readings at a place with an empty epcList:
	// the chain files every event under the objects it names.
	"SensorDataExamples": "an ObjectEvent names at least one EPC or quantity",
}

func lines(t *testing.T, path string) []string {
	t.Helper()
	b, err := os.ReadFile(path)
	if os.IsNotExist(err) {
		return nil
	}
	require.NoError(t, err)
	var out []string
	for _, l := range strings.Split(strings.ReplaceAll(string(b), "\r\n", "\n"), "\n") {
		if l = strings.TrimSpace(l); l != "" {
			out = append(out, l)
		}
	}
	return out
}

var _ = registry.EventHashV2

// firstDiff shows where two long strings first differ.
func firstDiff(want, got string) string {
	i := 0
	for i < len(want) && i < len(got) && want[i] == got[i] {
		i++
	}
	from := max(0, i-60)
	return "at byte " + itoa(i) + ":\n  want …" + want[from:min(len(want), i+80)] + "\n  got  …" + got[from:min(len(got), i+80)]
}

func itoa(i int) string { return strings.TrimSpace(strings.Repeat(" ", 0) + fmtInt(i)) }

func fmtInt(i int) string {
	if i == 0 {
		return "0"
	}
	s := ""
	for ; i > 0; i /= 10 {
		s = string(rune('0'+i%10)) + s
	}
	return s
}
