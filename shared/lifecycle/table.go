package lifecycle

import (
	"fmt"
	"slices"
	"strconv"

	"github.com/open12315/intake/shared/cases"
	"github.com/open12315/intake/shared/deadline"
)

// StartAt is the instant a clock started by an action runs from.
type StartAt string

// Start instants.
const (
	// AtNow: the instant of the action (acceptance starts mediation).
	AtNow StartAt = "now"
	// AtReceived: the case's receipt (a report's verification runs from
	// the lead's receipt even when a person routes it later).
	AtReceived StartAt = "received"
)

// ClockStart is a clock an action starts. Every clock runs under the rule
// set in force on the case's receipt date, in the handling unit's region
// (after the action, so a transfer starts the new unit's clock).
type ClockStart struct {
	Kind deadline.Kind `json:"kind"`
	At   StartAt       `json:"at"`
	// When describes the condition, if any, for people and the docs.
	When string                         `json:"when,omitempty"`
	cond func(*cases.Case, Values) bool // nil: always
}

// Rule is one row of the transition table.
type Rule struct {
	Name  string `json:"action"`
	Title string `json:"title"`
	// Kinds the action applies to (the case's EffectiveKind); empty: any.
	// The empty kind stands for a case nobody has classified yet.
	Kinds []cases.Kind `json:"kinds,omitempty"`
	// From lists the states the action may start from.
	From []cases.State `json:"from"`
	// To is the state after the action; empty when the state does not
	// change or, for triage_route, depends on the fields.
	To     cases.State `json:"to,omitempty"`
	Roles  []Role      `json:"roles"`
	Fields []Field     `json:"fields,omitempty"`
	// Stop: open clocks of these kinds are stopped; Clock.Met records
	// whether they were met.
	Stop []deadline.Kind `json:"stop,omitempty"`
	// Cancel: open clocks of these kinds are stopped as not applicable
	// (Met left nil, so the on-time rates do not count them).
	Cancel []deadline.Kind `json:"cancel,omitempty"`
	// Start: clocks started after the action.
	Start []ClockStart `json:"start,omitempty"`
	// Pause, Resume, Extend: the first open clock of these kinds is
	// paused (reason field), resumed, or extended (approver = actor).
	Pause  []deadline.Kind `json:"pause,omitempty"`
	Resume []deadline.Kind `json:"resume,omitempty"`
	Extend []deadline.Kind `json:"extend,omitempty"`
	// Requires describes the guard, if any.
	Requires string `json:"requires,omitempty"`

	guard  func(*cases.Case) bool
	check  func(*cases.Case, Values) []cases.FieldError
	effect func(*step) error
}

func (r *Rule) allows(role Role) bool { return slices.Contains(r.Roles, role) }

func (r *Rule) appliesTo(c *cases.Case) bool {
	if len(r.Kinds) > 0 && !slices.Contains(r.Kinds, c.EffectiveKind()) {
		return false
	}
	return slices.Contains(r.From, c.State) && (r.guard == nil || r.guard(c))
}

// Role sets used by the table.
var (
	staff        = []Role{RoleHandler, RoleSupervisor}
	supervisors  = []Role{RoleSupervisor}
	staffOrODR   = []Role{RoleHandler, RoleSupervisor, RoleSystem}
	staffOrOwner = []Role{RoleHandler, RoleSupervisor, RoleConsumer}
)

// Field sets and enums used by the table.
var (
	pauseReasons     = []string{"supplement", "testing"}
	mediationResults = []string{cases.MediationAgreement, cases.MediationTerminated}
	notifyMethods    = []string{"sms", "phone", "letter", "platform", "in_person"}
	kindNames        = []string{string(cases.KindComplaint), string(cases.KindReport), string(cases.KindInquiry)}
)

// pauseReasonText is what a paused clock records for each reason.
var pauseReasonText = map[string]string{
	"supplement": "补正 (awaiting the consumer's material)",
	"testing":    "检定/检验/检测/鉴定 (testing or appraisal; Order 20 Art. 20(3))",
}

// Rules is the transition table, in the order Allowed lists actions.
// Treat it as read-only.
var Rules = []*Rule{
	{
		Name: "triage_route", Title: "人工分派",
		From: []cases.State{cases.StateTriage}, Roles: staff,
		Fields: []Field{
			{Name: "type", Type: FieldEnum, Required: true, Enum: kindNames},
			{Name: "line", Type: FieldText, Required: true, Max: 50},
			{Name: "unit", Type: FieldUnit, Required: true},
		},
		Start: []ClockStart{
			{Kind: deadline.Acceptance, At: AtReceived, When: "type is complaint and no acceptance clock is open", cond: func(c *cases.Case, v Values) bool {
				return v.Str("type") == string(cases.KindComplaint) && c.OpenClock(deadline.Acceptance) == nil
			}},
			{Kind: deadline.Verification, At: AtReceived, When: "type is report", cond: func(_ *cases.Case, v Values) bool {
				return v.Str("type") == string(cases.KindReport)
			}},
		},
		Requires: "to state: pending_acceptance, verifying or pending_answer by type; the acceptance clock started by routing is cancelled unless the type is complaint",
		effect:   triageRoute,
	},
	{
		Name: "triage_refer", Title: "人工告知向其他机关反映",
		From: []cases.State{cases.StateTriage}, To: cases.StateReferred, Roles: staff,
		Fields: []Field{
			{Name: "agency", Type: FieldEnum, Required: true, Enum: agencyCodes()},
			{Name: "type", Type: FieldEnum, Enum: kindNames},
		},
		Stop:     []deadline.Kind{deadline.Hotline12345},
		Cancel:   []deadline.Kind{deadline.Acceptance, deadline.Verification},
		Requires: "the matter is not market regulation's (Order 20 Art. 15(1) / Art. 39(2)): the consumer is told the agency and how to reach it; the acceptance clock is cancelled, a 12345 work order's clock stops (the referral answers it)",
		effect:   triageRefer,
	},
	{
		Name: "accept", Title: "受理",
		Kinds: []cases.Kind{cases.KindComplaint}, From: []cases.State{cases.StatePendingAcceptance},
		To: cases.StateMediating, Roles: staff,
		Stop:  []deadline.Kind{deadline.Acceptance, deadline.Hotline12345},
		Start: []ClockStart{{Kind: deadline.Mediation, At: AtNow}},
		effect: func(s *step) error {
			s.outcome().AcceptedAt = s.nowPtr()
			return nil
		},
	},
	{
		Name: "reject", Title: "不予受理",
		Kinds: []cases.Kind{cases.KindComplaint}, From: []cases.State{cases.StatePendingAcceptance},
		To: cases.StateNotAccepted, Roles: staff,
		Fields: []Field{
			{Name: "ground", Type: FieldEnum, Required: true, Enum: groundCodes(RefusalGrounds)},
			// With ground 15-1: the agency the matter belongs to, which
			// the consumer is told, as for a referral.
			{Name: "agency", Type: FieldEnum, Enum: agencyCodes()},
		},
		Stop:     []deadline.Kind{deadline.Acceptance, deadline.Hotline12345},
		Requires: "agency only with ground 15-1 (not market regulation's); it is recorded as a correction of the classifier",
		check:    checkRefusal,
		effect:   reject,
	},
	{
		Name: "send_to_odr", Title: "转ODR企业协商",
		Kinds: []cases.Kind{cases.KindComplaint}, From: []cases.State{cases.StatePendingAcceptance},
		To: cases.StateODRNegotiating, Roles: staffOrODR,
		Fields: []Field{{Name: "enterprise", Type: FieldText, Required: true, Max: 100}},
		Cancel: []deadline.Kind{deadline.Acceptance},
		Start:  []ClockStart{{Kind: deadline.ODR, At: AtNow}},
		effect: func(s *step) error {
			s.outcome().ODREnterprise = s.v.Str("enterprise")
			return nil
		},
	},
	{
		Name: "odr_settled", Title: "ODR和解",
		Kinds: []cases.Kind{cases.KindComplaint}, From: []cases.State{cases.StateODRNegotiating},
		To: cases.StateODRSettled, Roles: staffOrODR,
		Fields: []Field{{Name: "recovered_yuan", Type: FieldYuan}},
		Stop:   []deadline.Kind{deadline.ODR},
		effect: func(s *step) error {
			o := s.outcome()
			o.ODRResult = cases.ODRSettled
			if fen, ok := s.v.Fen("recovered_yuan"); ok {
				o.RecoveredFen = fen
				s.data["recovered_fen"] = strconv.FormatInt(fen, 10)
			}
			return nil
		},
	},
	{
		Name: "odr_unsettled", Title: "ODR未和解",
		Kinds: []cases.Kind{cases.KindComplaint}, From: []cases.State{cases.StateODRNegotiating},
		To: cases.StateODRUnsettled, Roles: staffOrODR,
		Stop: []deadline.Kind{deadline.ODR},
		effect: func(s *step) error {
			s.outcome().ODRResult = cases.ODRUnsettled
			return nil
		},
	},
	{
		Name: "odr_unsettled_return", Title: "ODR未和解，消费者要求转市场监管部门处理",
		Kinds: []cases.Kind{cases.KindComplaint}, From: []cases.State{cases.StateODRNegotiating, cases.StateODRUnsettled},
		To: cases.StatePendingAcceptance, Roles: staffOrOwner,
		Stop:  []deadline.Kind{deadline.ODR},
		Start: []ClockStart{{Kind: deadline.Acceptance, At: AtNow}},
		effect: func(s *step) error {
			s.outcome().ODRResult = cases.ODRUnsettled
			return nil
		},
	},
	{
		Name: "pause_clock", Title: "中止计时（补正、检测鉴定）",
		Kinds: []cases.Kind{cases.KindComplaint, cases.KindReport}, From: []cases.State{cases.StateMediating, cases.StateVerifying},
		Roles:    staff,
		Fields:   []Field{{Name: "reason", Type: FieldEnum, Required: true, Enum: pauseReasons}},
		Pause:    []deadline.Kind{deadline.Mediation, deadline.Verification},
		Requires: "a running mediation or verification clock",
		guard:    func(c *cases.Case) bool { return runningClock(c, deadline.Mediation, deadline.Verification) != nil },
	},
	{
		Name: "resume_clock", Title: "恢复计时",
		Kinds: []cases.Kind{cases.KindComplaint, cases.KindReport}, From: []cases.State{cases.StateMediating, cases.StateVerifying},
		Roles:    staff,
		Resume:   []deadline.Kind{deadline.Mediation, deadline.Verification},
		Requires: "a paused mediation or verification clock",
		guard:    func(c *cases.Case) bool { return pausedClock(c, deadline.Mediation, deadline.Verification) != nil },
	},
	{
		Name: "end_mediation", Title: "调解结束（达成协议或终止调解）",
		Kinds: []cases.Kind{cases.KindComplaint}, From: []cases.State{cases.StateMediating},
		To: cases.StateMediationEnded, Roles: staff,
		Fields: []Field{
			{Name: "result", Type: FieldEnum, Required: true, Enum: mediationResults},
			{Name: "ground", Type: FieldEnum, Enum: groundCodes(TerminationGrounds)},
		},
		Stop: []deadline.Kind{deadline.Mediation},
		Start: []ClockStart{{Kind: deadline.MediationEndNotice, At: AtNow, When: "result is terminated", cond: func(_ *cases.Case, v Values) bool {
			return v.Str("result") == cases.MediationTerminated
		}}},
		check: checkEndMediation,
		effect: func(s *step) error {
			o := s.outcome()
			o.MediationResult = s.v.Str("result")
			o.MediationEndedAt = s.nowPtr()
			s.reason = o.MediationResult
			if code := s.v.Str("ground"); code != "" {
				g, _ := findGround(TerminationGrounds, code)
				o.TerminationGround, o.TerminationReason = g.Code, g.Title
				s.reason = g.Code
				s.groundData(g)
			}
			return nil
		},
	},
	{
		Name: "close", Title: "办结",
		Kinds: []cases.Kind{cases.KindComplaint}, From: []cases.State{cases.StateMediationEnded, cases.StateODRSettled, cases.StateODRUnsettled},
		To: cases.StateClosed, Roles: staff,
		Fields: []Field{
			{Name: "recovered_yuan", Type: FieldYuan, Required: true},
			{Name: "seven_day_return", Type: FieldBool, Required: true},
			{Name: "mediation_result", Type: FieldEnum, Enum: mediationResults},
		},
		Stop:  []deadline.Kind{deadline.MediationEndNotice, deadline.ODR, deadline.Hotline12345},
		check: checkClose,
		effect: func(s *step) error {
			o := s.outcome()
			o.RecoveredFen, _ = s.v.Fen("recovered_yuan")
			o.SevenDayReturn, _ = s.v.Bool("seven_day_return")
			if r := s.v.Str("mediation_result"); r != "" {
				o.MediationResult = r
			}
			o.ClosedAt = s.nowPtr()
			s.data["recovered_fen"] = strconv.FormatInt(o.RecoveredFen, 10)
			return nil
		},
	},
	{
		Name: "transfer", Title: "移送其他单位",
		From:  []cases.State{cases.StatePendingAcceptance, cases.StateVerifying, cases.StatePendingAnswer},
		Roles: supervisors,
		Fields: []Field{
			{Name: "unit", Type: FieldUnit, Required: true},
		},
		Stop: []deadline.Kind{deadline.Acceptance, deadline.Verification},
		Start: []ClockStart{
			{Kind: deadline.Acceptance, At: AtNow, When: "a complaint pending acceptance", cond: func(c *cases.Case, _ Values) bool {
				return c.State == cases.StatePendingAcceptance
			}},
			{Kind: deadline.Verification, At: AtNow, When: "a report being verified", cond: func(c *cases.Case, _ Values) bool {
				return c.State == cases.StateVerifying
			}},
		},
		check:  checkTransfer,
		effect: transfer,
	},
	{
		Name: "withdraw", Title: "撤回投诉",
		Kinds: []cases.Kind{cases.KindComplaint, ""},
		From: []cases.State{cases.StateReceived, cases.StateTriage, cases.StatePendingAcceptance, cases.StateMediating,
			cases.StateODRNegotiating, cases.StateODRUnsettled},
		To: cases.StateWithdrawn, Roles: staffOrOwner,
		Stop: []deadline.Kind{deadline.Acceptance, deadline.Mediation, deadline.ODR, deadline.Hotline12345, deadline.Routing},
		effect: func(s *step) error {
			o := s.outcome()
			o.WithdrawnAt = s.nowPtr()
			if s.from == cases.StateMediating {
				// Withdrawal ends mediation (Order 20 Art. 21(1)(1)).
				g, _ := findGround(TerminationGrounds, "21-1")
				o.MediationResult, o.TerminationGround, o.TerminationReason, o.MediationEndedAt = cases.MediationTerminated, g.Code, g.Title, s.nowPtr()
				s.reason = g.Code
				s.groundData(g)
			}
			return nil
		},
	},
	{
		Name: "extend_verification", Title: "延长核查期限",
		Kinds: []cases.Kind{cases.KindReport}, From: []cases.State{cases.StateVerifying},
		Roles: supervisors,
		Fields: []Field{
			{Name: "reason", Type: FieldText, Required: true, Max: 500},
			{Name: "days", Type: FieldInt, Min: 1, Max: 15},
		},
		Extend:   []deadline.Kind{deadline.Verification},
		Requires: "a running verification clock not yet extended",
		guard: func(c *cases.Case) bool {
			k := runningClock(c, deadline.Verification)
			return k != nil && len(k.Extensions) == 0 && k.MaxExtension > 0
		},
	},
	{
		Name: "file_case", Title: "立案",
		Kinds: []cases.Kind{cases.KindReport}, From: []cases.State{cases.StateVerifying},
		To: cases.StateCaseFiled, Roles: staff,
		Stop: []deadline.Kind{deadline.Verification, deadline.Hotline12345},
		Start: []ClockStart{{Kind: deadline.ReporterNotice, At: AtNow, When: "the reporter is real-name", cond: func(c *cases.Case, _ Values) bool {
			return c.RealNameReporter()
		}}},
		effect: func(s *step) error {
			o := s.outcome()
			o.FilingDecision, o.DecidedAt = cases.FilingFiled, s.nowPtr()
			return nil
		},
	},
	{
		Name: "not_file", Title: "不予立案",
		Kinds: []cases.Kind{cases.KindReport}, From: []cases.State{cases.StateVerifying},
		To: cases.StateNotFiled, Roles: staff,
		Fields: []Field{
			{Name: "reason", Type: FieldText, Required: true, Max: 500},
			// When the conduct is another agency's to pursue: which.
			{Name: "agency", Type: FieldEnum, Enum: agencyCodes()},
		},
		Stop: []deadline.Kind{deadline.Verification, deadline.Hotline12345},
		Start: []ClockStart{{Kind: deadline.ReporterNotice, At: AtNow, When: "the reporter is real-name", cond: func(c *cases.Case, _ Values) bool {
			return c.RealNameReporter()
		}}},
		Requires: "an agency, if named, is recorded as a correction of the classifier",
		effect: func(s *step) error {
			o := s.outcome()
			o.FilingDecision, o.DecidedAt, o.NotFiledReason = cases.FilingNotFiled, s.nowPtr(), s.v.Str("reason")
			s.reason = "not_filed"
			return referTo(s)
		},
	},
	{
		Name: "notify_reporter", Title: "告知举报人",
		Kinds: []cases.Kind{cases.KindReport}, From: []cases.State{cases.StateCaseFiled, cases.StateNotFiled},
		Roles:    staff,
		Fields:   []Field{{Name: "method", Type: FieldEnum, Enum: notifyMethods}},
		Stop:     []deadline.Kind{deadline.ReporterNotice},
		Requires: "an open reporter-notice clock (real-name reporter, not yet notified)",
		guard:    func(c *cases.Case) bool { return c.OpenClock(deadline.ReporterNotice) != nil },
		effect: func(s *step) error {
			s.outcome().ReporterNotified = s.nowPtr()
			return nil
		},
	},
	{
		Name: "answer", Title: "答复咨询",
		Kinds: []cases.Kind{cases.KindInquiry}, From: []cases.State{cases.StatePendingAnswer},
		To: cases.StateAnswered, Roles: staff,
		Fields: []Field{
			{Name: "reply", Type: FieldText, Required: true, Max: MaxTextRunes},
			// When the question is another agency's: which (the reply
			// still says what the consumer needs to know).
			{Name: "agency", Type: FieldEnum, Enum: agencyCodes()},
		},
		Stop:     []deadline.Kind{deadline.Hotline12345},
		Requires: "an agency, if named, is recorded as a correction of the classifier",
		effect: func(s *step) error {
			o := s.outcome()
			o.AnsweredAt, o.Reply = s.nowPtr(), s.v.Str("reply")
			return referTo(s)
		},
	},
}

var ruleByName = func() map[string]*Rule {
	m := make(map[string]*Rule, len(Rules))
	for _, r := range Rules {
		if m[r.Name] != nil {
			panic("lifecycle: action " + r.Name + " defined twice")
		}
		m[r.Name] = r
	}
	return m
}()

// Lookup returns the rule of the named action.
func Lookup(name string) (*Rule, bool) {
	r, ok := ruleByName[name]
	return r, ok
}

func runningClock(c *cases.Case, kinds ...deadline.Kind) *deadline.Clock {
	for _, k := range kinds {
		if clk := c.OpenClock(k); clk != nil && !clk.Paused() {
			return clk
		}
	}
	return nil
}

func pausedClock(c *cases.Case, kinds ...deadline.Kind) *deadline.Clock {
	for _, k := range kinds {
		if clk := c.OpenClock(k); clk != nil && clk.Paused() {
			return clk
		}
	}
	return nil
}

// checkGround rejects a ground that does not apply to the case's receipt
// date (an Order 121 ground on an Order 20 case).
func checkGround(field string, list []Ground) func(*cases.Case, Values) []cases.FieldError {
	return func(c *cases.Case, v Values) []cases.FieldError {
		g, ok := findGround(list, v.Str(field))
		if ok && !g.appliesTo(c.ReceivedAt) {
			return []cases.FieldError{{Field: "fields." + field, Code: "not_allowed",
				Message: fmt.Sprintf("ground %s applies only to cases received on or after %s", g.Code, g.From.Format("2006-01-02"))}}
		}
		return nil
	}
}

// checkRefusal checks reject's ground, and that an agency is named only
// for ground 15-1 (outside market-regulation duties).
func checkRefusal(c *cases.Case, v Values) []cases.FieldError {
	if errs := checkGround("ground", RefusalGrounds)(c, v); errs != nil {
		return errs
	}
	if v.Str("agency") != "" && v.Str("ground") != GroundNotOurDuty {
		return []cases.FieldError{{Field: "fields.agency", Code: "not_allowed", Message: "an agency is named only with ground " + GroundNotOurDuty}}
	}
	return nil
}

func checkEndMediation(c *cases.Case, v Values) []cases.FieldError {
	switch v.Str("result") {
	case cases.MediationTerminated:
		if v.Str("ground") == "" {
			return []cases.FieldError{{Field: "fields.ground", Code: "required", Message: "terminating mediation needs an Art. 21 ground"}}
		}
		return checkGround("ground", TerminationGrounds)(c, v)
	case cases.MediationAgreement:
		if v.Str("ground") != "" {
			return []cases.FieldError{{Field: "fields.ground", Code: "not_allowed", Message: "a ground is given only when mediation is terminated"}}
		}
	}
	return nil
}

func checkClose(c *cases.Case, v Values) []cases.FieldError {
	given := v.Str("mediation_result")
	var known string
	if c.Outcome != nil {
		known = c.Outcome.MediationResult
	}
	switch {
	case c.State != cases.StateMediationEnded:
		if given != "" {
			return []cases.FieldError{{Field: "fields.mediation_result", Code: "not_allowed", Message: "the complaint was not mediated by the regulator (ODR)"}}
		}
	case known == "" && given == "":
		return []cases.FieldError{{Field: "fields.mediation_result", Code: "required", Message: "the mediation result was not recorded when mediation ended"}}
	case known != "" && given != "" && given != known:
		return []cases.FieldError{{Field: "fields.mediation_result", Code: "invalid", Message: "mediation ended with result " + known}}
	}
	return nil
}

func checkTransfer(c *cases.Case, v Values) []cases.FieldError {
	if c.Unit != nil && c.Unit.Code == v.Str("unit") {
		return []cases.FieldError{{Field: "fields.unit", Code: "invalid", Message: "the case is already at this unit"}}
	}
	return nil
}
