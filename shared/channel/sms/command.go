package sms

import (
	"fmt"
	"strings"
	"unicode"

	"github.com/open12315/intake/shared/channel"
)

// MaxInboundRunes is the longest inbound text ParseCommand accepts.
const MaxInboundRunes = channel.MaxTextRunes

// Kind classifies an inbound text.
type Kind int

// Kinds of inbound text.
const (
	// Complaint is free text that opens or adds to a complaint.
	Complaint Kind = iota
	// StatusQuery asks for the status of a case by tracking code.
	StatusQuery
	// OptOut asks to stop receiving messages. It is never a complaint.
	OptOut
)

// String returns the name of k.
func (k Kind) String() string {
	switch k {
	case Complaint:
		return "complaint"
	case StatusQuery:
		return "status-query"
	case OptOut:
		return "opt-out"
	}
	return fmt.Sprintf("Kind(%d)", int(k))
}

// Command is a classified inbound text.
type Command struct {
	Kind Kind
	// Code is the tracking code of a StatusQuery, upper-cased. It is empty
	// when the sender gave the keyword alone; reply with usage help then.
	Code string
	// Text is the cleaned text (trimmed, valid UTF-8).
	Text string
}

// optOutWords are the whole-message replies that mean "stop": the Chinese
// operators' T/TD/R/N and 退订, and the carrier-standard English keywords.
var optOutWords = map[string]bool{
	"T": true, "TD": true, "R": true, "N": true,
	"退订": true, "退定": true, "取消订阅": true,
	"STOP": true, "STOPALL": true, "UNSUBSCRIBE": true, "CANCEL": true, "END": true, "QUIT": true,
}

// queryKeywords introduce a status query. Latin keywords must be followed by
// a separator or a digit so that "CXK..." or "STATUSES" stay free text.
var queryKeywords = []struct {
	word  string
	latin bool
}{
	{"查询", false},
	{"CX", true},
	{"STATUS", true},
}

// ParseCommand classifies an inbound text. It tolerates full-width letters,
// digits, spaces and punctuation and ignores case:
//
//	查询 QH2024000123   → StatusQuery, Code "QH2024000123"
//	cx：qh2024000123    → StatusQuery
//	STATUS QH2024000123 → StatusQuery
//	查询                → StatusQuery, Code ""
//	T, TD, 退订, STOP    → OptOut (only as the whole message)
//	anything else       → Complaint
//
// A tracking code is 4 to 40 letters, digits or dashes starting with a
// letter or digit; a keyword followed by anything else is a Complaint.
// Empty or over-long texts yield channel.ErrEmpty or channel.ErrTooLong.
func ParseCommand(text string) (Command, error) {
	clean, err := channel.CleanText(text)
	if err != nil {
		return Command{}, fmt.Errorf("sms: parse command: %w", err)
	}
	folded := strings.TrimSpace(foldWidth(clean))
	bare := strings.ToUpper(strings.TrimFunc(folded, isSeparator))
	if optOutWords[bare] {
		return Command{Kind: OptOut, Text: clean}, nil
	}
	for _, kw := range queryKeywords {
		rest, ok := cutPrefixFold(folded, kw.word)
		if !ok {
			continue
		}
		if kw.latin && rest != "" {
			r := []rune(rest)[0]
			if !isSeparator(r) && !unicode.IsDigit(r) {
				continue
			}
		}
		code := strings.TrimFunc(rest, isSeparator)
		if code == "" {
			return Command{Kind: StatusQuery, Text: clean}, nil
		}
		if isTrackingCode(code) {
			return Command{Kind: StatusQuery, Code: strings.ToUpper(code), Text: clean}, nil
		}
		break
	}
	return Command{Kind: Complaint, Text: clean}, nil
}

// foldWidth maps full-width ASCII variants (U+FF01–U+FF5E) and the
// ideographic space to their ASCII forms.
func foldWidth(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r >= 0xFF01 && r <= 0xFF5E:
			return r - 0xFEE0
		case r == '\u3000':
			return ' '
		}
		return r
	}, s)
}

func isSeparator(r rune) bool {
	return unicode.IsSpace(r) || unicode.IsPunct(r) || unicode.IsSymbol(r)
}

// cutPrefixFold is strings.CutPrefix with ASCII case folding.
func cutPrefixFold(s, prefix string) (string, bool) {
	if len(s) < len(prefix) || !strings.EqualFold(s[:len(prefix)], prefix) {
		return s, false
	}
	return s[len(prefix):], true
}

func isTrackingCode(s string) bool {
	if len(s) < 4 || len(s) > 40 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= '0' && c <= '9', c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z':
		case c == '-' && i > 0:
		default:
			return false
		}
	}
	return true
}
