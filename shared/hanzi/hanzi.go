// Package hanzi folds traditional Chinese characters to simplified ones, so
// that a complaint typed in traditional characters (格爾木, 買的) meets the
// same place names, rule words and model features as one typed in
// simplified characters.
//
// The table (t2s.txt) maps single characters only, and only pairs whose
// UTF-8 forms are both three bytes long: folding never changes a text's
// length or any byte offset, so callers may fold a text and keep using
// offsets found in the folded copy on the original.
package hanzi

import (
	_ "embed"
	"slices"
	"strings"
	"unicode/utf8"
)

//go:embed t2s.txt
var table string

var (
	// has has bit r set for every traditional character r in the table
	// (all are in the Basic Multilingual Plane).
	has [1 << 16 / 64]uint64
	// from and to hold the table's pairs, sorted by the traditional
	// character (as t2s.txt is): a search runs only for characters that
	// has marks, and building them costs less at start than a map.
	from, to []rune
	// lead marks the first bytes of the table's traditional characters.
	lead [256]bool
)

func init() {
	n := strings.Count(table, "\n")
	from, to = make([]rune, 0, n), make([]rune, 0, n)
	for line := range strings.Lines(table) {
		if strings.HasPrefix(line, "#") {
			continue
		}
		t, s, ok := strings.Cut(strings.TrimRight(line, "\n"), "\t")
		rt, nt := utf8.DecodeRuneInString(t)
		rs, ns := utf8.DecodeRuneInString(s)
		if !ok || nt != 3 || ns != 3 || len(t) != 3 || len(s) != 3 || (len(from) > 0 && rt <= from[len(from)-1]) {
			panic("hanzi: bad or unsorted line in t2s.txt: " + line)
		}
		has[rt/64] |= 1 << (rt % 64)
		from, to = append(from, rt), append(to, rs)
		lead[t[0]] = true
	}
	// A simplified form that is itself in the table (薴 → 苧 → 苎) folds
	// all the way at once.
	for i, s := range to {
		for j := 0; Traditional(s) && j < 4; j++ {
			s = lookup(s)
		}
		to[i] = s
	}
}

// lookup returns the table's simplified form of traditional character r.
func lookup(r rune) rune {
	if i, ok := slices.BinarySearch(from, r); ok {
		return to[i]
	}
	return r
}

// Traditional reports whether r is a traditional character that Fold
// changes.
func Traditional(r rune) bool {
	return r >= 0 && r < 1<<16 && has[r/64]&(1<<(r%64)) != 0
}

// Simplified returns the simplified form of a traditional character r, and
// r itself for any other rune.
func Simplified(r rune) rune {
	if !Traditional(r) {
		return r
	}
	return lookup(r)
}

// Fold returns s with its traditional characters replaced by simplified
// ones. The result has the same length as s, byte for byte; s itself is
// returned, without copying, when it holds no traditional character.
func Fold(s string) string {
	i := firstTraditional(s)
	if i < 0 {
		return s
	}
	b := []byte(s)
	for i < len(b) {
		r, size := utf8.DecodeRune(b[i:])
		if size == 3 && Traditional(r) {
			utf8.EncodeRune(b[i:], lookup(r))
		}
		i += size
	}
	return string(b)
}

// firstTraditional returns the byte offset of the first traditional
// character in s, or -1. It looks at lead bytes only: a continuation byte
// (0x80–0xBF) is never one, so scanning byte by byte cannot misread.
func firstTraditional(s string) int {
	for i := 0; i+2 < len(s); i++ {
		c := s[i]
		if !lead[c] || s[i+1]&0xC0 != 0x80 || s[i+2]&0xC0 != 0x80 {
			continue
		}
		if Traditional(rune(c&0x0F)<<12 | rune(s[i+1]&0x3F)<<6 | rune(s[i+2]&0x3F)) {
			return i
		}
	}
	return -1
}

// DecodeRune is utf8.DecodeRuneInString(s[i:]), with the three-byte runes
// of most Chinese text decoded inline (lead bytes E1–EF but ED, which need
// no check for overlong forms or surrogates): scanners that look at every
// character of a text call it once a character.
func DecodeRune(s string, i int) (rune, int) {
	if i+2 < len(s) {
		if c := s[i]; c >= 0xE1 && c != 0xED && s[i+1]&0xC0 == 0x80 && s[i+2]&0xC0 == 0x80 && c <= 0xEF {
			return rune(c&0x0F)<<12 | rune(s[i+1]&0x3F)<<6 | rune(s[i+2]&0x3F), 3
		}
	}
	if i < len(s) && s[i] < utf8.RuneSelf {
		return rune(s[i]), 1
	}
	return utf8.DecodeRuneInString(s[i:])
}
