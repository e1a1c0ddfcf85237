package classify

import (
	"slices"
	"strings"
	"testing"
)

// TestRuleMatching checks how rule terms match: Latin terms only as whole
// words, every term that starts at a place fires, a repeated term counts
// once, and a blocking word ("-") keeps the shorter terms it contains from
// firing.
func TestRuleMatching(t *testing.T) {
	rs, err := ParseRules(strings.NewReader(strings.Join([]string{
		"# a comment",
		"agency\tfinance\t1\t保险|保险公司|bank",
		"line\treferral\t3\t保险",
		"-\t-\t0\t保险杠",
		"line\tfood\t2\t火锅",
	}, "\n")))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		text string
		want []string // field/class/term of each hit, in order
	}{
		{"保险公司拒赔", []string{"agency/finance/保险公司", "agency/finance/保险", "line/referral/保险"}},
		{"还车时说后保险杠有划痕", nil},
		{"保险杠刮了，保险公司不赔", []string{"agency/finance/保险公司", "agency/finance/保险", "line/referral/保险"}},
		{"火锅 火锅", []string{"line/food/火锅"}},
		{"my bank card", []string{"agency/finance/bank"}},
		{"the banker said", nil}, // not a whole word
	}
	for _, tt := range tests {
		var got []string
		for _, h := range rs.hits(normalize(tt.text)) {
			got = append(got, h.Field+"/"+h.Class+"/"+h.Term)
		}
		if !slices.Equal(got, tt.want) {
			t.Errorf("hits(%q) = %v, want %v", tt.text, got, tt.want)
		}
	}
}

func TestParseRulesErrors(t *testing.T) {
	for _, in := range []string{"line\tfood\t2", "line\tfood\tx\t火锅"} {
		if _, err := ParseRules(strings.NewReader(in)); err == nil {
			t.Errorf("ParseRules(%q): no error", in)
		}
	}
}

// TestShippedBlockers checks the shipped rules on words that contain a
// referral term but are market matters.
func TestShippedBlockers(t *testing.T) {
	rs, err := DefaultRules()
	if err != nil {
		t.Fatal(err)
	}
	for _, text := range []string{"租车还车说后保险杠有划痕，扣了押金", "电动车保险丝烧了"} {
		for _, h := range rs.hits(normalize(text)) {
			if h.Field == "agency" || h.Class == "referral" {
				t.Errorf("hits(%q) include %+v", text, h)
			}
		}
	}
}
