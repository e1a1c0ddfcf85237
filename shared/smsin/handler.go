package smsin

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strconv"
	"time"

	"github.com/aws/aws-lambda-go/events"

	"github.com/open12315/intake/shared/apigw"
	"github.com/open12315/intake/shared/channel"
	"github.com/open12315/intake/shared/channel/aliyun"
	"github.com/open12315/intake/shared/channel/eum"
	"github.com/open12315/intake/shared/channel/tencent"
	"github.com/open12315/intake/shared/channel/twilio"
)

// Route keys served by Handler.
const (
	RouteAliyun  = "POST /v1/sms/aliyun/{token}"
	RouteTencent = "POST /v1/sms/tencent/{token}"
	RouteTwilio  = "POST /v1/sms/twilio"
)

// Processing handles one parsed message; *Processor implements it.
type Processing interface {
	Process(ctx context.Context, m channel.Inbound) (Outcome, error)
}

// Handler serves the SMS provider webhooks (API Gateway HTTP API).
type Handler struct {
	Proc Processing
	// AliyunToken and TencentToken are the secret path tokens of the
	// providers without a signature scheme. Unset: every request is 403.
	AliyunToken  string
	TencentToken string
	// TwilioAuthToken verifies X-Twilio-Signature. Unset: every request is
	// 403.
	TwilioAuthToken string
	// TwilioURL is the webhook URL exactly as configured in Twilio; empty
	// rebuilds it from the request (https, Host header, raw path), which
	// is wrong behind a custom domain with a base path.
	TwilioURL string
	Log       *slog.Logger
}

// proto is one provider's answers.
type proto struct {
	name string
	ok   channel.Response
	fail func(status int, msg string) channel.Response
}

// jsonFail answers a failure in a JSON provider's own shape, e.g.
// {"code":403,"msg":"forbidden"} for Aliyun.
func jsonFail(codeField, msgField string) func(int, string) channel.Response {
	return func(status int, msg string) channel.Response {
		b, _ := json.Marshal(map[string]any{codeField: status, msgField: msg})
		return channel.Response{Status: status, ContentType: "application/json; charset=utf-8", Body: b}
	}
}

var (
	protoAliyun  = proto{"aliyun", aliyun.SuccessResponse(), jsonFail("code", "msg")}
	protoTencent = proto{"tencent", tencent.SuccessResponse(), jsonFail("result", "errmsg")}
	protoTwilio  = proto{"twilio", twilio.SuccessResponse(), func(status int, _ string) channel.Response {
		return channel.Response{Status: status, ContentType: "text/xml; charset=utf-8",
			Body: []byte(`<?xml version="1.0" encoding="UTF-8"?><Response></Response>`)}
	}}
)

// Handle serves one webhook request.
func (h *Handler) Handle(ctx context.Context, r apigw.Request) (apigw.Response, error) {
	return apigw.Serve(ctx, h.Log, r, h.route)
}

func (h *Handler) route(ctx context.Context, r apigw.Request) apigw.Response {
	switch r.RouteKey {
	case RouteAliyun:
		return h.tokenWebhook(ctx, r, protoAliyun, h.AliyunToken, aliyun.Parse)
	case RouteTencent:
		return h.tokenWebhook(ctx, r, protoTencent, h.TencentToken, tencent.Parse)
	case RouteTwilio:
		return h.twilio(ctx, r)
	}
	return answer(channel.Response{Status: http.StatusNotFound, ContentType: "text/plain", Body: []byte("not found")})
}

func answer(c channel.Response, headers ...string) apigw.Response {
	hd := map[string]string{"content-type": c.ContentType, "cache-control": "no-store"}
	for i := 0; i+1 < len(headers); i += 2 {
		hd[headers[i]] = headers[i+1]
	}
	return apigw.Response{StatusCode: c.Status, Headers: hd, Body: string(c.Body)}
}

func (h *Handler) tokenWebhook(ctx context.Context, r apigw.Request, p proto, want string,
	parse func([]byte) ([]channel.Inbound, error)) apigw.Response {
	if want == "" {
		h.Log.ErrorContext(ctx, "webhook secret not configured; refusing", "provider", p.name)
	}
	if !channel.CheckToken(r.PathParameters["token"], want) {
		return answer(p.fail(http.StatusForbidden, "forbidden"))
	}
	body, err := body(r)
	if err != nil {
		return answer(p.fail(channel.StatusCode(err), "bad body"))
	}
	msgs, err := parse(body)
	return h.process(ctx, p, msgs, err)
}

func (h *Handler) twilio(ctx context.Context, r apigw.Request) apigw.Response {
	p := protoTwilio
	if h.TwilioAuthToken == "" {
		h.Log.ErrorContext(ctx, "twilio auth token not configured; refusing")
		return answer(p.fail(http.StatusForbidden, ""))
	}
	body, err := body(r)
	if err != nil {
		return answer(p.fail(channel.StatusCode(err), ""))
	}
	u := h.TwilioURL
	if u == "" {
		u = "https://" + apigw.Header(r, "host") + r.RawPath
		if r.RawQueryString != "" {
			u += "?" + r.RawQueryString
		}
	}
	msgs, err := twilio.Parse(body, u, apigw.Header(r, twilio.SignatureHeader), h.TwilioAuthToken)
	return h.process(ctx, p, msgs, err)
}

// maxWebhookBody bounds provider payloads: an Aliyun batch of a hundred
// replies is far below it.
const maxWebhookBody = 256 << 10

func body(r apigw.Request) ([]byte, error) {
	b, err := channel.DecodeBody(r.Body, r.IsBase64Encoded)
	if err != nil {
		return nil, err
	}
	if len(b) > maxWebhookBody {
		return nil, fmt.Errorf("smsin: body over %d bytes: %w", maxWebhookBody, channel.ErrMalformed)
	}
	return b, nil
}

// process handles what the adapter parsed and picks the answer.
func (h *Handler) process(ctx context.Context, p proto, msgs []channel.Inbound, perr error) apigw.Response {
	if perr != nil {
		var item *channel.ItemError
		switch {
		case errors.Is(perr, channel.ErrBadSignature):
			h.Log.WarnContext(ctx, "webhook signature mismatch", "provider", p.name)
			return answer(p.fail(http.StatusForbidden, "forbidden"))
		case errors.As(perr, &item):
			// Some items unusable: drop them, keep the rest.
			logDropped(ctx, h.Log, p.name, perr)
		case errors.Is(perr, channel.ErrEmpty), errors.Is(perr, channel.ErrTooLong), errors.Is(perr, channel.ErrBadPhone):
			logDropped(ctx, h.Log, p.name, perr)
		case errors.Is(perr, channel.ErrMalformed):
			return answer(p.fail(http.StatusBadRequest, "malformed payload"))
		default:
			h.Log.ErrorContext(ctx, "webhook parse failed", "provider", p.name, "err", perr.Error())
			return answer(p.fail(http.StatusInternalServerError, "retry later"))
		}
	}
	var retry time.Duration
	failed := false
	for _, m := range msgs {
		_, err := h.Proc.Process(ctx, m)
		var rl *RateLimitedError
		switch {
		case err == nil:
		case errors.As(err, &rl):
			retry = max(retry, rl.RetryAfter)
			h.Log.WarnContext(ctx, "sms rate limited", "provider", p.name, "message_id", m.MessageID)
		default:
			failed = true
			h.Log.ErrorContext(ctx, "sms processing failed; provider will retry", "provider", p.name,
				"message_id", m.MessageID, "err", err.Error())
		}
	}
	switch {
	case failed:
		return answer(p.fail(http.StatusInternalServerError, "retry later"))
	case retry > 0:
		secs := strconv.Itoa(int((retry + time.Second - 1) / time.Second))
		return answer(p.fail(http.StatusTooManyRequests, "rate limited"), "retry-after", secs)
	}
	return answer(p.ok)
}

// logDropped logs which items were dropped and why, without their content.
func logDropped(ctx context.Context, log *slog.Logger, provider string, err error) {
	var kinds []string
	for _, e := range unwrapAll(err) {
		var item *channel.ItemError
		idx := -1
		if errors.As(e, &item) {
			idx = item.Index
		}
		kind := "other"
		switch {
		case errors.Is(e, channel.ErrEmpty):
			kind = "empty"
		case errors.Is(e, channel.ErrTooLong):
			kind = "too_long"
		case errors.Is(e, channel.ErrBadPhone):
			kind = "bad_phone"
		case errors.Is(e, channel.ErrMalformed):
			kind = "malformed"
		}
		kinds = append(kinds, strconv.Itoa(idx)+":"+kind)
	}
	log.WarnContext(ctx, "sms items dropped, acknowledged", "provider", provider, "items", kinds)
}

// unwrapAll flattens joined errors down to the item errors.
func unwrapAll(err error) []error {
	var item *channel.ItemError
	if errors.As(err, &item) && err == error(item) {
		return []error{err}
	}
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		var out []error
		for _, e := range j.Unwrap() {
			out = append(out, unwrapAll(e)...)
		}
		return out
	}
	if u := errors.Unwrap(err); u != nil {
		return unwrapAll(u)
	}
	return []error{err}
}

// SNSHandler consumes AWS End User Messaging two-way SMS from an SNS
// topic subscription.
type SNSHandler struct {
	Proc Processing
	Log  *slog.Logger
}

// Handle processes an SNS event. Unusable records are logged and dropped;
// a processing failure returns an error after the other records, so that
// Lambda's retry of the event repeats only what did not finish (the rest
// is deduped). Rate-limited messages are dropped: SNS has no
// retry-after.
func (h *SNSHandler) Handle(ctx context.Context, ev events.SNSEvent) error {
	var errs []error
	for i, rec := range ev.Records {
		m, err := eum.ParseSNSMessage(rec.SNS.Message)
		if err != nil {
			logDropped(ctx, h.Log, eum.Provider, &channel.ItemError{Index: i, Err: err})
			continue
		}
		if !rec.SNS.Timestamp.IsZero() {
			m.ReceivedAt = rec.SNS.Timestamp.UTC()
		}
		_, err = h.Proc.Process(ctx, m)
		var rl *RateLimitedError
		switch {
		case err == nil:
		case errors.As(err, &rl):
			h.Log.WarnContext(ctx, "sms rate limited; dropped", "provider", eum.Provider, "message_id", m.MessageID)
		default:
			errs = append(errs, fmt.Errorf("record %d: %w", i, err))
		}
	}
	if len(errs) > 0 {
		return fmt.Errorf("smsin: %w", errors.Join(errs...))
	}
	return nil
}
