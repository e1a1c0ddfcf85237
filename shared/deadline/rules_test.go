package deadline

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/open12315/intake/shared/calendar"
)

var cst = calendar.Location

func TestRuleSetChoice(t *testing.T) {
	tests := []struct {
		received time.Time
		want     string // "" means ErrNoRuleSet
	}{
		{time.Date(2019, 12, 31, 23, 59, 0, 0, cst), ""},
		{time.Date(2020, 1, 1, 0, 0, 0, 0, cst), "order20"},
		{time.Date(2025, 1, 24, 10, 0, 0, 0, cst), "order20"},
		{time.Date(2026, 4, 14, 23, 59, 59, 0, cst), "order20"},
		{time.Date(2026, 4, 15, 0, 0, 0, 0, cst), "order121"},
		{time.Date(2026, 4, 14, 16, 30, 0, 0, time.UTC), "order121"}, // 00:30 on 04-15 in China
		{time.Date(2026, 4, 14, 15, 59, 0, 0, time.UTC), "order20"},  // 23:59 on 04-14 in China
		{time.Date(2030, 1, 1, 0, 0, 0, 0, cst), "order121"},
	}
	for _, tt := range tests {
		rs, err := Rules().For(tt.received)
		if tt.want == "" {
			if !errors.Is(err, ErrNoRuleSet) {
				t.Errorf("For(%s): err = %v, want ErrNoRuleSet", tt.received, err)
			}
			continue
		}
		if err != nil || rs.ID != tt.want {
			t.Errorf("For(%s) = %v, %v; want %s", tt.received, rs, err, tt.want)
		}
	}
}

func TestEmbeddedLimits(t *testing.T) {
	o20, ok20 := Rules().Set("order20")
	o121, ok121 := Rules().Set("order121")
	if !ok20 || !ok121 {
		t.Fatal("embedded rule sets missing")
	}
	want := map[Kind]Limit{
		Acceptance:          {WorkingDays: 7, Confirmed: true},
		Mediation:           {WorkingDays: 45, Pausable: true, Confirmed: true},
		MediationEndNotice:  {WorkingDays: 7, Confirmed: true},
		ViolationCheck:      {WorkingDays: 15, ExtensionDays: 15, Confirmed: true},
		Verification:        {WorkingDays: 15, ExtensionDays: 15, Pausable: true, Confirmed: true},
		ReporterNotice:      {WorkingDays: 5, Confirmed: true},
		JurisdictionDispute: {WorkingDays: 7, Confirmed: true},
		ODR:                 {WorkingDays: 10, Confirmed: true},
		Hotline12345:        {WorkingDays: 5, ExternalDue: true},
		Routing:             {Minutes: 30},
	}
	for _, k := range Kinds {
		w := want[k]
		for _, rs := range []*RuleSet{o20, o121} {
			l, err := rs.Limit(k)
			if err != nil {
				t.Fatal(err)
			}
			if l.WorkingDays != w.WorkingDays || l.Minutes != w.Minutes || l.ExtensionDays != w.ExtensionDays ||
				l.Pausable != w.Pausable || l.ExternalDue != w.ExternalDue {
				t.Errorf("%s %s = %+v, want %+v", rs.ID, k, l, w)
			}
		}
		if l, _ := o20.Limit(k); l.Confirmed != w.Confirmed {
			t.Errorf("order20 %s confirmed = %v, want %v", k, l.Confirmed, w.Confirmed)
		}
		// Order 121 is unverified: every value is Order 20's and says so.
		if l, _ := o121.Limit(k); l.Confirmed || !strings.Contains(l.Note, "order20 value") {
			t.Errorf("order121 %s = %+v, want unconfirmed with a note", k, l)
		}
	}
	if o121.Confirmed || o121.EffectiveFrom.String() != "2026-04-15" {
		t.Errorf("order121 = %+v", o121)
	}
	if _, err := o20.Limit("penalty"); !errors.Is(err, ErrUnknownKind) {
		t.Errorf("Limit(penalty): err = %v, want ErrUnknownKind", err)
	}
}

func TestOverrides(t *testing.T) {
	ov, err := ParseOverrides(" order121.mediation=30;order121.verification.extension_days=10,\norder20.acceptance.pausable=true order20.routing=45")
	if err != nil {
		t.Fatal(err)
	}
	if len(ov) != 4 || ov["order121.mediation"] != "30" {
		t.Fatalf("ParseOverrides = %v", ov)
	}
	book, err := Rules().WithOverrides(ov)
	if err != nil {
		t.Fatal(err)
	}
	o121, _ := book.Set("order121")
	o20, _ := book.Set("order20")
	checks := []struct {
		rs   *RuleSet
		kind Kind
		got  func(Limit) int
		want int
	}{
		{o121, Mediation, func(l Limit) int { return l.WorkingDays }, 30},
		{o121, Verification, func(l Limit) int { return l.ExtensionDays }, 10},
		{o121, Verification, func(l Limit) int { return l.WorkingDays }, 15},
		{o20, Mediation, func(l Limit) int { return l.WorkingDays }, 45},
		{o20, Routing, func(l Limit) int { return l.Minutes }, 45},
	}
	for _, c := range checks {
		if l, _ := c.rs.Limit(c.kind); c.got(l) != c.want {
			t.Errorf("%s %s = %+v, want %d", c.rs.ID, c.kind, l, c.want)
		}
	}
	if l, _ := o121.Limit(Mediation); !l.Overridden || !strings.Contains(l.Note, "overridden") {
		t.Errorf("overridden limit not marked: %+v", l)
	}
	if l, _ := o20.Limit(Acceptance); !l.Pausable {
		t.Error("order20.acceptance.pausable=true not applied")
	}
	// The embedded book is untouched.
	if l, _ := Rules().sets[1].Limit(Mediation); l.WorkingDays != 45 || l.Overridden {
		t.Errorf("WithOverrides modified the receiver: %+v", l)
	}

	bad := []string{
		"order99.mediation=30",           // no such rule set
		"order121.penalty=30",            // no such kind
		"order121=30",                    // no kind
		"order121.mediation.days=30",     // no such field
		"order121.mediation=-1",          // negative
		"order121.mediation=thirty",      // not a number
		"order121.mediation=0",           // a limit must be positive
		"order121.mediation.pausable=ja", // not a bool
		"order20.routing.working_days=5", // would give a minutes clock a day count too
		"order20.routing.pausable=true",  // minute clocks cannot pause
		"a.b.c.d=1",
	}
	for _, s := range bad {
		ov, err := ParseOverrides(s)
		if err != nil {
			t.Fatalf("ParseOverrides(%q): %v", s, err)
		}
		if _, err := Rules().WithOverrides(ov); !errors.Is(err, ErrInvalidOverride) {
			t.Errorf("WithOverrides(%q): err = %v, want ErrInvalidOverride", s, err)
		}
	}
	for _, s := range []string{"order121.mediation", "=3", "order121.mediation=", "a=1,a=2"} {
		if _, err := ParseOverrides(s); !errors.Is(err, ErrInvalidOverride) {
			t.Errorf("ParseOverrides(%q): err = %v, want ErrInvalidOverride", s, err)
		}
	}
	if ov, err := ParseOverrides(""); err != nil || len(ov) != 0 {
		t.Errorf("ParseOverrides(\"\") = %v, %v", ov, err)
	}
}

func TestParseRulesErrors(t *testing.T) {
	const limits = `"acceptance":{"working_days":7,"basis":"b"},"mediation":{"working_days":45,"basis":"b"},
		"mediation_end_notice":{"working_days":7,"basis":"b"},"violation_check":{"working_days":15,"basis":"b"},
		"verification":{"working_days":15,"basis":"b"},"reporter_notice":{"working_days":5,"basis":"b"},
		"jurisdiction_dispute":{"working_days":7,"basis":"b"},"odr":{"working_days":10,"basis":"b"},
		"hotline_12345":{"working_days":5,"basis":"b"},"routing":{"minutes":30,"basis":"b"}`
	const a = `{"id":"a","title":"A","effective_from":"2020-01-01","limits":{` + limits + `}}`
	if _, err := ParseRules([]byte(`[` + a + `]`)); err != nil {
		t.Fatalf("valid rules: %v", err)
	}
	tests := []struct {
		name, data, want string
	}{
		{"not json", `[`, "unexpected EOF"},
		{"empty", `[]`, "no rule sets"},
		{"unknown field", `[{"id":"a","title":"A","effective_from":"2020-01-01","limit":{}}]`, "unknown field"},
		{"no id", `[{"title":"A","effective_from":"2020-01-01","limits":{` + limits + `}}]`, "id, title and effective_from"},
		{"duplicate", `[` + a + `,` + strings.Replace(a, "2020", "2021", 1) + `]`, "defined twice"},
		{"order", `[` + a + `,{"id":"b","title":"B","effective_from":"2019-01-01","defaults_from":"a"}]`, "not after"},
		{"missing kind", `[{"id":"a","title":"A","effective_from":"2020-01-01","limits":{"acceptance":{"working_days":7,"basis":"b"}}}]`, "no limit for mediation"},
		{"unknown kind", `[{"id":"a","title":"A","effective_from":"2020-01-01","limits":{"x":{"working_days":7,"basis":"b"}}}]`, "unknown clock kind"},
		{"both units", `[` + strings.Replace(a, `"minutes":30`, `"minutes":30,"working_days":1`, 1) + `]`, "exactly one"},
		{"no unit", `[` + strings.Replace(a, `"minutes":30`, `"minutes":0`, 1) + `]`, "exactly one"},
		{"no basis", `[` + strings.Replace(a, `"odr":{"working_days":10,"basis":"b"}`, `"odr":{"working_days":10}`, 1) + `]`, "basis is required"},
		{"bad defaults", `[` + a + `,{"id":"b","title":"B","effective_from":"2021-01-01","defaults_from":"c"}]`, "not an earlier rule set"},
	}
	for _, tt := range tests {
		_, err := ParseRules([]byte(tt.data))
		if !errors.Is(err, ErrInvalidRules) || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: err = %v, want ErrInvalidRules mentioning %q", tt.name, err, tt.want)
		}
	}
}

func BenchmarkParseRules(b *testing.B) {
	for b.Loop() {
		if _, err := ParseRules(rulesJSON); err != nil {
			b.Fatal(err)
		}
	}
}
