package main

import (
	"bytes"
	"encoding/csv"
	"image/jpeg"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/danangchain/danangchain/client/epcis"
)

// TestDemoFiles checks the sample inputs the docs use: real PDFs and JPEG,
// a bulk CSV, and an EPCIS document with only the bizSteps the demo
// authorises the slaughterhouse for; a file already there is kept.
func TestDemoFiles(t *testing.T) {
	home := t.TempDir()
	kept := filepath.Join(home, "hd.pdf")
	require.NoError(t, os.WriteFile(kept, []byte("mine"), 0o644))
	manifest := map[string]any{}
	require.NoError(t, seedDemoFiles(t.Context(), &globals{home: home}, nil, nil, &bytes.Buffer{}, manifest))
	files := manifest["files"].(map[string]string)
	require.Len(t, files, len(demoFiles))
	read := func(name string) []byte {
		b, err := os.ReadFile(files[name])
		require.NoError(t, err, name)
		return b
	}
	require.Equal(t, "mine", string(read("hd.pdf")))
	for _, name := range []string{"giay-phep.pdf", "quyet-dinh.pdf", "ho-so.pdf"} {
		b := read(name)
		require.True(t, bytes.HasPrefix(b, []byte("%PDF-1.4\n")) && bytes.HasSuffix(b, []byte("%%EOF\n")), name)
		// startxref points at the cross-reference table.
		xref := bytes.Index(b, []byte("\nxref\n0 ")) + 1
		require.Contains(t, string(b[bytes.LastIndex(b, []byte("startxref\n")):]), "\n"+strconv.Itoa(xref)+"\n", name)
	}
	img, err := jpeg.Decode(bytes.NewReader(read("tuong.jpg")))
	require.NoError(t, err)
	require.Equal(t, 160, img.Bounds().Dx())
	rows, err := csv.NewReader(bytes.NewReader(read("luu-tru.csv"))).ReadAll()
	require.NoError(t, err)
	require.Equal(t, []string{"sha256", "dossier", "title"}, rows[0])
	require.Len(t, rows, 4)
	doc, err := epcis.Parse(read("lo-mo.jsonld"))
	require.NoError(t, err)
	require.Len(t, doc.Events, 3)
	require.Empty(t, doc.Warnings)
	allowed := map[string]bool{}
	for _, s := range demoSteps {
		if s.key == "slaughterhouse" {
			for _, step := range s.steps {
				allowed[step] = true
			}
		}
	}
	for _, ev := range doc.Events {
		require.NoError(t, ev.Item.Event.Validate())
		require.Empty(t, ev.Warnings)
		require.True(t, allowed[ev.Item.Event.BizStep], ev.Item.Event.BizStep)
	}
	// The XML binding of the same lot: the same events, the same hashes.
	x, err := epcis.Parse(read("lo-mo.xml"))
	require.NoError(t, err)
	require.Len(t, x.Events, len(doc.Events))
	for i := range doc.Events {
		require.Equal(t, doc.Events[i].HashID(), x.Events[i].HashID(), "event %d", i)
		require.Empty(t, x.Events[i].Warnings)
	}
}
