// Package smsin turns inbound text messages into cases, follow-ups,
// status answers and opt-outs, whichever provider delivered them. It is
// the handler behind functions/smsin (Aliyun, Tencent Cloud and Twilio
// webhooks) and functions/smseum (AWS End User Messaging two-way SMS,
// delivered by SNS).
//
// # One path for every provider
//
// The provider adapters of shared/channel parse and authenticate; every
// message then goes through Processor.Process:
//
//  1. Dedupe: the message is claimed by provider and provider message id
//     (chanstore.ClaimInbound). A retried webhook finds it done and
//     changes nothing: no second case, no second reply. A claim left
//     pending by a crashed worker is taken over after two minutes.
//  2. Rate limit per phone number (shared/ratelimit).
//  3. The text is classified (sms.ParseCommand):
//     - T, TD, R, N, 退订, STOP…: opt-out of progress texts. Never a case,
//     no reply.
//     - 查询 <code>, CX <code>, STATUS <code>: the status of the case with
//     that tracking code (or that case id, if the case is this phone's);
//     查询 alone: usage help.
//     - anything else: a complaint. If the phone has a case opened by SMS
//     in the last 30 days that is not finished, the text is added to that
//     case's facts with a follow_up event; otherwise intake.Service
//     opens a new case (idempotency key sms/<provider>/<message id>), and
//     the tracking code is indexed for 查询.
//  4. The reply (tracking code, status, help, follow-up receipt) is put on
//     the outbound queue with key reply/<provider>/<message id>; the
//     outbound consumer sends it once through the provider interface.
//
// If any step fails the claim is released and the webhook answers 500 (or
// the SNS handler returns an error), so the provider delivers again:
// nothing is lost, and the repeat is idempotent at every step.
//
// # Answers per provider
//
//	                           Aliyun             Tencent              Twilio            EUM (SNS)
//	accepted / duplicate       200 {"code":0…}    200 {"result":0…}    200 <Response/>   nil
//	bad path token / signature 403                403                  403               (IAM)
//	malformed payload          400                400                  400               logged, dropped
//	empty, too long, bad phone 200, dropped       200, dropped         200, dropped      logged, dropped
//	rate limited               429 Retry-After    429 Retry-After      429 Retry-After   logged, dropped
//	store or queue failure     500 (retried)      500 (retried)        500               error (retried)
//
// Unusable but well-formed messages are acknowledged, not refused: the
// providers would retry them for nothing. Nothing is stored for them and
// only their position, provider and error kind are logged. Phone numbers
// and texts are never logged (channel.Inbound logs itself masked).
package smsin

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/open12315/intake/shared/cases"
	"github.com/open12315/intake/shared/channel"
	"github.com/open12315/intake/shared/channel/sms"
	"github.com/open12315/intake/shared/chanstore"
	"github.com/open12315/intake/shared/intake"
	"github.com/open12315/intake/shared/outbound"
	"github.com/open12315/intake/shared/queue"
	"github.com/open12315/intake/shared/ratelimit"
)

// Outcome is what processing did with a message.
type Outcome string

// Outcomes.
const (
	OutcomeCase      Outcome = "case"
	OutcomeFollowUp  Outcome = "follow_up"
	OutcomeStatus    Outcome = "status_query"
	OutcomeHelp      Outcome = "help"
	OutcomeOptOut    Outcome = "opt_out"
	OutcomeDuplicate Outcome = "duplicate"
)

// DefaultFollowUpWindow is how long after opening a case by SMS further
// texts from the same phone are added to it.
const DefaultFollowUpWindow = 30 * 24 * time.Hour

// MaxFactsRunes bounds a case's facts grown by follow-ups; past it a text
// opens a new case.
const MaxFactsRunes = 20000

// ErrBusy: the same message is being processed by another delivery.
var ErrBusy = errors.New("smsin: message is being processed")

// RateLimitedError: the sender is over the limit.
type RateLimitedError struct{ RetryAfter time.Duration }

func (e *RateLimitedError) Error() string {
	return fmt.Sprintf("smsin: rate limited, retry after %s", e.RetryAfter)
}

// Processor handles inbound messages.
type Processor struct {
	Intake   *intake.Service
	Cases    cases.Store
	Chan     *chanstore.Store
	Outbound queue.Sender
	Limiter  *ratelimit.Limiter
	Log      *slog.Logger
	Now      func() time.Time
	// FollowUpWindow defaults to DefaultFollowUpWindow.
	FollowUpWindow time.Duration
	// Stale is how long a pending claim blocks redeliveries (default 2 min).
	Stale time.Duration
}

// Process handles one parsed message; see the package documentation.
func (p *Processor) Process(ctx context.Context, m channel.Inbound) (Outcome, error) {
	now := p.Now()
	stale := p.Stale
	if stale <= 0 {
		stale = 2 * time.Minute
	}
	claim, prev, err := p.Chan.ClaimInbound(ctx, chanstore.Inbound{
		Provider: m.Provider, MessageID: m.MessageID, From: m.From, To: m.To,
	}, now, stale)
	switch {
	case err != nil:
		return "", err
	case claim == chanstore.Done:
		p.Log.InfoContext(ctx, "sms duplicate acknowledged", "provider", m.Provider, "message_id", m.MessageID,
			"case_id", prev.CaseID, "outcome", prev.Outcome)
		return OutcomeDuplicate, nil
	case claim == chanstore.Busy:
		return "", ErrBusy
	}
	dec, lerr := p.Limiter.Allow(ctx, ratelimit.Phone, m.From)
	if lerr != nil {
		p.Log.WarnContext(ctx, "rate limiter unavailable; message let through", "err", lerr.Error())
	}
	if !dec.Allowed {
		p.release(ctx, m)
		return "", &RateLimitedError{RetryAfter: dec.RetryAfter}
	}
	out, caseID, err := p.handle(ctx, m, now)
	if err != nil {
		p.release(ctx, m)
		return "", err
	}
	if err := p.Chan.FinishInbound(ctx, m.Provider, m.MessageID, string(out), caseID); err != nil {
		// Processed; a redelivery after the stale period repeats the
		// idempotent steps only.
		p.Log.WarnContext(ctx, "sms processed but not marked done", "message_id", m.MessageID, "err", err.Error())
	}
	p.Log.InfoContext(ctx, "sms processed", "msg", m, "outcome", string(out), "case_id", caseID)
	return out, nil
}

func (p *Processor) release(ctx context.Context, m channel.Inbound) {
	if err := p.Chan.ReleaseInbound(ctx, m.Provider, m.MessageID); err != nil {
		p.Log.WarnContext(ctx, "sms claim not released; it goes stale", "message_id", m.MessageID, "err", err.Error())
	}
}

func replyKey(m channel.Inbound) string { return "reply/" + m.Provider + "/" + m.MessageID }

func (p *Processor) reply(ctx context.Context, m channel.Inbound, kind outbound.Kind, caseID, code string) error {
	msg := outbound.Message{Kind: kind, Key: replyKey(m), CaseID: caseID, Provider: m.Provider, InboundID: m.MessageID, Code: code}
	if err := p.Outbound.Send(ctx, msg); err != nil {
		return fmt.Errorf("smsin: queue %s reply: %w", kind, err)
	}
	return nil
}

func (p *Processor) handle(ctx context.Context, m channel.Inbound, now time.Time) (Outcome, string, error) {
	cmd, err := sms.ParseCommand(m.Text)
	if err != nil {
		return "", "", err
	}
	switch cmd.Kind {
	case sms.OptOut:
		if err := p.Chan.SetOptOut(ctx, m.From, now); err != nil {
			return "", "", err
		}
		return OutcomeOptOut, "", nil
	case sms.StatusQuery:
		if cmd.Code == "" {
			return OutcomeHelp, "", p.reply(ctx, m, outbound.SMSHelp, "", "")
		}
		id, err := p.lookup(ctx, cmd.Code, m.From)
		if err != nil {
			return "", "", err
		}
		return OutcomeStatus, id, p.reply(ctx, m, outbound.SMSStatus, id, "")
	}
	if c, err := p.openCase(ctx, m, now); err != nil {
		return "", "", err
	} else if c != nil {
		if err := p.followUp(ctx, c.ID, m, now); err != nil {
			return "", "", err
		}
		return OutcomeFollowUp, c.ID, p.reply(ctx, m, outbound.SMSFollowUp, c.ID, "")
	}
	return p.newCase(ctx, m, now)
}

// lookup finds the case a 查询 names: by tracking code, or by case id when
// the case was filed from this phone. "" when none.
func (p *Processor) lookup(ctx context.Context, code, from string) (string, error) {
	if cases.ValidID(code) {
		c, err := p.Cases.Get(ctx, code)
		switch {
		case errors.Is(err, cases.ErrNotFound):
			return "", nil
		case err != nil:
			return "", err
		}
		if n, err := channel.NormalizePhone(c.Consumer.Phone); err == nil && n == from {
			return c.ID, nil
		}
		return "", nil
	}
	id, err := p.Chan.LookupTracking(ctx, cases.HashTrackingCode(code))
	if errors.Is(err, chanstore.ErrNotFound) {
		return "", nil
	}
	return id, err
}

// openCase returns the phone's open SMS case, or nil.
func (p *Processor) openCase(ctx context.Context, m channel.Inbound, now time.Time) (*cases.Case, error) {
	id, err := p.Chan.OpenCase(ctx, m.From, now)
	if errors.Is(err, chanstore.ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	c, err := p.Cases.Get(ctx, id)
	if errors.Is(err, cases.ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	if c.State.Terminal() || utf8.RuneCountInString(c.Facts)+utf8.RuneCountInString(m.Text) > MaxFactsRunes {
		return nil, nil
	}
	return c, nil
}

// followUp appends the text to the case's facts with a follow_up event,
// once per message even across crashes (the event names the message).
func (p *Processor) followUp(ctx context.Context, id string, m channel.Inbound, now time.Time) error {
	ref := m.Provider + "/" + m.MessageID
	for attempt := 0; attempt < 3; attempt++ {
		c, err := p.Cases.Get(ctx, id)
		if err != nil {
			return err
		}
		evs, err := p.Cases.Events(ctx, id)
		if err != nil {
			return err
		}
		for _, e := range evs {
			if e.Type == "follow_up" && e.Data["inbound"] == ref {
				return nil
			}
		}
		next := *c
		next.Version++
		next.UpdatedAt = now.UTC()
		next.Facts = c.Facts + "\n\n【短信补充 " + now.In(cases.Shanghai).Format("2006-01-02 15:04") + "】" + m.Text
		err = p.Cases.Update(ctx, &next, cases.Event{
			CaseID: id, Seq: next.Version, At: now.UTC(), Actor: "consumer", Type: "follow_up",
			From: c.State, To: c.State, Reason: "text from the same phone while the case is open",
			Data: map[string]string{"channel": string(cases.ChannelSMS), "inbound": ref},
		})
		if !errors.Is(err, cases.ErrVersionConflict) {
			return err
		}
	}
	return fmt.Errorf("smsin: follow-up on %s: %w", id, cases.ErrVersionConflict)
}

// national returns a +86 number in the domestic form cases use; other
// numbers stay E.164.
func national(e164 string) string {
	if rest, ok := strings.CutPrefix(e164, "+86"); ok {
		return rest
	}
	return e164
}

func (p *Processor) newCase(ctx context.Context, m channel.Inbound, now time.Time) (Outcome, string, error) {
	sub := cases.Submission{Consumer: cases.Person{Phone: national(m.From)}, Facts: m.Text}
	sub.Normalize()
	sub.Consumer.Phone = national(m.From) // Normalize keeps it; foreign numbers keep their +
	res, err := p.Intake.SubmitWith(ctx, sub, cases.ChannelSMS, "sms/"+m.Provider+"/"+m.MessageID,
		intake.Extras{Identity: &cases.ChannelIdentity{Provider: m.Provider}})
	if err != nil {
		return "", "", fmt.Errorf("smsin: submit: %w", err)
	}
	id, code := res.Case.ID, res.Receipt.TrackingCode
	window := p.FollowUpWindow
	if window <= 0 {
		window = DefaultFollowUpWindow
	}
	if err := p.Chan.SetOpenCase(ctx, m.From, id, now, window); err != nil {
		return "", "", err
	}
	return OutcomeCase, id, p.reply(ctx, m, outbound.SMSReceipt, id, code)
}
