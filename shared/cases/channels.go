package cases

import "time"

// ChannelIdentity says who sent a case on its channel, beyond the consumer
// fields: the SMS provider that delivered it, or the mini-program user.
// It holds no phone number (the sender's number is Consumer.Phone) so
// staff views need no extra masking.
type ChannelIdentity struct {
	// Provider is the SMS provider (aliyun, tencent, twilio, eum) or
	// "wechat" for the mini-program.
	Provider string `json:"provider,omitempty"`
	// OpenID is the mini-program user's openid, a pseudonymous id per
	// mini-program; progress notices go to it.
	OpenID string `json:"openid,omitempty"`
}

// HotlineOrder is the 12345 work order a case was transferred from. The
// work order keeps its own due date (the hotline_12345 clock) next to the
// statutory clocks.
type HotlineOrder struct {
	WorkOrderID string `json:"work_order_id"`
	DueDate     string `json:"due_date"` // YYYY-MM-DD as 12345 set it
}

// Content-check verdicts, as WeChat's msgSecCheck v2 answers them, plus
// Unchecked when the check could not run.
const (
	ModerationPass      = "pass"
	ModerationReview    = "review"
	ModerationRisky     = "risky"
	ModerationUnchecked = "unchecked"
)

// Moderation is the verdict of an automatic content check. A case is
// always accepted whatever the verdict (a complaint may quote abuse);
// review and unchecked cases wait for a person, and risky content is never
// shown on a public surface.
type Moderation struct {
	Verdict   string    `json:"verdict"`
	Label     int       `json:"label,omitempty"`
	TraceID   string    `json:"trace_id,omitempty"`
	CheckedAt time.Time `json:"checked_at"`
	// NeedsReview is set for review and unchecked verdicts until a person
	// has looked.
	NeedsReview bool `json:"needs_review,omitempty"`
}

// Publishable reports whether the case's own text may ever appear on a
// public surface (a published case digest, a statistics page): only when
// no content check flagged it. Cases without a check (web, SMS, 12345)
// are publishable subject to the usual masking.
func (c *Case) Publishable() bool {
	m := c.Moderation
	return m == nil || (m.Verdict == ModerationPass && !m.NeedsReview)
}
