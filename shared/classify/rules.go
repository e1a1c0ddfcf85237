package classify

import (
	"bufio"
	"fmt"
	"io"
	"slices"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/open12315/intake/shared/hanzi"
)

// A rule adds Weight to Class of Field when any of its terms occurs in the
// normalised text. Field "catalogue" maps product words to CCA classes; its
// matches also become model features. Field "agency" boosts the referral
// agencies, as the other fields' rules boost their classes (a model without
// an agency head takes the agency whose rule weighs most). Rules are data
// (data/rules.tsv), written where the law or the catalogue is a rule; the
// statistical model handles the rest.
type rule struct {
	field, class string
	weight       float64
	fi           int // the field's number, for match
}

// blockField is the field of rules whose terms are words that contain a
// shorter term of another rule but mean something else (保险杠, a bumper,
// is no insurance): where one occurs, no shorter term starting there fires.
const blockField = "-"

type termRef struct {
	term string
	rule int
	// after holds up to four bytes of the term after its first rune,
	// little-endian, and afterMask selects them: a cheap first test of a
	// candidate before comparing the whole term.
	after, afterMask uint32
}

// newTermRef returns the reference to term of rule i.
func newTermRef(term string, i int) termRef {
	_, size := utf8.DecodeRuneInString(term)
	ref := termRef{term: term, rule: i}
	for k, b := range []byte(term[size:min(len(term), size+4)]) {
		ref.after |= uint32(b) << (8 * k)
		ref.afterMask |= 0xff << (8 * k)
	}
	return ref
}

// next4 returns the four bytes of t from i, little-endian, and false when
// fewer remain.
func next4(t string, i int) (uint32, bool) {
	if i+4 > len(t) {
		return 0, false
	}
	return uint32(t[i]) | uint32(t[i+1])<<8 | uint32(t[i+2])<<16 | uint32(t[i+3])<<24, true
}

// Rules is a compiled rule set. A nil *Rules matches nothing.
type Rules struct {
	rules   []rule
	fields  []string // the fields of the rules, numbered in order of appearance
	byFirst map[rune][]termRef
	// lists[bmp[r]-1] is byFirst[r] for a rune r of the Basic
	// Multilingual Plane (bmp[r] is 0 when no term starts with r): an
	// array lookup where a map lookup would cost several times as much.
	bmp   [1 << 16]uint16
	lists [][]termRef
	// first has bit r&0xffff set when a term starts with rune r: most
	// runes start none, and the bit spares them the map lookup.
	first [1 << 16 / 64]uint64
}

// RuleHit is one rule that fired.
type RuleHit struct {
	Field, Class, Term string
	Weight             float64
}

// ParseRules reads a rule file: tab-separated field, class, weight and
// "|"-separated terms; '#' starts a comment line.
func ParseRules(r io.Reader) (*Rules, error) {
	rs := &Rules{byFirst: map[rune][]termRef{}}
	sc := bufio.NewScanner(r)
	n := 0
	for sc.Scan() {
		n++
		line := sc.Text()
		if strings.TrimSpace(line) == "" || strings.HasPrefix(line, "#") {
			continue
		}
		f := strings.Split(line, "\t")
		if len(f) != 4 {
			return nil, fmt.Errorf("rules line %d: want 4 tab-separated fields, got %d", n, len(f))
		}
		w, err := strconv.ParseFloat(f[2], 64)
		if err != nil {
			return nil, fmt.Errorf("rules line %d: weight: %w", n, err)
		}
		fi := slices.Index(rs.fields, f[0])
		if fi < 0 {
			if len(rs.fields) == maxRuleFields {
				return nil, fmt.Errorf("rules line %d: more than %d fields", n, maxRuleFields)
			}
			fi = len(rs.fields)
			rs.fields = append(rs.fields, f[0])
		}
		rs.rules = append(rs.rules, rule{field: f[0], class: f[1], weight: w, fi: fi})
		for _, t := range strings.Split(f[3], "|") {
			t = normalize(strings.TrimSpace(t))
			if t == "" {
				continue
			}
			r, _ := utf8.DecodeRuneInString(t)
			rs.byFirst[r] = append(rs.byFirst[r], newTermRef(t, len(rs.rules)-1))
			rs.first[(r&0xffff)/64] |= 1 << (r & 63)
		}
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("read rules: %w", err)
	}
	for r, list := range rs.byFirst {
		sort.SliceStable(list, func(i, j int) bool { return len(list[i].term) > len(list[j].term) })
		rs.byFirst[r] = list
		if r < 1<<16 {
			if len(rs.lists) == 1<<16-1 {
				return nil, fmt.Errorf("read rules: more than %d first characters", 1<<16-1)
			}
			rs.lists = append(rs.lists, list)
			rs.bmp[r] = uint16(len(rs.lists))
		}
	}
	return rs, nil
}

// maxRuleFields bounds the fields of a rule set (type, line, nature,
// agency, catalogue and blockers use six).
const maxRuleFields = 16

// match calls fn for every rule term found in normalised text t, with the
// term's span in t: at each position, every term that starts there, unless
// a match of the same field that started earlier still covers the position
// (a field's matches do not overlap; those of different fields may: the
// line's 然后就把我拉黑 and the agency's 就把我拉黑). A blocker covers its word
// for every field. Latin terms must match whole words. Quotation marks do
// not hide a term: 交“保证金”才能 holds 交保证金才能 (see unquote).
func (rs *Rules) match(t string, fn func(r rule, term string, start, end int)) {
	if rs == nil {
		return
	}
	if hasQuote(t) {
		u, sh := unquote(t)
		rs.matchPlain(u, func(r rule, term string, start, end int) {
			fn(r, term, sh.start(start), sh.end(end))
		})
		return
	}
	rs.matchPlain(t, fn)
}

// quoteMarks are the quotation marks that unquote takes out of a text
// before its rules are matched.
const quoteMarks = "\"“”‘’「」『』"

// hasQuote reports whether t holds one of quoteMarks. It looks at bytes
// (“ is E2 80 9C, 「 is E3 80 8C), as strings.ContainsAny with a set of
// multi-byte runes would cost more than the rules' own matching.
func hasQuote(t string) bool {
	for i := 0; i < len(t); i++ {
		switch c := t[i]; {
		case c == '"':
			return true
		case (c == 0xE2 || c == 0xE3) && i+2 < len(t) && t[i+1] == 0x80:
			d := t[i+2]
			if c == 0xE2 && (d == 0x98 || d == 0x99 || d == 0x9C || d == 0x9D) || c == 0xE3 && d >= 0x8C && d <= 0x8F {
				return true
			}
		}
	}
	return false
}

// unquote returns t without its quotation marks, and where the result's
// offsets lie in t. A mark between two Latin letters or digits becomes a
// space (said"no" stays two words), and a right single quotation mark after
// a Latin letter an apostrophe (can’t).
func unquote(t string) (string, shifts) {
	var b strings.Builder
	b.Grow(len(t))
	var sh shifts
	for i := 0; i < len(t); {
		r, size := utf8.DecodeRuneInString(t[i:])
		if !strings.ContainsRune(quoteMarks, r) {
			b.WriteString(t[i : i+size])
			i += size
			continue
		}
		prev, _ := utf8.DecodeLastRuneInString(t[:i])
		next, _ := utf8.DecodeRuneInString(t[i+size:])
		kept := 0
		switch {
		case r == '’' && scriptOf(prev) == scLatin:
			b.WriteByte('\'')
			kept = 1
		case scriptOf(prev) == scLatin && scriptOf(next) == scLatin:
			b.WriteByte(' ')
			kept = 1
		}
		by := size - kept
		if len(sh) > 0 {
			by += sh[len(sh)-1].by
		}
		sh = append(sh, shift{at: b.Len(), by: by})
		i += size
	}
	return b.String(), sh
}

// shifts map offsets in an unquoted text back to the text: from offset at
// of the unquoted text on (until the next shift), by bytes were taken out
// before it.
type shifts []shift

type shift struct{ at, by int }

// start maps the offset where a word starts.
func (sh shifts) start(u int) int {
	by := 0
	for _, s := range sh {
		if s.at > u {
			break
		}
		by = s.by
	}
	return u + by
}

// end maps the offset where a word ends, before any mark that follows it.
func (sh shifts) end(u int) int {
	by := 0
	for _, s := range sh {
		if s.at >= u {
			break
		}
		by = s.by
	}
	return u + by
}

// matchPlain is match on a text without quotation marks.
func (rs *Rules) matchPlain(t string, fn func(r rule, term string, start, end int)) {
	var next [maxRuleFields]int // per field, where its last match ends
	for i := 0; i < len(t); {
		r, size := hanzi.DecodeRune(t, i)
		if i > 0 && r < utf8.RuneSelf && scriptOf(r) == scLatin {
			if p, _ := utf8.DecodeLastRuneInString(t[:i]); scriptOf(p) == scLatin {
				i += size // not at a word start
				continue
			}
		}
		if rs.first[(r&0xffff)/64]&(1<<(r&63)) == 0 {
			i += size
			continue
		}
		covered := next // as it was before this position's matches
		var refs []termRef
		if r < 1<<16 {
			if k := rs.bmp[r]; k > 0 {
				refs = rs.lists[k-1]
			}
		} else {
			refs = rs.byFirst[r]
		}
		after, full := next4(t, i+size)
		blocked := 0 // the length of a blocking word here: shorter terms do not fire
		for _, ref := range refs {
			if len(ref.term) < blocked {
				break // refs run from the longest term to the shortest
			}
			if full && after&ref.afterMask != ref.after {
				continue
			}
			rl := &rs.rules[ref.rule]
			if covered[rl.fi] > i || !strings.HasPrefix(t[i:], ref.term) {
				continue
			}
			end := i + len(ref.term)
			if last, _ := utf8.DecodeLastRuneInString(ref.term); scriptOf(last) == scLatin && end < len(t) {
				if nx, _ := utf8.DecodeRuneInString(t[end:]); scriptOf(nx) == scLatin {
					continue
				}
			}
			if rl.field == blockField {
				// A word that merely contains shorter terms (保险杠
				// holds 保险): none of them fires here or inside it.
				// The same word as another rule's term still fires
				// for that rule (面包车 blocks 面包, not transport's
				// 面包车).
				for f := range next {
					next[f] = max(next[f], end)
				}
				blocked = len(ref.term)
				continue
			}
			fn(*rl, ref.term, i, end)
			next[rl.fi] = max(next[rl.fi], end)
		}
		i += size
	}
}

// hits returns the rules that fire on normalised text t, one per rule and
// term, in text order.
func (rs *Rules) hits(t string) []RuleHit {
	_, out := rs.scan(t, nil, nil)
	return out
}

// scan does hits and appendFeatures in one pass over t, appending the
// features to dst and the hits to out[:0].
func (rs *Rules) scan(t string, dst []feature, out []RuleHit) ([]feature, []RuleHit) {
	out = out[:0]
	rs.match(t, func(r rule, term string, start, end int) {
		if r.field == "catalogue" {
			dst = append(dst, feature{hashString(catalogueSeed, r.class), int32(start), int32(end)})
		}
		for _, h := range out {
			// A term in two rules for one class counts in both (the
			// larger weight wins when the boosts are summed up).
			if h.Field == r.field && h.Class == r.class && h.Term == term && h.Weight == r.weight {
				return
			}
		}
		out = append(out, RuleHit{Field: r.field, Class: r.class, Term: term, Weight: r.weight})
	})
	return dst, out
}

// appendFeatures adds one feature per catalogue class named in t.
func (rs *Rules) appendFeatures(dst []feature, t string) []feature {
	rs.match(t, func(r rule, term string, start, end int) {
		if r.field == "catalogue" {
			dst = append(dst, feature{hashString(catalogueSeed, r.class), int32(start), int32(end)})
		}
	})
	return dst
}
