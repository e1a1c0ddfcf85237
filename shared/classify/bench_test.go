package classify

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

// os10Dir locates the shared os10-negative data relative to the repository
// (../shared/data/os10-negative from the repository root).
func os10Dir() string { return filepath.Join("..", "..", "..", "shared", "data", "os10-negative") }

func loadOS10(b testing.TB, name string) []Example {
	b.Helper()
	f, err := os.Open(filepath.Join(os10Dir(), name))
	if err != nil {
		b.Skipf("os10-negative data not available: %v", err)
	}
	defer f.Close()
	ex, _, err := ReadExamples(f)
	if err != nil {
		b.Fatal(err)
	}
	return ex
}

func cca(ex []Example) []Example {
	out := make([]Example, len(ex))
	for i, e := range ex {
		out[i] = Example{ID: e.ID, Text: e.Text, CCAClass: e.CCAClass}
	}
	return out
}

func reportAccuracy(b *testing.B, c *Classifier, test []Example) {
	b.Helper()
	var acc float64
	for b.Loop() {
		f, _ := Evaluate(c, test).Field(FieldCCAClass)
		acc = f.Accuracy()
	}
	b.ReportMetric(acc, "accuracy")
	b.ReportMetric(float64(len(test)), "examples")
}

// TestShippedModelOnOS10 fails when the shipped model falls below the
// target of 0.80 on os10-negative test.jsonl, whose texts nobody on the
// project wrote. It is skipped where the data is not beside the repository.
func TestShippedModelOnOS10(t *testing.T) {
	test := cca(loadOS10(t, "test.jsonl"))
	f, _ := Evaluate(mustDefault(t), test).Field(FieldCCAClass)
	t.Logf("cca_class: %.4f (%d/%d)", f.Accuracy(), f.Correct, f.N)
	if f.Accuracy() < 0.80 {
		t.Errorf("shipped model: cca_class accuracy %.4f on os10-negative test.jsonl, want at least 0.80", f.Accuracy())
	}
}

// BenchmarkOS10Shipped measures the shipped model (trained only on the
// project's own examples) on os10-negative test.jsonl, label cca_class.
func BenchmarkOS10Shipped(b *testing.B) {
	test := cca(loadOS10(b, "test.jsonl"))
	reportAccuracy(b, mustDefault(b), test)
}

// BenchmarkOS10Trained trains on os10-negative train.jsonl (never on
// test.jsonl) as `intakectl train` does and measures on test.jsonl.
//
// The target there is 0.92; the ensemble reaches about 0.914. Ideas tried
// toward it and not kept, each measured on the validation fifth of
// train.jsonl (every fifth review, 4,982; the ensemble gets 4,542 right and
// at least one of its two parts 4,658), in November 2026:
//   - a learnt combiner (multinomial logistic regression over both parts'
//     probabilities, fitted on out-of-fold predictions): 4,543;
//   - choosing per review the more confident part: 4,550;
//   - a third or fourth part (logistic regression, NBSVM): 4,528–4,538;
//   - learning the ten source categories and summing them into the six
//     classes: 4,538;
//   - character 4-grams: 4,531; digits kept rather than folded to 0: 4,543;
//   - words and word pairs from a segmenter (go-ego/gse) beside the
//     characters: 4,531–4,538;
//   - the 30 nearest training reviews by tf-idf cosine, mixed in: 4,544 at
//     best (alone 4,003);
//   - complement naive Bayes: 4,471 at best, below naive Bayes alone
//     (4,485);
//   - the SVM's C at 0.5 and 2 rather than 1: 4,541 and 4,532;
//   - punctuation-style features (full-width against ASCII marks): 4,542;
//   - a different model class, a network with one hidden layer (64 to 256
//     ReLU units, dropout on features and units, trained by Adagrad) over
//     the same tf-idf features: 4,520 at best alone (three seeds averaged);
//     mixed into the two parts' probabilities at a fifth, 4,557 against
//     4,547 for the two parts alone in the same harness.
//
// Most errors name no product, only slow delivery or poor customer service,
// in a voice that reviews shampoo, tablets, clothes and fruit alike.
func BenchmarkOS10Trained(b *testing.B) {
	train := cca(loadOS10(b, "train.jsonl"))
	test := cca(loadOS10(b, "test.jsonl"))
	base := mustDefault(b)
	for _, algo := range []Algorithm{NaiveBayes, LogReg, SVM, "nb:0.4+svm:0.6"} {
		b.Run(string(algo), func(b *testing.B) {
			cfg, err := TrainingConfig()
			if err != nil {
				b.Fatal(err)
			}
			cfg.Algorithm = algo
			if algo == LogReg {
				cfg.MinDF = 2
			}
			m, err := Train(train, cfg)
			if err != nil {
				b.Fatal(err)
			}
			reportAccuracy(b, New(m, base.Rules, base.Taxonomy, base.Gazetteer), test)
		})
	}
}

var benchTexts = []string{
	"我在西宁市城东区一家超市买的酸奶已经过期三天了，要求退一赔十，超市只同意退款。",
	"举报城西区胜利路附近一个黑作坊生产凉皮，卫生条件极差，没有任何证照，请依法查处。",
	"小区电梯又坏了 困人",
	"网购的手机收到是翻新机，电池鼓包，商家拒绝退款，平台也不处理。",
	"请问预付卡商家跑路了能退钱吗？",
	"The tour company in Xining charged us double the price written in the contract.",
	"格尔木一家加油站加油机有问题，加了300元的油，油箱明显不满。",
	"手机话费莫名其妙多扣了五十元，运营商说我订了增值业务。",
}

// BenchmarkClassify measures single-core throughput of the full classifier
// (rules, model, region, evidence), 8,000 classifications per iteration so
// that `make bench` (one iteration) measures something, on two sets of
// texts: "short", eight short case texts that stay in the processor's
// caches, and "holdout", the 44,295 texts of the held-out set (79 characters
// on average, the longest 703), which the model never trained on and whose
// n-grams spread over the whole model as real traffic does. This machine's
// speed varies by half from one hour to the next, so the benchmark also
// times a baseline, interleaved in the same run — only normalising the same
// texts and cutting them into n-grams — and reports how many times slower
// the whole classification is.
func BenchmarkClassify(b *testing.B) {
	c := mustDefault(b)
	var held []string
	for _, e := range loadHoldout(b) {
		held = append(held, e.Text)
	}
	for _, set := range []struct {
		name  string
		texts []string
	}{{"short", benchTexts}, {"holdout", held}} {
		b.Run(set.name, func(b *testing.B) {
			const rounds, perRound = 10, 800
			texts := set.texts
			var feats []feature
			var base, full time.Duration
			n := 0
			for b.Loop() {
				for r := range rounds {
					t0 := time.Now()
					for i := range perRound {
						feats = featurize(feats[:0], normalize(texts[(r*perRound+i)%len(texts)]))
					}
					t1 := time.Now()
					for i := range perRound {
						c.Classify(Input{Text: texts[(r*perRound+i)%len(texts)]})
					}
					base += t1.Sub(t0)
					full += time.Since(t1)
					n += perRound
				}
			}
			b.ReportMetric(float64(n)/full.Seconds(), "classifications/s")
			b.ReportMetric(full.Seconds()/base.Seconds(), "x-featurize-only")
		})
	}
}

// BenchmarkLoadModel measures loading the shipped model in a warm process.
func BenchmarkLoadModel(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := LoadModel(modelBin); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(len(modelBin)), "bytes")
}

// BenchmarkColdLoad measures what a Lambda cold start pays: a fresh process
// (this test binary, re-run in helper mode) loads the embedded model
// (load-ms), builds the rest of the classifier — taxonomy, rules, gazetteer
// (parts-ms) — and classifies its first case (first-ms), which pages in the
// parts of the model that case touches. The median of 9 processes per
// iteration is reported, since single process starts on a shared machine
// vary.
func BenchmarkColdLoad(b *testing.B) {
	var load, parts, first []float64
	for b.Loop() {
		for range 9 {
			cmd := exec.Command(os.Args[0], "-test.run=^TestColdLoadHelper$")
			cmd.Env = append(os.Environ(), "CLASSIFY_COLD_LOAD_HELPER=1")
			out, err := cmd.Output()
			if err != nil {
				b.Fatalf("helper: %v: %s", err, out)
			}
			var l, p, f int64
			if _, err := fmt.Sscanf(lastLine(string(out), "cold-load"), "cold-load %d %d %d", &l, &p, &f); err != nil {
				b.Fatalf("helper output %q: %v", out, err)
			}
			load = append(load, float64(l)/1e6)
			parts = append(parts, float64(p)/1e6)
			first = append(first, float64(f)/1e6)
		}
	}
	b.ReportMetric(median(load), "load-ms")
	b.ReportMetric(median(parts), "parts-ms")
	b.ReportMetric(median(first), "first-ms")
}

func median(xs []float64) float64 {
	s := slices.Clone(xs)
	slices.Sort(s)
	return s[len(s)/2]
}

func lastLine(out, prefix string) string {
	line := ""
	for _, l := range strings.Split(out, "\n") {
		if strings.HasPrefix(l, prefix) {
			line = l
		}
	}
	return line
}

// TestColdLoadHelper is BenchmarkColdLoad's fresh process; it does nothing
// in a normal test run.
func TestColdLoadHelper(t *testing.T) {
	if os.Getenv("CLASSIFY_COLD_LOAD_HELPER") == "" {
		t.Skip("helper for BenchmarkColdLoad")
	}
	t0 := time.Now()
	m, err := LoadModel(modelBin)
	if err != nil {
		t.Fatal(err)
	}
	t1 := time.Now()
	c, err := withEmbeddedParts(m)
	if err != nil {
		t.Fatal(err)
	}
	t2 := time.Now()
	r := c.Classify(Input{Text: benchTexts[0]})
	t3 := time.Now()
	if r.Line.Label == "" {
		t.Fatal("no line")
	}
	fmt.Printf("cold-load %d %d %d\n", t1.Sub(t0), t2.Sub(t1), t3.Sub(t2))
}

// BenchmarkLoadClassifier measures building a whole classifier from the
// embedded files, as a Lambda cold start does.
func BenchmarkLoadClassifier(b *testing.B) {
	for b.Loop() {
		m, err := LoadModel(modelBin)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := withEmbeddedParts(m); err != nil {
			b.Fatal(err)
		}
	}
}
