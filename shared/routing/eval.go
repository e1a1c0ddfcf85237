package routing

import (
	"strings"

	"github.com/open12315/intake/shared/classify"
)

// FieldRoute is the name of the routing figure in an evaluation report.
const FieldRoute = "route"

// ExpectedRoute is where a labelled example should go, written as
// "regulator:<unit code>", "referral:<agency>" or "triage". It follows the
// same rules as Route, from the gold labels instead of the classifier's:
// a referral goes to its agency; an inquiry is answered by the unit of the
// business's region, or by the provincial centre when no place is named; a
// complaint or report goes to the bureau of its region (county, or
// prefecture when only that is known) and to triage when no Qinghai place
// can be told. It returns "" when the example lacks the labels to decide.
func ExpectedRoute(e classify.Example) string {
	switch {
	case e.Line == "referral":
		if e.Agency == "" {
			return ""
		}
		return string(Referral) + ":" + e.Agency
	case e.Type == "" || e.Line == "":
		return ""
	case e.Region != "":
		return string(Regulator) + ":" + e.Region
	case e.Type == Inquiry:
		return string(Regulator) + ":630000"
	}
	return string(Triage)
}

// RouteLabel writes a decision in the form ExpectedRoute uses.
func RouteLabel(d Decision) string {
	switch d.Target {
	case Regulator:
		return string(Regulator) + ":" + d.UnitCode
	case Referral:
		if d.Agency != nil {
			return string(Referral) + ":" + d.Agency.Code
		}
	case ODR:
		if d.ODR != nil {
			return string(ODR) + ":" + d.ODR.ID
		}
	}
	return string(d.Target)
}

// Evaluate classifies and routes every example that has an expected route
// (see ExpectedRoute) and scores the exact destination. The confusion table
// is kept by target only (regulator, referral, triage, odr), so that it
// stays readable with dozens of units; Correct counts exact matches.
func (rt *Router) Evaluate(c *classify.Classifier, ex []classify.Example) classify.FieldReport {
	fr := classify.FieldReport{Field: FieldRoute, Confusion: map[string]map[string]int{}}
	for _, e := range ex {
		want := ExpectedRoute(e)
		if want == "" {
			continue
		}
		res := c.Classify(classify.Input{ID: e.ID, Text: e.Text, BusinessAddress: e.BusinessAddress})
		d := rt.Route(Case{Text: e.Text, Business: Business{Address: e.BusinessAddress}}, res)
		got := RouteLabel(d)
		fr.N++
		if got == want {
			fr.Correct++
		}
		g, _, _ := strings.Cut(want, ":")
		p := string(d.Target)
		if fr.Confusion[g] == nil {
			fr.Confusion[g] = map[string]int{}
		}
		fr.Confusion[g][p]++
	}
	return fr
}
