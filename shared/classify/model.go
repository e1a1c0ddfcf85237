package classify

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
)

// Fields the statistical model can predict.
const (
	FieldType     = "type"
	FieldLine     = "line"
	FieldCCAClass = "cca_class"
	FieldNature   = "nature"
)

// Fields lists the model fields in a fixed order.
var Fields = []string{FieldType, FieldLine, FieldCCAClass, FieldNature}

// Weighting says how a document's n-gram counts become feature values.
type Weighting uint8

// Feature weightings.
const (
	// Counts uses raw counts (multinomial naive Bayes).
	Counts Weighting = iota
	// Binary uses 1 for every n-gram present.
	Binary
	// LogTFIDF uses (1+ln tf)·idf, L2-normalised over the document.
	LogTFIDF
)

// Model is a set of linear scorers (one per field) over hashed character
// n-grams. Naive Bayes, logistic regression and SVMs all train into this
// form: score(c) = Bias[c] + Σ_f x_f·(PerToken[c] + w[f][c]), with w sparse.
// A model may hold several such components (an ensemble) over the same
// features, each with its own weighting; a field's probabilities are then
// the weighted mean of the components' probabilities.
type Model struct {
	Version   string    // taxonomy version the labels belong to
	Weighting Weighting // weighting of the first component
	hashes    []uint64  // sorted feature hashes
	idf       []float32
	index     hashIndex
	comps     []*component
}

// component is one linear scorer per field with its feature weighting.
type component struct {
	weighting Weighting
	weight    float32 // share in the ensemble
	heads     []*head
}

// head scores one field.
type head struct {
	field    string
	classes  []string
	bias     []float32
	perToken []float32 // added once per unit of feature mass (naive Bayes smoothing)
	temp     float32   // softmax temperature for confidences
	rowStart []int32   // CSR over features: entries rowStart[f]..rowStart[f+1]
	ent      []entry
}

// entry is one nonzero weight: class and weight side by side, so that a
// feature's row is read from one place (scoring is bound by memory, not
// arithmetic).
type entry struct {
	w   float32
	cls uint16
}

// Fields reports which fields the model predicts.
func (m *Model) Fields() []string {
	var out []string
	if len(m.comps) > 0 {
		for _, h := range m.comps[0].heads {
			out = append(out, h.field)
		}
	}
	return out
}

// Components reports how many scorers the model averages (1 unless it is
// an ensemble).
func (m *Model) Components() int { return len(m.comps) }

// Classes returns the labels the model knows for field.
func (m *Model) Classes(field string) []string {
	if h := m.head(field); h != nil {
		return slices.Clone(h.classes)
	}
	return nil
}

// head returns the first component's head for field.
func (m *Model) head(field string) *head {
	if len(m.comps) == 0 {
		return nil
	}
	return m.comps[0].head(field)
}

func (c *component) head(field string) *head {
	for _, h := range c.heads {
		if h.field == field {
			return h
		}
	}
	return nil
}

// docVec is a document as (feature index, value) pairs plus the features'
// positions, for evidence.
type docVec struct {
	idx  []int32
	val  []float32
	mass float32
	src  []feature // one representative occurrence per idx entry
}

// vectorize turns features into the model's feature space with raw counts
// as values; weigh turns those into a component's feature values.
func (m *Model) vectorize(feats []feature, v *docVec) {
	v.idx, v.val, v.src, v.mass = v.idx[:0], v.val[:0], v.src[:0], 0
	slices.SortFunc(feats, func(a, b feature) int {
		switch {
		case a.h < b.h:
			return -1
		case a.h > b.h:
			return 1
		}
		return int(a.start - b.start)
	})
	for i := 0; i < len(feats); {
		j := i + 1
		for j < len(feats) && feats[j].h == feats[i].h {
			j++
		}
		if f, ok := m.index.get(feats[i].h); ok {
			v.idx = append(v.idx, f)
			v.val = append(v.val, float32(j-i))
			v.src = append(v.src, feats[i])
		}
		i = j
	}
	v.mass = 0
	for _, x := range v.val {
		v.mass += x
	}
}

// weighCopy sets dst to raw (counts) weighted by w, sharing raw's indices.
func (m *Model) weighCopy(w Weighting, raw, dst *docVec) {
	dst.idx, dst.src = raw.idx, raw.src
	dst.val = append(dst.val[:0], raw.val...)
	m.weigh(w, dst)
}

func (m *Model) weigh(w Weighting, v *docVec) {
	switch w {
	case Binary:
		for i := range v.val {
			v.val[i] = 1
		}
	case LogTFIDF:
		var norm float64
		for i, f := range v.idx {
			x := float32(1+math.Log(float64(v.val[i]))) * m.idf[f]
			v.val[i] = x
			norm += float64(x) * float64(x)
		}
		if norm > 0 {
			s := float32(1 / math.Sqrt(norm))
			for i := range v.val {
				v.val[i] *= s
			}
		}
	}
	var mass float32
	for _, x := range v.val {
		mass += x
	}
	v.mass = mass
}

// scores writes the raw linear scores of head h for v into out.
func (h *head) scores(v *docVec, out []float64) []float64 {
	out = out[:0]
	for c := range h.classes {
		out = append(out, float64(h.bias[c])+float64(v.mass)*float64(h.perToken[c]))
	}
	for i, f := range v.idx {
		x := float64(v.val[i])
		for _, e := range h.ent[h.rowStart[f]:h.rowStart[f+1]] {
			out[e.cls] += x * float64(e.w)
		}
	}
	return out
}

// probs writes into out the probabilities of field f's classes (those of h,
// the first component's head): the share-weighted mean of every
// component's softmax. vecs holds the document under each component's
// weighting; tmp is scratch.
func (m *Model) probs(f string, h *head, vecs []docVec, out []float64, tmp *[]float64) []float64 {
	out = h.scores(&vecs[0], out)
	softmax(out, h.temp)
	if len(m.comps) == 1 {
		return out
	}
	w0 := float64(m.comps[0].weight)
	total := w0
	for i := range out {
		out[i] *= w0
	}
	for ci, c := range m.comps[1:] {
		hc := c.head(f)
		if hc == nil || len(hc.classes) != len(out) {
			continue
		}
		*tmp = hc.scores(&vecs[ci+1], *tmp)
		softmax(*tmp, hc.temp)
		w := float64(c.weight)
		for i, p := range *tmp {
			out[i] += w * p
		}
		total += w
	}
	for i := range out {
		out[i] /= total
	}
	return out
}

// weight returns the weight of feature f for class c.
func (h *head) weight(f int32, c int) float32 {
	w := h.perToken[c]
	for _, e := range h.ent[h.rowStart[f]:h.rowStart[f+1]] {
		if int(e.cls) == c {
			return w + e.w
		}
	}
	return w
}

// softmax turns scores into probabilities in place, dividing by temp.
func softmax(s []float64, temp float32) {
	if len(s) == 0 {
		return
	}
	t := float64(temp)
	if t <= 0 {
		t = 1
	}
	mx := slices.Max(s)
	var sum float64
	for i, x := range s {
		e := math.Exp((x - mx) / t)
		s[i] = e
		sum += e
	}
	for i := range s {
		s[i] /= sum
	}
}

// Model file magics. Version 1 holds one component; version 2 holds
// several, each with its weighting and share. Version 3, the one written,
// has the layout of version 2 with compact rows: per-feature entry counts
// as uvarints and class indices as single bytes when there are at most 256
// classes. Versions 1 and 2 are still read.
const (
	modelMagic   = "I12315M1"
	modelMagicV2 = "I12315M2"
	modelMagicV3 = "I12315M3"
)

// MarshalBinary encodes the model in a compact, deterministic format.
func (m *Model) MarshalBinary() ([]byte, error) {
	if len(m.comps) == 0 {
		return nil, errors.New("classify: encode model: no components")
	}
	var b bytes.Buffer
	b.WriteString(modelMagicV3)
	writeStr(&b, m.Version)
	writeU32(&b, uint32(len(m.hashes)))
	var tmp [8]byte
	for _, h := range m.hashes {
		binary.LittleEndian.PutUint64(tmp[:], h)
		b.Write(tmp[:])
	}
	writeF32s(&b, m.idf)
	writeU32(&b, uint32(len(m.comps)))
	for _, c := range m.comps {
		b.WriteByte(byte(c.weighting))
		writeF32s(&b, []float32{c.weight})
		writeU32(&b, uint32(len(c.heads)))
		for _, h := range c.heads {
			h.marshal(&b)
		}
	}
	return b.Bytes(), nil
}

func (h *head) marshal(b *bytes.Buffer) {
	writeStr(b, h.field)
	writeU32(b, uint32(len(h.classes)))
	for _, c := range h.classes {
		writeStr(b, c)
	}
	writeF32s(b, h.bias)
	writeF32s(b, h.perToken)
	writeF32s(b, []float32{h.temp})
	// Rows as counts per feature, then entries.
	writeU32(b, uint32(len(h.ent)))
	var tmp [binary.MaxVarintLen32]byte
	for f := 0; f+1 < len(h.rowStart); f++ {
		b.Write(tmp[:binary.PutUvarint(tmp[:], uint64(h.rowStart[f+1]-h.rowStart[f]))])
	}
	narrow := len(h.classes) <= 256
	for _, e := range h.ent {
		if narrow {
			b.WriteByte(byte(e.cls))
		} else {
			binary.LittleEndian.PutUint16(tmp[:], e.cls)
			b.Write(tmp[:2])
		}
	}
	writeU32(b, uint32(len(h.ent)))
	for _, e := range h.ent {
		binary.LittleEndian.PutUint32(tmp[:], math.Float32bits(e.w))
		b.Write(tmp[:4])
	}
}

// UnmarshalBinary decodes a model written by MarshalBinary (either version).
func (m *Model) UnmarshalBinary(data []byte) error {
	d := decoder{b: data}
	magic := string(d.bytes(len(modelMagic)))
	if magic != modelMagic && magic != modelMagicV2 && magic != modelMagicV3 {
		return errors.New("classify: not a model file")
	}
	v2 := magic != modelMagic
	compact := magic == modelMagicV3
	m.Version = d.str()
	var w0 Weighting
	if !v2 {
		w0 = Weighting(d.byte())
	}
	n := int(d.u32())
	if d.err == nil && n > len(d.b)/8 {
		d.err = io.ErrUnexpectedEOF
	}
	if d.err != nil {
		return fmt.Errorf("classify: model header: %w", d.err)
	}
	m.hashes = make([]uint64, n)
	raw := d.bytes(8 * n)
	for i := range m.hashes {
		m.hashes[i] = binary.LittleEndian.Uint64(raw[8*i:])
	}
	m.idf = d.f32s()
	nc := 1
	if v2 {
		nc = int(d.u32())
		if nc < 1 || nc > 8 {
			d.err = errors.New("bad component count")
		}
	}
	m.comps = nil
	for ci := 0; ci < nc && d.err == nil; ci++ {
		c := &component{weighting: w0, weight: 1}
		if v2 {
			c.weighting = Weighting(d.byte())
			if w := d.f32s(); len(w) == 1 && w[0] > 0 && !math.IsInf(float64(w[0]), 0) {
				c.weight = w[0]
			} else if d.err == nil {
				d.err = errors.New("bad component weight")
			}
		}
		if c.weighting > LogTFIDF && d.err == nil {
			d.err = errors.New("unknown weighting")
		}
		c.heads = d.heads(n, compact)
		if c.weighting == LogTFIDF && len(m.idf) != n && d.err == nil {
			d.err = errors.New("idf size mismatch")
		}
		m.comps = append(m.comps, c)
	}
	if d.err != nil {
		return fmt.Errorf("classify: decode model: %w", d.err)
	}
	if len(d.b) != 0 {
		return errors.New("classify: decode model: trailing data")
	}
	for _, c := range m.comps[1:] {
		if !sameHeads(m.comps[0].heads, c.heads) {
			return errors.New("classify: decode model: components disagree on fields or classes")
		}
	}
	m.Weighting = m.comps[0].weighting
	m.buildIndex()
	return nil
}

func sameHeads(a, b []*head) bool {
	return slices.EqualFunc(a, b, func(x, y *head) bool {
		return x.field == y.field && slices.Equal(x.classes, y.classes)
	})
}

// heads decodes one component's heads over n features, with compact rows
// (version 3) or fixed-width ones.
func (d *decoder) heads(n int, compact bool) []*head {
	nh := int(d.u32())
	if nh > 16 {
		d.err = errors.New("too many heads")
	}
	var out []*head
	for i := 0; i < nh && d.err == nil; i++ {
		h := &head{field: d.str()}
		nc := int(d.u32())
		if nc > 1<<15 {
			d.err = errors.New("too many classes")
			break
		}
		for j := 0; j < nc && d.err == nil; j++ {
			h.classes = append(h.classes, d.str())
		}
		h.bias = d.f32s()
		h.perToken = d.f32s()
		if t := d.f32s(); len(t) == 1 {
			h.temp = t[0]
		}
		ne := int(d.u32())
		if d.err == nil && (ne > len(d.b) || len(h.bias) != nc || len(h.perToken) != nc) {
			d.err = errors.New("inconsistent head")
			break
		}
		h.rowStart = make([]int32, n+1)
		if compact {
			for f := 0; f < n && d.err == nil; f++ {
				x, k := binary.Uvarint(d.b)
				if k <= 0 || x > uint64(ne) || int64(h.rowStart[f])+int64(x) > int64(ne) {
					d.err = errors.New("bad row count")
					break
				}
				d.b = d.b[k:]
				h.rowStart[f+1] = h.rowStart[f] + int32(x)
			}
		} else {
			counts := d.bytes(4 * n)
			if d.err != nil {
				break
			}
			for f := 0; f < n; f++ {
				h.rowStart[f+1] = h.rowStart[f] + int32(binary.LittleEndian.Uint32(counts[4*f:]))
			}
		}
		if d.err != nil {
			break
		}
		if int(h.rowStart[n]) != ne {
			d.err = errors.New("row counts do not add up")
			break
		}
		width := 2
		if compact && nc <= 256 {
			width = 1
		}
		cr := d.bytes(width * ne)
		if d.err != nil {
			break
		}
		h.ent = make([]entry, ne)
		for e := range h.ent {
			c := uint16(0)
			if width == 1 {
				c = uint16(cr[e])
			} else {
				c = binary.LittleEndian.Uint16(cr[2*e:])
			}
			if int(c) >= nc {
				d.err = errors.New("class index out of range")
			}
			h.ent[e].cls = c
		}
		if nw := int(d.u32()); d.err == nil && nw != ne {
			d.err = errors.New("weight count mismatch")
		}
		wr := d.bytes(4 * ne)
		if d.err != nil {
			break
		}
		for e := range h.ent {
			h.ent[e].w = math.Float32frombits(binary.LittleEndian.Uint32(wr[4*e:]))
		}
		out = append(out, h)
	}
	return out
}

func (m *Model) buildIndex() { m.index = newHashIndex(m.hashes) }

// hashIndex finds a feature hash's position in the sorted hashes through a
// directory of their top 16 bits: a few entries to scan per lookup, 256 KiB
// whatever the model's size, built in one pass. (A Go map of the model's
// 300,000 hashes took a third of its load time and 10 MB of fresh memory.)
type hashIndex struct {
	hashes []uint64
	dir    []int32 // dir[b]: first position whose top 16 bits are ≥ b
}

func newHashIndex(hashes []uint64) hashIndex {
	dir := make([]int32, 1<<16+1)
	j := 0
	for b := range dir {
		for j < len(hashes) && hashes[j]>>48 < uint64(b) {
			j++
		}
		dir[b] = int32(j)
	}
	return hashIndex{hashes: hashes, dir: dir}
}

func (x hashIndex) get(h uint64) (int32, bool) {
	if len(x.dir) == 0 {
		return 0, false
	}
	b := h >> 48
	for i := x.dir[b]; i < x.dir[b+1]; i++ {
		switch v := x.hashes[i]; {
		case v == h:
			return i, true
		case v > h:
			return 0, false
		}
	}
	return 0, false
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
