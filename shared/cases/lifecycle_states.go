package cases

import "time"

// The states a case reaches after routing, while a unit handles it. They
// extend the intake states in case.go; package lifecycle holds the table of
// actions that move a case between them.
const (
	// StateMediating: a complaint accepted (受理); mediation runs on the
	// mediation clock (Order 20 Art. 14, 21).
	StateMediating State = "mediating"
	// StateNotAccepted: a complaint refused (不予受理) on an Art. 15 ground.
	StateNotAccepted State = "not_accepted"
	// StateMediationEnded: mediation ended by agreement or terminated on an
	// Art. 21 ground; the case waits to be closed with its outcome.
	StateMediationEnded State = "mediation_ended"
	// StateClosed: a complaint closed (办结) with its outcome recorded.
	StateClosed State = "closed"
	// StateWithdrawn: the consumer withdrew the complaint.
	StateWithdrawn State = "withdrawn"
	// StateODRNegotiating: the complaint went to an ODR enterprise, which
	// negotiates with the consumer on its own 10-working-day clock.
	StateODRNegotiating State = "odr_negotiating"
	// StateODRSettled: the ODR enterprise and the consumer settled.
	StateODRSettled State = "odr_settled"
	// StateODRUnsettled: ODR negotiation failed; the consumer may ask the
	// regulator to take the complaint (back to pending acceptance).
	StateODRUnsettled State = "odr_unsettled"
	// StateCaseFiled: a report led to a case being filed (立案).
	StateCaseFiled State = "case_filed"
	// StateNotFiled: a report was verified and no case was filed (不予立案).
	StateNotFiled State = "not_filed"
	// StateAnswered: an inquiry was answered.
	StateAnswered State = "answered"
)

// Terminal reports whether no lifecycle action can leave s except the
// reporter notice on a filing decision. A referred case is terminal: the
// consumer was told where to turn, and nothing more happens to it here.
func (s State) Terminal() bool {
	switch s {
	case StateNotAccepted, StateClosed, StateWithdrawn, StateCaseFiled, StateNotFiled, StateAnswered, StateReferred:
		return true
	}
	return false
}

func init() {
	for s, t := range map[State]string{
		StateMediating:      "已受理，正在调解",
		StateNotAccepted:    "不予受理",
		StateMediationEnded: "调解已结束",
		StateClosed:         "已办结",
		StateWithdrawn:      "已撤回",
		StateODRNegotiating: "已转ODR企业协商处理",
		StateODRSettled:     "ODR企业已与消费者和解",
		StateODRUnsettled:   "ODR协商未和解",
		StateCaseFiled:      "已核查，已立案",
		StateNotFiled:       "已核查，不予立案",
		StateAnswered:       "已答复",
	} {
		if _, ok := statusText[s]; !ok {
			statusText[s] = t
		}
	}
}

// Mediation results.
const (
	MediationAgreement  = "agreement"  // 达成调解协议
	MediationTerminated = "terminated" // 终止调解 on an Art. 21 ground
)

// Filing decisions on a report.
const (
	FilingFiled    = "filed"     // 立案
	FilingNotFiled = "not_filed" // 不予立案
)

// ODR results.
const (
	ODRSettled   = "settled"
	ODRUnsettled = "unsettled"
)

// Outcome is what the annual statistics and the metrics of domain.md §2.2
// need from a finished (or finishing) case. Amounts are in fen.
type Outcome struct {
	// Complaint acceptance.
	AcceptedAt    *time.Time `json:"accepted_at,omitempty"`
	RefusalGround string     `json:"refusal_ground,omitempty"` // 15-1 … 15-6, or an Order 121 ground
	// RefusalReason is the ground's wording, which the consumer is told.
	RefusalReason string `json:"refusal_reason,omitempty"`

	// Mediation.
	MediationResult   string `json:"mediation_result,omitempty"`   // agreement | terminated
	TerminationGround string `json:"termination_ground,omitempty"` // 21-1 … 21-7, or an Order 121 ground
	// TerminationReason is that ground's wording, which the consumer is told.
	TerminationReason string     `json:"termination_reason,omitempty"`
	MediationEndedAt  *time.Time `json:"mediation_ended_at,omitempty"`

	// Closing (办结).
	RecoveredFen   int64      `json:"recovered_fen"`              // 挽回经济损失, in fen
	SevenDayReturn bool       `json:"seven_day_return,omitempty"` // 七日无理由退货 granted
	ClosedAt       *time.Time `json:"closed_at,omitempty"`
	WithdrawnAt    *time.Time `json:"withdrawn_at,omitempty"`

	// ODR branch.
	ODREnterprise string `json:"odr_enterprise,omitempty"`
	ODRResult     string `json:"odr_result,omitempty"` // settled | unsettled

	// Reports.
	FilingDecision   string     `json:"filing_decision,omitempty"` // filed | not_filed
	NotFiledReason   string     `json:"not_filed_reason,omitempty"`
	DecidedAt        *time.Time `json:"decided_at,omitempty"`
	ReporterNotified *time.Time `json:"reporter_notified_at,omitempty"`

	// Inquiries: when, and what the consumer was told (the consumer sees
	// it in their view of the case and in the SMS that says it was
	// answered).
	AnsweredAt *time.Time `json:"answered_at,omitempty"`
	Reply      string     `json:"reply,omitempty"`

	// Transfers counts transfers to another unit (转办), for auditors.
	Transfers int `json:"transfers,omitempty"`
}

// Reason is the legal ground the consumer is told for a case in state s:
// why a complaint was not accepted, or why its mediation was terminated
// (while the case is at mediation_ended or closed). It is empty otherwise.
func (o *Outcome) Reason(s State) string {
	switch {
	case o == nil:
		return ""
	case s == StateNotAccepted:
		return o.RefusalReason
	case (s == StateMediationEnded || s == StateClosed) && o.MediationResult == MediationTerminated:
		return o.TerminationReason
	}
	return ""
}

// Clone returns a deep copy of o (nil for nil).
func (o *Outcome) Clone() *Outcome {
	if o == nil {
		return nil
	}
	c := *o
	for _, p := range []**time.Time{&c.AcceptedAt, &c.MediationEndedAt, &c.ClosedAt, &c.WithdrawnAt, &c.DecidedAt, &c.ReporterNotified, &c.AnsweredAt} {
		if *p != nil {
			t := **p
			*p = &t
		}
	}
	return &c
}

// EffectiveKind is the kind the case is handled as: the classification's
// type once the case is classified (or corrected by a person), otherwise
// the kind the submitter declared.
func (c *Case) EffectiveKind() Kind {
	if c.Classification != nil && c.Classification.Type.Valid() {
		return c.Classification.Type
	}
	return c.Kind
}

// RealNameReporter reports whether the submitter of a report gave a name,
// so that the 立案 decision must be notified to them (Order 20 Art. 31(2)).
func (c *Case) RealNameReporter() bool {
	return !c.Anonymous && c.Consumer.Name != ""
}
