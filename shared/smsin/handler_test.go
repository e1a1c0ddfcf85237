package smsin

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"

	"github.com/open12315/intake/shared/apigw"
	"github.com/open12315/intake/shared/channel"
	"github.com/open12315/intake/shared/channel/aliyun"
	"github.com/open12315/intake/shared/channel/eum"
	"github.com/open12315/intake/shared/channel/tencent"
	"github.com/open12315/intake/shared/channel/twilio"
)

var quiet = slog.New(slog.NewTextHandler(io.Discard, nil))

// recorder is a Processing that records what the handler hands on.
type recorder struct {
	got []channel.Inbound
	err error
}

func (r *recorder) Process(_ context.Context, m channel.Inbound) (Outcome, error) {
	r.got = append(r.got, m)
	return OutcomeCase, r.err
}

func fixture(t *testing.T, provider, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "channel", provider, "testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func req(route, token, ctype string, body []byte, hdr ...string) apigw.Request {
	r := apigw.Request{RouteKey: route, Headers: map[string]string{"content-type": ctype, "host": "intake.example"},
		PathParameters: map[string]string{"token": token}, Body: string(body)}
	if ctype == "application/x-www-form-urlencoded" {
		// HTTP APIs base64-encode form posts.
		r.Body, r.IsBase64Encoded = base64.StdEncoding.EncodeToString(body), true
	}
	for i := 0; i+1 < len(hdr); i += 2 {
		r.Headers[hdr[i]] = hdr[i+1]
	}
	return r
}

// TestFixturesRoundTrip runs every provider fixture through the webhook:
// the handler answers per the provider's protocol and hands on exactly
// the messages the adapter parses.
func TestFixturesRoundTrip(t *testing.T) {
	const token = "path-token"
	const twilioToken = "twilio-token"
	const twilioURL = "https://intake.example.gov.cn/v1/sms/twilio"
	tests := []struct {
		provider, file string
		status         int
	}{
		{"aliyun", "batch.json", 200},
		{"aliyun", "empty_array.json", 200},
		{"aliyun", "malformed.json", 400},
		{"aliyun", "mixed.json", 200},
		{"aliyun", "no_sequence.json", 200},
		{"aliyun", "object.json", 200},
		{"aliyun", "optout.json", 200},
		{"tencent", "malformed.json", 400},
		{"tencent", "reply.json", 200},
		{"tencent", "reply_array.json", 200},
		{"tencent", "reply_bad_phone.json", 200},
		{"tencent", "reply_bad_time.json", 200},
		{"tencent", "reply_extend.json", 200},
		{"tencent", "reply_foreign.json", 200},
		{"tencent", "reply_optout.json", 200},
		{"twilio", "bad_from.form", 200},
		{"twilio", "malformed.form", 400},
		{"twilio", "media_only.form", 200},
		{"twilio", "no_sid.form", 400},
		{"twilio", "sms.form", 200},
		{"twilio", "stop.form", 200},
	}
	for _, tc := range tests {
		t.Run(tc.provider+"/"+tc.file, func(t *testing.T) {
			body := fixture(t, tc.provider, tc.file)
			rec := &recorder{}
			h := &Handler{Proc: rec, AliyunToken: token, TencentToken: token, TwilioAuthToken: twilioToken,
				TwilioURL: twilioURL, Log: quiet}
			var r apigw.Request
			var want []channel.Inbound
			switch tc.provider {
			case "aliyun":
				r = req(RouteAliyun, token, "application/json", body)
				want, _ = aliyun.Parse(body)
			case "tencent":
				r = req(RouteTencent, token, "application/json", body)
				want, _ = tencent.Parse(body)
			case "twilio":
				form, _ := url.ParseQuery(string(body))
				sig := twilio.Signature(twilioToken, twilioURL, form)
				r = req(RouteTwilio, "", "application/x-www-form-urlencoded", body, "x-twilio-signature", sig)
				want, _ = twilio.Parse(body, twilioURL, sig, twilioToken)
			}
			resp, err := h.Handle(context.Background(), r)
			if err != nil {
				t.Fatal(err)
			}
			if resp.StatusCode != tc.status {
				t.Fatalf("status %d, want %d: %s", resp.StatusCode, tc.status, resp.Body)
			}
			if len(rec.got) != len(want) || (len(want) > 0 && !reflect.DeepEqual(rec.got, want)) {
				t.Errorf("processed %v, want %v", rec.got, want)
			}
			if tc.status == 200 {
				var ok channel.Response
				switch tc.provider {
				case "aliyun":
					ok = aliyun.SuccessResponse()
				case "tencent":
					ok = tencent.SuccessResponse()
				case "twilio":
					ok = twilio.SuccessResponse()
				}
				if resp.Body != string(ok.Body) || resp.Headers["content-type"] != ok.ContentType {
					t.Errorf("answer %q %q, want the provider's success", resp.Headers["content-type"], resp.Body)
				}
			}
		})
	}
}

// TestTwilioOfficialVectors checks the handler's signature verification
// with the official twilio-go request-validator vectors (channels.md
// §3.3): a valid signature passes (these voice parameters carry no
// MessageSid, so the answer is 400, not 403); any change is 403.
func TestTwilioOfficialVectors(t *testing.T) {
	const testURL = "https://mycompany.com/myapp.php?foo=1&bar=2"
	params := url.Values{"Digits": {"1234"}, "CallSid": {"CA1234567890ABCDE"}, "To": {"+18005551212"},
		"Caller": {"+14158675309"}, "From": {"+14158675309"}}
	docs := url.Values{"CallSid": {"CA1234567890ABCDE"}, "Caller": {"+12349013030"}, "Digits": {"1234"},
		"From": {"+12349013030"}, "To": {"+18005551212"}}
	tests := []struct {
		name, url, sig string
		form           url.Values
		status         int
	}{
		{"twilio-go vector", testURL, "RSOYDt4T1cUTdK1PDd93/VVr8B8=", params, 400},
		{"signed with :443", testURL, "kvajT1Ptam85bY51eRf/AJRuM3w=", params, 400},
		{"configured with :1234, signed without port", "https://mycompany.com:1234/myapp.php?foo=1&bar=2", "RSOYDt4T1cUTdK1PDd93/VVr8B8=", params, 400},
		{"docs example", testURL, "0/KCTR6DLpKmkAf8muzZqo1nDgQ=", docs, 400},
		{"http vector on https URL", testURL, "0ZXoZLH/DfblKGATFgpif+LLRf4=", params, 403},
		{"tampered parameter", testURL, "RSOYDt4T1cUTdK1PDd93/VVr8B8=", url.Values{"Digits": {"9999"}, "CallSid": {"CA1234567890ABCDE"},
			"To": {"+18005551212"}, "Caller": {"+14158675309"}, "From": {"+14158675309"}}, 403},
		{"other URL", "https://evil.example/myapp.php?foo=1&bar=2", "RSOYDt4T1cUTdK1PDd93/VVr8B8=", params, 403},
		{"empty signature", testURL, "", params, 403},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			rec := &recorder{}
			h := &Handler{Proc: rec, TwilioAuthToken: "12345", TwilioURL: tc.url, Log: quiet}
			resp, _ := h.Handle(context.Background(), req(RouteTwilio, "", "application/x-www-form-urlencoded",
				[]byte(tc.form.Encode()), "x-twilio-signature", tc.sig))
			if resp.StatusCode != tc.status || len(rec.got) != 0 {
				t.Errorf("status %d (processed %d), want %d", resp.StatusCode, len(rec.got), tc.status)
			}
		})
	}
}

func TestWebhookAnswers(t *testing.T) {
	body := fixture(t, "aliyun", "object.json")
	tests := []struct {
		name       string
		token      string
		configured string
		procErr    error
		status     int
		retryAfter string
	}{
		{"accepted", "tok", "tok", nil, 200, ""},
		{"wrong token", "guess", "tok", nil, 403, ""},
		{"unset secret refuses", "", "", nil, 403, ""},
		{"rate limited", "tok", "tok", &RateLimitedError{RetryAfter: 1500 * time.Millisecond}, 429, "2"},
		{"busy", "tok", "tok", ErrBusy, 500, ""},
		{"store down", "tok", "tok", errors.New("dynamodb down"), 500, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			h := &Handler{Proc: &recorder{err: tc.procErr}, AliyunToken: tc.configured, Log: quiet}
			resp, _ := h.Handle(context.Background(), req(RouteAliyun, tc.token, "application/json", body))
			if resp.StatusCode != tc.status || resp.Headers["retry-after"] != tc.retryAfter {
				t.Errorf("status %d retry-after %q, want %d %q", resp.StatusCode, resp.Headers["retry-after"], tc.status, tc.retryAfter)
			}
			var v map[string]any
			if err := json.Unmarshal([]byte(resp.Body), &v); err != nil || v["code"] == nil {
				t.Errorf("answer is not Aliyun's shape: %s", resp.Body)
			}
		})
	}
}

// TestSNSFixtures: the Lambda SNS event fixture reaches the processor;
// unusable records are dropped, processing errors make Lambda retry.
func TestSNSFixtures(t *testing.T) {
	var ev events.SNSEvent
	if err := json.Unmarshal(fixture(t, "eum", "lambda_event.json"), &ev); err != nil {
		t.Fatal(err)
	}
	want, _ := eum.Parse(fixture(t, "eum", "lambda_event.json"))
	rec := &recorder{}
	if err := (&SNSHandler{Proc: rec, Log: quiet}).Handle(context.Background(), ev); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(rec.got, want) {
		t.Errorf("processed %v, want %v", rec.got, want)
	}
	for _, name := range []string{"message_bad_phone.json", "message_empty.json", "message_no_id.json", "malformed.json"} {
		rec := &recorder{}
		ev := events.SNSEvent{Records: []events.SNSEventRecord{{SNS: events.SNSEntity{Message: string(fixture(t, "eum", name))}}}}
		if err := (&SNSHandler{Proc: rec, Log: quiet}).Handle(context.Background(), ev); err != nil || len(rec.got) != 0 {
			t.Errorf("%s: err %v, processed %d; want dropped", name, err, len(rec.got))
		}
	}
	rec = &recorder{err: errors.New("down")}
	if err := (&SNSHandler{Proc: rec, Log: quiet}).Handle(context.Background(), ev); err == nil {
		t.Error("processing failure must be returned so Lambda retries")
	}
	rec = &recorder{err: &RateLimitedError{RetryAfter: time.Minute}}
	if err := (&SNSHandler{Proc: rec, Log: quiet}).Handle(context.Background(), ev); err != nil {
		t.Errorf("rate-limited messages are dropped, not retried: %v", err)
	}
}
