package classify

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

func TestFieldsCount(t *testing.T) {
	if len(Fields) != numFields {
		t.Fatalf("len(Fields) = %d, numFields = %d", len(Fields), numFields)
	}
}

func TestModelRejectsOlderVersions(t *testing.T) {
	// Versions 5 and 6 are laid out as version 7 is, but hash their
	// n-grams otherwise.
	for _, magic := range []string{"I12315M3", "I12315M5", "I12315M6"} {
		data := append([]byte(magic), ShippedModel()[8:]...)
		_, err := LoadModel(data)
		if err == nil || !strings.Contains(err.Error(), "retrain") {
			t.Fatalf("%s: err %v, want a request to retrain", magic, err)
		}
	}
	if _, err := LoadModel([]byte("GIF89a..")); err == nil || !strings.Contains(err.Error(), "not a model") {
		t.Fatalf("err %v", err)
	}
}

// TestModelLoadsInPlace checks that loading refers to the file's bytes
// instead of copying them: what makes a cold start cheap.
func TestModelLoadsInPlace(t *testing.T) {
	data := ShippedModel()
	m, err := LoadModel(data)
	if err != nil {
		t.Fatal(err)
	}
	end := &data[len(data)-1]
	if got := &m.rows.ent[len(m.rows.ent)-1]; got != end {
		t.Error("the model's weights are not the file's last bytes")
	}
}

// TestDamagedModelNeverPanics damages the tables of a model file — the
// parts loading does not read — and classifies with the result: scores may
// be wrong, but nothing panics or reads out of bounds.
func TestDamagedModelNeverPanics(t *testing.T) {
	base := mustDefault(t)
	clean := ShippedModel()
	m, err := LoadModel(clean)
	if err != nil {
		t.Fatal(err)
	}
	tables := 4*dirSize + len(m.index.rec) + len(m.rows.ent)
	header := len(clean) - tables
	u32 := func(b []byte, i int, v uint32) { binary.LittleEndian.PutUint32(b[i:], v) }
	endAt := func(f int) int { return header + 4*dirSize + recSize*f + recEnd }
	entAt := header + 4*dirSize + len(m.index.rec)
	damage := []struct {
		name string
		do   func(b []byte, rng *rand.Rand)
	}{
		{"row offsets past the end", func(b []byte, rng *rand.Rand) {
			for range 2000 {
				u32(b, endAt(rng.IntN(m.index.n)), rng.Uint32())
			}
		}},
		{"row offsets backwards", func(b []byte, rng *rand.Rand) {
			for f := range m.index.n {
				if f%3 == 1 {
					u32(b, endAt(f), uint32(m.rows.nEnt))
				}
			}
		}},
		{"class numbers out of range", func(b []byte, rng *rand.Rand) {
			for i := entAt; i < len(b); i += m.rows.entSize() {
				b[i] = 0xff
			}
		}},
		{"directory out of range", func(b []byte, rng *rand.Rand) {
			for range 5000 {
				u32(b, header+4*rng.IntN(dirSize-1), rng.Uint32())
			}
		}},
		{"random bytes anywhere in the tables", func(b []byte, rng *rand.Rand) {
			for range 20000 {
				b[header+rng.IntN(tables)] = byte(rng.Uint32())
			}
		}},
	}
	texts := append(slices.Clone(benchTexts), "", "😀😀", "12345", strings.Repeat("超市卖过期牛奶", 500))
	for _, tt := range damage {
		t.Run(tt.name, func(t *testing.T) {
			classified := 0
			for seed := range uint64(5) {
				b := bytes.Clone(clean)
				tt.do(b, rand.New(rand.NewPCG(seed, 12315)))
				dm, err := LoadModel(b)
				if err != nil {
					continue // caught on loading: as good
				}
				c := New(dm, base.Rules, base.Taxonomy, base.Gazetteer)
				for _, text := range texts {
					c.Classify(Input{Text: text})
				}
				classified++
			}
			if classified == 0 {
				t.Fatal("every damaged model was refused: the damage tests nothing")
			}
		})
	}
}

// TestStoredWeights checks the 16-bit storage of weights: scores computed
// from the packed rows, and from the same rows written to a file and
// loaded again, stay within half a unit of the scale of the float weights
// the model was trained with. Weights that round to zero are dropped.
func TestStoredWeights(t *testing.T) {
	m := &Model{
		index: newHashIndex([]uint64{11, 22, 33}),
		comps: []*component{{weighting: Counts, weight: 1, heads: []*head{{
			field: FieldType, classes: []string{"a", "b"},
			bias: []float32{0.5, 0}, perToken: []float32{0, -0.1},
			rowStart: []int32{0, 2, 3, 4},
			ent:      []entry{{w: 1.5, cls: 0}, {w: -0.25, cls: 1}, {w: -3, cls: 1}, {w: 1e-6, cls: 0}},
		}}}},
	}
	if err := m.pack(); err != nil {
		t.Fatal(err)
	}
	if m.rows.nEnt != 3 {
		t.Errorf("%d entries stored, want 3 (the 1e-6 weight rounds to zero)", m.rows.nEnt)
	}
	doc := []docVec{{idx: []int32{0, 1, 2}, val: []float32{1, 2, 1}, mass: 4}}
	want := []float64{0.5 + 1.5, 4*-0.1 - 0.25 - 2*3}
	unit := 3.0 / math.MaxInt16
	check := func(name string, m *Model) {
		got := m.scoreAll(doc, nil, nil)
		for c := range want {
			if math.Abs(got[c]-want[c]) > 4*unit/2+1e-6 {
				t.Errorf("%s: score[%d] = %v, want %v within %v", name, c, got[c], want[c], 2*unit)
			}
		}
	}
	check("packed", m)
	loaded := reload(t, m)
	check("loaded", loaded)
	if a, b := m.scoreAll(doc, nil, nil), loaded.scoreAll(doc, nil, nil); !slices.Equal(a, b) {
		t.Errorf("loaded scores %v differ from packed %v", b, a)
	}
}

// reload writes m to its file format and reads it back.
func reload(t *testing.T, m *Model) *Model {
	t.Helper()
	data, err := m.MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	loaded, err := LoadModel(data)
	if err != nil {
		t.Fatal(err)
	}
	return loaded
}

// TestLookupAllAgreesWithGet checks the batched feature lookup against the
// one-at-a-time search: every known hash (the first record of a bucket and
// the ones after it) is found at its index, and neighbours of known hashes,
// which the model lacks, are not.
func TestLookupAllAgreesWithGet(t *testing.T) {
	m, err := LoadModel(ShippedModel())
	if err != nil {
		t.Fatal(err)
	}
	x := m.index
	rng := rand.New(rand.NewPCG(1, 2))
	var feats []feature
	for range 5000 {
		h := binary.LittleEndian.Uint64(x.rec[recSize*rng.IntN(x.n):])
		feats = append(feats, feature{h: h}, feature{h: h + 1}, feature{h: h - 1}, feature{h: rng.Uint64()})
	}
	got := x.lookupAll(feats, make([]int32, len(feats)))
	found := 0
	for i, f := range feats {
		want, ok := x.get(f.h)
		if !ok {
			want = -1
		} else {
			found++
		}
		if got[i] != want {
			t.Fatalf("hash %#x: lookupAll %d, get %d", f.h, got[i], want)
		}
	}
	if found < 5000 {
		t.Fatalf("only %d of the sampled known hashes were found", found)
	}
}

// TestScoreKeepsFirstComponent checks what scoring keeps for the evidence:
// the scores are those of scoring without keeping, and the kept weight of
// every feature and first-component class is the one its row stores (zero
// where the row has no entry).
func TestScoreKeepsFirstComponent(t *testing.T) {
	c := mustDefault(t)
	m := c.Model
	if len(m.comps) < 2 || m.rows.width != 1 {
		t.Skip("the shipped model is not a narrow ensemble")
	}
	stride := m.rows.base[1][0]
	var feats []feature
	var raw docVec
	var tab []int32
	var keep []int16
	for _, text := range append(benchTexts, "西宁一家超市卖的牛奶过期了，要求退款赔偿。") {
		feats = featurize(feats[:0], normalize(text))
		m.vectorize(feats, &raw, &tab)
		vecs := make([]docVec, len(m.comps))
		for i, comp := range m.comps {
			m.weighCopy(comp.weighting, &raw, &vecs[i])
		}
		kept := m.scoreAll(vecs, nil, &keep)
		if plain := m.scoreAll(vecs, nil, nil); !slices.Equal(kept, plain) {
			t.Fatalf("%q: scores %v while keeping, %v without", text, kept, plain)
		}
		if len(keep) != len(raw.idx)*stride+keepPad {
			t.Fatalf("%q: kept %d weights, want %d", text, len(keep), len(raw.idx)*stride+keepPad)
		}
		for i, f := range raw.idx {
			want := make([]int16, stride)
			for ent := m.rows.row(f); len(ent) >= 3 && int(ent[0]) < stride; ent = ent[3:] {
				want[ent[0]] = int16(binary.LittleEndian.Uint16(ent[1:3]))
			}
			if got := keep[i*stride : (i+1)*stride]; !slices.Equal(got, want) {
				t.Fatalf("%q feature %d: kept %v, row has %v", text, i, got, want)
			}
		}
	}
}

// TestEvidenceFromKeptWeights checks that the evidence read from the
// weights scoring kept (see scoreNarrow) names the same n-grams as reading
// every row again, which models that keep nothing still do.
func TestEvidenceFromKeptWeights(t *testing.T) {
	c := mustDefault(t)
	m := c.Model
	texts := append(slices.Clone(benchTexts), "西宁一家超市卖的牛奶过期了，要求退款赔偿。", "网上买的羽绒服掉毛严重，商家不给退。")
	for _, text := range texts {
		sc := new(scratch)
		tx := normalize(text)
		sc.feats = featurize(sc.feats[:0], tx)
		sc.feats, sc.hits = c.Rules.scan(tx, sc.feats, sc.hits)
		m.vectorize(sc.feats, &sc.raw, &sc.tab)
		sc.vecs = make([]docVec, len(m.comps))
		for i, comp := range m.comps {
			m.weighCopy(comp.weighting, &sc.raw, &sc.vecs[i])
		}
		sc.all = m.scoreAll(sc.vecs, sc.all, &sc.keep)
		if len(sc.keep) == 0 {
			t.Fatalf("%q: scoring kept nothing", text)
		}
		var picks [numFields]pick
		var tops []Scored
		for i, f := range Fields {
			c.predict(f, sc, sc.hits, &picks[i], &tops)
		}
		again := picks
		for i := range again {
			again[i].ev = slices.Clone(picks[i].ev)
		}
		c.gramEvidence(tx, sc, picks[:])
		sc.keep = nil
		c.gramEvidence(tx, sc, again[:])
		for i := range picks {
			if string(picks[i].ev) != string(again[i].ev) {
				t.Errorf("%q: evidence from kept weights %q, from the rows %q", text, picks[i].ev, again[i].ev)
			}
		}
	}
}

// TestVocabMassScores checks, against sums worked by hand, the scores of a
// component that counts only its vocabulary's mass (see
// component.vocabMass): per head, only the features with a weight in that
// head add to the per-token smoothing. It checks the one-byte class
// numbers (scoreNarrow, with and without keeping the first component's
// weights) and the two-byte ones (a head of 300 classes), packed and read
// back from the file.
func TestVocabMassScores(t *testing.T) {
	build := func(nClasses int, lineToo bool) *Model {
		classes := make([]string, nClasses)
		for i := range classes {
			classes[i] = fmt.Sprintf("c%03d", i)
		}
		flat := func(x float32) []float32 {
			s := make([]float32, nClasses)
			for i := range s {
				s[i] = x
			}
			return s
		}
		// Feature 0 has weights in both heads, feature 1 in the type head
		// only, feature 2 in neither.
		typ := &head{field: FieldType, classes: classes, bias: flat(0.5), perToken: flat(-1),
			rowStart: []int32{0, 1, 2, 2}, ent: []entry{{w: 2, cls: 0}, {w: 1, cls: 1}}}
		line := &head{field: FieldLine, classes: classes, bias: flat(0), perToken: flat(-0.5),
			rowStart: []int32{0, 1, 1, 1}, ent: []entry{{w: 3, cls: 1}}}
		nb := &component{weighting: Counts, weight: 0.5, vocabMass: true, heads: []*head{typ, line}}
		other := &component{weighting: Counts, weight: 0.5, heads: []*head{
			{field: FieldType, classes: classes, bias: flat(0), perToken: flat(0), rowStart: []int32{0, 0, 0, 1}, ent: []entry{{w: 1, cls: 0}}},
			{field: FieldLine, classes: classes, bias: flat(0), perToken: flat(0), rowStart: []int32{0, 0, 0, 0}},
		}}
		m := &Model{index: newHashIndex([]uint64{11, 22, 33}), comps: []*component{nb, other}}
		if !lineToo {
			// Second, with the type head alone: scoreNarrow's one-head path.
			nb.heads[1] = &head{field: FieldLine}
			m.comps = []*component{other, nb}
		}
		if err := m.pack(); err != nil {
			t.Fatal(err)
		}
		return m
	}
	raw := docVec{idx: []int32{0, 1, 2}, val: []float32{1, 2, 4}, mass: 7}
	// Type head: mass 1+2 (features 0 and 1); line head: mass 1 (feature 0).
	wantType := []float64{0.5 + 3*-1 + 2, 0.5 + 3*-1 + 2*1}
	wantLine := []float64{1 * -0.5, 1*-0.5 + 3}
	for _, n := range []int{3, 300} {
		m := build(n, true)
		if wide := m.rows.width == 2; wide != (n > 128) {
			t.Fatalf("%d classes a head: width %d", n, m.rows.width)
		}
		loaded := reload(t, m)
		if !loaded.comps[0].vocabMass || loaded.comps[1].vocabMass {
			t.Fatalf("%d classes: vocabMass not kept by the file", n)
		}
		var keep []int16
		for name, mm := range map[string]*Model{"packed": m, "loaded": loaded} {
			for _, k := range []*[]int16{nil, &keep} {
				s := mm.scoreAll([]docVec{raw, raw}, nil, k)
				got := []float64{s[0], s[1], s[n], s[n+1]}
				want := append(slices.Clone(wantType), wantLine...)
				for i := range want {
					if math.Abs(got[i]-want[i]) > 1e-3 {
						t.Errorf("%d classes, %s, keep %v: scores %v, want %v", n, name, k != nil, got, want)
						break
					}
				}
			}
		}
	}
	for _, lineToo := range []bool{false, true} {
		m := build(3, lineToo)
		at := 0 // where the naive Bayes type scores are
		if !lineToo {
			at = m.rows.base[1][0]
		}
		for _, k := range []*[]int16{nil, new([]int16)} {
			if s := m.scoreAll([]docVec{raw, raw}, nil, k); math.Abs(s[at]-wantType[0]) > 1e-3 || math.Abs(s[at+1]-wantType[1]) > 1e-3 {
				t.Errorf("type head alone %v, keep %v: scores %v, want %v", !lineToo, k != nil, s[at:at+2], wantType)
			}
		}
	}
}
