package outbound

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"strings"
	"testing"

	"github.com/open12315/intake/shared/cases"
	"github.com/open12315/intake/shared/channel/sms"
	"github.com/open12315/intake/shared/classify"
)

func TestFit(t *testing.T) {
	long := strings.Repeat("消费者权益保护", 40)
	tests := []struct {
		name, text, sig string
		max             int
		cut             bool
	}{
		{"one segment", "您好", "青海12315", 1, false},
		{"exactly 70 with signature", strings.Repeat("字", 70-len([]rune("【青海12315】"))), "青海12315", 1, false},
		{"71 with signature", strings.Repeat("字", 71-len([]rune("【青海12315】"))), "青海12315", 1, true},
		{"long to three", long, "青海12315", 3, true},
		{"default max", long, "青海12315", 0, true},
		{"ascii stays GSM", strings.Repeat("a", 150), "", 1, false},
	}
	for _, tc := range tests {
		got := Fit(tc.text, tc.sig, tc.max)
		max := tc.max
		if max == 0 {
			max = DefaultMaxSegments
		}
		if n, _ := sms.Segments(got, tc.sig); n > max {
			t.Errorf("%s: %d segments, max %d", tc.name, n, max)
		}
		if cut := got != tc.text; cut != tc.cut || (cut && !strings.HasSuffix(got, "…")) {
			t.Errorf("%s: cut=%v (%q), want cut=%v", tc.name, cut, got, tc.cut)
		}
	}
	// Every reply fits the default budget with the default signature.
	c := &cases.Case{ID: "QH20261127-ABCDEFGHJK", State: cases.StatePendingAcceptance,
		Unit: &cases.Unit{Code: "632823", Name: "海西蒙古族藏族自治州天峻县市场监督管理局"}}
	for _, text := range []string{receiptText(c.ID, "ABCDEFGHJK"), statusText(c), notFoundText, helpText,
		followUpText(c.ID), progressText(c, cases.StateMediating)} {
		if n, enc := sms.Segments(text, "青海12315"); n > DefaultMaxSegments || enc != sms.EncodingUCS2 {
			t.Errorf("%q: %d segments %s", text, n, enc)
		}
	}
}

func TestValidate(t *testing.T) {
	id := "QH20261127-ABCDEFGHJK"
	tests := []struct {
		m  Message
		ok bool
	}{
		{Message{Kind: SMSReceipt, Key: "k", CaseID: id, Code: "ABCDEFGHJK", InboundID: "1"}, true},
		{Message{Kind: SMSReceipt, Key: "k", CaseID: id, InboundID: "1"}, false},
		{Message{Kind: SMSStatus, Key: "k", InboundID: "1"}, true},
		{Message{Kind: SMSHelp, Key: "k"}, false},
		{Message{Kind: SMSFollowUp, Key: "k", CaseID: id, InboundID: "1"}, true},
		{Message{Kind: KindProgress, Key: "k", CaseID: id, State: cases.StateMediating}, true},
		{Message{Kind: KindProgress, Key: "k", CaseID: "../x", State: cases.StateMediating}, false},
		{Message{Kind: KindProgress, CaseID: id, State: cases.StateMediating}, false},
		{Message{Kind: "poke", Key: "k"}, false},
	}
	for i, tc := range tests {
		if err := tc.m.Validate(); (err == nil) != tc.ok {
			t.Errorf("%d %+v: %v", i, tc.m, err)
		}
	}
}

type sink struct {
	msgs []Message
	err  error
}

func (s *sink) Send(_ context.Context, m any) error {
	s.msgs = append(s.msgs, m.(Message))
	return s.err
}

// TestReferralTexts: an SMS consumer whose case is referred learns the
// agency and how to reach it, from the progress text and from 查询, and
// both fit the default budget for every agency in the taxonomy, the
// longest contact included.
func TestReferralTexts(t *testing.T) {
	tx, err := classify.DefaultTaxonomy()
	if err != nil {
		t.Fatal(err)
	}
	for _, ag := range tx.Agencies {
		a := cases.Agency{Code: ag.Code, Name: ag.Name, Contact: ag.Contact}
		c := &cases.Case{ID: "QH20261127-ABCDEFGHJK", State: cases.StateReferred,
			Routing: &cases.Routing{Target: cases.TargetReferral, Agency: &a, Answer: cases.ReferralAnswer(a)}}
		texts := []string{progressText(c, cases.StateReferred), statusText(c)}
		// A case a bureau ended as this agency's matter says so too.
		for _, st := range []cases.State{cases.StateNotAccepted, cases.StateNotFiled, cases.StateAnswered} {
			ended := *c
			ended.State = st
			texts = append(texts, progressText(&ended, st), statusText(&ended))
		}
		for _, text := range texts {
			if !strings.Contains(text, c.ID) || !strings.Contains(text, a.Name) || !strings.Contains(text, a.Contact) {
				t.Errorf("%s: %q does not name the case, the agency and its contact", a.Code, text)
			}
			if n, _ := sms.Segments(text, "青海12315"); n > DefaultMaxSegments {
				t.Errorf("%s: %q takes %d segments", a.Code, text, n)
			}
		}
	}
	// An old referred case without a stored answer still names its agency;
	// any other state says nothing of agencies.
	a := cases.Agency{Code: "postal", Name: "邮政管理部门", Contact: "邮政业用户申诉 12305"}
	c := &cases.Case{ID: "QH20261127-ABCDEFGHJK", State: cases.StateReferred, Routing: &cases.Routing{Agency: &a}}
	if got := progressText(c, cases.StateReferred); !strings.Contains(got, "12305") {
		t.Errorf("no stored answer: %q", got)
	}
	// A complaint a bureau refused as another agency's matter names it.
	c.State = cases.StateNotAccepted
	if got := progressText(c, cases.StateNotAccepted); !strings.Contains(got, "不予受理") || !strings.Contains(got, "12305") {
		t.Errorf("refused with an agency: %q", got)
	}
	c.State = cases.StateTriage
	if got := statusText(c); strings.Contains(got, "12305") {
		t.Errorf("triage case: %q", got)
	}
}

// TestRefusalTexts: a consumer whose complaint was not accepted is told
// why (the ground's wording), unless an agency was named, whose answer
// says it already.
func TestRefusalTexts(t *testing.T) {
	const why = "未提供本办法第九条第一款和第十条规定的材料"
	c := &cases.Case{ID: "QH20261127-ABCDEFGHJK", State: cases.StateNotAccepted, Outcome: &cases.Outcome{RefusalGround: "15-5", RefusalReason: why}}
	for _, text := range []string{progressText(c, cases.StateNotAccepted), statusText(c)} {
		if !strings.Contains(text, "理由："+why) {
			t.Errorf("%q does not say why", text)
		}
		if n, _ := sms.Segments(text, "青海12315"); n > DefaultMaxSegments {
			t.Errorf("%q: %d segments", text, n)
		}
	}
	// So is one whose mediation was terminated.
	const ended = "经组织调解，投诉人或者被投诉人明确表示无法达成调解协议"
	m := &cases.Case{ID: c.ID, State: cases.StateMediationEnded, Outcome: &cases.Outcome{MediationResult: cases.MediationTerminated, TerminationReason: ended}}
	if text := progressText(m, cases.StateMediationEnded); !strings.Contains(text, "理由："+ended) {
		t.Errorf("terminated mediation: %q does not say why", text)
	}
	a := cases.Agency{Code: "labour", Name: "人力资源和社会保障部门（劳动保障监察）", Contact: "人社服务热线 12333"}
	c.Outcome.RefusalGround, c.Outcome.RefusalReason = "15-1", "不属于市场监督管理部门职责，或者本行政机关不具有处理权限"
	c.Routing = &cases.Routing{Agency: &a, Answer: cases.ReferralAnswer(a)}
	if text := progressText(c, cases.StateNotAccepted); strings.Contains(text, "理由") || !strings.Contains(text, "12333") {
		t.Errorf("refused with an agency: %q", text)
	}
}

// TestReplyTexts: an SMS consumer whose inquiry was answered is texted the
// reply, and 查询 shows it; a long reply is cut at its end to the
// budget, a short one is sent whole.
func TestReplyTexts(t *testing.T) {
	long := strings.Repeat("根据价格法规定，经营者应当明码标价。", 20)
	for _, r := range []string{"可以退，七日内凭小票到店办理。", long} {
		c := &cases.Case{ID: "QH20261127-ABCDEFGHJK", State: cases.StateAnswered, Outcome: &cases.Outcome{Reply: r}}
		for _, text := range []string{progressText(c, cases.StateAnswered), statusText(c)} {
			got := Fit(text, "青海12315", DefaultMaxSegments)
			if !strings.Contains(got, c.ID) || !strings.Contains(got, r[:30]) {
				t.Errorf("%q does not carry the case and the reply", got)
			}
			if cut := r == long; cut != strings.HasSuffix(got, "…") {
				t.Errorf("%q: cut %v", got, !cut)
			}
		}
	}
	// Before it is answered, nothing of a reply shows.
	c := &cases.Case{ID: "QH20261127-ABCDEFGHJK", State: cases.StatePendingAnswer, Outcome: &cases.Outcome{Reply: "草稿"}}
	if strings.Contains(statusText(c), "草稿") || strings.Contains(progressText(c, cases.StatePendingAnswer), "草稿") {
		t.Error("a reply shows before the answer")
	}
}

// TestProgressAfter: only state changes of SMS and mini-program cases
// queue a notice, one per update, keyed by the version.
func TestProgressAfter(t *testing.T) {
	ev := func(from, to cases.State) cases.Event { return cases.Event{From: from, To: to} }
	tests := []struct {
		name string
		ch   cases.Channel
		evs  []cases.Event
		want []cases.State // from, to
	}{
		{"routed SMS case", cases.ChannelSMS, []cases.Event{ev(cases.StateReceived, cases.StatePendingAcceptance), {Type: "clock_started"}},
			[]cases.State{cases.StateReceived, cases.StatePendingAcceptance}},
		{"accepted mini-program case", cases.ChannelMiniProgram, []cases.Event{ev(cases.StatePendingAcceptance, cases.StateMediating)},
			[]cases.State{cases.StatePendingAcceptance, cases.StateMediating}},
		{"web case", cases.ChannelWeb, []cases.Event{ev(cases.StatePendingAcceptance, cases.StateMediating)}, nil},
		{"flag only", cases.ChannelSMS, []cases.Event{ev(cases.StateMediating, cases.StateMediating)}, nil},
		{"follow-up", cases.ChannelSMS, []cases.Event{{Type: "follow_up", From: cases.StateTriage, To: cases.StateTriage}}, nil},
	}
	for _, tc := range tests {
		q := &sink{}
		p := &Progress{Queue: q, Log: slog.New(slog.NewTextHandler(io.Discard, nil))}
		p.After(context.Background(), &cases.Case{ID: "QH20261127-ABCDEFGHJK", Version: 4, Channel: tc.ch}, tc.evs)
		switch {
		case tc.want == nil && len(q.msgs) != 0:
			t.Errorf("%s: queued %+v", tc.name, q.msgs)
		case tc.want != nil && (len(q.msgs) != 1 || q.msgs[0].From != tc.want[0] || q.msgs[0].State != tc.want[1] ||
			q.msgs[0].Key != "progress/QH20261127-ABCDEFGHJK/v4" || q.msgs[0].Validate() != nil):
			t.Errorf("%s: queued %+v", tc.name, q.msgs)
		}
	}
	// A queue failure does not fail the update.
	q := &sink{err: errors.New("down")}
	(&Progress{Queue: q, Log: slog.New(slog.NewTextHandler(io.Discard, nil))}).After(context.Background(),
		&cases.Case{ID: "QH20261127-ABCDEFGHJK", Channel: cases.ChannelSMS}, []cases.Event{ev(cases.StateMediating, cases.StateClosed)})
	var nilP *Progress
	nilP.After(context.Background(), &cases.Case{}, nil)
}
