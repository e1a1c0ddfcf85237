package hanzi

import (
	"strings"
	"testing"
)

// BenchmarkFold measures Fold on simplified text, where it must only look:
// the common case.
func BenchmarkFold(b *testing.B) {
	s := strings.Repeat("我在西宁市城东区一家超市买的酸奶已经过期三天了，要求退一赔十。", 2)
	for b.Loop() {
		_ = Fold(s)
	}
}
