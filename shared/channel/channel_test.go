package channel

import (
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestNormalizePhone(t *testing.T) {
	tests := []struct {
		in   string
		want string // "" means ErrBadPhone
	}{
		{"13812345678", "+8613812345678"},
		{"+8613812345678", "+8613812345678"},
		{"008613812345678", "+8613812345678"},
		{"8613812345678", "+8613812345678"},
		{"013812345678", "+8613812345678"},
		{"+86 138-1234-5678", "+8613812345678"},
		{"(+86) 138 1234 5678", "+8613812345678"},
		{"１３８１２３４５６７８", "+8613812345678"},
		{"＋８６１９９１２３４５６７８", "+8619912345678"},
		{"+14255550182", "+14255550182"},
		{"0014255550182", "+14255550182"},
		{"+44 20 7946 0958", "+442079460958"},
		{"12812345678", ""},       // 12x is not a mobile prefix
		{"1381234567", ""},        // 10 digits
		{"138123456789", ""},      // 12 digits
		{"+861012345678", ""},     // Beijing landline under +86
		{"1381111****", ""},       // masked, as in Aliyun's doc example
		{"+0123456789", ""},       // country code cannot start with 0
		{"+1234567", ""},          // too short
		{"+1234567890123456", ""}, // 16 digits
		{"", ""},
		{"o9AgO5Kd5ggOC-bXrbNODIiE3bGY", ""},
		{"+1425abc0182", ""},
	}
	for _, tt := range tests {
		got, err := NormalizePhone(tt.in)
		if tt.want == "" {
			if !errors.Is(err, ErrBadPhone) {
				t.Errorf("NormalizePhone(%q) = %q, %v; want ErrBadPhone", tt.in, got, err)
			}
			continue
		}
		if err != nil || got != tt.want {
			t.Errorf("NormalizePhone(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
		}
	}
}

func TestIsChinaMobile(t *testing.T) {
	if !IsChinaMobile("0086 13812345678") || IsChinaMobile("+14255550182") || IsChinaMobile("x") {
		t.Error("IsChinaMobile misclassifies")
	}
}

func TestMaskPhone(t *testing.T) {
	tests := []struct{ in, want string }{
		{"13812341234", "138****1234"},
		{"+8613812341234", "138****1234"},
		{"+14255550182", "+142****0182"},
		{"o9AgO5Kd5ggOC-bXrbNODIiE3bGY", "o9A****3bGY"},
		{"1234", "****"},
		{"", ""},
	}
	for _, tt := range tests {
		if got := MaskPhone(tt.in); got != tt.want {
			t.Errorf("MaskPhone(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestCleanText(t *testing.T) {
	tests := []struct {
		in      string
		want    string
		wantErr error
	}{
		{"  你好 \n", "你好", nil},
		{"", "", ErrEmpty},
		{" \t\u3000 ", "", ErrEmpty},
		{"a\xffb", "a\uFFFDb", nil},
		{strings.Repeat("投", MaxTextRunes), strings.Repeat("投", MaxTextRunes), nil},
		{strings.Repeat("投", MaxTextRunes+1), "", ErrTooLong},
	}
	for _, tt := range tests {
		got, err := CleanText(tt.in)
		if !errors.Is(err, tt.wantErr) || got != tt.want {
			t.Errorf("CleanText(%.20q) = %.20q, %v; want %.20q, %v", tt.in, got, err, tt.want, tt.wantErr)
		}
	}
}

func TestCheckToken(t *testing.T) {
	tests := []struct {
		got, want string
		ok        bool
	}{
		{"s3cret-path", "s3cret-path", true},
		{"s3cret-patH", "s3cret-path", false},
		{"s3cret", "s3cret-path", false},
		{"", "", false},
		{"x", "", false},
	}
	for _, tt := range tests {
		if ok := CheckToken(tt.got, tt.want); ok != tt.ok {
			t.Errorf("CheckToken(%q, %q) = %v, want %v", tt.got, tt.want, ok, tt.ok)
		}
	}
}

func TestDeriveID(t *testing.T) {
	a := DeriveID("ab", "c")
	if a != DeriveID("ab", "c") {
		t.Error("DeriveID is not stable")
	}
	if a == DeriveID("a", "bc") {
		t.Error("DeriveID does not separate parts")
	}
	if len(a) != 32 {
		t.Errorf("len(DeriveID) = %d, want 32", len(a))
	}
}

func TestStatusCode(t *testing.T) {
	tests := []struct {
		err  error
		want int
	}{
		{nil, 200},
		{fmt.Errorf("twilio: %w", ErrBadSignature), 403},
		{fmt.Errorf("aliyun: %w", ErrMalformed), 400},
		{ErrEmpty, 422},
		{errors.Join(&ItemError{Index: 1, Err: ErrTooLong}), 422},
		{ErrBadPhone, 422},
		{errors.New("boom"), 500},
	}
	for _, tt := range tests {
		if got := StatusCode(tt.err); got != tt.want {
			t.Errorf("StatusCode(%v) = %d, want %d", tt.err, got, tt.want)
		}
	}
}

func TestInboundRedacted(t *testing.T) {
	m := Inbound{Provider: ProviderAliyun, MessageID: "1", From: "+8613812345678", To: "1234",
		Text: "我要投诉某商家", ReceivedAt: time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC)}
	var logs strings.Builder
	slog.New(slog.NewTextHandler(&logs, nil)).Info("inbound", "msg", m)
	for _, out := range []string{fmt.Sprint(m), fmt.Sprintf("%+v", m), logs.String()} {
		if strings.Contains(out, "13812345678") || strings.Contains(out, "投诉") {
			t.Errorf("personal data leaked: %s", out)
		}
		if !strings.Contains(out, "138****5678") {
			t.Errorf("masked phone missing: %s", out)
		}
	}
}

func TestResponseWrite(t *testing.T) {
	rec := httptest.NewRecorder()
	r := Response{Status: http.StatusOK, ContentType: "application/json", Body: []byte(`{"ok":1}`)}
	if err := r.Write(rec); err != nil {
		t.Fatal(err)
	}
	if rec.Code != 200 || rec.Header().Get("Content-Type") != "application/json" || rec.Body.String() != `{"ok":1}` {
		t.Errorf("got %d %q %q", rec.Code, rec.Header().Get("Content-Type"), rec.Body.String())
	}
}

func TestDecodeBody(t *testing.T) {
	tests := []struct {
		body string
		b64  bool
		want string
		err  error
	}{
		{"From=%2B1", false, "From=%2B1", nil},
		{"RnJvbT0lMkIx", true, "From=%2B1", nil},
		{"!!", true, "", ErrMalformed},
	}
	for _, tt := range tests {
		got, err := DecodeBody(tt.body, tt.b64)
		if string(got) != tt.want || !errors.Is(err, tt.err) {
			t.Errorf("DecodeBody(%q, %v) = %q, %v", tt.body, tt.b64, got, err)
		}
	}
}

func TestParseBatch(t *testing.T) {
	type item struct{ N string }
	convert := func(it item) (Inbound, error) {
		if it.N == "" {
			return Inbound{}, errors.New("empty")
		}
		return Inbound{Text: it.N}, nil
	}
	tests := []struct {
		body      string
		texts     []string
		malformed bool
		itemErrs  int
	}{
		{`{"N":"a"}`, []string{"a"}, false, 0},
		{` [{"N":"a"},{"N":"b"}] `, []string{"a", "b"}, false, 0},
		{`[{"N":"a"},{"N":""},{"N":"c"}]`, []string{"a", "c"}, false, 1},
		{`not json`, nil, true, 0},
		{``, nil, true, 0},
	}
	for _, tt := range tests {
		msgs, err := ParseBatch("x", []byte(tt.body), convert)
		var texts []string
		for _, m := range msgs {
			texts = append(texts, m.Text)
		}
		if !slices.Equal(texts, tt.texts) {
			t.Errorf("%q: texts %v, want %v", tt.body, texts, tt.texts)
		}
		if got := errors.Is(err, ErrMalformed); got != tt.malformed {
			t.Errorf("%q: malformed %v (%v)", tt.body, got, err)
		}
		var ie *ItemError
		if (tt.itemErrs > 0) != errors.As(err, &ie) || (ie != nil && ie.Index != 1) {
			t.Errorf("%q: item error %v", tt.body, err)
		}
	}
}
