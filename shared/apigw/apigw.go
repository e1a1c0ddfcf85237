// Package apigw holds the small helpers every HTTP handler needs to speak
// API Gateway HTTP API (payload format 2.0): reading bodies, answering JSON
// and answering errors in the one shape of package apierr.
package apigw

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"log/slog"
	"mime"
	"net/http"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/aws/aws-lambda-go/events"

	"github.com/open12315/intake/shared/apierr"
)

// MaxBody is the largest request body accepted: a long complaint is a few
// KiB; 64 KiB leaves room and keeps abuse cheap.
const MaxBody = 64 << 10

// Request and Response are the HTTP API payload 2.0 types.
type (
	Request  = events.APIGatewayV2HTTPRequest
	Response = events.APIGatewayV2HTTPResponse
)

// Header returns a request header; HTTP API lower-cases header names.
func Header(r Request, name string) string {
	name = strings.ToLower(name)
	if v, ok := r.Headers[name]; ok {
		return v
	}
	for k, v := range r.Headers {
		if strings.EqualFold(k, name) {
			return v
		}
	}
	return ""
}

// Body returns the raw body, decoding base64 when API Gateway encoded it, and
// enforces MaxBody and valid UTF-8 for text bodies.
func Body(r Request) ([]byte, *apierr.Error) {
	var b []byte
	if r.IsBase64Encoded {
		if base64.StdEncoding.DecodedLen(len(r.Body)) > MaxBody+3 {
			return nil, tooLarge()
		}
		d, err := base64.StdEncoding.DecodeString(r.Body)
		if err != nil {
			return nil, apierr.New(http.StatusBadRequest, apierr.CodeBadJSON, "body is not valid base64")
		}
		b = d
	} else {
		b = []byte(r.Body)
	}
	if len(b) > MaxBody {
		return nil, tooLarge()
	}
	return b, nil
}

func tooLarge() *apierr.Error {
	return apierr.New(http.StatusRequestEntityTooLarge, apierr.CodeTooLarge,
		"body larger than "+strconv.Itoa(MaxBody/1024)+" KiB")
}

// DecodeJSON checks the content type, size and encoding of a JSON body and
// decodes it strictly into v: unknown fields and trailing data are errors.
func DecodeJSON(r Request, v any) *apierr.Error {
	mt, params, err := mime.ParseMediaType(Header(r, "content-type"))
	if err != nil || mt != "application/json" {
		return apierr.New(http.StatusUnsupportedMediaType, apierr.CodeUnsupportedMedia,
			"send the body as application/json")
	}
	if cs, ok := params["charset"]; ok && !strings.EqualFold(cs, "utf-8") {
		return apierr.New(http.StatusUnsupportedMediaType, apierr.CodeUnsupportedMedia,
			"only the utf-8 charset is accepted")
	}
	b, aerr := Body(r)
	if aerr != nil {
		return aerr
	}
	if !utf8.Valid(b) {
		return apierr.New(http.StatusBadRequest, apierr.CodeInvalidUTF8, "body is not valid UTF-8")
	}
	dec := json.NewDecoder(strings.NewReader(string(b)))
	dec.DisallowUnknownFields()
	dec.UseNumber()
	if err := dec.Decode(v); err != nil {
		return apierr.New(http.StatusBadRequest, apierr.CodeBadJSON, "body is not the expected JSON: "+jsonProblem(err))
	}
	if dec.More() {
		return apierr.New(http.StatusBadRequest, apierr.CodeBadJSON, "body has data after the JSON document")
	}
	return nil
}

// jsonProblem describes a decoding error without echoing the client's data.
func jsonProblem(err error) string {
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	switch {
	case errors.As(err, &se):
		return "syntax error at byte " + strconv.FormatInt(se.Offset, 10)
	case errors.As(err, &te):
		return "field " + te.Field + " must be " + te.Type.String()
	case strings.HasPrefix(err.Error(), "json: unknown field"):
		return strings.TrimPrefix(err.Error(), "json: ")
	case err.Error() == "EOF":
		return "empty body"
	}
	return "cannot be decoded"
}

// JSON answers status with v as the JSON body.
func JSON(status int, v any, headers ...string) Response {
	b, err := json.Marshal(v)
	if err != nil {
		return Error(apierr.Internal(), "")
	}
	h := map[string]string{
		"content-type":           "application/json; charset=utf-8",
		"cache-control":          "no-store",
		"x-content-type-options": "nosniff",
	}
	for i := 0; i+1 < len(headers); i += 2 {
		h[strings.ToLower(headers[i])] = headers[i+1]
	}
	return Response{StatusCode: status, Headers: h, Body: string(b)}
}

// Error answers e in the common error shape, tagged with the request id.
func Error(e *apierr.Error, requestID string) Response {
	cp := *e
	cp.RequestID = requestID
	var extra []string
	if e.RetryAfter > 0 {
		extra = []string{"retry-after", strconv.Itoa(e.RetryAfter)}
	}
	return JSON(e.Status, apierr.Body{Error: &cp}, extra...)
}

// LogError records a 5xx cause; the client only sees apierr.Internal.
func LogError(log *slog.Logger, r Request, msg string, err error) {
	log.Error(msg, "request_id", r.RequestContext.RequestID, "route", r.RouteKey, "err", err.Error())
}

// MaxIdempotencyKey bounds the Idempotency-Key header.
const MaxIdempotencyKey = 128

// IdempotencyKey returns the request's Idempotency-Key header, trimmed,
// or "" when there is none; a key that is not 1 to 128 visible ASCII
// characters is a 400.
func IdempotencyKey(r Request) (string, *apierr.Error) {
	raw := Header(r, "idempotency-key")
	k := strings.TrimSpace(raw)
	if raw == "" {
		return "", nil
	}
	ok := len(k) > 0 && len(k) <= MaxIdempotencyKey
	for i := 0; ok && i < len(k); i++ {
		ok = k[i] >= 0x21 && k[i] <= 0x7e
	}
	if !ok {
		return "", apierr.New(http.StatusBadRequest, apierr.CodeBadIdempotencyKey,
			"Idempotency-Key must be 1 to 128 visible ASCII characters")
	}
	return k, nil
}

// Serve answers r with route and logs one line for it: request id, route,
// status and duration, never the body or the headers. Every HTTP handler's
// Handle is Serve around its own routing.
func Serve(ctx context.Context, log *slog.Logger, r Request, route func(context.Context, Request) Response) (Response, error) {
	start := time.Now()
	resp := route(ctx, r)
	if log == nil {
		log = slog.Default()
	}
	log.InfoContext(ctx, "request", "request_id", r.RequestContext.RequestID, "route", r.RouteKey,
		"status", resp.StatusCode, "ms", time.Since(start).Milliseconds())
	return resp, nil
}
