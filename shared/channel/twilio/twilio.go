// Package twilio verifies and parses Twilio incoming-message webhooks.
//
// Twilio signs every webhook with X-Twilio-Signature: the Base64 HMAC-SHA1,
// keyed with the account Auth Token, of the full webhook URL followed by
// each POST parameter's name and value, sorted by name. Parse checks it in
// constant time before reading any field, and the reply Twilio expects is
// an empty TwiML document (SuccessResponse).
package twilio

import (
	"crypto/hmac"
	"crypto/sha1"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"

	"github.com/open12315/intake/shared/channel"
)

// Provider is the value of channel.Inbound.Provider for this package.
const Provider = channel.ProviderTwilio

// SignatureHeader is the header carrying Twilio's request signature.
const SignatureHeader = "X-Twilio-Signature"

// maxBody bounds the form body ParseRequest reads; Twilio bodies are a few
// kilobytes (Body is at most 1600 characters).
const maxBody = 64 << 10

// errNoToken is returned when the Auth Token is not configured, so that a
// missing secret fails closed instead of accepting unsigned requests.
var errNoToken = errors.New("twilio: auth token not configured")

// Signature returns the X-Twilio-Signature value for a request to rawURL
// with the given POST parameters (nil for GET or JSON requests): Base64 of
// HMAC-SHA1(authToken, rawURL + name1 + value1 + name2 + value2 ...), names
// sorted; repeated names contribute each value, values sorted.
func Signature(authToken, rawURL string, params url.Values) string {
	mac := hmac.New(sha1.New, []byte(authToken))
	io.WriteString(mac, rawURL)
	keys := make([]string, 0, len(params))
	for k := range params {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		vs := append([]string(nil), params[k]...)
		sort.Strings(vs)
		for _, v := range vs {
			io.WriteString(mac, k)
			io.WriteString(mac, v)
		}
	}
	return base64.StdEncoding.EncodeToString(mac.Sum(nil))
}

// ValidSignature reports whether signature is valid for a request to
// rawURL with the given POST parameters. Like Twilio's own validators it
// accepts the signature computed over the URL with the scheme's default
// port added (https://host:443/…) or with any port removed, because
// Twilio's signing is inconsistent about ports. The comparison is constant
// time. An empty authToken or signature never validates.
func ValidSignature(authToken, rawURL string, params url.Values, signature string) bool {
	if authToken == "" || signature == "" {
		return false
	}
	ok := false
	for _, u := range urlVariants(rawURL) {
		// Evaluate every variant so timing does not depend on which matched.
		if hmac.Equal([]byte(Signature(authToken, u, params)), []byte(signature)) {
			ok = true
		}
	}
	return ok
}

// ValidBodySignature validates a webhook with a JSON body: Twilio adds the
// hex SHA-256 of the body as the bodySHA256 query parameter and signs the
// URL alone. Both the signature and the body hash must match.
func ValidBodySignature(authToken, rawURL string, body []byte, signature string) bool {
	u, err := url.Parse(rawURL)
	if err != nil {
		return false
	}
	want := u.Query().Get("bodySHA256")
	sum := sha256.Sum256(body)
	got := hex.EncodeToString(sum[:])
	sigOK := ValidSignature(authToken, rawURL, nil, signature)
	return hmac.Equal([]byte(got), []byte(strings.ToLower(want))) && sigOK
}

// urlVariants returns rawURL with the default port added and with the port
// removed. Unparseable URLs are returned unchanged.
func urlVariants(rawURL string) []string {
	i := strings.Index(rawURL, "://")
	if i < 0 {
		return []string{rawURL}
	}
	scheme := strings.ToLower(rawURL[:i])
	rest := rawURL[i+3:]
	end := strings.IndexAny(rest, "/?#")
	if end < 0 {
		end = len(rest)
	}
	authority, tail := rest[:end], rest[end:]
	userinfo := ""
	if at := strings.LastIndex(authority, "@"); at >= 0 {
		userinfo, authority = authority[:at+1], authority[at+1:]
	}
	host, port, err := net.SplitHostPort(authority)
	if err != nil { // no port
		host, port = authority, ""
		if strings.HasPrefix(host, "[") && strings.HasSuffix(host, "]") {
			host = host[1 : len(host)-1]
		}
	}
	withPort := port
	if withPort == "" {
		switch scheme {
		case "https":
			withPort = "443"
		case "http":
			withPort = "80"
		default:
			return []string{rawURL}
		}
	}
	build := func(hostport string) string { return rawURL[:i+3] + userinfo + hostport + tail }
	bare := host
	if strings.Contains(host, ":") {
		bare = "[" + host + "]"
	}
	return []string{build(net.JoinHostPort(host, withPort)), build(bare)}
}

// Parse verifies and decodes a POST webhook: body is the form-encoded
// request body (base64-decoded if it came through API Gateway, see
// channel.DecodeBody), webhookURL the URL exactly as configured in Twilio,
// including any query string, and signature the X-Twilio-Signature header.
//
// The signature is checked over every received parameter, never a fixed
// list. Errors: channel.ErrBadSignature, channel.ErrMalformed (bad form,
// no MessageSid), channel.ErrBadPhone (From), channel.ErrEmpty (no Body;
// media-only messages are not supported), channel.ErrTooLong.
//
// MessageID is MessageSid; From and To are E.164 (To is kept as sent if it
// is not a phone number, e.g. a short code). Twilio sends no timestamp, so
// ReceivedAt is zero.
func Parse(body []byte, webhookURL, signature, authToken string) ([]channel.Inbound, error) {
	form, err := url.ParseQuery(string(body))
	if err != nil {
		return nil, fmt.Errorf("twilio: decode form: %w", channel.ErrMalformed)
	}
	return verifyAndConvert(webhookURL, form, form, signature, authToken)
}

// ParseRequest is Parse for a net/http request. It handles webhooks
// configured as POST (form body) and GET (query parameters, signed as part
// of the URL). webhookURL is the URL as configured in Twilio; when empty it
// is rebuilt with RequestURL, which is only right when no proxy rewrites
// the path. For GET requests the request's query string replaces any query
// in webhookURL.
func ParseRequest(r *http.Request, webhookURL, authToken string) ([]channel.Inbound, error) {
	if webhookURL == "" {
		webhookURL = RequestURL(r)
	}
	sig := r.Header.Get(SignatureHeader)
	switch r.Method {
	case http.MethodGet:
		base, _, _ := strings.Cut(webhookURL, "?")
		if r.URL.RawQuery != "" {
			base += "?" + r.URL.RawQuery
		}
		return verifyAndConvert(base, nil, r.URL.Query(), sig, authToken)
	case http.MethodPost:
		body, err := io.ReadAll(io.LimitReader(r.Body, maxBody+1))
		if err != nil {
			return nil, fmt.Errorf("twilio: read body: %w", err)
		}
		if len(body) > maxBody {
			return nil, fmt.Errorf("twilio: body over %d bytes: %w", maxBody, channel.ErrMalformed)
		}
		return Parse(body, webhookURL, sig, authToken)
	default:
		return nil, fmt.Errorf("twilio: method %s: %w", r.Method, channel.ErrMalformed)
	}
}

// RequestURL rebuilds the URL Twilio called from r: scheme from TLS or
// X-Forwarded-Proto, host from X-Forwarded-Host or Host, then the request
// URI as received (path and query, not re-encoded).
func RequestURL(r *http.Request) string {
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	if p := r.Header.Get("X-Forwarded-Proto"); p != "" {
		scheme = strings.ToLower(strings.TrimSpace(strings.Split(p, ",")[0]))
	}
	host := r.Host
	if h := r.Header.Get("X-Forwarded-Host"); h != "" {
		host = strings.TrimSpace(strings.Split(h, ",")[0])
	}
	return scheme + "://" + host + r.URL.RequestURI()
}

func verifyAndConvert(webhookURL string, signed, fields url.Values, signature, authToken string) ([]channel.Inbound, error) {
	if authToken == "" {
		return nil, errNoToken
	}
	if !ValidSignature(authToken, webhookURL, signed, signature) {
		return nil, fmt.Errorf("twilio: %s mismatch: %w", SignatureHeader, channel.ErrBadSignature)
	}
	id := firstNonEmpty(fields.Get("MessageSid"), fields.Get("SmsMessageSid"), fields.Get("SmsSid"))
	if id == "" {
		return nil, fmt.Errorf("twilio: no MessageSid: %w", channel.ErrMalformed)
	}
	from, err := channel.NormalizePhone(fields.Get("From"))
	if err != nil {
		return nil, fmt.Errorf("twilio: From: %w", err)
	}
	to := fields.Get("To")
	if n, err := channel.NormalizePhone(to); err == nil {
		to = n
	}
	text, err := channel.CleanText(fields.Get("Body"))
	if err != nil {
		if n, _ := strconv.Atoi(fields.Get("NumMedia")); n > 0 && errors.Is(err, channel.ErrEmpty) {
			return nil, fmt.Errorf("twilio: media-only message (%d items): %w", n, err)
		}
		return nil, fmt.Errorf("twilio: Body: %w", err)
	}
	return []channel.Inbound{{Provider: Provider, MessageID: id, From: from, To: to, Text: text}}, nil
}

func firstNonEmpty(s ...string) string {
	for _, v := range s {
		if v != "" {
			return v
		}
	}
	return ""
}

// SuccessResponse is the reply Twilio expects when no message is sent
// back: an empty TwiML <Response/> as text/xml with HTTP 200.
func SuccessResponse() channel.Response {
	return channel.Response{
		Status:      http.StatusOK,
		ContentType: "text/xml; charset=utf-8",
		Body:        []byte(`<?xml version="1.0" encoding="UTF-8"?><Response></Response>`),
	}
}
