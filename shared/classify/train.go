package classify

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"sort"
)

// Example is one labelled text. Any of the label fields may be empty; a
// field is trained only from the examples that carry it.
type Example struct {
	ID       string `json:"id,omitempty"`
	Text     string `json:"text"`
	Type     string `json:"type,omitempty"`
	Line     string `json:"line,omitempty"`
	CCAClass string `json:"cca_class,omitempty"`
	Nature   string `json:"nature,omitempty"`
	Agency   string `json:"agency,omitempty"` // referral agency key, for line "referral"
	Region   string `json:"region,omitempty"` // expected region code, for evaluation
	// BusinessAddress is an optional structured field, as at intake.
	BusinessAddress string `json:"business_address,omitempty"`
}

// Label returns the example's label for a model field.
func (e Example) Label(field string) string {
	switch field {
	case FieldType:
		return e.Type
	case FieldLine:
		return e.Line
	case FieldCCAClass:
		return e.CCAClass
	case FieldNature:
		return e.Nature
	case "agency":
		return e.Agency
	case "region":
		return e.Region
	}
	return ""
}

// Algorithm names a training algorithm.
type Algorithm string

// Training algorithms.
const (
	NaiveBayes Algorithm = "nb"     // multinomial naive Bayes
	LogReg     Algorithm = "logreg" // multinomial logistic regression by SGD
)

// TrainConfig controls training. The zero value is not useful; start from
// DefaultTrainConfig.
type TrainConfig struct {
	Algorithm    Algorithm
	Weighting    Weighting
	Alpha        float64 // naive Bayes additive smoothing
	UniformPrior bool    // naive Bayes: ignore class frequencies
	MinDF        int     // keep n-grams seen in at least this many documents
	Epochs       int     // logistic regression passes
	LearnRate    float64 // logistic regression initial step
	L2           float64 // logistic regression L2 penalty per example
	Prune        float64 // logistic regression: drop weights smaller than this
	Seed         uint64  // shuffling seed; training is deterministic for a seed
	Catalogue    *Rules  // optional: adds catalogue features for product words
	Version      string  // taxonomy version recorded in the model
}

// DefaultTrainConfig is the configuration the shipped model is trained with.
func DefaultTrainConfig() TrainConfig {
	return TrainConfig{
		Algorithm: NaiveBayes, Weighting: Counts, Alpha: 0.1, MinDF: 1,
		Epochs: 8, LearnRate: 0.5, L2: 1e-6, Prune: 1e-4, Seed: 12315,
	}
}

type trainDoc struct {
	idx []int32
	cnt []float32
	lab [4]int16 // class per field, -1 when unlabelled
}

// Train builds a model from labelled examples. It is deterministic: the same
// examples and configuration give a byte-identical model.
func Train(examples []Example, cfg TrainConfig) (*Model, error) {
	if len(examples) == 0 {
		return nil, fmt.Errorf("classify: train: no examples")
	}
	m, docs, err := prepare(examples, cfg)
	if err != nil {
		return nil, err
	}
	if cfg.Algorithm == LogReg || cfg.Weighting == LogTFIDF {
		computeIDF(m, docs)
	}
	// Hold out every fifth example to choose each head's temperature, then
	// train on everything.
	var fit, held []trainDoc
	for i, d := range docs {
		if i%5 == 4 {
			held = append(held, d)
		} else {
			fit = append(fit, d)
		}
	}
	for hi, h := range m.heads {
		if len(held) > 0 && len(fit) > 0 {
			probe := *h
			if err := trainHead(m, &probe, hi, fit, cfg); err == nil {
				h.temp = calibrate(m, &probe, hi, held)
			}
		}
		if h.temp == 0 {
			h.temp = 1
		}
		t := h.temp
		if err := trainHead(m, h, hi, docs, cfg); err != nil {
			return nil, err
		}
		h.temp = t
	}
	return m, nil
}

func prepare(examples []Example, cfg TrainConfig) (*Model, []trainDoc, error) {
	m := &Model{Version: cfg.Version, Weighting: cfg.Weighting}
	if cfg.Algorithm == LogReg {
		m.Weighting = LogTFIDF
	}
	classSets := make([]map[string]bool, len(Fields))
	for i := range classSets {
		classSets[i] = map[string]bool{}
	}
	df := map[uint64]int{}
	perDoc := make([][]uint64, len(examples))
	var feats []feature
	for i, e := range examples {
		for fi, f := range Fields {
			if l := e.Label(f); l != "" {
				classSets[fi][l] = true
			}
		}
		t := normalize(e.Text)
		feats = featurize(feats[:0], t)
		feats = cfg.Catalogue.appendFeatures(feats, t)
		hs := make([]uint64, len(feats))
		for j, f := range feats {
			hs[j] = f.h
		}
		slices.Sort(hs)
		perDoc[i] = hs
		for j, h := range hs {
			if j == 0 || hs[j-1] != h {
				df[h]++
			}
		}
	}
	minDF := max(cfg.MinDF, 1)
	for h, n := range df {
		if n >= minDF {
			m.hashes = append(m.hashes, h)
		}
	}
	slices.Sort(m.hashes)
	m.buildIndex()
	for fi, f := range Fields {
		if len(classSets[fi]) == 0 {
			continue
		}
		var cl []string
		for c := range classSets[fi] {
			cl = append(cl, c)
		}
		sort.Strings(cl)
		if len(cl) > math.MaxInt16 {
			return nil, nil, fmt.Errorf("classify: train: too many classes for %s", f)
		}
		m.heads = append(m.heads, &head{field: f, classes: cl})
	}
	docs := make([]trainDoc, len(examples))
	for i, e := range examples {
		d := &docs[i]
		hs := perDoc[i]
		for j := 0; j < len(hs); {
			k := j + 1
			for k < len(hs) && hs[k] == hs[j] {
				k++
			}
			if f, ok := m.index[hs[j]]; ok {
				d.idx = append(d.idx, f)
				d.cnt = append(d.cnt, float32(k-j))
			}
			j = k
		}
		for k := range d.lab {
			d.lab[k] = -1
		}
		for hi, h := range m.heads {
			if l := e.Label(h.field); l != "" {
				c, _ := slices.BinarySearch(h.classes, l)
				d.lab[hi] = int16(c)
			}
		}
	}
	return m, docs, nil
}

func computeIDF(m *Model, docs []trainDoc) {
	df := make([]float64, len(m.hashes))
	for _, d := range docs {
		for _, f := range d.idx {
			df[f]++
		}
	}
	n := float64(len(docs))
	m.idf = make([]float32, len(df))
	for i, x := range df {
		m.idf[i] = float32(math.Log((1+n)/(1+x)) + 1)
	}
}

// vec returns the weighted feature values of a training document.
func (m *Model) vec(d trainDoc) *docVec {
	v := &docVec{idx: d.idx, val: slices.Clone(d.cnt)}
	m.weigh(v)
	return v
}

func trainHead(m *Model, h *head, hi int, docs []trainDoc, cfg TrainConfig) error {
	switch cfg.Algorithm {
	case NaiveBayes:
		trainNB(m, h, hi, docs, cfg)
	case LogReg:
		trainLR(m, h, hi, docs, cfg)
	default:
		return fmt.Errorf("classify: train: unknown algorithm %q", cfg.Algorithm)
	}
	return nil
}

// trainNB fits multinomial naive Bayes and stores it in linear form:
// log θ(f|c) = log(α/(N_c+αV)) + log(1 + n_cf/α), so only n-grams seen with
// a class need an entry.
func trainNB(m *Model, h *head, hi int, docs []trainDoc, cfg TrainConfig) {
	k := len(h.classes)
	nDocs := make([]float64, k)
	mass := make([]float64, k)
	counts := map[int64]float64{} // f*k+c → n_cf
	var total float64
	for _, d := range docs {
		c := int(d.lab[hi])
		if c < 0 {
			continue
		}
		v := m.vec(d)
		nDocs[c]++
		total++
		for i, f := range v.idx {
			counts[int64(f)*int64(k)+int64(c)] += float64(v.val[i])
			mass[c] += float64(v.val[i])
		}
	}
	alpha := cfg.Alpha
	if alpha <= 0 {
		alpha = 1
	}
	vocab := float64(len(m.hashes))
	h.bias = make([]float32, k)
	h.perToken = make([]float32, k)
	for c := 0; c < k; c++ {
		if cfg.UniformPrior {
			h.bias[c] = float32(-math.Log(float64(k)))
		} else {
			h.bias[c] = float32(math.Log((nDocs[c] + 1) / (total + float64(k))))
		}
		h.perToken[c] = float32(math.Log(alpha / (mass[c] + alpha*vocab)))
	}
	keys := make([]int64, 0, len(counts))
	for key := range counts {
		keys = append(keys, key)
	}
	slices.Sort(keys)
	h.rowStart = make([]int32, len(m.hashes)+1)
	h.cls = h.cls[:0:0]
	h.w = h.w[:0:0]
	for _, key := range keys {
		f, c := key/int64(k), key%int64(k)
		h.rowStart[f+1]++
		h.cls = append(h.cls, uint16(c))
		h.w = append(h.w, float32(math.Log1p(counts[key]/alpha)))
	}
	for f := range len(m.hashes) {
		h.rowStart[f+1] += h.rowStart[f]
	}
}

// trainLR fits multinomial logistic regression with plain SGD, a decaying
// step and L2 shrinkage applied lazily through a global scale.
func trainLR(m *Model, h *head, hi int, docs []trainDoc, cfg TrainConfig) {
	k := len(h.classes)
	nf := len(m.hashes)
	w := make([]float64, nf*k)
	b := make([]float64, k)
	var order []int
	for i, d := range docs {
		if d.lab[hi] >= 0 {
			order = append(order, i)
		}
	}
	vecs := make(map[int]*docVec, len(order))
	for _, i := range order {
		vecs[i] = m.vec(docs[i])
	}
	rng := rand.New(rand.NewPCG(cfg.Seed, uint64(hi)))
	scale := 1.0
	p := make([]float64, k)
	t := 0.0
	for ep := 0; ep < max(cfg.Epochs, 1); ep++ {
		rng.Shuffle(len(order), func(i, j int) { order[i], order[j] = order[j], order[i] })
		for _, i := range order {
			v := vecs[i]
			y := int(docs[i].lab[hi])
			lr := cfg.LearnRate / (1 + cfg.LearnRate*cfg.L2*t)
			t++
			for c := range p {
				p[c] = b[c]
			}
			for j, f := range v.idx {
				x := float64(v.val[j]) * scale
				row := w[int(f)*k : int(f)*k+k]
				for c := range p {
					p[c] += float64(x * row[c])
				}
			}
			softmax(p, 1)
			scale *= 1 - lr*cfg.L2
			if scale < 1e-9 {
				for i := range w {
					w[i] *= scale
				}
				scale = 1
			}
			for c := range p {
				g := p[c]
				if c == y {
					g--
				}
				b[c] -= lr * g
				step := lr * g / scale
				for j, f := range v.idx {
					w[int(f)*k+c] -= float64(step * float64(v.val[j]))
				}
			}
		}
	}
	h.bias = make([]float32, k)
	h.perToken = make([]float32, k)
	for c := range b {
		h.bias[c] = float32(b[c])
	}
	h.rowStart = make([]int32, nf+1)
	h.cls, h.w = nil, nil
	for f := 0; f < nf; f++ {
		for c := 0; c < k; c++ {
			x := w[f*k+c] * scale
			if math.Abs(x) >= cfg.Prune {
				h.cls = append(h.cls, uint16(c))
				h.w = append(h.w, float32(x))
			}
		}
		h.rowStart[f+1] = int32(len(h.cls))
	}
}

// calibrate picks the softmax temperature that minimises the held-out
// negative log-likelihood.
func calibrate(m *Model, h *head, hi int, held []trainDoc) float32 {
	best, bestT := math.Inf(1), float32(1)
	var s []float64
	for t := float32(0.25); t <= 64; t *= 1.25 {
		var nll float64
		n := 0
		for _, d := range held {
			y := int(d.lab[hi])
			if y < 0 {
				continue
			}
			s = h.scores(m.vec(d), s)
			softmax(s, t)
			nll -= math.Log(max(s[y], 1e-12))
			n++
		}
		if n == 0 {
			return 1
		}
		if nll < best {
			best, bestT = nll, t
		}
	}
	return bestT
}
