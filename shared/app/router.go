package app

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/open12315/intake/shared/cases"
	"github.com/open12315/intake/shared/classify"
	"github.com/open12315/intake/shared/region"
	"github.com/open12315/intake/shared/route"
	"github.com/open12315/intake/shared/routing"
)

// ProvinceUnit is the provincial bureau: its 12315 centre triages what no
// county or prefecture can be told for, and answers referrals.
const ProvinceUnit = "630000"

// ODRSource lists the registered ODR enterprises.
type ODRSource interface {
	ODREnterprises(ctx context.Context) ([]routing.Enterprise, error)
}

// Router classifies a case (type, business line, CCA class and nature,
// region) and applies the jurisdiction, ODR-first and referral rules.
// The ODR registry is read from the store and kept for RegistryTTL, so a
// change made through the staff API or the CLI reaches routing within
// minutes without a deployment.
type Router struct {
	Classifier  *classify.Classifier
	Gazetteer   *region.Gazetteer
	ODR         ODRSource
	RegistryTTL time.Duration
	Now         func() time.Time

	mu       sync.Mutex
	registry *routing.Registry
	loaded   time.Time
}

var _ route.Router = (*Router)(nil)

// NewRouter returns the router the route function uses.
func NewRouter(odr ODRSource) (*Router, error) {
	cl, err := classify.Default()
	if err != nil {
		return nil, fmt.Errorf("load classifier: %w", err)
	}
	return &Router{Classifier: cl, Gazetteer: region.Default(), ODR: odr, RegistryTTL: 5 * time.Minute, Now: time.Now}, nil
}

func (r *Router) registryNow(ctx context.Context) (*routing.Registry, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.registry != nil && r.Now().Sub(r.loaded) < r.RegistryTTL {
		return r.registry, nil
	}
	es, err := r.ODR.ODREnterprises(ctx)
	if err != nil {
		return nil, err
	}
	reg, err := routing.NewRegistry(es...)
	if err != nil {
		return nil, fmt.Errorf("ODR registry: %w", err)
	}
	r.registry, r.loaded = reg, r.Now()
	return reg, nil
}

// Route implements route.Router.
func (r *Router) Route(ctx context.Context, c *cases.Case) (route.Decision, error) {
	reg, err := r.registryNow(ctx)
	if err != nil {
		return route.Decision{}, err
	}
	text := c.Facts
	if c.Request != "" {
		text += "\n" + c.Request
	}
	res := r.Classifier.Classify(classify.Input{
		ID: c.ID, Text: text,
		BusinessName: c.Business.Name, BusinessAddress: c.Business.Address, BusinessRegion: c.Business.RegionCode,
	})
	rc := routing.Case{
		Kind: string(c.Kind), Text: text, ReceivedAt: c.ReceivedAt, ODROptOut: c.ODROptOut,
		Business: routing.Business{
			Name: c.Business.Name, CreditCode: c.Business.CreditCode, Address: c.Business.Address,
			Region: c.Business.RegionCode, Platform: c.Business.Platform,
			PlatformOperator: c.Business.PlatformRole == "operator",
			PlatformMerchant: c.Business.PlatformRole == "merchant",
		},
	}
	router := &routing.Router{Gazetteer: r.Gazetteer, Registry: reg}
	dec := router.Route(rc, res)

	typ := cases.Kind(res.Type.Label)
	evidence := res.Evidence
	if c.Kind != "" && c.Kind != typ {
		// Choosing between complaint and report is the submitter's legal
		// act; the classifier's view is kept as evidence.
		evidence = append(evidence, fmt.Sprintf("type %s declared by the submitter (classifier: %s, %.2f)", c.Kind, typ, res.Type.Confidence))
		typ = c.Kind
	}
	d := route.Decision{
		Classification: cases.Classification{
			Type: typ, Line: res.Line.Label, CCAClass: res.CCAClass.Label,
			Nature: res.Nature.Label, Region: res.Region, Confidence: res.Confidence,
			Evidence: evidence, Model: "classify/" + res.Version,
		},
		Routing: cases.Routing{
			Target: string(dec.Target), Rule: dec.Rule, RuleSet: dec.RuleSet, Answer: dec.Answer,
			Suggestions: dec.Suggestions, Evidence: dec.Evidence,
		},
		Mixed: res.Mixed,
	}
	if dec.Agency != nil {
		d.Routing.Agency = &cases.Agency{Code: dec.Agency.Code, Name: dec.Agency.Name, Contact: dec.Agency.Contact}
	}
	unit := dec.UnitCode
	switch dec.Target {
	case routing.ODR:
		d.Routing.ODR = &cases.ODRRef{ID: dec.ODR.ID, Name: dec.ODR.Name, Contact: dec.ODR.Contact}
		// The regulator that takes the complaint back if the negotiation
		// fails: the jurisdiction the case would have had without ODR.
		rc.ODROptOut = true
		if alt := router.Route(rc, res); alt.Target == routing.Regulator {
			unit = alt.UnitCode
		}
	case routing.Triage:
		for _, s := range dec.Suggestions {
			if _, ok := r.Gazetteer.Lookup(s); ok && len(s) == 6 {
				unit = s // a candidate unit's desk looks first
				break
			}
		}
	}
	if unit == "" {
		unit = ProvinceUnit
	}
	name, _ := r.Gazetteer.UnitName(unit)
	if name == "" && unit == ProvinceUnit {
		name = "青海省市场监督管理局"
	}
	d.Unit = cases.Unit{Code: unit, Name: name}
	if d.Classification.Evidence == nil {
		d.Classification.Evidence = []string{}
	}
	if len(res.TriageReasons) > 0 && dec.Target == routing.Triage {
		d.Routing.Evidence = append(d.Routing.Evidence, "triage: "+strings.Join(res.TriageReasons, "; "))
	}
	return d, nil
}
