package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/danangchain/danangchain/client"
	"github.com/danangchain/danangchain/client/keyring"
)

// demoFiles are the sample inputs the README and docs/*.md use with the
// demo (`anchor .demo/giay-phep.pdf`, `product import-epcis
// .demo/lo-mo.jsonld`, ...): documents an agency, a business or a citizen
// would have on their own machine. They are written into the demo home,
// next to demo.json, so that a new user finds them where the docs say and
// nothing appears in the directory the demo was started from.
var demoFiles = []struct {
	name string
	data func() ([]byte, error)
}{
	// A business licence issued by the demo ward (README: anchor, result issue).
	{"giay-phep.pdf", func() ([]byte, error) {
		return demoPDF("UBND phuong Hai Chau - thanh pho Da Nang",
			"GIAY PHEP KINH DOANH so 01/2026 (demo)",
			"Ho kinh doanh: (du lieu mau / sample data)"), nil
	}},
	// An archive migration: digests of digitised records (result bulk).
	{"luu-tru.csv", func() ([]byte, error) { return demoArchiveCSV(), nil }},
	// The slaughterhouse's EPCIS 2.0 export of one slaughter lot (product import-epcis).
	{"lo-mo.jsonld", func() ([]byte, error) { return []byte(demoLotEPCIS), nil }},
	// The same lot in EPCIS 2.0's XML binding (same events, same hashes).
	{"lo-mo.xml", func() ([]byte, error) { return []byte(demoLotEPCISXML), nil }},
	// A photo of a stone carving (product register --photo).
	{"tuong.jpg", demoJPEG},
	// A public decision, published as a payload (payload add, result issue --cid).
	{"quyet-dinh.pdf", func() ([]byte, error) {
		return demoPDF("UBND thanh pho Da Nang",
			"QUYET DINH so 123/QD-UBND (demo)",
			"Ve viec cong bo danh muc thu tuc hanh chinh"), nil
	}},
	// A dossier holding personal data: encrypted before upload (payload add --encrypt).
	{"ho-so.pdf", func() ([]byte, error) {
		return demoPDF("HO SO (du lieu ca nhan / personal data, demo)",
			"Nguoi nop: Nguyen Van A - CCCD 048099001234"), nil
	}},
	// A sale contract (notary contract).
	{"hd.pdf", func() ([]byte, error) {
		return demoPDF("HOP DONG MUA BAN (demo)",
			"Thua dat so 346, to ban do so 12, phuong 20194"), nil
	}},
}

// seedDemoFiles writes demoFiles into the demo home, each only if absent
// (a file the user changed is kept), and names them in the manifest
// ("files").
func seedDemoFiles(_ context.Context, g *globals, _ *client.Client, _ *keyring.Keyring, out io.Writer, manifest map[string]any) error {
	files := map[string]string{}
	for _, f := range demoFiles {
		path := filepath.Join(g.home, f.name)
		files[f.name] = path
		if _, err := os.Stat(path); err == nil {
			continue
		}
		b, err := f.data()
		if err != nil {
			return fmt.Errorf("demo file %s: %w", f.name, err)
		}
		if err := os.WriteFile(path, b, 0o644); err != nil {
			return err
		}
	}
	fmt.Fprintf(out, "Sample files for the docs' commands / Tệp mẫu: %s/{giay-phep.pdf, luu-tru.csv, lo-mo.jsonld, tuong.jpg, ...}\n", g.home)
	manifest["files"] = files
	return nil
}

// demoPDF is a one-page PDF 1.4 showing lines (ASCII: the standard
// Helvetica font has no Vietnamese letters).
func demoPDF(lines ...string) []byte {
	var text strings.Builder
	text.WriteString("BT /F1 14 Tf 56 780 Td 20 TL\n")
	esc := strings.NewReplacer(`\`, `\\`, `(`, `\(`, `)`, `\)`)
	for _, l := range lines {
		fmt.Fprintf(&text, "(%s) Tj T*\n", esc.Replace(l))
	}
	text.WriteString("ET")
	objects := []string{
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
		"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
		fmt.Sprintf("<< /Length %d >>\nstream\n%s\nendstream", text.Len(), text.String()),
	}
	var b bytes.Buffer
	b.WriteString("%PDF-1.4\n")
	offsets := make([]int, len(objects))
	for i, o := range objects {
		offsets[i] = b.Len()
		fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", i+1, o)
	}
	xref := b.Len()
	fmt.Fprintf(&b, "xref\n0 %d\n0000000000 65535 f \n", len(objects)+1)
	for _, off := range offsets {
		fmt.Fprintf(&b, "%010d 00000 n \n", off)
	}
	fmt.Fprintf(&b, "trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n", len(objects)+1, xref)
	return b.Bytes()
}

// demoArchiveCSV is a `result bulk` file: the SHA-256 of three digitised
// birth certificates with their dossier codes (the scans stay in the archive).
func demoArchiveCSV() []byte {
	var b strings.Builder
	b.WriteString("sha256,dossier,title\n")
	for i := 1; i <= 3; i++ {
		sum := sha256.Sum256(fmt.Appendf(nil, "ban-so-hoa-%04d", i))
		fmt.Fprintf(&b, "%s,HS-%05d,Giấy khai sinh (bản số hóa)\n", hex.EncodeToString(sum[:]), i)
	}
	return []byte(b.String())
}

// demoJPEG draws a small grey carving on a light background.
func demoJPEG() ([]byte, error) {
	const w, h = 160, 120
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			c := color.RGBA{R: 236, G: 232, B: 222, A: 255}
			dx, dy := float64(x-w/2)/28, float64(y-h/2-10)/42
			hx, hy := float64(x-w/2)/14, float64(y-24)/14
			if dx*dx+dy*dy <= 1 || hx*hx+hy*hy <= 1 || (y >= 100 && x >= 40 && x < 120) {
				v := uint8(150 + (x*3+y*2)%40)
				c = color.RGBA{R: v, G: v, B: v - 6, A: 255}
			}
			img.Set(x, y, c)
		}
	}
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: 85}); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// demoLotEPCIS is the slaughterhouse's export of one slaughter lot: a pig
// received from the farm, slaughtered into a carcass, the carcass shipped
// to the processor. Every bizStep is one the demo authorises the
// slaughterhouse for (receiving, slaughtering, shipping).
const demoLotEPCIS = `{
  "@context": ["https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld"],
  "type": "EPCISDocument",
  "schemaVersion": "2.0",
  "creationDate": "2025-10-15T10:40:00.000+07:00",
  "epcisBody": {
    "eventList": [
      {
        "type": "ObjectEvent",
        "eventID": "urn:uuid:5a1e0c3b-7d2f-4b8e-9a60-0a1b2c3d4e21",
        "eventTime": "2025-10-15T08:10:00.000+07:00",
        "eventTimeZoneOffset": "+07:00",
        "epcList": ["urn:vn:tcvn13274:HV-2025-000124"],
        "action": "OBSERVE",
        "bizStep": "receiving",
        "disposition": "in_progress",
        "readPoint": { "id": "urn:epc:id:sgln:8935678.00002.0" },
        "bizLocation": { "id": "urn:epc:id:sgln:8935678.00002.0" },
        "sourceList": [
          { "type": "owning_party", "source": "urn:epc:id:pgln:8935678.00001" }
        ]
      },
      {
        "type": "TransformationEvent",
        "eventID": "urn:uuid:5a1e0c3b-7d2f-4b8e-9a60-0a1b2c3d4e22",
        "eventTime": "2025-10-15T09:05:00.000+07:00",
        "eventTimeZoneOffset": "+07:00",
        "inputEPCList": ["urn:vn:tcvn13274:HV-2025-000124"],
        "outputEPCList": ["urn:epc:id:sgtin:8935678.000012.TT-251015-0002"],
        "bizStep": "slaughtering",
        "disposition": "in_progress",
        "readPoint": { "id": "urn:epc:id:sgln:8935678.00002.0" },
        "bizLocation": { "id": "urn:epc:id:sgln:8935678.00002.0" }
      },
      {
        "type": "ObjectEvent",
        "eventID": "urn:uuid:5a1e0c3b-7d2f-4b8e-9a60-0a1b2c3d4e23",
        "eventTime": "2025-10-15T10:30:00.000+07:00",
        "eventTimeZoneOffset": "+07:00",
        "epcList": ["urn:epc:id:sgtin:8935678.000012.TT-251015-0002"],
        "action": "OBSERVE",
        "bizStep": "shipping",
        "disposition": "in_transit",
        "readPoint": { "id": "urn:epc:id:sgln:8935678.00002.0" },
        "destinationList": [
          { "type": "location", "destination": "urn:epc:id:sgln:8935678.00003.0" }
        ]
      }
    ]
  }
}
`

// demoLotEPCISXML is demoLotEPCIS in the EPCIS 2.0 XML binding: what a
// system that exports XML sends. Its events and hashes are the same.
const demoLotEPCISXML = `<?xml version="1.0" encoding="UTF-8"?>
<epcis:EPCISDocument xmlns:epcis="urn:epcglobal:epcis:xsd:2" schemaVersion="2.0" creationDate="2025-10-15T10:40:00.000+07:00">
  <EPCISBody>
    <EventList>
      <ObjectEvent>
        <eventTime>2025-10-15T08:10:00.000+07:00</eventTime>
        <eventTimeZoneOffset>+07:00</eventTimeZoneOffset>
        <eventID>urn:uuid:5a1e0c3b-7d2f-4b8e-9a60-0a1b2c3d4e21</eventID>
        <epcList><epc>urn:vn:tcvn13274:HV-2025-000124</epc></epcList>
        <action>OBSERVE</action>
        <bizStep>urn:epcglobal:cbv:bizstep:receiving</bizStep>
        <disposition>urn:epcglobal:cbv:disp:in_progress</disposition>
        <readPoint><id>urn:epc:id:sgln:8935678.00002.0</id></readPoint>
        <bizLocation><id>urn:epc:id:sgln:8935678.00002.0</id></bizLocation>
        <sourceList>
          <source type="urn:epcglobal:cbv:sdt:owning_party">urn:epc:id:pgln:8935678.00001</source>
        </sourceList>
      </ObjectEvent>
      <TransformationEvent>
        <eventTime>2025-10-15T09:05:00.000+07:00</eventTime>
        <eventTimeZoneOffset>+07:00</eventTimeZoneOffset>
        <eventID>urn:uuid:5a1e0c3b-7d2f-4b8e-9a60-0a1b2c3d4e22</eventID>
        <inputEPCList><epc>urn:vn:tcvn13274:HV-2025-000124</epc></inputEPCList>
        <outputEPCList><epc>urn:epc:id:sgtin:8935678.000012.TT-251015-0002</epc></outputEPCList>
        <bizStep>urn:epcglobal:cbv:bizstep:slaughtering</bizStep>
        <disposition>urn:epcglobal:cbv:disp:in_progress</disposition>
        <readPoint><id>urn:epc:id:sgln:8935678.00002.0</id></readPoint>
        <bizLocation><id>urn:epc:id:sgln:8935678.00002.0</id></bizLocation>
      </TransformationEvent>
      <ObjectEvent>
        <eventTime>2025-10-15T10:30:00.000+07:00</eventTime>
        <eventTimeZoneOffset>+07:00</eventTimeZoneOffset>
        <eventID>urn:uuid:5a1e0c3b-7d2f-4b8e-9a60-0a1b2c3d4e23</eventID>
        <epcList><epc>urn:epc:id:sgtin:8935678.000012.TT-251015-0002</epc></epcList>
        <action>OBSERVE</action>
        <bizStep>urn:epcglobal:cbv:bizstep:shipping</bizStep>
        <disposition>urn:epcglobal:cbv:disp:in_transit</disposition>
        <readPoint><id>urn:epc:id:sgln:8935678.00002.0</id></readPoint>
        <destinationList>
          <destination type="urn:epcglobal:cbv:sdt:location">urn:epc:id:sgln:8935678.00003.0</destination>
        </destinationList>
      </ObjectEvent>
    </EventList>
  </EPCISBody>
</epcis:EPCISDocument>
`
