package networks_test

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/danangchain/danangchain/client/epcis"
	"github.com/danangchain/danangchain/client/keyring"
	"github.com/danangchain/danangchain/node"
)

// captureXML is what a farm's own system exports: EPCIS 2.0 XML with a
// geo: read point, a temperature reading and its own extension.
const captureXML = `<?xml version="1.0" encoding="UTF-8"?>
<epcis:EPCISDocument xmlns:epcis="urn:epcglobal:epcis:xsd:2" xmlns:farm="https://ns.trang-trai.vn/epcis/"
    schemaVersion="2.0" creationDate="2025-10-10T08:00:00+07:00">
  <EPCISBody><EventList>
    <ObjectEvent>
      <eventTime>2025-10-10T07:30:00.000+07:00</eventTime>
      <eventTimeZoneOffset>+07:00</eventTimeZoneOffset>
      <epcList><epc>urn:vn:tcvn13274:HV-2025-CAP-001</epc></epcList>
      <action>ADD</action>
      <bizStep>urn:epcglobal:cbv:bizstep:commissioning</bizStep>
      <readPoint><id>geo:16.0544,108.2022</id></readPoint>
      <sensorElementList><sensorElement>
        <sensorMetadata time="2025-10-10T07:29:00+07:00"/>
        <sensorReport type="gs1:Temperature" value="38.50" uom="CEL"/>
      </sensorElement></sensorElementList>
      <farm:chuong>C-07</farm:chuong>
    </ObjectEvent>
  </EventList></EPCISBody>
</epcis:EPCISDocument>`

// TestEPCISCapture: a business's system pushes an EPCIS 2.0 XML document
// to the node's capture endpoint with nothing but HTTP and an Ed25519 key:
// prepare (the node converts and answers the CBV 2.0 hashes and the bytes
// to sign), sign, capture (202 and a job), poll the job; the event is then
// in the product's trace with its place in words. A bad signature and a
// bizStep the business is not authorised for are refused with the chain's
// codes, and nothing is written.
func TestEPCISCapture(t *testing.T) {
	if testing.Short() {
		t.Skip("multi-process test")
	}
	n, cli := oneNode(t, 29900)
	acfg, err := node.LoadAppConfig(n.home)
	require.NoError(t, err)
	api := "http://" + acfg.APIAddr
	_, err = cli("product", "authorize-business", "trang-trai-heo-hoa-vang", "--step", "commissioning", "--ref", "17/QĐ-BQLATTP",
		"--from", "foodsafety")
	requireExit(t, err, 0)
	kr, err := keyring.New(filepath.Join(n.home, "keyring"), keyring.BackendTest, nil)
	require.NoError(t, err)
	farm, err := kr.Signer("farm")
	require.NoError(t, err)

	post := func(path, ctype string, body []byte, out any) (int, http.Header) {
		t.Helper()
		resp, err := http.Post(api+path, ctype, bytes.NewReader(body))
		require.NoError(t, err)
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		if out != nil {
			require.NoError(t, json.Unmarshal(b, out), string(b))
		}
		return resp.StatusCode, resp.Header
	}
	type prepared struct {
		Events []struct {
			HashID  string `json:"hash_id"`
			PreHash string `json:"pre_hash"`
		} `json:"events"`
		Transactions []struct {
			Tx        string `json:"tx"`
			SignBytes string `json:"sign_bytes"`
		} `json:"transactions"`
	}
	prepare := func(doc []byte) prepared {
		var p prepared
		code, _ := post("/epcis/v2/capture/prepare?signer="+hex.EncodeToString(farm.PubKey()), "application/xml", doc, &p)
		require.Equal(t, http.StatusOK, code)
		return p
	}
	sign := func(p prepared, corrupt bool) []byte {
		var req struct {
			Transactions []map[string]string `json:"transactions"`
		}
		for _, tx := range p.Transactions {
			sb, err := hex.DecodeString(tx.SignBytes)
			require.NoError(t, err)
			sig, err := farm.Sign(sb)
			require.NoError(t, err)
			if corrupt {
				sig[0] ^= 1
			}
			req.Transactions = append(req.Transactions, map[string]string{"tx": tx.Tx, "signature": hex.EncodeToString(sig)})
		}
		b, _ := json.Marshal(req)
		return b
	}

	p := prepare([]byte(captureXML))
	require.Len(t, p.Events, 1)
	require.Len(t, p.Transactions, 1)
	local, err := epcis.Parse([]byte(captureXML))
	require.NoError(t, err)
	assert.Equal(t, local.Events[0].HashID(), p.Events[0].HashID, "the node's hash is the one the business computes itself")
	assert.Contains(t, p.Events[0].PreHash, "sensorReporttype=https://ref.gs1.org/voc/Temperaturevalue=38.5uom=CEL")
	assert.Contains(t, p.Events[0].PreHash, "{https://ns.trang-trai.vn/epcis/}chuong=C-07")

	// A signature that does not verify: refused, nothing written.
	var bad map[string]any
	code, _ := post("/epcis/v2/capture", "application/json", sign(p, true), &bad)
	assert.Equal(t, http.StatusUnauthorized, code, bad)
	assert.Equal(t, "bad_signature", bad["name"])

	var accepted struct {
		CaptureID string `json:"captureID"`
	}
	code, hdr := post("/epcis/v2/capture", "application/json", sign(p, false), &accepted)
	require.Equal(t, http.StatusAccepted, code)
	assert.Equal(t, "/epcis/v2/capture/"+accepted.CaptureID, hdr.Get("Location"))
	var job struct {
		Running bool `json:"running"`
		Success bool `json:"success"`
	}
	deadline := time.Now().Add(30 * time.Second)
	for {
		getJSON(t, api+"/epcis/v2/capture/"+accepted.CaptureID, &job)
		if !job.Running || time.Now().After(deadline) {
			break
		}
		time.Sleep(300 * time.Millisecond)
	}
	require.True(t, job.Success, "the capture job succeeded")

	out, err := run(t, "product", "trace", "HV-2025-CAP-001", "--home", n.home, "-o", "json")
	requireExit(t, err, 0)
	assert.Contains(t, out, p.Events[0].HashID)
	assert.Contains(t, out, "Vị trí địa lý 16.0544° Bắc, 108.2022° Đông")

	// A bizStep the farm is not authorised for: refused at once with the
	// chain's code, not accepted and lost.
	selling := strings.ReplaceAll(strings.ReplaceAll(captureXML, "bizstep:commissioning", "bizstep:retail_selling"), "CAP-001", "CAP-002")
	var refused map[string]any
	code, _ = post("/epcis/v2/capture", "application/json", sign(prepare([]byte(selling)), false), &refused)
	assert.Equal(t, http.StatusForbidden, code, refused)
	assert.Equal(t, "unauthorized", refused["name"])
	assert.Contains(t, fmt.Sprint(refused["detail"]), "retail_selling")
	_, err = run(t, "product", "trace", "HV-2025-CAP-002", "--home", n.home, "-o", "json")
	requireExit(t, err, 2)
}
