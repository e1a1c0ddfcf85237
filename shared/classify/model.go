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
// n-grams. Naive Bayes and logistic regression both train into this form:
// score(c) = Bias[c] + Σ_f x_f·(PerToken[c] + w[f][c]), with w sparse.
type Model struct {
	Version   string // taxonomy version the labels belong to
	Weighting Weighting
	hashes    []uint64 // sorted feature hashes
	idf       []float32
	index     map[uint64]int32
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
	cls      []uint16
	w        []float32
}

// Fields reports which fields the model predicts.
func (m *Model) Fields() []string {
	var out []string
	for _, h := range m.heads {
		out = append(out, h.field)
	}
	return out
}

// Classes returns the labels the model knows for field.
func (m *Model) Classes(field string) []string {
	if h := m.head(field); h != nil {
		return slices.Clone(h.classes)
	}
	return nil
}

func (m *Model) head(field string) *head {
	for _, h := range m.heads {
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

// vectorize turns features into the model's feature space.
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
		if f, ok := m.index[feats[i].h]; ok {
			v.idx = append(v.idx, f)
			v.val = append(v.val, float32(j-i))
			v.src = append(v.src, feats[i])
		}
		i = j
	}
	m.weigh(v)
}

func (m *Model) weigh(v *docVec) {
	switch m.Weighting {
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
		for e := h.rowStart[f]; e < h.rowStart[f+1]; e++ {
			out[h.cls[e]] += x * float64(h.w[e])
		}
	}
	return out
}

// weight returns the weight of feature f for class c.
func (h *head) weight(f int32, c int) float32 {
	w := h.perToken[c]
	for e := h.rowStart[f]; e < h.rowStart[f+1]; e++ {
		if int(h.cls[e]) == c {
			return w + h.w[e]
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

const modelMagic = "I12315M1"

// MarshalBinary encodes the model in a compact, deterministic format.
func (m *Model) MarshalBinary() ([]byte, error) {
	var b bytes.Buffer
	b.WriteString(modelMagic)
	writeStr(&b, m.Version)
	b.WriteByte(byte(m.Weighting))
	writeU32(&b, uint32(len(m.hashes)))
	for _, h := range m.hashes {
		binary.Write(&b, binary.LittleEndian, h)
	}
	writeF32s(&b, m.idf)
	writeU32(&b, uint32(len(m.heads)))
	for _, h := range m.heads {
		writeStr(&b, h.field)
		writeU32(&b, uint32(len(h.classes)))
		for _, c := range h.classes {
			writeStr(&b, c)
		}
		writeF32s(&b, h.bias)
		writeF32s(&b, h.perToken)
		writeF32s(&b, []float32{h.temp})
		// Rows as counts per feature, then entries.
		writeU32(&b, uint32(len(h.cls)))
		for f := 0; f+1 < len(h.rowStart); f++ {
			writeU32(&b, uint32(h.rowStart[f+1]-h.rowStart[f]))
		}
		for _, c := range h.cls {
			binary.Write(&b, binary.LittleEndian, c)
		}
		writeF32s(&b, h.w)
	}
	return b.Bytes(), nil
}

// UnmarshalBinary decodes a model written by MarshalBinary.
func (m *Model) UnmarshalBinary(data []byte) error {
	d := decoder{b: data}
	if string(d.bytes(len(modelMagic))) != modelMagic {
		return errors.New("classify: not a model file")
	}
	m.Version = d.str()
	m.Weighting = Weighting(d.byte())
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
	nh := int(d.u32())
	if nh > 16 {
		d.err = errors.New("too many heads")
	}
	m.heads = nil
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
		counts := d.bytes(4 * n)
		if d.err != nil {
			break
		}
		for f := 0; f < n; f++ {
			h.rowStart[f+1] = h.rowStart[f] + int32(binary.LittleEndian.Uint32(counts[4*f:]))
		}
		if int(h.rowStart[n]) != ne {
			d.err = errors.New("row counts do not add up")
			break
		}
		cr := d.bytes(2 * ne)
		if d.err != nil {
			break
		}
		h.cls = make([]uint16, ne)
		for e := range h.cls {
			h.cls[e] = binary.LittleEndian.Uint16(cr[2*e:])
			if int(h.cls[e]) >= nc {
				d.err = errors.New("class index out of range")
			}
		}
		h.w = d.f32s()
		if d.err == nil && len(h.w) != ne {
			d.err = errors.New("weight count mismatch")
		}
		m.heads = append(m.heads, h)
	}
	if d.err != nil {
		return fmt.Errorf("classify: decode model: %w", d.err)
	}
	if len(d.b) != 0 {
		return errors.New("classify: decode model: trailing data")
	}
	if m.Weighting == LogTFIDF && len(m.idf) != n {
		return errors.New("classify: decode model: idf size mismatch")
	}
	m.buildIndex()
	return nil
}

func (m *Model) buildIndex() {
	m.index = make(map[uint64]int32, len(m.hashes))
	for i, h := range m.hashes {
		m.index[h] = int32(i)
	}
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
