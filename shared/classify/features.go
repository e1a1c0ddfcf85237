package classify

import (
	"fmt"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/open12315/intake/shared/hanzi"
)

// maxRunes bounds the text that is featurised: complaints longer than this
// are judged on their beginning, which keeps 100 KB inputs cheap.
const maxRunes = 2000

// feature is one hashed n-gram with where it came from in the normalised text.
type feature struct {
	h          uint64
	start, end int32 // byte offsets into the normalised text
}

// normalize folds full-width forms to ASCII and traditional Chinese
// characters to simplified ones (see package hanzi), lower-cases Latin
// letters and maps every digit to '0' so that amounts and dates share
// features. Other
// runes are kept; featurize decides what counts as a word character. Text
// beyond maxRunes runes is dropped, and invalid UTF-8 becomes spaces.
func normalize(s string) string {
	var b strings.Builder
	b.Grow(min(len(s), maxRunes*3))
	for i, n := 0, 0; i < len(s) && n < maxRunes; n++ {
		c := s[i]
		switch {
		case c < utf8.RuneSelf:
			b.WriteByte(foldASCII(c))
			i++
			continue
		case c >= 0xE4 && c <= 0xE9 && i+2 < len(s) && s[i+1]&0xC0 == 0x80 && s[i+2]&0xC0 == 0x80:
			// A valid three-byte rune of U+4000–U+9FFF (most Han
			// characters): copied as it is unless it is traditional.
			if r := rune(c&0x0F)<<12 | rune(s[i+1]&0x3F)<<6 | rune(s[i+2]&0x3F); hanzi.Traditional(r) {
				b.WriteRune(hanzi.Simplified(r))
			} else {
				b.WriteString(s[i : i+3])
			}
			i += 3
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		i += size
		r = hanzi.Simplified(r)
		switch {
		case r == utf8.RuneError:
			r = ' '
		case r >= 0xFF01 && r <= 0xFF5E: // full-width ASCII
			r -= 0xFEE0
		case r == 0x3000:
			r = ' '
		}
		if r < utf8.RuneSelf {
			b.WriteByte(foldASCII(byte(r)))
		} else {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// foldASCII maps a digit to '0' and an upper-case letter to lower case.
func foldASCII(c byte) byte {
	switch {
	case c >= '0' && c <= '9':
		return '0'
	case c >= 'A' && c <= 'Z':
		return c + 'a' - 'A'
	}
	return c
}

type script uint8

const (
	scNone script = iota
	scHan
	scLatin
	scDigit
)

func scriptOf(r rune) script {
	switch {
	case r == '0':
		return scDigit
	case r < utf8.RuneSelf:
		if r >= 'a' && r <= 'z' {
			return scLatin
		}
		return scNone
	case r >= 0x4E00 && r <= 0x9FFF:
		return scHan // CJK Unified Ideographs, all Han: most runes, without the table search
	case unicode.Is(unicode.Han, r):
		return scHan
	case unicode.IsLetter(r):
		return scLatin // other alphabets (Tibetan, Cyrillic…) are treated as words
	}
	return scNone
}

const (
	fnvOffset = 14695981039346656037
	fnvPrime  = 1099511628211
)

// hashString hashes an n-gram, word or other feature, told apart by seed:
// 64-bit FNV-1a, then a mixing step. FNV's top bits hardly depend on the
// last bytes, and the model's hash directory is indexed by the top bits
// (see hashIndex): without the mix, the words that share their first
// letters would crowd into a few of its buckets (with 16 bits, character
// trigrams hashed this way made a lookup read 5.2 records on average rather
// than 2.6). The mix (fold the high half onto the low,
// then multiply by an odd constant) is a bijection, so it adds no
// collisions.
func hashString(seed byte, s string) uint64 {
	h := uint64(fnvOffset)
	h ^= uint64(seed)
	h *= fnvPrime
	for i := 0; i < len(s); i++ {
		h ^= uint64(s[i])
		h *= fnvPrime
	}
	return (h ^ h>>32) * 0x9e3779b97f4a7c15
}

// gramHash hashes a character n-gram given as its runes, 21 bits each,
// the first highest: a unigram is its rune, a bigram a<<21|b and a trigram
// a<<42|b<<21|c. No rune in an n-gram is 0 (featurize takes only printable
// characters), so the three kinds fill disjoint ranges of keys and cannot
// collide. The key is mixed by MurmurHash3's 64-bit finaliser, a bijection
// whose every output bit depends on every input bit, so the hash directory's
// top bits spread n-grams evenly. It costs a fixed few instructions,
// where hashing a trigram's nine bytes one at a time cost nine dependent
// multiplications.
func gramHash(k uint64) uint64 {
	k ^= k >> 33
	k *= 0xff51afd7ed558ccd
	k ^= k >> 33
	k *= 0xc4ceb9fe1a85ec53
	return k ^ k>>33
}

// catalogueSeed marks features that stand for a catalogue class (see rules).
const catalogueSeed = 'C'

// lengthSeed marks the feature that stands for a text's length band.
const lengthSeed = 'L'

// lengthBands are the lower bounds, in runes, of the bands a text's length
// falls in, each about half again as long as the one before; a text shorter
// than the first is in band 0.
var lengthBands = [...]int{6, 10, 15, 22, 32, 48, 70, 100, 150, 250}

// lengthFeature is the one feature that tells how long a text of n runes
// is: its band of lengthBands. How much people write differs with what they
// write about, and that is all a model has to go on when the words name no
// product ("物流太慢", "差评"); on the os10-negative reviews this feature
// alone was worth 35 cases in the 4,982 of a validation split (0.9047 →
// 0.9117). Its span is empty, at the end of the normalised text t, so that
// no words are quoted for it (see lengthEvidence).
func lengthFeature(n int, t string) feature {
	b := 0
	for b < len(lengthBands) && n >= lengthBands[b] {
		b++
	}
	return feature{lengthHashes[b], int32(len(t)), int32(len(t))}
}

// lengthHashes are the features of the bands.
var lengthHashes = func() (hs [len(lengthBands) + 1]uint64) {
	for b := range hs {
		hs[b] = hashString(lengthSeed, string(rune('a'+b)))
	}
	return hs
}()

// lengthEvidence names the band of length feature h as evidence shows it
// ("[length:15-21]"), or reports false for another feature.
func lengthEvidence(h uint64) (string, bool) {
	for b, x := range lengthHashes {
		if x != h {
			continue
		}
		switch {
		case b == 0:
			return fmt.Sprintf("[length:<%d]", lengthBands[0]), true
		case b == len(lengthBands):
			return fmt.Sprintf("[length:%d+]", lengthBands[b-1]), true
		}
		return fmt.Sprintf("[length:%d-%d]", lengthBands[b-1], lengthBands[b]-1), true
	}
	return "", false
}

// featurize appends the features of normalised text t to dst: character
// uni-, bi- and tri-grams within runs of Han characters, whole words and word
// bigrams within runs of letters (English from tourists), and a digit-run
// marker. Punctuation, spaces and emoji break runs.
func featurize(dst []feature, t string) []feature {
	type pos struct{ start, end int32 }
	var win [3]pos // last three Han runes
	var rw [3]rune // and the runes themselves
	nwin := 0
	var prevWord pos
	havePrevWord := false
	i := 0
	for i < len(t) {
		r, size := hanzi.DecodeRune(t, i)
		sc := scriptOf(r)
		switch sc {
		case scHan:
			havePrevWord = false
			p := pos{int32(i), int32(i + size)}
			win[0], win[1], win[2] = win[1], win[2], p
			rw[0], rw[1], rw[2] = rw[1], rw[2], r
			if nwin < 3 {
				nwin++
			}
			dst = append(dst, feature{gramHash(uint64(r)), p.start, p.end})
			if nwin >= 2 {
				dst = append(dst, feature{gramHash(uint64(rw[1])<<21 | uint64(r)), win[1].start, p.end})
			}
			if nwin >= 3 {
				dst = append(dst, feature{gramHash(uint64(rw[0])<<42 | uint64(rw[1])<<21 | uint64(r)), win[0].start, p.end})
			}
			i += size
		case scLatin:
			nwin = 0
			j := i + size
			for j < len(t) {
				r2, s2 := utf8.DecodeRuneInString(t[j:])
				if scriptOf(r2) != scLatin {
					break
				}
				j += s2
			}
			w := pos{int32(i), int32(j)}
			if j-i > 1 && !stopword(t[i:j]) {
				dst = append(dst, feature{hashString('w', t[i:j]), w.start, w.end})
				if havePrevWord {
					dst = append(dst, feature{hashString('b', t[prevWord.start:j]), prevWord.start, w.end})
				}
				prevWord, havePrevWord = w, true
			}
			i = j
		case scDigit:
			j := i
			for j < len(t) && t[j] == '0' {
				j++
			}
			dst = append(dst, feature{hashString('d', t[i:min(j, i+4)]), int32(i), int32(j)})
			p := pos{int32(i), int32(i + 1)}
			win[0], win[1], win[2] = win[1], win[2], p
			rw[0], rw[1], rw[2] = rw[1], rw[2], rune(t[i])
			nwin = min(nwin+1, 3)
			if nwin >= 2 {
				dst = append(dst, feature{gramHash(uint64(rw[1])<<21 | uint64(t[i])), win[1].start, p.end})
			}
			i = j
		default:
			havePrevWord = havePrevWord && (r == ' ' || r == '\'')
			if unicode.IsSpace(r) || !unicode.IsPrint(r) {
				nwin = 0
				i += size
				continue
			}
			// Punctuation and symbols join the character window: their
			// n-grams with neighbouring characters carry style and negation.
			p := pos{int32(i), int32(i + size)}
			win[0], win[1], win[2] = win[1], win[2], p
			rw[0], rw[1], rw[2] = rw[1], rw[2], r
			nwin = min(nwin+1, 3)
			if nwin >= 2 {
				dst = append(dst, feature{gramHash(uint64(rw[1])<<21 | uint64(r)), win[1].start, p.end})
			}
			if nwin >= 3 {
				dst = append(dst, feature{gramHash(uint64(rw[0])<<42 | uint64(rw[1])<<21 | uint64(r)), win[0].start, p.end})
			}
			i += size
		}
	}
	return dst
}

var englishStop = []string{"a", "an", "and", "are", "at", "be", "for", "i", "in", "is", "it", "me", "my", "of", "on", "the", "to", "was", "we", "with"}

func stopword(w string) bool {
	_, ok := slices.BinarySearch(englishStop, w)
	return ok
}

// informative reports whether normalised text has anything to classify:
// at least one Han character or Latin word.
func informative(t string) bool {
	for _, r := range t {
		if sc := scriptOf(r); sc == scHan || sc == scLatin {
			return true
		}
	}
	return false
}
