package verification

import (
	"errors"
	"fmt"
	"time"

	"github.com/danangchain/danangchain/registry"
)

// Words is a text a person reads, in Vietnamese and in English.
type Words struct {
	Vi string `json:"vi"`
	En string `json:"en"`
}

// Wording is what a person reads about one verdict status: the headline,
// one sentence saying what it means, and what to do next. The CLI, the
// verify page and the product page all take their wording from
// StatusWording, so one verdict reads the same everywhere.
type Wording struct {
	Headline Words `json:"headline"`
	Explain  Words `json:"explain"`
	Next     Words `json:"next"`
}

// The statuses people read about (Message.Status). The first seven are
// registry.ResultVerdict values.
const (
	SayValid           = "valid"
	SayRevoked         = "revoked"
	SayReplaced        = "replaced"
	SaySuspended       = "suspended"
	SayExpired         = "expired"
	SayNotYetValid     = "not_yet_valid"
	SayUnknown         = "unknown"          // no record for this file (proven absent)
	SayCompromised     = "compromised"      // signed with a key declared compromised
	SayNotFound        = "not_found"        // no record with this number (proven absent)
	SayMismatchFile    = "mismatch_file"    // the file is not the document the QR names
	SayMismatchQR      = "mismatch_qr"      // the QR's hash is not its record's
	SayMismatchReceipt = "mismatch_receipt" // the receipt is another document's
	SayIssuer          = "issuer"           // a valid record whose issuer or key no longer stands
	SayNotCurrent      = "not_current"      // could not confirm the current state
	SayReceiptValid    = "receipt_valid"    // an offline receipt of a valid record
	SayReceiptOld      = "receipt_old"      // a genuine receipt older than allowed
	SayBadReceipt      = "bad_receipt"      // a receipt that does not verify
	SayBadLink         = "bad_link"         // a QR link that is not well formed
	SayNetwork         = "network"          // no answer from the node
	SayError           = "error"            // anything else that stopped verification

	SayProductVerified = "product_verified"
	SayProductWarning  = "product_warning"
	SayProductInvalid  = "product_invalid"
	SayProductNotFound = "product_not_found"
)

var couldNotVerify = Words{"KHÔNG XÁC MINH ĐƯỢC", "COULD NOT VERIFY"}

// wordings is the one table of verdict wording (TestWordingTable keeps it
// complete in both languages).
var wordings = map[string]Wording{
	SayValid: {
		Words{"HỢP LỆ", "VALID"},
		Words{"Giấy tờ này do cơ quan nêu dưới đây cấp và vẫn còn hiệu lực.",
			"This document was issued by the agency named below and is still valid."},
		Words{"Bạn có thể tin giấy tờ này. Hãy đối chiếu tên giấy tờ và cơ quan cấp với bản bạn đang cầm.",
			"You can rely on it. Check that the title and the issuing agency match the paper in your hands."}},
	SayRevoked: {
		Words{"ĐÃ BỊ THU HỒI", "REVOKED"},
		Words{"Cơ quan cấp đã thu hồi giấy tờ này: nó không còn giá trị.",
			"The issuing agency has revoked this document: it is no longer valid."},
		Words{"Không chấp nhận giấy tờ này. Người giữ giấy tờ nên liên hệ cơ quan cấp (lý do thu hồi ghi ở trên).",
			"Do not accept it. Its holder should contact the issuing agency (the reason is given above)."}},
	SayReplaced: {
		Words{"ĐÃ ĐƯỢC THAY THẾ", "REPLACED"},
		Words{"Cơ quan cấp đã thay giấy tờ này bằng một bản mới: bản này không còn giá trị.",
			"The issuing agency has replaced this document with a new one: this one is no longer valid."},
		Words{"Hãy yêu cầu bản mới (số kết quả ghi ở trên) và kiểm tra bản đó.",
			"Ask for the new document (its number is given above) and check that one."}},
	SaySuspended: {
		Words{"ĐANG BỊ ĐÌNH CHỈ", "SUSPENDED"},
		Words{"Cơ quan cấp đang tạm đình chỉ hiệu lực của giấy tờ này.",
			"The issuing agency has suspended this document for now."},
		Words{"Không chấp nhận giấy tờ này trong thời gian đình chỉ; liên hệ cơ quan cấp để biết thêm.",
			"Do not accept it while it is suspended; contact the issuing agency for details."}},
	SayExpired: {
		Words{"ĐÃ HẾT HIỆU LỰC", "EXPIRED"},
		Words{"Giấy tờ này là thật nhưng đã hết thời hạn hiệu lực.",
			"This document is genuine but its period of validity has ended."},
		Words{"Không chấp nhận giấy tờ này; người giữ giấy tờ cần làm thủ tục cấp mới hoặc gia hạn.",
			"Do not accept it; its holder needs to apply for a new one or a renewal."}},
	SayCompromised: {
		Words{"KHÔNG ĐƯỢC CÔNG NHẬN", "NOT RECOGNISED"},
		Words{"Giấy tờ này được ký bằng một khóa mà cơ quan đã báo là bị lộ (có thể người khác đã dùng khóa đó), nên không được coi là do cơ quan cấp.",
			"This document was signed with a key its agency reported as compromised (someone else may have used it), so it does not count as issued by the agency."},
		Words{"Không chấp nhận giấy tờ này. Người giữ giấy tờ nên liên hệ cơ quan cấp để được cấp lại.",
			"Do not accept it. Its holder should ask the issuing agency to issue it again."}},
	SayNotYetValid: {
		Words{"CHƯA CÓ HIỆU LỰC", "NOT YET VALID"},
		Words{"Giấy tờ này là thật nhưng chưa đến ngày có hiệu lực.",
			"This document is genuine but its validity has not started yet."},
		Words{"Chỉ chấp nhận giấy tờ này từ ngày có hiệu lực ghi ở trên.",
			"Accept it only from the start date given above."}},
	SayUnknown: {
		Words{"KHÔNG TÌM THẤY", "NOT FOUND"},
		Words{"Không có giấy tờ nào trên chuỗi khối khớp với tệp này: tệp có thể đã bị sửa (dù chỉ một ký tự), hoặc chưa từng được cấp qua hệ thống này.",
			"No document on the chain matches this file: it may have been altered (even by one character), or it was never issued through this system."},
		Words{"Hãy chọn đúng tệp gốc nhận từ cơ quan cấp; nếu vẫn không tìm thấy, đừng tin tệp này và liên hệ cơ quan cấp.",
			"Choose the original file you received from the issuing agency; if it is still not found, do not rely on it and contact the agency."}},
	SayNotFound: {
		Words{"KHÔNG TÌM THẤY", "NOT FOUND"},
		Words{"Không có kết quả nào mang số này trên chuỗi khối (đã kiểm tra: số này không tồn tại).",
			"No record with this number exists on the chain (checked: the number does not exist)."},
		Words{"Mã QR có thể bị in sai hoặc bị làm giả: đừng tin giấy tờ này cho đến khi cơ quan cấp xác nhận.",
			"The QR code may be misprinted or forged: do not rely on the document until the issuing agency confirms it."}},
	SayMismatchFile: {
		Words{"KHÔNG KHỚP", "DOES NOT MATCH"},
		Words{"Tệp bạn chọn không phải là giấy tờ mà mã QR này chỉ tới.",
			"The file you chose is not the document this QR code names."},
		Words{"Hãy chọn đúng tệp gốc; nếu giấy tờ bạn nhận khác với giấy tờ đã được cấp, đừng tin nó.",
			"Choose the original file; if the document you were given differs from the one issued, do not rely on it."}},
	SayMismatchQR: {
		Words{"KHÔNG KHỚP", "DOES NOT MATCH"},
		Words{"Mã QR này không khớp với giấy tờ mà nó chỉ tới: mã QR có thể đã bị làm giả.",
			"This QR code does not match the document it points to: it may be forged."},
		Words{"Đừng tin giấy tờ này; hãy liên hệ cơ quan cấp để kiểm tra.",
			"Do not rely on this document; contact the issuing agency."}},
	SayMismatchReceipt: {
		Words{"KHÔNG KHỚP", "DOES NOT MATCH"},
		Words{"Biên nhận là thật nhưng là của một giấy tờ khác, không phải của tệp này.",
			"The receipt is genuine but belongs to another document, not to this file."},
		Words{"Hãy dùng đúng biên nhận của giấy tờ này, hoặc kiểm tra trực tuyến.",
			"Use this document's own receipt, or verify online."}},
	SayIssuer: {
		Words{"CẦN XÁC NHẬN THÊM", "NEEDS CONFIRMATION"},
		Words{"Giấy tờ có trên chuỗi khối và chưa bị thu hồi, nhưng cơ quan cấp hoặc khóa ký của cơ quan hiện không còn hiệu lực.",
			"The document is on the chain and not revoked, but the issuing agency or its signing key no longer stands."},
		Words{"Hãy liên hệ cơ quan cấp (hoặc cơ quan tiếp nhận nhiệm vụ) để xác nhận giấy tờ còn giá trị.",
			"Contact the issuing agency (or the body that took over its duties) to confirm the document still holds."}},
	SayNotCurrent: {
		couldNotVerify,
		Words{"Không xác nhận được tình trạng hiện tại: dữ liệu nhận được đã cũ (máy chủ chậm, đang đồng bộ, hoặc che giấu thay đổi mới), nên không thể nói giấy tờ còn hiệu lực.",
			"The current state could not be confirmed: the data received is out of date (the server is behind, catching up, or hiding recent changes), so no one can say the document is valid."},
		Words{"Thử lại sau ít phút hoặc dùng một máy chủ khác của thành phố; kiểm tra cả đồng hồ của thiết bị.",
			"Try again in a few minutes or use another city server; also check this device's clock."}},
	SayReceiptValid: {
		Words{"HỢP LỆ", "VALID"},
		Words{"Biên nhận ngoại tuyến: giấy tờ này do cơ quan nêu dưới đây cấp và còn hiệu lực vào lúc lập biên nhận.",
			"Offline receipt: this document was issued by the agency named below and was valid when the receipt was made."},
		Words{"Biên nhận không cho biết thay đổi sau thời điểm đó (ví dụ bị thu hồi): khi có mạng, hãy quét mã QR để kiểm tra tình trạng hiện tại.",
			"A receipt cannot show later changes (such as a revocation): when online, scan the QR code to check the current state."}},
	SayReceiptOld: {
		couldNotVerify,
		Words{"Biên nhận ngoại tuyến là thật nhưng đã cũ: không xác nhận được tình trạng hiện tại (giấy tờ có thể đã bị thu hồi sau đó).",
			"The offline receipt is genuine but old: the current state cannot be confirmed (the document may have been revoked since)."},
		Words{"Khi có mạng, hãy quét mã QR trên giấy tờ để kiểm tra lại.",
			"When online, scan the QR code on the document to check again."}},
	SayBadReceipt: {
		couldNotVerify,
		Words{"Biên nhận này không qua được bước kiểm tra: nó bị hỏng, bị sửa đổi, hoặc thuộc một mạng khác.",
			"This receipt did not pass the checks: it is damaged, altered, or from another network."},
		Words{"Đừng dựa vào biên nhận này; xin lại biên nhận từ cơ quan cấp hoặc kiểm tra trực tuyến.",
			"Do not rely on this receipt; ask the issuing agency for a new one or verify online."}},
	SayBadLink: {
		Words{"ĐƯỜNG DẪN KHÔNG HỢP LỆ", "INVALID LINK"},
		Words{"Đường dẫn này không đúng dạng mã QR của giấy tờ hoặc sản phẩm (số hoặc mã kiểm tra bị sai hay thiếu).",
			"This link is not in the form of a document's or product's QR code (its number or check code is wrong or missing)."},
		Words{"Quét lại mã QR; nếu vẫn lỗi, mã QR có thể bị in sai hoặc bị làm giả.",
			"Scan the QR code again; if it still fails, the QR code may be misprinted or forged."}},
	SayNetwork: {
		couldNotVerify,
		Words{"Không kết nối được với máy chủ để lấy dữ liệu cần kiểm tra.",
			"Could not reach the server to fetch the data to check."},
		Words{"Kiểm tra kết nối mạng rồi thử lại, hoặc mở trang từ một máy chủ khác của thành phố.",
			"Check your connection and try again, or open the page from another city server."}},
	SayError: {
		couldNotVerify,
		Words{"Dữ liệu nhận được không qua được bước kiểm tra, nên không có kết luận nào.",
			"The data received did not pass the checks, so there is no conclusion."},
		Words{"Đừng dựa vào kết quả này; thử lại, hoặc mở trang từ một máy chủ khác của thành phố.",
			"Do not rely on this; try again, or open the page from another city server."}},
	SayProductVerified: {
		Words{"ĐÃ XÁC MINH", "VERIFIED"},
		Words{"Mọi thông tin dưới đây đều có chữ ký của đơn vị ghi nhận và đã được kiểm tra trên chuỗi khối.",
			"Everything below is signed by the business or body that recorded it and checked on the chain."},
		Words{"Đối chiếu tên sản phẩm và tem với sản phẩm bạn đang cầm.",
			"Check that the product's name and tag match the product in your hands."}},
	SayProductWarning: {
		Words{"CẢNH BÁO", "WARNING"},
		Words{"Tem của sản phẩm này đã được quét ở những nơi hoặc thời điểm bất thường: có thể là tem giả.",
			"This product's tag was scanned in implausible places or times: it may be a copy."},
		Words{"Hỏi người bán về nguồn gốc sản phẩm; báo cho cơ quan quản lý nếu nghi ngờ.",
			"Ask the seller where the product comes from; tell the authorities if in doubt."}},
	SayProductInvalid: {
		couldNotVerify,
		Words{"Có bước trong hành trình của sản phẩm không kiểm tra được.",
			"Some steps of the product's journey could not be checked."},
		Words{"Đừng dựa vào các thông tin này; hỏi người bán hoặc cơ quan quản lý.",
			"Do not rely on this information; ask the seller or the authorities."}},
	SayProductNotFound: {
		Words{"KHÔNG TÌM THẤY SẢN PHẨM", "PRODUCT NOT FOUND"},
		Words{"Không có sản phẩm nào mang mã này trên chuỗi khối (đã kiểm tra: mã này không tồn tại).",
			"No product with this code exists on the chain (checked: the code does not exist)."},
		Words{"Tem hoặc mã QR có thể bị in sai hoặc là tem giả; hỏi người bán và báo cho cơ quan quản lý nếu nghi ngờ.",
			"The tag or QR code may be misprinted or fake; ask the seller and tell the authorities if in doubt."}},
}

// Statuses lists every status of the wording table.
func Statuses() []string {
	return []string{SayValid, SayRevoked, SayReplaced, SaySuspended, SayExpired, SayNotYetValid, SayUnknown, SayCompromised, SayNotFound,
		SayMismatchFile, SayMismatchQR, SayMismatchReceipt, SayIssuer, SayNotCurrent, SayReceiptValid, SayReceiptOld,
		SayBadReceipt, SayBadLink, SayNetwork, SayError,
		SayProductVerified, SayProductWarning, SayProductInvalid, SayProductNotFound}
}

// StatusWording returns the wording of a status; an unknown status reads
// as SayError.
func StatusWording(status string) Wording {
	if w, ok := wordings[status]; ok {
		return w
	}
	return wordings[SayError]
}

// Wordings returns a copy of the whole table.
func Wordings() map[string]Wording {
	out := make(map[string]Wording, len(wordings))
	for k, v := range wordings {
		out[k] = v
	}
	return out
}

// nothingChecked is the "checked" sentence of an answer with no verified data.
var nothingChecked = Words{"Chưa xác minh được dữ liệu nào.", "Nothing could be verified."}

// PageWording is what the verify page pins besides its trust root: the
// wording table and the sentence for answers with no verified data, for
// the answers it gives without the verifier (no network, no verifier).
type PageWording struct {
	Statuses       map[string]Wording `json:"statuses"`
	NothingChecked Words              `json:"nothing_checked"`
}

// WordingForPage returns the page's wording.
func WordingForPage() PageWording {
	return PageWording{Statuses: Wordings(), NothingChecked: nothingChecked}
}

// Message is a verdict in plain words: its status's wording, what was
// checked and as of when, and, for errors, the stable code with its text.
type Message struct {
	Status   string `json:"status"`
	Headline Words  `json:"headline"`
	Explain  Words  `json:"explain"`
	Next     Words  `json:"next"`
	Checked  Words  `json:"checked"`
	Code     string `json:"code,omitempty"`   // stable error code (registry name), if any
	Reason   *Words `json:"reason,omitempty"` // the code's plain text, if any
}

// Where says where a verdict was checked, for the "checked" sentence.
type Where int

// Where a verdict was checked.
const (
	InBrowser      Where = iota // the verify or product page
	OnThisComputer              // the CLI or SDK, online
	FromReceipt                 // an offline receipt
)

// Basis is what a verdict rests on: where it was checked, the time of
// the header it is "as of", its age on the verifier's clock, and what
// held besides the signatures and proofs (which every verdict rests on).
type Basis struct {
	Where     Where
	AsOf      time.Time
	Age       time.Duration
	Fresh     bool // the data was current on the verifier's clock (not said of receipts)
	Issuer    bool // the issuing agency and its signing key stand
	Trace     bool // a product's trace: every step was proven
	Witnesses int  // online CLI: other servers that cross-checked the header
}

// NewMessage builds the message of status resting on b.
func NewMessage(status string, b Basis) *Message {
	w := StatusWording(status)
	return &Message{Status: status, Headline: w.Headline, Explain: w.Explain, Next: w.Next, Checked: b.Checked()}
}

// ErrorMessage is the message of an error that stopped verification
// (status SayError, SayBadLink, SayBadReceipt, SayNetwork…; SayError
// becomes SayNotCurrent for registry.ErrNotCurrent), with the stable code
// and its text (registry.Error.Text) when err carries one.
func ErrorMessage(status string, err error) *Message {
	m := &Message{Status: status}
	var e *registry.Error
	if errors.As(err, &e) {
		m.Code = e.Name
		if status == SayError && errors.Is(err, registry.ErrNotCurrent) {
			m.Status = SayNotCurrent
		}
		t := e.Text()
		m.Reason = &Words{t.Vi, t.En}
	} else if err != nil {
		m.Code = "internal"
	}
	w := StatusWording(m.Status)
	m.Headline, m.Explain, m.Next = w.Headline, w.Explain, w.Next
	m.Checked = nothingChecked
	return m
}

// Checked says, in plain words, what a verdict rests on and as of when.
func (b Basis) Checked() Words {
	var vi, en string
	switch b.Where {
	case InBrowser:
		vi, en = "Đã kiểm tra ngay trên thiết bị này", "Checked on this device"
	case FromReceipt:
		vi, en = "Đã kiểm tra trên thiết bị này, không cần mạng", "Checked on this device, with no network"
	default:
		vi, en = "Đã kiểm tra trên máy tính này", "Checked on this computer"
	}
	var parts []Words
	if b.Where == FromReceipt {
		parts = append(parts, Words{"biên nhận mang chữ ký của hơn 2/3 số máy chủ của thành phố và bằng chứng dữ liệu trên chuỗi khối",
			"the receipt carries the signatures of more than 2/3 of the city's servers and the proof of the data on the chain"})
	} else {
		parts = append(parts, Words{"chữ ký của hơn 2/3 số máy chủ của thành phố", "the signatures of more than 2/3 of the city's servers"})
		if b.Trace {
			parts = append(parts, Words{"bằng chứng của từng bước trên chuỗi khối", "the proof of every step on the chain"})
		} else {
			parts = append(parts, Words{"bằng chứng dữ liệu trên chuỗi khối", "the proof of the data on the chain"})
		}
		if b.Fresh {
			parts = append(parts, Words{"dữ liệu còn mới", "that the data is current"})
		}
	}
	if b.Issuer {
		parts = append(parts, Words{"cơ quan cấp cùng khóa ký của cơ quan còn hiệu lực", "that the issuing agency and its signing key stand"})
	}
	for i, p := range parts {
		sepVI, sepEN := ", ", ", "
		switch {
		case i == 0:
			sepVI, sepEN = ": ", ": "
		case i == len(parts)-1:
			sepVI, sepEN = " và ", " and "
		}
		vi, en = vi+sepVI+p.Vi, en+sepEN+p.En
	}
	vi, en = vi+".", en+"."
	if b.Where == OnThisComputer {
		if b.Witnesses > 0 {
			vi += fmt.Sprintf(" Đã đối chiếu với %d máy chủ khác.", b.Witnesses)
			en += fmt.Sprintf(" Cross-checked with %d other server(s).", b.Witnesses)
		} else {
			vi += " Chỉ hỏi một máy chủ (chưa cấu hình máy chủ đối chứng)."
			en += " Only one server was asked (no witness configured)."
		}
	}
	if b.AsOf.IsZero() {
		return Words{vi, en}
	}
	if b.Where == FromReceipt {
		vi += " Tính đến lúc lập biên nhận: " + TimeVI(b.AsOf)
		en += " As of when the receipt was made: " + TimeEN(b.AsOf)
	} else {
		vi += " Tính đến " + TimeVI(b.AsOf)
		en += " As of " + TimeEN(b.AsOf)
	}
	if b.Age >= 0 {
		vi += ", cách đây " + AgeVI(b.Age)
		en += ", " + AgeEN(b.Age) + " ago"
	}
	return Words{vi + ".", en + "."}
}

// TimeVI shows a time for people in Vietnamese: "00:26:20 ngày 08/12/2026
// (giờ Việt Nam)".
func TimeVI(t time.Time) string {
	return t.In(ICT).Format("15:04:05 ngày 02/01/2006") + " (giờ Việt Nam)"
}

// TimeEN shows a time for people in English: "00:26:20 on 8 Dec 2026
// (Vietnam time)".
func TimeEN(t time.Time) string {
	return t.In(ICT).Format("15:04:05 on 2 Jan 2006") + " (Vietnam time)"
}

// DateVI and DateEN show a day: "08/12/2026", "8 Dec 2026".
func DateVI(t time.Time) string { return t.In(ICT).Format("02/01/2006") }

// DateEN shows a day in English.
func DateEN(t time.Time) string { return t.In(ICT).Format("2 Jan 2006") }

// AgeVI says how long ago, in Vietnamese, in the largest whole unit.
func AgeVI(d time.Duration) string {
	n, u := ageUnits(d)
	return fmt.Sprintf("%d %s", n, [...]string{"giây", "phút", "giờ", "ngày"}[u])
}

// AgeEN says how long ago, in English.
func AgeEN(d time.Duration) string {
	n, u := ageUnits(d)
	s := fmt.Sprintf("%d %s", n, [...]string{"second", "minute", "hour", "day"}[u])
	if n != 1 {
		s += "s"
	}
	return s
}

func ageUnits(d time.Duration) (int64, int) {
	d = max(d, 0)
	switch {
	case d < 2*time.Minute:
		return int64(d.Round(time.Second) / time.Second), 0
	case d < 2*time.Hour:
		return int64(d / time.Minute), 1
	case d < 48*time.Hour:
		return int64(d / time.Hour), 2
	}
	return int64(d / (24 * time.Hour)), 3
}

// VerdictStatus is the status people read for a result verdict.
func VerdictStatus(s registry.ResultVerdict) string {
	switch s {
	case registry.VerdictValid, registry.VerdictRevoked, registry.VerdictReplaced, registry.VerdictSuspended,
		registry.VerdictExpired, registry.VerdictNotYetValid, registry.VerdictUnknown, registry.VerdictCompromised:
		return string(s)
	}
	return SayError
}
