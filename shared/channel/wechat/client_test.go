package wechat_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/open12315/intake/shared/channel"
	"github.com/open12315/intake/shared/channel/wechat"
	"github.com/open12315/intake/shared/channel/wechat/wechattest"
)

const (
	appID  = "wx-test-app"
	secret = "s3cr3t-app-secret-value"
)

// clock is a settable, concurrency-safe time source.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Add(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

func setup(t *testing.T, opts ...wechat.Option) (*wechattest.Server, *wechat.Client, *clock) {
	t.Helper()
	clk := &clock{t: time.Date(2024, 3, 15, 9, 0, 0, 0, time.UTC)}
	fake := wechattest.New(appID, secret)
	fake.Now = clk.Now
	srv := httptest.NewServer(fake)
	t.Cleanup(srv.Close)
	opts = append([]wechat.Option{wechat.WithBaseURL(srv.URL), wechat.WithHTTPClient(srv.Client()),
		wechat.WithRetryBackoff(time.Millisecond), wechat.WithClock(clk.Now)}, opts...)
	return fake, wechat.New(appID, secret, opts...), clk
}

func TestCode2Session(t *testing.T) {
	fake, c, _ := setup(t)
	fake.AddLogin("code-ok", "o-user-1", "u-union-1")
	s, err := c.Code2Session(context.Background(), "code-ok")
	if err != nil {
		t.Fatal(err)
	}
	if s.OpenID != "o-user-1" || s.UnionID != "u-union-1" || s.SessionKey == "" {
		t.Errorf("session = %+v", s)
	}
	for _, out := range []string{fmt.Sprint(s), fmt.Sprintf("%+v", s), fmt.Sprintf("%#v", s)} {
		if strings.Contains(out, s.SessionKey) {
			t.Errorf("Session prints its key: %s", out)
		}
	}
	// Codes are single-use.
	if _, err := c.Code2Session(context.Background(), "code-ok"); !errors.Is(err, wechat.ErrInvalidCode) {
		t.Errorf("reused code: %v", err)
	}
}

func TestCode2SessionErrors(t *testing.T) {
	tests := []struct {
		errcode   int
		want      error
		retryable bool
	}{
		{40029, wechat.ErrInvalidCode, false},
		{45011, wechat.ErrRateLimited, true},
		{40226, wechat.ErrHighRisk, false},
		{-1, wechat.ErrSystemBusy, true},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprint(tt.errcode), func(t *testing.T) {
			fake, c, _ := setup(t)
			fake.FailCode("bad", tt.errcode)
			_, err := c.Code2Session(context.Background(), "bad")
			if !errors.Is(err, tt.want) || wechat.Retryable(err) != tt.retryable {
				t.Fatalf("err = %v (retryable %v), want %v", err, wechat.Retryable(err), tt.want)
			}
			var ae *wechat.APIError
			if !errors.As(err, &ae) || ae.Code != tt.errcode {
				t.Errorf("err is not *APIError with code %d: %#v", tt.errcode, err)
			}
			wantCalls := 1
			if tt.errcode == -1 {
				wantCalls = 2 // retried exactly once
			}
			if n := fake.CallCount(wechattest.EndpointCode2Session); n != wantCalls {
				t.Errorf("calls = %d, want %d", n, wantCalls)
			}
		})
	}
	t.Run("unknown code", func(t *testing.T) {
		_, c, _ := setup(t)
		if _, err := c.Code2Session(context.Background(), "nope"); !errors.Is(err, wechat.ErrInvalidCode) {
			t.Fatalf("err = %v", err)
		}
	})
	t.Run("empty code, no call", func(t *testing.T) {
		fake, c, _ := setup(t)
		if _, err := c.Code2Session(context.Background(), ""); !errors.Is(err, wechat.ErrInvalidCode) || len(fake.Calls()) != 0 {
			t.Fatalf("err = %v, calls %v", err, fake.Calls())
		}
	})
}

func TestCode2SessionRetriesOnceOnBusy(t *testing.T) {
	fake, c, _ := setup(t)
	fake.AddLogin("code-1", "o-user-1", "")
	fake.FailNext(wechattest.EndpointCode2Session, -1, 1)
	s, err := c.Code2Session(context.Background(), "code-1")
	if err != nil || s.OpenID != "o-user-1" {
		t.Fatalf("Code2Session = %v, %v", s, err)
	}
	if n := fake.CallCount(wechattest.EndpointCode2Session); n != 2 {
		t.Errorf("calls = %d, want 2", n)
	}
}

func TestTokenCache(t *testing.T) {
	fake, c, clk := setup(t, wechat.WithTokenMargin(5*time.Minute))
	ctx := context.Background()
	for range 3 {
		if _, err := c.MsgSecCheck(ctx, "o-user-1", "商家不退款", wechat.SceneComment); err != nil {
			t.Fatal(err)
		}
	}
	if n := fake.CallCount(wechattest.EndpointStableToken); n != 1 {
		t.Fatalf("stable_token calls = %d, want 1 (cached)", n)
	}
	tok1, _ := c.StableToken(ctx)

	clk.Add(7200*time.Second - 5*time.Minute - time.Second) // just inside the margin
	if tok, _ := c.StableToken(ctx); tok != tok1 || fake.CallCount(wechattest.EndpointStableToken) != 1 {
		t.Fatal("token refreshed before the margin")
	}
	clk.Add(2 * time.Second) // inside the safety margin: refresh
	tok2, err := c.StableToken(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if n := fake.CallCount(wechattest.EndpointStableToken); n != 2 {
		t.Fatalf("stable_token calls = %d, want 2", n)
	}
	// The platform still had 5 minutes on the old token, so normal mode
	// returns it again; a fresh one arrives once it really expired.
	if tok2 != tok1 {
		t.Errorf("normal-mode refresh returned a new token early")
	}
}

func TestTokenSingleFlight(t *testing.T) {
	fake, c, _ := setup(t)
	fake.Delay = 50 * time.Millisecond
	var wg sync.WaitGroup
	toks := make([]string, 20)
	errs := make([]error, 20)
	for i := range toks {
		wg.Add(1)
		go func() {
			defer wg.Done()
			toks[i], errs[i] = c.StableToken(context.Background())
		}()
	}
	wg.Wait()
	for i := range toks {
		if errs[i] != nil || toks[i] != toks[0] {
			t.Fatalf("caller %d: %q, %v", i, toks[i], errs[i])
		}
	}
	if n := fake.CallCount(wechattest.EndpointStableToken); n != 1 {
		t.Errorf("stable_token calls = %d, want 1", n)
	}
}

func TestTokenExpiredRefreshesAndRetriesOnce(t *testing.T) {
	fake, c, _ := setup(t)
	ctx := context.Background()
	if _, err := c.MsgSecCheck(ctx, "o1", "x", wechat.SceneComment); err != nil {
		t.Fatal(err)
	}
	old, _ := c.StableToken(ctx)
	fake.ExpireTokens()
	if _, err := c.MsgSecCheck(ctx, "o1", "x", wechat.SceneComment); err != nil {
		t.Fatalf("after expiry: %v", err)
	}
	if tok, _ := c.StableToken(ctx); tok == old {
		t.Error("token was not replaced")
	}
	if n := fake.CallCount(wechattest.EndpointMsgSecCheck); n != 3 {
		t.Errorf("msg_sec_check calls = %d, want 3 (1 + failed + retry)", n)
	}
	if n := fake.CallCount(wechattest.EndpointStableToken); n != 2 {
		t.Errorf("stable_token calls = %d, want 2", n)
	}
	// A second invalid-token answer is not retried again.
	fake.FailNext(wechattest.EndpointMsgSecCheck, 40001, 2)
	if _, err := c.MsgSecCheck(ctx, "o1", "x", wechat.SceneComment); !errors.Is(err, wechat.ErrTokenInvalid) {
		t.Errorf("err = %v, want ErrTokenInvalid", err)
	}
	if n := fake.CallCount(wechattest.EndpointMsgSecCheck); n != 5 {
		t.Errorf("msg_sec_check calls = %d, want 5", n)
	}
}

func TestMsgSecCheck(t *testing.T) {
	fake, c, _ := setup(t)
	fake.AddContentRule("骗子", "review", 20003)
	fake.AddContentRule("违禁", "risky", 20006)
	tests := []struct {
		content string
		suggest wechat.Suggest
		label   int
	}{
		{"超市卖过期食品", wechat.SuggestPass, 100},
		{"这个商家是骗子", wechat.SuggestReview, 20003},
		{"售卖违禁品", wechat.SuggestRisky, 20006},
	}
	for _, tt := range tests {
		got, err := c.MsgSecCheck(context.Background(), "o-user-1", tt.content, wechat.SceneComment)
		if err != nil || got.Suggest != tt.suggest || got.Label != tt.label || got.TraceID == "" {
			t.Errorf("MsgSecCheck(%q) = %+v, %v", tt.content, got, err)
		}
	}
	if _, err := c.MsgSecCheck(context.Background(), "o1", "", wechat.SceneComment); !errors.Is(err, channel.ErrEmpty) {
		t.Errorf("empty content: %v", err)
	}
	if _, err := c.MsgSecCheck(context.Background(), "o1", strings.Repeat("字", 2501), wechat.SceneComment); !errors.Is(err, channel.ErrTooLong) {
		t.Errorf("long content: %v", err)
	}
	if _, err := c.MsgSecCheck(context.Background(), "", "x", wechat.SceneComment); !errors.Is(err, wechat.ErrInvalidOpenID) {
		t.Errorf("empty openid: %v", err)
	}
}

func TestGetPhoneNumber(t *testing.T) {
	fake, c, _ := setup(t)
	fake.AddPhone("phone-cn", "13812345678", "86")
	fake.AddPhone("phone-us", "4255550182", "1")
	fake.FailCode("phone-bad", 40029)
	tests := []struct {
		code string
		e164 string
		err  error
	}{
		{"phone-cn", "+8613812345678", nil},
		{"phone-us", "+14255550182", nil},
		{"phone-bad", "", wechat.ErrInvalidCode},
		{"phone-cn", "", wechat.ErrInvalidCode}, // single use
	}
	for _, tt := range tests {
		got, err := c.GetPhoneNumber(context.Background(), tt.code)
		if !errors.Is(err, tt.err) || got.E164 != tt.e164 {
			t.Errorf("GetPhoneNumber(%s) = %+v, %v", tt.code, got, err)
		}
		if s := fmt.Sprint(got); tt.e164 != "" && strings.Contains(s, tt.e164[len(tt.e164)-8:]) {
			t.Errorf("PhoneInfo prints the number: %s", s)
		}
	}
}

func TestSendSubscribeMessage(t *testing.T) {
	fake, c, _ := setup(t)
	ctx := context.Background()
	m := wechat.SubscribeMessage{ToUser: "o-user-1", TemplateID: "tmpl-progress", Page: "pages/case/detail?id=QH1",
		Data: map[string]string{"thing1": "已受理", "character_string2": "QH2024000123"}}
	if err := c.SendSubscribeMessage(ctx, m); err != nil {
		t.Fatal(err)
	}
	sent := fake.Sent()
	if len(sent) != 1 || sent[0].ToUser != "o-user-1" || sent[0].Data["thing1"] != "已受理" || sent[0].Page != m.Page {
		t.Errorf("sent = %+v", sent)
	}

	fake.RefuseSubscription("o-refuser")
	m.ToUser = "o-refuser"
	err := c.SendSubscribeMessage(ctx, m)
	if !errors.Is(err, wechat.ErrSubscriptionRefused) || wechat.Retryable(err) {
		t.Fatalf("refused: err = %v, retryable %v", err, wechat.Retryable(err))
	}
	if n := fake.CallCount(wechattest.EndpointSubscribeSend); n != 2 {
		t.Errorf("subscribe calls = %d, want 2 (no retry on 43101)", n)
	}

	// -1 on send is not retried (the message may have gone out) but is
	// reported retryable for the caller's queue.
	fake.FailNext(wechattest.EndpointSubscribeSend, -1, 1)
	m.ToUser = "o-user-1"
	err = c.SendSubscribeMessage(ctx, m)
	if !errors.Is(err, wechat.ErrSystemBusy) || !wechat.Retryable(err) {
		t.Fatalf("busy: err = %v", err)
	}
	if n := fake.CallCount(wechattest.EndpointSubscribeSend); n != 3 {
		t.Errorf("subscribe calls = %d, want 3", n)
	}
}

func TestSecretsRedacted(t *testing.T) {
	t.Run("wrong secret errcode", func(t *testing.T) {
		fake := wechattest.New(appID, "the-real-secret")
		srv := httptest.NewServer(fake)
		defer srv.Close()
		c := wechat.New(appID, secret, wechat.WithBaseURL(srv.URL))
		_, err := c.Code2Session(context.Background(), "code-x")
		if err == nil || strings.Contains(err.Error(), secret) {
			t.Fatalf("err = %v", err)
		}
		_, err = c.StableToken(context.Background())
		if err == nil || strings.Contains(err.Error(), secret) {
			t.Fatalf("err = %v", err)
		}
	})
	t.Run("transport error URL", func(t *testing.T) {
		fake, c, _ := setup(t)
		fake.AddLogin("code-secret-xyz", "o1", "")
		tok, err := c.StableToken(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		// Point a client with the same cache-less state at a dead server.
		dead := httptest.NewServer(http.NotFoundHandler())
		dead.Close()
		c2 := wechat.New(appID, secret, wechat.WithBaseURL(dead.URL), wechat.WithRetryBackoff(time.Millisecond))
		_, err = c2.Code2Session(context.Background(), "code-secret-xyz")
		if err == nil {
			t.Fatal("want transport error")
		}
		msg := err.Error()
		for _, s := range []string{secret, "code-secret-xyz", tok} {
			if strings.Contains(msg, s) {
				t.Errorf("error leaks %q: %s", s, msg)
			}
		}
		if !strings.Contains(msg, "REDACTED") || !wechat.Retryable(err) {
			t.Errorf("error = %s, retryable %v", msg, wechat.Retryable(err))
		}
	})
	t.Run("printing", func(t *testing.T) {
		fake, c, _ := setup(t)
		fake.AddLogin("c1", "o1", "")
		c.Code2Session(context.Background(), "c1")
		c.MsgSecCheck(context.Background(), "o1", "x", wechat.SceneComment)
		out := fmt.Sprint(c) + fmt.Sprintf("%+v %#v", c, c) + fmt.Sprintf("%+v", fake.Calls())
		if strings.Contains(out, secret) || strings.Contains(out, "fake-access-token") {
			t.Errorf("secret printed: %s", out)
		}
	})
}

func TestRedactURL(t *testing.T) {
	got := wechat.RedactURL("https://api.weixin.qq.com/sns/jscode2session?appid=wx1&secret=S&js_code=C&grant_type=authorization_code")
	if strings.Contains(got, "=S") || strings.Contains(got, "=C&") || !strings.Contains(got, "appid=wx1") {
		t.Errorf("RedactURL = %s", got)
	}
	if got := wechat.RedactURL("https://h/p?access_token=T"); strings.Contains(got, "=T") {
		t.Errorf("RedactURL = %s", got)
	}
}

func TestAutoAccept(t *testing.T) {
	fake, c, _ := setup(t)
	fake.AutoAccept = true
	s1, err := c.Code2Session(context.Background(), "any-code-1")
	if err != nil || !strings.HasPrefix(s1.OpenID, "o") || len(s1.OpenID) != 28 {
		t.Fatalf("auto login = %v, %v", s1, err)
	}
	p, err := c.GetPhoneNumber(context.Background(), "any-phone-code")
	if err != nil || !channel.IsChinaMobile(p.E164) {
		t.Fatalf("auto phone = %v, %v", p, err)
	}
}

func TestContextCancelled(t *testing.T) {
	fake, c, _ := setup(t)
	fake.Delay = 200 * time.Millisecond
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Millisecond)
	defer cancel()
	if _, err := c.StableToken(ctx); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err = %v", err)
	}
	// The shared refresh still completes for later callers.
	if _, err := c.StableToken(context.Background()); err != nil {
		t.Fatal(err)
	}
	if n := fake.CallCount(wechattest.EndpointStableToken); n != 1 {
		t.Errorf("stable_token calls = %d, want 1", n)
	}
}
