package cases

import (
	"bytes"
	"errors"
	"strings"
	"testing"
	"time"
)

func validComplaint() Submission {
	return Submission{
		Kind:     KindComplaint,
		Consumer: Person{Name: "张三", Phone: "138 0013 8000", Address: "西宁市城东区八一路1号"},
		Business: Business{Name: "某超市", Address: "西宁市城东区东关大街2号", RegionCode: "630102"},
		Facts:    "买到过期牛奶，饮用后腹泻。",
		Request:  "退款",
	}
}

func fields(err error) []string {
	var ve *ValidationError
	if !errors.As(err, &ve) {
		return nil
	}
	var out []string
	for _, f := range ve.Fields {
		out = append(out, f.Field+":"+f.Code)
	}
	return out
}

func TestValidate(t *testing.T) {
	tests := []struct {
		name string
		edit func(*Submission)
		want []string // field:code; nil for valid
	}{
		{"valid complaint", func(*Submission) {}, nil},
		{"phone with +86", func(s *Submission) { s.Consumer.Phone = "+86 13800138000" }, nil},
		{"landline", func(s *Submission) { s.Consumer.Phone = "0971-8123456" }, nil},
		{"region instead of address", func(s *Submission) { s.Business.Address = "" }, nil},
		{"complaint needs name", func(s *Submission) { s.Consumer.Name = "" }, []string{"consumer.name:required"}},
		{"complaint needs business place", func(s *Submission) { s.Business.Address, s.Business.RegionCode = "", "" }, []string{"business.address:required"}},
		{"bad phone", func(s *Submission) { s.Consumer.Phone = "1234567" }, []string{"consumer.phone:invalid"}},
		{"bad region", func(s *Submission) { s.Business.RegionCode = "110101" }, []string{"business.region_code:invalid"}},
		{"facts too short", func(s *Submission) { s.Facts = "坏了" }, []string{"facts:too_short"}},
		{"facts too long", func(s *Submission) { s.Facts = strings.Repeat("长", MaxFactsRunes+1) }, []string{"facts:too_long"}},
		{"control characters", func(s *Submission) { s.Request = "退\x00款" }, []string{"request:invalid"}},
		{"negative amount", func(s *Submission) { s.AmountYuan = "-1" }, []string{"amount_yuan:invalid"}},
		{"three decimals", func(s *Submission) { s.AmountYuan = "1.005" }, []string{"amount_yuan:invalid"}},
		{"bad date", func(s *Submission) { s.OccurredOn = "yesterday" }, []string{"occurred_on:invalid"}},
		{"unknown kind", func(s *Submission) { s.Kind = "praise" }, []string{"kind:invalid"}},
		{"anonymous complaint", func(s *Submission) { s.Anonymous = true }, []string{"anonymous:not_allowed", "anonymous:invalid"}},
		{"bad platform role", func(s *Submission) { s.Business.PlatformRole = "owner" }, []string{"business.platform_role:invalid"}},
		{"bad id number", func(s *Submission) { s.Consumer.IDNumber = "630102199001011236" }, []string{"consumer.id_number:invalid"}},
		{"good id number", func(s *Submission) { s.Consumer.IDNumber = "11010519491231002X" }, nil},
		{"anonymous report", func(s *Submission) {
			s.Kind, s.Anonymous, s.Consumer, s.Request = KindReport, true, Person{}, ""
		}, nil},
		{"inquiry needs a phone only", func(s *Submission) {
			s.Kind, s.Consumer, s.Business, s.Request = KindInquiry, Person{Phone: "13912345678"}, Business{}, ""
		}, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := validComplaint()
			tc.edit(&s)
			s.Normalize()
			got := fields(s.Validate())
			if strings.Join(got, ",") != strings.Join(tc.want, ",") {
				t.Errorf("fields = %v, want %v", got, tc.want)
			}
		})
	}
}

func TestParseYuan(t *testing.T) {
	tests := []struct {
		in   string
		want int64
		ok   bool
	}{
		{"0", 0, true}, {"35.5", 3550, true}, {"35.50", 3550, true}, {"1234567.89", 123456789, true},
		{"-1", 0, false}, {"1e3", 0, false}, {"", 0, false}, {".5", 0, false}, {"1.", 0, false},
		{"100000001", 0, false},
	}
	for _, tc := range tests {
		got, err := ParseYuan(tc.in)
		if (err == nil) != tc.ok || got != tc.want {
			t.Errorf("ParseYuan(%q) = %d, %v", tc.in, got, err)
		}
	}
	if FormatYuan(3550) != "35.50" || FormatYuan(-5) != "-0.05" {
		t.Error("FormatYuan")
	}
}

func TestNewCaseAndTrackingCode(t *testing.T) {
	s := validComplaint()
	s.Normalize()
	s.AmountYuan = "12.30"
	now := time.Date(2026, 11, 26, 20, 0, 0, 0, time.UTC) // 04:00 on the 27th in China
	c, code, err := New(s, ChannelWeb, now, nil)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(c.ID, "QH20261127-") || !ValidID(c.ID) {
		t.Errorf("id %q", c.ID)
	}
	if c.State != StateReceived || c.Version != 1 || c.AmountFen != 1230 || c.Consumer.Phone != "13800138000" {
		t.Errorf("case = %+v", c)
	}
	if strings.Contains(c.TrackingHash, code) || len(code) != TrackingCodeLen {
		t.Errorf("code %q / hash %q", code, c.TrackingHash)
	}
	for _, try := range []string{code, strings.ToLower(code), code[:5] + "-" + code[5:], " " + code + " "} {
		if !c.CheckTrackingCode(try) {
			t.Errorf("code %q rejected", try)
		}
	}
	if c.CheckTrackingCode(code[:9]+"2") && code[9] != '2' || c.CheckTrackingCode("") {
		t.Error("wrong code accepted")
	}
	_, code2, _ := New(s, ChannelWeb, now, nil)
	if code2 == code {
		t.Error("two cases got the same code")
	}
}

func TestRandomIsUniform(t *testing.T) {
	// Bytes ≥ 240 are rejected, so every character is equally likely; a
	// reader of such bytes must not produce the biased characters.
	src := bytes.NewReader(append(bytes.Repeat([]byte{255}, 50), bytes.Repeat([]byte{0}, 10)...))
	got, err := randomString(src, 10)
	if err != nil || got != strings.Repeat(string(codeAlphabet[0]), 10) {
		t.Errorf("randomString = %q, %v", got, err)
	}
	if _, err := randomString(bytes.NewReader(nil), 10); err == nil {
		t.Error("empty reader: no error")
	}
}

func TestValidID(t *testing.T) {
	for id, want := range map[string]bool{
		"QH20261127-ABCDEFGHJK": true,
		"QH20261127-ABCDEFGHJ":  false,
		"QH2026112X-ABCDEFGHJK": false,
		"QH20261127-ABCDEFGHJ0": false, // 0 is not in the alphabet
		"../../etc/passwd":      false,
		"":                      false,
	} {
		if ValidID(id) != want {
			t.Errorf("ValidID(%q) != %v", id, want)
		}
	}
}

func TestPublicViewHasNoPersonalData(t *testing.T) {
	s := validComplaint()
	s.Normalize()
	s.Consumer.IDNumber = "11010519491231002X"
	c, _, err := New(s, ChannelWeb, time.Now(), nil)
	if err != nil {
		t.Fatal(err)
	}
	v := c.Public()
	got := strings.Join([]string{v.ID, string(v.Kind), string(v.Status), v.StatusText, v.Line}, "|")
	for _, pii := range []string{"张三", "13800138000", "八一路", "11010519491231002X"} {
		if strings.Contains(got, pii) {
			t.Errorf("public view contains %q", pii)
		}
	}
	if v.StatusText == "" || v.Status != StateReceived {
		t.Errorf("view = %+v", v)
	}
}

// TestPublicViewShowsReply: the consumer reads the answer to an inquiry in
// their view of the case.
func TestPublicViewShowsReply(t *testing.T) {
	c := &Case{ID: "QH20261127-ABCDEFGHJK", State: StateAnswered, Outcome: &Outcome{Reply: "可以退，七日内凭小票到店办理。"}}
	if v := c.Public(); v.Reply != "可以退，七日内凭小票到店办理。" {
		t.Errorf("reply = %q", v.Reply)
	}
}

// TestOutcomeReason: the ground the consumer is told, by state.
func TestOutcomeReason(t *testing.T) {
	o := &Outcome{RefusalReason: "不予受理的理由", MediationResult: MediationTerminated, TerminationReason: "终止调解的理由"}
	agreed := &Outcome{MediationResult: MediationAgreement, TerminationReason: "不该出现"}
	tests := []struct {
		o     *Outcome
		state State
		want  string
	}{
		{o, StateNotAccepted, "不予受理的理由"},
		{o, StateMediationEnded, "终止调解的理由"},
		{o, StateClosed, "终止调解的理由"},
		{o, StateMediating, ""},
		{agreed, StateMediationEnded, ""},
		{nil, StateNotAccepted, ""},
	}
	for _, tt := range tests {
		if got := tt.o.Reason(tt.state); got != tt.want {
			t.Errorf("%+v in %s: %q, want %q", tt.o, tt.state, got, tt.want)
		}
	}
}
