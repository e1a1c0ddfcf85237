package sms

import (
	"errors"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/open12315/intake/shared/channel"
)

func TestSegments(t *testing.T) {
	tests := []struct {
		name      string
		text, sig string
		want      int
		enc       string
	}{
		{"empty", "", "", 0, EncodingGSM7},
		{"gsm single full", strings.Repeat("a", 160), "", 1, EncodingGSM7},
		{"gsm two", strings.Repeat("a", 161), "", 2, EncodingGSM7},
		{"gsm two full", strings.Repeat("a", 306), "", 2, EncodingGSM7},
		{"gsm three", strings.Repeat("a", 307), "", 3, EncodingGSM7},
		{"gsm extension counts twice", strings.Repeat("€", 80), "", 1, EncodingGSM7},
		{"gsm extension overflow", strings.Repeat("€", 81), "", 2, EncodingGSM7},
		// 152 plain + "{" would straddle the 153 boundary: moved whole.
		{"escape not split", strings.Repeat("a", 152) + "{" + strings.Repeat("a", 152), "", 3, EncodingGSM7},
		{"one chinese char flips to ucs2", strings.Repeat("a", 69) + "中", "", 1, EncodingUCS2},
		{"ucs2 single full", strings.Repeat("中", 70), "", 1, EncodingUCS2},
		{"ucs2 two", strings.Repeat("中", 71), "", 2, EncodingUCS2},
		// Aliyun's example: 160 chars bill as 67+67+26.
		{"aliyun 160", strings.Repeat("中", 160), "", 3, EncodingUCS2},
		{"ucs2 134", strings.Repeat("中", 134), "", 2, EncodingUCS2},
		{"signature counted", strings.Repeat("中", 65), "市场监管", 2, EncodingUCS2}, // 【市场监管】=6, 71
		{"signature fits", strings.Repeat("中", 64), "市场监管", 1, EncodingUCS2},
		{"bracketed signature as is", strings.Repeat("中", 64), "【市场监管】", 1, EncodingUCS2},
		{"signature forces ucs2", "hello", "12315", 1, EncodingUCS2},
		{"emoji counts twice", strings.Repeat("😀", 35), "", 1, EncodingUCS2},
		{"emoji overflow", strings.Repeat("😀", 36), "", 2, EncodingUCS2},
		// 66 units + a surrogate pair would straddle 67: moved whole.
		// 66+2+66 = 134 units would fit two segments if the pair were split.
		{"surrogate not split", strings.Repeat("中", 66) + "😀" + strings.Repeat("中", 66), "", 3, EncodingUCS2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			n, enc := Segments(tt.text, tt.sig)
			if n != tt.want || enc != tt.enc {
				t.Errorf("Segments = %d, %s; want %d, %s", n, enc, tt.want, tt.enc)
			}
		})
	}
}

func TestFit(t *testing.T) {
	tests := []struct {
		name      string
		text, sig string
		max       int
		want      string
	}{
		{"fits", "hello", "", 1, "hello"},
		{"zero budget", "hello", "", 0, ""},
		{"gsm cut", strings.Repeat("a", 200), "", 1, strings.Repeat("a", 160)},
		{"ucs2 cut with signature", strings.Repeat("中", 200), "市场监管", 1, strings.Repeat("中", 64)},
		{"ucs2 two segments", strings.Repeat("中", 200), "市场监管", 2, strings.Repeat("中", 128)},
		{"emoji not split", strings.Repeat("中", 69) + "😀", "", 1, strings.Repeat("中", 69)},
		// Dropping the only non-GSM character lets the GSM budget apply.
		{"cut switches to gsm", strings.Repeat("a", 100) + "中" + strings.Repeat("a", 100), "", 1, strings.Repeat("a", 100)},
		{"signature alone too long", "x", strings.Repeat("签", 80), 1, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Fit(tt.text, tt.sig, tt.max)
			if got != tt.want {
				t.Errorf("Fit = %q (%d runes), want %d runes", got, utf8.RuneCountInString(got), utf8.RuneCountInString(tt.want))
			}
			if !utf8.ValidString(got) || !strings.HasPrefix(tt.text, got) {
				t.Errorf("Fit result is not a valid prefix: %q", got)
			}
			if n, _ := Segments(got, tt.sig); got != "" && n > tt.max {
				t.Errorf("Fit result needs %d segments, budget %d", n, tt.max)
			}
		})
	}
}

func TestFitExhaustiveEmoji(t *testing.T) {
	// Every cut of a mixed string stays within budget and keeps pairs whole.
	text := strings.Repeat("中😀a", 60)
	for max := 1; max <= 6; max++ {
		got := Fit(text, "签名", max)
		if n, _ := Segments(got, "签名"); n > max || !utf8.ValidString(got) {
			t.Fatalf("max %d: %d segments, valid %v", max, n, utf8.ValidString(got))
		}
		if got == text {
			continue
		}
		longer := text[:len(got)+utf8.RuneLen([]rune(text[len(got):])[0])]
		if n, _ := Segments(longer, "签名"); n <= max {
			t.Fatalf("max %d: Fit is not maximal", max)
		}
	}
}

func TestParseCommand(t *testing.T) {
	tests := []struct {
		in   string
		kind Kind
		code string
	}{
		{"查询 QH2024000123", StatusQuery, "QH2024000123"},
		{"查询QH2024000123", StatusQuery, "QH2024000123"},
		{"查询：qh2024000123。", StatusQuery, "QH2024000123"},
		{"查询\u3000ＱＨ２０２４０００１２３", StatusQuery, "QH2024000123"},
		{"  cx qh-2024-0001 ", StatusQuery, "QH-2024-0001"},
		{"CX：QH2024000123", StatusQuery, "QH2024000123"},
		{"ＣＸ　ＱＨ２０２４", StatusQuery, "QH2024"},
		{"cx2024000123", StatusQuery, "2024000123"},
		{"status QH2024000123", StatusQuery, "QH2024000123"},
		{"Status: qh2024000123!", StatusQuery, "QH2024000123"},
		{"查询", StatusQuery, ""},
		{"STATUS", StatusQuery, ""},
		{"查询一下我的投诉进度", Complaint, ""},
		{"CXK 商店卖假货", Complaint, ""},
		{"statuses are bad", Complaint, ""},
		{"cx abc", Complaint, ""}, // code too short
		{"T", OptOut, ""},
		{"t", OptOut, ""},
		{"TD", OptOut, ""},
		{"ｔｄ", OptOut, ""},
		{"退订", OptOut, ""},
		{" 退订。", OptOut, ""},
		{"【退订】", OptOut, ""},
		{"STOP", OptOut, ""},
		{"stop!", OptOut, ""},
		{"Unsubscribe", OptOut, ""},
		{"please STOP selling fakes", Complaint, ""},
		{"退订后还在发短信，我要投诉", Complaint, ""},
		{"某超市出售过期食品", Complaint, ""},
	}
	for _, tt := range tests {
		got, err := ParseCommand(tt.in)
		if err != nil {
			t.Errorf("ParseCommand(%q): %v", tt.in, err)
			continue
		}
		if got.Kind != tt.kind || got.Code != tt.code {
			t.Errorf("ParseCommand(%q) = %v %q, want %v %q", tt.in, got.Kind, got.Code, tt.kind, tt.code)
		}
		if got.Text != strings.TrimSpace(tt.in) {
			t.Errorf("ParseCommand(%q).Text = %q", tt.in, got.Text)
		}
	}
}

func TestParseCommandErrors(t *testing.T) {
	tests := []struct {
		in   string
		want error
	}{
		{"", channel.ErrEmpty},
		{" \u3000\n", channel.ErrEmpty},
		{strings.Repeat("投", MaxInboundRunes+1), channel.ErrTooLong},
	}
	for _, tt := range tests {
		if _, err := ParseCommand(tt.in); !errors.Is(err, tt.want) {
			t.Errorf("ParseCommand(%.10q) error = %v, want %v", tt.in, err, tt.want)
		}
	}
	if c, err := ParseCommand(strings.Repeat("投", MaxInboundRunes)); err != nil || c.Kind != Complaint {
		t.Errorf("limit-length text: %v %v", c.Kind, err)
	}
}

func TestKindString(t *testing.T) {
	if Complaint.String() != "complaint" || StatusQuery.String() != "status-query" || OptOut.String() != "opt-out" || Kind(9).String() != "Kind(9)" {
		t.Error("Kind.String")
	}
}
