// Package miniprogram is the server side of the WeChat mini-program: login,
// sessions, the signed-in user's cases, their phone number and their
// progress subscriptions. It is the handler behind functions/miniprogram.
//
//	POST /v1/mp/login          {"code":"<wx.login code>"} → {"token","expires_at"}
//	POST /v1/mp/phone          {"code":"<getPhoneNumber code>"} → the verified number, masked
//	POST /v1/mp/cases          a submission (same JSON as POST /v1/complaints) → 201 receipt
//	GET  /v1/mp/cases          the user's cases, newest first (?cursor=)
//	POST /v1/mp/subscriptions  {"template_ids":[…]} accepted in wx.requestSubscribeMessage
//
// # Sessions
//
// Login exchanges the wx.login code through jscode2session and answers our
// own opaque token: 32 random bytes, base64url. Only its SHA-256 is stored
// (chanstore SESS#…) with the openid and an expiry (MP_SESSION_TTL,
// default 24 h; the item's TTL removes it). WeChat's session_key is
// neither stored nor returned. Every other route wants
// "Authorization: Bearer <token>"; an unknown or expired token is 401 and
// the mini-program logs in again.
//
// WeChat's answers map to: 40029/40163 (bad or used code) → 401
// invalid_code, call wx.login again; 45011 (minute quota) → 429 with
// Retry-After 60; 40226 (high-risk user) → 403 login_blocked; -1 (busy,
// after the client's one retry) → 503 with Retry-After 5.
//
// # Submissions
//
// A submission is validated with the same rules as the web form; a
// verified phone number fills consumer.phone when the user left it empty.
// The facts and request then go through msgSecCheck v2 (scene 3, in
// 2,500-character chunks, the worst verdict wins):
//
//   - pass: accepted;
//   - review: accepted, flagged for a person (Moderation.NeedsReview);
//   - risky: accepted, flagged, and never shown publicly (Case.Publishable);
//   - check unavailable: accepted as "unchecked", flagged for a person.
//
// A complaint is never refused for its content. The case goes through
// intake.Service with the openid as channel identity (an Idempotency-Key
// header is honoured, scoped to the user), then into the user's list and
// the tracking-code index.
//
// Rate limits: login per source IP, submissions per openid
// (shared/ratelimit), answered 429 with Retry-After.
//
// # Subscriptions
//
// WeChat one-time subscriptions allow one message per acceptance. The
// client reports the template ids the user accepted; each adds one credit
// (capped), which the outbound consumer spends per progress message.
package miniprogram

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/open12315/intake/shared/apierr"
	"github.com/open12315/intake/shared/apigw"
	"github.com/open12315/intake/shared/cases"
	"github.com/open12315/intake/shared/channel"
	"github.com/open12315/intake/shared/channel/wechat"
	"github.com/open12315/intake/shared/chanstore"
	"github.com/open12315/intake/shared/intake"
	"github.com/open12315/intake/shared/ratelimit"
)

// WeChat is what the handler needs of the WeChat API; *wechat.Client.
type WeChat interface {
	Code2Session(ctx context.Context, code string) (wechat.Session, error)
	GetPhoneNumber(ctx context.Context, code string) (wechat.PhoneInfo, error)
	MsgSecCheck(ctx context.Context, openid, content string, scene wechat.Scene) (wechat.SecCheck, error)
}

// Defaults.
const (
	DefaultSessionTTL = 24 * time.Hour
	DefaultMaxCredits = 10
	listPage          = 20
)

// Handler serves the mini-program routes.
type Handler struct {
	// WeChat is nil when no appid/secret is configured: every route that
	// needs it answers 503.
	WeChat  WeChat
	Intake  *intake.Service
	Cases   cases.Store
	Chan    *chanstore.Store
	Limiter *ratelimit.Limiter
	// SessionTTL defaults to DefaultSessionTTL.
	SessionTTL time.Duration
	// Templates are the subscribe-message template ids the client may
	// report; MaxCredits caps credits per template (DefaultMaxCredits).
	Templates  []string
	MaxCredits int
	Log        *slog.Logger
	Now        func() time.Time
	Random     io.Reader // nil: crypto/rand
}

// Receipt is the 201 answer to a submission.
type Receipt struct {
	ID           string      `json:"id"`
	TrackingCode string      `json:"tracking_code"`
	Status       cases.State `json:"status"`
	StatusText   string      `json:"status_text"`
	ReceivedAt   time.Time   `json:"received_at"`
}

// Handle routes one request.
func (h *Handler) Handle(ctx context.Context, r apigw.Request) (apigw.Response, error) {
	return apigw.Serve(ctx, h.Log, r, h.route)
}

func (h *Handler) route(ctx context.Context, r apigw.Request) apigw.Response {
	rid := r.RequestContext.RequestID
	if r.RouteKey == "POST /v1/mp/login" {
		return h.login(ctx, r)
	}
	token, se, e := h.session(ctx, r)
	if e != nil {
		return apigw.Error(e, rid)
	}
	switch r.RouteKey {
	case "POST /v1/mp/phone":
		return h.phone(ctx, r, token)
	case "POST /v1/mp/cases":
		return h.submit(ctx, r, se)
	case "GET /v1/mp/cases":
		return h.list(ctx, r, se)
	case "POST /v1/mp/subscriptions":
		return h.subscribe(ctx, r, se)
	}
	return apigw.Error(apierr.New(http.StatusNotFound, apierr.CodeNotFound, "no such route"), rid)
}

func unavailable(retry int) *apierr.Error {
	e := apierr.New(http.StatusServiceUnavailable, apierr.CodeServiceUnavailable, "WeChat is not reachable; retry shortly")
	e.RetryAfter = retry
	return e
}

func rateLimited(d ratelimit.Decision) *apierr.Error {
	e := apierr.New(http.StatusTooManyRequests, apierr.CodeRateLimited,
		fmt.Sprintf("too many requests: at most %d per %s; retry after %d s", d.Limit.Max, d.Limit.Window, d.RetryAfterSeconds()))
	e.RetryAfter = d.RetryAfterSeconds()
	return e
}

// allow applies a rate limit, failing open when the limiter is down.
func (h *Handler) allow(ctx context.Context, kind, id string) *apierr.Error {
	d, err := h.Limiter.Allow(ctx, kind, id)
	if err != nil {
		h.Log.WarnContext(ctx, "rate limiter unavailable; request let through", "kind", kind, "err", err.Error())
	}
	if !d.Allowed {
		return rateLimited(d)
	}
	return nil
}

type codeBody struct {
	Code string `json:"code"`
}

func (h *Handler) readCode(r apigw.Request) (string, *apierr.Error) {
	var b codeBody
	if e := apigw.DecodeJSON(r, &b); e != nil {
		return "", e
	}
	b.Code = strings.TrimSpace(b.Code)
	if b.Code == "" || len(b.Code) > 256 {
		return "", apierr.Validation(&cases.ValidationError{Fields: []cases.FieldError{
			{Field: "code", Code: "required", Message: "send the code WeChat gave the mini-program"}}})
	}
	return b.Code, nil
}

// wechatError maps a WeChat failure to the answer of package doc.
func (h *Handler) wechatError(ctx context.Context, op string, err error) *apierr.Error {
	switch {
	case errors.Is(err, wechat.ErrInvalidCode):
		return apierr.New(http.StatusUnauthorized, "invalid_code", "the code is invalid or used; call wx.login again")
	case errors.Is(err, wechat.ErrRateLimited):
		e := apierr.New(http.StatusTooManyRequests, apierr.CodeRateLimited, "WeChat's minute quota is reached; retry in a minute")
		e.RetryAfter = 60
		return e
	case errors.Is(err, wechat.ErrHighRisk):
		return apierr.New(http.StatusForbidden, "login_blocked", "WeChat refused this login for a high-risk account")
	case errors.Is(err, channel.ErrBadPhone):
		return apierr.Validation(&cases.ValidationError{Fields: []cases.FieldError{
			{Field: "code", Code: "invalid", Message: "the shared number is not a mobile number we can use"}}})
	}
	h.Log.ErrorContext(ctx, "wechat call failed", "op", op, "err", err.Error())
	return unavailable(5)
}

func (h *Handler) login(ctx context.Context, r apigw.Request) apigw.Response {
	rid := r.RequestContext.RequestID
	if e := h.allow(ctx, ratelimit.IP, r.RequestContext.HTTP.SourceIP); e != nil {
		return apigw.Error(e, rid)
	}
	if h.WeChat == nil {
		h.Log.ErrorContext(ctx, "mini-program appid/secret not configured")
		return apigw.Error(unavailable(60), rid)
	}
	code, e := h.readCode(r)
	if e != nil {
		return apigw.Error(e, rid)
	}
	ws, err := h.WeChat.Code2Session(ctx, code)
	if err != nil {
		return apigw.Error(h.wechatError(ctx, "jscode2session", err), rid)
	}
	token, err := h.newToken()
	if err != nil {
		apigw.LogError(h.Log, r, "token generation failed", err)
		return apigw.Error(apierr.Internal(), rid)
	}
	now := h.Now().UTC()
	ttl := h.SessionTTL
	if ttl <= 0 {
		ttl = DefaultSessionTTL
	}
	se := chanstore.Session{OpenID: ws.OpenID, UnionID: ws.UnionID, CreatedAt: now, ExpiresAt: now.Add(ttl)}
	if err := h.Chan.PutSession(ctx, token, se); err != nil {
		apigw.LogError(h.Log, r, "store session failed", err)
		return apigw.Error(apierr.Internal(), rid)
	}
	h.Log.InfoContext(ctx, "mini-program login", "request_id", rid, "openid", channel.MaskPhone(ws.OpenID))
	return apigw.JSON(http.StatusOK, map[string]any{"token": token, "expires_at": se.ExpiresAt})
}

func (h *Handler) newToken() (string, error) {
	rnd := h.Random
	if rnd == nil {
		rnd = rand.Reader
	}
	b := make([]byte, 32)
	if _, err := io.ReadFull(rnd, b); err != nil {
		return "", fmt.Errorf("miniprogram: new token: %w", err)
	}
	return base64.RawURLEncoding.EncodeToString(b), nil
}

func (h *Handler) session(ctx context.Context, r apigw.Request) (string, chanstore.Session, *apierr.Error) {
	token, ok := strings.CutPrefix(apigw.Header(r, "authorization"), "Bearer ")
	token = strings.TrimSpace(token)
	unauth := apierr.New(http.StatusUnauthorized, apierr.CodeUnauthorized, "log in again (POST /v1/mp/login)")
	if !ok || token == "" || len(token) > 128 {
		return "", chanstore.Session{}, unauth
	}
	se, err := h.Chan.GetSession(ctx, token, h.Now())
	switch {
	case errors.Is(err, chanstore.ErrNotFound):
		return "", chanstore.Session{}, unauth
	case err != nil:
		h.Log.ErrorContext(ctx, "read session failed", "err", err.Error())
		return "", chanstore.Session{}, apierr.Internal()
	}
	return token, se, nil
}

func (h *Handler) phone(ctx context.Context, r apigw.Request, token string) apigw.Response {
	rid := r.RequestContext.RequestID
	if h.WeChat == nil {
		return apigw.Error(unavailable(60), rid)
	}
	code, e := h.readCode(r)
	if e != nil {
		return apigw.Error(e, rid)
	}
	pi, err := h.WeChat.GetPhoneNumber(ctx, code)
	if err != nil {
		e := h.wechatError(ctx, "getuserphonenumber", err)
		if e.Code == "invalid_code" {
			e.Status, e.Message = http.StatusBadRequest, "the phone code is invalid or used; ask the user again"
		}
		return apigw.Error(e, rid)
	}
	if err := h.Chan.SetSessionPhone(ctx, token, pi.E164); err != nil {
		apigw.LogError(h.Log, r, "store phone failed", err)
		return apigw.Error(apierr.Internal(), rid)
	}
	return apigw.JSON(http.StatusOK, map[string]string{"phone": channel.MaskPhone(pi.E164)})
}

// secCheck runs msgSecCheck over the text in chunks and keeps the worst
// verdict; a failure yields "unchecked".
func (h *Handler) secCheck(ctx context.Context, openid, text string) *cases.Moderation {
	m := &cases.Moderation{Verdict: cases.ModerationPass, CheckedAt: h.Now().UTC()}
	rank := map[string]int{cases.ModerationPass: 0, cases.ModerationReview: 1, cases.ModerationUnchecked: 1, cases.ModerationRisky: 2}
	runes := []rune(text)
	for i := 0; i < len(runes); i += wechat.MaxSecCheckRunes {
		chunk := string(runes[i:min(i+wechat.MaxSecCheckRunes, len(runes))])
		if strings.TrimSpace(chunk) == "" {
			continue
		}
		res, err := h.WeChat.MsgSecCheck(ctx, openid, chunk, wechat.SceneForum)
		if err != nil {
			h.Log.WarnContext(ctx, "content check unavailable; case flagged for review", "err", err.Error())
			if rank[cases.ModerationUnchecked] > rank[m.Verdict] {
				m.Verdict = cases.ModerationUnchecked
			}
			continue
		}
		if v := string(res.Suggest); rank[v] > rank[m.Verdict] {
			m.Verdict, m.Label, m.TraceID = v, res.Label, res.TraceID
		} else if m.TraceID == "" {
			m.Label, m.TraceID = res.Label, res.TraceID
		}
	}
	m.NeedsReview = m.Verdict != cases.ModerationPass
	return m
}

func (h *Handler) submit(ctx context.Context, r apigw.Request, se chanstore.Session) apigw.Response {
	rid := r.RequestContext.RequestID
	if e := h.allow(ctx, ratelimit.OpenID, se.OpenID); e != nil {
		return apigw.Error(e, rid)
	}
	key, e := apigw.IdempotencyKey(r)
	if e != nil {
		return apigw.Error(e, rid)
	}
	var sub cases.Submission
	if e := apigw.DecodeJSON(r, &sub); e != nil {
		return apigw.Error(e, rid)
	}
	if strings.TrimSpace(sub.Consumer.Phone) == "" && se.Phone != "" {
		sub.Consumer.Phone = strings.TrimPrefix(se.Phone, "+86")
	}
	sub.Normalize()
	if e := apierr.FromValidation(sub.Validate()); e != nil {
		return apigw.Error(e, rid)
	}
	var mod *cases.Moderation
	if h.WeChat != nil {
		mod = h.secCheck(ctx, se.OpenID, strings.TrimSpace(sub.Facts+"\n"+sub.Request))
	} else {
		mod = &cases.Moderation{Verdict: cases.ModerationUnchecked, CheckedAt: h.Now().UTC(), NeedsReview: true}
	}
	if key != "" {
		key = "mp/" + se.OpenID + "/" + key
	}
	res, err := h.Intake.SubmitWith(ctx, sub, cases.ChannelMiniProgram, key, intake.Extras{
		Identity: &cases.ChannelIdentity{Provider: "wechat", OpenID: se.OpenID}, Moderation: mod,
	})
	switch {
	case errors.Is(err, intake.ErrKeyReused):
		return apigw.Error(apierr.New(http.StatusUnprocessableEntity, apierr.CodeIdempotencyReused,
			"this Idempotency-Key was used for a different request"), rid)
	case err != nil:
		apigw.LogError(h.Log, r, "submit failed", err)
		return apigw.Error(apierr.Internal(), rid)
	}
	c := res.Case
	if err := h.Chan.PutUserCase(ctx, se.OpenID, chanstore.UserCase{CaseID: c.ID, ReceivedAt: c.ReceivedAt}); err != nil {
		apigw.LogError(h.Log, r, "index user case failed; a retry with the same Idempotency-Key repairs it", err)
		return apigw.Error(apierr.Internal(), rid)
	}
	verdict := ""
	if c.Moderation != nil {
		verdict = c.Moderation.Verdict
	}
	h.Log.InfoContext(ctx, "case filed", "request_id", rid, "case_id", c.ID, "channel", "miniprogram",
		"moderation", verdict, "replayed", res.Replayed, "queued", res.Queued)
	hdr := []string{"location", "/v1/complaints/" + c.ID}
	if res.Replayed {
		hdr = append(hdr, "idempotent-replayed", "true")
	}
	return apigw.JSON(http.StatusCreated, Receipt{
		ID: c.ID, TrackingCode: res.Receipt.TrackingCode, Status: cases.StateReceived,
		StatusText: cases.StatusText(cases.StateReceived), ReceivedAt: c.ReceivedAt,
	}, hdr...)
}

// CaseList is the answer of GET /v1/mp/cases.
type CaseList struct {
	Cases      []cases.PublicView `json:"cases"`
	NextCursor string             `json:"next_cursor,omitempty"`
}

func (h *Handler) list(ctx context.Context, r apigw.Request, se chanstore.Session) apigw.Response {
	rid := r.RequestContext.RequestID
	cursor := r.QueryStringParameters["cursor"]
	if cursor != "" && !utf8.ValidString(cursor) {
		return apigw.Error(apierr.New(http.StatusBadRequest, apierr.CodeValidation, "bad cursor"), rid)
	}
	ucs, next, err := h.Chan.UserCases(ctx, se.OpenID, listPage, cursor)
	if err != nil {
		if cursor != "" {
			return apigw.Error(apierr.New(http.StatusBadRequest, apierr.CodeValidation, "bad cursor"), rid)
		}
		apigw.LogError(h.Log, r, "list user cases failed", err)
		return apigw.Error(apierr.Internal(), rid)
	}
	out := CaseList{Cases: make([]cases.PublicView, 0, len(ucs)), NextCursor: next}
	for _, uc := range ucs {
		c, err := h.Cases.Get(ctx, uc.CaseID)
		if err != nil {
			apigw.LogError(h.Log, r, "get listed case failed", err)
			return apigw.Error(apierr.Internal(), rid)
		}
		// The index is the user's; check the case agrees all the same.
		if c.Identity == nil || c.Identity.OpenID != se.OpenID {
			continue
		}
		out.Cases = append(out.Cases, c.Public())
	}
	return apigw.JSON(http.StatusOK, out)
}

type subscribeBody struct {
	TemplateIDs []string `json:"template_ids"`
}

func (h *Handler) subscribe(ctx context.Context, r apigw.Request, se chanstore.Session) apigw.Response {
	rid := r.RequestContext.RequestID
	var b subscribeBody
	if e := apigw.DecodeJSON(r, &b); e != nil {
		return apigw.Error(e, rid)
	}
	known := map[string]bool{}
	for _, t := range h.Templates {
		known[t] = true
	}
	if len(b.TemplateIDs) == 0 || len(b.TemplateIDs) > 3 {
		return apigw.Error(apierr.Validation(&cases.ValidationError{Fields: []cases.FieldError{
			{Field: "template_ids", Code: "invalid", Message: "send the 1 to 3 template ids the user accepted"}}}), rid)
	}
	maxc := h.MaxCredits
	if maxc <= 0 {
		maxc = DefaultMaxCredits
	}
	credits := map[string]int{}
	for i, t := range b.TemplateIDs {
		if !known[t] {
			return apigw.Error(apierr.Validation(&cases.ValidationError{Fields: []cases.FieldError{
				{Field: "template_ids[" + strconv.Itoa(i) + "]", Code: "invalid", Message: "not a template this service sends"}}}), rid)
		}
		n, err := h.Chan.AddCredits(ctx, se.OpenID, t, 1, maxc)
		if err != nil {
			apigw.LogError(h.Log, r, "add credits failed", err)
			return apigw.Error(apierr.Internal(), rid)
		}
		credits[t] = n
	}
	return apigw.JSON(http.StatusOK, map[string]any{"credits": credits})
}
