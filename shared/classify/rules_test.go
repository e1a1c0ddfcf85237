package classify

import (
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"
)

// TestRuleMatching checks how rule terms match: Latin terms only as whole
// words, every term that starts at a place fires, a repeated term counts
// once, a field's matches do not overlap but different fields' may, and a
// blocking word ("-") keeps the shorter terms it contains from firing.
func TestRuleMatching(t *testing.T) {
	rs, err := ParseRules(strings.NewReader(strings.Join([]string{
		"# a comment",
		"agency\tfinance\t1\t保险|保险公司|bank",
		"line\treferral\t3\t保险",
		"-\t-\t0\t保险杠",
		"line\tquality\t2\t保险杠",
		"line\tfood\t2\t火锅",
		"line\tfood\t4\t火锅|食物中毒",
		"line\treferral\t4\t然后就把我拉黑",
		"agency\tpolice\t1.5\t就把我拉黑|拉黑",
	}, "\n")))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		text string
		want []string // field/class/term of each hit, in order
	}{
		{"保险公司拒赔", []string{"agency/finance/保险公司", "agency/finance/保险", "line/referral/保险"}},
		// A blocking word hides the shorter terms inside it, not another
		// rule's term that is the same word.
		{"还车时说后保险杠有划痕", []string{"line/quality/保险杠"}},
		{"保险杠刮了，保险公司不赔", []string{"line/quality/保险杠", "agency/finance/保险公司", "agency/finance/保险", "line/referral/保险"}},
		{"火锅 火锅", []string{"line/food/火锅", "line/food/火锅"}}, // once per rule: weights 2 and 4
		{"my bank card", []string{"agency/finance/bank"}},
		{"the banker said", nil}, // not a whole word
		// The line's term covers the agency's, which still fires; the
		// agency's own shorter term inside its longer one does not.
		{"付了钱然后就把我拉黑了", []string{"line/referral/然后就把我拉黑", "agency/police/就把我拉黑"}},
		// Quotation marks do not hide a term, nor join two Latin words.
		{"说是“保险”公司的人", []string{"agency/finance/保险公司", "agency/finance/保险", "line/referral/保险"}},
		{"说是『保险杠』坏了", []string{"line/quality/保险杠"}},
		{`the "bank" said`, []string{"agency/finance/bank"}},
		{`my"bank"card`, []string{"agency/finance/bank"}},
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

// TestUnquote checks that the offsets unquote returns lead back to the
// same words in the text with its quotation marks.
func TestUnquote(t *testing.T) {
	tests := []struct{ in, want string }{
		{"交“保证金”才能", "交保证金才能"},
		{"no quotes", "no quotes"},
		{`said"no"`, "said no"},
		{"can’t return", "can't return"},
		{"「火锅」‘店’", "火锅店"},
		{"“", ""},
		{"。、，：；（）", "。、，：；（）"}, // other punctuation of the same blocks stays
	}
	for _, tt := range tests {
		if want := strings.ContainsAny(tt.in, quoteMarks); hasQuote(tt.in) != want {
			t.Errorf("hasQuote(%q) = %v, want %v", tt.in, !want, want)
		}
		got, sh := unquote(tt.in)
		if got != tt.want {
			t.Errorf("unquote(%q) = %q, want %q", tt.in, got, tt.want)
			continue
		}
		if e := sh.start(len(got)); e != len(tt.in) {
			t.Errorf("unquote(%q): the end maps to %d, want %d", tt.in, e, len(tt.in))
		}
		for i := range len(got) {
			// A byte comes from the same byte, or stands for a mark.
			o := sh.start(i)
			if r, _ := utf8.DecodeRuneInString(tt.in[o:]); tt.in[o] != got[i] && !strings.ContainsRune(quoteMarks, r) {
				t.Errorf("unquote(%q): byte %d (%q) comes from offset %d", tt.in, i, got[i], o)
			}
		}
	}
	// A word's span in the text leaves out the marks around it.
	u, sh := unquote("交“保证金”才能")
	i := strings.Index(u, "保证金")
	if w := "交“保证金”才能"[sh.start(i):sh.end(i+len("保证金"))]; w != "保证金" {
		t.Errorf("span of 保证金 = %q", w)
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
// referral term but are market matters (a pet hospital is no hospital, a
// van selling goods no transport service).
func TestShippedBlockers(t *testing.T) {
	rs, err := DefaultRules()
	if err != nil {
		t.Fatal(err)
	}
	for _, text := range []string{"租车还车说后保险杠有划痕，扣了押金", "电动车保险丝烧了", "宠物医院乱收费 城西区", "猫寄养在宠物店，接回来病了，宠物医生说是猫鼻支", "有个开面包车卖牦牛肉干的，散装的没标签"} {
		for _, h := range rs.hits(normalize(text)) {
			// A pet hospital leans away from referral and, when it is
			// one after all, names the 12345 hotline (for the
			// veterinary bureau), never the health commission.
			if h.Field == "agency" && h.Class != "general" || h.Class == "referral" && h.Weight > 0 {
				t.Errorf("hits(%q) include %+v", text, h)
			}
		}
	}
}

// TestShippedRulesNoShadowedTerms checks that no term of the shipped rules
// boosts one field's class twice: only the largest positive weight of a
// class counts, so a second copy of a term (in its own row or a weaker
// one) would never matter and only hides which weight is in force. The
// catalogue and the blocking words are left out: each of their matches
// counts.
func TestShippedRulesNoShadowedTerms(t *testing.T) {
	type key struct{ field, class, term string }
	seen := map[key]int{} // line of the term's first positive row
	for n, line := range strings.Split(string(rulesTSV), "\n") {
		f := strings.Split(line, "\t")
		if strings.HasPrefix(line, "#") || len(f) != 4 || f[0] == "catalogue" || f[0] == blockField || strings.HasPrefix(f[2], "-") {
			continue
		}
		for _, term := range strings.Split(f[3], "|") {
			k := key{f[0], f[1], term}
			if first, ok := seen[k]; ok {
				t.Errorf("rules.tsv line %d: %s %s term %q already boosts the class on line %d", n+1, f[0], f[1], term, first)
				continue
			}
			seen[k] = n + 1
		}
	}
}

// TestNegativeRule checks that a rule with a negative weight holds its class
// back, whatever positive rule also fires, and says so in the evidence.
func TestNegativeRule(t *testing.T) {
	rs, err := ParseRules(strings.NewReader(strings.Join([]string{
		"line\treferral\t3\t保险|贷款",
		"line\treferral\t-2\t车行|金融服务费",
		"line\treferral\t-1\t车行",
		"line\tprice\t1\t收费",
	}, "\n")))
	if err != nil {
		t.Fatal(err)
	}
	base := mustDefault(t)
	c := New(nil, rs, base.Taxonomy, base.Gazetteer)
	referral := func(text string) (float64, string) {
		r := c.Classify(Input{Text: text})
		for _, s := range r.Line.Top {
			if s.Label == "referral" {
				return s.Confidence, strings.Join(r.Evidence, "; ")
			}
		}
		return 0, strings.Join(r.Evidence, "; ")
	}
	plain, _ := referral("保险收费")
	held, ev := referral("车行保险收费")
	if held >= plain {
		t.Errorf("referral %.3f with 车行, %.3f without: the negative rule did not hold it back", held, plain)
	}
	if !strings.Contains(ev, `rule "车行" (-2.0 referral)`) {
		t.Errorf("evidence %q does not name the rule that held referral back (the most negative weight)", ev)
	}
	both, _ := referral("车行金融服务费保险收费")
	if both != held {
		t.Errorf("two terms of one negative rule: referral %.3f, want %.3f as for one (a rule counts once)", both, held)
	}
}

// TestTermPrecheck checks that the quick test of the bytes after a term's
// first character never turns away a term the text holds there, on texts
// cut from the shipped terms (so that near misses abound), ends included.
func TestTermPrecheck(t *testing.T) {
	rs, err := DefaultRules()
	if err != nil {
		t.Fatal(err)
	}
	var terms []string
	for _, l := range rs.byFirst {
		for _, ref := range l {
			terms = append(terms, ref.term)
		}
	}
	slices.Sort(terms)
	rng := rand.New(rand.NewPCG(3, 5))
	checked := 0
	for range 3000 {
		var b strings.Builder
		for range 1 + rng.IntN(4) {
			w := terms[rng.IntN(len(terms))]
			b.WriteString(w[:len(w)-rng.IntN(2)*(len(w)/2)]) // whole, or cut
		}
		s := b.String()
		for i, r := range s {
			_, size := utf8.DecodeRuneInString(s[i:])
			after, full := next4(s, i+size)
			for _, ref := range rs.byFirst[r] {
				if !strings.HasPrefix(s[i:], ref.term) {
					continue
				}
				checked++
				if full && after&ref.afterMask != ref.after {
					t.Fatalf("%q at %d: precheck turns away %q", s, i, ref.term)
				}
			}
		}
	}
	if checked < 3000 {
		t.Errorf("only %d matches checked", checked)
	}
}
