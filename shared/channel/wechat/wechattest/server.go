// Package wechattest is a fake WeChat mini-program API server for tests and
// local development. It answers jscode2session, stable_token,
// getuserphonenumber, msg_sec_check and subscribe/send the way WeChat's
// documentation describes, with programmable outcomes, and records calls
// without any secret.
//
//	fake := wechattest.New("wx-test-app", "test-secret")
//	fake.AddLogin("code-1", "o-user-1", "")
//	srv := httptest.NewServer(fake)
//	client := wechat.New("wx-test-app", "test-secret", wechat.WithBaseURL(srv.URL))
//
// For local development set AutoAccept so any login or phone code works.
package wechattest

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"time"
)

// Endpoint paths served by Server.
const (
	EndpointCode2Session  = "/sns/jscode2session"
	EndpointStableToken   = "/cgi-bin/stable_token"
	EndpointPhoneNumber   = "/wxa/business/getuserphonenumber"
	EndpointMsgSecCheck   = "/wxa/msg_sec_check"
	EndpointSubscribeSend = "/cgi-bin/message/subscribe/send"
)

// Call is one recorded request. It holds no AppSecret, access token or
// session key.
type Call struct {
	Endpoint string
	ErrCode  int    // errcode answered (0 on success)
	Code     string // js_code or phone code, when the endpoint takes one
	OpenID   string // openid or touser, when the endpoint takes one
}

// SentMessage is a subscribe message the server accepted.
type SentMessage struct {
	ToUser     string
	TemplateID string
	Page       string
	Data       map[string]string
}

// Server is the fake. Configure the exported fields before serving; use
// the methods at any time. It is safe for concurrent use.
type Server struct {
	AppID     string
	AppSecret string
	// TokenTTL is the access token lifetime (default 7200 s).
	TokenTTL time.Duration
	// Now is the server clock (default time.Now).
	Now func() time.Time
	// AutoAccept makes unknown login codes succeed with an openid derived
	// from the code and unknown phone codes with a derived +86 number.
	AutoAccept bool
	// Delay is slept before answering stable_token, to widen races in tests.
	Delay time.Duration

	mu        sync.Mutex
	logins    map[string]login
	phones    map[string]phone
	used      map[string]bool
	codeFails map[string]int
	next      map[string][]int
	rules     []rule
	refused   map[string]bool
	tokens    map[string]time.Time
	current   string
	seq       int
	calls     []Call
	sent      []SentMessage
}

type login struct{ openID, unionID string }
type phone struct{ pure, cc string }
type rule struct {
	substr  string
	suggest string
	label   int
}

// New returns a fake for one mini-program.
func New(appID, appSecret string) *Server {
	return &Server{
		AppID: appID, AppSecret: appSecret,
		logins: map[string]login{}, phones: map[string]phone{}, used: map[string]bool{},
		codeFails: map[string]int{}, next: map[string][]int{}, refused: map[string]bool{},
		tokens: map[string]time.Time{},
	}
}

// AddLogin makes the wx.login code resolve to openID (and unionID if not
// empty). Codes are single-use, as on WeChat (reuse answers 40163).
func (s *Server) AddLogin(code, openID, unionID string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.logins[code] = login{openID, unionID}
}

// AddPhone makes the getPhoneNumber code resolve to the number purePhone
// with countryCode (e.g. "86").
func (s *Server) AddPhone(code, purePhone, countryCode string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.phones[code] = phone{purePhone, countryCode}
}

// FailCode makes every use of code, as a login or phone code, answer
// errcode (e.g. 40029, 45011, 40226, -1).
func (s *Server) FailCode(code string, errcode int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.codeFails[code] = errcode
}

// FailNext makes the next times calls to endpoint answer errcode, before
// any other processing.
func (s *Server) FailNext(endpoint string, errcode, times int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for range times {
		s.next[endpoint] = append(s.next[endpoint], errcode)
	}
}

// AddContentRule makes msg_sec_check answer suggest ("review" or "risky")
// with label for content containing substr. The first matching rule wins;
// other content passes with label 100.
func (s *Server) AddContentRule(substr, suggest string, label int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.rules = append(s.rules, rule{substr, suggest, label})
}

// RefuseSubscription makes subscribe sends to openID answer 43101.
func (s *Server) RefuseSubscription(openID string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.refused[openID] = true
}

// ExpireTokens expires every issued access token: calls using one answer
// 42001 and the next stable_token call issues a new token.
func (s *Server) ExpireTokens() {
	s.mu.Lock()
	defer s.mu.Unlock()
	past := s.now().Add(-time.Second)
	for t := range s.tokens {
		s.tokens[t] = past
	}
}

// Calls returns the recorded calls in order.
func (s *Server) Calls() []Call {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Call(nil), s.calls...)
}

// CallCount returns how many calls endpoint received.
func (s *Server) CallCount(endpoint string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for _, c := range s.calls {
		if c.Endpoint == endpoint {
			n++
		}
	}
	return n
}

// Sent returns the accepted subscribe messages in order.
func (s *Server) Sent() []SentMessage {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]SentMessage(nil), s.sent...)
}

func (s *Server) now() time.Time {
	if s.Now != nil {
		return s.Now()
	}
	return time.Now()
}

// ServeHTTP implements http.Handler.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path == EndpointStableToken && s.Delay > 0 {
		time.Sleep(s.Delay)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	call := Call{Endpoint: r.URL.Path}
	var out map[string]any
	if q := s.next[r.URL.Path]; len(q) > 0 {
		s.next[r.URL.Path] = q[1:]
		out = errOut(q[0])
	} else {
		switch r.URL.Path {
		case EndpointCode2Session:
			out = s.code2Session(r, &call)
		case EndpointStableToken:
			out = s.stableToken(r)
		case EndpointPhoneNumber:
			out = s.withToken(r, &call, s.phoneNumber)
		case EndpointMsgSecCheck:
			out = s.withToken(r, &call, s.msgSecCheck)
		case EndpointSubscribeSend:
			out = s.withToken(r, &call, s.subscribeSend)
		default:
			http.NotFound(w, r)
			return
		}
	}
	if code, ok := out["errcode"].(int); ok {
		call.ErrCode = code
	}
	s.calls = append(s.calls, call)
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	json.NewEncoder(w).Encode(out)
}

var errMsgs = map[int]string{
	-1: "system error", 40001: "invalid credential, access_token is invalid or not latest",
	40003: "invalid openid", 40013: "invalid appid", 40029: "invalid code", 40037: "invalid template_id",
	40125: "invalid appsecret", 40129: "invalid scene", 40163: "code been used", 40226: "code blocked",
	41001: "access_token missing", 42001: "access_token expired", 43101: "user refuse to accept the msg",
	43302: "http method error, please use POST", 44002: "empty post data", 45011: "api minute-quota reach limit",
	47001: "data format error", 47003: "argument invalid! data.thing1.value invalid",
}

func errOut(code int) map[string]any {
	msg, ok := errMsgs[code]
	if !ok {
		msg = "error"
	}
	return map[string]any{"errcode": code, "errmsg": fmt.Sprintf("%s rid: fake-%d", msg, code)}
}

func ok(fields map[string]any) map[string]any {
	fields["errcode"] = 0
	fields["errmsg"] = "ok"
	return fields
}

func (s *Server) checkApp(appID, secret string) map[string]any {
	if appID != s.AppID {
		return errOut(40013)
	}
	if secret != s.AppSecret {
		return errOut(40125)
	}
	return nil
}

// useCode applies code failures and single use.
func (s *Server) useCode(code string) map[string]any {
	if e, bad := s.codeFails[code]; bad {
		return errOut(e)
	}
	if s.used[code] {
		return errOut(40163)
	}
	return nil
}

func derive(prefix, code string, n int) string {
	sum := sha256.Sum256([]byte(code))
	return prefix + hex.EncodeToString(sum[:])[:n]
}

func (s *Server) code2Session(r *http.Request, call *Call) map[string]any {
	q := r.URL.Query()
	call.Code = q.Get("js_code")
	if e := s.checkApp(q.Get("appid"), q.Get("secret")); e != nil {
		return e
	}
	if q.Get("grant_type") != "authorization_code" || call.Code == "" {
		return errOut(40029)
	}
	if e := s.useCode(call.Code); e != nil {
		return e
	}
	l, known := s.logins[call.Code]
	if !known && !s.AutoAccept {
		return errOut(40029)
	}
	if !known {
		l = login{openID: derive("o", call.Code, 27)}
	}
	s.used[call.Code] = true
	call.OpenID = l.openID
	key := make([]byte, 16)
	rand.Read(key)
	// Real successful answers omit errcode.
	out := map[string]any{"openid": l.openID, "session_key": base64.StdEncoding.EncodeToString(key)}
	if l.unionID != "" {
		out["unionid"] = l.unionID
	}
	return out
}

func (s *Server) stableToken(r *http.Request) map[string]any {
	if r.Method != http.MethodPost {
		return errOut(43302)
	}
	var in struct {
		GrantType    string `json:"grant_type"`
		AppID        string `json:"appid"`
		Secret       string `json:"secret"`
		ForceRefresh bool   `json:"force_refresh"`
	}
	if err := json.NewDecoder(r.Body).Decode(&in); err != nil {
		return errOut(47001)
	}
	if e := s.checkApp(in.AppID, in.Secret); e != nil {
		return e
	}
	if in.GrantType != "client_credential" {
		return errOut(47001)
	}
	now := s.now()
	exp, valid := s.tokens[s.current]
	if in.ForceRefresh || !valid || !now.Before(exp) {
		ttl := s.TokenTTL
		if ttl <= 0 {
			ttl = 7200 * time.Second
		}
		s.seq++
		s.current = fmt.Sprintf("fake-access-token-%d", s.seq)
		exp = now.Add(ttl)
		s.tokens[s.current] = exp
	}
	return map[string]any{"access_token": s.current, "expires_in": int(exp.Sub(now).Seconds())}
}

// withToken checks access_token and the POST method, then decodes the JSON
// body into a map for the handler.
func (s *Server) withToken(r *http.Request, call *Call, h func(map[string]any, *Call) map[string]any) map[string]any {
	tok := r.URL.Query().Get("access_token")
	exp, known := s.tokens[tok]
	switch {
	case tok == "":
		return errOut(41001)
	case !known:
		return errOut(40001)
	case !s.now().Before(exp):
		return errOut(42001)
	case r.Method != http.MethodPost:
		return errOut(43302)
	}
	var in map[string]any
	if err := json.NewDecoder(r.Body).Decode(&in); err != nil || in == nil {
		return errOut(44002)
	}
	return h(in, call)
}

func str(v any) string { s, _ := v.(string); return s }

func (s *Server) phoneNumber(in map[string]any, call *Call) map[string]any {
	call.Code = str(in["code"])
	if call.Code == "" {
		return errOut(40029)
	}
	if e := s.useCode(call.Code); e != nil {
		return e
	}
	p, known := s.phones[call.Code]
	if !known && !s.AutoAccept {
		return errOut(40029)
	}
	if !known {
		sum := sha256.Sum256([]byte(call.Code))
		p = phone{pure: fmt.Sprintf("138%08d", (int(sum[0])<<16|int(sum[1])<<8|int(sum[2]))%100000000), cc: "86"}
	}
	s.used[call.Code] = true
	full := p.pure
	if p.cc != "86" {
		full = "+" + p.cc + p.pure
	}
	var cc any = p.cc
	var n int
	if _, err := fmt.Sscan(p.cc, &n); err == nil {
		cc = n // the documentation's example sends a number
	}
	return ok(map[string]any{"phone_info": map[string]any{
		"phoneNumber": full, "purePhoneNumber": p.pure, "countryCode": cc,
		"watermark": map[string]any{"timestamp": s.now().Unix(), "appid": s.AppID},
	}})
}

func (s *Server) msgSecCheck(in map[string]any, call *Call) map[string]any {
	call.OpenID = str(in["openid"])
	content := str(in["content"])
	version, _ := in["version"].(float64)
	scene, _ := in["scene"].(float64)
	switch {
	case content == "":
		return errOut(44002)
	case version != 2:
		return errOut(47001)
	case scene < 1 || scene > 4:
		return errOut(40129)
	case call.OpenID == "":
		return errOut(40003)
	}
	suggest, label := "pass", 100
	for _, r := range s.rules {
		if strings.Contains(content, r.substr) {
			suggest, label = r.suggest, r.label
			break
		}
	}
	s.seq++
	return ok(map[string]any{
		"trace_id": fmt.Sprintf("fake-trace-%d", s.seq),
		"result":   map[string]any{"suggest": suggest, "label": label},
		"detail": []map[string]any{
			{"strategy": "content_model", "errcode": 0, "suggest": suggest, "label": label, "prob": 90},
			{"strategy": "keyword", "errcode": 0},
		},
	})
}

func (s *Server) subscribeSend(in map[string]any, call *Call) map[string]any {
	m := SentMessage{ToUser: str(in["touser"]), TemplateID: str(in["template_id"]), Page: str(in["page"]), Data: map[string]string{}}
	call.OpenID = m.ToUser
	switch {
	case m.ToUser == "":
		return errOut(40003)
	case m.TemplateID == "":
		return errOut(40037)
	case s.refused[m.ToUser]:
		return errOut(43101)
	}
	data, _ := in["data"].(map[string]any)
	if len(data) == 0 {
		return errOut(47003)
	}
	for k, v := range data {
		kv, _ := v.(map[string]any)
		val, present := kv["value"]
		if !present {
			return errOut(47003)
		}
		m.Data[k] = fmt.Sprint(val)
	}
	s.sent = append(s.sent, m)
	s.seq++
	return ok(map[string]any{"msgid": s.seq})
}
