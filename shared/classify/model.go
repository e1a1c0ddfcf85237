package classify

import (
	"encoding/binary"
	"math"
	"slices"
)

// Fields the statistical model can predict.
const (
	FieldType     = "type"
	FieldLine     = "line"
	FieldCCAClass = "cca_class"
	FieldNature   = "nature"
	// FieldAgency is the agency a referral goes to. Its head learns from
	// the referrals alone (only they carry an agency), and only a case
	// whose line is "referral" is given one.
	FieldAgency = "agency"
)

// Fields lists the model fields in a fixed order. The agency comes after the
// line, which decides whether there is one.
var Fields = []string{FieldType, FieldLine, FieldCCAClass, FieldNature, FieldAgency}

// numFields is len(Fields).
const numFields = 5

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
// the weighted mean of the probabilities of the components that predict it.
// The first component predicts every field; a later one may leave some out
// (its head for such a field has no classes and no weights).
//
// Classification reads the weights of every component and field from one
// row per feature (see fused), in the byte layout of the model file: loading
// a model slices the file rather than decoding it, so a Lambda cold start
// pays only for the pages the first cases touch.
type Model struct {
	Version   string    // taxonomy version the labels belong to
	Weighting Weighting // weighting of the first component
	index     hashIndex // the sorted feature hashes, with each feature's idf and row end
	hasIDF    bool      // whether the idf has been computed (some component weighs by it)
	comps     []*component
	rows      fused
}

// component is one linear scorer per field with its feature weighting.
type component struct {
	weighting Weighting
	weight    float32 // share in the ensemble
	// vocabMass: the per-token smoothing counts only the n-grams that have
	// a weight in this component (naive Bayes over selected n-grams).
	vocabMass bool
	heads     []*head
}

// head scores one field. Its weights live in the model's fused rows; while
// training, and when an older model file is read, they are first held per
// head (rowStart, ent).
type head struct {
	field     string
	classes   []string
	bias      []float32
	perToken  []float32 // added once per unit of feature mass (naive Bayes smoothing)
	temp      float32   // softmax temperature for confidences
	vocabMass bool      // while training: see component.vocabMass
	rowStart  []int32   // CSR over features: entries rowStart[f]..rowStart[f+1]
	ent       []entry
}

// entry is one nonzero weight of a head being trained.
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
	if hi := m.headIndex(field); hi >= 0 {
		return slices.Clone(m.comps[0].heads[hi].classes)
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
	// rows holds, for each idx entry i, where its row of weights lies
	// among the model's fused entries: bytes rows[2i] to rows[2i+1]. It is
	// set by locateRows, and empty until then.
	rows []uint32
}

// vectorize turns features into the model's feature space with raw counts
// as values, in order of first occurrence. A feature's representative
// occurrence, for evidence, is its first in the text and the longest there
// (two catalogue terms of one class can start at one place). tab is
// scratch: an open-addressing table from feature index to its place in v,
// which is cheaper than sorting the n-grams to count them.
func (m *Model) vectorize(feats []feature, v *docVec, tab *[]int32) {
	v.idx, v.val, v.src, v.rows, v.mass = v.idx[:0], v.val[:0], v.src[:0], v.rows[:0], 0
	bits := 6
	for 1<<bits < 2*len(feats) {
		bits++
	}
	size := 1 << bits
	t := slices.Grow((*tab)[:0], size+len(feats))[:size+len(feats)]
	found := m.index.lookupAll(feats, t[size:])
	t = t[:size]
	clear(t)
	mask := uint32(size - 1)
	for i, f := range feats {
		idx := found[i]
		if idx < 0 {
			continue
		}
		for h := (uint32(idx) * 0x9e3779b1) >> (32 - bits); ; h = (h + 1) & mask {
			p := t[h] - 1
			if p < 0 {
				t[h] = int32(len(v.idx)) + 1
				v.idx = append(v.idx, idx)
				v.val = append(v.val, 1)
				v.src = append(v.src, f)
				break
			}
			if int(p) < len(v.idx) && v.idx[p] == idx {
				v.val[p]++
				if rep := v.src[p]; f.start < rep.start || (f.start == rep.start && f.end > rep.end) {
					v.src[p] = f
				}
				break
			}
		}
	}
	*tab = t[:cap(t)]
	for _, x := range v.val {
		v.mass += x
	}
}

// weighCopy sets dst to raw (counts) weighted by w, sharing raw's indices.
func (m *Model) weighCopy(w Weighting, raw, dst *docVec) {
	dst.idx, dst.src, dst.rows = raw.idx, raw.src, raw.rows
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
			x := m.index.idf(f)
			if c := v.val[i]; c != 1 { // most n-grams occur once: ln 1 = 0
				x *= float32(1 + math.Log(float64(c)))
			}
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

// scores writes the raw linear scores of head h, while it is being trained,
// for v into out.
func (h *head) scores(v *docVec, out []float64) []float64 {
	out = out[:0]
	mass := v.mass
	if h.vocabMass {
		mass = 0
		for i, f := range v.idx {
			if h.rowStart[f+1] > h.rowStart[f] {
				mass += v.val[i]
			}
		}
	}
	for c := range h.classes {
		out = append(out, float64(h.bias[c])+float64(mass)*float64(h.perToken[c]))
	}
	for i, f := range v.idx {
		x := float64(v.val[i])
		for _, e := range h.ent[h.rowStart[f]:h.rowStart[f+1]] {
			out[e.cls] += x * float64(e.w)
		}
	}
	return out
}

// fused holds every component's and field's weights as one row per
// feature, so that a document's features are looked up once for all of
// them. Classes are numbered across the model: component c's head h has
// the classes base[c][h] … base[c][h]+len(classes)-1.
//
// ends and ent are slices of the model file (or of what pack built): ends
// is the hash index's feature records, each holding at recEnd the
// little-endian uint32 offset of the entry after the feature's row (a row
// starts where the previous feature's ends), and ent the entries, each a
// class number (width bytes) followed by the weight as a little-endian
// int16, in units of its component's scale. Two bytes rather than a
// float32's four make an entry 3 bytes rather than 5 (the shipped model
// file was 6.7 MB rather than 9.7 when this was chosen), which the Lambda
// package and its cold start pay for; predictions on the development set
// are the same.
// Offsets and class numbers are checked where they are read, so a damaged
// file gives wrong scores, never a panic.
type fused struct {
	ends    []byte
	ent     []byte
	width   int // bytes per class number: 1, or 2 beyond 256 classes
	nEnt    int
	classes int
	comp    []uint8            // component of each class number
	head    []uint8            // head of each class number, numbered across the model
	only    [maxComponents]int // per component: its one head with classes, or -1
	base    [][]int
	scale   [maxComponents]float32 // per component: the weight of one unit
}

// entSize is the size in bytes of one entry.
func (r *fused) entSize() int { return r.width + 2 }

// weight decodes the weight of entry e, of component ci.
func (r *fused) weight(e []byte, ci int) float32 {
	return float32(int16(binary.LittleEndian.Uint16(e[r.width:]))) * r.scale[ci&(maxComponents-1)]
}

// layout numbers the classes of m's components and heads.
func (r *fused) layout(comps []*component) {
	r.classes, r.comp, r.head, r.base = 0, nil, nil, nil
	nh := 0
	for ci, c := range comps {
		var b []int
		r.only[ci&(maxComponents-1)] = -1
		if n := slices.IndexFunc(c.heads, func(h *head) bool { return len(h.classes) > 0 }); n >= 0 && !slices.ContainsFunc(c.heads[n+1:], func(h *head) bool { return len(h.classes) > 0 }) {
			r.only[ci&(maxComponents-1)] = nh + n
		}
		for _, h := range c.heads {
			b = append(b, r.classes)
			r.classes += len(h.classes)
			for range h.classes {
				r.comp = append(r.comp, uint8(ci))
				r.head = append(r.head, uint8(nh))
			}
			nh++
		}
		r.base = append(r.base, b)
	}
	for len(r.head) < 256 {
		r.head = append(r.head, 0) // for scoreNarrow's array
	}
	r.width = 1
	if r.classes > 256 {
		r.width = 2
	}
}

// row returns the entries of feature f (empty if the offsets are damaged).
func (r *fused) row(f int32) []byte {
	lo, hi := r.span(f)
	return r.ent[lo:hi]
}

// span returns where the entries of feature f lie in ent, in bytes (an
// empty span if the offsets are damaged).
func (r *fused) span(f int32) (int, int) {
	i := recSize*int(f) + recEnd
	if f < 0 || i+4 > len(r.ends) {
		return 0, 0
	}
	lo, hi := 0, int(binary.LittleEndian.Uint32(r.ends[i:]))
	if f > 0 {
		lo = int(binary.LittleEndian.Uint32(r.ends[i-recSize:]))
	}
	es := r.entSize()
	if lo > hi || hi*es > len(r.ent) {
		return 0, 0
	}
	return lo * es, hi * es
}

// class decodes the class number at the start of entry e.
func (r *fused) class(e []byte) int {
	if r.width == 1 {
		return int(e[0])
	}
	return int(binary.LittleEndian.Uint16(e))
}

// scoreAll writes into out the raw linear scores of every component's
// every head, numbered as in fused. vecs holds the document under each
// component's weighting (sharing one idx). If keep is not nil, scoreAll
// also keeps there the first component's stored weights for the evidence,
// for a model of at most 256 classes (see scoreNarrow).
func (m *Model) scoreAll(vecs []docVec, out []float64, keep *[]int16) []float64 {
	out = out[:0]
	if v := &vecs[0]; len(v.rows) != 2*len(v.idx) {
		m.locateRows(v)
	}
	for ci, c := range m.comps {
		mass := float64(vecs[ci].mass)
		if c.vocabMass {
			mass = 0 // see addVocabMass
		}
		for _, h := range c.heads {
			for k := range h.classes {
				out = append(out, float64(h.bias[k])+mass*float64(h.perToken[k]))
			}
		}
	}
	r := &m.rows
	var hmass [maxHeads]float32
	if r.width == 1 {
		var k []int16
		if keep != nil && len(m.comps) > 1 {
			n := len(vecs[0].idx) * r.base[1][0]
			k = slices.Grow((*keep)[:0], n+keepPad)[:n+keepPad]
			clear(k[:n])
			*keep = k
		}
		m.scoreNarrow(vecs, out, k, &hmass)
		m.addVocabMass(out, &hmass)
		return out
	}
	if keep != nil {
		*keep = (*keep)[:0]
	}
	comp, head := r.comp[:len(out)], r.head[:len(out)]
	var vocab [maxComponents]bool
	for ci, c := range m.comps {
		vocab[ci&(maxComponents-1)] = c.vocabMass
	}
	var xs [maxComponents]float64
	rows := vecs[0].rows
	for i := range vecs[0].idx {
		for ci := range m.comps {
			xs[ci] = float64(vecs[ci].val[i]) * float64(r.scale[ci])
		}
		last := -1
		for ent := r.ent[rows[2*i]:rows[2*i+1]]; len(ent) >= 4; ent = ent[4:] {
			if g := int(binary.LittleEndian.Uint16(ent)); g < len(comp) {
				ci := comp[g] & (maxComponents - 1)
				out[g] += xs[ci] * float64(int16(binary.LittleEndian.Uint16(ent[2:4])))
				if hd := int(head[g]); vocab[ci] && hd != last {
					hmass[hd%maxHeads] += vecs[ci].val[i]
					last = hd
				}
			}
		}
	}
	m.addVocabMass(out, &hmass)
	return out
}

// maxHeads bounds the heads of a model: maxComponents components of at
// most 16 heads each (see the decoder).
const maxHeads = maxComponents * 16

// addVocabMass adds to out, for the heads of the components that count
// the mass of their own vocabulary only (see component.vocabMass), the
// per-token smoothing times that mass, hmass[h] for head h (numbered
// across the model).
func (m *Model) addVocabMass(out []float64, hmass *[maxHeads]float32) {
	hd := 0
	for ci, c := range m.comps {
		for hi, h := range c.heads {
			if c.vocabMass {
				b := m.rows.base[ci][hi]
				x := float64(hmass[hd%maxHeads])
				for k, p := range h.perToken {
					if b+k < len(out) {
						out[b+k] += x * float64(p)
					}
				}
			}
			hd++
		}
	}
}

// scoreNarrow is scoreAll for models of at most 256 classes (one byte per
// class number), the common case: a row holds the first component's
// classes first, so the document value changes only where a row crosses
// into the next component, and a byte indexes a 256-entry array without a
// bounds check.
//
// If keep is not nil, it receives, for the document's feature i, the first
// component's stored weight for class g at keep[i·s+g], s being the number
// of that component's classes: the evidence then needs no second reading
// of the rows. keep ends in keepPad spare entries, so that each feature's
// part of it can be taken as a 256-entry array, which a byte indexes
// without a bounds check.
//
// hmass receives, for each head of a component that counts its own
// vocabulary's mass, the document's mass over the features the head has
// weights for (see scoreVocab).
func (m *Model) scoreNarrow(vecs []docVec, out []float64, keep []int16, hmass *[maxHeads]float32) {
	var acc [256]float64
	copy(acc[:], out)
	// ends[c] is the first class number after component c (256 for the
	// last): a row's entries for component c are those before ends[c].
	var ends [maxComponents]int
	// vocab[c]: component c counts its vocabulary's mass per head; one[c]
	// is its head when it has only one with classes (the common case:
	// naive Bayes for one field), whose mass a row adds to once, before
	// the plain loop, rather than entry by entry (scoreVocab).
	var vocab [maxComponents]bool
	var one [maxComponents]int
	for ci, c := range m.comps {
		ends[ci] = 256
		if ci+1 < len(m.comps) {
			ends[ci] = m.rows.base[ci+1][0]
		}
		vocab[ci&(maxComponents-1)] = c.vocabMass
		one[ci&(maxComponents-1)] = -1
		if c.vocabMass {
			one[ci&(maxComponents-1)] = m.rows.only[ci&(maxComponents-1)]
		}
	}
	r := &m.rows
	nc := min(len(m.comps), len(vecs), maxComponents)
	stride := ends[0]
	heads := (*[256]uint8)(r.head[:256]) // layout pads it
	rows := vecs[0].rows
	for i := range vecs[0].idx {
		if j := 2 * (i + rowsAhead); j+1 < len(rows) && rows[j+1] > rows[j] {
			prefetch(&r.ent[rows[j]])
			if rows[j+1]-rows[j] > 64 {
				prefetch(&r.ent[rows[j]+64])
			}
		}
		ent := r.ent[rows[2*i]:rows[2*i+1]]
		ci := 0
		if keep != nil {
			k := (*[256]int16)(keep[i*stride:])
			x := float64(vecs[0].val[i]) * float64(r.scale[0])
			if vocab[0] {
				ent = scoreVocab(ent, stride, x, vecs[0].val[i], &acc, heads, hmass, k)
			} else {
				// Two entries at a time while both are the first
				// component's (in a sound model the second's class number
				// says so, as they ascend along a row; a damaged one must
				// not panic).
				for len(ent) >= 12 && int(ent[9]) < stride {
					g0, g1, g2, g3 := ent[0], ent[3], ent[6], ent[9]
					w0 := int16(binary.LittleEndian.Uint16(ent[1:3]))
					w1 := int16(binary.LittleEndian.Uint16(ent[4:6]))
					w2 := int16(binary.LittleEndian.Uint16(ent[7:9]))
					w3 := int16(binary.LittleEndian.Uint16(ent[10:12]))
					acc[g0] += x * float64(w0)
					acc[g1] += x * float64(w1)
					acc[g2] += x * float64(w2)
					acc[g3] += x * float64(w3)
					k[g0], k[g1], k[g2], k[g3] = w0, w1, w2, w3
					ent = ent[12:]
				}
				for len(ent) >= 6 && int(ent[0]) < stride && int(ent[3]) < stride {
					w0 := int16(binary.LittleEndian.Uint16(ent[1:3]))
					w1 := int16(binary.LittleEndian.Uint16(ent[4:6]))
					acc[ent[0]] += x * float64(w0)
					acc[ent[3]] += x * float64(w1)
					k[ent[0]], k[ent[3]] = w0, w1
					ent = ent[6:]
				}
				for len(ent) >= 3 && int(ent[0]) < stride {
					w := int16(binary.LittleEndian.Uint16(ent[1:3]))
					acc[ent[0]] += x * float64(w)
					k[ent[0]] = w
					ent = ent[3:]
				}
			}
			ci = 1
		}
		for ; ci < nc; ci++ {
			x := float64(vecs[ci].val[i]) * float64(r.scale[ci])
			end := ends[ci]
			if hd := one[ci]; hd >= 0 {
				if len(ent) >= 3 && int(ent[0]) < end {
					hmass[hd%maxHeads] += vecs[ci].val[i]
				}
			} else if vocab[ci] {
				ent = scoreVocab(ent, end, x, vecs[ci].val[i], &acc, heads, hmass, nil)
				continue
			}
			for len(ent) >= 6 && int(ent[3]) < end {
				acc[ent[0]] += x * float64(int16(binary.LittleEndian.Uint16(ent[1:3])))
				acc[ent[3]] += x * float64(int16(binary.LittleEndian.Uint16(ent[4:6])))
				ent = ent[6:]
			}
			for len(ent) >= 3 && int(ent[0]) < end {
				acc[ent[0]] += x * float64(int16(binary.LittleEndian.Uint16(ent[1:3])))
				ent = ent[3:]
			}
		}
	}
	copy(out, acc[:len(out)])
}

// rowsAhead is how many features ahead of the one it scores scoreNarrow
// asks for a row. Asking for every row of a text at once, before scoring
// (150 or so, most with a second cache line), was slower: in 18
// interleaved rounds against it, classification took 3.6% less time
// relative to featurising.
const rowsAhead = 8

// keepPad is the spare entries at the end of scoreNarrow's keep.
const keepPad = 256

// scoreVocab adds to acc the entries of a row's one-byte-class entries
// before class end, each weight times x, for a component that counts its
// own vocabulary's mass: the first entry of each head adds the feature's
// value v to that head's mass in hmass (entries ascend by class, so a
// head's are together). keep, if not nil, receives the stored weights as
// in scoreNarrow. It returns the rest of the row.
func scoreVocab(ent []byte, end int, x float64, v float32, acc *[256]float64, heads *[256]uint8, hmass *[maxHeads]float32, keep *[256]int16) []byte {
	last := -1
	for len(ent) >= 3 && int(ent[0]) < end {
		g := ent[0]
		w := int16(binary.LittleEndian.Uint16(ent[1:3]))
		acc[g] += x * float64(w)
		if keep != nil {
			keep[g] = w
		}
		if hd := int(heads[g]); hd != last {
			hmass[hd%maxHeads] += v
			last = hd
		}
		ent = ent[3:]
	}
	return ent
}

// locateRows sets v.rows to where each feature's row lies, and asks for
// the first rowsAhead rows; scoreNarrow asks for each later one rowsAhead
// features before it reads it.
func (m *Model) locateRows(v *docVec) {
	rows := slices.Grow(v.rows[:0], 2*len(v.idx))
	for _, f := range v.idx {
		lo, hi := m.rows.span(f)
		rows = append(rows, uint32(lo), uint32(hi))
		if hi > lo && len(rows) <= 2*rowsAhead {
			prefetch(&m.rows.ent[lo])
			if hi-lo > 64 {
				prefetch(&m.rows.ent[lo+64])
			}
		}
	}
	v.rows = rows
}

// maxComponents bounds the components of an ensemble (a power of two).
const maxComponents = 8

// probs writes into out the probabilities of the classes of field hi (the
// index of its head): the share-weighted mean of the softmax over its raw
// scores in all (see scoreAll) of every component that predicts the field.
// tmp is scratch.
func (m *Model) probs(hi int, all []float64, out []float64, tmp *[]float64) []float64 {
	h := m.comps[0].heads[hi]
	k := len(h.classes)
	b := m.rows.base[0][hi]
	out = append(out[:0], all[b:b+k]...)
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
		hc := c.heads[hi]
		if len(hc.classes) == 0 {
			continue // this component leaves the field to the others
		}
		b := m.rows.base[ci+1][hi]
		*tmp = append((*tmp)[:0], all[b:b+k]...)
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

// weightDiff returns, for feature f, the first component's weight for
// class a of field hi less its weight for class b. It reads the feature's
// row once, and only up to the later of the two classes: rows are in class
// number order.
func (m *Model) weightDiff(f int32, hi, a, b int) float32 {
	h := m.comps[0].heads[hi]
	wa, wb := h.perToken[a], h.perToken[b]
	ga, gb := m.rows.base[0][hi]+a, m.rows.base[0][hi]+b
	last := max(ga, gb)
	es := m.rows.entSize()
	for ent := m.rows.row(f); len(ent) >= es; ent = ent[es:] {
		switch g := m.rows.class(ent); {
		case g == ga:
			wa += m.rows.weight(ent, 0)
		case g == gb:
			wb += m.rows.weight(ent, 0)
		case g > last:
			return wa - wb
		}
	}
	return wa - wb
}

// headIndex returns the index of field's head, or -1.
func (m *Model) headIndex(field string) int {
	if len(m.comps) == 0 {
		return -1
	}
	for i, h := range m.comps[0].heads {
		if h.field == field {
			return i
		}
	}
	return -1
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
