package wechattest

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func do(t *testing.T, s *Server, method, target, body string) map[string]any {
	t.Helper()
	rec := httptest.NewRecorder()
	s.ServeHTTP(rec, httptest.NewRequest(method, target, strings.NewReader(body)))
	var out map[string]any
	if err := json.Unmarshal(rec.Body.Bytes(), &out); err != nil {
		t.Fatalf("%s %s: %v (%s)", method, target, err, rec.Body)
	}
	return out
}

func errcode(m map[string]any) int { f, _ := m["errcode"].(float64); return int(f) }

func TestServerProtocol(t *testing.T) {
	s := New("wxapp", "sec")
	tokBody := `{"grant_type":"client_credential","appid":"wxapp","secret":"sec","force_refresh":false}`
	tok := do(t, s, http.MethodPost, EndpointStableToken, tokBody)
	if tok["access_token"] == "" || tok["expires_in"].(float64) != 7200 {
		t.Fatalf("stable_token = %v", tok)
	}
	again := do(t, s, http.MethodPost, EndpointStableToken, tokBody)
	if again["access_token"] != tok["access_token"] {
		t.Error("normal mode issued a new token while the old one is valid")
	}
	forced := do(t, s, http.MethodPost, EndpointStableToken, strings.Replace(tokBody, "false", "true", 1))
	if forced["access_token"] == tok["access_token"] {
		t.Error("force_refresh kept the token")
	}
	at := forced["access_token"].(string)
	tests := []struct {
		method, target, body string
		want                 int
	}{
		{http.MethodPost, EndpointStableToken, strings.Replace(tokBody, `"sec"`, `"bad"`, 1), 40125},
		{http.MethodPost, EndpointStableToken, strings.Replace(tokBody, `"wxapp"`, `"wxother"`, 1), 40013},
		{http.MethodGet, EndpointStableToken, "", 43302},
		{http.MethodPost, EndpointMsgSecCheck, `{}`, 41001},
		{http.MethodPost, EndpointMsgSecCheck + "?access_token=nope", `{}`, 40001},
		{http.MethodGet, EndpointMsgSecCheck + "?access_token=" + at, ``, 43302},
		{http.MethodPost, EndpointMsgSecCheck + "?access_token=" + at, `{"content":"x","version":1,"scene":2,"openid":"o"}`, 47001},
		{http.MethodPost, EndpointMsgSecCheck + "?access_token=" + at, `{"content":"x","version":2,"scene":9,"openid":"o"}`, 40129},
		{http.MethodPost, EndpointMsgSecCheck + "?access_token=" + at, `{"content":"x","version":2,"scene":2,"openid":"o"}`, 0},
		{http.MethodPost, EndpointSubscribeSend + "?access_token=" + at, `{"touser":"o","template_id":"t","data":{}}`, 47003},
		{http.MethodPost, EndpointSubscribeSend + "?access_token=" + at, `{"touser":"o","data":{"a":{"value":"b"}}}`, 40037},
		{http.MethodGet, EndpointCode2Session + "?appid=wxapp&secret=sec&js_code=c&grant_type=authorization_code", ``, 40029},
	}
	for _, tt := range tests {
		if got := errcode(do(t, s, tt.method, tt.target, tt.body)); got != tt.want {
			t.Errorf("%s %s: errcode %d, want %d", tt.method, tt.target, got, tt.want)
		}
	}
	s.ExpireTokens()
	if got := errcode(do(t, s, http.MethodPost, EndpointMsgSecCheck+"?access_token="+at, `{}`)); got != 42001 {
		t.Errorf("expired token: errcode %d, want 42001", got)
	}
	for _, c := range s.Calls() {
		if strings.Contains(c.Code+c.OpenID, "sec") || strings.Contains(c.Code+c.OpenID, at) {
			t.Errorf("call records a secret: %+v", c)
		}
	}
}
