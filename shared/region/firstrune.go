package region

import (
	"maps"
	"slices"
)

// firstRunes finds the entries (aliases, words) that may start with a rune,
// for scanners that try every character of a text: a bitmap of the
// entries' first runes turns most characters away at once, and a table
// indexed by a rune's low 12 bits gives the others their list. A list
// holds the entries of every first rune that shares those bits, each
// rune's in their own order, so a caller must still check that an entry
// starts where it looks, as it does anyway. A lookup costs two array
// reads rather than a map's hashing.
type firstRunes[T any] struct {
	bits  [1 << 16 / 64]uint64
	slot  [1 << 12]uint16 // 1 + the index in lists, 0 for none
	lists [][]T
}

// newFirstRunes indexes the entries of by under their first runes.
func newFirstRunes[T any](by map[rune][]T) *firstRunes[T] {
	f := &firstRunes[T]{}
	for _, r := range slices.Sorted(maps.Keys(by)) {
		f.bits[(r&0xffff)/64] |= 1 << (r & 63)
		s := &f.slot[r&(1<<12-1)]
		if *s == 0 {
			f.lists = append(f.lists, nil)
			*s = uint16(len(f.lists))
		}
		f.lists[*s-1] = append(f.lists[*s-1], by[r]...)
	}
	return f
}

// lookup returns the entries that may start with r: all of those that do,
// in the order they were given, among others that do not.
func (f *firstRunes[T]) lookup(r rune) []T {
	if f.bits[(r&0xffff)/64]&(1<<(r&63)) == 0 {
		return nil
	}
	if s := f.slot[r&(1<<12-1)]; s != 0 {
		return f.lists[s-1]
	}
	return nil
}
