// Package auth authenticates staff: it verifies and mints the JSON Web
// Tokens (RFC 7519) that carry a staff member's id, unit and role, and
// reads the same claims from an API Gateway JWT authorizer.
//
// Two deployments are supported:
//
//   - In AWS, the HTTP API's JWT authorizer verifies the token (signature,
//     iss, aud, exp, nbf) and the handler reads the claims it passes on
//     with [FromAuthorizer]; the handler never sees a key.
//   - Locally and in the dev CLI, [Verifier] checks tokens itself and
//     [Mint] issues them.
//
// Only HS256 (HMAC-SHA256 with a shared key of at least 32 bytes) and
// RS256 (RSASSA-PKCS1-v1_5 with SHA-256, keys of at least 2048 bits) are
// accepted; the algorithm is bound to the key type, so an RS256 public key
// can never be used as an HMAC secret, and "none" is always rejected.
// Only the standard library is used.
package auth

import (
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/open12315/intake/shared/region"
)

// Role is a staff role.
type Role string

// The staff roles.
const (
	RoleHandler    Role = "handler"    // acts on cases
	RoleSupervisor Role = "supervisor" // also approves extensions and transfers cases
	RoleViewer     Role = "viewer"     // reads masked cases
)

// Valid reports whether r is a known staff role.
func (r Role) Valid() bool { return r == RoleHandler || r == RoleSupervisor || r == RoleViewer }

// Errors returned by Verify, Mint and FromAuthorizer; test with errors.Is.
// All but ErrConfig mean the request is unauthenticated (401); ErrConfig
// is a server misconfiguration (500).
var (
	ErrMalformed      = errors.New("malformed token")
	ErrUnsupportedAlg = errors.New("unsupported signing algorithm")
	ErrUnknownKey     = errors.New("unknown signing key")
	ErrBadSignature   = errors.New("bad token signature")
	ErrExpired        = errors.New("token expired")
	ErrNotYetValid    = errors.New("token not yet valid")
	ErrWrongIssuer    = errors.New("wrong token issuer")
	ErrWrongAudience  = errors.New("wrong token audience")
	ErrUnknownRole    = errors.New("unknown role")
	ErrBadUnit        = errors.New("bad unit code")
	ErrMissingClaim   = errors.New("missing claim")
	ErrWeakKey        = errors.New("signing key too weak")
	ErrConfig         = errors.New("verifier misconfigured")
)

// Claims are the claims of a staff token.
type Claims struct {
	Subject   string    // sub: the staff id
	Unit      string    // unit: the 6-digit division code of the staff member's unit
	Role      Role      // role: handler, supervisor or viewer
	Issuer    string    // iss
	Audience  []string  // aud: a string or an array in the token
	ExpiresAt time.Time // exp (required)
	IssuedAt  time.Time // iat (optional)
	NotBefore time.Time // nbf (optional)
}

// wireClaims is the JSON form of Claims.
type wireClaims struct {
	Subject   string          `json:"sub"`
	Unit      json.RawMessage `json:"unit,omitempty"`
	Role      string          `json:"role"`
	Issuer    string          `json:"iss,omitempty"`
	Audience  json.RawMessage `json:"aud,omitempty"`
	ExpiresAt *json.Number    `json:"exp,omitempty"`
	IssuedAt  *json.Number    `json:"iat,omitempty"`
	NotBefore *json.Number    `json:"nbf,omitempty"`
}

// MarshalJSON writes the registered claims as NumericDates and a single
// audience as a string.
func (c Claims) MarshalJSON() ([]byte, error) {
	w := map[string]any{"sub": c.Subject, "unit": c.Unit, "role": string(c.Role)}
	if c.Issuer != "" {
		w["iss"] = c.Issuer
	}
	switch len(c.Audience) {
	case 0:
	case 1:
		w["aud"] = c.Audience[0]
	default:
		w["aud"] = c.Audience
	}
	for k, t := range map[string]time.Time{"exp": c.ExpiresAt, "iat": c.IssuedAt, "nbf": c.NotBefore} {
		if !t.IsZero() {
			w[k] = t.Unix()
		}
	}
	return json.Marshal(w)
}

// UnmarshalJSON reads claims; NumericDates may carry a fraction, the unit
// may be a string or a number.
func (c *Claims) UnmarshalJSON(b []byte) error {
	var w wireClaims
	if err := json.Unmarshal(b, &w); err != nil {
		return fmt.Errorf("claims: %w", err)
	}
	var n Claims
	n.Subject, n.Role, n.Issuer = w.Subject, Role(w.Role), w.Issuer
	if len(w.Unit) > 0 {
		var s string
		if err := json.Unmarshal(w.Unit, &s); err != nil {
			var num json.Number
			if err := json.Unmarshal(w.Unit, &num); err != nil {
				return fmt.Errorf("claims: unit: %w", ErrBadUnit)
			}
			s = num.String()
		}
		n.Unit = s
	}
	if len(w.Audience) > 0 {
		var one string
		if err := json.Unmarshal(w.Audience, &one); err == nil {
			n.Audience = []string{one}
		} else if err := json.Unmarshal(w.Audience, &n.Audience); err != nil {
			return fmt.Errorf("claims: aud must be a string or an array of strings")
		}
	}
	for _, f := range []struct {
		num *json.Number
		dst *time.Time
		nm  string
	}{{w.ExpiresAt, &n.ExpiresAt, "exp"}, {w.IssuedAt, &n.IssuedAt, "iat"}, {w.NotBefore, &n.NotBefore, "nbf"}} {
		if f.num == nil {
			continue
		}
		t, err := numericDate(f.num.String())
		if err != nil {
			return fmt.Errorf("claims: %s: %w", f.nm, err)
		}
		*f.dst = t
	}
	*c = n
	return nil
}

// numericDate parses seconds since the epoch, with an optional fraction.
func numericDate(s string) (time.Time, error) {
	sec, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
	if err != nil || sec < 0 || sec > 1e11 { // NaN and Inf fail the range check too
		return time.Time{}, fmt.Errorf("%w: not a NumericDate: %q", ErrMalformed, s)
	}
	whole := int64(sec)
	return time.Unix(whole, int64((sec-float64(whole))*1e9)).UTC(), nil
}

var unitRe = regexp.MustCompile(`^[0-9]{6}$`)

// ValidUnit reports whether code is the current 6-digit code of a province,
// prefecture or county the gazetteer knows (legacy codes are refused: the
// identity provider must issue current codes).
func ValidUnit(code string) bool {
	if !unitRe.MatchString(code) {
		return false
	}
	r, ok := region.Default().Record(code)
	return ok && !r.Legacy() && r.Level <= region.County
}

// Validate checks the claims this system needs: sub, a known role, a valid
// unit, and an expiry.
func (c Claims) Validate() error {
	switch {
	case strings.TrimSpace(c.Subject) == "":
		return fmt.Errorf("auth: sub: %w", ErrMissingClaim)
	case c.Role == "":
		return fmt.Errorf("auth: role: %w", ErrMissingClaim)
	case !c.Role.Valid():
		return fmt.Errorf("auth: %w %q", ErrUnknownRole, c.Role)
	case c.Unit == "":
		return fmt.Errorf("auth: unit: %w", ErrMissingClaim)
	case !ValidUnit(c.Unit):
		return fmt.Errorf("auth: %w %q", ErrBadUnit, c.Unit)
	case c.ExpiresAt.IsZero():
		return fmt.Errorf("auth: exp: %w", ErrMissingClaim)
	}
	return nil
}

// HasAudience reports whether aud is among the claims' audiences.
func (c Claims) HasAudience(aud string) bool {
	for _, a := range c.Audience {
		if a == aud {
			return true
		}
	}
	return false
}
