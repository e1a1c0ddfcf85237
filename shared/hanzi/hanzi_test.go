package hanzi

import (
	"strings"
	"testing"
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
