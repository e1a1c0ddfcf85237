package main

import (
	"bufio"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/open12315/intake/shared/classify"
	"github.com/open12315/intake/shared/routing"
)

func init() {
	commands["classify"] = command{
		summary: "classify and route JSON lines {\"id\",\"text\",…} from stdin; one JSON line out per input",
		run:     runClassify,
	}
	commands["train"] = command{
		summary: "train a model from labelled JSON lines on stdin (text + type/line/cca_class/nature); write it to -o (-shipped: data/model.bin from the project's own examples and cases, reading no input)",
		run:     runTrain,
	}
	commands["eval"] = command{
		summary: "print accuracy and confusion tables per field for labelled JSON lines on stdin",
		run:     runEval,
	}
}

// classifyIn is one input line: the classifier's input plus what routing uses.
type classifyIn struct {
	classify.Input
	Kind             string    `json:"kind,omitempty"`
	CreditCode       string    `json:"credit_code,omitempty"`
	DomicileRegion   string    `json:"domicile_region,omitempty"`
	PlatformOperator bool      `json:"platform_operator,omitempty"`
	PlatformMerchant bool      `json:"platform_merchant,omitempty"`
	Platform         string    `json:"platform,omitempty"`
	PlatformRegion   string    `json:"platform_region,omitempty"`
	AddressUnknown   bool      `json:"address_unknown,omitempty"`
	ConductRegion    string    `json:"conduct_region,omitempty"`
	ODROptOut        bool      `json:"odr_opt_out,omitempty"`
	PreferPlatform   bool      `json:"prefer_platform,omitempty"`
	ReceivedAt       time.Time `json:"received_at,omitempty"`
}

type classifyOut struct {
	ID         string              `json:"id"`
	Type       string              `json:"type"`
	Line       string              `json:"line"`
	CCAClass   string              `json:"cca_class"`
	Nature     string              `json:"nature"`
	Region     string              `json:"region"`
	Unit       string              `json:"unit"`
	UnitName   string              `json:"unit_name,omitempty"`
	Target     routing.Target      `json:"target"`
	Agency     *classify.Agency    `json:"agency,omitempty"`
	ODR        *routing.Enterprise `json:"odr,omitempty"`
	Answer     string              `json:"answer,omitempty"`
	Rule       string              `json:"rule,omitempty"`
	Confidence float64             `json:"confidence"`
	Triage     bool                `json:"triage"`
	// Suggestions are the top candidates a person in triage sees.
	Suggestions []string        `json:"suggestions,omitempty"`
	Evidence    []string        `json:"evidence"`
	Detail      classify.Result `json:"detail"`
}

func loadClassifier(modelPath string) (*classify.Classifier, error) {
	c, err := classify.Default()
	if err != nil || modelPath == "" {
		return c, err
	}
	data, err := os.ReadFile(modelPath)
	if err != nil {
		return nil, fmt.Errorf("read model: %w", err)
	}
	m, err := classify.LoadModel(data)
	if err != nil {
		return nil, fmt.Errorf("load model %s: %w", modelPath, err)
	}
	return classify.New(m, c.Rules, c.Taxonomy, c.Gazetteer), nil
}

func runClassify(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("classify", flag.ContinueOnError)
	fs.SetOutput(stderr)
	modelPath := fs.String("model", "", "model file (default: the shipped model)")
	odrPath := fs.String("odr", "", "ODR registry JSON file (array of enterprises)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	c, err := loadClassifier(*modelPath)
	if err != nil {
		return err
	}
	var reg *routing.Registry
	if *odrPath != "" {
		f, err := os.Open(*odrPath)
		if err != nil {
			return fmt.Errorf("open ODR registry: %w", err)
		}
		reg, err = routing.LoadRegistry(f)
		f.Close()
		if err != nil {
			return err
		}
	}
	rt := routing.New(reg)
	out := bufio.NewWriter(stdout)
	defer out.Flush()
	enc := json.NewEncoder(out)
	enc.SetEscapeHTML(false)
	sc := bufio.NewScanner(os.Stdin)
	sc.Buffer(make([]byte, 64<<10), 4<<20)
	n := 0
	for sc.Scan() {
		n++
		line := strings.TrimSpace(sc.Text())
		if line == "" {
			continue
		}
		var in classifyIn
		if err := json.Unmarshal([]byte(line), &in); err != nil {
			var idOnly struct {
				ID json.RawMessage `json:"id"`
			}
			_ = json.Unmarshal([]byte(line), &idOnly)
			enc.Encode(map[string]any{"id": rawID(idOnly.ID), "line": n, "error": "invalid JSON line: " + err.Error()})
			continue
		}
		res := c.Classify(in.Input)
		d := rt.Route(routing.Case{
			Kind: in.Kind, Text: in.Text, ConductRegion: in.ConductRegion, ReceivedAt: in.ReceivedAt,
			ODROptOut: in.ODROptOut, PreferPlatform: in.PreferPlatform,
			Business: routing.Business{
				Name: in.BusinessName, CreditCode: in.CreditCode, Address: in.BusinessAddress,
				Region: in.BusinessRegion, DomicileRegion: in.DomicileRegion,
				PlatformOperator: in.PlatformOperator, PlatformMerchant: in.PlatformMerchant,
				Platform: in.Platform, PlatformRegion: in.PlatformRegion, AddressUnknown: in.AddressUnknown,
			},
		}, res)
		o := classifyOut{
			ID: in.ID, Type: res.Type.Label, Line: res.Line.Label, CCAClass: res.CCAClass.Label,
			Nature: res.Nature.Label, Region: res.Region, Unit: d.UnitCode, UnitName: d.UnitName,
			Target: d.Target, Agency: d.Agency, ODR: d.ODR, Answer: d.Answer, Rule: d.Rule,
			Confidence: res.Confidence, Triage: d.Target == routing.Triage, Suggestions: d.Suggestions,
			Evidence: append(append([]string(nil), res.Evidence...), d.Evidence...), Detail: res,
		}
		if d.ODR != nil {
			o.Unit, o.UnitName = "odr:"+d.ODR.ID, d.ODR.Name
		} else if d.Agency != nil {
			o.Unit, o.UnitName = "agency:"+d.Agency.Code, d.Agency.Name
		}
		if err := enc.Encode(o); err != nil {
			return fmt.Errorf("write result: %w", err)
		}
	}
	if err := sc.Err(); err != nil {
		return fmt.Errorf("read stdin line %d: %w", n+1, err)
	}
	return nil
}

// rawID renders an id of any JSON type as a string.
func rawID(raw json.RawMessage) string {
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return s
	}
	return string(raw)
}

func runTrain(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("train", flag.ContinueOnError)
	fs.SetOutput(stderr)
	cfg, err := classify.TrainingConfig()
	if err != nil {
		return err
	}
	shipped, err := classify.ShippedTrainConfig()
	if err != nil {
		return err
	}
	fromShipped := len(args) > 0 && args[0] == "-shipped"
	if fromShipped {
		// The settings and examples that build data/model.bin; flags after
		// it still apply.
		cfg, args = shipped, args[1:]
	}
	outPath := fs.String("o", "", "write the model here (default: stdout)")
	algo := fs.String("algo", string(cfg.Algorithm), "nb (naive Bayes), logreg (logistic regression), svm (linear SVM), nbsvm, or an ensemble such as nb:0.4+svm:0.6; a part ending in @field,… predicts only those fields (not the first part), as in svm:0.8+nb:0.2@cca_class")
	fs.Float64Var(&cfg.Alpha, "alpha", cfg.Alpha, "naive Bayes smoothing")
	fs.IntVar(&cfg.MinDF, "min-df", cfg.MinDF, "keep n-grams seen in at least this many examples")
	fs.Float64Var(&cfg.NBSelect, "nb-select", cfg.NBSelect, "naive Bayes keeps the n-grams whose spread over the classes differs from the classes' shares by at least this (nats; 0 keeps all)")
	fs.IntVar(&cfg.Epochs, "epochs", cfg.Epochs, "logistic regression passes")
	fs.Float64Var(&cfg.C, "c", cfg.C, "SVM inverse regularisation strength")
	fs.Float64Var(&cfg.SVMPrune, "svm-prune", cfg.SVMPrune, "drop SVM weights smaller than this (a smaller, faster model)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	cfg.Algorithm = classify.Algorithm(*algo)
	var m *classify.Model
	skipped := 0
	if fromShipped {
		ex, err := classify.ShippedExamples()
		if err != nil {
			return err
		}
		if m, err = classify.Train(ex, cfg); err != nil {
			return err
		}
	} else if m, skipped, err = classify.TrainFromJSONL(os.Stdin, cfg); err != nil {
		return err
	}
	data, err := m.MarshalBinary()
	if err != nil {
		return fmt.Errorf("encode model: %w", err)
	}
	fmt.Fprintf(stderr, "trained %s model for %s (%d bytes, %d lines skipped)\n", cfg.Algorithm, strings.Join(m.Fields(), ","), len(data), skipped)
	if *outPath == "" {
		_, err = stdout.Write(data)
		return err
	}
	if err := os.WriteFile(*outPath, data, 0o644); err != nil {
		return fmt.Errorf("write model: %w", err)
	}
	return nil
}

func runEval(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("eval", flag.ContinueOnError)
	fs.SetOutput(stderr)
	modelPath := fs.String("model", "", "model file (default: the shipped model)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	c, err := loadClassifier(*modelPath)
	if err != nil {
		return err
	}
	ex, skipped, err := classify.ReadExamples(os.Stdin)
	if err != nil {
		return err
	}
	if skipped > 0 {
		fmt.Fprintf(stderr, "skipped %d unreadable lines\n", skipped)
	}
	rep := classify.Evaluate(c, ex)
	// Examples labelled with type and line (and region or agency) are also
	// routed, and the destination is scored against the one the labels imply.
	if fr := routing.New(nil).Evaluate(c, ex); fr.N > 0 {
		rep.Fields = append(rep.Fields, fr)
	}
	return rep.WriteText(stdout)
}
