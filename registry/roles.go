package registry

import "sort"

// Roles an agency can hold. Only the council grants them.
const (
	RoleResultIssuer      = "result.issuer"     // issues administrative results (kết quả TTHC)
	RoleResultInspector   = "result.inspector"  // logs inspections of results (lưu vết kiểm tra)
	RoleNotaryAuthority   = "notary.authority"  // authorises notary offices (Sở Tư pháp)
	RoleNotaryOffice      = "notary.office"     // notarises contracts (tổ chức hành nghề công chứng)
	RoleBlockingAuthority = "notary.blocker"    // records blocking notices (tòa án, cơ quan THADS)
	RoleFoodAuthority     = "food.authority"    // authorises food businesses (BQL ATTP)
	RoleFoodBusiness      = "food.business"     // records food-chain events
	RoleCraftRegistrar    = "craft.registrar"   // enrols artisans (HTX làng nghề, Sở Công Thương)
	RoleCraftArtisan      = "craft.artisan"     // registers craft products
	RoleProductRater      = "product.rater"     // attests quality ratings such as OCOP stars
	RolePayloadPublisher  = "payload.publisher" // publishes public payloads
)

// RoleInfo describes a role for people.
type RoleInfo struct {
	Role string
	VI   string
	EN   string
}

// Roles returns the table of known roles, sorted by name.
func Roles() []RoleInfo {
	r := []RoleInfo{
		{RoleResultIssuer, "Cấp kết quả thủ tục hành chính", "Issue administrative results"},
		{RoleResultInspector, "Ghi nhận kiểm tra kết quả", "Log inspections of results"},
		{RoleNotaryAuthority, "Quản lý tổ chức hành nghề công chứng", "Authorise notary offices"},
		{RoleNotaryOffice, "Công chứng hợp đồng", "Notarise contracts"},
		{RoleBlockingAuthority, "Ban hành thông tin ngăn chặn", "Issue blocking notices"},
		{RoleFoodAuthority, "Quản lý an toàn thực phẩm", "Authorise food businesses"},
		{RoleFoodBusiness, "Cơ sở sản xuất, kinh doanh thực phẩm", "Record food-chain events"},
		{RoleCraftRegistrar, "Đăng ký nghệ nhân", "Enrol artisans"},
		{RoleCraftArtisan, "Nghệ nhân, cơ sở thủ công mỹ nghệ", "Register craft products"},
		{RoleProductRater, "Đánh giá, xếp hạng sản phẩm (OCOP)", "Attest product ratings (OCOP)"},
		{RolePayloadPublisher, "Công bố dữ liệu công khai", "Publish public payloads"},
	}
	sort.Slice(r, func(i, j int) bool { return r[i].Role < r[j].Role })
	return r
}

// KnownRole reports whether role is in the table.
func KnownRole(role string) bool {
	for _, r := range Roles() {
		if r.Role == role {
			return true
		}
	}
	return false
}
