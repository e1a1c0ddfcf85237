package lifecycle

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/open12315/intake/shared/calendar"
	"github.com/open12315/intake/shared/cases"
	"github.com/open12315/intake/shared/deadline"
	"github.com/open12315/intake/shared/region"
)

// step is one action being applied to a working copy of a case.
type step struct {
	rule   *Rule
	c      *cases.Case
	from   cases.State
	actor  Actor
	now    time.Time
	v      Values
	clocks Clocks

	reason string            // the main event's Reason
	data   map[string]string // the main event's Data
	events []cases.Event     // clock and correction events, after the main one
}

// run applies the rule's clock changes and effect in a fixed order: stop,
// cancel, pause, resume, extend, effect (which may change the unit or the
// type), start.
func (s *step) run() error {
	r := s.rule
	s.from = s.c.State
	for name, val := range s.v {
		switch x := val.(type) {
		case string:
			s.data[name] = x
		case bool:
			s.data[name] = strconv.FormatBool(x)
		case int:
			s.data[name] = strconv.Itoa(x)
		case int64: // fen
			s.data[strings.TrimSuffix(name, "_yuan")+"_fen"] = strconv.FormatInt(x, 10)
		}
	}
	for _, k := range r.Stop {
		if err := s.stop(k, false); err != nil {
			return err
		}
	}
	for _, k := range r.Cancel {
		if err := s.stop(k, true); err != nil {
			return err
		}
	}
	if len(r.Pause) > 0 {
		clk := runningClock(s.c, r.Pause...)
		if clk == nil {
			return &ClockError{Action: r.Name, Clock: kindsText(r.Pause), Err: deadline.ErrNotPausable}
		}
		reason := s.v.Str("reason")
		if err := clk.Pause(s.now, reason+" "+pauseReasonText[reason]); err != nil {
			return &ClockError{Action: r.Name, Clock: string(clk.Kind), Err: err}
		}
		s.clockEvent(EventClockPaused, clk, map[string]string{"pause_reason": reason})
	}
	if len(r.Resume) > 0 {
		clk := pausedClock(s.c, r.Resume...)
		if clk == nil {
			return &ClockError{Action: r.Name, Clock: kindsText(r.Resume), Err: deadline.ErrNotPaused}
		}
		if err := clk.Resume(s.now, s.cal()); err != nil {
			return &ClockError{Action: r.Name, Clock: string(clk.Kind), Err: err}
		}
		p := clk.Pauses[len(clk.Pauses)-1]
		s.clockEvent(EventClockResumed, clk, map[string]string{"paused_working_days": strconv.Itoa(p.WorkingDays)})
	}
	if len(r.Extend) > 0 {
		clk := runningClock(s.c, r.Extend...)
		if clk == nil {
			return &ClockError{Action: r.Name, Clock: kindsText(r.Extend), Err: deadline.ErrNotExtendable}
		}
		days, ok := s.v.Int("days")
		if !ok {
			days = clk.MaxExtension
		}
		if err := clk.Extend(days, s.actor.ID, s.v.Str("reason"), s.now, s.cal()); err != nil {
			return &ClockError{Action: r.Name, Clock: string(clk.Kind), Err: err}
		}
		s.data["approver"] = s.actor.Name()
		s.data["extension_days"] = strconv.Itoa(days)
		s.clockEvent(EventClockExtended, clk, map[string]string{"approver": s.actor.Name(), "extension_days": strconv.Itoa(days)})
	}
	if r.effect != nil {
		if err := r.effect(s); err != nil {
			return err
		}
	}
	for _, cs := range r.Start {
		if cs.cond != nil && !cs.cond(s.c, s.v) {
			continue
		}
		at := s.now
		if cs.At == AtReceived {
			at = s.c.ReceivedAt
		}
		if err := s.start(cs.Kind, at); err != nil {
			return err
		}
	}
	return nil
}

// stop stops the open clock of kind, if any. cancel marks it not
// applicable: Met stays nil so that the on-time rates skip it.
func (s *step) stop(kind deadline.Kind, cancel bool) error {
	clk := s.c.OpenClock(kind)
	if clk == nil {
		return nil
	}
	if err := clk.Stop(s.now); err != nil {
		return &ClockError{Action: s.rule.Name, Clock: string(kind), Err: err}
	}
	if cancel {
		clk.Met = nil
		clk.Derivation = append(clk.Derivation, fmt.Sprintf("cancelled by %s: not applicable, not counted in on-time rates", s.rule.Name))
		s.clockEvent(EventClockCancelled, clk, nil)
		return nil
	}
	s.clockEvent(EventClockStopped, clk, map[string]string{"met": strconv.FormatBool(*clk.Met)})
	return nil
}

func (s *step) start(kind deadline.Kind, at time.Time) error {
	k, err := s.clocks.Start(kind, s.c.ReceivedAt, at, unitCode(s.c))
	if err != nil {
		return &ClockError{Action: s.rule.Name, Clock: string(kind), Err: err}
	}
	s.c.Clocks = append(s.c.Clocks, k)
	s.clockEvent(EventClockStarted, &k, map[string]string{"rule_set": k.RuleSet, "derivation": strings.Join(k.Derivation, "; ")})
	return nil
}

func (s *step) clockEvent(typ string, clk *deadline.Clock, extra map[string]string) {
	data := map[string]string{"clock": string(clk.Kind), "due_date": clk.DueDate.String()}
	for k, v := range extra {
		data[k] = v
	}
	s.events = append(s.events, cases.Event{Type: typ, Reason: string(clk.Kind), Data: data})
}

func (s *step) cal() *calendar.Calendar { return s.clocks.WorkingCalendar() }

func (s *step) outcome() *cases.Outcome {
	if s.c.Outcome == nil {
		s.c.Outcome = &cases.Outcome{}
	}
	return s.c.Outcome
}

func (s *step) nowPtr() *time.Time {
	t := s.now.UTC()
	return &t
}

func (s *step) groundData(g Ground) {
	s.data["ground"] = g.Code
	s.data["ground_title"] = g.Title
	s.data["ground_basis"] = g.Basis
	s.data["ground_confirmed"] = strconv.FormatBool(g.Confirmed)
}

func unitCode(c *cases.Case) string {
	if c.Unit == nil {
		return ""
	}
	return c.Unit.Code
}

func kindsText(ks []deadline.Kind) string {
	s := make([]string, len(ks))
	for i, k := range ks {
		s[i] = string(k)
	}
	return strings.Join(s, "|")
}

func unitFor(code string) *cases.Unit {
	name, _ := region.Default().UnitName(code)
	return &cases.Unit{Code: code, Name: name}
}

// transfer moves the case to another unit; the table stops the old unit's
// clock before and starts the new unit's after.
func transfer(s *step) error {
	to := s.v.Str("unit")
	from := unitCode(s.c)
	s.data["from_unit"], s.data["to_unit"] = from, to
	if s.c.Unit != nil {
		s.data["from_unit_name"] = s.c.Unit.Name
	}
	s.c.Unit = unitFor(to)
	s.data["to_unit_name"] = s.c.Unit.Name
	s.reason = from + "→" + to
	s.outcome().Transfers++
	return nil
}

// reject refuses a complaint on a ground (Order 20 Art. 15). A complaint
// refused as outside market-regulation duties may name the agency it
// belongs to (see referTo).
func reject(s *step) error {
	g, _ := findGround(RefusalGrounds, s.v.Str("ground"))
	s.outcome().RefusalGround, s.outcome().RefusalReason = g.Code, g.Title
	s.reason = g.Code
	s.groundData(g)
	return referTo(s)
}

// referTo applies the optional agency field of an action that ends a case
// the router sent to a bureau (reject on ground 15-1, not_file, answer):
// the matter is another agency's (see refer). Without the field it does
// nothing.
func referTo(s *step) error {
	code := s.v.Str("agency")
	if code == "" {
		return nil
	}
	a, ok := agencyByCode(code)
	if !ok { // the field's enum is the same list
		return fmt.Errorf("lifecycle: %s: unknown agency %q", s.rule.Name, code)
	}
	refer(s, s.c.EffectiveKind(), a)
	return nil
}

// triageRefer applies a person's decision that a triage case belongs to
// another agency: the case is referred as the router refers one.
func triageRefer(s *step) error {
	a, ok := agencyByCode(s.v.Str("agency"))
	if !ok { // the field's enum is the same list
		return fmt.Errorf("lifecycle: triage_refer: unknown agency %q", s.v.Str("agency"))
	}
	kind := cases.Kind(s.v.Str("type"))
	if kind == "" && s.c.Classification != nil {
		kind = s.c.Classification.Type
	}
	r := refer(s, kind, a)
	r.Target, r.ODR, r.Suggestions = cases.TargetReferral, nil, nil
	r.Rule = "Order 20 Art. 15(1) / Art. 39(2): outside market-regulation duties, decided by a person in triage; the consumer is told the competent agency"
	s.reason = "referral to " + a.Code
	return nil
}

// refer records a person's decision that the case, of the given kind, is
// agency a's matter: the classifier's suggestion is corrected (line
// referral and the agency, a classification_corrected event for training
// data), and the case's routing gets the agency and the answer the
// consumer is told. It returns that routing for the caller to complete.
func refer(s *step, kind cases.Kind, a cases.Agency) *cases.Routing {
	prev := s.c.Classification
	s.events = append(s.events, cases.Event{Type: EventClassificationCorrected, Reason: s.rule.Name,
		Data: correctionData(s, prev, map[string]string{"new_type": string(kind), "new_line": "referral", "new_agency": a.Code})})
	cl := cases.Classification{Type: kind, Line: "referral", Confidence: 1, Model: "human:" + s.actor.ID}
	if prev != nil {
		cl.CCAClass, cl.Nature, cl.Region = prev.CCAClass, prev.Nature, prev.Region
	}
	s.c.Classification = &cl
	r := cases.Routing{}
	if s.c.Routing != nil {
		r = *s.c.Routing
	}
	r.Agency, r.Answer = &a, cases.ReferralAnswer(a)
	s.c.Routing = &r
	s.data["agency"], s.data["agency_name"] = a.Code, a.Name
	return s.c.Routing
}

// correctionData is the data of a classification_corrected event: what a
// person decided (decided) next to what the classifier had suggested.
func correctionData(s *step, prev *cases.Classification, decided map[string]string) map[string]string {
	corr := decided
	corr["corrected_by"] = s.actor.Name()
	if prev != nil {
		corr["previous_type"] = string(prev.Type)
		corr["previous_line"] = prev.Line
		corr["previous_region"] = prev.Region
		corr["previous_confidence"] = strconv.FormatFloat(prev.Confidence, 'f', 2, 64)
		corr["previous_model"] = prev.Model
	}
	corr["previous_unit"] = unitCode(s.c)
	return corr
}

// triageRoute applies a person's routing of a triage case and records the
// classifier's suggestion next to the correction, for training data.
func triageRoute(s *step) error {
	kind := cases.Kind(s.v.Str("type"))
	prev := s.c.Classification
	corr := correctionData(s, prev, map[string]string{"new_type": string(kind), "new_line": s.v.Str("line"), "new_unit": s.v.Str("unit")})
	s.events = append(s.events, cases.Event{Type: EventClassificationCorrected, Reason: "triage_route", Data: corr})

	s.c.Classification = &cases.Classification{
		Type: kind, Line: s.v.Str("line"), Region: s.v.Str("unit"), Confidence: 1,
		Model: "human:" + s.actor.ID,
	}
	if prev != nil {
		s.c.Classification.CCAClass, s.c.Classification.Nature = prev.CCAClass, prev.Nature
	}
	s.c.Unit = unitFor(s.v.Str("unit"))
	switch kind {
	case cases.KindComplaint:
		s.c.State = cases.StatePendingAcceptance
	case cases.KindReport:
		s.c.State = cases.StateVerifying
	default:
		s.c.State = cases.StatePendingAnswer
	}
	if kind != cases.KindComplaint {
		if err := s.stop(deadline.Acceptance, true); err != nil {
			return err
		}
	}
	return nil
}
