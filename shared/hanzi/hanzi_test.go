package hanzi

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestFold(t *testing.T) {
	tests := []struct{ in, want string }{
		{"在格爾木市昆侖路一家超市買的酸奶", "在格尔木市昆仑路一家超市买的酸奶"},
		{"玉樹市買的藏毯，老闆說是純羊毛", "玉树市买的藏毯，老板说是纯羊毛"},
		{"年保玉則景區門口", "年保玉则景区门口"},
		{"西宁市城东区超市卖过期酸奶", "西宁市城东区超市卖过期酸奶"}, // simplified already
		{"Golmud 4S店 😡 12315", "Golmud 4S店 😡 12315"},
		{"\xff買\xe8", "\xff买\xe8"}, // invalid bytes stay as they are
		{"", ""},
	}
	for _, tt := range tests {
		got := Fold(tt.in)
		if got != tt.want {
			t.Errorf("Fold(%q) = %q, want %q", tt.in, got, tt.want)
		}
		if len(got) != len(tt.in) {
			t.Errorf("Fold(%q) changed the length: %d → %d", tt.in, len(tt.in), len(got))
		}
	}
}

// TestTable checks every pair: three bytes each way, a real change, and no
// simplified character that is itself folded again.
func TestTable(t *testing.T) {
	n := 0
	for line := range strings.Lines(table) {
		if strings.HasPrefix(line, "#") {
			continue
		}
		n++
		tr, s, _ := strings.Cut(strings.TrimRight(line, "\n"), "\t")
		if len(tr) != 3 || len(s) != 3 || tr == s {
			t.Errorf("bad pair %q → %q", tr, s)
		}
	}
	if n < 2500 {
		t.Errorf("only %d pairs", n)
	}
	for i, s := range to {
		if Traditional(s) {
			t.Errorf("%c folds to %c, which folds again", from[i], s)
		}
	}
}

func TestFoldDoesNotAllocateForSimplified(t *testing.T) {
	s := strings.Repeat("西宁市城东区超市卖过期酸奶，要求退一赔十。", 10)
	if n := testing.AllocsPerRun(100, func() { _ = Fold(s) }); n != 0 {
		t.Errorf("Fold allocates %v times for simplified text", n)
	}
}

// TestDecodeRune checks DecodeRune against utf8.DecodeRuneInString on every
// three-byte sequence that starts with a lead byte of three-byte runes, at
// the end of a string and before more text, and on every single byte.
func TestDecodeRune(t *testing.T) {
	check := func(s string, i int) {
		t.Helper()
		r, n := DecodeRune(s, i)
		wr, wn := utf8.DecodeRuneInString(s[i:])
		if r != wr || n != wn {
			t.Fatalf("DecodeRune(% x, %d) = %U, %d; want %U, %d", s, i, r, n, wr, wn)
		}
	}
	for c := 0xE0; c <= 0xEF; c++ {
		for b1 := range 256 {
			for b2 := range 256 {
				s := string([]byte{'a', byte(c), byte(b1), byte(b2)})
				for _, s := range []string{s, s[:3], s + "x"} {
					check(s, 1)
				}
			}
		}
	}
	for c := range 256 {
		check(string([]byte{'a', byte(c)}), 1)
		check(string([]byte{byte(c), 'a'}), 0)
	}
}
