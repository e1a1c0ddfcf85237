package lifecycle

import (
	"encoding/json"
	"errors"
	"maps"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/open12315/intake/shared/calendar"
	"github.com/open12315/intake/shared/cases"
	"github.com/open12315/intake/shared/deadline"
)

var testClocks = &RuleClocks{Calendar: calendar.Default(), Rules: deadline.Rules(), DueSoon: 2}

var (
	handler    = Actor{ID: "h1", Unit: "630102", Role: RoleHandler}
	supervisor = Actor{ID: "s1", Unit: "630102", Role: RoleSupervisor}
	viewer     = Actor{ID: "v1", Unit: "630102", Role: RoleViewer}
	prefHand   = Actor{ID: "p1", Unit: "630100", Role: RoleHandler}
	neighbour  = Actor{ID: "n1", Unit: "630103", Role: RoleHandler}
	consumer   = Actor{Role: RoleConsumer}
	odrSystem  = Actor{ID: "odr", Role: RoleSystem}
)

func at(s string) time.Time {
	t, err := time.ParseInLocation("2006-01-02 15:04", s, calendar.Location)
	if err != nil {
		panic(err)
	}
	return t
}

// routed returns a case as the route consumer leaves it: classified,
// given unit 630102, in state, with the clock routing starts.
func routed(t *testing.T, kind cases.Kind, state cases.State, received string) *cases.Case {
	t.Helper()
	rec := at(received)
	c := &cases.Case{
		ID: "QH20250425-ABCDEFGHJK", Version: 2, Kind: kind, Channel: cases.ChannelWeb, State: state,
		ReceivedAt: rec.UTC(), UpdatedAt: rec.UTC(),
		Consumer:       cases.Person{Name: "张三丰", Phone: "13812341234", Address: "青海省西宁市城东区八一路12号", IDNumber: "630102199001011234"},
		Business:       cases.Business{Name: "某某超市", Address: "西宁市城东区"},
		Facts:          "买到过期食品，联系电话13812341234",
		Request:        "退一赔十",
		Classification: &cases.Classification{Type: kind, Line: "food", Confidence: 0.9, Model: "nb-1"},
		Unit:           &cases.Unit{Code: "630102", Name: "西宁市城东区市场监督管理局"},
	}
	var k deadline.Kind
	switch state {
	case cases.StatePendingAcceptance, cases.StateTriage:
		k = deadline.Acceptance
	case cases.StateVerifying:
		k = deadline.Verification
	}
	if k != "" {
		clk, err := testClocks.Start(k, rec, rec, "630102")
		if err != nil {
			t.Fatal(err)
		}
		c.Clocks = []deadline.Clock{clk}
	}
	return c
}

func act(name string, fields map[string]any, version int64) Action {
	a := Action{Name: name, Version: version}
	if fields != nil {
		a.Fields = map[string]json.RawMessage{}
		for k, v := range fields {
			if raw, ok := v.(json.RawMessage); ok {
				a.Fields[k] = raw
				continue
			}
			b, err := json.Marshal(v)
			if err != nil {
				panic(err)
			}
			a.Fields[k] = b
		}
	}
	return a
}

// do applies an action that must succeed and returns its events.
func do(t *testing.T, c *cases.Case, actor Actor, when, name string, fields map[string]any) []cases.Event {
	t.Helper()
	evs, err := Apply(c, act(name, fields, c.Version), actor, at(when), testClocks)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return evs
}

// correctionIn returns the correction recorded among an action's events.
func correctionIn(evs []cases.Event) (Correction, bool) {
	for _, e := range evs {
		if c, ok := CorrectionOf(e); ok {
			return c, true
		}
	}
	return Correction{}, false
}

func lastClock(t *testing.T, c *cases.Case, kind deadline.Kind) deadline.Clock {
	t.Helper()
	for i := len(c.Clocks) - 1; i >= 0; i-- {
		if c.Clocks[i].Kind == kind {
			return c.Clocks[i]
		}
	}
	t.Fatalf("no %s clock", kind)
	return deadline.Clock{}
}

func snapshot(t *testing.T, c *cases.Case) string {
	t.Helper()
	b, err := json.Marshal(c)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// checkHistory checks that the events are consistent with the case: the
// main events chain from state to state, the replayed state is the case's,
// and each batch's Seq is one more than the last.
func checkHistory(t *testing.T, c *cases.Case, start cases.State, startVersion int64, batches [][]cases.Event) {
	t.Helper()
	st, seq := start, startVersion
	var all []cases.Event
	for _, b := range batches {
		seq++
		for i, e := range b {
			if e.Seq != seq || e.CaseID != c.ID {
				t.Errorf("event %s: seq %d case %s, want %d %s", e.Type, e.Seq, e.CaseID, seq, c.ID)
			}
			if i == 0 {
				if e.From != st {
					t.Errorf("event %s: from %s, want %s", e.Type, e.From, st)
				}
				st = e.To
			} else if e.To != "" {
				t.Errorf("secondary event %s has a state change", e.Type)
			}
		}
		all = append(all, b...)
	}
	if c.Version != seq || c.State != st || Replay(all) != c.State {
		t.Errorf("case at version %d state %s; events end at %d %s (replay %s)", c.Version, c.State, seq, st, Replay(all))
	}
}

func TestComplaintLifecycle(t *testing.T) {
	c := routed(t, cases.KindComplaint, cases.StatePendingAcceptance, "2025-04-25 09:30")
	var batches [][]cases.Event
	step := func(actor Actor, when, name string, fields map[string]any) []cases.Event {
		evs := do(t, c, actor, when, name, fields)
		batches = append(batches, evs)
		return evs
	}

	step(handler, "2025-04-28 10:00", "accept", nil)
	if c.State != cases.StateMediating || c.Outcome == nil || c.Outcome.AcceptedAt == nil {
		t.Fatalf("after accept: state %s outcome %+v", c.State, c.Outcome)
	}
	acc := lastClock(t, c, deadline.Acceptance)
	if acc.StoppedAt == nil || acc.Met == nil || !*acc.Met {
		t.Errorf("acceptance clock not stopped on time: %+v", acc)
	}
	med := lastClock(t, c, deadline.Mediation)
	if !med.StartedAt.Equal(at("2025-04-28 10:00")) || med.DueDate.String() != "2025-07-04" || med.RuleSet != "order20" {
		t.Errorf("mediation clock started %s due %s set %s", med.StartedAt, med.DueDate, med.RuleSet)
	}
	if c.WatchAt == nil {
		t.Error("WatchAt not set while mediation runs")
	}

	step(handler, "2025-05-06 10:00", "pause_clock", map[string]any{"reason": "testing"})
	if m := lastClock(t, c, deadline.Mediation); !m.Paused() || c.WatchAt != nil {
		t.Fatalf("mediation clock not paused or still watched")
	}
	if got := Allowed(c, handler); !slices.Contains(got, "resume_clock") || slices.Contains(got, "pause_clock") {
		t.Errorf("allowed while paused: %v", got)
	}
	step(handler, "2025-05-09 16:00", "resume_clock", nil)
	if d := lastClock(t, c, deadline.Mediation).DueDate.String(); d != "2025-07-09" {
		t.Errorf("mediation due after 3 paused working days = %s, want 2025-07-09", d)
	}

	step(handler, "2025-06-03 15:00", "end_mediation", map[string]any{"result": "agreement"})
	if m := lastClock(t, c, deadline.Mediation); m.Met == nil || !*m.Met {
		t.Errorf("mediation clock not met: %+v", m.Met)
	}
	if c.OpenClock(deadline.MediationEndNotice) != nil {
		t.Error("an agreement must not start the termination notice clock")
	}

	evs := step(supervisor, "2025-06-04 09:00", "close", map[string]any{
		"recovered_yuan": "1234.50", "seven_day_return": true,
	})
	o := c.Outcome
	if c.State != cases.StateClosed || o.RecoveredFen != 123450 || !o.SevenDayReturn || o.MediationResult != "agreement" || o.ClosedAt == nil {
		t.Errorf("closed case: state %s outcome %+v", c.State, o)
	}
	if evs[0].Data["recovered_fen"] != "123450" || evs[0].Actor != "staff:s1" {
		t.Errorf("close event: %+v", evs[0])
	}
	if c.WatchAt != nil || len(Allowed(c, supervisor)) != 0 {
		t.Errorf("closed case still watched (%v) or has actions %v", c.WatchAt, Allowed(c, supervisor))
	}
	checkHistory(t, c, cases.StatePendingAcceptance, 2, batches)
}

func TestTerminationStartsNoticeAndCloseChecksResult(t *testing.T) {
	c := routed(t, cases.KindComplaint, cases.StatePendingAcceptance, "2025-04-25 09:30")
	do(t, c, handler, "2025-04-28 10:00", "accept", nil)

	before := snapshot(t, c)
	_, err := Apply(c, act("end_mediation", map[string]any{"result": "terminated"}, c.Version), handler, at("2025-05-20 10:00"), testClocks)
	var fe *FieldErrors
	if !errors.As(err, &fe) || fe.Fields[0].Field != "fields.ground" || fe.Fields[0].Code != "required" {
		t.Fatalf("terminated without ground: %v", err)
	}
	_, err = Apply(c, act("end_mediation", map[string]any{"result": "agreement", "ground": "21-3"}, c.Version), handler, at("2025-05-20 10:00"), testClocks)
	if !errors.As(err, &fe) || fe.Fields[0].Code != "not_allowed" {
		t.Fatalf("agreement with ground: %v", err)
	}
	if snapshot(t, c) != before {
		t.Fatal("failed action changed the case")
	}

	evs := do(t, c, handler, "2025-05-20 10:00", "end_mediation", map[string]any{"result": "terminated", "ground": "21-3"})
	if evs[0].Reason != "21-3" || evs[0].Data["ground_confirmed"] != "true" || c.Outcome.TerminationGround != "21-3" {
		t.Errorf("termination event %+v outcome %+v", evs[0], c.Outcome)
	}
	if g, _ := findGround(TerminationGrounds, "21-3"); c.Public().Reason != g.Title {
		t.Errorf("the consumer is told %q, want the ground's wording", c.Public().Reason)
	}
	notice := c.OpenClock(deadline.MediationEndNotice)
	if notice == nil || notice.WorkingDays != 7 {
		t.Fatalf("no 7-day termination notice clock: %+v", notice)
	}
	_, err = Apply(c, act("close", map[string]any{"recovered_yuan": 0, "seven_day_return": false, "mediation_result": "agreement"}, c.Version), handler, at("2025-05-21 10:00"), testClocks)
	if !errors.As(err, &fe) || fe.Fields[0].Field != "fields.mediation_result" {
		t.Fatalf("close with a contradicting result: %v", err)
	}
	do(t, c, handler, "2025-05-21 10:00", "close", map[string]any{"recovered_yuan": 0, "seven_day_return": false})
	if n := lastClock(t, c, deadline.MediationEndNotice); n.Met == nil || !*n.Met {
		t.Error("termination notice clock not stopped on time by close")
	}
}

func TestReject(t *testing.T) {
	tests := []struct {
		name     string
		received string
		fields   map[string]any
		wantCode string // field error code; "" for success
	}{
		{"ground 15-3", "2025-04-25 09:30", map[string]any{"ground": "15-3"}, ""},
		{"ground 15-6", "2025-04-25 09:30", map[string]any{"ground": "15-6"}, ""},
		{"missing ground", "2025-04-25 09:30", nil, "required"},
		{"unknown ground", "2025-04-25 09:30", map[string]any{"ground": "15-9"}, "invalid"},
		{"ground not a string", "2025-04-25 09:30", map[string]any{"ground": 15}, "invalid"},
		{"order 121 ground on an order 20 case", "2026-04-14 09:30", map[string]any{"ground": "121-identity"}, "not_allowed"},
		{"order 121 ground on an order 121 case", "2026-04-15 09:30", map[string]any{"ground": "121-identity"}, ""},
		{"unknown field", "2025-04-25 09:30", map[string]any{"ground": "15-1", "grund": "x"}, "not_allowed"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := routed(t, cases.KindComplaint, cases.StatePendingAcceptance, tt.received)
			before := snapshot(t, c)
			evs, err := Apply(c, act("reject", tt.fields, c.Version), handler, at(tt.received).Add(48*time.Hour), testClocks)
			if tt.wantCode != "" {
				var fe *FieldErrors
				if !errors.As(err, &fe) || fe.Fields[0].Code != tt.wantCode {
					t.Fatalf("err = %v, want field error %s", err, tt.wantCode)
				}
				if snapshot(t, c) != before {
					t.Fatal("failed action changed the case")
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			g := tt.fields["ground"].(string)
			if c.State != cases.StateNotAccepted || c.Outcome.RefusalGround != g || evs[0].Reason != g {
				t.Errorf("state %s outcome %+v reason %s", c.State, c.Outcome, evs[0].Reason)
			}
			wantConfirmed := g != "121-identity"
			if evs[0].Data["ground_confirmed"] != map[bool]string{true: "true", false: "false"}[wantConfirmed] {
				t.Errorf("ground_confirmed = %s", evs[0].Data["ground_confirmed"])
			}
			if k := lastClock(t, c, deadline.Acceptance); k.Met == nil || !*k.Met {
				t.Error("acceptance clock not met")
			}
		})
	}
}

func TestReportVerificationExtensionAndNotice(t *testing.T) {
	c := routed(t, cases.KindReport, cases.StateVerifying, "2025-04-25 09:30")
	due := lastClock(t, c, deadline.Verification).DueDate
	var batches [][]cases.Event

	before := snapshot(t, c)
	_, err := Apply(c, act("extend_verification", map[string]any{"reason": "需要调取外地证据"}, c.Version), handler, at("2025-05-06 10:00"), testClocks)
	if !errors.Is(err, ErrForbidden) || snapshot(t, c) != before {
		t.Fatalf("handler extension: err %v", err)
	}
	if slices.Contains(Allowed(c, handler), "extend_verification") || !slices.Contains(Allowed(c, supervisor), "extend_verification") {
		t.Errorf("allowed: handler %v supervisor %v", Allowed(c, handler), Allowed(c, supervisor))
	}
	_, err = Apply(c, act("extend_verification", nil, c.Version), supervisor, at("2025-05-06 10:00"), testClocks)
	var fe *FieldErrors
	if !errors.As(err, &fe) || fe.Fields[0].Field != "fields.reason" {
		t.Fatalf("extension without reason: %v", err)
	}

	evs := do(t, c, supervisor, "2025-05-06 10:00", "extend_verification", map[string]any{"reason": "需要调取外地证据"})
	batches = append(batches, evs)
	v := lastClock(t, c, deadline.Verification)
	if len(v.Extensions) != 1 || v.Extensions[0].Approver != "s1" || v.Extensions[0].Days != 15 {
		t.Fatalf("extension: %+v", v.Extensions)
	}
	if n, _ := calendar.Default().WorkingDaysBetween(due, v.DueDate, ""); n != 15 {
		t.Errorf("due moved by %d working days, want 15", n)
	}
	if evs[0].Data["approver"] != "staff:s1" || evs[1].Type != EventClockExtended {
		t.Errorf("events: %+v", evs)
	}
	_, err = Apply(c, act("extend_verification", map[string]any{"reason": "again"}, c.Version), supervisor, at("2025-05-07 10:00"), testClocks)
	var it *IllegalTransitionError
	if !errors.As(err, &it) || slices.Contains(it.Allowed, "extend_verification") {
		t.Fatalf("second extension: %v", err)
	}

	batches = append(batches, do(t, c, handler, "2025-05-20 10:00", "file_case", nil))
	if c.State != cases.StateCaseFiled || c.Outcome.FilingDecision != cases.FilingFiled {
		t.Fatalf("state %s outcome %+v", c.State, c.Outcome)
	}
	notice := c.OpenClock(deadline.ReporterNotice)
	if notice == nil || notice.DueDate.String() != "2025-05-27" {
		t.Fatalf("reporter notice clock: %+v", notice)
	}
	batches = append(batches, do(t, c, handler, "2025-05-22 10:00", "notify_reporter", map[string]any{"method": "sms"}))
	if n := lastClock(t, c, deadline.ReporterNotice); n.Met == nil || !*n.Met || c.Outcome.ReporterNotified == nil {
		t.Errorf("notice clock %+v", n)
	}
	if got := Allowed(c, handler); len(got) != 0 {
		t.Errorf("allowed after notice: %v", got)
	}
	checkHistory(t, c, cases.StateVerifying, 2, batches)
}

func TestAnonymousReportNeedsNoNotice(t *testing.T) {
	c := routed(t, cases.KindReport, cases.StateVerifying, "2025-04-25 09:30")
	c.Anonymous, c.Consumer = true, cases.Person{}
	do(t, c, handler, "2025-05-06 10:00", "not_file", map[string]any{"reason": "线索不清"})
	if c.State != cases.StateNotFiled || c.OpenClock(deadline.ReporterNotice) != nil || c.Outcome.NotFiledReason != "线索不清" {
		t.Fatalf("state %s clocks %+v", c.State, c.Clocks)
	}
	_, err := Apply(c, act("notify_reporter", nil, c.Version), handler, at("2025-05-07 10:00"), testClocks)
	var it *IllegalTransitionError
	if !errors.As(err, &it) {
		t.Fatalf("notify anonymous reporter: %v", err)
	}
	if _, err := ForRespondent(c); !errors.Is(err, ErrConfidential) {
		t.Errorf("respondent view of a report: %v", err)
	}
}

func TestODRReturnsToRegulator(t *testing.T) {
	c := routed(t, cases.KindComplaint, cases.StatePendingAcceptance, "2025-04-25 09:30")
	var batches [][]cases.Event
	batches = append(batches, do(t, c, odrSystem, "2025-04-25 10:00", "send_to_odr", map[string]any{"enterprise": "某电商平台"}))
	if c.State != cases.StateODRNegotiating || c.Outcome.ODREnterprise != "某电商平台" {
		t.Fatalf("state %s", c.State)
	}
	if a := lastClock(t, c, deadline.Acceptance); a.StoppedAt == nil || a.Met != nil {
		t.Errorf("acceptance clock should be cancelled (stopped, Met nil): %+v", a.Met)
	}
	if o := c.OpenClock(deadline.ODR); o == nil || o.DueDate.String() != "2025-05-13" {
		t.Fatalf("ODR clock: %+v", o)
	}
	batches = append(batches, do(t, c, odrSystem, "2025-05-09 10:00", "odr_unsettled", nil))
	if got := Allowed(c, consumer); !reflect.DeepEqual(got, []string{"odr_unsettled_return", "withdraw"}) {
		t.Errorf("consumer may %v", got)
	}
	batches = append(batches, do(t, c, consumer, "2025-05-12 08:00", "odr_unsettled_return", nil))
	if c.State != cases.StatePendingAcceptance || c.Outcome.ODRResult != cases.ODRUnsettled {
		t.Fatalf("state %s", c.State)
	}
	acc := c.OpenClock(deadline.Acceptance)
	if acc == nil || !acc.StartedAt.Equal(at("2025-05-12 08:00")) || acc.DueDate.String() != "2025-05-21" {
		t.Fatalf("new acceptance clock %+v", acc)
	}
	if batches[2][0].Actor != "consumer" {
		t.Errorf("actor %s", batches[2][0].Actor)
	}
	batches = append(batches, do(t, c, handler, "2025-05-13 09:00", "accept", nil))
	checkHistory(t, c, cases.StatePendingAcceptance, 2, batches)
}

func TestODRSettledThenClosed(t *testing.T) {
	c := routed(t, cases.KindComplaint, cases.StatePendingAcceptance, "2025-04-25 09:30")
	do(t, c, handler, "2025-04-25 10:00", "send_to_odr", map[string]any{"enterprise": "某电商平台"})
	do(t, c, odrSystem, "2025-04-30 10:00", "odr_settled", map[string]any{"recovered_yuan": 99.9})
	if c.State != cases.StateODRSettled || c.Outcome.RecoveredFen != 9990 {
		t.Fatalf("state %s outcome %+v", c.State, c.Outcome)
	}
	_, err := Apply(c, act("close", map[string]any{"recovered_yuan": "99.90", "seven_day_return": true, "mediation_result": "agreement"}, c.Version), handler, at("2025-05-06 10:00"), testClocks)
	var fe *FieldErrors
	if !errors.As(err, &fe) || fe.Fields[0].Code != "not_allowed" {
		t.Fatalf("mediation result on an ODR case: %v", err)
	}
	do(t, c, handler, "2025-05-06 10:00", "close", map[string]any{"recovered_yuan": "99.90", "seven_day_return": true})
	if c.State != cases.StateClosed || c.Outcome.MediationResult != "" {
		t.Fatalf("state %s outcome %+v", c.State, c.Outcome)
	}
}

func TestTransferRestartsClock(t *testing.T) {
	tests := []struct {
		kind  cases.Kind
		state cases.State
		clock deadline.Kind
	}{
		{cases.KindComplaint, cases.StatePendingAcceptance, deadline.Acceptance},
		{cases.KindReport, cases.StateVerifying, deadline.Verification},
		{cases.KindInquiry, cases.StatePendingAnswer, ""},
	}
	for _, tt := range tests {
		t.Run(string(tt.kind), func(t *testing.T) {
			c := routed(t, tt.kind, tt.state, "2025-04-25 09:30")
			_, err := Apply(c, act("transfer", map[string]any{"unit": "630103"}, c.Version), handler, at("2025-04-29 10:00"), testClocks)
			if !errors.Is(err, ErrForbidden) {
				t.Fatalf("handler transfer: %v", err)
			}
			evs := do(t, c, supervisor, "2025-04-29 10:00", "transfer", map[string]any{"unit": "630103"})
			if c.State != tt.state || c.Unit.Code != "630103" || c.Unit.Name != "西宁市城中区市场监督管理局" || c.Outcome.Transfers != 1 {
				t.Fatalf("after transfer: state %s unit %+v", c.State, c.Unit)
			}
			if evs[0].Data["from_unit"] != "630102" || evs[0].Data["to_unit"] != "630103" || evs[0].From != tt.state || evs[0].To != tt.state {
				t.Errorf("transfer event %+v", evs[0])
			}
			if tt.clock == "" {
				if len(c.Clocks) != 0 {
					t.Errorf("inquiry got clocks %+v", c.Clocks)
				}
				return
			}
			if len(c.Clocks) != 2 || c.Clocks[0].StoppedAt == nil || c.Clocks[0].Met == nil || !*c.Clocks[0].Met {
				t.Fatalf("old clock %+v", c.Clocks[0])
			}
			n := c.OpenClock(tt.clock)
			if n == nil || n.Region != "630103" || !n.StartedAt.Equal(at("2025-04-29 10:00")) {
				t.Fatalf("new clock %+v", n)
			}
			// The case left the unit: the old handler may no longer act.
			if _, err := Apply(c, act("transfer", map[string]any{"unit": "630102"}, c.Version), supervisor, at("2025-04-30 10:00"), testClocks); !errors.Is(err, ErrOutOfJurisdiction) {
				t.Errorf("old unit acting after transfer: %v", err)
			}
		})
	}
}

func TestTransferFieldErrors(t *testing.T) {
	for _, unit := range []any{"630102", "999999", "63010", 630103, "630102001"} {
		c := routed(t, cases.KindComplaint, cases.StatePendingAcceptance, "2025-04-25 09:30")
		_, err := Apply(c, act("transfer", map[string]any{"unit": unit}, c.Version), supervisor, at("2025-04-29 10:00"), testClocks)
		var fe *FieldErrors
		if !errors.As(err, &fe) || fe.Fields[0].Field != "fields.unit" {
			t.Errorf("transfer to %v: %v", unit, err)
		}
	}
}

func TestWithdrawDuringMediation(t *testing.T) {
	c := routed(t, cases.KindComplaint, cases.StatePendingAcceptance, "2025-04-25 09:30")
	do(t, c, handler, "2025-04-28 10:00", "accept", nil)
	evs := do(t, c, consumer, "2025-05-06 10:00", "withdraw", nil)
	if c.State != cases.StateWithdrawn || c.Outcome.TerminationGround != "21-1" || c.Outcome.WithdrawnAt == nil {
		t.Fatalf("state %s outcome %+v", c.State, c.Outcome)
	}
	if c.OpenClock(deadline.Mediation) != nil || c.WatchAt != nil {
		t.Error("mediation clock still open")
	}
	if evs[0].Actor != "consumer" || evs[0].Reason != "21-1" {
		t.Errorf("event %+v", evs[0])
	}
}

func TestIllegalTransitions(t *testing.T) {
	tests := []struct {
		name        string
		kind        cases.Kind
		state       cases.State
		actor       Actor
		action      string
		wantAllowed []string
	}{
		{"close before acceptance", cases.KindComplaint, cases.StatePendingAcceptance, handler, "close",
			[]string{"accept", "reject", "send_to_odr", "withdraw"}},
		{"close before acceptance, supervisor", cases.KindComplaint, cases.StatePendingAcceptance, supervisor, "close",
			[]string{"accept", "reject", "send_to_odr", "transfer", "withdraw"}},
		{"answer a complaint", cases.KindComplaint, cases.StatePendingAcceptance, handler, "answer",
			[]string{"accept", "reject", "send_to_odr", "withdraw"}},
		{"file a complaint", cases.KindComplaint, cases.StatePendingAcceptance, handler, "file_case",
			[]string{"accept", "reject", "send_to_odr", "withdraw"}},
		{"accept a report", cases.KindReport, cases.StateVerifying, handler, "accept",
			[]string{"pause_clock", "file_case", "not_file"}},
		{"resume a running clock", cases.KindReport, cases.StateVerifying, handler, "resume_clock",
			[]string{"pause_clock", "file_case", "not_file"}},
		{"accept an inquiry", cases.KindInquiry, cases.StatePendingAnswer, handler, "accept",
			[]string{"answer"}},
		{"consumer accepts", cases.KindComplaint, cases.StateMediating, consumer, "end_mediation", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := routed(t, tt.kind, tt.state, "2025-04-25 09:30")
			before := snapshot(t, c)
			_, err := Apply(c, act(tt.action, nil, c.Version), tt.actor, at("2025-04-28 10:00"), testClocks)
			if tt.wantAllowed == nil {
				if !errors.Is(err, ErrForbidden) {
					t.Fatalf("err = %v, want ErrForbidden", err)
				}
				return
			}
			var it *IllegalTransitionError
			if !errors.As(err, &it) {
				t.Fatalf("err = %v, want IllegalTransitionError", err)
			}
			if !reflect.DeepEqual(it.Allowed, tt.wantAllowed) || it.State != tt.state {
				t.Errorf("allowed %v in %s, want %v", it.Allowed, it.State, tt.wantAllowed)
			}
			if snapshot(t, c) != before {
				t.Error("failed action changed the case")
			}
		})
	}
}

func TestJurisdiction(t *testing.T) {
	tests := []struct {
		unit string
		ok   bool
	}{
		{"630102", true},  // the unit itself
		{"630100", true},  // its prefecture
		{"630000", true},  // the province
		{"630103", false}, // the neighbouring county
		{"632800", false}, // another prefecture
		{"632801", false}, // a county of another prefecture
		{"abc", false},
		{"", false},
	}
	for _, tt := range tests {
		t.Run(tt.unit, func(t *testing.T) {
			c := routed(t, cases.KindComplaint, cases.StatePendingAcceptance, "2025-04-25 09:30")
			a := Actor{ID: "x", Unit: tt.unit, Role: RoleHandler}
			_, err := Apply(c, act("accept", nil, c.Version), a, at("2025-04-28 10:00"), testClocks)
			if tt.ok != (err == nil) || (!tt.ok && !errors.Is(err, ErrOutOfJurisdiction)) {
				t.Fatalf("accept by unit %s: %v", tt.unit, err)
			}
			if !tt.ok && len(Allowed(c, a)) != 0 {
				t.Errorf("allowed out of jurisdiction: %v", Allowed(c, a))
			}
			if _, _, err := Detail(c, a, at("2025-04-28 10:00")); tt.ok != (err == nil) {
				t.Errorf("detail by unit %s: %v", tt.unit, err)
			}
		})
	}
	// A case with no unit yet belongs to the province.
	c := routed(t, cases.KindComplaint, cases.StateTriage, "2025-04-25 09:30")
	c.Unit = nil
	if CanSee(c, prefHand) || !CanSee(c, Actor{Unit: "630000", Role: RoleViewer}) {
		t.Error("unit-less case visibility")
	}
	if got := List([]*cases.Case{routed(t, cases.KindComplaint, cases.StatePendingAcceptance, "2025-04-25 09:30"), c}, prefHand); len(got) != 1 {
		t.Errorf("prefecture list has %d cases, want 1", len(got))
	}
	if got := List([]*cases.Case{routed(t, cases.KindComplaint, cases.StatePendingAcceptance, "2025-04-25 09:30")}, neighbour); len(got) != 0 {
		t.Errorf("neighbour sees %d cases", len(got))
	}
}

func TestBadInput(t *testing.T) {
	raw := func(s string) json.RawMessage { return json.RawMessage(s) }
	tests := []struct {
		name   string
		action Action // Version 0 means "the current version"
		actor  Actor
		check  func(error) bool
	}{
		{"unknown action", Action{Name: "approve"}, handler, func(err error) bool { return errors.Is(err, ErrUnknownAction) }},
		{"stale version", Action{Name: "close", Version: 1}, handler, func(err error) bool { return errors.Is(err, ErrStaleVersion) }},
		{"viewer", Action{Name: "close"}, viewer, func(err error) bool { return errors.Is(err, ErrForbidden) }},
		{"neighbour", Action{Name: "close"}, neighbour, func(err error) bool { return errors.Is(err, ErrOutOfJurisdiction) }},
		{"negative amount", act("close", map[string]any{"recovered_yuan": -1, "seven_day_return": true}, 0), handler, fieldErr("fields.recovered_yuan", "invalid")},
		{"negative amount string", act("close", map[string]any{"recovered_yuan": "-0.01", "seven_day_return": true}, 0), handler, fieldErr("fields.recovered_yuan", "invalid")},
		{"amount not a number", act("close", map[string]any{"recovered_yuan": "abc", "seven_day_return": true}, 0), handler, fieldErr("fields.recovered_yuan", "invalid")},
		{"amount a bool", act("close", map[string]any{"recovered_yuan": true, "seven_day_return": true}, 0), handler, fieldErr("fields.recovered_yuan", "invalid")},
		{"amount three decimals", act("close", map[string]any{"recovered_yuan": "1.234", "seven_day_return": true}, 0), handler, fieldErr("fields.recovered_yuan", "invalid")},
		{"amount exponent", act("close", map[string]any{"recovered_yuan": raw("1e3"), "seven_day_return": true}, 0), handler, fieldErr("fields.recovered_yuan", "invalid")},
		{"amount too large", act("close", map[string]any{"recovered_yuan": "100000000.01", "seven_day_return": true}, 0), handler, fieldErr("fields.recovered_yuan", "invalid")},
		{"amount missing", act("close", map[string]any{"seven_day_return": true}, 0), handler, fieldErr("fields.recovered_yuan", "required")},
		{"amount null", act("close", map[string]any{"recovered_yuan": raw("null"), "seven_day_return": true}, 0), handler, fieldErr("fields.recovered_yuan", "required")},
		{"bool as string", act("close", map[string]any{"recovered_yuan": 1, "seven_day_return": "yes"}, 0), handler, fieldErr("fields.seven_day_return", "invalid")},
		{"unknown result", act("close", map[string]any{"recovered_yuan": 1, "seven_day_return": false, "mediation_result": "won"}, 0), handler, fieldErr("fields.mediation_result", "invalid")},
		{"control characters in note", Action{Name: "close", Note: "a\x00b", Fields: act("close", map[string]any{"recovered_yuan": 1, "seven_day_return": false}, 0).Fields}, handler, fieldErr("note", "invalid")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := routed(t, cases.KindComplaint, cases.StatePendingAcceptance, "2025-04-25 09:30")
			do(t, c, handler, "2025-04-28 10:00", "accept", nil)
			do(t, c, handler, "2025-05-20 10:00", "end_mediation", map[string]any{"result": "agreement"})
			a := tt.action
			if a.Version == 0 {
				a.Version = c.Version
			}
			before := snapshot(t, c)
			evs, err := Apply(c, a, tt.actor, at("2025-05-21 10:00"), testClocks)
			if !tt.check(err) || evs != nil {
				t.Fatalf("err = %v (%T)", err, err)
			}
			if snapshot(t, c) != before {
				t.Error("failed action changed the case")
			}
		})
	}
}

func fieldErr(field, code string) func(error) bool {
	return func(err error) bool {
		var fe *FieldErrors
		if !errors.As(err, &fe) {
			return false
		}
		for _, f := range fe.Fields {
			if f.Field == field && f.Code == code {
				return true
			}
		}
		return false
	}
}

func TestAmountParsing(t *testing.T) {
	tests := []struct {
		in   string
		want int64
	}{
		{`0`, 0}, {`"0"`, 0}, {`12.5`, 1250}, {`"12.50"`, 1250}, {`1234.56`, 123456}, {`" 7 "`, 700},
	}
	for _, tt := range tests {
		v, errs := parseFields([]Field{{Name: "a", Type: FieldYuan, Required: true}}, map[string]json.RawMessage{"a": json.RawMessage(tt.in)})
		if got, _ := v.Fen("a"); len(errs) != 0 || got != tt.want {
			t.Errorf("%s: %d %v, want %d", tt.in, got, errs, tt.want)
		}
	}
}

func TestPauseForSupplementOnVerification(t *testing.T) {
	c := routed(t, cases.KindReport, cases.StateVerifying, "2025-04-25 09:30")
	_, err := Apply(c, act("pause_clock", map[string]any{"reason": "lunch"}, c.Version), handler, at("2025-04-28 10:00"), testClocks)
	if !fieldErr("fields.reason", "invalid")(err) {
		t.Fatalf("bad pause reason: %v", err)
	}
	evs := do(t, c, handler, "2025-04-28 10:00", "pause_clock", map[string]any{"reason": "supplement"})
	if evs[1].Type != EventClockPaused || evs[1].Data["pause_reason"] != "supplement" {
		t.Errorf("pause event %+v", evs[1])
	}
	// Extension is refused while paused: the guard hides it.
	if slices.Contains(Allowed(c, supervisor), "extend_verification") {
		t.Error("extension offered on a paused clock")
	}
	do(t, c, handler, "2025-04-30 10:00", "resume_clock", nil)
	if p := lastClock(t, c, deadline.Verification).Pauses[0]; p.To == nil || p.WorkingDays != 2 {
		t.Errorf("pause %+v", p)
	}
}

func TestTriageRouteRecordsCorrection(t *testing.T) {
	c := routed(t, cases.KindComplaint, cases.StateTriage, "2025-04-25 09:30")
	c.Kind = ""
	c.Classification.Confidence = 0.41
	evs := do(t, c, handler, "2025-04-25 11:00", "triage_route", map[string]any{"type": "report", "line": "price", "unit": "630102"})
	if c.State != cases.StateVerifying || c.Classification.Type != cases.KindReport || c.Classification.Model != "human:h1" {
		t.Fatalf("state %s classification %+v", c.State, c.Classification)
	}
	if a := lastClock(t, c, deadline.Acceptance); a.Met != nil || a.StoppedAt == nil {
		t.Error("acceptance clock not cancelled")
	}
	v := c.OpenClock(deadline.Verification)
	if v == nil || !v.StartedAt.Equal(at("2025-04-25 09:30")) {
		t.Fatalf("verification clock %+v", v)
	}
	corr, found := correctionIn(evs)
	want := Correction{CaseID: c.ID, PreviousType: "complaint", PreviousLine: "food", PreviousUnit: "630102", PreviousConfidence: 0.41,
		PreviousModel: "nb-1", Type: "report", Line: "price", Unit: "630102", CorrectedBy: "staff:h1"}
	if !found || corr != want {
		t.Errorf("correction %+v, want %+v", corr, want)
	}
	if evs[0].From != cases.StateTriage || evs[0].To != cases.StateVerifying {
		t.Errorf("main event %+v", evs[0])
	}
}

// TestTriageReferRecordsAgency: a person who decides that a triage case is
// not market regulation's refers it to an agency; the consumer's answer
// names the agency and how to reach it, the acceptance clock is cancelled
// (not counted as met or missed), and the correction carries the agency as
// training data.
func TestTriageReferRecordsAgency(t *testing.T) {
	c := routed(t, cases.KindComplaint, cases.StateTriage, "2025-04-25 09:30")
	c.Classification.Confidence = 0.38
	hot, err := testClocks.Start(deadline.Hotline12345, at("2025-04-25 09:30"), at("2025-04-25 09:30"), "")
	if err != nil {
		t.Fatal(err)
	}
	c.Clocks = append(c.Clocks, hot) // a 12345 work order's own clock
	c.Routing = &cases.Routing{Target: cases.TargetTriage, Suggestions: []string{"line=referral (0.38)", "line=price (0.31)"}}
	for _, bad := range []map[string]any{{"agency": "bank"}, {}, {"agency": "finance", "type": "query"}} {
		if _, err := Apply(c, act("triage_refer", bad, c.Version), handler, at("2025-04-25 10:00"), testClocks); !errors.As(err, new(*FieldErrors)) {
			t.Errorf("fields %v: %v", bad, err)
		}
	}
	evs := do(t, c, handler, "2025-04-25 11:00", "triage_refer", map[string]any{"agency": "finance"})
	if c.State != cases.StateReferred || c.Classification.Line != "referral" || c.Classification.Type != cases.KindComplaint || c.Classification.Model != "human:h1" {
		t.Fatalf("state %s classification %+v", c.State, c.Classification)
	}
	r := c.Routing
	if r == nil || r.Target != cases.TargetReferral || r.Agency == nil || r.Agency.Code != "finance" || r.Suggestions != nil ||
		!strings.Contains(r.Answer, r.Agency.Name) || !strings.Contains(r.Answer, "12378") {
		t.Fatalf("routing %+v", r)
	}
	if a := lastClock(t, c, deadline.Acceptance); a.Met != nil || a.StoppedAt == nil || c.OpenClock(deadline.Acceptance) != nil {
		t.Error("acceptance clock not cancelled")
	}
	if h := lastClock(t, c, deadline.Hotline12345); h.Met == nil || !*h.Met {
		t.Errorf("12345 clock %+v: the referral answers the work order, on time", h)
	}
	corr, _ := correctionIn(evs)
	want := Correction{CaseID: c.ID, PreviousType: "complaint", PreviousLine: "food", PreviousUnit: "630102", PreviousConfidence: 0.38,
		PreviousModel: "nb-1", Type: "complaint", Line: "referral", Agency: "finance", CorrectedBy: "staff:h1"}
	if corr != want {
		t.Errorf("correction %+v, want %+v", corr, want)
	}
	if evs[0].Type != "triage_refer" || evs[0].To != cases.StateReferred || evs[0].Data["agency"] != "finance" {
		t.Errorf("main event %+v", evs[0])
	}
	if slices.Contains(Allowed(c, handler), "triage_refer") {
		t.Error("a referred case can be referred again")
	}
}

// TestRejectNamesAgency: a bureau that refuses a complaint as outside its
// duties (ground 15-1) may name the agency it belongs to. The consumer's
// answer names it, and the classifier that sent the case to the bureau is
// corrected, for training data. Any other ground takes no agency.
func TestRejectNamesAgency(t *testing.T) {
	c := routed(t, cases.KindComplaint, cases.StatePendingAcceptance, "2025-04-25 09:30")
	c.Routing = &cases.Routing{Target: cases.TargetRegulator, Rule: "Order 20 Art. 12"}
	for _, bad := range []map[string]any{{"ground": "15-3", "agency": "labour"}, {"ground": "15-1", "agency": "union"}} {
		if _, err := Apply(c, act("reject", bad, c.Version), handler, at("2025-04-28 10:00"), testClocks); !errors.As(err, new(*FieldErrors)) {
			t.Errorf("fields %v: %v", bad, err)
		}
	}
	evs := do(t, c, handler, "2025-04-28 10:00", "reject", map[string]any{"ground": "15-1", "agency": "labour"})
	if c.State != cases.StateNotAccepted || c.Outcome.RefusalGround != "15-1" || c.Classification.Line != "referral" || c.Classification.Model != "human:h1" {
		t.Fatalf("state %s outcome %+v classification %+v", c.State, c.Outcome, c.Classification)
	}
	if r := c.Routing; r.Agency == nil || r.Agency.Code != "labour" || !strings.Contains(r.Answer, "12333") || r.Rule != "Order 20 Art. 12" {
		t.Errorf("routing %+v", r)
	}
	corr, _ := correctionIn(evs)
	want := Correction{CaseID: c.ID, PreviousType: "complaint", PreviousLine: "food", PreviousUnit: "630102", PreviousConfidence: 0.9,
		PreviousModel: "nb-1", Type: "complaint", Line: "referral", Agency: "labour", CorrectedBy: "staff:h1"}
	if corr != want {
		t.Errorf("correction %+v, want %+v", corr, want)
	}
	// Without an agency nothing is corrected; the consumer is told the
	// ground's wording.
	c = routed(t, cases.KindComplaint, cases.StatePendingAcceptance, "2025-04-25 09:30")
	for _, e := range do(t, c, handler, "2025-04-28 10:00", "reject", map[string]any{"ground": "15-1"}) {
		if _, ok := CorrectionOf(e); ok || c.Classification.Line != "food" {
			t.Errorf("reject without agency corrected the classifier: %+v", e)
		}
	}
	if g, _ := findGround(RefusalGrounds, "15-1"); c.Outcome.RefusalReason != g.Title || c.Public().Reason != g.Title {
		t.Errorf("refusal reason %q, public %q", c.Outcome.RefusalReason, c.Public().Reason)
	}
}

// TestNotFileAndAnswerNameAgency: a report not filed and an inquiry
// answered as another agency's matter name it too, and correct the
// classifier with the case's own type.
func TestNotFileAndAnswerNameAgency(t *testing.T) {
	tests := []struct {
		kind   cases.Kind
		state  cases.State
		action string
		fields map[string]any
		want   cases.State
	}{
		{cases.KindReport, cases.StateVerifying, "not_file", map[string]any{"reason": "属于公安机关管辖", "agency": "police"}, cases.StateNotFiled},
		{cases.KindInquiry, cases.StatePendingAnswer, "answer", map[string]any{"reply": "话费问题请向电信用户申诉受理中心反映", "agency": "telecom"}, cases.StateAnswered},
	}
	for _, tt := range tests {
		c := routed(t, tt.kind, tt.state, "2025-04-25 09:30")
		evs := do(t, c, handler, "2025-04-28 10:00", tt.action, tt.fields)
		agency := tt.fields["agency"].(string)
		corr, _ := correctionIn(evs)
		if c.State != tt.want || corr.Agency != agency || corr.Line != "referral" || corr.Type != string(tt.kind) || corr.PreviousLine != "food" {
			t.Errorf("%s: state %s correction %+v", tt.action, c.State, corr)
		}
		if r := c.Routing; r == nil || r.Agency == nil || r.Agency.Code != agency || r.Answer == "" {
			t.Errorf("%s: routing %+v", tt.action, r)
		}
		bad := maps.Clone(tt.fields)
		bad["agency"] = "court"
		c = routed(t, tt.kind, tt.state, "2025-04-25 09:30")
		if _, err := Apply(c, act(tt.action, bad, c.Version), handler, at("2025-04-28 10:00"), testClocks); !errors.As(err, new(*FieldErrors)) {
			t.Errorf("%s with an unknown agency: %v", tt.action, err)
		}
	}
}

func TestTriageRouteComplaintKeepsClock(t *testing.T) {
	c := routed(t, cases.KindComplaint, cases.StateTriage, "2025-04-25 09:30")
	do(t, c, handler, "2025-04-25 11:00", "triage_route", map[string]any{"type": "complaint", "line": "food", "unit": "630100"})
	if c.State != cases.StatePendingAcceptance || len(c.Clocks) != 1 || c.Clocks[0].StoppedAt != nil || c.Unit.Code != "630100" {
		t.Fatalf("state %s clocks %+v unit %+v", c.State, c.Clocks, c.Unit)
	}
}

func TestTableIsWellFormed(t *testing.T) {
	states := map[cases.State]bool{}
	for _, s := range []cases.State{cases.StateReceived, cases.StateTriage, cases.StatePendingAcceptance, cases.StateVerifying,
		cases.StatePendingAnswer, cases.StateMediating, cases.StateNotAccepted, cases.StateMediationEnded, cases.StateClosed,
		cases.StateWithdrawn, cases.StateODRNegotiating, cases.StateODRSettled, cases.StateODRUnsettled, cases.StateCaseFiled,
		cases.StateNotFiled, cases.StateAnswered, cases.StateReferred} {
		states[s] = true
		if cases.StatusText(s) == string(s) {
			t.Errorf("state %s has no status text", s)
		}
	}
	for _, r := range Rules {
		if r.Name == "" || r.Title == "" || len(r.From) == 0 || len(r.Roles) == 0 {
			t.Errorf("rule %q incomplete", r.Name)
		}
		if slices.Contains(r.Roles, RoleViewer) {
			t.Errorf("rule %s lets viewers act", r.Name)
		}
		if slices.Contains(r.Roles, RoleHandler) && !slices.Contains(r.Roles, RoleSupervisor) {
			t.Errorf("rule %s: a supervisor must be able to do what a handler does", r.Name)
		}
		for _, s := range append(slices.Clone(r.From), r.To) {
			if s != "" && !states[s] {
				t.Errorf("rule %s: unknown state %s", r.Name, s)
			}
		}
		for _, f := range r.Fields {
			if f.Type == FieldEnum && len(f.Enum) == 0 {
				t.Errorf("rule %s field %s: empty enum", r.Name, f.Name)
			}
		}
	}
}

func TestTimestampsAndVersion(t *testing.T) {
	c := routed(t, cases.KindInquiry, cases.StatePendingAnswer, "2025-04-25 09:30")
	evs := do(t, c, handler, "2025-04-25 11:00", "answer", map[string]any{"reply": "请拨打12345"})
	if c.Version != 3 || !c.UpdatedAt.Equal(at("2025-04-25 11:00")) || c.State != cases.StateAnswered || c.Outcome.AnsweredAt == nil || c.Outcome.Reply != "请拨打12345" {
		t.Fatalf("version %d updated %s state %s", c.Version, c.UpdatedAt, c.State)
	}
	if len(evs) != 1 || evs[0].Seq != 3 || evs[0].Data["reply"] != "请拨打12345" {
		t.Errorf("events %+v", evs)
	}
}
