package region

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// Match is a Qinghai place found in free text.
type Match struct {
	Code      string   // current 6-digit code: the county, or the prefecture/province when nothing finer was named
	Name      string   // official name of Code
	Level     Level    // level of Code
	Place     Region   // the division actually named (may be a town or a legacy county)
	Text      string   // the words in the text that named it
	Offset    int      // byte offset of Text in the searched text
	Evidence  string   // human-readable reason, for staff
	Ambiguous bool     // another, conflicting county was also named
	Others    []string // codes of the conflicting counties, if any
}

type hit struct {
	a          alias
	alts       []alias // shorter aliases matching at the same place, longest first
	start, end int
}

// maxScan bounds the text searched, so that huge inputs cost little.
const maxScan = 64 << 10

// scan finds aliases leftmost-longest, without overlaps.
func (g *Gazetteer) scan(text string) []hit {
	if len(text) > maxScan {
		text = text[:maxScan]
	}
	text = lowerASCII(text)
	var hits []hit
	for i := 0; i < len(text); {
		r, size := utf8.DecodeRuneInString(text[i:])
		var h *hit
		for _, a := range g.byFirst[r] {
			if !strings.HasPrefix(text[i:], a.text) {
				continue
			}
			if h == nil {
				h = &hit{a: a, start: i, end: i + len(a.text)}
			} else if h.a.code != "" {
				h.alts = append(h.alts, a)
			}
		}
		if h == nil {
			i += size
			continue
		}
		hits = append(hits, *h)
		i = h.end
	}
	return hits
}

// Resolve finds the most specific Qinghai place named in text. Names that
// other provinces share (城东区, 海南, 河南, 乌兰 …) are accepted only when the
// text also names Qinghai or one of the place's ancestors.
func (g *Gazetteer) Resolve(text string) (Match, bool) {
	return g.ResolveWithContext(text, "")
}

// ResolveWithContext is like Resolve, but places named in context (for
// example the complaint's full text when text is the business address) also
// count as Qinghai context. Only text is searched for the result.
func (g *Gazetteer) ResolveWithContext(text, context string) (Match, bool) {
	hits := g.scan(text)
	if len(hits) == 0 {
		return Match{}, false
	}
	var anchors []string // canonical codes named unconditionally
	for _, h := range append(g.scan(context), hits...) {
		if h.a.code != "" && h.a.needs == 0 {
			if c, ok := g.Canonical(h.a.code); ok {
				anchors = append(anchors, c)
			}
		}
	}
	var accepted []hit
	// Two passes: a '?' alias accepted in the first may anchor a '^' alias.
	for pass := 0; pass < 2; pass++ {
		accepted = accepted[:0]
		for _, h := range hits {
			for _, a := range append([]alias{h.a}, h.alts...) {
				if g.acceptable(a, anchors) {
					accepted = append(accepted, hit{a: a, start: h.start, end: h.start + len(a.text)})
					break
				}
			}
		}
		for _, h := range accepted {
			if h.a.needs == '?' {
				if c, ok := g.Canonical(h.a.code); ok {
					anchors = append(anchors, c)
				}
			}
		}
	}
	if len(accepted) == 0 {
		return Match{}, false
	}
	type cand struct {
		h        hit
		eff      Region // county (or coarser) the hit stands for
		rank     int
		support  int
		original Region
	}
	var cands []cand
	for _, h := range accepted {
		orig := *g.byCode[h.a.code]
		eff, ok := g.Lookup(h.a.code)
		if !ok {
			continue
		}
		if eff.Level == Town {
			if eff, ok = g.County(eff.Code); !ok {
				continue
			}
		}
		c := cand{h: h, eff: eff, original: orig, rank: int(eff.Level)}
		for _, o := range accepted {
			if o.start != h.start && g.Within(o.a.code, eff.Code) {
				c.support++
			}
		}
		cands = append(cands, c)
	}
	best := -1
	for i, c := range cands {
		if best < 0 {
			best = i
			continue
		}
		b := cands[best]
		switch {
		case c.rank != b.rank:
			if c.rank > b.rank {
				best = i
			}
		case c.support != b.support:
			if c.support > b.support {
				best = i
			}
		case (c.h.a.needs == 0) != (b.h.a.needs == 0):
			if c.h.a.needs == 0 {
				best = i
			}
		case len(c.h.a.text) > len(b.h.a.text):
			best = i
		}
	}
	b := cands[best]
	m := Match{Code: b.eff.Code, Name: b.eff.Name, Level: b.eff.Level, Place: b.original,
		Text: b.h.a.text, Offset: b.h.start}
	for _, c := range cands {
		if c.eff.Code != b.eff.Code && c.rank >= int(County) && !g.Within(c.eff.Code, b.eff.Code) && !g.Within(b.eff.Code, c.eff.Code) {
			if !contains(m.Others, c.eff.Code) {
				m.Others = append(m.Others, c.eff.Code)
			}
		}
	}
	m.Ambiguous = len(m.Others) > 0
	m.Evidence = g.evidence(m, b.support)
	return m, true
}

func (g *Gazetteer) acceptable(a alias, anchors []string) bool {
	switch {
	case a.code == "":
		return false
	case a.needs == '?':
		return len(anchors) > 0
	case a.needs == '^':
		return g.anchoredBy(a.code, anchors)
	}
	return true
}

func (g *Gazetteer) anchoredBy(code string, anchors []string) bool {
	c, ok := g.Canonical(code)
	if !ok {
		return false
	}
	for _, a := range anchors {
		if a != c && a != "630000" && g.Within(a, c) {
			return true
		}
	}
	return false
}

func (g *Gazetteer) evidence(m Match, support int) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%q → %s %s", m.Text, m.Code, m.Name)
	switch {
	case m.Place.Legacy():
		fmt.Fprintf(&b, " (old name %s, code %s retired %s)", m.Place.Name, m.Place.Code, m.Place.ValidTo)
	case m.Place.Level == Town:
		fmt.Fprintf(&b, " (town %s %s)", m.Place.Code, m.Place.Name)
	}
	if support > 0 {
		fmt.Fprintf(&b, "; confirmed by %d enclosing place name(s)", support)
	}
	if m.Ambiguous {
		fmt.Fprintf(&b, "; also named: %s", strings.Join(m.Others, ","))
	}
	return b.String()
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// lowerASCII lower-cases ASCII letters only, keeping byte offsets intact.
func lowerASCII(s string) string {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c >= 'A' && c <= 'Z' {
			b := []byte(s)
			for j := i; j < len(b); j++ {
				if b[j] >= 'A' && b[j] <= 'Z' {
					b[j] += 'a' - 'A'
				}
			}
			return string(b)
		}
	}
	return s
}
