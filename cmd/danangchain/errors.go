package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"strings"

	"github.com/danangchain/danangchain/client"
	"github.com/danangchain/danangchain/client/keyring"
	"github.com/danangchain/danangchain/registry"
)

// cliError is an error raised by the CLI itself (not by the chain), with
// a stable code in the CLI's own range (100+; the chain's codes are
// registry.Errors) and bilingual text. The table below is the only place
// these codes are defined.
type cliError struct {
	Code uint32
	Name string
	Kind string // see errorReport.Kind
	registry.Text
}

func (e *cliError) Error() string { return e.Name + ": " + strings.ToLower(e.En) }

// Is matches wrapped errors to their sentinel by code.
func (e *cliError) Is(target error) bool {
	t, ok := target.(*cliError)
	return ok && t.Code == e.Code
}

// The CLI's own errors. Codes never change meaning once released.
var (
	errUsage = &cliError{100, "usage", kindInvalidInput, registry.Text{
		Vi: "Lệnh hoặc tham số không hợp lệ", En: "Invalid command or argument",
		HintVi: "Xem hướng dẫn: danangchain <lệnh> --help.", HintEn: "See the command's help: danangchain <command> --help."}}
	errUnreachable = &cliError{101, "unreachable", kindNetwork, registry.Text{
		Vi: "Không kết nối được với nút", En: "Could not reach the node",
		HintVi: "Kiểm tra địa chỉ --node (hoặc node trong client.toml) và nút có đang chạy không; chưa có gì được gửi hoặc thay đổi.",
		HintEn: "Check the --node address (or node in client.toml) and that the node is running; nothing was sent or changed."}}
	errFile = &cliError{102, "file", kindInvalidInput, registry.Text{
		Vi: "Không đọc hoặc ghi được tệp", En: "Cannot read or write the file",
		HintVi: "Kiểm tra đường dẫn và quyền truy cập tệp.", HintEn: "Check the file's path and permissions."}}
	errFormat = &cliError{103, "bad_format", kindInvalidInput, registry.Text{
		Vi: "Nội dung tệp hoặc giá trị nhập không đúng định dạng", En: "The file's content or the value is not in the expected format",
		HintVi: "Xem định dạng được chấp nhận trong chi tiết và --help.", HintEn: "See the accepted format in the detail and in --help."}}
	errKeyring = &cliError{104, "keyring", kindInvalidInput, registry.Text{
		Vi: "Không dùng được khóa trong kho khóa", En: "Cannot use the key from the keyring",
		HintVi: "Xem các khóa bằng keys list; kiểm tra --home và --keyring-backend.", HintEn: "List keys with keys list; check --home and --keyring-backend."}}
	errTimeout = &cliError{105, "timeout", kindUnknownOutcome, registry.Text{
		Vi: "Hết thời gian chờ: chưa biết giao dịch đã được ghi hay chưa", En: "Timed out: whether the transaction was committed is not known",
		HintVi: "Chạy lại lệnh an toàn: giao dịch đã ghi sẽ không bị ghi hai lần; hoặc tra cứu bằng mã giao dịch.",
		HintEn: "Re-running is safe (a committed transaction is not written twice); or look it up by its hash."}}
	errInterrupted = &cliError{106, "interrupted", kindInterrupted, registry.Text{
		Vi: "Đã dừng theo yêu cầu", En: "Stopped on request",
		HintVi: "Chạy lại lệnh để tiếp tục.", HintEn: "Run the command again to continue."}}
	errNotVerified = &cliError{107, "not_verified", kindNotVerified, registry.Text{
		Vi: "Không xác minh được", En: "Could not be verified",
		HintVi: "Không tin vào nội dung này; kiểm tra tệp genesis hoặc hỏi nút khác.", HintEn: "Do not rely on it; check the genesis file or ask another node."}}
)

// cliErrors is the table of the CLI's own codes, in code order.
var cliErrors = []*cliError{errUsage, errUnreachable, errFile, errFormat, errKeyring, errTimeout, errInterrupted, errNotVerified}

// Kinds tell apart what happened; each has its own wording and advice.
const (
	kindRejected       = "rejected"      // the chain answered no
	kindInvalidInput   = "invalid_input" // refused here, before sending
	kindNotFound       = "not_found"     // proven or reported absent
	kindNotCurrent     = "not_current"   // could not establish the current state
	kindNotVerified    = "not_verified"  // an answer's proof failed
	kindNetwork        = "network"       // no answer at all
	kindUnknownOutcome = "unknown_outcome"
	kindInterrupted    = "interrupted"
	kindInternal       = "internal"
)

// cliErrf wraps a CLI sentinel with detail (English, technical; the
// sentinel carries the bilingual text).
func cliErrf(sentinel *cliError, format string, args ...any) error {
	return fmt.Errorf("%w: %s", sentinel, fmt.Sprintf(format, args...))
}

// errorReport is what the CLI prints for a failed command: on stderr, as
// text or (with -o json) as one JSON object.
type errorReport struct {
	Code      uint32 `json:"code"`
	Name      string `json:"name"`
	Kind      string `json:"kind"`
	MessageVi string `json:"message_vi"`
	MessageEn string `json:"message_en"`
	Detail    string `json:"detail,omitempty"`
	HintVi    string `json:"hint_vi"`
	HintEn    string `json:"hint_en"`
	// Source is "chain" when the chain answered, else "cli".
	Source string `json:"source"`
}

// describe maps any error to its report: the CLI's only error table.
func describe(err error) errorReport {
	r := errorReport{Detail: err.Error(), Source: "cli"}
	fill := func(code uint32, name, kind string, t registry.Text) {
		r.Code, r.Name, r.Kind = code, name, kind
		r.MessageVi, r.MessageEn, r.HintVi, r.HintEn = t.Vi, t.En, t.HintVi, t.HintEn
	}
	var ce *cliError
	var re *registry.Error
	var pe *fs.PathError
	switch {
	case errors.As(err, &ce):
		fill(ce.Code, ce.Name, ce.Kind, ce.Text)
	case errors.Is(err, context.Canceled):
		fill(errInterrupted.Code, errInterrupted.Name, errInterrupted.Kind, errInterrupted.Text)
	case errors.Is(err, client.ErrTimeout), errors.Is(err, context.DeadlineExceeded) && !client.IsUnreachable(err):
		fill(errTimeout.Code, errTimeout.Name, errTimeout.Kind, errTimeout.Text)
	case errors.As(err, &re) && registry.FromChain(err):
		r.Source = "chain"
		fill(re.Code, re.Name, chainKind(re), re.Text())
	case client.IsUnreachable(err):
		fill(errUnreachable.Code, errUnreachable.Name, errUnreachable.Kind, errUnreachable.Text)
	case errors.As(err, &re):
		kind := kindInvalidInput
		switch re.Code {
		case registry.ErrNotFound.Code:
			kind = kindNotFound
		case registry.ErrNotCurrent.Code:
			kind = kindNotCurrent
		case registry.ErrProofInvalid.Code, registry.ErrWrongChain.Code:
			kind = kindNotVerified
		case registry.ErrInternal.Code:
			kind = kindInternal
		}
		fill(re.Code, re.Name, kind, re.Text())
	case errors.Is(err, keyring.ErrNotFound), errors.Is(err, keyring.ErrExists), errors.Is(err, keyring.ErrBadName),
		errors.Is(err, keyring.ErrWrongPassphrase), errors.Is(err, keyring.ErrCorrupt), errors.Is(err, keyring.ErrBackendMismatch):
		fill(errKeyring.Code, errKeyring.Name, errKeyring.Kind, errKeyring.Text)
	case errors.As(err, &pe) || errors.Is(err, fs.ErrNotExist) || errors.Is(err, fs.ErrPermission):
		fill(errFile.Code, errFile.Name, errFile.Kind, errFile.Text)
	case isCobraUsage(err):
		fill(errUsage.Code, errUsage.Name, errUsage.Kind, errUsage.Text)
	default:
		fill(registry.ErrInternal.Code, registry.ErrInternal.Name, kindInternal, registry.ErrInternal.Text())
	}
	return r
}

// chainKind: what the chain's answer means to the person who asked.
func chainKind(e *registry.Error) string {
	switch e.Code {
	case registry.ErrNotFound.Code:
		return kindNotFound
	case registry.ErrNotCurrent.Code:
		return kindNotCurrent
	case registry.ErrInternal.Code:
		return kindInternal
	}
	return kindRejected
}

// isCobraUsage recognises cobra's own argument and flag errors.
func isCobraUsage(err error) bool {
	s := err.Error()
	for _, p := range []string{"unknown command", "unknown flag", "unknown shorthand flag", "accepts ", "requires at least", "requires at most",
		"required flag(s)", "invalid argument", "flag needs an argument", "if any flags in the group", "none of the others can be"} {
		if strings.HasPrefix(s, p) || strings.Contains(s, " "+p) {
			return true
		}
	}
	return false
}

// kindTitle is the first words a person reads for each kind.
var kindTitle = map[string][2]string{
	kindRejected:       {"Bị chuỗi từ chối", "Rejected by the chain"},
	kindInvalidInput:   {"Chưa gửi: dữ liệu nhập không hợp lệ", "Not sent: invalid input"},
	kindNotFound:       {"Không tìm thấy", "Not found"},
	kindNotCurrent:     {"Không xác nhận được trạng thái hiện tại", "Could not confirm the current state"},
	kindNotVerified:    {"Không xác minh được", "Not verified"},
	kindNetwork:        {"Lỗi mạng (không phải bị từ chối)", "Network failure (not a rejection)"},
	kindUnknownOutcome: {"Chưa rõ kết quả", "Outcome unknown"},
	kindInterrupted:    {"Đã dừng", "Stopped"},
	kindInternal:       {"Lỗi", "Error"},
}

// printError writes the report for err to w: text, or JSON with -o json.
func printError(w io.Writer, output string, err error) {
	r := describe(err)
	if output == "json" {
		enc := json.NewEncoder(w)
		enc.SetEscapeHTML(false)
		_ = enc.Encode(map[string]errorReport{"error": r})
		return
	}
	t := kindTitle[r.Kind]
	fmt.Fprintf(w, "Lỗi / Error %d (%s) — %s / %s\n", r.Code, r.Name, t[0], t[1])
	fmt.Fprintf(w, "  %s / %s\n", r.MessageVi, r.MessageEn)
	if r.Detail != "" {
		fmt.Fprintf(w, "  Chi tiết / Detail: %s\n", r.Detail)
	}
	fmt.Fprintf(w, "  Cách xử lý: %s\n  What to do: %s\n", r.HintVi, r.HintEn)
}
