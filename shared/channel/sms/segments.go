// Package sms holds provider-independent SMS rules: segment counting for
// outbound texts (GSM-7 and UCS-2, signature included), truncation to a
// segment budget, and classification of inbound texts into status queries,
// opt-outs and free-text complaints.
package sms

import (
	"strings"
	"unicode/utf8"
)

// Encodings reported by Segments.
const (
	EncodingGSM7 = "GSM-7"
	EncodingUCS2 = "UCS-2"
)

// Segment capacities. A concatenated message loses 6 octets per segment to
// the user data header: 153 septets or 67 UCS-2 code units remain.
const (
	GSMSingle  = 160
	GSMMulti   = 153
	UCS2Single = 70
	UCS2Multi  = 67
)

// gsmBasic is the GSM 03.38 default alphabet (without the escape code).
const gsmBasic = "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?" +
	"¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"

// gsmExtension holds the characters sent as escape + code: two septets each.
const gsmExtension = "\f^{}\\[~]|€"

// WithSignature returns the text as the handset shows it: the signature in
// 【】 followed by text. A signature already in 【】 is used as is; an empty
// signature adds nothing.
func WithSignature(text, signature string) string {
	if signature == "" {
		return text
	}
	if !strings.HasPrefix(signature, "【") || !strings.HasSuffix(signature, "】") {
		signature = "【" + signature + "】"
	}
	return signature + text
}

// Segments returns how many SMS segments text needs when sent with the given
// signature, and the encoding used. The signature counts toward the length,
// brackets included, as Chinese operators bill it. Text made only of GSM-7
// characters uses GSM-7 (160 single, 153 per segment; ^{}\[~]|€ and form
// feed count twice); anything else uses UCS-2 (70 single, 67 per segment;
// characters outside the BMP count twice). Segment boundaries never split an
// escape sequence or a surrogate pair. Empty input needs 0 segments.
func Segments(text, signature string) (n int, encoding string) {
	s := WithSignature(text, signature)
	if s == "" {
		return 0, EncodingGSM7
	}
	if isGSM(s) {
		return count(s, GSMSingle, GSMMulti, gsmUnits), EncodingGSM7
	}
	return count(s, UCS2Single, UCS2Multi, ucs2Units), EncodingUCS2
}

// Fit returns the longest prefix of text that, sent with signature, fits in
// maxSegments segments. It cuts between runes, so it never splits a UTF-8
// sequence or (in UCS-2) a surrogate pair. It returns "" when maxSegments
// is not positive or the signature alone does not fit.
func Fit(text, signature string, maxSegments int) string {
	if maxSegments <= 0 {
		return ""
	}
	if n, _ := Segments(text, signature); n <= maxSegments {
		return text
	}
	// Segments is monotonic in the prefix length: adding a rune never lowers
	// the count. Binary search over rune boundaries.
	bounds := make([]int, 0, len(text)+1)
	for i := range text {
		bounds = append(bounds, i)
	}
	bounds = append(bounds, len(text))
	lo, hi := 0, len(bounds)-1 // bounds[lo] fits (maybe), bounds[hi] does not
	if n, _ := Segments("", signature); n > maxSegments {
		return ""
	}
	for hi-lo > 1 {
		mid := (lo + hi) / 2
		if n, _ := Segments(text[:bounds[mid]], signature); n <= maxSegments {
			lo = mid
		} else {
			hi = mid
		}
	}
	return text[:bounds[lo]]
}

func isGSM(s string) bool {
	for _, r := range s {
		if !strings.ContainsRune(gsmBasic, r) && !strings.ContainsRune(gsmExtension, r) {
			return false
		}
	}
	return true
}

func gsmUnits(r rune) int {
	if strings.ContainsRune(gsmExtension, r) {
		return 2
	}
	return 1
}

func ucs2Units(r rune) int { return utf8.RuneLen(r)/4 + 1 } // 4-byte UTF-8 = outside BMP = surrogate pair

// count simulates filling segments with the units of each rune, never
// splitting one rune's units across two segments.
func count(s string, single, multi int, units func(rune) int) int {
	total := 0
	for _, r := range s {
		total += units(r)
	}
	if total <= single {
		return 1
	}
	n, used := 1, 0
	for _, r := range s {
		u := units(r)
		if used+u > multi {
			n++
			used = 0
		}
		used += u
	}
	return n
}
