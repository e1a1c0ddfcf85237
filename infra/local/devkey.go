package local

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/open12315/intake/shared/auth"
)

// EnvDevKey holds a development JWT key in hex; it overrides the key file.
const EnvDevKey = "INTAKE_DEV_JWT_KEY"

// DevKey returns the development key the local gateway checks staff tokens
// with: $INTAKE_DEV_JWT_KEY, or the key in <root>/.cache/dev-jwt.key,
// created with 32 random bytes on first use. It exists only on a laptop or
// a CI machine; in AWS, API Gateway checks the issuer's keys.
func DevKey(root string) ([]byte, error) {
	if v := strings.TrimSpace(os.Getenv(EnvDevKey)); v != "" {
		k, err := hex.DecodeString(v)
		if err != nil || len(k) < 32 {
			return nil, fmt.Errorf("%s must be at least 32 bytes in hex", EnvDevKey)
		}
		return k, nil
	}
	path := filepath.Join(root, ".cache", "dev-jwt.key")
	b, err := os.ReadFile(path)
	if err == nil {
		k, err := hex.DecodeString(strings.TrimSpace(string(b)))
		if err != nil || len(k) < 32 {
			return nil, fmt.Errorf("%s is not a hex key of at least 32 bytes; delete it to make a new one", path)
		}
		return k, nil
	}
	if !errors.Is(err, fs.ErrNotExist) {
		return nil, err
	}
	k := make([]byte, 32)
	if _, err := rand.Read(k); err != nil {
		return nil, err
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, err
	}
	if err := os.WriteFile(path, []byte(hex.EncodeToString(k)+"\n"), 0o600); err != nil {
		return nil, err
	}
	return k, nil
}

// StaffTokenClaims returns the claims of a development staff token that the
// template's StaffJwt authorizer accepts: its issuer and audience are the
// template's JwtIssuer and JwtAudience defaults.
func StaffTokenClaims(t *Template, sub, unit string, role auth.Role, ttl time.Duration, now time.Time) auth.Claims {
	return auth.Claims{
		Subject: sub, Unit: unit, Role: role,
		Issuer:    t.Parameters["JwtIssuer"],
		Audience:  []string{t.Parameters["JwtAudience"]},
		IssuedAt:  now,
		ExpiresAt: now.Add(ttl),
	}
}
