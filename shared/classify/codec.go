package classify

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
	"strings"
)

// Model file magics. Version 7 is version 6 with character n-grams hashed
// from their runes (gramHash) rather than from their bytes, and a hash
// directory of 2^18 entries rather than 2^16: a version 6 file's n-gram
// hashes no longer match any text's, so it is refused like the older ones.
// Version 6 was version 5 with the feature hashes that hashString gives
// since it mixes its result.
// Version 5 is laid out for use in place: after a small
// header (taxonomy version, components with their weight scales, their
// heads' classes, biases and temperatures) come the hash directory, one
// record per feature (hash, end of its row, idf) and the fused rows'
// entries, exactly as classification reads them (see hashIndex and fused),
// so loading it takes no decoding. A component's weighting byte may carry
// vocabMassBit (naive Bayes over selected n-grams), which readers before it
// refuse as an unknown weighting rather than misread. Version 4 kept
// hashes, idf and row offsets in three tables and each weight as a float32;
// versions 1–3 held each head's weights separately. Older versions are
// recognised only to ask for retraining.
const (
	modelMagicPrefix = "I12315M"
	modelMagic       = "I12315M7"
)

// dirBits is how many of a hash's top bits index the hash directory, and
// dirSize the number of its entries. With 2^18 buckets for the shipped
// model's 214,000 features, a lookup of a held-out text's n-gram reads 1.37
// records on average (2.6 with 2^16); the directory takes 1 MB of the file.
// In interleaved runs classification was 5% faster than with 2^17 and 2^16
// bits behind that, 2^19 slower again.
const (
	dirBits  = 18
	dirShift = 64 - dirBits
	dirSize  = 1<<dirBits + 1
)

// MarshalBinary encodes the model in a deterministic format (version 7).
func (m *Model) MarshalBinary() ([]byte, error) {
	if len(m.comps) == 0 {
		return nil, errors.New("classify: encode model: no components")
	}
	if m.rows.ends == nil {
		if err := m.pack(); err != nil {
			return nil, err
		}
	}
	var b bytes.Buffer
	b.WriteString(modelMagic)
	writeStr(&b, m.Version)
	writeU32(&b, uint32(m.index.n))
	writeU32(&b, uint32(len(m.comps)))
	for ci, c := range m.comps {
		wb := byte(c.weighting)
		if c.vocabMass {
			wb |= vocabMassBit
		}
		b.WriteByte(wb)
		writeF32s(&b, []float32{c.weight, m.rows.scale[ci]})
		writeU32(&b, uint32(len(c.heads)))
		for _, h := range c.heads {
			writeStr(&b, h.field)
			writeU32(&b, uint32(len(h.classes)))
			for _, c := range h.classes {
				writeStr(&b, c)
			}
			writeF32s(&b, h.bias)
			writeF32s(&b, h.perToken)
			writeF32s(&b, []float32{h.temp})
		}
	}
	writeU32(&b, uint32(m.rows.nEnt))
	hasIDF := uint32(0)
	if m.hasIDF {
		hasIDF = 1
	}
	writeU32(&b, hasIDF)
	b.Write(m.index.dir)
	b.Write(m.index.rec)
	b.Write(m.rows.ent)
	return b.Bytes(), nil
}

// UnmarshalBinary reads a model written by MarshalBinary. The model keeps
// referring to data, which must not be modified afterwards.
func (m *Model) UnmarshalBinary(data []byte) error {
	d := decoder{b: data}
	switch magic := string(d.bytes(len(modelMagic))); {
	case magic == modelMagic:
		return m.view(&d)
	case strings.HasPrefix(magic, modelMagicPrefix):
		return fmt.Errorf("classify: model file version %s is no longer read: retrain it with intakectl train", magic[len(modelMagicPrefix):])
	}
	return errors.New("classify: not a model file")
}

// view sets m up over a version 7 file, checking its header and sizes but
// not reading its weights.
func (m *Model) view(d *decoder) error {
	*m = Model{Version: d.str()}
	n := int(d.u32())
	nc := int(d.u32())
	if d.err == nil && (nc < 1 || nc > maxComponents) {
		d.err = errors.New("bad component count")
	}
	for ci := 0; ci < nc && d.err == nil; ci++ {
		wb := d.byte()
		c := &component{weighting: Weighting(wb &^ vocabMassBit), vocabMass: wb&vocabMassBit != 0}
		c.weight, m.rows.scale[ci] = d.weightAndScale()
		if c.weighting > LogTFIDF && d.err == nil {
			d.err = errors.New("unknown weighting")
		}
		nh := int(d.u32())
		if d.err == nil && nh > 16 {
			d.err = errors.New("too many heads")
		}
		for i := 0; i < nh && d.err == nil; i++ {
			c.heads = append(c.heads, d.headMeta())
		}
		m.comps = append(m.comps, c)
	}
	nEnt := int(d.u32())
	hasIDF := d.u32()
	if d.err == nil && hasIDF > 1 {
		d.err = errors.New("bad idf flag")
	}
	if d.err != nil {
		return fmt.Errorf("classify: model header: %w", d.err)
	}
	if err := m.checkHeads(); err != nil {
		return err
	}
	scale := m.rows.scale
	m.rows.layout(m.comps)
	m.rows.nEnt, m.rows.scale = nEnt, scale
	m.hasIDF = hasIDF == 1
	if !m.hasIDF && slices.ContainsFunc(m.comps, func(c *component) bool { return c.weighting == LogTFIDF }) {
		return errors.New("classify: decode model: idf missing")
	}
	sizes := []int{4 * dirSize, recSize * n, m.rows.entSize() * nEnt}
	total := 0
	for _, s := range sizes {
		if s < 0 || s > len(d.b) {
			return fmt.Errorf("classify: decode model: %w", io.ErrUnexpectedEOF)
		}
		total += s
	}
	if total != len(d.b) {
		if total > len(d.b) {
			return fmt.Errorf("classify: decode model: %w", io.ErrUnexpectedEOF)
		}
		return errors.New("classify: decode model: trailing data")
	}
	m.index = hashIndex{n: n, dir: d.bytes(sizes[0]), rec: d.bytes(sizes[1])}
	m.rows.ends, m.rows.ent = m.index.rec, d.bytes(sizes[2])
	// The ends of the tables, which any damage to the sizes would move.
	if binary.LittleEndian.Uint32(m.index.dir[4*(dirSize-1):]) != uint32(n) ||
		(n == 0 && nEnt != 0) ||
		(n > 0 && binary.LittleEndian.Uint32(m.index.rec[recSize*(n-1)+recEnd:]) != uint32(nEnt)) {
		return errors.New("classify: decode model: tables do not add up")
	}
	m.Weighting = m.comps[0].weighting
	return nil
}

// checkHeads checks that every component has a head for the same fields, in
// the same order, and that the first predicts each of them; a later one
// predicts a field with the first's classes or leaves it out (a head
// without classes).
func (m *Model) checkHeads() error {
	for _, c := range m.comps[1:] {
		if !sameHeads(m.comps[0].heads, c.heads) {
			return errors.New("classify: decode model: components disagree on fields or classes")
		}
	}
	for _, h := range m.comps[0].heads {
		if len(h.classes) == 0 {
			return errors.New("classify: decode model: a field without classes")
		}
	}
	return nil
}

// sameHeads reports whether a later component's heads b match the first
// component's a: the same fields in the same order, each with a's classes
// or with none (a field b leaves to the other components).
func sameHeads(a, b []*head) bool {
	return slices.EqualFunc(a, b, func(x, y *head) bool {
		return x.field == y.field && (len(y.classes) == 0 || slices.Equal(x.classes, y.classes))
	})
}

// pack builds the fused rows from the heads' own weights and drops those.
func (m *Model) pack() error {
	if len(m.comps) == 0 {
		return errors.New("classify: model without components")
	}
	if err := m.checkHeads(); err != nil {
		return err
	}
	r := &m.rows
	r.layout(m.comps)
	if r.classes > 1<<16 {
		return errors.New("classify: model has too many classes")
	}
	n := m.index.n
	es := r.entSize()
	nEnt := 0
	for ci, c := range m.comps {
		// Each component's weights are stored as multiples of one scale,
		// the largest magnitude over 32767: the rounding error, at most half
		// a scale, is some 10⁻⁴ of a weight that decides anything.
		var most float64
		for _, h := range c.heads {
			if len(h.classes) == 0 {
				continue // a field the component leaves out
			}
			if len(h.rowStart) != n+1 {
				return errors.New("classify: head weights do not match the features")
			}
			nEnt += len(h.ent)
			for _, e := range h.ent {
				most = max(most, math.Abs(float64(e.w)))
			}
		}
		r.scale[ci] = 1
		if most > 0 && !math.IsInf(most, 0) {
			r.scale[ci] = float32(most / math.MaxInt16)
		}
	}
	r.ends = m.index.rec
	r.ent = make([]byte, 0, es*nEnt)
	var tmp [4]byte
	for f := range n {
		for ci, c := range m.comps {
			for hi, h := range c.heads {
				if len(h.classes) == 0 {
					continue
				}
				for _, e := range h.ent[h.rowStart[f]:h.rowStart[f+1]] {
					q := math.Round(float64(e.w) / float64(r.scale[ci]))
					if q == 0 || math.IsNaN(q) {
						continue
					}
					g := r.base[ci][hi] + int(e.cls)
					if r.width == 1 {
						tmp[0] = byte(g)
					} else {
						binary.LittleEndian.PutUint16(tmp[:], uint16(g))
					}
					binary.LittleEndian.PutUint16(tmp[r.width:], uint16(int16(max(-math.MaxInt16, min(q, math.MaxInt16)))))
					r.ent = append(r.ent, tmp[:es]...)
				}
			}
		}
		binary.LittleEndian.PutUint32(r.ends[recSize*f+recEnd:], uint32(len(r.ent)/es))
	}
	nEnt = len(r.ent) / es
	r.nEnt = nEnt
	for _, c := range m.comps {
		for _, h := range c.heads {
			h.rowStart, h.ent = nil, nil
		}
	}
	m.Weighting = m.comps[0].weighting
	return nil
}

// headMeta reads a head's field, classes, biases and temperature.
func (d *decoder) headMeta() *head {
	h := &head{field: d.str()}
	nc := int(d.u32())
	if nc > 1<<15 {
		d.err = errors.New("too many classes")
		return h
	}
	for j := 0; j < nc && d.err == nil; j++ {
		h.classes = append(h.classes, d.str())
	}
	h.bias = d.f32s()
	h.perToken = d.f32s()
	if t := d.f32s(); len(t) == 1 {
		h.temp = t[0]
	}
	if d.err == nil && (len(h.bias) != nc || len(h.perToken) != nc) {
		d.err = errors.New("inconsistent head")
	}
	return h
}

// weightAndScale reads a component's share in the ensemble and the scale
// of its stored weights.
func (d *decoder) weightAndScale() (float32, float32) {
	if w := d.f32s(); len(w) == 2 && w[0] > 0 && !math.IsInf(float64(w[0]), 0) && w[1] > 0 && !math.IsInf(float64(w[1]), 0) {
		return w[0], w[1]
	}
	if d.err == nil {
		d.err = errors.New("bad component weight or scale")
	}
	return 0, 0
}

// vocabMassBit marks, in a component's weighting byte, a component whose
// smoothing counts only the n-grams it has weights for (see
// component.vocabMass). A reader that predates it rejects the weighting.
const vocabMassBit = 0x80

// hashIndex finds a feature hash's position among the model's sorted
// hashes through a directory of their top dirBits bits: a few records to scan
// per lookup. A feature's record holds, besides its hash, the end of its
// row of weights and its idf, so that the memory a lookup brings in is all
// that scoring the feature needs before its row. Both tables are kept as
// little-endian bytes, as the model file holds them.
type hashIndex struct {
	n   int
	dir []byte // dirSize uint32: dir[b] is the first position whose top dirBits bits are ≥ b
	rec []byte // n records of recSize bytes: hash uint64, row end uint32, idf float32
}

// The layout of a feature record.
const (
	recSize = 16
	recEnd  = 8  // uint32: offset of the entry after the feature's row (see fused)
	recIDF  = 12 // float32: the feature's inverse document frequency
)

// newHashIndex indexes sorted hashes, with empty rows and an idf of 1.
func newHashIndex(hashes []uint64) hashIndex {
	x := hashIndex{n: len(hashes), dir: make([]byte, 4*dirSize), rec: make([]byte, recSize*len(hashes))}
	for i, h := range hashes {
		binary.LittleEndian.PutUint64(x.rec[recSize*i:], h)
		binary.LittleEndian.PutUint32(x.rec[recSize*i+recIDF:], math.Float32bits(1))
	}
	j := 0
	for b := range dirSize {
		for j < len(hashes) && hashes[j]>>dirShift < uint64(b) {
			j++
		}
		binary.LittleEndian.PutUint32(x.dir[4*b:], uint32(j))
	}
	return x
}

func (x hashIndex) get(h uint64) (int32, bool) {
	if x.n == 0 {
		return 0, false
	}
	b := 4 * int(h>>dirShift)
	lo, hi := int(binary.LittleEndian.Uint32(x.dir[b:])), int(binary.LittleEndian.Uint32(x.dir[b+4:]))
	for i := lo; i < min(hi, x.n); i++ {
		switch v := binary.LittleEndian.Uint64(x.rec[recSize*i:]); {
		case v == h:
			return int32(i), true
		case v > h:
			return 0, false
		}
	}
	return 0, false
}

// prefetchDir asks for the directory entries of feats.
func (x hashIndex) prefetchDir(feats []feature) {
	for _, f := range feats {
		prefetch(&x.dir[4*int(f.h>>dirShift)])
	}
}

// prefetch asks for the records that lookupAll will read first for feats,
// so that other work can go on while they arrive.
func (x hashIndex) prefetch(feats []feature) {
	if x.n == 0 {
		return
	}
	for _, f := range feats {
		lo := min(int(binary.LittleEndian.Uint32(x.dir[4*int(f.h>>dirShift):])), x.n-1)
		prefetch(&x.rec[recSize*lo])
		// The next cache line too, when a bucket's records run into it
		// (a lookup reads 1.37 records on average): without it, 8
		// interleaved rounds ran 6% slower.
		if j := recSize*lo + 2*recSize; j < len(x.rec) {
			prefetch(&x.rec[j])
		}
	}
}

// lookupAll writes into out (len(feats) long) the index of each feature,
// or -1 for those the model lacks. It is get for many hashes at once, in
// three passes — directory, first candidate record, search — so that the
// processor waits for the many cache misses of one pass together rather
// than one after another, as a search that branches on each loaded hash
// must.
func (x hashIndex) lookupAll(feats []feature, out []int32) []int32 {
	out = out[:len(feats)]
	if x.n == 0 {
		for i := range out {
			out[i] = -1
		}
		return out
	}
	for i, f := range feats {
		out[i] = int32(min(int(binary.LittleEndian.Uint32(x.dir[4*int(f.h>>dirShift):])), x.n))
	}
	// Mark (bit 30) the features whose first candidate is a match, without
	// a branch on the loaded hash. (n < 2^30: each record takes 16 bytes of
	// the model file.)
	for i, f := range feats {
		lo := out[i]
		if j := recSize * int(lo); j+8 <= len(x.rec) {
			var hit int32
			if binary.LittleEndian.Uint64(x.rec[j:]) == f.h {
				hit = 1
			}
			out[i] = lo | hit<<30
		}
	}
	for i, f := range feats {
		lo := int(out[i])
		if lo&(1<<30) != 0 {
			out[i] = int32(lo &^ (1 << 30))
			continue
		}
		hi := min(int(binary.LittleEndian.Uint32(x.dir[4*int(f.h>>dirShift)+4:])), x.n)
		out[i] = -1
		for j := lo; j < hi; j++ {
			if v := binary.LittleEndian.Uint64(x.rec[recSize*j:]); v >= f.h {
				if v == f.h {
					out[i] = int32(j)
				}
				break
			}
		}
	}
	return out
}

// idf returns the inverse document frequency of feature f (1 for an
// unknown feature).
func (x hashIndex) idf(f int32) float32 {
	if f < 0 || int(f) >= x.n {
		return 1
	}
	return math.Float32frombits(binary.LittleEndian.Uint32(x.rec[recSize*int(f)+recIDF:]))
}

func writeU32(b *bytes.Buffer, x uint32) { binary.Write(b, binary.LittleEndian, x) }

func writeStr(b *bytes.Buffer, s string) {
	writeU32(b, uint32(len(s)))
	b.WriteString(s)
}

func writeF32s(b *bytes.Buffer, xs []float32) {
	writeU32(b, uint32(len(xs)))
	var tmp [4]byte
	for _, x := range xs {
		binary.LittleEndian.PutUint32(tmp[:], math.Float32bits(x))
		b.Write(tmp[:])
	}
}

type decoder struct {
	b   []byte
	err error
}

func (d *decoder) bytes(n int) []byte {
	if d.err != nil {
		return nil
	}
	if n < 0 || n > len(d.b) {
		d.err = io.ErrUnexpectedEOF
		return nil
	}
	out := d.b[:n]
	d.b = d.b[n:]
	return out
}

func (d *decoder) byte() byte {
	if b := d.bytes(1); b != nil {
		return b[0]
	}
	return 0
}

func (d *decoder) u32() uint32 {
	if b := d.bytes(4); b != nil {
		return binary.LittleEndian.Uint32(b)
	}
	return 0
}

func (d *decoder) str() string { return string(d.bytes(int(d.u32()))) }

func (d *decoder) f32s() []float32 {
	n := int(d.u32())
	if d.err == nil && n > len(d.b)/4 {
		d.err = io.ErrUnexpectedEOF
		return nil
	}
	raw := d.bytes(4 * n)
	if d.err != nil {
		return nil
	}
	out := make([]float32, n)
	for i := range out {
		out[i] = math.Float32frombits(binary.LittleEndian.Uint32(raw[4*i:]))
	}
	return out
}
