// Package apierr defines the one error shape every HTTP endpoint answers
// with:
//
//	{"error":{"code":"validation_failed","message":"…","fields":[…],"request_id":"…"}}
//
// Codes are stable identifiers clients may switch on; messages are for
// people and may change.
package apierr

import (
	"errors"
	"fmt"
	"net/http"

	"github.com/open12315/intake/shared/cases"
)

// Stable error codes.
const (
	CodeBadJSON            = "malformed_json"
	CodeUnsupportedMedia   = "unsupported_media_type"
	CodeTooLarge           = "payload_too_large"
	CodeInvalidUTF8        = "invalid_utf8"
	CodeValidation         = "validation_failed"
	CodeNotFound           = "not_found"
	CodeMethodNotAllowed   = "method_not_allowed"
	CodeIdempotencyReused  = "idempotency_key_reused"
	CodeBadIdempotencyKey  = "invalid_idempotency_key"
	CodeUnauthorized       = "unauthorized"
	CodeForbidden          = "forbidden"
	CodeConflict           = "conflict"
	CodeRateLimited        = "rate_limited"
	CodeInternal           = "internal_error"
	CodeServiceUnavailable = "service_unavailable"
)

// Error is an API error: an HTTP status and the body's fields.
type Error struct {
	Status    int                `json:"-"`
	Code      string             `json:"code"`
	Message   string             `json:"message"`
	Fields    []cases.FieldError `json:"fields,omitempty"`
	RequestID string             `json:"request_id,omitempty"`
	// Allowed lists the actions allowed from the case's current state, for
	// conflicts on an illegal transition.
	Allowed []string `json:"allowed_actions,omitempty"`
	// RetryAfter, in seconds, is also sent as a Retry-After header.
	RetryAfter int `json:"-"`
}

func (e *Error) Error() string { return fmt.Sprintf("%d %s: %s", e.Status, e.Code, e.Message) }

// Body is the JSON document an Error is sent as.
type Body struct {
	Error *Error `json:"error"`
}

// New returns an Error with the given status, code and message.
func New(status int, code, msg string) *Error {
	return &Error{Status: status, Code: code, Message: msg}
}

// Validation turns a validation failure into a 422 listing the fields.
func Validation(v *cases.ValidationError) *Error {
	return &Error{
		Status:  http.StatusUnprocessableEntity,
		Code:    CodeValidation,
		Message: "some fields are missing or invalid",
		Fields:  v.Fields,
	}
}

// NotFound is the answer for an unknown case or a wrong tracking code: the
// two are indistinguishable on purpose.
func NotFound() *Error {
	return New(http.StatusNotFound, CodeNotFound, "no case matches this id and tracking code")
}

// Internal hides the cause from the client; log it instead.
func Internal() *Error {
	return New(http.StatusInternalServerError, CodeInternal, "something went wrong on our side; nothing was lost, please retry")
}

// FromValidation maps the result of cases.Submission.Validate: nil stays
// nil, a *cases.ValidationError becomes a 422 naming the fields.
func FromValidation(err error) *Error {
	var ve *cases.ValidationError
	switch {
	case err == nil:
		return nil
	case errors.As(err, &ve):
		return Validation(ve)
	}
	return Internal()
}
