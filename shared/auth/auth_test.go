package auth

import (
	"crypto/rand"
	"crypto/rsa"
	"encoding/base64"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"
)

var (
	key    = []byte("0123456789abcdef0123456789abcdef")
	other  = []byte("fedcba9876543210fedcba9876543210")
	now    = time.Date(2025, 5, 6, 10, 0, 0, 0, time.UTC)
	issuer = "https://idp.example.gov.cn"
	aud    = "intake-staff"
)

func claims() Claims {
	return Claims{
		Subject: "staff-42", Unit: "630102", Role: RoleHandler, Issuer: issuer, Audience: []string{aud},
		IssuedAt: now.Add(-time.Minute), NotBefore: now.Add(-time.Minute), ExpiresAt: now.Add(time.Hour),
	}
}

func verifier() *Verifier {
	return &Verifier{Keys: map[string][]byte{"k1": key}, Issuer: issuer, Audience: aud, Now: func() time.Time { return now }}
}

func mint(t *testing.T, c Claims) string {
	t.Helper()
	tok, err := MintKID("k1", key, c)
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

// raw builds a token from a header and payload JSON and a signature.
func raw(header, payload string, sig []byte) string {
	e := base64.RawURLEncoding
	return e.EncodeToString([]byte(header)) + "." + e.EncodeToString([]byte(payload)) + "." + e.EncodeToString(sig)
}

func TestRoundTrip(t *testing.T) {
	got, err := verifier().Verify(mint(t, claims()))
	if err != nil {
		t.Fatal(err)
	}
	want := claims()
	if got.Subject != want.Subject || got.Unit != want.Unit || got.Role != want.Role || !got.ExpiresAt.Equal(want.ExpiresAt) ||
		!got.NotBefore.Equal(want.NotBefore) || !got.IssuedAt.Equal(want.IssuedAt) || !got.HasAudience(aud) || got.Issuer != issuer {
		t.Errorf("got %+v, want %+v", got, want)
	}
}

func TestVerifyRejects(t *testing.T) {
	mod := func(f func(*Claims)) Claims { c := claims(); f(&c); return c }
	good := mint(t, claims())
	parts := strings.Split(good, ".")
	hsSig := func(header, payload string) string {
		e := base64.RawURLEncoding
		in := e.EncodeToString([]byte(header)) + "." + e.EncodeToString([]byte(payload))
		return in + "." + e.EncodeToString(hs256(key, []byte(in)))
	}
	payload := func(c Claims) string { b, _ := json.Marshal(c); return string(b) }
	rsaKey, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	rsTok, err := MintRS256("r1", rsaKey, claims())
	if err != nil {
		t.Fatal(err)
	}

	tests := []struct {
		name  string
		token string
		want  error
	}{
		{"alg none", raw(`{"alg":"none","typ":"JWT"}`, payload(claims()), nil), ErrUnsupportedAlg},
		{"alg none with signature", raw(`{"alg":"none"}`, payload(claims()), []byte("x")), ErrUnsupportedAlg},
		{"alg None", raw(`{"alg":"None"}`, payload(claims()), []byte("x")), ErrUnsupportedAlg},
		{"alg HS512", raw(`{"alg":"HS512","kid":"k1"}`, payload(claims()), []byte("x")), ErrUnsupportedAlg},
		{"crit header", hsSig(`{"alg":"HS256","kid":"k1","crit":["exp"]}`, payload(claims())), ErrUnsupportedAlg},
		{"forged with another key", func() string { s, _ := MintKID("k1", other, claims()); return s }(), ErrBadSignature},
		{"payload swapped", parts[0] + "." + strings.Split(mint(t, mod(func(c *Claims) { c.Role = RoleSupervisor })), ".")[1] + "." + parts[2], ErrBadSignature},
		{"signature truncated", parts[0] + "." + parts[1] + "." + parts[2][:20], ErrBadSignature},
		{"unknown kid", func() string { s, _ := MintKID("k9", key, claims()); return s }(), ErrUnknownKey},
		{"RS256 with no RSA key", rsTok, ErrUnknownKey},
		{"expired", mint(t, mod(func(c *Claims) { c.ExpiresAt = now.Add(-time.Minute) })), ErrExpired},
		{"expired within leeway is still expired at the edge", mint(t, mod(func(c *Claims) { c.ExpiresAt = now.Add(-DefaultLeeway) })), ErrExpired},
		{"not yet valid", mint(t, mod(func(c *Claims) { c.NotBefore = now.Add(time.Hour); c.ExpiresAt = now.Add(2 * time.Hour) })), ErrNotYetValid},
		{"issued in the future", mint(t, mod(func(c *Claims) { c.IssuedAt = now.Add(time.Hour) })), ErrNotYetValid},
		{"no exp", hsSig(`{"alg":"HS256","kid":"k1"}`, `{"sub":"a","unit":"630102","role":"handler","iss":"`+issuer+`","aud":"`+aud+`"}`), ErrMissingClaim},
		{"wrong issuer", mint(t, mod(func(c *Claims) { c.Issuer = "https://evil" })), ErrWrongIssuer},
		{"wrong audience", mint(t, mod(func(c *Claims) { c.Audience = []string{"public"} })), ErrWrongAudience},
		{"unknown role", hsSig(`{"alg":"HS256","kid":"k1"}`, strings.Replace(payload(claims()), `"role":"handler"`, `"role":"admin"`, 1)), ErrUnknownRole},
		{"bad unit", hsSig(`{"alg":"HS256","kid":"k1"}`, strings.Replace(payload(claims()), `"unit":"630102"`, `"unit":"6301"`, 1)), ErrBadUnit},
		{"unknown unit", hsSig(`{"alg":"HS256","kid":"k1"}`, strings.Replace(payload(claims()), `"unit":"630102"`, `"unit":"110105"`, 1)), ErrBadUnit},
		{"two parts", parts[0] + "." + parts[1], ErrMalformed},
		{"four parts", good + ".x", ErrMalformed},
		{"padded base64", parts[0] + "=." + parts[1] + "." + parts[2], ErrMalformed},
		{"header not json", raw(`not json`, payload(claims()), []byte("x")), ErrMalformed},
		{"payload not json", hsSig(`{"alg":"HS256","kid":"k1"}`, `[1,2]`), ErrMalformed},
		{"exp a string", hsSig(`{"alg":"HS256","kid":"k1"}`, strings.Replace(payload(claims()), `"exp":`, `"exp":"x","x":`, 1)), ErrMalformed},
		{"typ not JWT", hsSig(`{"alg":"HS256","kid":"k1","typ":"at+jwt+x"}`, payload(claims())), ErrMalformed},
		{"too long", strings.Repeat("a", MaxTokenBytes+1), ErrMalformed},
		{"empty", "", ErrMalformed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := verifier().Verify(tt.token)
			if !errors.Is(err, tt.want) {
				t.Fatalf("err = %v, want %v", err, tt.want)
			}
		})
	}
}

func TestRS256(t *testing.T) {
	k, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	tok, err := MintRS256("r1", k, claims())
	if err != nil {
		t.Fatal(err)
	}
	v := verifier()
	v.RSAKeys = map[string]*rsa.PublicKey{"r1": &k.PublicKey}
	if _, err := v.Verify(tok); err != nil {
		t.Fatalf("RS256: %v", err)
	}
	// Algorithm confusion: an HS256 token "signed" with the public key's
	// bytes under the RSA key's kid must fail (no HMAC key r1).
	pub := k.PublicKey.N.Bytes()
	forged, err := MintKID("r1", pub, claims())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := v.Verify(forged); !errors.Is(err, ErrUnknownKey) {
		t.Errorf("HS256 token under an RSA kid: %v", err)
	}
	small, _ := rsa.GenerateKey(rand.Reader, 1024)
	if _, err := MintRS256("r2", small, claims()); !errors.Is(err, ErrWeakKey) {
		t.Errorf("1024-bit key: %v", err)
	}
}

func TestKeySelectionWithoutKID(t *testing.T) {
	tok, err := Mint(key, claims())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := verifier().Verify(tok); err != nil {
		t.Errorf("single key, no kid: %v", err)
	}
	v := verifier()
	v.Keys["k2"] = other
	if _, err := v.Verify(tok); !errors.Is(err, ErrUnknownKey) {
		t.Errorf("two keys, no kid: %v", err)
	}
}

func TestVerifierConfig(t *testing.T) {
	for _, v := range []*Verifier{
		{Keys: map[string][]byte{"k1": key}, Audience: aud},
		{Keys: map[string][]byte{"k1": key}, Issuer: issuer},
		{Issuer: issuer, Audience: aud},
	} {
		if _, err := v.Verify(mint(t, claims())); !errors.Is(err, ErrConfig) {
			t.Errorf("%+v: %v", v, err)
		}
	}
}

func TestMintValidates(t *testing.T) {
	tests := []struct {
		name string
		key  []byte
		mod  func(*Claims)
		want error
	}{
		{"short key", key[:16], func(*Claims) {}, ErrWeakKey},
		{"no sub", key, func(c *Claims) { c.Subject = "" }, ErrMissingClaim},
		{"bad role", key, func(c *Claims) { c.Role = "root" }, ErrUnknownRole},
		{"no role", key, func(c *Claims) { c.Role = "" }, ErrMissingClaim},
		{"legacy unit", key, func(c *Claims) { c.Unit = "630122" }, ErrBadUnit},
		{"town code", key, func(c *Claims) { c.Unit = "630102001" }, ErrBadUnit},
		{"no exp", key, func(c *Claims) { c.ExpiresAt = time.Time{} }, ErrMissingClaim},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := claims()
			tt.mod(&c)
			if _, err := Mint(tt.key, c); !errors.Is(err, tt.want) {
				t.Errorf("err = %v, want %v", err, tt.want)
			}
		})
	}
}

func TestFromAuthorizer(t *testing.T) {
	tests := []struct {
		name string
		in   map[string]string
		want error
		role Role
		unit string
	}{
		{"plain claims", map[string]string{"sub": "s1", "unit": "630100", "role": "supervisor", "iss": issuer, "aud": aud,
			"exp": "1746530000", "iat": "1746526400"}, nil, RoleSupervisor, "630100"},
		{"cognito custom attributes", map[string]string{"sub": "s1", "custom:unit": "632801", "custom:role": "viewer",
			"exp": "1746530000", "aud": "[a intake-staff]"}, nil, RoleViewer, "632801"},
		{"no role", map[string]string{"sub": "s1", "unit": "630100", "exp": "1746530000"}, ErrMissingClaim, "", ""},
		{"unknown role", map[string]string{"sub": "s1", "unit": "630100", "role": "admin", "exp": "1746530000"}, ErrUnknownRole, "", ""},
		{"bad unit", map[string]string{"sub": "s1", "unit": "63-100", "role": "handler", "exp": "1746530000"}, ErrBadUnit, "", ""},
		{"no sub", map[string]string{"unit": "630100", "role": "handler", "exp": "1746530000"}, ErrMissingClaim, "", ""},
		{"bad exp", map[string]string{"sub": "s1", "unit": "630100", "role": "handler", "exp": "soon"}, ErrMalformed, "", ""},
		{"nil map", nil, ErrMissingClaim, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := FromAuthorizer(tt.in)
			if !errors.Is(err, tt.want) {
				t.Fatalf("err = %v, want %v", err, tt.want)
			}
			if err == nil && (c.Role != tt.role || c.Unit != tt.unit || c.ExpiresAt.Unix() != 1746530000) {
				t.Errorf("claims %+v", c)
			}
		})
	}
	c, _ := FromAuthorizer(map[string]string{"sub": "s1", "unit": "630100", "role": "viewer", "exp": "1746530000", "aud": "[a intake-staff]"})
	if !c.HasAudience("intake-staff") || !c.HasAudience("a") {
		t.Errorf("audience %v", c.Audience)
	}
}

func TestClaimsJSON(t *testing.T) {
	var c Claims
	if err := json.Unmarshal([]byte(`{"sub":"s","unit":630102,"role":"handler","aud":["x","y"],"exp":1746530000.5}`), &c); err != nil {
		t.Fatal(err)
	}
	if c.Unit != "630102" || len(c.Audience) != 2 || c.ExpiresAt.UnixMilli() != 1746530000500 {
		t.Errorf("%+v", c)
	}
	for _, bad := range []string{`{"aud":5}`, `{"unit":true}`, `{"exp":-1}`, `{"exp":1e300}`} {
		if err := json.Unmarshal([]byte(bad), &c); err == nil {
			t.Errorf("%s accepted", bad)
		}
	}
}
