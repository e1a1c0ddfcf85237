package outbound

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/aws/aws-lambda-go/events"

	"github.com/open12315/intake/shared/cases"
	"github.com/open12315/intake/shared/channel"
	"github.com/open12315/intake/shared/channel/wechat"
	"github.com/open12315/intake/shared/chanstore"
)

// Subscriber sends WeChat subscribe messages; *wechat.Client implements it.
type Subscriber interface {
	SendSubscribeMessage(ctx context.Context, m wechat.SubscribeMessage) error
}

// Keywords of the progress subscribe-message template. The template
// chosen in the WeChat console must have these keywords (character_string
// up to 32 characters, thing up to 20, time a date-time).
const (
	FieldCaseID = "character_string1"
	FieldStatus = "thing2"
	FieldUnit   = "thing3"
	FieldTime   = "time4"
)

// Outcomes recorded on a finished send.
const (
	OutcomeSent     = "sent"
	OutcomeRefused  = "refused"   // WeChat 43101
	OutcomeNoCredit = "no_credit" // no one-time subscription left
	OutcomeOptedOut = "opted_out" // the phone sent T/TD/退订
	OutcomeSkipped  = "skipped"   // nothing to send for this case or state
)

// Handler consumes the outbound queue.
type Handler struct {
	Cases cases.Store
	Chan  *chanstore.Store
	SMS   SMSSender
	// WeChat sends subscribe messages; nil disables them.
	WeChat Subscriber
	// ProgressTemplate is the subscribe-message template id for progress.
	ProgressTemplate string
	// ProgressPage is the mini-program page opened from the message; the
	// case id is appended.
	ProgressPage string
	// MiniprogramState is developer, trial or formal (default).
	MiniprogramState string
	// Signature is the SMS 【签名】 the provider adds.
	Signature   string
	MaxSegments int
	Log         *slog.Logger
	Now         func() time.Time
	// Stale is how long a pending send claim blocks redeliveries before it
	// is taken over (default 2 minutes, above the function timeout).
	Stale time.Duration
}

// Handle delivers one batch and reports the messages that failed.
func (h *Handler) Handle(ctx context.Context, ev events.SQSEvent) (events.SQSEventResponse, error) {
	var resp events.SQSEventResponse
	for _, m := range ev.Records {
		var msg Message
		err := json.Unmarshal([]byte(m.Body), &msg)
		if err == nil {
			err = msg.Validate()
		} else {
			err = ErrBadMessage
		}
		outcome := ""
		if err == nil {
			outcome, err = h.Deliver(ctx, msg)
		}
		if err != nil {
			h.Log.ErrorContext(ctx, "outbound message failed", "message_id", m.MessageId, "kind", string(msg.Kind),
				"case_id", msg.CaseID, "err", err.Error())
			resp.BatchItemFailures = append(resp.BatchItemFailures, events.SQSBatchItemFailure{ItemIdentifier: m.MessageId})
			continue
		}
		h.Log.InfoContext(ctx, "outbound message", "kind", string(msg.Kind), "case_id", msg.CaseID, "outcome", outcome)
	}
	return resp, nil
}

// ErrBusy: another delivery of the same message is in progress.
var ErrBusy = errors.New("outbound: send in progress elsewhere")

// Deliver sends one message once and returns its outcome.
func (h *Handler) Deliver(ctx context.Context, m Message) (string, error) {
	stale := h.Stale
	if stale <= 0 {
		stale = 2 * time.Minute
	}
	claim, err := h.Chan.ClaimOutbound(ctx, m.Key, h.Now(), stale)
	switch {
	case err != nil:
		return "", err
	case claim == chanstore.Done:
		return "duplicate", nil
	case claim == chanstore.Busy:
		return "", ErrBusy
	}
	outcome, err := h.send(ctx, m)
	if err != nil {
		if rerr := h.Chan.ReleaseOutbound(ctx, m.Key); rerr != nil {
			h.Log.WarnContext(ctx, "outbound: release failed; the claim goes stale", "case_id", m.CaseID, "err", rerr.Error())
		}
		return "", err
	}
	if err := h.Chan.FinishOutbound(ctx, m.Key, outcome); err != nil {
		// Sent but not marked: a redelivery after the stale period would
		// send again. Report success to SQS anyway so it is not retried now.
		h.Log.WarnContext(ctx, "outbound: sent but not marked done", "case_id", m.CaseID, "err", err.Error())
	}
	return outcome, nil
}

func (h *Handler) send(ctx context.Context, m Message) (string, error) {
	switch m.Kind {
	case KindProgress:
		return h.progress(ctx, m)
	}
	in, err := h.Chan.GetInbound(ctx, m.Provider, m.InboundID)
	if err != nil {
		return "", fmt.Errorf("outbound: inbound record of %s: %w", m.Kind, err)
	}
	var text string
	switch m.Kind {
	case SMSReceipt:
		text = receiptText(m.CaseID, m.Code)
	case SMSHelp:
		text = helpText
	case SMSFollowUp:
		text = followUpText(m.CaseID)
	case SMSStatus:
		text = notFoundText
		if m.CaseID != "" {
			c, err := h.Cases.Get(ctx, m.CaseID)
			if err != nil {
				return "", err
			}
			text = statusText(c)
		}
	}
	return OutcomeSent, h.sms(ctx, m, in.Provider, in.From, text)
}

func (h *Handler) sms(ctx context.Context, m Message, provider, to, text string) error {
	return h.SMS.SendSMS(ctx, SMS{
		Key: m.Key, Provider: provider, To: to, Text: Fit(text, h.Signature, h.MaxSegments),
		Signature: h.Signature, CaseID: m.CaseID, Kind: m.Kind,
	})
}

func (h *Handler) progress(ctx context.Context, m Message) (string, error) {
	c, err := h.Cases.Get(ctx, m.CaseID)
	if err != nil {
		return "", err
	}
	switch c.Channel {
	case cases.ChannelSMS:
		// Routing follows the receipt within seconds; only what a unit
		// does is worth a text, and a referral, which is the answer: the
		// consumer must learn which agency to turn to.
		if m.From == cases.StateReceived && m.State != cases.StateReferred {
			return OutcomeSkipped, nil
		}
		to, err := channel.NormalizePhone(c.Consumer.Phone)
		if err != nil {
			return OutcomeSkipped, nil
		}
		out, err := h.Chan.OptedOut(ctx, to)
		if err != nil {
			return "", err
		}
		if out {
			return OutcomeOptedOut, nil
		}
		provider := ""
		if c.Identity != nil {
			provider = c.Identity.Provider
		}
		return OutcomeSent, h.sms(ctx, m, provider, to, progressText(c, m.State))
	case cases.ChannelMiniProgram:
		return h.subscribe(ctx, m, c)
	}
	return OutcomeSkipped, nil
}

func (h *Handler) subscribe(ctx context.Context, m Message, c *cases.Case) (string, error) {
	if h.WeChat == nil || h.ProgressTemplate == "" || c.Identity == nil || c.Identity.OpenID == "" {
		return OutcomeSkipped, nil
	}
	openid := c.Identity.OpenID
	ok, err := h.Chan.TakeCredit(ctx, openid, h.ProgressTemplate)
	if err != nil {
		return "", err
	}
	if !ok {
		return OutcomeNoCredit, nil
	}
	unit := "待分派"
	switch {
	case m.State == c.State && referralAnswer(c) != "" && c.Routing.Agency != nil:
		unit = c.Routing.Agency.Name // the page the message opens has the contact
	case c.Unit != nil && c.Unit.Name != "":
		unit = c.Unit.Name
	}
	err = h.WeChat.SendSubscribeMessage(ctx, wechat.SubscribeMessage{
		ToUser: openid, TemplateID: h.ProgressTemplate, Page: h.ProgressPage + c.ID,
		MiniprogramState: h.MiniprogramState,
		Data: map[string]string{
			FieldCaseID: c.ID,
			FieldStatus: truncRunes(cases.StatusText(m.State), 20),
			FieldUnit:   truncRunes(unit, 20),
			FieldTime:   c.UpdatedAt.In(cases.Shanghai).Format("2006-01-02 15:04"),
		},
	})
	switch {
	case errors.Is(err, wechat.ErrSubscriptionRefused):
		// Final: the user refused or has no subscription left. Never
		// retried; the credits we counted were wrong, so clear them.
		if cerr := h.Chan.ClearCredits(ctx, openid, h.ProgressTemplate); cerr != nil {
			h.Log.WarnContext(ctx, "outbound: clear credits failed", "case_id", c.ID, "err", cerr.Error())
		}
		return OutcomeRefused, nil
	case err != nil:
		if rerr := h.Chan.RefundCredit(ctx, openid, h.ProgressTemplate); rerr != nil {
			h.Log.WarnContext(ctx, "outbound: refund credit failed", "case_id", c.ID, "err", rerr.Error())
		}
		return "", fmt.Errorf("outbound: subscribe message for %s: %w", c.ID, err)
	}
	return OutcomeSent, nil
}
