package local_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/open12315/intake/infra/emulators/testenv"
	"github.com/open12315/intake/infra/local/localtest"
)

func TestMain(m *testing.M) { testenv.Main(m) }

const goodComplaint = `{"kind":"complaint",
 "consumer":{"name":"张三","phone":"13800138000","address":"西宁市城东区八一路1号"},
 "business":{"name":"西宁某某超市","address":"西宁市城东区东关大街2号","region_code":"630102"},
 "facts":"在超市购买的牛奶已过保质期，饮用后腹泻。","request":"退款并赔偿","amount_yuan":"35.50"}`

type receipt struct {
	ID           string `json:"id"`
	TrackingCode string `json:"tracking_code"`
	Status       string `json:"status"`
}

type errBody struct {
	Error struct {
		Code      string `json:"code"`
		Message   string `json:"message"`
		RequestID string `json:"request_id"`
		Fields    []struct {
			Field, Code string
		} `json:"fields"`
	} `json:"error"`
}

func do(t *testing.T, method, url, ctype, body string, hdr ...string) (*http.Response, []byte) {
	t.Helper()
	req, err := http.NewRequest(method, url, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if ctype != "" {
		req.Header.Set("Content-Type", ctype)
	}
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, b
}

// TestFileAndRoute files a complaint over HTTP and waits, by bounded
// polling, for the queue consumer to route it.
func TestFileAndRoute(t *testing.T) {
	s := localtest.Start(t, localtest.Options{})
	resp, b := do(t, "POST", s.URL+"/v1/complaints", "application/json", goodComplaint)
	if resp.StatusCode != http.StatusCreated {
		t.Fatalf("POST: %d %s", resp.StatusCode, b)
	}
	var r receipt
	if err := json.Unmarshal(b, &r); err != nil {
		t.Fatal(err)
	}
	if r.ID == "" || len(r.TrackingCode) != 10 || r.Status != "received" {
		t.Fatalf("receipt = %+v", r)
	}
	if loc := resp.Header.Get("Location"); loc != "/v1/complaints/"+r.ID {
		t.Errorf("Location = %q", loc)
	}

	var view struct {
		Status string `json:"status"`
		Unit   struct{ Code, Name string }
		Due    struct {
			Kind       string   `json:"kind"`
			DueDate    string   `json:"due_date"`
			Derivation []string `json:"derivation"`
		} `json:"due"`
		Consumer any `json:"consumer"`
	}
	deadline := time.Now().Add(20 * time.Second)
	for {
		resp, b := do(t, "GET", s.URL+"/v1/complaints/"+r.ID, "", "", "X-Tracking-Code", r.TrackingCode)
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("GET: %d %s", resp.StatusCode, b)
		}
		if err := json.Unmarshal(b, &view); err != nil {
			t.Fatal(err)
		}
		if view.Status != "received" || time.Now().After(deadline) {
			if bytes.Contains(b, []byte("13800138000")) || bytes.Contains(b, []byte("张三")) {
				t.Errorf("public view leaks personal data: %s", b)
			}
			break
		}
		time.Sleep(200 * time.Millisecond)
	}
	if view.Status != "pending_acceptance" {
		t.Fatalf("status after routing = %q, want pending_acceptance", view.Status)
	}
	if view.Unit.Code != "630102" || !strings.Contains(view.Unit.Name, "城东区") {
		t.Errorf("unit = %+v", view.Unit)
	}
	if view.Due.Kind != "acceptance" || len(view.Due.DueDate) != 10 || len(view.Due.Derivation) == 0 {
		t.Errorf("due = %+v", view.Due)
	}
	// The code is case-insensitive and may be given as a query parameter.
	if resp, b := do(t, "GET", s.URL+"/v1/complaints/"+r.ID+"?code="+strings.ToLower(r.TrackingCode), "", ""); resp.StatusCode != 200 {
		t.Errorf("GET with ?code=: %d %s", resp.StatusCode, b)
	}
}

func TestIdempotencyKey(t *testing.T) {
	s := localtest.Start(t, localtest.Options{})
	post := func(body, key string) (*http.Response, []byte) {
		return do(t, "POST", s.URL+"/v1/complaints", "application/json", body, "Idempotency-Key", key)
	}
	r1, b1 := post(goodComplaint, "retry-123")
	r2, b2 := post(goodComplaint, "retry-123")
	if r1.StatusCode != 201 || r2.StatusCode != 201 {
		t.Fatalf("statuses %d, %d: %s %s", r1.StatusCode, r2.StatusCode, b1, b2)
	}
	var a, b receipt
	_ = json.Unmarshal(b1, &a)
	_ = json.Unmarshal(b2, &b)
	if a.ID != b.ID || a.TrackingCode != b.TrackingCode {
		t.Fatalf("retry created another case: %+v vs %+v", a, b)
	}
	if r2.Header.Get("Idempotent-Replayed") != "true" {
		t.Errorf("replay not marked")
	}
	if n := countCases(t, s); n != 1 {
		t.Errorf("cases stored = %d, want 1", n)
	}
	// The same key for a different request is refused and stores nothing.
	other := strings.Replace(goodComplaint, "35.50", "36.00", 1)
	if r, b := post(other, "retry-123"); r.StatusCode != http.StatusUnprocessableEntity || !bytes.Contains(b, []byte("idempotency_key_reused")) {
		t.Errorf("reused key: %d %s", r.StatusCode, b)
	}
	// A different key makes a new case.
	if r, b := post(goodComplaint, "retry-456"); r.StatusCode != 201 {
		t.Errorf("new key: %d %s", r.StatusCode, b)
	}
	if n := countCases(t, s); n != 2 {
		t.Errorf("cases stored = %d, want 2", n)
	}
}

func TestBadInput(t *testing.T) {
	s := localtest.Start(t, localtest.Options{})
	big := `{"facts":"` + strings.Repeat("很", 30000) + `"}`
	tests := []struct {
		name, ctype, body string
		hdr               []string
		status            int
		code              string
		field             string
	}{
		{"malformed json", "application/json", `{"facts":`, nil, 400, "malformed_json", ""},
		{"not an object", "application/json", `[1,2]`, nil, 400, "malformed_json", ""},
		{"trailing data", "application/json", goodComplaint + `{}`, nil, 400, "malformed_json", ""},
		{"unknown field", "application/json", `{"factz":"x"}`, nil, 400, "malformed_json", ""},
		{"wrong type", "application/json", `{"facts":12}`, nil, 400, "malformed_json", ""},
		{"empty body", "application/json", ``, nil, 400, "malformed_json", ""},
		{"form content type", "application/x-www-form-urlencoded", `facts=x`, nil, 415, "unsupported_media_type", ""},
		{"no content type", "", goodComplaint, nil, 415, "unsupported_media_type", ""},
		{"latin1 charset", "application/json; charset=latin1", goodComplaint, nil, 415, "unsupported_media_type", ""},
		{"oversize", "application/json", big, nil, 413, "payload_too_large", ""},
		{"invalid utf-8", "application/json", "{\"facts\":\"\xff\xfe\"}", nil, 400, "invalid_utf8", ""},
		{"missing fields", "application/json", `{"kind":"complaint","facts":"商品有质量问题"}`, nil, 422, "validation_failed", "consumer.name"},
		{"bad phone", "application/json", strings.Replace(goodComplaint, "13800138000", "12345", 1), nil, 422, "validation_failed", "consumer.phone"},
		{"bad kind", "application/json", strings.Replace(goodComplaint, `"complaint"`, `"praise"`, 1), nil, 422, "validation_failed", "kind"},
		{"negative amount", "application/json", strings.Replace(goodComplaint, `"35.50"`, `"-3"`, 1), nil, 422, "validation_failed", "amount_yuan"},
		{"amount not a number", "application/json", strings.Replace(goodComplaint, `"35.50"`, `"abc"`, 1), nil, 400, "malformed_json", ""},
		{"region outside Qinghai", "application/json", strings.Replace(goodComplaint, `"630102"`, `"110101"`, 1), nil, 422, "validation_failed", "business.region_code"},
		{"anonymous complaint", "application/json", strings.Replace(goodComplaint, `"kind":"complaint",`, `"kind":"complaint","anonymous":true,`, 1), nil, 422, "validation_failed", "anonymous"},
		{"bad idempotency key", "application/json", goodComplaint, []string{"Idempotency-Key", strings.Repeat("k", 200)}, 400, "invalid_idempotency_key", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			resp, b := do(t, "POST", s.URL+"/v1/complaints", tc.ctype, tc.body, tc.hdr...)
			if resp.StatusCode != tc.status {
				t.Fatalf("status %d, want %d: %s", resp.StatusCode, tc.status, b)
			}
			var e errBody
			if err := json.Unmarshal(b, &e); err != nil {
				t.Fatalf("error body not JSON: %s", b)
			}
			if e.Error.Code != tc.code || e.Error.Message == "" || e.Error.RequestID == "" {
				t.Errorf("error = %+v, want code %s", e.Error, tc.code)
			}
			if tc.field != "" {
				found := false
				for _, f := range e.Error.Fields {
					found = found || f.Field == tc.field
				}
				if !found {
					t.Errorf("fields %+v do not name %s", e.Error.Fields, tc.field)
				}
			}
		})
	}
	if n := countItems(t, s); n != 0 {
		t.Errorf("rejected requests stored %d items", n)
	}
}

func TestLookupDoesNotRevealExistence(t *testing.T) {
	s := localtest.Start(t, localtest.Options{})
	_, b := do(t, "POST", s.URL+"/v1/complaints", "application/json", goodComplaint)
	var r receipt
	_ = json.Unmarshal(b, &r)

	get := func(id, code string) (int, string) {
		resp, b := do(t, "GET", s.URL+"/v1/complaints/"+id, "", "", "X-Tracking-Code", code)
		var e errBody
		_ = json.Unmarshal(b, &e)
		return resp.StatusCode, e.Error.Code + "|" + e.Error.Message
	}
	wrongCodeStatus, wrongCodeBody := get(r.ID, "ABCDEFGHJK")
	unknownStatus, unknownBody := get("QH20260101-ABCDEFGHJK", "ABCDEFGHJK")
	malformedStatus, malformedBody := get("nonsense", "ABCDEFGHJK")
	for _, got := range []struct {
		status int
		body   string
	}{{wrongCodeStatus, wrongCodeBody}, {unknownStatus, unknownBody}, {malformedStatus, malformedBody}} {
		if got.status != 404 || got.body != wrongCodeBody {
			t.Errorf("got %d %q; every miss must answer the same 404 as a wrong code (%q)", got.status, got.body, wrongCodeBody)
		}
	}
	if resp, _ := do(t, "GET", s.URL+"/v1/complaints/"+r.ID, "", ""); resp.StatusCode != 400 {
		t.Errorf("missing code: %d, want 400", resp.StatusCode)
	}
	if resp, _ := do(t, "DELETE", s.URL+"/v1/complaints/"+r.ID, "", ""); resp.StatusCode != 404 {
		t.Errorf("unknown route: %d, want 404", resp.StatusCode)
	}
}

func countItems(t *testing.T, s *localtest.Stack) int {
	return scanCount(t, s, "")
}

func countCases(t *testing.T, s *localtest.Stack) int {
	return scanCount(t, s, "CASE")
}

// scanCount counts items by sort key (a test may scan; the system never does).
func scanCount(t *testing.T, s *localtest.Stack, sk string) int {
	t.Helper()
	db, _ := testenv.Clients(t)
	in := &dynamodb.ScanInput{TableName: aws.String(s.TableName("CasesTable")), ConsistentRead: aws.Bool(true)}
	out, err := db.Scan(context.Background(), in)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, it := range out.Items {
		v, _ := it["sk"].(*types.AttributeValueMemberS)
		if sk == "" || (v != nil && v.Value == sk) {
			n++
		}
	}
	return n
}
