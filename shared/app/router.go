package app

import (
	"strings"

	"github.com/open12315/intake/shared/cases"
	"github.com/open12315/intake/shared/region"
	"github.com/open12315/intake/shared/route"
)

// ProvinceUnit handles what no county or prefecture can be told for: the
// provincial bureau's triage desk.
const ProvinceUnit = "630000"

// keywordRouter is the first, simple router: the declared kind or a few cue
// words decide the type, the gazetteer decides the county. Cases it cannot
// place go to the provincial triage desk.
type keywordRouter struct {
	gaz *region.Gazetteer
}

// NewRouter returns the router the route function uses.
func NewRouter(env Env) (route.Router, error) {
	return &keywordRouter{gaz: region.Default()}, nil
}

var (
	reportCues  = []string{"举报", "无证", "无照", "违法", "假冒", "非法"}
	inquiryCues = []string{"咨询", "请问", "想问", "怎么办理", "是否可以", "能不能"}
)

func (r *keywordRouter) Route(c *cases.Case) route.Decision {
	var d route.Decision
	cl := cases.Classification{Type: c.Kind, Confidence: 1, Model: "keyword-v0"}
	if cl.Type == "" {
		cl.Type, cl.Confidence = cases.KindComplaint, 0.6
		for _, w := range reportCues {
			if strings.Contains(c.Facts, w) {
				cl.Type = cases.KindReport
				cl.Evidence = append(cl.Evidence, "cue word "+w)
				break
			}
		}
		for _, w := range inquiryCues {
			if cl.Type == cases.KindComplaint && strings.Contains(c.Facts, w) {
				cl.Type = cases.KindInquiry
				cl.Evidence = append(cl.Evidence, "cue word "+w)
				break
			}
		}
	} else {
		cl.Evidence = append(cl.Evidence, "kind declared by the submitter")
	}
	cl.Line = "general"

	code, why := "", ""
	if rc := c.Business.RegionCode; rc != "" {
		if canon, ok := r.gaz.Canonical(rc); ok {
			code, why = canon, "region picked by the submitter: "+rc
		}
	}
	if code == "" {
		if m, ok := r.gaz.ResolveWithContext(c.Business.Address, c.Facts); ok && !m.Ambiguous {
			code, why = m.Code, m.Evidence
		}
	}
	if code == "" {
		if m, ok := r.gaz.Resolve(c.Facts); ok && !m.Ambiguous {
			code, why = m.Code, m.Evidence
		}
	}
	if code == "" {
		d.Triage = true
		code, why = ProvinceUnit, "no Qinghai place could be told; provincial triage desk"
	} else if cty, ok := r.gaz.County(code); ok {
		code = cty.Code
	}
	cl.Region = code
	name, _ := r.gaz.UnitName(code)
	d.Classification = cl
	d.Unit = cases.Unit{Code: code, Name: name}
	d.Rule = "Order 20 Art. 12(1): county where the business operates"
	d.Evidence = append(cl.Evidence, why)
	return d
}
