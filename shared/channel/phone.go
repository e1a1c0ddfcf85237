package channel

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// NormalizePhone returns phone in E.164 form (+8613812345678).
//
// It accepts:
//   - Chinese mobile numbers, 11 digits matching 1[3-9]XXXXXXXXX, bare or
//     prefixed with +86, 0086, 86 or a domestic trunk 0;
//   - any other number in international form, prefixed with + or 00:
//     8 to 15 digits, the first not 0.
//
// Spaces, dashes, dots and parentheses are ignored and full-width digits
// are folded. Numbers under +86 must be mobile numbers: inbound SMS and
// WeChat phone numbers are never landlines. Other input yields ErrBadPhone.
func NormalizePhone(phone string) (string, error) {
	var b strings.Builder
	for _, r := range phone {
		switch {
		case r >= '０' && r <= '９':
			b.WriteRune('0' + (r - '０'))
		case r == '＋':
			b.WriteByte('+')
		case r == ' ', r == '-', r == '.', r == '(', r == ')', r == '\t', r == '\u00a0', r == '\u3000',
			r == '（', r == '）', r == '－':
		default:
			b.WriteRune(r)
		}
	}
	s := b.String()
	var digits string
	switch {
	case strings.HasPrefix(s, "+"):
		digits = s[1:]
	case strings.HasPrefix(s, "00"):
		digits = s[2:]
	case isCNMobile(s):
		return "+86" + s, nil
	case len(s) == 13 && strings.HasPrefix(s, "86") && isCNMobile(s[2:]):
		return "+" + s, nil
	case len(s) == 12 && s[0] == '0' && isCNMobile(s[1:]):
		return "+86" + s[1:], nil
	default:
		return "", fmt.Errorf("%w: not a Chinese mobile and no country code", ErrBadPhone)
	}
	if !allDigits(digits) || len(digits) < 8 || len(digits) > 15 || digits[0] == '0' {
		return "", fmt.Errorf("%w: not an E.164 number", ErrBadPhone)
	}
	if strings.HasPrefix(digits, "86") && !isCNMobile(digits[2:]) {
		return "", fmt.Errorf("%w: +86 number is not a mobile number", ErrBadPhone)
	}
	return "+" + digits, nil
}

// IsChinaMobile reports whether phone, in any form NormalizePhone accepts,
// is a mainland China mobile number.
func IsChinaMobile(phone string) bool {
	n, err := NormalizePhone(phone)
	return err == nil && strings.HasPrefix(n, "+86")
}

// MaskPhone hides the middle of a phone number for logs: Chinese mobiles
// become 138****5678 and other E.164 numbers +142****0182. Anything else
// (an openid, a short code) keeps at most its first three and last four
// characters; values of seven characters or fewer become "****".
func MaskPhone(phone string) string {
	if n, err := NormalizePhone(phone); err == nil {
		if strings.HasPrefix(n, "+86") {
			return n[3:6] + "****" + n[len(n)-4:]
		}
		if len(n) > 8 {
			return n[:4] + "****" + n[len(n)-4:]
		}
		return "****"
	}
	if utf8.RuneCountInString(phone) <= 7 {
		if phone == "" {
			return ""
		}
		return "****"
	}
	r := []rune(phone)
	return string(r[:3]) + "****" + string(r[len(r)-4:])
}

// isCNMobile reports whether s is an 11-digit mainland mobile number
// without country code.
func isCNMobile(s string) bool {
	return len(s) == 11 && s[0] == '1' && s[1] >= '3' && s[1] <= '9' && allDigits(s)
}

func allDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}
