package stats

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/open12315/intake/shared/calendar"
	"github.com/open12315/intake/shared/cases"
	"github.com/open12315/intake/shared/deadline"
	"github.com/open12315/intake/shared/lifecycle"
)

var (
	clocks  = &lifecycle.RuleClocks{Calendar: calendar.Default(), Rules: deadline.Rules(), DueSoon: 2}
	handler = lifecycle.Actor{ID: "h1", Unit: "630102", Role: lifecycle.RoleHandler}
	t0      = time.Date(2025, 3, 3, 9, 0, 0, 0, cases.Shanghai) // a Monday
)

// routed returns a case of kind as the route consumer leaves it.
func routed(t *testing.T, kind cases.Kind, ch cases.Channel) *cases.Case {
	t.Helper()
	sub := cases.Submission{Kind: kind, Consumer: cases.Person{Name: "张三", Phone: "13800138000", Address: "西宁"},
		Business: cases.Business{Name: "某店", RegionCode: "630102"}, Facts: "商品有质量问题", Request: "退款"}
	c, _, err := cases.New(sub, ch, t0, nil)
	if err != nil {
		t.Fatal(err)
	}
	c.Unit = &cases.Unit{Code: "630102"}
	c.Classification = &cases.Classification{Type: kind, Line: "quality"}
	ck, st := deadline.Acceptance, cases.StatePendingAcceptance
	switch kind {
	case cases.KindReport:
		ck, st = deadline.Verification, cases.StateVerifying
	case cases.KindInquiry:
		ck, st = "", cases.StatePendingAnswer
	}
	c.State = st
	if ck != "" {
		k, err := clocks.Start(ck, t0, t0, "630102")
		if err != nil {
			t.Fatal(err)
		}
		c.Clocks = []deadline.Clock{k}
	}
	return c
}

// act applies actions at the given days after receipt.
func act(t *testing.T, c *cases.Case, steps ...any) {
	t.Helper()
	for i := 0; i+2 < len(steps); i += 3 {
		name, days := steps[i].(string), steps[i+1].(int)
		fields, _ := steps[i+2].(map[string]any)
		raw := map[string]json.RawMessage{}
		for k, v := range fields {
			b, _ := json.Marshal(v)
			raw[k] = b
		}
		if _, err := lifecycle.Apply(c, lifecycle.Action{Name: name, Fields: raw, Version: c.Version},
			handler, t0.AddDate(0, 0, days), clocks); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
	}
}

func TestCompute(t *testing.T) {
	var cs []*cases.Case
	add := func(c *cases.Case) { cs = append(cs, c) }

	// A complaint accepted on time, mediated, closed with money back and a
	// seven-day return.
	c := routed(t, cases.KindComplaint, cases.ChannelWeb)
	act(t, c, "accept", 2, nil,
		"end_mediation", 10, map[string]any{"result": "agreement"},
		"close", 12, map[string]any{"recovered_yuan": "120.50", "seven_day_return": true})
	add(c)
	// Refused as outside market-regulation duties (left out of the rate).
	c = routed(t, cases.KindComplaint, cases.ChannelWeb)
	act(t, c, "reject", 3, map[string]any{"ground": "15-1"})
	add(c)
	// Refused on another ground, late: decided after its 7 working days.
	c = routed(t, cases.KindComplaint, cases.ChannelSMS)
	act(t, c, "reject", 20, map[string]any{"ground": "15-3"})
	add(c)
	// Settled by an ODR enterprise, 50 yuan back.
	c = routed(t, cases.KindComplaint, cases.ChannelMiniProgram)
	c.Routing = &cases.Routing{Target: cases.TargetODR, ODR: &cases.ODRRef{ID: "odr-1", Name: "某企业"}}
	act(t, c, "send_to_odr", 1, map[string]any{"enterprise": "某企业"},
		"odr_settled", 5, map[string]any{"recovered_yuan": "50"})
	add(c)
	// A 12345 transfer still pending.
	add(routed(t, cases.KindComplaint, cases.ChannelHotline))
	// Reports: one decided on time, one late.
	c = routed(t, cases.KindReport, cases.ChannelWeb)
	act(t, c, "file_case", 5, nil)
	add(c)
	c = routed(t, cases.KindReport, cases.ChannelWeb)
	act(t, c, "not_file", 40, map[string]any{"reason": "查无实据"})
	add(c)
	// An inquiry answered, a referral, and one still unclassified.
	c = routed(t, cases.KindInquiry, cases.ChannelWeb)
	act(t, c, "answer", 1, map[string]any{"reply": "可以申请七日无理由退货。"})
	add(c)
	c = routed(t, cases.KindComplaint, cases.ChannelWeb)
	c.State, c.Clocks, c.Routing = cases.StateReferred, nil, &cases.Routing{Target: cases.TargetReferral}
	add(c)
	add(&cases.Case{ID: "QH20250303-ABCDEFGHJK", State: cases.StateReceived, Channel: cases.ChannelWeb})

	r := Compute(cs)
	if r.Total != 10 || r.Received["complaint"] != 6 || r.Received["report"] != 2 || r.Received["inquiry"] != 1 || r.Received["unclassified"] != 1 {
		t.Errorf("received = %v (total %d)", r.Received, r.Total)
	}
	check := func(name string, got *float64, want float64) {
		t.Helper()
		if got == nil || *got < want-1e-9 || *got > want+1e-9 {
			t.Errorf("%s = %v, want %.4f", name, got, want)
		}
	}
	// Accepted 1 of 2 decisions within duties (the 15-1 refusal is left out).
	if r.Accepted != 1 || r.AcceptanceDecided != 2 || r.RefusedOutOfDuties != 1 {
		t.Errorf("acceptance %d/%d, out of duties %d", r.Accepted, r.AcceptanceDecided, r.RefusedOutOfDuties)
	}
	check("acceptance rate", r.AcceptanceRate, 0.5)
	// Acceptance clocks stopped: accept (on time), 15-1 (on time), 15-3
	// (late); the ODR case's was cancelled, not counted.
	if r.InitialChecks != 3 || r.InitialChecksOnTime != 2 {
		t.Errorf("initial checks %d/%d", r.InitialChecksOnTime, r.InitialChecks)
	}
	check("on-time initial check", r.OnTimeInitialCheckRate, 2.0/3)
	check("on-time verification", r.OnTimeVerificationRate, 0.5)
	// Final: closed, two refusals, ODR settled, two report decisions,
	// answered, referred = 8 of 10.
	check("completion", r.CompletionRate, 0.8)
	if r.RecoveredFen != 17050 || r.RecoveredYuan != "170.50" {
		t.Errorf("recovered %d (%s)", r.RecoveredFen, r.RecoveredYuan)
	}
	if r.ODRCases != 1 || r.ODRSettlements != 1 || r.HotlineTransfers != 1 || r.SevenDayReturns != 1 || r.Referred != 1 {
		t.Errorf("odr %d/%d hotline %d seven-day %d referred %d", r.ODRSettlements, r.ODRCases, r.HotlineTransfers, r.SevenDayReturns, r.Referred)
	}
}

func TestEmptyRates(t *testing.T) {
	r := Compute(nil)
	if r.AcceptanceRate != nil || r.CompletionRate != nil || r.Total != 0 || r.RecoveredYuan != "0.00" {
		t.Errorf("empty report = %+v", r)
	}
}
