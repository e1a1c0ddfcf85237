// Package channel defines the channel-neutral inbound message that every
// intake adapter (SMS providers, WeChat) produces, the errors the HTTP layer
// maps to status codes, and small helpers shared by the adapters: phone
// number normalisation, masking for logs and constant-time token checks.
//
// Each provider lives in its own sub-package (aliyun, tencent, twilio, eum,
// wechat) and depends only on this package and the standard library.
package channel

import (
	"bytes"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"time"
	"unicode/utf8"
)

// Provider names used in [Inbound.Provider].
const (
	ProviderAliyun  = "aliyun"
	ProviderTencent = "tencent"
	ProviderTwilio  = "twilio"
	ProviderEUM     = "eum"
	ProviderWeChat  = "wechat"
)

// MaxTextRunes is the longest inbound text, in runes, that adapters accept.
// Longer texts are rejected with [ErrTooLong]. It is well above what any SMS
// provider delivers (Twilio: 1600 characters) and what a complaint needs.
const MaxTextRunes = 2000

// Errors returned by the adapters. They are wrapped with context; test them
// with errors.Is. [StatusCode] maps them to HTTP status codes.
var (
	// ErrBadSignature means the request failed its authenticity check.
	ErrBadSignature = errors.New("channel: bad signature")
	// ErrMalformed means the payload could not be decoded.
	ErrMalformed = errors.New("channel: malformed payload")
	// ErrEmpty means the message carried no text.
	ErrEmpty = errors.New("channel: empty message")
	// ErrTooLong means the text exceeds MaxTextRunes.
	ErrTooLong = errors.New("channel: message too long")
	// ErrBadPhone means a phone number is missing or invalid.
	ErrBadPhone = errors.New("channel: bad phone number")
)

// Inbound is one message received from a consumer on any channel.
//
// Inbound implements fmt.Stringer and slog.LogValuer with personal data
// masked, so printing or logging it never leaks the phone number or text.
type Inbound struct {
	// Provider is one of the Provider* constants.
	Provider string
	// MessageID is the provider's message id, used to drop duplicate
	// deliveries. When the provider sends none, the adapter derives a stable
	// id from the message content (see DeriveID).
	MessageID string
	// From is the sender: an E.164 phone number (+8613812345678) or, for
	// WeChat, the openid.
	From string
	// To is the receiving number or the provider's routing code (for Aliyun
	// the extension dest_code), as given by the provider.
	To string
	// Text is the message body, trimmed of surrounding white space.
	Text string
	// ReceivedAt is when the provider says it received the message. It is
	// the zero time when the provider gives no time; callers should then use
	// the time of the webhook request.
	ReceivedAt time.Time
}

// String returns a description of m with personal data masked.
func (m Inbound) String() string {
	return fmt.Sprintf("Inbound{Provider:%s MessageID:%s From:%s To:%s Text:<%d runes> ReceivedAt:%s}",
		m.Provider, m.MessageID, MaskPhone(m.From), MaskPhone(m.To), utf8.RuneCountInString(m.Text),
		m.ReceivedAt.Format(time.RFC3339))
}

// LogValue implements slog.LogValuer; the text is replaced by its length and
// phone numbers are masked.
func (m Inbound) LogValue() slog.Value {
	return slog.GroupValue(
		slog.String("provider", m.Provider),
		slog.String("message_id", m.MessageID),
		slog.String("from", MaskPhone(m.From)),
		slog.String("to", MaskPhone(m.To)),
		slog.Int("text_runes", utf8.RuneCountInString(m.Text)),
		slog.Time("received_at", m.ReceivedAt),
	)
}

// CleanText trims white space from s and checks it is a usable message
// body: valid UTF-8 (invalid bytes are replaced by U+FFFD), not empty and
// not longer than MaxTextRunes.
func CleanText(s string) (string, error) {
	if !utf8.ValidString(s) {
		s = strings.ToValidUTF8(s, "\uFFFD")
	}
	s = strings.TrimSpace(strings.ReplaceAll(s, "\x00", ""))
	if s == "" {
		return "", ErrEmpty
	}
	if n := utf8.RuneCountInString(s); n > MaxTextRunes {
		return "", fmt.Errorf("%w: %d runes, limit %d", ErrTooLong, n, MaxTextRunes)
	}
	return s, nil
}

// DeriveID returns a stable message id for providers that send none: the
// first 16 bytes of the SHA-256 of the parts, hex encoded. Redeliveries of
// the same message yield the same id.
func DeriveID(parts ...string) string {
	h := sha256.New()
	for _, p := range parts {
		// Length-prefix each part so ("ab","c") and ("a","bc") differ.
		fmt.Fprintf(h, "%d:%s;", len(p), p)
	}
	return hex.EncodeToString(h.Sum(nil)[:16])
}

// CheckToken reports whether got equals want, in time independent of the
// contents and lengths of both. It is false when want is empty, so an unset
// secret never matches. Use it for secret URL path tokens.
func CheckToken(got, want string) bool {
	if want == "" {
		return false
	}
	g := sha256.Sum256([]byte(got))
	w := sha256.Sum256([]byte(want))
	return subtle.ConstantTimeCompare(g[:], w[:]) == 1
}

// Response is the reply a provider expects from a webhook on success.
type Response struct {
	Status      int
	ContentType string
	Body        []byte
}

// Write sends r on w.
func (r Response) Write(w http.ResponseWriter) error {
	w.Header().Set("Content-Type", r.ContentType)
	w.WriteHeader(r.Status)
	if _, err := w.Write(r.Body); err != nil {
		return fmt.Errorf("channel: write response: %w", err)
	}
	return nil
}

// StatusCode maps an adapter error to the HTTP status a webhook handler
// should return: 200 for nil, 403 for ErrBadSignature, 400 for ErrMalformed,
// 422 for ErrEmpty, ErrTooLong and ErrBadPhone, and 500 otherwise (which
// makes providers retry).
//
// Providers retry on non-2xx, so a handler may prefer to acknowledge a
// well-formed but unusable message (422 cases) with the provider's success
// response and drop it; that is a policy choice left to the caller.
func StatusCode(err error) int {
	switch {
	case err == nil:
		return http.StatusOK
	case errors.Is(err, ErrBadSignature):
		return http.StatusForbidden
	case errors.Is(err, ErrMalformed):
		return http.StatusBadRequest
	case errors.Is(err, ErrEmpty), errors.Is(err, ErrTooLong), errors.Is(err, ErrBadPhone):
		return http.StatusUnprocessableEntity
	default:
		return http.StatusInternalServerError
	}
}

// ItemError reports a problem with one message of a batch payload. Batch
// parsers return the good messages together with the errors of the bad ones
// joined by errors.Join.
type ItemError struct {
	Index int
	Err   error
}

func (e *ItemError) Error() string { return fmt.Sprintf("item %d: %v", e.Index, e.Err) }

// Unwrap returns the underlying error.
func (e *ItemError) Unwrap() error { return e.Err }

// ParseBatch decodes a JSON push body that holds one message object or an
// array of them (providers send either) and converts each with convert.
// It returns every usable message and, joined, an *ItemError for each
// element convert refused; a body that is not JSON yields only
// ErrMalformed. name prefixes the errors ("aliyun", "tencent").
func ParseBatch[T any](name string, body []byte, convert func(T) (Inbound, error)) ([]Inbound, error) {
	body = bytes.TrimSpace(body)
	var items []T
	var err error
	if len(body) > 0 && body[0] == '[' {
		err = json.Unmarshal(body, &items)
	} else {
		items = make([]T, 1)
		err = json.Unmarshal(body, &items[0])
	}
	if err != nil {
		return nil, fmt.Errorf("%s: decode body: %w: %v", name, ErrMalformed, err)
	}
	var msgs []Inbound
	var errs []error
	for i, it := range items {
		m, err := convert(it)
		if err != nil {
			errs = append(errs, &ItemError{Index: i, Err: err})
			continue
		}
		msgs = append(msgs, m)
	}
	if len(errs) > 0 {
		return msgs, fmt.Errorf("%s: %w", name, errors.Join(errs...))
	}
	return msgs, nil
}

// DecodeBody returns the raw bytes of an API Gateway event body, decoding
// base64 when isBase64Encoded is set (HTTP APIs base64-encode form posts).
func DecodeBody(body string, isBase64Encoded bool) ([]byte, error) {
	if !isBase64Encoded {
		return []byte(body), nil
	}
	b, err := base64.StdEncoding.DecodeString(body)
	if err != nil {
		return nil, fmt.Errorf("%w: body is not base64: %v", ErrMalformed, err)
	}
	return b, nil
}
