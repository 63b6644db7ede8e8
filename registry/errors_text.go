package registry

// Text is what a person reads about a registered error: Vietnamese first,
// then English, and what to do next in both. Every boundary (CLI, HTTP,
// pages) takes its wording from here, so one code reads the same
// everywhere.
type Text struct {
	Vi, En         string
	HintVi, HintEn string
}

// errorTexts is indexed by code; TestErrorTexts keeps it complete.
var errorTexts = [...]Text{
	1: {"Lỗi nội bộ", "Internal error",
		"Thử lại sau; nếu lỗi lặp lại, báo cho quản trị viên nút.", "Try again later; if it persists, tell the node's operator."},
	2: {"Dữ liệu hỏng hoặc sai định dạng", "Malformed data",
		"Tạo lại giao dịch hoặc tệp bằng phiên bản phần mềm hiện hành.", "Build the transaction or file again with the current software."},
	3: {"Dữ liệu quá lớn", "Input too large",
		"Chia nhỏ dữ liệu hoặc giảm kích thước tệp.", "Split the input or make the file smaller."},
	4: {"Sai mã chuỗi (chain id)", "Wrong chain id",
		"Kiểm tra --node và tệp genesis: chúng phải thuộc cùng một mạng.", "Check --node and the genesis file: they must belong to the same network."},
	5: {"Giao dịch đã được gửi trước đó", "Transaction already seen (replay)",
		"Không cần gửi lại; tra cứu kết quả của lần gửi trước.", "No need to resend; look up the result of the earlier submission."},
	6: {"Giao dịch đã hết hạn", "Transaction expired",
		"Gửi lại lệnh: giao dịch mới sẽ có thời hạn mới.", "Run the command again: a new transaction gets a new expiry."},
	7: {"Chữ ký không hợp lệ", "Signature does not verify",
		"Kiểm tra khóa --from và tệp khóa.", "Check the --from key and the keyring."},
	8: {"Khóa ký chưa được đăng ký trên chuỗi", "Signer key is not registered",
		"Nhờ cơ quan chủ quản đăng ký khóa (keys register-official) hoặc chọn khóa khác.", "Ask your agency to register the key (keys register-official) or use another key."},
	9: {"Khóa ký đã bị thu hồi", "Signer key is revoked",
		"Dùng khóa còn hiệu lực của cơ quan.", "Use a key of your agency that is still active."},
	10: {"Khóa ký không có quyền thực hiện thao tác này", "Signer lacks the required role",
		"Dùng khóa có vai trò phù hợp, hoặc đề nghị cấp quyền.", "Use a key with the right role, or ask for the role to be granted."},
	11: {"Thông tin nhập không hợp lệ", "Invalid field",
		"Sửa trường được nêu trong chi tiết rồi thử lại.", "Fix the field named in the detail and try again."},
	12: {"Không tìm thấy", "Not found",
		"Kiểm tra lại số hiệu hoặc mã đã nhập.", "Check the id or code you entered."},
	13: {"Xung đột với dữ liệu đã có trên chuỗi", "Conflicts with existing state",
		"Xem bản ghi hiện có (show/query) trước khi thử lại.", "Look at the existing record (show/query) before trying again."},
	14: {"Cơ quan đang bị đình chỉ hoặc đã bị loại", "Agency is suspended or removed",
		"Liên hệ Hội đồng vận hành mạng.", "Contact the network's council."},
	15: {"Loại giao dịch không được hỗ trợ", "Unknown message type",
		"Cập nhật phần mềm lên phiên bản của mạng.", "Update the software to the network's version."},
	16: {"Văn bản không phải UTF-8 chuẩn NFC", "Text is not valid UTF-8 in Unicode NFC",
		"Lưu lại văn bản ở dạng Unicode NFC (dựng sẵn).", "Save the text as Unicode NFC (precomposed)."},
	17: {"Đề xuất đã đóng", "Proposal is no longer open",
		"Xem trạng thái đề xuất bằng gov show.", "See the proposal's state with gov show."},
	18: {"Bản ghi đã bị thu hồi", "Record is revoked",
		"Bản ghi thu hồi là cuối cùng; tạo bản ghi mới nếu cần.", "A revocation is final; create a new record if needed."},
	19: {"Tài sản đang bị ngăn chặn", "Property has an active blocking notice",
		"Không thể giao dịch cho đến khi cơ quan ra thông báo giải tỏa.", "No transaction is possible until the issuing body releases the notice."},
	20: {"Bằng chứng không được xác minh", "Proof does not verify",
		"Không tin câu trả lời này; hỏi một nút khác hoặc kiểm tra tệp genesis.", "Do not trust this answer; ask another node or check the genesis file."},
	21: {"Chưa đủ số phiếu của Hội đồng", "Council quorum not reached",
		"Chờ thêm phiếu bầu của Hội đồng.", "Wait for more council votes."},
	22: {"Chưa xác nhận được trạng thái hiện tại", "Could not confirm the current state",
		"Nút đang chậm, đang đồng bộ hoặc không được nút khác xác nhận: thử lại sau hoặc dùng nút khác.", "The node lags, is catching up or no witness confirmed it: try again later or use another node."},
}

// Text returns the error's bilingual message; unknown codes read as the
// internal error.
func (e *Error) Text() Text {
	if int(e.Code) < len(errorTexts) && errorTexts[e.Code].Vi != "" {
		return errorTexts[e.Code]
	}
	return errorTexts[ErrInternal.Code]
}
