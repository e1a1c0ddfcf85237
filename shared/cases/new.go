package cases

import (
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"fmt"
	"io"
	"strings"
	"time"
)

// Shanghai is the time zone every statutory clock and every case id uses.
// China has kept UTC+8 without daylight saving since 1991.
var Shanghai = time.FixedZone("CST", 8*3600)

// codeAlphabet has no 0/O, 1/I/L or U, so codes read well over the phone and
// in an SMS.
const codeAlphabet = "23456789ABCDEFGHJKMNPQRSTVWXYZ"

// TrackingCodeLen is the length of a tracking code: 30^10 ≈ 5.9e14
// possibilities, far beyond guessing through a rate-limited API.
const TrackingCodeLen = 10

// New builds a case in its first state from a validated submission. It
// returns the case and the tracking code to hand to the submitter; only the
// code's hash is kept on the case. rnd is the source of randomness
// (crypto/rand.Reader in production).
func New(s Submission, ch Channel, now time.Time, rnd io.Reader) (*Case, string, error) {
	id, err := NewID(now, rnd)
	if err != nil {
		return nil, "", err
	}
	code, err := randomString(rnd, TrackingCodeLen)
	if err != nil {
		return nil, "", fmt.Errorf("new tracking code: %w", err)
	}
	var fen int64
	if s.AmountYuan != "" {
		if fen, err = ParseYuan(string(s.AmountYuan)); err != nil {
			return nil, "", err
		}
	}
	now = now.UTC()
	c := &Case{
		ID:           id,
		Version:      1,
		Kind:         s.Kind,
		Channel:      ch,
		State:        StateReceived,
		ReceivedAt:   now,
		UpdatedAt:    now,
		TrackingHash: HashTrackingCode(code),
		Consumer:     s.Consumer,
		Anonymous:    s.Anonymous,
		ODROptOut:    s.ODROptOut,
		Business:     s.Business,
		Facts:        s.Facts,
		Request:      s.Request,
		AmountFen:    fen,
		OccurredOn:   s.OccurredOn,
	}
	return c, code, nil
}

// NewID returns a case id such as QH20261126-7K3M9P2XRT: the receipt date in
// Asia/Shanghai, which staff read at a glance, and ten random characters.
func NewID(now time.Time, rnd io.Reader) (string, error) {
	suffix, err := randomString(rnd, 10)
	if err != nil {
		return "", fmt.Errorf("new case id: %w", err)
	}
	return "QH" + now.In(Shanghai).Format("20060102") + "-" + suffix, nil
}

// ValidID reports whether id has the shape NewID produces. Handlers use it
// to answer malformed ids without touching the store.
func ValidID(id string) bool {
	if len(id) != 21 || !strings.HasPrefix(id, "QH") || id[10] != '-' {
		return false
	}
	for _, r := range id[2:10] {
		if r < '0' || r > '9' {
			return false
		}
	}
	for _, r := range id[11:] {
		if !strings.ContainsRune(codeAlphabet, r) {
			return false
		}
	}
	return true
}

// HashTrackingCode returns the hex SHA-256 of a tracking code after
// normalising case and spaces.
func HashTrackingCode(code string) string {
	sum := sha256.Sum256([]byte(NormalizeTrackingCode(code)))
	return hex.EncodeToString(sum[:])
}

// NormalizeTrackingCode upper-cases a code and drops spaces and dashes, the
// way people copy it from an SMS.
func NormalizeTrackingCode(code string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r == ' ' || r == '-' || r == '\u3000':
			return -1
		case r >= 'a' && r <= 'z':
			return r - 'a' + 'A'
		}
		return r
	}, code)
}

// CheckTrackingCode reports, in constant time, whether code opens c.
func (c *Case) CheckTrackingCode(code string) bool {
	want := []byte(c.TrackingHash)
	got := []byte(HashTrackingCode(code))
	return subtle.ConstantTimeCompare(want, got) == 1
}

func randomString(rnd io.Reader, n int) (string, error) {
	if rnd == nil {
		rnd = rand.Reader
	}
	buf := make([]byte, n)
	out := make([]byte, n)
	// Rejection sampling keeps every character equally likely.
	limit := byte(256 - 256%len(codeAlphabet))
	for i := 0; i < n; {
		if _, err := io.ReadFull(rnd, buf); err != nil {
			return "", err
		}
		for _, b := range buf {
			if b >= limit {
				continue
			}
			out[i] = codeAlphabet[int(b)%len(codeAlphabet)]
			i++
			if i == n {
				break
			}
		}
	}
	return string(out), nil
}

// DerivedID returns a case id derived from another case's id and a salt:
// the same receipt date, and ten characters of their hash. A consumer that
// splits a submission on every delivery of the same message derives the
// same id each time, so the conditional create makes the split happen once.
func DerivedID(id, salt string) string {
	sum := sha256.Sum256([]byte(id + "/" + salt))
	out := make([]byte, 10)
	for i := range out {
		out[i] = codeAlphabet[int(sum[i])%len(codeAlphabet)]
	}
	return id[:11] + string(out)
}
