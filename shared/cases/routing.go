package cases

// Routing targets: where the route consumer sent a case.
const (
	TargetRegulator = "regulator" // a market-regulation unit with jurisdiction
	TargetODR       = "odr"       // a registered ODR enterprise, first
	TargetReferral  = "referral"  // another agency; the consumer is told which
	TargetTriage    = "triage"    // a person decides
)

// StateReferred: not a market-regulation matter; the consumer was told
// which agency handles it and how to reach it.
const StateReferred State = "referred"

func init() {
	statusText[StateReferred] = "不属于市场监管部门职责，已告知受理机关"
}

// Agency is another government body a case is referred to.
type Agency struct {
	Code    string `json:"code"`
	Name    string `json:"name"`
	Contact string `json:"contact"`
}

// ReferralAnswer is what the consumer is told when a case is referred to
// agency a: that the matter is outside market regulation, and whom to turn
// to, and how.
func ReferralAnswer(a Agency) string {
	return "您反映的问题不属于市场监督管理部门的职责范围，请向" + a.Name + "反映（" + a.Contact + "）。"
}

// ODRRef names the ODR enterprise a complaint went to first.
type ODRRef struct {
	ID      string `json:"id"`
	Name    string `json:"name"`
	Contact string `json:"contact,omitempty"`
}

// Routing records why a case went where it went, for staff and auditors.
type Routing struct {
	Target  string  `json:"target"`
	Rule    string  `json:"rule,omitempty"`     // the jurisdiction rule or article applied
	RuleSet string  `json:"rule_set,omitempty"` // order20 or order121
	Agency  *Agency `json:"agency,omitempty"`
	ODR     *ODRRef `json:"odr,omitempty"`
	// Answer is what the consumer is told, for referrals.
	Answer string `json:"answer,omitempty"`
	// Suggestions are the classifier's top candidates, for a person in
	// triage.
	Suggestions []string `json:"suggestions,omitempty"`
	Evidence    []string `json:"evidence,omitempty"`
	// Linked is the other half of a submission that was both a complaint
	// and a report (Order 20 Art. 7: handled separately).
	Linked string `json:"linked,omitempty"`
}
