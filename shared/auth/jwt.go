package auth

import (
	"bytes"
	"crypto"
	"crypto/hmac"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"strings"
	"time"
)

// Algorithms.
const (
	AlgHS256 = "HS256"
	AlgRS256 = "RS256"
)

// Limits.
const (
	// MaxTokenBytes bounds the token a verifier will parse.
	MaxTokenBytes = 8 << 10
	// MinHMACKeyBytes is the shortest HS256 key accepted (RFC 7518 §3.2:
	// a key at least as long as the hash output).
	MinHMACKeyBytes = 32
	// MinRSABits is the smallest RSA modulus accepted.
	MinRSABits = 2048
	// DefaultLeeway is the clock skew allowed when Verifier.Leeway is 0.
	DefaultLeeway = 30 * time.Second
)

var b64 = base64.RawURLEncoding.Strict()

type header struct {
	Alg  string   `json:"alg"`
	Typ  string   `json:"typ,omitempty"`
	Kid  string   `json:"kid,omitempty"`
	Crit []string `json:"crit,omitempty"`
}

// Verifier verifies staff tokens. Configure at least one key, the issuer
// and the audience; a Verifier is safe for concurrent use once configured.
type Verifier struct {
	// Keys are the HS256 keys by key id (the token header's kid).
	Keys map[string][]byte
	// RSAKeys are the RS256 public keys by key id.
	RSAKeys map[string]*rsa.PublicKey
	// Issuer is the required iss; Audience must be among aud.
	Issuer   string
	Audience string
	// Now returns the current time; time.Now when nil.
	Now func() time.Time
	// Leeway is the clock skew allowed on exp, nbf and iat;
	// DefaultLeeway when 0.
	Leeway time.Duration
}

// Verify checks token and returns its claims. A token without a kid is
// accepted only when the verifier has exactly one key for its algorithm.
func (v *Verifier) Verify(token string) (Claims, error) {
	if v.Issuer == "" || v.Audience == "" || len(v.Keys)+len(v.RSAKeys) == 0 {
		return Claims{}, fmt.Errorf("auth: %w: keys, issuer and audience are required", ErrConfig)
	}
	if len(token) > MaxTokenBytes {
		return Claims{}, fmt.Errorf("auth: %w: longer than %d bytes", ErrMalformed, MaxTokenBytes)
	}
	parts := strings.Split(token, ".")
	if len(parts) != 3 || parts[0] == "" || parts[1] == "" {
		return Claims{}, fmt.Errorf("auth: %w: want three dot-separated parts", ErrMalformed)
	}
	var h header
	if err := decodePart(parts[0], &h); err != nil {
		return Claims{}, fmt.Errorf("auth: header: %w", err)
	}
	if len(h.Crit) > 0 {
		return Claims{}, fmt.Errorf("auth: %w: critical header parameters %v", ErrUnsupportedAlg, h.Crit)
	}
	if h.Alg != AlgHS256 && h.Alg != AlgRS256 {
		// Covers "none", which must never be accepted (RFC 8725 §3.1).
		return Claims{}, fmt.Errorf("auth: %w %q", ErrUnsupportedAlg, h.Alg)
	}
	if h.Typ != "" && !strings.EqualFold(h.Typ, "JWT") {
		return Claims{}, fmt.Errorf("auth: %w: typ %q", ErrMalformed, h.Typ)
	}
	sig, err := b64.DecodeString(parts[2])
	if err != nil || len(sig) == 0 {
		return Claims{}, fmt.Errorf("auth: %w: signature is not base64url", ErrMalformed)
	}
	signed := []byte(parts[0] + "." + parts[1])
	switch h.Alg {
	case AlgHS256:
		key, err := pick(v.Keys, h.Kid)
		if err != nil {
			return Claims{}, err
		}
		if !hmac.Equal(sig, hs256(key, signed)) {
			return Claims{}, fmt.Errorf("auth: %w", ErrBadSignature)
		}
	case AlgRS256:
		key, err := pick(v.RSAKeys, h.Kid)
		if err != nil {
			return Claims{}, err
		}
		sum := sha256.Sum256(signed)
		if key == nil || rsa.VerifyPKCS1v15(key, crypto.SHA256, sum[:], sig) != nil {
			return Claims{}, fmt.Errorf("auth: %w", ErrBadSignature)
		}
	default:
		return Claims{}, fmt.Errorf("auth: %w %q", ErrUnsupportedAlg, h.Alg)
	}

	var c Claims
	if err := decodePart(parts[1], &c); err != nil {
		return Claims{}, fmt.Errorf("auth: claims: %w", err)
	}
	now := time.Now()
	if v.Now != nil {
		now = v.Now()
	}
	leeway := v.Leeway
	if leeway == 0 {
		leeway = DefaultLeeway
	}
	switch {
	case c.ExpiresAt.IsZero():
		return Claims{}, fmt.Errorf("auth: exp: %w", ErrMissingClaim)
	case !now.Before(c.ExpiresAt.Add(leeway)):
		return Claims{}, fmt.Errorf("auth: %w at %s", ErrExpired, c.ExpiresAt.Format(time.RFC3339))
	case !c.NotBefore.IsZero() && now.Add(leeway).Before(c.NotBefore):
		return Claims{}, fmt.Errorf("auth: %w before %s", ErrNotYetValid, c.NotBefore.Format(time.RFC3339))
	case !c.IssuedAt.IsZero() && now.Add(leeway).Before(c.IssuedAt):
		return Claims{}, fmt.Errorf("auth: %w: issued in the future (%s)", ErrNotYetValid, c.IssuedAt.Format(time.RFC3339))
	case c.Issuer != v.Issuer:
		return Claims{}, fmt.Errorf("auth: %w %q", ErrWrongIssuer, c.Issuer)
	case !c.HasAudience(v.Audience):
		return Claims{}, fmt.Errorf("auth: %w %q", ErrWrongAudience, c.Audience)
	}
	if err := c.Validate(); err != nil {
		return Claims{}, err
	}
	return c, nil
}

// pick returns the key named kid, or the only key when kid is empty.
func pick[K any](keys map[string]K, kid string) (K, error) {
	var zero K
	if kid != "" {
		k, ok := keys[kid]
		if !ok {
			return zero, fmt.Errorf("auth: %w %q", ErrUnknownKey, kid)
		}
		return k, nil
	}
	if len(keys) != 1 {
		return zero, fmt.Errorf("auth: %w: no kid and %d keys", ErrUnknownKey, len(keys))
	}
	for _, k := range keys {
		return k, nil
	}
	return zero, nil
}

// decodePart decodes one base64url JSON part; duplicate-free, strict.
func decodePart(p string, dst any) error {
	b, err := b64.DecodeString(p)
	if err != nil {
		return fmt.Errorf("%w: not base64url", ErrMalformed)
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	if err := dec.Decode(dst); err != nil {
		return fmt.Errorf("%w: %v", ErrMalformed, err)
	}
	if dec.More() {
		return fmt.Errorf("%w: trailing data", ErrMalformed)
	}
	return nil
}

func hs256(key, msg []byte) []byte {
	m := hmac.New(sha256.New, key)
	m.Write(msg)
	return m.Sum(nil)
}

// Mint issues an HS256 token without a key id, for the dev CLI and tests.
// The claims must pass Claims.Validate; the key must have at least
// MinHMACKeyBytes bytes.
func Mint(key []byte, c Claims) (string, error) { return MintKID("", key, c) }

// MintKID issues an HS256 token whose header names key id kid.
func MintKID(kid string, key []byte, c Claims) (string, error) {
	if len(key) < MinHMACKeyBytes {
		return "", fmt.Errorf("auth: mint: %w: %d bytes, need %d", ErrWeakKey, len(key), MinHMACKeyBytes)
	}
	signing, err := signingInput(AlgHS256, kid, c)
	if err != nil {
		return "", err
	}
	return signing + "." + b64.EncodeToString(hs256(key, []byte(signing))), nil
}

// MintRS256 issues an RS256 token signed with key under key id kid.
func MintRS256(kid string, key *rsa.PrivateKey, c Claims) (string, error) {
	if key == nil || key.N.BitLen() < MinRSABits {
		return "", fmt.Errorf("auth: mint: %w: RSA key below %d bits", ErrWeakKey, MinRSABits)
	}
	signing, err := signingInput(AlgRS256, kid, c)
	if err != nil {
		return "", err
	}
	sum := sha256.Sum256([]byte(signing))
	sig, err := rsa.SignPKCS1v15(rand.Reader, key, crypto.SHA256, sum[:])
	if err != nil {
		return "", fmt.Errorf("auth: mint: %w", err)
	}
	return signing + "." + b64.EncodeToString(sig), nil
}

func signingInput(alg, kid string, c Claims) (string, error) {
	if err := c.Validate(); err != nil {
		return "", fmt.Errorf("auth: mint: %w", err)
	}
	h, err := json.Marshal(header{Alg: alg, Typ: "JWT", Kid: kid})
	if err != nil {
		return "", fmt.Errorf("auth: mint: %w", err)
	}
	p, err := json.Marshal(c)
	if err != nil {
		return "", fmt.Errorf("auth: mint: %w", err)
	}
	return b64.EncodeToString(h) + "." + b64.EncodeToString(p), nil
}

// FromAuthorizer reads the claims an API Gateway HTTP API JWT authorizer
// passes to the function (events.APIGatewayV2HTTPRequest
// RequestContext.Authorizer.JWT.Claims, a map[string]string). The gateway
// has already checked the signature, iss, aud, exp and nbf; this checks the
// claims this system needs (sub, role, unit). The role and unit are read
// from "role" and "unit", or from Cognito's custom attributes
// "custom:role" and "custom:unit". Array claims arrive as "[a b]".
func FromAuthorizer(m map[string]string) (Claims, error) {
	get := func(names ...string) string {
		for _, n := range names {
			if v := strings.TrimSpace(m[n]); v != "" {
				return v
			}
		}
		return ""
	}
	c := Claims{
		Subject: get("sub"),
		Unit:    get("unit", "custom:unit"),
		Role:    Role(get("role", "custom:role")),
		Issuer:  get("iss"),
	}
	if aud := get("aud"); aud != "" {
		c.Audience = strings.Fields(strings.Trim(aud, "[]"))
	}
	for _, f := range []struct {
		name string
		dst  *time.Time
	}{{"exp", &c.ExpiresAt}, {"iat", &c.IssuedAt}, {"nbf", &c.NotBefore}} {
		if s := get(f.name); s != "" {
			t, err := numericDate(s)
			if err != nil {
				return Claims{}, fmt.Errorf("auth: authorizer claim %s: %w", f.name, err)
			}
			*f.dst = t
		}
	}
	if err := c.Validate(); err != nil {
		return Claims{}, err
	}
	return c, nil
}
