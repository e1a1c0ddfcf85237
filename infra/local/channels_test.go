package local_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/open12315/intake/infra/emulators/testenv"
	"github.com/open12315/intake/infra/local/localtest"
	"github.com/open12315/intake/shared/cases"
	"github.com/open12315/intake/shared/channel/sms"
	"github.com/open12315/intake/shared/channel/twilio"
	"github.com/open12315/intake/shared/channel/wechat/wechattest"
	"github.com/open12315/intake/shared/chanstore"
	"github.com/open12315/intake/shared/deadline"
	"github.com/open12315/intake/shared/dynamo"
)

const (
	testAppID     = "wx-test-app"
	testSecret    = "test-secret"
	testTemplate  = "tpl-progress"
	aliyunToken   = "ali-dev-token-0123456789"
	tencentToken  = "tc-dev-token-0123456789"
	twilioToken   = "twilio-dev-auth-token"
	twilioURL     = "https://intake.example.gov.cn/v1/sms/twilio"
	hotlineKey    = "hotline-dev-key-0123456789"
	complaintText = "西宁市城东区东关大街2号某某超市卖过期牛奶，喝了腹泻，要求退款。"
)

// channelStack starts the local stack with the channel secrets and a fake
// WeChat server in-process.
func channelStack(t *testing.T, limits string) (*localtest.Stack, *wechattest.Server) {
	t.Helper()
	fake := wechattest.New(testAppID, testSecret)
	srv := httptest.NewServer(fake)
	t.Cleanup(srv.Close)
	if limits == "" {
		limits = "phone=50/1h,openid=50/1h,ip=500/1m"
	}
	s := localtest.Start(t, localtest.Options{Env: map[string]string{
		"WECHAT_APP_ID": testAppID, "WECHAT_APP_SECRET": testSecret, "WECHAT_API_BASE": srv.URL,
		"WECHAT_PROGRESS_TEMPLATE_ID": testTemplate,
		"SMS_ALIYUN_PATH_TOKEN":       aliyunToken, "SMS_TENCENT_PATH_TOKEN": tencentToken,
		"TWILIO_AUTH_TOKEN": twilioToken, "TWILIO_WEBHOOK_URL": twilioURL,
		"HOTLINE_API_KEY": hotlineKey, "RATE_LIMITS": limits,
	}})
	return s, fake
}

func stores(t *testing.T, s *localtest.Stack) (*dynamo.Store, *chanstore.Store) {
	db, _ := testenv.Clients(t)
	return dynamo.New(db, s.TableName("CasesTable"), 0), chanstore.New(db, s.TableName("CasesTable"))
}

// outbox waits, boundedly, until the fake SMS provider recorded n messages.
func outbox(t *testing.T, ch *chanstore.Store, n int) []chanstore.SentSMS {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		ms, err := ch.RecordedSMS(context.Background(), 100)
		if err != nil {
			t.Fatal(err)
		}
		if len(ms) >= n || time.Now().After(deadline) {
			return ms
		}
		time.Sleep(200 * time.Millisecond)
	}
}

// routed waits until the case has left its first state.
func routed(t *testing.T, st *dynamo.Store, id string) *cases.Case {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		c, err := st.Get(context.Background(), id)
		if err != nil {
			t.Fatal(err)
		}
		if c.State != cases.StateReceived {
			return c
		}
		if time.Now().After(deadline) {
			t.Fatalf("case %s never routed", id)
		}
		time.Sleep(200 * time.Millisecond)
	}
}

func checkSMSLength(t *testing.T, m chanstore.SentSMS) {
	t.Helper()
	n, enc := sms.Segments(m.Text, "")
	if n > 3 || n != m.Segments || enc != sms.EncodingUCS2 || !strings.HasPrefix(m.Text, "【") {
		t.Errorf("reply %q: %d segments (recorded %d) %s", m.Text, n, m.Segments, enc)
	}
}

// smsCase texts content from phone through the Aliyun webhook, checks the
// receipt, and returns the case once routed.
func smsCase(t *testing.T, s *localtest.Stack, st *dynamo.Store, ch *chanstore.Store, phone, content string) *cases.Case {
	t.Helper()
	if resp, b := do(t, "POST", s.URL+"/v1/sms/aliyun/"+aliyunToken, "application/json", aliyunBody(phone, "case-"+phone, content)); resp.StatusCode != 200 {
		t.Fatalf("post: %d %s", resp.StatusCode, b)
	}
	ms := outbox(t, ch, 1)
	if len(ms) != 1 || ms[0].Kind != "sms_receipt" {
		t.Fatalf("outbox = %+v, want the receipt", ms)
	}
	return routed(t, st, ms[0].CaseID)
}

func aliyunBody(phone, seq, content string) string {
	b, _ := json.Marshal([]map[string]any{{"phone_number": phone, "send_time": "2026-11-27 10:00:00",
		"content": content, "sign_name": "青海12315", "dest_code": "1234", "sequence_id": seq}})
	return string(b)
}

// TestSMSAliyunEndToEnd: a text becomes a routed case and the sender gets
// its tracking code; a retried webhook changes nothing; 查询 answers the
// status; a second text is a follow-up; T opts out.
func TestSMSAliyunEndToEnd(t *testing.T) {
	s, _ := channelStack(t, "")
	st, ch := stores(t, s)
	post := func(body string) (*http.Response, []byte) {
		return do(t, "POST", s.URL+"/v1/sms/aliyun/"+aliyunToken, "application/json", body)
	}
	first := aliyunBody("13912345678", "9001", complaintText)
	for i := 0; i < 2; i++ { // the second post is Aliyun's retry
		resp, b := post(first)
		if resp.StatusCode != 200 || string(b) != `{"code":0,"msg":"接收成功"}` {
			t.Fatalf("post %d: %d %s", i, resp.StatusCode, b)
		}
	}
	ms := outbox(t, ch, 1)
	if len(ms) != 1 || ms[0].Kind != "sms_receipt" || ms[0].To != "+8613912345678" || ms[0].Provider != "aliyun" {
		t.Fatalf("outbox = %+v", ms)
	}
	checkSMSLength(t, ms[0])
	id := ms[0].CaseID
	c := routed(t, st, id)
	if c.Channel != cases.ChannelSMS || c.Consumer.Phone != "13912345678" || c.Unit == nil || c.Unit.Code != "630102" {
		t.Errorf("case = channel %s phone %s unit %+v", c.Channel, c.Consumer.Phone, c.Unit)
	}
	code := ms[0].Text[strings.Index(ms[0].Text, "查询码")+len("查询码"):]
	code = code[:cases.TrackingCodeLen]
	if !c.CheckTrackingCode(code) {
		t.Fatalf("reply carries %q, not the case's tracking code", code)
	}

	// 查询 with the code, from another phone: the code alone opens it.
	if resp, b := post(aliyunBody("13700000001", "9002", "查询 "+strings.ToLower(code))); resp.StatusCode != 200 {
		t.Fatalf("查询: %d %s", resp.StatusCode, b)
	}
	// A follow-up from the first phone, and an opt-out.
	if resp, b := post(aliyunBody("13912345678", "9003", "补充：小票编号12345，购买时间上周五。")); resp.StatusCode != 200 {
		t.Fatalf("follow-up: %d %s", resp.StatusCode, b)
	}
	if resp, b := post(aliyunBody("13912345678", "9004", "TD")); resp.StatusCode != 200 {
		t.Fatalf("opt-out: %d %s", resp.StatusCode, b)
	}
	ms = outbox(t, ch, 3)
	kinds := map[string]chanstore.SentSMS{}
	for _, m := range ms {
		kinds[m.Kind] = m
		checkSMSLength(t, m)
	}
	if st := kinds["sms_status"]; !strings.Contains(st.Text, id) || !strings.Contains(st.Text, "承办单位") || st.To != "+8613700000001" {
		t.Errorf("status answer = %+v", st)
	}
	if fu := kinds["sms_follow_up"]; !strings.Contains(fu.Text, id) {
		t.Errorf("follow-up receipt = %+v", fu)
	}
	if len(ms) != 3 {
		t.Errorf("outbox has %d messages, want 3 (receipt, status, follow-up; nothing for TD): %+v", len(ms), ms)
	}
	if n := countCases(t, s); n != 1 {
		t.Errorf("cases = %d, want 1 (retry deduped, follow-up attached, 查询 and TD are not complaints)", n)
	}
	c, _ = st.Get(context.Background(), id)
	if !strings.Contains(c.Facts, "小票编号12345") {
		t.Errorf("follow-up not in the facts: %q", c.Facts)
	}
	if out, _ := ch.OptedOut(context.Background(), "+8613912345678"); !out {
		t.Error("TD did not opt the phone out")
	}
	// A staff action is a state change: the progress text is suppressed
	// for the opted-out phone.
	staffer := &staffClient{t: t, s: s, token: s.Token(t, "630102", "handler")}
	a := staffer.act(id, "accept", c.Version, nil)
	if a.Status != 200 || a.State != string(cases.StateMediating) {
		t.Fatalf("accept: %+v", a)
	}
	key := "progress/" + id + "/v" + strconv.FormatInt(a.Version, 10)
	deadline := time.Now().Add(20 * time.Second)
	outcome := ""
	for outcome == "" && time.Now().Before(deadline) {
		outcome, _ = ch.OutboundOutcome(context.Background(), key)
		time.Sleep(200 * time.Millisecond)
	}
	if outcome != "opted_out" {
		t.Errorf("progress after accept: outcome %q, want opted_out", outcome)
	}
}

// TestSMSReferralAnswer: a text that is not market regulation's is
// referred by the route consumer, and the sender, who has only SMS, is told
// the agency and how to reach it, once, after the receipt; 查询 says it
// again.
func TestSMSReferralAnswer(t *testing.T) {
	s, _ := channelStack(t, "")
	st, ch := stores(t, s)
	post := func(body string) {
		if resp, b := do(t, "POST", s.URL+"/v1/sms/aliyun/"+aliyunToken, "application/json", body); resp.StatusCode != 200 {
			t.Fatalf("post: %d %s", resp.StatusCode, b)
		}
	}
	post(aliyunBody("13912340000", "9101", "银行信用卡没开卡就扣了年费300元，客服不给退"))
	ms := outbox(t, ch, 2)
	if len(ms) != 2 {
		t.Fatalf("outbox = %+v, want the receipt and the referral", ms)
	}
	id := ms[0].CaseID
	c := routed(t, st, id)
	if c.State != cases.StateReferred || c.Routing == nil || c.Routing.Agency == nil || c.Routing.Agency.Code != "finance" {
		t.Fatalf("case: state %s routing %+v", c.State, c.Routing)
	}
	kinds := map[string]chanstore.SentSMS{}
	for _, m := range ms {
		kinds[m.Kind] = m
		checkSMSLength(t, m)
	}
	ref := kinds["progress"]
	if ref.CaseID != id || ref.To != "+8613912340000" || !strings.Contains(ref.Text, c.Routing.Agency.Name) || !strings.Contains(ref.Text, "12378") {
		t.Errorf("referral text = %+v", ref)
	}
	code := kinds["sms_receipt"].Text
	code = code[strings.Index(code, "查询码")+len("查询码"):][:cases.TrackingCodeLen]
	post(aliyunBody("13912340000", "9102", "查询 "+code))
	ms = outbox(t, ch, 3)
	if len(ms) != 3 {
		t.Fatalf("outbox = %+v", ms)
	}
	for _, m := range ms {
		if m.Kind == "sms_status" && !strings.Contains(m.Text, "12378") {
			t.Errorf("status answer = %q, want the agency's contact", m.Text)
		}
	}
	// The next text from the phone is a case of its own: a referred case
	// is over, and a complaint appended to it would be lost.
	post(aliyunBody("13912340000", "9103", "城东区一家超市卖的酸奶过期了，要求退款"))
	ms = outbox(t, ch, 4)
	if len(ms) != 4 || ms[3].Kind != "sms_receipt" || ms[3].CaseID == id {
		t.Fatalf("outbox = %+v, want a receipt for a new case", ms)
	}
	if c, _ := st.Get(context.Background(), id); strings.Contains(c.Facts, "酸奶") {
		t.Error("the new complaint was appended to the referred case")
	}
}

// TestSMSTriageReferral: a text the router cannot place goes to triage; a
// person at the provincial centre decides it is another agency's matter
// (triage_refer, through the staff API), and the sender is texted the
// agency and how to reach it.
func TestSMSTriageReferral(t *testing.T) {
	s, _ := channelStack(t, "")
	st, ch := stores(t, s)
	c := smsCase(t, s, st, ch, "13912340001", "东西坏了，找了好几次都没人管")
	if c.State != cases.StateTriage {
		t.Fatalf("state %s, want triage (the test needs a text the router cannot place)", c.State)
	}
	staffer := &staffClient{t: t, s: s, token: s.Token(t, "630000", "handler")}
	if a := staffer.act(c.ID, "triage_refer", c.Version, map[string]any{"agency": "bank"}); a.Status != 422 || len(a.Fields) != 1 || a.Fields[0] != "fields.agency" {
		t.Errorf("unknown agency: %+v", a)
	}
	a := staffer.act(c.ID, "triage_refer", c.Version, map[string]any{"agency": "postal"})
	if a.Status != 200 || a.State != string(cases.StateReferred) {
		t.Fatalf("triage_refer: %+v", a)
	}
	ms := outbox(t, ch, 2)
	if len(ms) != 2 || ms[1].Kind != "progress" || !strings.Contains(ms[1].Text, "邮政管理部门") || !strings.Contains(ms[1].Text, "12305") {
		t.Fatalf("outbox = %+v, want the referral texted", ms)
	}
	checkSMSLength(t, ms[1])
}

// TestSMSInquiryAnswer: an inquiry sent by SMS is answered through the
// staff API, and the sender is texted the reply; the public view has it
// whole.
func TestSMSInquiryAnswer(t *testing.T) {
	s, _ := channelStack(t, "")
	st, ch := stores(t, s)
	c := smsCase(t, s, st, ch, "13912340002", "请问预付卡商家跑路了能退钱吗？")
	if c.State != cases.StatePendingAnswer || c.Unit == nil {
		t.Fatalf("state %s unit %+v, want an inquiry waiting for its answer", c.State, c.Unit)
	}
	const reply = "可以。请保留预付卡和付款凭证，向商家所在地的市场监管部门投诉，也可以向法院起诉。"
	staffer := &staffClient{t: t, s: s, token: s.Token(t, c.Unit.Code, "handler")}
	if a := staffer.act(c.ID, "answer", c.Version, map[string]any{"reply": reply}); a.Status != 200 || a.State != string(cases.StateAnswered) {
		t.Fatalf("answer: %+v", a)
	}
	ms := outbox(t, ch, 2)
	if len(ms) != 2 || ms[1].Kind != "progress" || !strings.Contains(ms[1].Text, reply) {
		t.Fatalf("outbox = %+v, want the reply texted", ms)
	}
	checkSMSLength(t, ms[1])
	c, _ = st.Get(context.Background(), c.ID)
	if v := c.Public(); v.Reply != reply {
		t.Errorf("public view reply = %q", v.Reply)
	}
}

// TestSMSProvidersEndToEnd drives Tencent, Twilio and End User Messaging
// to routed cases.
func TestSMSProvidersEndToEnd(t *testing.T) {
	s, _ := channelStack(t, "")
	st, ch := stores(t, s)

	tc, _ := json.Marshal(map[string]any{"extend": "", "mobile": "13800000002", "nationcode": "86",
		"sign": "青海12315", "text": complaintText, "time": 1764208800})
	if resp, b := do(t, "POST", s.URL+"/v1/sms/tencent/"+tencentToken, "application/json", string(tc)); resp.StatusCode != 200 || string(b) != `{"result":0,"errmsg":"OK"}` {
		t.Fatalf("tencent: %d %s", resp.StatusCode, b)
	}

	form := url.Values{"MessageSid": {"SM0123456789abcdef0123456789abcdef"}, "AccountSid": {"AC1"},
		"From": {"+8613800000003"}, "To": {"+12125550101"}, "Body": {complaintText}, "NumMedia": {"0"}}
	sig := twilio.Signature(twilioToken, twilioURL, form)
	if resp, b := do(t, "POST", s.URL+"/v1/sms/twilio", "application/x-www-form-urlencoded", form.Encode(),
		"X-Twilio-Signature", sig); resp.StatusCode != 200 || !strings.Contains(string(b), "<Response>") {
		t.Fatalf("twilio: %d %s", resp.StatusCode, b)
	}

	eum, _ := json.Marshal(map[string]string{"originationNumber": "+8613800000004", "destinationNumber": "+12125550101",
		"messageKeyword": "KEYWORD_000000000000", "messageBody": complaintText, "inboundMessageId": "cae173d2-66b9-564c-8309-21f858e9fb84"})
	for i := 0; i < 2; i++ { // SNS may deliver twice
		if err := s.Publish(context.Background(), "SmsInboundTopic", string(eum)); err != nil {
			t.Fatal(err)
		}
	}

	ms := outbox(t, ch, 3)
	byProvider := map[string]chanstore.SentSMS{}
	for _, m := range ms {
		byProvider[m.Provider] = m
	}
	for _, p := range []string{"tencent", "twilio", "eum"} {
		m, ok := byProvider[p]
		if !ok {
			t.Errorf("%s: no receipt in %+v", p, ms)
			continue
		}
		c := routed(t, st, m.CaseID)
		if c.Identity == nil || c.Identity.Provider != p || c.Unit == nil {
			t.Errorf("%s case: identity %+v unit %+v", p, c.Identity, c.Unit)
		}
	}
	if len(ms) != 3 || countCases(t, s) != 3 {
		t.Errorf("outbox %d, cases %d; want 3 and 3", len(ms), countCases(t, s))
	}
}

// TestSMSBadInput: each provider answers bad input its own way and stores
// nothing.
func TestSMSBadInput(t *testing.T) {
	s, _ := channelStack(t, "")
	ali := s.URL + "/v1/sms/aliyun/" + aliyunToken
	form := url.Values{"MessageSid": {"SM1"}, "From": {"+8613800000005"}, "To": {"+1"}, "Body": {complaintText}}
	tests := []struct {
		name, url, ctype, body string
		hdr                    []string
		status                 int
	}{
		{"aliyun wrong token", s.URL + "/v1/sms/aliyun/guess", "application/json", aliyunBody("13800000005", "1", complaintText), nil, 403},
		{"aliyun malformed", ali, "application/json", `[{"phone_number":`, nil, 400},
		{"aliyun empty text", ali, "application/json", aliyunBody("13800000005", "2", "   "), nil, 200},
		{"aliyun bad phone", ali, "application/json", aliyunBody("12345", "3", complaintText), nil, 200},
		{"aliyun oversize text", ali, "application/json", aliyunBody("13800000005", "4", strings.Repeat("长", 2001)), nil, 200},
		{"tencent wrong token", s.URL + "/v1/sms/tencent/" + aliyunToken, "application/json", `{"mobile":"13800000005","text":"x"}`, nil, 403},
		{"tencent malformed", s.URL + "/v1/sms/tencent/" + tencentToken, "application/json", `nope`, nil, 400},
		{"twilio bad signature", s.URL + "/v1/sms/twilio", "application/x-www-form-urlencoded", form.Encode(), []string{"X-Twilio-Signature", "RSOYDt4T1cUTdK1PDd93/VVr8B8="}, 403},
		{"twilio unsigned", s.URL + "/v1/sms/twilio", "application/x-www-form-urlencoded", form.Encode(), nil, 403},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			resp, b := do(t, "POST", tc.url, tc.ctype, tc.body, tc.hdr...)
			if resp.StatusCode != tc.status {
				t.Errorf("status %d, want %d: %s", resp.StatusCode, tc.status, b)
			}
		})
	}
	if err := s.Publish(context.Background(), "SmsInboundTopic", `{"not":"eum"`); err != nil {
		t.Errorf("malformed EUM message must be dropped, not retried: %v", err)
	}
	if n := countItems(t, s); n != 0 {
		t.Errorf("bad input stored %d items", n)
	}
}

// TestSMSRateLimit: the third text within the window is refused with 429
// and Retry-After; the provider's retry later is not a duplicate.
func TestSMSRateLimit(t *testing.T) {
	s, _ := channelStack(t, "phone=2/1h")
	for i, want := range []int{200, 200, 429} {
		resp, b := do(t, "POST", s.URL+"/v1/sms/aliyun/"+aliyunToken, "application/json",
			aliyunBody("13800000006", strconv.Itoa(100+i), "查询 ABCDEFGHJK"))
		if resp.StatusCode != want {
			t.Fatalf("text %d: %d %s", i, resp.StatusCode, b)
		}
		if want == 429 {
			if ra, _ := strconv.Atoi(resp.Header.Get("Retry-After")); ra < 1 || ra > 3600 {
				t.Errorf("Retry-After = %q", resp.Header.Get("Retry-After"))
			}
		}
	}
}

type mpClient struct {
	t     *testing.T
	base  string
	token string
}

func (c *mpClient) do(method, path, body string, hdr ...string) (*http.Response, map[string]any) {
	c.t.Helper()
	ctype := ""
	if body != "" {
		ctype = "application/json"
	}
	if c.token != "" {
		hdr = append(hdr, "Authorization", "Bearer "+c.token)
	}
	resp, b := do(c.t, method, c.base+path, ctype, body, hdr...)
	var m map[string]any
	_ = json.Unmarshal(b, &m)
	return resp, m
}

func login(t *testing.T, s *localtest.Stack, code string) *mpClient {
	t.Helper()
	c := &mpClient{t: t, base: s.URL}
	resp, m := c.do("POST", "/v1/mp/login", `{"code":"`+code+`"}`)
	if resp.StatusCode != 200 {
		t.Fatalf("login: %d %v", resp.StatusCode, m)
	}
	c.token, _ = m["token"].(string)
	if len(c.token) != 43 {
		t.Fatalf("token = %q", c.token)
	}
	return c
}

// TestMiniProgramEndToEnd: login, phone, subscription, submit, routing,
// the progress subscribe message, my cases; content check verdicts.
func TestMiniProgramEndToEnd(t *testing.T) {
	s, fake := channelStack(t, "")
	st, ch := stores(t, s)
	fake.AddLogin("code-1", "o-user-1", "")
	fake.AddPhone("phone-1", "13912340001", "86")
	fake.AddContentRule("骗子", "review", 20008)
	fake.AddContentRule("混蛋", "risky", 20003)
	u := login(t, s, "code-1")

	if resp, m := u.do("POST", "/v1/mp/phone", `{"code":"phone-1"}`); resp.StatusCode != 200 || m["phone"] != "139****0001" {
		t.Fatalf("phone: %d %v", resp.StatusCode, m)
	}
	if resp, m := u.do("POST", "/v1/mp/subscriptions", `{"template_ids":["`+testTemplate+`"]}`); resp.StatusCode != 200 {
		t.Fatalf("subscribe: %d %v", resp.StatusCode, m)
	}
	sub := strings.Replace(goodComplaint, `"phone":"13800138000",`, "", 1)
	resp, m := u.do("POST", "/v1/mp/cases", sub, "Idempotency-Key", "mp-1")
	if resp.StatusCode != 201 {
		t.Fatalf("submit: %d %v", resp.StatusCode, m)
	}
	id, _ := m["id"].(string)
	// The same key replays.
	if resp, m2 := u.do("POST", "/v1/mp/cases", sub, "Idempotency-Key", "mp-1"); resp.StatusCode != 201 || m2["id"] != id {
		t.Fatalf("replay: %d %v", resp.StatusCode, m2)
	}
	c := routed(t, st, id)
	if c.Channel != cases.ChannelMiniProgram || c.Identity == nil || c.Identity.OpenID != "o-user-1" ||
		c.Consumer.Phone != "13912340001" || c.Moderation == nil || c.Moderation.Verdict != "pass" || !c.Publishable() {
		t.Errorf("case: channel %s identity %+v phone %s moderation %+v", c.Channel, c.Identity, c.Consumer.Phone, c.Moderation)
	}
	// Routing is a state change: a subscribe message spends the credit.
	deadline := time.Now().Add(20 * time.Second)
	for len(fake.Sent()) == 0 && time.Now().Before(deadline) {
		time.Sleep(200 * time.Millisecond)
	}
	sent := fake.Sent()
	if len(sent) != 1 || sent[0].ToUser != "o-user-1" || sent[0].TemplateID != testTemplate || sent[0].Data["character_string1"] != id {
		t.Fatalf("subscribe messages = %+v", sent)
	}
	if n, _ := ch.Credits(context.Background(), "o-user-1", testTemplate); n != 0 {
		t.Errorf("credits left = %d, want 0", n)
	}

	// Review and risky content are accepted and flagged.
	for word, verdict := range map[string]string{"骗子": "review", "混蛋": "risky"} {
		body := strings.Replace(sub, "饮用后腹泻。", "饮用后腹泻，店员说我是"+word+"。", 1)
		resp, m := u.do("POST", "/v1/mp/cases", body)
		if resp.StatusCode != 201 {
			t.Fatalf("%s: %d %v", verdict, resp.StatusCode, m)
		}
		c, _ := st.Get(context.Background(), m["id"].(string))
		if c.Moderation == nil || c.Moderation.Verdict != verdict || !c.Moderation.NeedsReview || c.Publishable() {
			t.Errorf("%s: moderation %+v publishable %v", verdict, c.Moderation, c.Publishable())
		}
	}
	resp, m = u.do("GET", "/v1/mp/cases", "")
	list, _ := m["cases"].([]any)
	if resp.StatusCode != 200 || len(list) != 3 || list[2].(map[string]any)["id"] != id {
		t.Errorf("my cases: %d %v", resp.StatusCode, m)
	}
	// Three content checks and a subscribe message later, each function
	// container fetched the stable token once and cached it.
	if got := fake.CallCount(wechattest.EndpointStableToken); got != 2 {
		t.Errorf("stable_token calls = %d, want 2 (one per function, cached)", got)
	}
	// Another user sees none of them.
	fake.AddLogin("code-2", "o-user-2", "")
	if resp, m := login(t, s, "code-2").do("GET", "/v1/mp/cases", ""); resp.StatusCode != 200 || len(m["cases"].([]any)) != 0 {
		t.Errorf("other user's list: %d %v", resp.StatusCode, m)
	}
}

// TestMiniProgramRefusedSubscription: 43101 is final — no retry, credits
// cleared.
func TestMiniProgramRefusedSubscription(t *testing.T) {
	s, fake := channelStack(t, "")
	st, ch := stores(t, s)
	fake.AddLogin("code-r", "o-refuser", "")
	fake.RefuseSubscription("o-refuser")
	u := login(t, s, "code-r")
	u.do("POST", "/v1/mp/subscriptions", `{"template_ids":["`+testTemplate+`"]}`)
	resp, m := u.do("POST", "/v1/mp/cases", goodComplaint)
	if resp.StatusCode != 201 {
		t.Fatalf("submit: %d %v", resp.StatusCode, m)
	}
	id := m["id"].(string)
	routed(t, st, id)
	key := "progress/" + id + "/v2"
	deadline := time.Now().Add(20 * time.Second)
	outcome := ""
	for outcome == "" && time.Now().Before(deadline) {
		outcome, _ = ch.OutboundOutcome(context.Background(), key)
		time.Sleep(200 * time.Millisecond)
	}
	drained(t, s, "OutboundQueue")
	if outcome != "refused" || fake.CallCount(wechattest.EndpointSubscribeSend) != 1 || len(fake.Sent()) != 0 {
		t.Errorf("outcome %q, sends %d, delivered %d", outcome, fake.CallCount(wechattest.EndpointSubscribeSend), len(fake.Sent()))
	}
}

// TestMiniProgramErrors: WeChat's login errors, sessions, rate limits and
// bad input.
func TestMiniProgramErrors(t *testing.T) {
	s, fake := channelStack(t, "phone=50/1h,openid=2/1h,ip=500/1m")
	fake.FailCode("bad", 40029)
	fake.FailCode("quota", 45011)
	fake.FailCode("risky", 40226)
	fake.FailCode("busy", -1)
	anon := &mpClient{t: t, base: s.URL}
	for code, want := range map[string]int{"bad": 401, "quota": 429, "risky": 403, "busy": 503} {
		resp, m := anon.do("POST", "/v1/mp/login", `{"code":"`+code+`"}`)
		if resp.StatusCode != want {
			t.Errorf("login %s: %d %v, want %d", code, resp.StatusCode, m, want)
		}
		if (want == 429 || want == 503) && resp.Header.Get("Retry-After") == "" {
			t.Errorf("login %s: no Retry-After", code)
		}
		if _, leaked := m["session_key"]; leaked {
			t.Errorf("session_key leaked")
		}
	}
	if resp, _ := anon.do("POST", "/v1/mp/login", `{"code":""}`); resp.StatusCode != 422 {
		t.Errorf("empty code: %d", resp.StatusCode)
	}
	for _, tok := range []string{"", "not-a-session"} {
		c := &mpClient{t: t, base: s.URL, token: tok}
		if resp, _ := c.do("GET", "/v1/mp/cases", ""); resp.StatusCode != 401 {
			t.Errorf("token %q: %d, want 401", tok, resp.StatusCode)
		}
	}
	fake.AddLogin("code-e", "o-errors", "")
	u := login(t, s, "code-e")
	if resp, m := u.do("POST", "/v1/mp/cases", `{"facts":`); resp.StatusCode != 400 {
		t.Errorf("malformed: %d %v", resp.StatusCode, m)
	}
	if resp, m := u.do("POST", "/v1/mp/cases", `{"kind":"complaint","facts":"短"}`); resp.StatusCode != 422 {
		t.Errorf("invalid: %d %v", resp.StatusCode, m)
	}
	if resp, m := u.do("POST", "/v1/mp/subscriptions", `{"template_ids":["someone-elses"]}`); resp.StatusCode != 422 {
		t.Errorf("unknown template: %d %v", resp.StatusCode, m)
	}
	// openid=2/1h: the two bad submissions above counted; the next is 429.
	resp, m := u.do("POST", "/v1/mp/cases", goodComplaint)
	if resp.StatusCode != 429 || resp.Header.Get("Retry-After") == "" || m["error"].(map[string]any)["code"] != "rate_limited" {
		t.Errorf("rate limit: %d %v", resp.StatusCode, m)
	}
	if n := countCases(t, s); n != 0 {
		t.Errorf("cases = %d, want 0", n)
	}
}

func transfer(t *testing.T, s *localtest.Stack, key, body string) (*http.Response, map[string]any) {
	t.Helper()
	var hdr []string
	if key != "" {
		hdr = []string{"X-Api-Key", key}
	}
	resp, b := do(t, "POST", s.URL+"/v1/hotline/transfers", "application/json", body, hdr...)
	var m map[string]any
	_ = json.Unmarshal(b, &m)
	return resp, m
}

// TestHotlineReferral: a 12345 work order that is another agency's matter
// is referred, and that answers the work order: its 12345 clock stops as
// met, and nothing is left for the sweep to flag on a case no action can
// leave.
func TestHotlineReferral(t *testing.T) {
	s, _ := channelStack(t, "")
	st, _ := stores(t, s)
	due := time.Now().In(cases.Shanghai).AddDate(0, 0, 10).Format("2006-01-02")
	body := `{"work_order_id":"12345-2026-000901","due_date":"` + due + `","content":"来电人反映：银行信用卡没开卡就扣了年费300元，客服不给退。诉求：退还年费。",
	  "contact":{"name":"李四","phone":"13800000007"}}`
	resp, m := transfer(t, s, hotlineKey, body)
	if resp.StatusCode != 201 {
		t.Fatalf("transfer: %d %v", resp.StatusCode, m)
	}
	c := routed(t, st, m["case_id"].(string))
	if c.State != cases.StateReferred || c.Routing == nil || c.Routing.Agency == nil || c.Routing.Agency.Code != "finance" {
		t.Fatalf("case: state %s routing %+v", c.State, c.Routing)
	}
	for _, k := range c.Clocks {
		if k.Kind == deadline.Hotline12345 && (k.StoppedAt == nil || k.Met == nil || !*k.Met) {
			t.Errorf("12345 clock %+v, want stopped and met", k)
		}
	}
	if c.OpenClock(deadline.Hotline12345) != nil || c.WatchAt != nil {
		t.Errorf("referred work order still watched: %v", c.WatchAt)
	}
}

// TestHotlineTransfer: a 12345 work order becomes a routed case with both
// clocks; repeats are idempotent; bad keys and input are refused.
func TestHotlineTransfer(t *testing.T) {
	s, _ := channelStack(t, "")
	st, _ := stores(t, s)
	due := time.Now().In(cases.Shanghai).AddDate(0, 0, 10).Format("2006-01-02")
	body := `{"work_order_id":"12345-2026-000777","due_date":"` + due + `","content":"` + complaintText + `",
	  "contact":{"name":"李四","phone":"13800000007"},"business":{"name":"某某超市","region_code":"630102"}}`
	resp, m := transfer(t, s, hotlineKey, body)
	if resp.StatusCode != 201 {
		t.Fatalf("transfer: %d %v", resp.StatusCode, m)
	}
	id, _ := m["case_id"].(string)
	if !cases.ValidID(id) || m["work_order_id"] != "12345-2026-000777" || m["tracking_code"] == "" {
		t.Fatalf("answer = %v", m)
	}
	resp2, m2 := transfer(t, s, hotlineKey, body)
	if resp2.StatusCode != 200 || m2["case_id"] != id || resp2.Header.Get("Idempotent-Replayed") != "true" {
		t.Errorf("repeat: %d %v", resp2.StatusCode, m2)
	}
	c := routed(t, st, id)
	kinds := map[deadline.Kind]string{}
	for _, k := range c.Clocks {
		kinds[k.Kind] = k.DueDate.String()
	}
	if c.Hotline == nil || c.Hotline.WorkOrderID != "12345-2026-000777" || kinds[deadline.Hotline12345] == "" || kinds[deadline.Acceptance] == "" {
		t.Fatalf("case: hotline %+v clocks %v", c.Hotline, kinds)
	}
	if kinds[deadline.Hotline12345] < due {
		t.Errorf("hotline clock due %s before the work order's %s", kinds[deadline.Hotline12345], due)
	}
	if c.WatchAt == nil {
		t.Error("routed case has no watch time")
	}

	tests := []struct {
		name, key, body string
		status          int
	}{
		{"no key", "", body, 401},
		{"wrong key", "guess", body, 403},
		{"same order, other content", hotlineKey, strings.Replace(body, "卖过期牛奶", "卖假酒", 1), 409},
		{"due date in the past", hotlineKey, strings.Replace(strings.Replace(body, due, "2020-01-01", 1), "000777", "000778", 1), 422},
		{"bad due date", hotlineKey, strings.Replace(strings.Replace(body, due, "soon", 1), "000777", "000779", 1), 422},
		{"bad work order id", hotlineKey, strings.Replace(body, "12345-2026-000777", "../etc", 1), 422},
		{"bad phone", hotlineKey, strings.Replace(strings.Replace(body, "13800000007", "123", 1), "000777", "000780", 1), 422},
		{"empty content", hotlineKey, strings.Replace(strings.Replace(body, complaintText, "", 1), "000777", "000781", 1), 422},
		{"malformed", hotlineKey, `{"work_order_id":`, 400},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if resp, m := transfer(t, s, tc.key, tc.body); resp.StatusCode != tc.status {
				t.Errorf("status %d, want %d: %v", resp.StatusCode, tc.status, m)
			}
		})
	}
	if n := countCases(t, s); n != 1 {
		t.Errorf("cases = %d, want 1", n)
	}
}

// TestSMSStatusOfAWebCase: a case filed on the web page can be followed
// by SMS with its tracking code alone.
func TestSMSStatusOfAWebCase(t *testing.T) {
	s, _ := channelStack(t, "")
	_, ch := stores(t, s)
	resp, b := do(t, "POST", s.URL+"/v1/complaints", "application/json", goodComplaint)
	if resp.StatusCode != 201 {
		t.Fatalf("file: %d %s", resp.StatusCode, b)
	}
	var r receipt
	_ = json.Unmarshal(b, &r)
	if resp, b := do(t, "POST", s.URL+"/v1/sms/aliyun/"+aliyunToken, "application/json",
		aliyunBody("13700000009", "7001", "查询 "+r.TrackingCode)); resp.StatusCode != 200 {
		t.Fatalf("查询: %d %s", resp.StatusCode, b)
	}
	ms := outbox(t, ch, 1)
	if len(ms) != 1 || ms[0].Kind != "sms_status" || !strings.Contains(ms[0].Text, r.ID) {
		t.Errorf("status answer = %+v, want one naming %s", ms, r.ID)
	}
}
