// Package routing decides where a classified 12315 case goes: to the
// competent market-regulation bureau under the jurisdiction rules of Order 20
// (Art. 12 for complaints, Art. 25–27 for reports), first to a registered
// ODR enterprise, to another agency when the matter is not market
// regulation, or to triage for a person when the facts are not clear enough.
package routing

import (
	"fmt"
	"strings"
	"time"

	"github.com/open12315/intake/shared/cases"
	"github.com/open12315/intake/shared/classify"
	"github.com/open12315/intake/shared/region"
)

// Target is where a decision sends a case.
type Target string

// Targets.
const (
	Regulator Target = "regulator" // a market-regulation bureau
	ODR       Target = "odr"       // a registered ODR enterprise, first
	Referral  Target = "referral"  // another agency: the consumer is told which
	Triage    Target = "triage"    // a person decides
)

// Case kinds (the classification's type).
const (
	Complaint = "complaint"
	Report    = "report"
	Inquiry   = "inquiry"
)

// Order121Effective is when Order 121 replaced Order 20.
var Order121Effective = time.Date(2026, 4, 15, 0, 0, 0, 0, time.FixedZone("CST", 8*3600))

// ODRWorkingDays is the ODR enterprise's negotiation clock (domain §2.3).
const ODRWorkingDays = 10

// Business is the respondent as given at intake.
type Business struct {
	Name       string `json:"name,omitempty"`
	CreditCode string `json:"credit_code,omitempty"`
	Address    string `json:"address,omitempty"` // operating address (实际经营地)
	Region     string `json:"region,omitempty"`  // region code of the operating place, if known
	Domicile   string `json:"domicile,omitempty"`
	// DomicileRegion is the region code of the registered domicile (住所地).
	DomicileRegion string `json:"domicile_region,omitempty"`
	// PlatformOperator: the respondent is an e-commerce platform operator or
	// sells through its own website (Art. 12(2), 27(1)).
	PlatformOperator bool `json:"platform_operator,omitempty"`
	// PlatformMerchant: the respondent sells on someone else's platform.
	PlatformMerchant bool   `json:"platform_merchant,omitempty"`
	Platform         string `json:"platform,omitempty"`
	// PlatformRegion is the region code of the platform operator's domicile.
	PlatformRegion string `json:"platform_region,omitempty"`
	// AddressUnknown: the merchant shows no address on the platform or cannot
	// be reached there (Order 121 sends such complaints to the platform's domicile).
	AddressUnknown bool `json:"address_unknown,omitempty"`
}

// Case is what routing needs to know about a case besides its classification.
type Case struct {
	Kind     string   `json:"kind,omitempty"` // complaint, report or inquiry; default: the classification's type
	Text     string   `json:"text,omitempty"`
	Business Business `json:"business"`
	// ConductRegion is where the reported conduct took place (reports).
	ConductRegion string    `json:"conduct_region,omitempty"`
	ReceivedAt    time.Time `json:"received_at"`
	// ODROptOut: the consumer declined the ODR enterprise route.
	ODROptOut bool `json:"odr_opt_out,omitempty"`
	// PreferPlatform: a complaint against a platform merchant goes to the
	// platform's domicile by the consumer's choice (Art. 12(2)).
	PreferPlatform bool `json:"prefer_platform,omitempty"`
}

// Decision is where a case goes and why.
type Decision struct {
	Target   Target           `json:"target"`
	UnitCode string           `json:"unit_code,omitempty"`
	UnitName string           `json:"unit_name,omitempty"`
	Agency   *classify.Agency `json:"agency,omitempty"`
	ODR      *Enterprise      `json:"odr,omitempty"`
	// ClockWorkingDays is the ODR enterprise's own clock.
	ClockWorkingDays int `json:"clock_working_days,omitempty"`
	// Answer is the message to the consumer for referrals.
	Answer   string   `json:"answer,omitempty"`
	Rule     string   `json:"rule"`
	RuleSet  string   `json:"rule_set"` // order20 or order121
	Evidence []string `json:"evidence"`
	// Suggestions are candidate units (codes) or labels for a person, in triage.
	Suggestions []string `json:"suggestions,omitempty"`
}

// Router makes decisions. Registry may be nil (no ODR enterprises).
type Router struct {
	Gazetteer *region.Gazetteer
	Registry  *Registry
}

// New returns a router over the Qinghai gazetteer and reg.
func New(reg *Registry) *Router { return &Router{Gazetteer: region.Default(), Registry: reg} }

// Route decides where the case goes, given its classification.
//
// When the classifier is unsure of the type (cl.TypeDoubt) and the case
// did not come with one, every likely type is routed: if they all reach the
// same destination the case goes there, with the doubt in the evidence for
// the bureau to settle; otherwise a person decides.
func (rt *Router) Route(c Case, cl classify.Result) Decision {
	if c.Kind != "" || len(cl.TypeDoubt) == 0 {
		return rt.route(c, cl, c.Kind)
	}
	d := rt.route(c, cl, cl.Type.Label)
	if d.Target == Triage {
		return d
	}
	for _, alt := range cl.TypeDoubt {
		a := rt.route(c, cl, alt)
		if a.Target != d.Target || a.UnitCode != d.UnitCode || !sameODR(a.ODR, d.ODR) || !sameAgency(a.Agency, d.Agency) {
			t := Decision{RuleSet: d.RuleSet, Target: Triage,
				Rule: "type uncertain and its readings lead to different destinations: a person confirms the type"}
			t.Evidence = append(t.Evidence, fmt.Sprintf("as %s: %s; as %s: %s", cl.Type.Label, describe(d), alt, describe(a)))
			for _, s := range cl.Type.Top {
				t.Suggestions = append(t.Suggestions, fmt.Sprintf("type=%s (%.2f)", s.Label, s.Confidence))
			}
			return t
		}
	}
	d.Evidence = append(d.Evidence, fmt.Sprintf("type %s uncertain (%.2f); as %s it goes to the same place, so the bureau confirms the type",
		cl.Type.Label, cl.Type.Confidence, strings.Join(cl.TypeDoubt, " or ")))
	return d
}

func sameODR(a, b *Enterprise) bool { return (a == nil) == (b == nil) && (a == nil || a.ID == b.ID) }

func sameAgency(a, b *classify.Agency) bool {
	return (a == nil) == (b == nil) && (a == nil || a.Code == b.Code)
}

// describe names a decision's destination for evidence.
func describe(d Decision) string {
	switch {
	case d.ODR != nil:
		return "ODR " + d.ODR.Name
	case d.Agency != nil:
		return "referral to " + d.Agency.Name
	case d.UnitCode != "":
		return string(d.Target) + " " + d.UnitCode
	}
	return string(d.Target)
}

// route decides for one reading of the case's kind ("" means the
// classification's type).
func (rt *Router) route(c Case, cl classify.Result, kind string) Decision {
	d := Decision{RuleSet: "order20"}
	if !c.ReceivedAt.IsZero() && !c.ReceivedAt.Before(Order121Effective) {
		d.RuleSet = "order121"
	}
	if kind == "" {
		kind = cl.Type.Label
	}
	// 1. Classification too uncertain: a person decides.
	if cl.Triage {
		d.Target, d.Rule = Triage, "low classification confidence: a person confirms type and line"
		d.Evidence = append(d.Evidence, cl.TriageReasons...)
		for _, s := range cl.Line.Top {
			d.Suggestions = append(d.Suggestions, fmt.Sprintf("line=%s (%.2f)", s.Label, s.Confidence))
		}
		for _, s := range cl.Type.Top {
			d.Suggestions = append(d.Suggestions, fmt.Sprintf("type=%s (%.2f)", s.Label, s.Confidence))
		}
		// If a person decides it is a referral (triage_refer), to whom.
		if a := cl.Agency; a != nil {
			d.Suggestions = append(d.Suggestions, "agency="+a.Code)
		} else if a := cl.AgencySuggestion; a != nil {
			d.Suggestions = append(d.Suggestions, "agency="+a.Code)
		}
		return d
	}
	// 2. Not a market-regulation matter: tell the consumer where to go.
	if cl.Line.Label == "referral" {
		a := classify.Agency{Code: "general", Name: "政务服务便民热线", Contact: "12345"}
		if cl.Agency != nil {
			a = *cl.Agency
		}
		d.Target, d.Agency = Referral, &a
		d.Rule = "Order 20 Art. 15(1) / Art. 39(2): outside market-regulation duties; the consumer is told the competent agency"
		d.Answer = cases.ReferralAnswer(cases.Agency{Code: a.Code, Name: a.Name, Contact: a.Contact})
		d.Evidence = append(d.Evidence, fmt.Sprintf("line=referral (%.2f), agency %s", cl.Line.Confidence, a.Code))
		return d
	}
	// 3. A complaint against a registered ODR enterprise goes to it first.
	if kind == Complaint && !c.ODROptOut {
		if e, why, ok := rt.Registry.Match(c.Business); ok {
			d.Target, d.ODR, d.ClockWorkingDays = ODR, &e, ODRWorkingDays
			d.Rule = "ODR: the enterprise negotiates within 10 working days; if that fails the consumer may complain to the regulator"
			d.Evidence = append(d.Evidence, why)
			return d
		}
	} else if kind == Complaint && c.ODROptOut {
		d.Evidence = append(d.Evidence, "consumer declined the ODR route")
	}
	// 4. Jurisdiction.
	rt.jurisdiction(c, cl, kind, &d)
	return d
}

// place is a candidate region for the case with where it came from.
type place struct {
	code, why string
}

func (rt *Router) jurisdiction(c Case, cl classify.Result, kind string, d *Decision) {
	g := rt.Gazetteer
	b := c.Business
	operating := rt.operatingPlace(c, cl, d)
	domicile := rt.codePlace(b.DomicileRegion, "business domicile_region", d)
	platform := rt.codePlace(b.PlatformRegion, "platform domicile platform_region", d)

	var chosen place
	switch {
	case kind == Inquiry:
		d.Rule = "Order 20 Art. 39(2): inquiries are answered by 12315 staff, not handled under the Measures"
		chosen = first(operating, domicile)
		if chosen.code == "" {
			chosen = place{"630000", "no region named: provincial 12315 centre answers"}
		}
	case b.PlatformOperator:
		if kind == Report {
			d.Rule = "Order 20 Art. 27(1): report against a platform operator → its domicile"
		} else {
			d.Rule = "Order 20 Art. 12(2): complaint against a platform operator → its domicile"
		}
		chosen = first(domicile, operating)
		if domicile.code == "" && chosen.code != "" {
			d.Evidence = append(d.Evidence, "domicile not given: using the operator's stated address as its domicile")
		}
	case b.PlatformMerchant && kind == Report:
		d.Rule = "Order 20 Art. 27(2): report against a platform merchant → where it actually operates"
		chosen = operating
		if chosen.code == "" && platform.code != "" {
			chosen = platform
			d.Rule += "; merchant's place unknown: the platform's domicile bureau may handle it"
		}
	case b.PlatformMerchant:
		d.Rule = "Order 20 Art. 12(2): complaint against a platform merchant → its operating place or the platform's domicile"
		switch {
		case c.PreferPlatform && platform.code != "":
			chosen = platform
			d.Evidence = append(d.Evidence, "consumer chose the platform operator's domicile")
		case operating.code != "" && !b.AddressUnknown:
			chosen = operating
			if platform.code != "" {
				d.Suggestions = append(d.Suggestions, platform.code)
				d.Evidence = append(d.Evidence, "alternative: platform domicile "+platform.code)
			}
		case platform.code != "":
			chosen = platform
			if d.RuleSet == "order121" {
				d.Rule = "Order 121: platform merchant without a shown or reachable address → the platform operator's domicile"
			} else {
				d.Evidence = append(d.Evidence, "merchant's operating place unknown: using the platform's domicile")
			}
		}
	case kind == Report:
		d.Rule = "Order 20 Art. 25: report → where the conduct took place"
		chosen = first(rt.codePlace(c.ConductRegion, "conduct_region", d), operating, domicile)
	default:
		d.Rule = "Order 20 Art. 12(1): complaint → county where the business actually operates or is domiciled"
		chosen = first(operating, domicile)
	}
	if chosen.code == "" {
		d.Target = Triage
		d.Evidence = append(d.Evidence, "no Qinghai region for the business: a person must establish jurisdiction")
		return
	}
	if cl.RegionAmbiguous && chosen.why == "text" {
		d.Target = Triage
		d.Evidence = append(d.Evidence, "the text names more than one county")
		d.Suggestions = append(d.Suggestions, chosen.code)
		return
	}
	r, _ := g.Lookup(chosen.code)
	if r.Level == region.Town {
		r, _ = g.County(r.Code)
	}
	if r.Level == region.Province && kind != Inquiry {
		d.Target = Triage
		d.Evidence = append(d.Evidence, "only the province is known: a person must find the county")
		return
	}
	d.Target, d.UnitCode = Regulator, r.Code
	d.UnitName, _ = g.UnitName(r.Code)
	d.Evidence = append(d.Evidence, fmt.Sprintf("region %s %s from %s", r.Code, r.Name, chosen.why))
	if r.Level == region.Prefecture {
		d.Evidence = append(d.Evidence, "county not known: the prefecture bureau assigns it (Art. 12(3))")
	}
}

// operatingPlace finds where the business actually operates: its region
// code, its address, then the classification's region from the text.
func (rt *Router) operatingPlace(c Case, cl classify.Result, d *Decision) place {
	if p := rt.codePlace(c.Business.Region, "business region", d); p.code != "" {
		return p
	}
	if a := strings.TrimSpace(c.Business.Address); a != "" {
		// The classifier read the same address (see classify's
		// resolveRegion): its reading stands, including its judgement
		// that an address looks like the consumer's home.
		if cl.RegionSource == "business_address" && cl.Region != "" {
			return place{cl.Region, "business address"}
		}
		if !region.ConsumersHome(a, c.Text) {
			if m, ok := rt.Gazetteer.ResolveAddress(a, c.Text); ok && m.Level != region.Province {
				d.Evidence = append(d.Evidence, "address: "+m.Evidence)
				return place{m.Code, "business address"}
			}
		}
	}
	if cl.Region != "" {
		if cl.RegionSource == "text" {
			return place{cl.Region, "text"}
		}
		return place{cl.Region, "classification " + cl.RegionSource}
	}
	return place{}
}

// codePlace validates a structured region code; invalid codes are noted
// in the evidence and ignored.
func (rt *Router) codePlace(code, field string, d *Decision) place {
	code = strings.TrimSpace(code)
	if code == "" {
		return place{}
	}
	r, ok := rt.Gazetteer.Lookup(code)
	if !ok {
		d.Evidence = append(d.Evidence, fmt.Sprintf("ignored invalid %s %q", field, code))
		return place{}
	}
	if r.Code != code {
		d.Evidence = append(d.Evidence, fmt.Sprintf("%s %s is a retired code: now %s %s", field, code, r.Code, r.Name))
	}
	return place{r.Code, field}
}

func first(ps ...place) place {
	for _, p := range ps {
		if p.code != "" {
			return p
		}
	}
	return place{}
}
