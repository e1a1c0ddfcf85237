// Package wechat is a client for the WeChat mini-program server APIs used
// by complaint intake (login, phone number, content security, subscribe
// messages) and the verification and AES encryption of WeChat message
// pushes.
//
// Secrets never leave the package in readable form: the AppSecret, access
// tokens and session keys are removed from error strings (including the
// URLs inside transport errors), and Client, Session and PhoneInfo print
// themselves redacted. The package does not log.
package wechat

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"
)

// DefaultBaseURL is the WeChat API origin.
const DefaultBaseURL = "https://api.weixin.qq.com"

// Defaults for Client options.
const (
	DefaultRetryBackoff = 300 * time.Millisecond
	DefaultTokenMargin  = 5 * time.Minute
)

// maxResponse bounds how much of a response body is read.
const maxResponse = 1 << 20

// Sentinel errors matched by *APIError through errors.Is.
var (
	// ErrSystemBusy is errcode -1: retry later.
	ErrSystemBusy = errors.New("wechat: system busy")
	// ErrInvalidCode is errcode 40029 (invalid code) or 40163 (code already
	// used): ask the client to obtain a new code.
	ErrInvalidCode = errors.New("wechat: invalid code")
	// ErrRateLimited is errcode 45011: minute quota reached.
	ErrRateLimited = errors.New("wechat: rate limited")
	// ErrHighRisk is errcode 40226: login blocked for a high-risk user.
	ErrHighRisk = errors.New("wechat: high-risk user blocked")
	// ErrTokenInvalid is errcode 40001, 40014 or 42001: the access token is
	// invalid or expired. Calls refresh the token and retry once on it.
	ErrTokenInvalid = errors.New("wechat: access token invalid or expired")
	// ErrInvalidOpenID is errcode 40003.
	ErrInvalidOpenID = errors.New("wechat: invalid openid")
	// ErrSubscriptionRefused is errcode 43101: the user refused or has no
	// remaining subscription for the template. Do not retry.
	ErrSubscriptionRefused = errors.New("wechat: user refused subscription")
	// ErrBadResponse means WeChat answered with something undecodable.
	ErrBadResponse = errors.New("wechat: bad response")
)

// APIError is a non-zero errcode returned by WeChat.
type APIError struct {
	Op      string // API name, e.g. "jscode2session"
	Code    int    // errcode
	Message string // errmsg with any secret removed
}

func (e *APIError) Error() string {
	return fmt.Sprintf("wechat: %s: errcode %d: %s", e.Op, e.Code, e.Message)
}

// Is reports whether the errcode corresponds to target.
func (e *APIError) Is(target error) bool {
	switch target {
	case ErrSystemBusy:
		return e.Code == -1
	case ErrInvalidCode:
		return e.Code == 40029 || e.Code == 40163
	case ErrRateLimited:
		return e.Code == 45011
	case ErrHighRisk:
		return e.Code == 40226
	case ErrTokenInvalid:
		return e.Code == 40001 || e.Code == 40014 || e.Code == 42001
	case ErrInvalidOpenID:
		return e.Code == 40003
	case ErrSubscriptionRefused:
		return e.Code == 43101
	}
	return false
}

// Retryable reports whether a later retry of the failed call may succeed:
// system busy, rate limits, HTTP 5xx and transport errors are retryable;
// other errcodes (invalid code, high risk, refused subscription…) and
// context cancellation are not.
func Retryable(err error) bool {
	if err == nil || errors.Is(err, context.Canceled) {
		return false
	}
	var ae *APIError
	if errors.As(err, &ae) {
		return errors.Is(ae, ErrSystemBusy) || errors.Is(ae, ErrRateLimited)
	}
	var se *statusError
	if errors.As(err, &se) {
		return se.code >= 500
	}
	return !errors.Is(err, ErrBadResponse)
}

// statusError is a non-200 HTTP answer.
type statusError struct {
	op   string
	code int
}

func (e *statusError) Error() string { return fmt.Sprintf("wechat: %s: HTTP status %d", e.op, e.code) }

// Client calls the WeChat server APIs for one mini-program. It is safe for
// concurrent use; create one per process and reuse it so that the access
// token cache is shared.
type Client struct {
	appID   string
	secret  string
	baseURL string
	hc      *http.Client
	backoff time.Duration
	margin  time.Duration
	now     func() time.Time

	mu       sync.Mutex
	token    string
	expiry   time.Time
	inflight *tokenCall
}

type tokenCall struct {
	done  chan struct{}
	token string
	err   error
}

// Option configures a Client.
type Option func(*Client)

// WithBaseURL sets the API origin, e.g. a wechattest server's URL.
func WithBaseURL(u string) Option {
	return func(c *Client) { c.baseURL = strings.TrimRight(u, "/") }
}

// WithHTTPClient sets the HTTP client. Its Timeout should be set; the
// default client is http.DefaultClient with per-call context deadlines.
func WithHTTPClient(hc *http.Client) Option { return func(c *Client) { c.hc = hc } }

// WithRetryBackoff sets the wait before the single retry after errcode -1.
func WithRetryBackoff(d time.Duration) Option { return func(c *Client) { c.backoff = d } }

// WithTokenMargin sets how long before expires_in the cached access token
// is refreshed (capped at half the token's lifetime).
func WithTokenMargin(d time.Duration) Option { return func(c *Client) { c.margin = d } }

// WithClock sets the time source of the token cache, for tests.
func WithClock(now func() time.Time) Option { return func(c *Client) { c.now = now } }

// New returns a client for the mini-program appID with its AppSecret.
func New(appID, appSecret string, opts ...Option) *Client {
	c := &Client{
		appID:   appID,
		secret:  appSecret,
		baseURL: DefaultBaseURL,
		hc:      http.DefaultClient,
		backoff: DefaultRetryBackoff,
		margin:  DefaultTokenMargin,
		now:     time.Now,
	}
	for _, o := range opts {
		o(c)
	}
	return c
}

// AppID returns the mini-program's appid.
func (c *Client) AppID() string { return c.appID }

// String describes c without its secrets.
func (c *Client) String() string {
	return fmt.Sprintf("wechat.Client{appid:%s base:%s secret:REDACTED}", c.appID, c.baseURL)
}

// GoString is String, so %#v does not print the secret either.
func (c *Client) GoString() string { return c.String() }

// StableToken returns an access token from /cgi-bin/stable_token (normal
// mode, never force_refresh), cached in memory until expires_in minus the
// safety margin. Concurrent callers share one refresh.
func (c *Client) StableToken(ctx context.Context) (string, error) {
	c.mu.Lock()
	if c.token != "" && c.now().Before(c.expiry) {
		t := c.token
		c.mu.Unlock()
		return t, nil
	}
	call := c.inflight
	if call == nil {
		call = &tokenCall{done: make(chan struct{})}
		c.inflight = call
		// The refresh outlives a cancelled first caller so that the other
		// waiters still get a token.
		go c.refresh(context.WithoutCancel(ctx), call)
	}
	c.mu.Unlock()
	select {
	case <-call.done:
		return call.token, call.err
	case <-ctx.Done():
		return "", fmt.Errorf("wechat: stable_token: %w", ctx.Err())
	}
}

func (c *Client) refresh(ctx context.Context, call *tokenCall) {
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	var out struct {
		AccessToken string `json:"access_token"`
		ExpiresIn   int64  `json:"expires_in"`
	}
	body := map[string]any{"grant_type": "client_credential", "appid": c.appID, "secret": c.secret, "force_refresh": false}
	err := c.callRetry(ctx, "stable_token", http.MethodPost, "/cgi-bin/stable_token", nil, body, &out, true)
	if err == nil && (out.AccessToken == "" || out.ExpiresIn <= 0) {
		err = fmt.Errorf("wechat: stable_token: no token in answer: %w", ErrBadResponse)
	}
	c.mu.Lock()
	if err == nil {
		life := time.Duration(out.ExpiresIn) * time.Second
		c.token = out.AccessToken
		c.expiry = c.now().Add(life - min(c.margin, life/2))
	}
	c.inflight = nil
	c.mu.Unlock()
	call.token, call.err = out.AccessToken, err
	close(call.done)
}

// invalidate drops tok from the cache unless it was already replaced.
func (c *Client) invalidate(tok string) {
	c.mu.Lock()
	if c.token == tok {
		c.token = ""
	}
	c.mu.Unlock()
}

// callWithToken performs an access_token API call, refreshing the token and
// retrying once when WeChat reports it invalid or expired.
func (c *Client) callWithToken(ctx context.Context, op, path string, body, out any, retryBusy bool) error {
	for attempt := 0; ; attempt++ {
		tok, err := c.StableToken(ctx)
		if err != nil {
			return err
		}
		q := url.Values{"access_token": {tok}}
		err = c.callRetry(ctx, op, http.MethodPost, path, q, body, out, retryBusy)
		if attempt == 0 && errors.Is(err, ErrTokenInvalid) {
			c.invalidate(tok)
			continue
		}
		return err
	}
}

// callRetry is call with one retry, after the backoff, on errcode -1.
func (c *Client) callRetry(ctx context.Context, op, method, path string, q url.Values, body, out any, retryBusy bool) error {
	err := c.call(ctx, op, method, path, q, body, out)
	if !retryBusy || !errors.Is(err, ErrSystemBusy) {
		return err
	}
	t := time.NewTimer(c.backoff)
	defer t.Stop()
	select {
	case <-t.C:
	case <-ctx.Done():
		return fmt.Errorf("wechat: %s: %w", op, ctx.Err())
	}
	return c.call(ctx, op, method, path, q, body, out)
}

// call performs one request and decodes the answer into out, turning a
// non-zero errcode into *APIError. A missing errcode counts as 0.
func (c *Client) call(ctx context.Context, op, method, path string, q url.Values, body, out any) error {
	u := c.baseURL + path
	if len(q) > 0 {
		u += "?" + q.Encode()
	}
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return fmt.Errorf("wechat: %s: encode request: %w", op, err)
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, u, rd)
	if err != nil {
		return fmt.Errorf("wechat: %s: %w", op, c.scrubErr(err))
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := c.hc.Do(req)
	if err != nil {
		return fmt.Errorf("wechat: %s: %w", op, c.scrubErr(err))
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(resp.Body, maxResponse))
	if err != nil {
		return fmt.Errorf("wechat: %s: read answer: %w", op, c.scrubErr(err))
	}
	if resp.StatusCode != http.StatusOK {
		return &statusError{op: op, code: resp.StatusCode}
	}
	var base struct {
		ErrCode int    `json:"errcode"`
		ErrMsg  string `json:"errmsg"`
	}
	if err := json.Unmarshal(raw, &base); err != nil {
		return fmt.Errorf("wechat: %s: decode answer: %w", op, ErrBadResponse)
	}
	if base.ErrCode != 0 {
		return &APIError{Op: op, Code: base.ErrCode, Message: c.scrub(base.ErrMsg)}
	}
	if out != nil {
		if err := json.Unmarshal(raw, out); err != nil {
			return fmt.Errorf("wechat: %s: decode answer: %w", op, ErrBadResponse)
		}
	}
	return nil
}

// secretParams are query parameters whose values must never be shown.
var secretParams = []string{"secret", "access_token", "js_code", "code"}

// scrubErr replaces the URL inside a transport error by a redacted copy and
// removes any remaining secret from the message.
func (c *Client) scrubErr(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return &url.Error{Op: ue.Op, URL: RedactURL(ue.URL), Err: ue.Err}
	}
	return err
}

// scrub removes the AppSecret and cached access token from s and caps its
// length.
func (c *Client) scrub(s string) string {
	c.mu.Lock()
	tok := c.token
	c.mu.Unlock()
	for _, secret := range []string{c.secret, tok} {
		if secret != "" {
			s = strings.ReplaceAll(s, secret, "REDACTED")
		}
	}
	if len(s) > 256 {
		s = strings.ToValidUTF8(s[:256], "") + "…"
	}
	return s
}

// RedactURL returns rawURL with the values of the secret, access_token,
// js_code and code query parameters replaced by REDACTED.
func RedactURL(rawURL string) string {
	u, err := url.Parse(rawURL)
	if err != nil {
		return "(unparseable URL)"
	}
	q := u.Query()
	changed := false
	for _, k := range secretParams {
		if q.Has(k) {
			q.Set(k, "REDACTED")
			changed = true
		}
	}
	if changed {
		u.RawQuery = q.Encode()
	}
	return u.String()
}
