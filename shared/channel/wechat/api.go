package wechat

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strconv"
	"unicode/utf8"

	"github.com/open12315/intake/shared/channel"
	"github.com/open12315/intake/shared/channel/internal/flex"
)

// Session is the result of Code2Session. SessionKey is a secret: keep it
// server-side and never send it to the client; Session prints redacted.
type Session struct {
	OpenID     string
	UnionID    string // empty unless the app is bound to an Open Platform account
	SessionKey string
}

// String describes s with the session key redacted and the ids masked.
func (s Session) String() string {
	return fmt.Sprintf("Session{OpenID:%s UnionID:%s SessionKey:REDACTED}",
		channel.MaskPhone(s.OpenID), channel.MaskPhone(s.UnionID))
}

// GoString is String.
func (s Session) GoString() string { return s.String() }

// LogValue implements slog.LogValuer without the session key.
func (s Session) LogValue() slog.Value {
	return slog.GroupValue(slog.String("openid", channel.MaskPhone(s.OpenID)))
}

// Code2Session exchanges a wx.login code for the user's openid, unionid and
// session key (auth.code2Session). On errcode -1 it retries once after the
// backoff. Errors match ErrInvalidCode (40029/40163: get a new code),
// ErrRateLimited (45011), ErrHighRisk (40226: refuse the login) and
// ErrSystemBusy (-1 twice).
func (c *Client) Code2Session(ctx context.Context, code string) (Session, error) {
	const op = "jscode2session"
	if code == "" {
		return Session{}, fmt.Errorf("wechat: %s: empty code: %w", op, ErrInvalidCode)
	}
	q := url.Values{
		"appid":      {c.appID},
		"secret":     {c.secret},
		"js_code":    {code},
		"grant_type": {"authorization_code"},
	}
	var out struct {
		OpenID     string `json:"openid"`
		SessionKey string `json:"session_key"`
		UnionID    string `json:"unionid"`
	}
	if err := c.callRetry(ctx, op, http.MethodGet, "/sns/jscode2session", q, nil, &out, true); err != nil {
		return Session{}, err
	}
	if out.OpenID == "" {
		return Session{}, fmt.Errorf("wechat: %s: no openid in answer: %w", op, ErrBadResponse)
	}
	return Session{OpenID: out.OpenID, UnionID: out.UnionID, SessionKey: out.SessionKey}, nil
}

// PhoneInfo is the phone number a user shared through getPhoneNumber.
type PhoneInfo struct {
	PhoneNumber     string // with country code for foreign numbers
	PurePhoneNumber string // without country code
	CountryCode     string // e.g. "86"
	E164            string // normalised, e.g. +8613812345678
}

// String describes p with the number masked.
func (p PhoneInfo) String() string { return "PhoneInfo{" + channel.MaskPhone(p.E164) + "}" }

// GoString is String.
func (p PhoneInfo) GoString() string { return p.String() }

// GetPhoneNumber exchanges a getPhoneNumber button code for the user's
// phone number (phonenumber.getPhoneNumber). It checks that the watermark
// appid is ours and retries once on errcode -1. Errors match
// ErrInvalidCode, ErrRateLimited, ErrSystemBusy and channel.ErrBadPhone.
func (c *Client) GetPhoneNumber(ctx context.Context, code string) (PhoneInfo, error) {
	const op = "getuserphonenumber"
	if code == "" {
		return PhoneInfo{}, fmt.Errorf("wechat: %s: empty code: %w", op, ErrInvalidCode)
	}
	var out struct {
		PhoneInfo struct {
			PhoneNumber     string      `json:"phoneNumber"`
			PurePhoneNumber string      `json:"purePhoneNumber"`
			CountryCode     flex.String `json:"countryCode"` // documented as string, sent as number
			Watermark       struct {
				AppID string `json:"appid"`
			} `json:"watermark"`
		} `json:"phone_info"`
	}
	err := c.callWithToken(ctx, op, "/wxa/business/getuserphonenumber", map[string]string{"code": code}, &out, true)
	if err != nil {
		return PhoneInfo{}, err
	}
	pi := out.PhoneInfo
	if pi.Watermark.AppID != c.appID {
		return PhoneInfo{}, fmt.Errorf("wechat: %s: watermark appid %q is not ours: %w", op, pi.Watermark.AppID, ErrBadResponse)
	}
	cc := string(pi.CountryCode)
	if cc == "" {
		cc = "86"
	}
	e164, err := channel.NormalizePhone("+" + cc + pi.PurePhoneNumber)
	if err != nil {
		return PhoneInfo{}, fmt.Errorf("wechat: %s: %w", op, err)
	}
	return PhoneInfo{PhoneNumber: pi.PhoneNumber, PurePhoneNumber: pi.PurePhoneNumber, CountryCode: cc, E164: e164}, nil
}

// Scene is the msgSecCheck scene.
type Scene int

// msgSecCheck scenes.
const (
	SceneProfile   Scene = 1 // 资料
	SceneComment   Scene = 2 // 评论
	SceneForum     Scene = 3 // 论坛
	SceneSocialLog Scene = 4 // 社交日志
)

// Suggest is msgSecCheck's overall verdict.
type Suggest string

// Verdicts.
const (
	SuggestPass   Suggest = "pass"
	SuggestReview Suggest = "review"
	SuggestRisky  Suggest = "risky"
)

// MaxSecCheckRunes is the longest content msgSecCheck accepts.
const MaxSecCheckRunes = 2500

// SecCheck is the overall result of a content check.
type SecCheck struct {
	Suggest Suggest
	Label   int // 100 normal, 10001 ads, 20001 politics, 20002 porn, 20003 abuse, 20006 crime, 20008 fraud, 20012 vulgar, 20013 copyright, 21000 other
	TraceID string
}

// MsgSecCheck runs the v2 text content check for content written by the
// user openid (who must have opened the mini-program in the last two
// hours). The verdict comes from the overall result only; an absent or
// unknown suggest is reported as SuggestReview so it reaches a human.
// Retries once on errcode -1.
func (c *Client) MsgSecCheck(ctx context.Context, openid, content string, scene Scene) (SecCheck, error) {
	const op = "msg_sec_check"
	switch n := utf8.RuneCountInString(content); {
	case n == 0:
		return SecCheck{}, fmt.Errorf("wechat: %s: %w", op, channel.ErrEmpty)
	case n > MaxSecCheckRunes:
		return SecCheck{}, fmt.Errorf("wechat: %s: %d runes, limit %d: %w", op, n, MaxSecCheckRunes, channel.ErrTooLong)
	}
	if scene < SceneProfile || scene > SceneSocialLog {
		return SecCheck{}, fmt.Errorf("wechat: %s: scene %d out of range", op, scene)
	}
	body := map[string]any{"content": content, "version": 2, "scene": int(scene), "openid": openid}
	var out struct {
		TraceID string `json:"trace_id"`
		Result  struct {
			Suggest string      `json:"suggest"`
			Label   flex.String `json:"label"`
		} `json:"result"`
	}
	if err := c.callWithToken(ctx, op, "/wxa/msg_sec_check", body, &out, true); err != nil {
		return SecCheck{}, err
	}
	res := SecCheck{Suggest: Suggest(out.Result.Suggest), TraceID: out.TraceID}
	switch res.Suggest {
	case SuggestPass, SuggestReview, SuggestRisky:
	default:
		res.Suggest = SuggestReview
	}
	res.Label, _ = strconv.Atoi(string(out.Result.Label))
	return res, nil
}

// SubscribeMessage is a one-time subscribe message (subscribeMessage.send).
type SubscribeMessage struct {
	ToUser           string            // openid
	TemplateID       string            //
	Page             string            // optional, e.g. "pages/case/detail?id=…"
	MiniprogramState string            // optional: developer, trial or formal (default)
	Lang             string            // optional: zh_CN (default), en_US, zh_HK, zh_TW
	Data             map[string]string // template keyword → value
}

// SendSubscribeMessage sends m. It is not retried on errcode -1 (the send
// may have happened); it is retried once after refreshing an expired token.
// ErrSubscriptionRefused (43101) means the user refused or has no credit
// left for the template: do not retry, fall back to another channel.
func (c *Client) SendSubscribeMessage(ctx context.Context, m SubscribeMessage) error {
	const op = "subscribe_send"
	if m.ToUser == "" || m.TemplateID == "" {
		return fmt.Errorf("wechat: %s: touser and template_id are required", op)
	}
	data := make(map[string]map[string]string, len(m.Data))
	for k, v := range m.Data {
		data[k] = map[string]string{"value": v}
	}
	body := struct {
		ToUser           string                       `json:"touser"`
		TemplateID       string                       `json:"template_id"`
		Page             string                       `json:"page,omitempty"`
		MiniprogramState string                       `json:"miniprogram_state,omitempty"`
		Lang             string                       `json:"lang,omitempty"`
		Data             map[string]map[string]string `json:"data"`
	}{m.ToUser, m.TemplateID, m.Page, m.MiniprogramState, m.Lang, data}
	return c.callWithToken(ctx, op, "/cgi-bin/message/subscribe/send", body, nil, false)
}
