package region

import (
	"strings"
	"testing"
)

func TestRespell(t *testing.T) {
	s := Default().spell
	for _, tt := range []struct{ text, want string }{
		{"在个儿木买了个电动车", "在格尔木买了个电动车"},     // two characters of 格尔木 by sound
		{"德令蛤河西街道一家美容店", "德令哈河西街道一家美容店"}, // a street that needs its city named
		{"民河县饭馆煤气罐过期", "民和县饭馆煤气罐过期"},     // a county's name with its suffix
		{"卓耳山骑马宰客", "卓尔山骑马宰客"},           // a landmark
		{"东西坏了都没人管", ""},                 // 了都 sounds like 乐都, but two characters are no name here
		{"我们到城中去吃饭", ""},                 // 城中去 is no 城中区: a suffix must be typed right
		{"取暖器给乡下的奶奶用", ""},               // 器给乡 sounds like 切吉乡, but keeps nothing of it
		{"格尔木昆仑路一家超市", ""},               // spelt right: nothing to do
		{"The hotel in Golmud", ""},
	} {
		got, changed := s.respell(tt.text)
		if tt.want == "" {
			if changed {
				t.Errorf("respell(%q) = %q, want it unchanged", tt.text, got)
			}
			continue
		}
		if !changed || got != tt.want {
			t.Errorf("respell(%q) = %q, %v; want %q", tt.text, got, changed, tt.want)
		}
		if len(got) != len(tt.text) {
			t.Errorf("respell(%q) changed the length: byte offsets would move", tt.text)
		}
	}
}

func TestResolveHomophones(t *testing.T) {
	g := Default()
	for _, tt := range []struct{ text, want string }{
		{"在个儿木买了个电动车，电池用了一个月就鼓包了", "632801"},
		{"德令蛤河西街道一家美容店给我做祛斑，脸烂了", "632802"},
		{"都蓝县香日得镇学校门口的小卖部卖过期辣条", "632822"},
		{"果洛大日县卖假中华", "632624"}, // a prefecture named right, its county by sound
		{"西宁程西区一家装修公司天天发虚假广告", "630104"},
	} {
		m, ok := g.Resolve(tt.text)
		if !ok || m.Code != tt.want {
			t.Errorf("Resolve(%q) = %s %v, want %s", tt.text, m.Code, ok, tt.want)
			continue
		}
		if !strings.Contains(m.Evidence, "read by its sound") {
			t.Errorf("Resolve(%q): evidence %q does not say the name was read by its sound", tt.text, m.Evidence)
		}
	}
}

// TestHomophoneTableCoversNames checks that data/homophones.tsv knows a
// sound of every character of the names the speller reads: a name added
// to qinghai.tsv with a new sound needs the table generated again
// (infra/tools/homophones).
func TestHomophoneTableCoversNames(t *testing.T) {
	s := Default().spell
	if len(s.names) < 100 {
		t.Fatalf("speller reads %d names; the gazetteer has hundreds", len(s.names))
	}
	for _, n := range s.names {
		for _, r := range n {
			if s.of(r)[0] == 0 {
				t.Errorf("no sound for %c of %s: run infra/tools/homophones again", r, string(n))
			}
		}
	}
}
