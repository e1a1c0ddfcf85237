package classify

import (
	"encoding/binary"
	"fmt"
	"math"
	"reflect"
	"slices"
	"testing"
)

// headWeights returns component ci's weights for head hi of m, by feature
// and class.
func headWeights(m *Model, ci, hi int) map[[2]int]float64 {
	r := &m.rows
	lo := r.base[ci][hi]
	hiEnd := lo + len(m.comps[ci].heads[hi].classes)
	out := map[[2]int]float64{}
	es := r.entSize()
	for f := range m.index.n {
		for ent := r.row(int32(f)); len(ent) >= es; ent = ent[es:] {
			if g := r.class(ent); g >= lo && g < hiEnd {
				out[[2]int{f, g - lo}] = float64(int16(binary.LittleEndian.Uint16(ent[r.width:]))) * float64(r.scale[ci])
			}
		}
	}
	return out
}

// TestKeepField checks the settings that keep a field learnt from a few
// examples among many texts labelled for other fields: its examples' rare
// n-grams survive MinDF, its naive-Bayes counts of one survive NBMinCount,
// its SVM has its own C, and the idf is counted over its examples alone.
func TestKeepField(t *testing.T) {
	var ex []Example
	// Two examples labelled with a class, each with a word of its own.
	ex = append(ex,
		Example{Text: "鳕鱼罐头坏了", Type: "complaint", Line: "food", CCAClass: "食品类"},
		Example{Text: "羽绒服跑绒", Type: "complaint", Line: "quality", CCAClass: "服装鞋帽类"})
	// Many texts labelled for type and line only: 超市 in every one, 独一
	// in one.
	for i := range 12 {
		line, typ := "food", "complaint"
		if i%3 == 0 {
			line, typ = "price", "report"
		}
		ex = append(ex, Example{Text: fmt.Sprintf("超市第%c家卖东西", rune('一'+i)), Type: typ, Line: line})
	}
	ex = append(ex, Example{Text: "独一无二", Type: "inquiry", Line: "food"})
	cfg := DefaultTrainConfig()
	cfg.Algorithm, cfg.MinDF, cfg.NBMinCount, cfg.SVMPrune = "nb:0.5+svm:0.5", 3, 2, 0
	cfg.KeepField, cfg.KeepSVMPrune, cfg.KeepC = FieldCCAClass, 0, 1
	m, err := Train(ex, cfg)
	if err != nil {
		t.Fatal(err)
	}
	feature := func(s string) (int32, bool) { return m.index.get(gramHashOf(normalize(s))) }
	if _, ok := feature("鳕鱼"); !ok {
		t.Error("a class example's rare bigram was pruned")
	}
	if _, ok := feature("独一"); ok {
		t.Error("a rare bigram of a text without a class survived MinDF")
	}
	f, ok := feature("超市")
	if !ok {
		t.Fatal("a common bigram was pruned")
	}
	// 鳕鱼 is counted once: the class head keeps that count, the type head
	// drops it.
	hx := map[string]int{}
	for i, h := range m.comps[0].heads {
		hx[h.field] = i
	}
	cca := headWeights(m, 0, hx[FieldCCAClass])
	g, _ := feature("鳕鱼")
	if len(cca) == 0 || cca[[2]int{int(g), 1}] == 0 { // 食品类 is class 1 (服装鞋帽类 sorts first)
		t.Errorf("the class head lost a count of one: %v", cca)
	}
	for k := range headWeights(m, 0, hx[FieldType]) {
		if k[0] == int(g) {
			t.Errorf("the type head kept a count of one for 鳕鱼: %v", k)
		}
	}
	// The idf is counted over the two class examples: 超市 is in neither.
	idf := math.Float32frombits(binary.LittleEndian.Uint32(m.index.rec[recSize*int(f)+recIDF:]))
	if want := float32(math.Log(3) + 1); math.Abs(float64(idf-want)) > 1e-6 {
		t.Errorf("idf of 超市 %v, want %v (counted over the class examples)", idf, want)
	}
	// C for the other fields leaves the class head's SVM as it is.
	loose := cfg
	loose.C = 8
	m2, err := Train(ex, loose)
	if err != nil {
		t.Fatal(err)
	}
	same := func(a, b map[[2]int]float64) bool {
		if len(a) != len(b) {
			return false
		}
		for k, v := range a {
			if math.Abs(v-b[k]) > 1e-3*math.Max(1, math.Abs(v)) {
				return false
			}
		}
		return true
	}
	if !same(headWeights(m, 1, hx[FieldCCAClass]), headWeights(m2, 1, hx[FieldCCAClass])) {
		t.Error("C changed the class head, which has its own")
	}
	if same(headWeights(m, 1, hx[FieldLine]), headWeights(m2, 1, hx[FieldLine])) {
		t.Error("C did not change the line head")
	}
}

// TestComponentFields checks an ensemble part that predicts only some
// fields ("svm:0.8+nb:0.2@cca_class"): the fields it leaves out are the
// first part's alone, as if it were not there; the field it predicts is the
// ensemble's, as if it predicted everything; and the model says so when it
// is written and read back.
func TestComponentFields(t *testing.T) {
	var ex []Example
	texts := []struct{ text, typ, line, class string }{
		{"饭店的菜里吃出头发", "complaint", "food", "餐饮和住宿服务类"},
		{"超市卖过期牛奶", "report", "food", "食品类"},
		{"买的羽绒服跑绒严重", "complaint", "quality", "服装鞋帽类"},
		{"请问过期牛奶能退吗", "inquiry", "food", "食品类"},
		{"饭店不给开发票", "complaint", "price", "餐饮和住宿服务类"},
		{"举报这家店卖假羽绒服", "report", "ip", "服装鞋帽类"},
		{"外卖里有虫子", "complaint", "food", "餐饮和住宿服务类"},
		{"请问羽绒服起球怎么办", "inquiry", "quality", "服装鞋帽类"},
	}
	for i := range 3 {
		for _, x := range texts {
			ex = append(ex, Example{ID: fmt.Sprint(i, x.text), Text: fmt.Sprintf("%s%c", x.text, rune('一'+i)), Type: x.typ, Line: x.line, CCAClass: x.class})
		}
	}
	train := func(algo Algorithm) *Model {
		t.Helper()
		cfg := DefaultTrainConfig()
		cfg.Algorithm = algo
		m, err := Train(ex, cfg)
		if err != nil {
			t.Fatalf("%s: %v", algo, err)
		}
		return m
	}
	part, svm, both := train("svm:0.8+nb:0.2@cca_class"), train("svm"), train("svm:0.8+nb:0.2")

	read := reload(t, part)
	if got := read.Fields(); !slices.Equal(got, []string{FieldType, FieldLine, FieldCCAClass}) {
		t.Errorf("fields %v", got)
	}
	for hi, h := range read.comps[1].heads {
		if want := h.field == FieldCCAClass; (len(h.classes) > 0) != want {
			t.Errorf("naive Bayes head %d (%s) has classes %v", hi, h.field, h.classes)
		}
	}
	data, _ := part.MarshalBinary()
	full, _ := both.MarshalBinary()
	if len(data) >= len(full) {
		t.Errorf("the model of a part that leaves fields out is %d bytes, the full ensemble's %d", len(data), len(full))
	}

	rs, _ := DefaultRules()
	tx, _ := DefaultTaxonomy()
	cPart, cSVM, cBoth := New(read, rs, tx, nil), New(svm, rs, tx, nil), New(both, rs, tx, nil)
	naiveBayesCounts := false
	for _, text := range []string{"饭店的菜里有头发", "请问羽绒服跑绒能退吗", "举报超市卖过期牛奶"} {
		p, s, b := cPart.Classify(Input{Text: text}), cSVM.Classify(Input{Text: text}), cBoth.Classify(Input{Text: text})
		if !reflect.DeepEqual(p.Type, s.Type) || !reflect.DeepEqual(p.Line, s.Line) {
			t.Errorf("%s: type %v line %v, want the SVM's alone: %v %v", text, p.Type, p.Line, s.Type, s.Line)
		}
		if !reflect.DeepEqual(p.CCAClass.Top, b.CCAClass.Top) {
			t.Errorf("%s: class %v, want the full ensemble's %v", text, p.CCAClass.Top, b.CCAClass.Top)
		}
		naiveBayesCounts = naiveBayesCounts || !reflect.DeepEqual(p.CCAClass.Top, s.CCAClass.Top)
	}
	if !naiveBayesCounts {
		t.Error("the class is the SVM's alone on every text")
	}

	// The first part predicts every field.
	swapped := *read
	swapped.comps = []*component{read.comps[1], read.comps[0]}
	if err := swapped.checkHeads(); err == nil {
		t.Error("a model whose first component leaves a field out was accepted")
	}
	for _, algo := range []Algorithm{"nb:0.2@cca_class+svm", "svm+nb@colour", "svm+nb@", "svm+nb@cca_class,,type"} {
		if _, err := parseAlgorithm(algo); err == nil {
			t.Errorf("%q: no error", algo)
		}
	}
}

// TestNBSelect checks naive Bayes over selected n-grams: an n-gram spread
// over the classes as all n-grams are is dropped, one that marks a class
// is kept, the component says that it counts its vocabulary's mass, and a
// text of dropped n-grams alone scores the class priors, as if it had no
// words. Each check fails with NBSelect at 0.
func TestNBSelect(t *testing.T) {
	var ex []Example
	for i := range 6 {
		ex = append(ex,
			Example{Text: fmt.Sprintf("买的苹果东西%c", rune('一'+i)), Type: "complaint"},
			Example{Text: fmt.Sprintf("买的香蕉东西%c", rune('一'+i)), Type: "report"})
	}
	train := func(sel float64) *Model {
		cfg := DefaultTrainConfig()
		cfg.Algorithm, cfg.NBSelect = NaiveBayes, sel
		m, err := Train(ex, cfg)
		if err != nil {
			t.Fatal(err)
		}
		return m
	}
	for _, sel := range []float64{0, 0.5} {
		m := train(sel)
		on := sel > 0
		if m.comps[0].vocabMass != on {
			t.Errorf("NBSelect %v: vocabMass %v", sel, m.comps[0].vocabMass)
		}
		w := headWeights(m, 0, 0)
		has := func(s string) bool {
			f, ok := m.index.get(gramHashOf(normalize(s)))
			return ok && (w[[2]int{int(f), 0}] != 0 || w[[2]int{int(f), 1}] != 0)
		}
		if !has("苹果") || !has("香蕉") {
			t.Errorf("NBSelect %v: a class's own bigram lost its weights", sel)
		}
		if has("东西") == on {
			t.Errorf("NBSelect %v: the bigram both classes share kept its weights: %v", sel, has("东西"))
		}
		// A text of shared n-grams only: the priors (equal here) decide.
		var raw docVec
		var tab []int32
		m.vectorize(featurize(nil, normalize("买的东西")), &raw, &tab)
		s := m.scoreAll([]docVec{raw}, nil, nil)
		h := m.comps[0].heads[0]
		got := []float64{s[0] - float64(h.bias[0]), s[1] - float64(h.bias[1])}
		if same := math.Abs(got[0]) < 1e-9 && math.Abs(got[1]) < 1e-9; same != on {
			t.Errorf("NBSelect %v: shared words add %v to the priors", sel, got)
		}
	}
}
