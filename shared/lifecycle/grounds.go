package lifecycle

import (
	"time"

	"github.com/open12315/intake/shared/calendar"
)

// Order121From is the day Order 121 took effect: cases received from this
// day on are handled under it (domain.md §0).
var Order121From = time.Date(2026, time.April, 15, 0, 0, 0, 0, calendar.Location)

// Ground is one legal ground for refusing a complaint or terminating
// mediation.
type Ground struct {
	Code  string `json:"code"`
	Title string `json:"title"`
	Basis string `json:"basis"`
	// Confirmed is false for grounds taken from secondary sources only.
	Confirmed bool `json:"confirmed"`
	// From, when set, is the first receipt date the ground applies to.
	From time.Time `json:"from,omitempty"`
}

// appliesTo reports whether the ground may be used for a case received at
// received.
func (g Ground) appliesTo(received time.Time) bool {
	return g.From.IsZero() || !received.Before(g.From)
}

// GroundNotOurDuty is the refusal ground for a matter outside
// market-regulation duties (Order 20 Art. 15(1)); reject may then name the
// agency it belongs to.
const GroundNotOurDuty = "15-1"

// RefusalGrounds are the grounds for 不予受理 (Order 20 Art. 15). The Order
// 121 identity ground (impersonation or refusal of identity verification)
// is known from secondary sources only and is UNCONFIRMED; it applies to
// cases received from Order121From on.
var RefusalGrounds = []Ground{
	{Code: "15-1", Title: "不属于市场监督管理部门职责，或者本行政机关不具有处理权限", Basis: "Order 20 Art. 15(1)", Confirmed: true},
	{Code: "15-2", Title: "法院、仲裁机构、市场监督管理部门或者其他行政机关、消费者协会或者依法成立的其他调解组织已经受理或者处理过同一消费者权益争议", Basis: "Order 20 Art. 15(2)", Confirmed: true},
	{Code: "15-3", Title: "不是为生活消费需要购买、使用商品或者接受服务，或者不能证明与被投诉人之间存在消费者权益争议", Basis: "Order 20 Art. 15(3)", Confirmed: true},
	{Code: "15-4", Title: "除法律另有规定外，投诉人知道或者应当知道自己的权益受到被投诉人侵害之日起超过三年", Basis: "Order 20 Art. 15(4)", Confirmed: true},
	{Code: "15-5", Title: "未提供本办法第九条第一款和第十条规定的材料", Basis: "Order 20 Art. 15(5)", Confirmed: true},
	{Code: "15-6", Title: "法律、法规、规章规定不予受理的其他情形", Basis: "Order 20 Art. 15(6)", Confirmed: true},
	{Code: "121-identity", Title: "冒用他人身份或者拒不配合身份核验", Basis: "Order 121 (article number UNCONFIRMED; secondary sources cite Art. 16)", Confirmed: false, From: Order121From},
}

// TerminationGrounds are the grounds for 终止调解 (Order 20 Art. 21). The
// Order 121 ground for extortion-type claims is UNCONFIRMED and applies to
// cases received from Order121From on.
var TerminationGrounds = []Ground{
	{Code: "21-1", Title: "投诉人撤回投诉或者双方自行和解", Basis: "Order 20 Art. 21(1)(1)", Confirmed: true},
	{Code: "21-2", Title: "投诉人与被投诉人对委托承担检定、检验、检测、鉴定工作的技术机构或者费用承担无法协商一致", Basis: "Order 20 Art. 21(1)(2)", Confirmed: true},
	{Code: "21-3", Title: "投诉人或者被投诉人无正当理由不参加调解，或者被投诉人明确拒绝调解", Basis: "Order 20 Art. 21(1)(3)", Confirmed: true},
	{Code: "21-4", Title: "经组织调解，投诉人或者被投诉人明确表示无法达成调解协议", Basis: "Order 20 Art. 21(1)(4)", Confirmed: true},
	{Code: "21-5", Title: "自投诉受理之日起四十五个工作日内投诉人和被投诉人未能达成调解协议", Basis: "Order 20 Art. 21(1)(5)", Confirmed: true},
	{Code: "21-6", Title: "市场监督管理部门受理投诉后，发现存在本办法第十五条规定情形", Basis: "Order 20 Art. 21(1)(6)", Confirmed: true},
	{Code: "21-7", Title: "法律、法规、规章规定的应当终止调解的其他情形", Basis: "Order 20 Art. 21(1)(7)", Confirmed: true},
	{Code: "121-fraud", Title: "投诉人提供虚假材料或者以骗取赔偿等不正当利益为目的", Basis: "Order 121 (article number UNCONFIRMED; secondary sources cite Art. 23(1)(6))", Confirmed: false, From: Order121From},
}

func findGround(list []Ground, code string) (Ground, bool) {
	for _, g := range list {
		if g.Code == code {
			return g, true
		}
	}
	return Ground{}, false
}

func groundCodes(list []Ground) []string {
	out := make([]string, len(list))
	for i, g := range list {
		out[i] = g.Code
	}
	return out
}
