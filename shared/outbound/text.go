package outbound

import (
	"strings"
	"unicode/utf8"

	"github.com/open12315/intake/shared/cases"
	"github.com/open12315/intake/shared/channel/sms"
)

// DefaultMaxSegments bounds every outbound SMS: three UCS-2 segments are
// 201 characters with the signature, enough for any answer here.
const DefaultMaxSegments = 3

// The texts. They name the case id (which the consumer needs to quote on
// the phone) and never repeat what the consumer wrote.
func receiptText(id, code string) string {
	return "已收到您的投诉，案件编号" + id + "，查询码" + code + "。回复“查询 " + code + "”可查进度，回复T退订进度通知。"
}

func statusText(c *cases.Case) string {
	head := "案件" + c.ID + "当前状态：" + cases.StatusText(c.State) + "。"
	// A case another agency's, or an answered inquiry, ends with what the
	// consumer was told; the reply comes last, so that Fit cuts only its
	// end (the web page has it whole).
	a, r := referralAnswer(c)+reason(c), reply(c)
	if r != "" {
		r = "答复：" + r
	}
	if a != "" || r != "" {
		return head + a + r
	}
	var b strings.Builder
	b.WriteString(head)
	if c.Unit != nil && c.Unit.Name != "" {
		b.WriteString("承办单位：" + c.Unit.Name + "。")
	}
	if k := c.CurrentClock(); k != nil {
		b.WriteString("办理期限：" + k.DueDate.String() + "。")
	}
	return b.String()
}

const (
	notFoundText = "未找到该查询码对应的案件，请核对后重新发送“查询 查询码”。"
	helpText     = "发送“查询 查询码”（或 STATUS 查询码）可查案件进度；直接发送文字即可投诉；回复T退订进度通知。"
)

func followUpText(id string) string {
	return "您补充的内容已并入案件" + id + "，承办单位将一并处理。"
}

// referralAnswer is what a referred case, or one a bureau ended as another
// agency's matter (refused, not filed, answered), tells the consumer: the
// agency and how to reach it (empty for any other case).
func referralAnswer(c *cases.Case) string {
	switch c.State {
	case cases.StateReferred, cases.StateNotAccepted, cases.StateNotFiled, cases.StateAnswered:
	default:
		return ""
	}
	if c.Routing == nil {
		return ""
	}
	if c.Routing.Answer != "" {
		return c.Routing.Answer
	}
	if a := c.Routing.Agency; a != nil {
		return cases.ReferralAnswer(*a)
	}
	return ""
}

// reason is why a complaint was not accepted or its mediation terminated
// (cases.Outcome.Reason), unless an agency was named, whose answer says
// why already.
func reason(c *cases.Case) string {
	r := c.Outcome.Reason(c.State)
	if r == "" || referralAnswer(c) != "" {
		return ""
	}
	return "理由：" + r + "。"
}

// reply is the answer to an answered inquiry, on one line.
func reply(c *cases.Case) string {
	if c.State != cases.StateAnswered || c.Outcome == nil {
		return ""
	}
	return strings.Join(strings.Fields(c.Outcome.Reply), " ")
}

func progressText(c *cases.Case, state cases.State) string {
	if r := reply(c); r != "" && state == c.State {
		// The reply comes last, so that Fit cuts only its end.
		return "您的案件" + c.ID + "已答复（回复T退订进度通知）：" + referralAnswer(c) + r
	}
	if a := referralAnswer(c) + reason(c); a != "" && state == c.State {
		if state == cases.StateReferred {
			return "您的案件" + c.ID + "：" + a + "回复T退订。"
		}
		return "您的案件" + c.ID + "有新进展：" + cases.StatusText(state) + "。" + a + "回复T退订。"
	}
	return "您的案件" + c.ID + "有新进展：" + cases.StatusText(state) + "。回复“查询 查询码”可查详情，回复T退订。"
}

// Fit cuts text so that, with signature, it needs at most maxSegments
// segments; a cut text ends with "…".
func Fit(text, signature string, maxSegments int) string {
	if maxSegments <= 0 {
		maxSegments = DefaultMaxSegments
	}
	if n, _ := sms.Segments(text, signature); n <= maxSegments {
		return text
	}
	cut := sms.Fit(text, signature, maxSegments)
	for cut != "" {
		if n, _ := sms.Segments(cut+"…", signature); n <= maxSegments {
			return cut + "…"
		}
		_, size := utf8.DecodeLastRuneInString(cut)
		cut = cut[:len(cut)-size]
	}
	return ""
}

// truncRunes cuts s to at most n runes (subscribe-message "thing" values
// allow 20).
func truncRunes(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n-1]) + "…"
}
