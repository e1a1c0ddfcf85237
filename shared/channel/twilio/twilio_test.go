package twilio

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"reflect"
	"strings"
	"testing"

	"github.com/open12315/intake/shared/channel"
	"github.com/open12315/intake/shared/channel/internal/fixture"
)

// Official vectors: twilio/twilio-go client/request_validator_test.go and
// Twilio's webhook security documentation (see channels.md §3.3).
const (
	vecToken = "12345"
	vecURL   = "https://mycompany.com/myapp.php?foo=1&bar=2"
	vecBody  = `{"property": "value", "boolean": true}`
	vecHash  = "0a1ff7634d9ab3b95db5c9a2dfe9416e41502b283a80c7cf19632632f96e6620"
)

var vecParams = url.Values{
	"Digits":  {"1234"},
	"CallSid": {"CA1234567890ABCDE"},
	"To":      {"+18005551212"},
	"Caller":  {"+14158675309"},
	"From":    {"+14158675309"},
}

var docsParams = url.Values{
	"CallSid": {"CA1234567890ABCDE"},
	"Caller":  {"+12349013030"},
	"Digits":  {"1234"},
	"From":    {"+12349013030"},
	"To":      {"+18005551212"},
}

func TestSignatureOfficialVectors(t *testing.T) {
	tests := []struct {
		url    string
		params url.Values
		want   string
	}{
		{vecURL, vecParams, "RSOYDt4T1cUTdK1PDd93/VVr8B8="},
		{"https://mycompany.com:443/myapp.php?foo=1&bar=2", vecParams, "kvajT1Ptam85bY51eRf/AJRuM3w="},
		{"http://mycompany.com:80/myapp.php?foo=1&bar=2", vecParams, "0ZXoZLH/DfblKGATFgpif+LLRf4="},
		{"http://mycompany.com:1234/myapp.php?foo=1&bar=2", vecParams, "Zmvh+3yNM1Phv2jhDCwEM3q5ebU="},
		{vecURL + "&bodySHA256=" + vecHash, nil, "a9nBmqA0ju/hNViExpshrM61xv4="},
		{"https://mycompany.com/myapp.php?bodySHA256=" + vecHash, nil, "y77kIzt2vzLz71DgmJGsen2scGs="},
		{vecURL, docsParams, "0/KCTR6DLpKmkAf8muzZqo1nDgQ="},
	}
	for _, tt := range tests {
		if got := Signature(vecToken, tt.url, tt.params); got != tt.want {
			t.Errorf("Signature(%s) = %s, want %s", tt.url, got, tt.want)
		}
	}
	sum := sha256.Sum256([]byte(vecBody))
	if got := hex.EncodeToString(sum[:]); got != vecHash {
		t.Errorf("body hash = %s, want %s", got, vecHash)
	}
}

func TestValidSignature(t *testing.T) {
	tampered := url.Values{}
	for k, v := range vecParams {
		tampered[k] = v
	}
	tampered.Set("Digits", "1235")
	extra := url.Values{"Extra": {"x"}}
	for k, v := range vecParams {
		extra[k] = v
	}
	tests := []struct {
		name   string
		token  string
		url    string
		params url.Values
		sig    string
		want   bool
	}{
		{"valid", vecToken, vecURL, vecParams, "RSOYDt4T1cUTdK1PDd93/VVr8B8=", true},
		{"valid, request had custom port, signed without", vecToken, "https://mycompany.com:1234/myapp.php?foo=1&bar=2", vecParams, "RSOYDt4T1cUTdK1PDd93/VVr8B8=", true},
		{"valid, signed with :443", vecToken, vecURL, vecParams, "kvajT1Ptam85bY51eRf/AJRuM3w=", true},
		{"valid, signed with :80", vecToken, "http://mycompany.com/myapp.php?foo=1&bar=2", vecParams, "0ZXoZLH/DfblKGATFgpif+LLRf4=", true},
		{"valid, custom port kept", vecToken, "http://mycompany.com:1234/myapp.php?foo=1&bar=2", vecParams, "Zmvh+3yNM1Phv2jhDCwEM3q5ebU=", true},
		{"docs example", vecToken, vecURL, docsParams, "0/KCTR6DLpKmkAf8muzZqo1nDgQ=", true},
		{"tampered param", vecToken, vecURL, tampered, "RSOYDt4T1cUTdK1PDd93/VVr8B8=", false},
		{"added param", vecToken, vecURL, extra, "RSOYDt4T1cUTdK1PDd93/VVr8B8=", false},
		{"tampered query", vecToken, "https://mycompany.com/myapp.php?foo=1&bar=3", vecParams, "RSOYDt4T1cUTdK1PDd93/VVr8B8=", false},
		{"tampered path", vecToken, "https://mycompany.com/other.php?foo=1&bar=2", vecParams, "RSOYDt4T1cUTdK1PDd93/VVr8B8=", false},
		{"tampered host", vecToken, "https://evil.example/myapp.php?foo=1&bar=2", vecParams, "RSOYDt4T1cUTdK1PDd93/VVr8B8=", false},
		{"scheme changed", vecToken, "http://mycompany.com/myapp.php?foo=1&bar=2", vecParams, "RSOYDt4T1cUTdK1PDd93/VVr8B8=", false},
		{"tampered signature", vecToken, vecURL, vecParams, "RSOYDt4T1cUTdK1PDd93/VVr8B8A", false},
		{"wrong token", "12346", vecURL, vecParams, "RSOYDt4T1cUTdK1PDd93/VVr8B8=", false},
		{"empty token", "", vecURL, vecParams, Signature("", vecURL, vecParams), false},
		{"empty signature", vecToken, vecURL, vecParams, "", false},
	}
	for _, tt := range tests {
		if got := ValidSignature(tt.token, tt.url, tt.params, tt.sig); got != tt.want {
			t.Errorf("%s: ValidSignature = %v, want %v", tt.name, got, tt.want)
		}
	}
}

func TestValidBodySignature(t *testing.T) {
	tests := []struct {
		name string
		url  string
		body string
		sig  string
		want bool
	}{
		{"with query", vecURL + "&bodySHA256=" + vecHash, vecBody, "a9nBmqA0ju/hNViExpshrM61xv4=", true},
		{"hash only", "https://mycompany.com/myapp.php?bodySHA256=" + vecHash, vecBody, "y77kIzt2vzLz71DgmJGsen2scGs=", true},
		{"tampered body", vecURL + "&bodySHA256=" + vecHash, vecBody + " ", "a9nBmqA0ju/hNViExpshrM61xv4=", false},
		{"no hash param", vecURL, vecBody, Signature(vecToken, vecURL, nil), false},
		{"tampered signature", vecURL + "&bodySHA256=" + vecHash, vecBody, "y77kIzt2vzLz71DgmJGsen2scGs=", false},
	}
	for _, tt := range tests {
		if got := ValidBodySignature(vecToken, tt.url, []byte(tt.body), tt.sig); got != tt.want {
			t.Errorf("%s: ValidBodySignature = %v, want %v", tt.name, got, tt.want)
		}
	}
}

func TestURLVariants(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		{"https://h.example/p?q=1", []string{"https://h.example:443/p?q=1", "https://h.example/p?q=1"}},
		{"http://h.example:8080/p", []string{"http://h.example:8080/p", "http://h.example/p"}},
		{"https://u:p@h.example", []string{"https://u:p@h.example:443", "https://u:p@h.example"}},
		{"https://[::1]:8443/p", []string{"https://[::1]:8443/p", "https://[::1]/p"}},
		{"not a url", []string{"not a url"}},
	}
	for _, tt := range tests {
		if got := urlVariants(tt.in); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("urlVariants(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

const (
	hookURL   = "https://intake.example.cn/hooks/twilio/sms?k=v"
	hookToken = "test-auth-token"
)

func sign(t *testing.T, body []byte) string {
	form, err := url.ParseQuery(string(body))
	if err != nil {
		t.Fatal(err)
	}
	return Signature(hookToken, hookURL, form)
}

func TestParseFixtures(t *testing.T) {
	tests := []struct {
		file    string
		want    []channel.Inbound
		wantErr error
	}{
		{"sms.form", []channel.Inbound{{Provider: "twilio", MessageID: "SM0123456789abcdef0123456789abcdef",
			From: "+8613812345678", To: "+12065550100", Text: "西宁某酒店乱收费 room fee charged twice"}}, nil},
		{"stop.form", []channel.Inbound{{Provider: "twilio", MessageID: "SM11111111111111111111111111111111",
			From: "+14255550182", To: "+12065550100", Text: "STOP"}}, nil},
		{"media_only.form", nil, channel.ErrEmpty},
		{"bad_from.form", nil, channel.ErrBadPhone},
		{"no_sid.form", nil, channel.ErrMalformed},
		{"malformed.form", nil, channel.ErrMalformed},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			body := fixture.Read(t, tt.file)
			sig := ""
			if tt.file != "malformed.form" {
				sig = sign(t, body)
			}
			got, err := Parse(body, hookURL, sig, hookToken)
			if !errors.Is(err, tt.wantErr) || (err == nil) != (tt.wantErr == nil) {
				t.Fatalf("Parse error = %v, want %v", err, tt.wantErr)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Parse:\n got %#v\nwant %#v", got, tt.want)
			}
		})
	}
}

func TestParseBadSignature(t *testing.T) {
	body := fixture.Read(t, "sms.form")
	sig := sign(t, body)
	tests := []struct {
		name        string
		body        []byte
		url, sig    string
		token       string
		wantErr     error
		wantNoToken bool
	}{
		{"tampered body", []byte(strings.Replace(string(body), "twice", "thrice", 1)), hookURL, sig, hookToken, channel.ErrBadSignature, false},
		{"other URL", body, "https://intake.example.cn/hooks/twilio/sms", sig, hookToken, channel.ErrBadSignature, false},
		{"missing header", body, hookURL, "", hookToken, channel.ErrBadSignature, false},
		{"wrong token", body, hookURL, sig, "other-token", channel.ErrBadSignature, false},
		{"no token configured", body, hookURL, sig, "", nil, true},
	}
	for _, tt := range tests {
		got, err := Parse(tt.body, tt.url, tt.sig, tt.token)
		if got != nil || err == nil {
			t.Errorf("%s: Parse = %v, %v; want error", tt.name, got, err)
			continue
		}
		if tt.wantErr != nil && !errors.Is(err, tt.wantErr) {
			t.Errorf("%s: error = %v, want %v", tt.name, err, tt.wantErr)
		}
		if tt.wantNoToken && !errors.Is(err, errNoToken) {
			t.Errorf("%s: error = %v, want errNoToken", tt.name, err)
		}
		if strings.Contains(err.Error(), tt.token) && tt.token != "" || strings.Contains(err.Error(), sig) {
			t.Errorf("%s: error leaks a secret: %v", tt.name, err)
		}
	}
}

func TestParseTooLong(t *testing.T) {
	form := url.Values{"MessageSid": {"SM1"}, "From": {"+14255550182"}, "Body": {strings.Repeat("x", channel.MaxTextRunes+1)}}
	body := []byte(form.Encode())
	if _, err := Parse(body, hookURL, Signature(hookToken, hookURL, form), hookToken); !errors.Is(err, channel.ErrTooLong) {
		t.Fatalf("error = %v, want ErrTooLong", err)
	}
}

func TestParseRequest(t *testing.T) {
	body := fixture.Read(t, "stop.form")
	want := []channel.Inbound{{Provider: "twilio", MessageID: "SM11111111111111111111111111111111",
		From: "+14255550182", To: "+12065550100", Text: "STOP"}}

	t.Run("POST behind proxy, URL rebuilt", func(t *testing.T) {
		r := httptest.NewRequest(http.MethodPost, "/hooks/twilio/sms?k=v", strings.NewReader(string(body)))
		r.Host = "intake.example.cn"
		r.Header.Set("X-Forwarded-Proto", "https")
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		r.Header.Set(SignatureHeader, sign(t, body))
		if got := RequestURL(r); got != hookURL {
			t.Fatalf("RequestURL = %s, want %s", got, hookURL)
		}
		got, err := ParseRequest(r, "", hookToken)
		if err != nil || !reflect.DeepEqual(got, want) {
			t.Fatalf("ParseRequest = %#v, %v", got, err)
		}
	})
	t.Run("GET signs the URL with its query", func(t *testing.T) {
		q := "MessageSid=SM11111111111111111111111111111111&From=%2B14255550182&To=%2B12065550100&Body=STOP"
		full := "https://intake.example.cn/hooks/twilio/sms?" + q
		r := httptest.NewRequest(http.MethodGet, "/hooks/twilio/sms?"+q, nil)
		r.Header.Set(SignatureHeader, Signature(hookToken, full, nil))
		got, err := ParseRequest(r, "https://intake.example.cn/hooks/twilio/sms", hookToken)
		if err != nil || !reflect.DeepEqual(got, want) {
			t.Fatalf("ParseRequest = %#v, %v", got, err)
		}
	})
	t.Run("PUT rejected", func(t *testing.T) {
		r := httptest.NewRequest(http.MethodPut, "/x", nil)
		if _, err := ParseRequest(r, hookURL, hookToken); !errors.Is(err, channel.ErrMalformed) {
			t.Fatalf("error = %v", err)
		}
	})
	t.Run("oversize body", func(t *testing.T) {
		r := httptest.NewRequest(http.MethodPost, "/x", strings.NewReader(strings.Repeat("a", maxBody+1)))
		if _, err := ParseRequest(r, hookURL, hookToken); !errors.Is(err, channel.ErrMalformed) {
			t.Fatalf("error = %v", err)
		}
	})
}

func TestSuccessResponse(t *testing.T) {
	r := SuccessResponse()
	if r.Status != 200 || !strings.HasPrefix(r.ContentType, "text/xml") || !strings.Contains(string(r.Body), "<Response></Response>") {
		t.Errorf("SuccessResponse = %+v", r)
	}
}
