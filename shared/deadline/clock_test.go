package deadline

import (
	"bytes"
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/open12315/intake/shared/calendar"
)

func at(s string) time.Time {
	t, err := time.ParseInLocation("2006-01-02 15:04", s, cst)
	if err != nil {
		panic(err)
	}
	return t
}

// start starts a clock under the rule set in force at the start time.
func start(t *testing.T, kind Kind, when string) *Clock {
	t.Helper()
	rs, err := Rules().For(at(when))
	if err != nil {
		t.Fatal(err)
	}
	c, err := Start(kind, at(when), "", rs, calendar.Default())
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestStart(t *testing.T) {
	tests := []struct {
		kind       Kind
		start      string
		wantSet    string
		wantDue    string
		wantWorkDs int
	}{
		{Acceptance, "2025-01-24 10:00", "order20", "2025-02-10", 7},
		{MediationEndNotice, "2024-09-27 17:00", "order20", "2024-10-12", 7},
		{Verification, "2024-09-27 09:00", "order20", "2024-10-23", 15},
		{ViolationCheck, "2024-12-31 09:00", "order20", "2025-01-22", 15},
		{ReporterNotice, "2025-09-26 09:00", "order20", "2025-10-10", 5},
		{ODR, "2025-01-24 09:00", "order20", "2025-02-13", 10},
		{Hotline12345, "2026-02-13 09:00", "order20", "2026-02-27", 5},
		{Mediation, "2025-04-25 09:00", "order20", "2025-07-02", 45},
		{JurisdictionDispute, "2026-09-30 09:00", "order121", "2026-10-15", 7},
		{Acceptance, "2026-04-15 00:00", "order121", "2026-04-24", 7},
		{Acceptance, "2026-04-14 23:59", "order20", "2026-04-23", 7},
	}
	for _, tt := range tests {
		c := start(t, tt.kind, tt.start)
		if c.RuleSet != tt.wantSet || c.DueDate.String() != tt.wantDue || c.WorkingDays != tt.wantWorkDs {
			t.Errorf("Start(%s, %s) = set %s due %s (%d wd); want %s due %s (%d wd)",
				tt.kind, tt.start, c.RuleSet, c.DueDate, c.WorkingDays, tt.wantSet, tt.wantDue, tt.wantWorkDs)
		}
		if want := calendar.EndOfDay(c.DueDate); !c.DueAt.Equal(want) {
			t.Errorf("Start(%s, %s): DueAt = %s, want %s", tt.kind, tt.start, c.DueAt, want)
		}
		if c.CalendarVersion != calendar.Default().Version() || c.Provisional {
			t.Errorf("Start(%s, %s): calendar %q provisional %v", tt.kind, tt.start, c.CalendarVersion, c.Provisional)
		}
	}
}

func TestStartDerivation(t *testing.T) {
	// 2025-01-23 20:00 UTC is 2025-01-24 04:00 in China.
	rs, _ := Rules().For(time.Date(2025, 1, 23, 20, 0, 0, 0, time.UTC))
	c, err := Start(Acceptance, time.Date(2025, 1, 23, 20, 0, 0, 0, time.UTC), "632701", rs, calendar.Default())
	if err != nil {
		t.Fatal(err)
	}
	if c.DueDate.String() != "2025-02-10" || c.StartedAt.Format(time.RFC3339) != "2025-01-24T04:00:00+08:00" {
		t.Fatalf("due %s, started %s", c.DueDate, c.StartedAt.Format(time.RFC3339))
	}
	all := strings.Join(c.Derivation, "\n")
	for _, want := range []string{
		"rule set order20", "acceptance limit 7 working days", "Art. 14",
		"received 2025-01-24 04:00 (Fri); that day is not counted; +7 working days",
		"国办发明电〔2024〕12号 calendar for region 632701", "→ due 2025-02-10 (Mon), by 24:00",
	} {
		if !strings.Contains(all, want) {
			t.Errorf("derivation lacks %q:\n%s", want, all)
		}
	}
	// A period across the new year names both notices.
	c = start(t, Acceptance, "2024-12-31 09:00")
	if !strings.Contains(c.Derivation[1], "国办发明电〔2023〕7号 + 国办发明电〔2024〕12号 calendar") {
		t.Errorf("derivation = %q", c.Derivation[1])
	}
	// Order 121's values are flagged.
	c = start(t, Acceptance, "2026-05-06 09:00")
	if !strings.Contains(c.Derivation[0], "[UNCONFIRMED") {
		t.Errorf("order121 derivation not flagged: %q", c.Derivation[0])
	}
}

func TestStartErrors(t *testing.T) {
	rs, _ := Rules().Set("order20")
	cal := calendar.Default()
	tests := []struct {
		name string
		err  error
		want error
	}{
		{"unknown kind", errOf(Start("penalty", at("2025-03-03 09:00"), "", rs, cal)), ErrUnknownKind},
		{"no rules", errOf(Start(Acceptance, at("2025-03-03 09:00"), "", nil, cal)), ErrNoRuleSet},
		{"no calendar", errOf(Start(Acceptance, at("2025-03-03 09:00"), "", rs, nil)), ErrNoCalendar},
		{"bad region", errOf(Start(Acceptance, at("2025-03-03 09:00"), "63", rs, cal)), calendar.ErrInvalidRegion},
		{"uncovered", errOf(Start(Acceptance, at("2026-12-28 09:00"), "", rs, cal)), calendar.ErrNotCovered},
		{"external due not allowed", errOf(StartWithDueDate(Acceptance, at("2025-03-03 09:00"), calendar.NewDate(2025, 3, 7), "", rs, cal)), ErrNoExternalDue},
	}
	for _, tt := range tests {
		if !errors.Is(tt.err, tt.want) {
			t.Errorf("%s: err = %v, want %v", tt.name, tt.err, tt.want)
		}
	}
	if _, err := Start(Acceptance, time.Time{}, "", rs, cal); err == nil {
		t.Error("zero start time: want an error")
	}
	if _, err := StartWithDueDate(Hotline12345, at("2025-03-03 09:00"), calendar.NewDate(2025, 3, 3), "", rs, cal); err == nil {
		t.Error("external due date on the start day: want an error")
	}
}

func errOf(_ *Clock, err error) error { return err }

func TestStartWithDueDate(t *testing.T) {
	rs, _ := Rules().Set("order20")
	tests := []struct {
		due, want string
		n         int
	}{
		{"2025-03-07", "2025-03-07", 4}, // Friday: kept
		{"2025-03-08", "2025-03-10", 5}, // Saturday: next working day
		{"2025-03-04", "2025-03-04", 1},
	}
	for _, tt := range tests {
		due, _ := calendar.ParseDate(tt.due)
		c, err := StartWithDueDate(Hotline12345, at("2025-03-03 09:00"), due, "", rs, calendar.Default())
		if err != nil {
			t.Fatal(err)
		}
		if c.DueDate.String() != tt.want || c.WorkingDays != tt.n {
			t.Errorf("due %s: got %s (%d wd), want %s (%d wd)", tt.due, c.DueDate, c.WorkingDays, tt.want, tt.n)
		}
		if !strings.Contains(c.Derivation[1], "set by the transferring agency") {
			t.Errorf("derivation = %q", c.Derivation[1])
		}
	}
}

func TestRoutingClock(t *testing.T) {
	rs, _ := Rules().Set("order20")
	c, err := Start(Routing, at("2025-02-08 23:50"), "", rs, nil)
	if err != nil {
		t.Fatal(err)
	}
	if c.DueAt.Format(time.RFC3339) != "2025-02-09T00:20:00+08:00" || c.DueDate.String() != "2025-02-09" || c.Minutes != 30 {
		t.Errorf("routing clock = %+v", c)
	}
	for now, want := range map[string]State{"2025-02-09 00:19": StateOK, "2025-02-09 00:20": StateOverdue} {
		if got, err := c.Status(at(now), 5, nil); err != nil || got != want {
			t.Errorf("Status(%s) = %s, %v; want %s", now, got, err, want)
		}
	}
	if err := c.Pause(at("2025-02-09 00:00"), "x"); !errors.Is(err, ErrNotPausable) {
		t.Errorf("Pause: err = %v, want ErrNotPausable", err)
	}
	if err := c.Extend(1, "boss", "x", at("2025-02-09 00:00"), nil); !errors.Is(err, ErrNotExtendable) {
		t.Errorf("Extend: err = %v, want ErrNotExtendable", err)
	}
}

func TestPauseSemantics(t *testing.T) {
	// Mediation from Friday 2025-04-25 is due 2025-07-02 without pauses.
	tests := []struct {
		name    string
		pauses  [][2]string
		added   []int
		wantDue string
	}{
		{"same day", [][2]string{{"2025-05-06 10:00", "2025-05-06 16:00"}}, []int{0}, "2025-07-02"},
		{"next day", [][2]string{{"2025-05-06 10:00", "2025-05-07 09:00"}}, []int{1}, "2025-07-03"},
		{"over a weekend", [][2]string{{"2025-05-09 17:00", "2025-05-12 09:00"}}, []int{1}, "2025-07-03"},
		{"over a holiday", [][2]string{{"2025-04-30 10:00", "2025-05-06 09:00"}}, []int{1}, "2025-07-03"},
		{"long", [][2]string{{"2025-04-28 10:00", "2025-05-09 09:00"}}, []int{6}, "2025-07-10"},
		{"two pauses add up", [][2]string{{"2025-05-06 10:00", "2025-05-07 09:00"}, {"2025-05-09 17:00", "2025-05-12 09:00"}}, []int{1, 1}, "2025-07-04"},
		{"paused on the due day", [][2]string{{"2025-07-02 23:00", "2025-07-04 09:00"}}, []int{2}, "2025-07-04"},
	}
	cal := calendar.Default()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := start(t, Mediation, "2025-04-25 09:00")
			for i, p := range tt.pauses {
				if err := c.Pause(at(p[0]), "检测"); err != nil {
					t.Fatal(err)
				}
				if st, _ := c.Status(at(p[0]), 3, cal); st != StatePaused {
					t.Errorf("Status while paused = %s", st)
				}
				if err := c.Resume(at(p[1]), cal); err != nil {
					t.Fatal(err)
				}
				if c.Pauses[i].WorkingDays != tt.added[i] {
					t.Errorf("pause %d added %d working days, want %d", i, c.Pauses[i].WorkingDays, tt.added[i])
				}
			}
			if c.DueDate.String() != tt.wantDue || !c.DueAt.Equal(calendar.EndOfDay(c.DueDate)) {
				t.Errorf("due %s (%s), want %s", c.DueDate, c.DueAt, tt.wantDue)
			}
			if c.Paused() || len(c.Pauses) != len(tt.pauses) {
				t.Errorf("pauses = %+v", c.Pauses)
			}
		})
	}
}

func TestPauseErrors(t *testing.T) {
	cal := calendar.Default()
	c := start(t, Mediation, "2025-04-25 09:00") // due 2025-07-02
	tests := []struct {
		name string
		err  error
		want error
	}{
		{"resume unpaused", c.Resume(at("2025-05-06 10:00"), cal), ErrNotPaused},
		{"no reason", c.Pause(at("2025-05-06 10:00"), ""), ErrNoReason},
		{"before start", c.Pause(at("2025-04-25 08:00"), "x"), ErrOutOfOrder},
		{"after due", c.Pause(at("2025-07-03 00:00").Add(time.Second), "x"), ErrOverdue},
		{"pause", c.Pause(at("2025-05-06 10:00"), "检测"), nil},
		{"pause twice", c.Pause(at("2025-05-07 10:00"), "x"), ErrAlreadyPaused},
		{"resume before pause", c.Resume(at("2025-05-06 09:00"), cal), ErrOutOfOrder},
		{"resume without calendar", c.Resume(at("2025-05-07 10:00"), nil), ErrNoCalendar},
		{"resume", c.Resume(at("2025-05-07 10:00"), cal), nil},
		{"not pausable", start(t, Acceptance, "2025-04-25 09:00").Pause(at("2025-04-28 09:00"), "补正"), ErrNotPausable},
	}
	for _, tt := range tests {
		if !errors.Is(tt.err, tt.want) || (tt.want == nil) != (tt.err == nil) {
			t.Errorf("%s: err = %v, want %v", tt.name, tt.err, tt.want)
		}
	}
	if c.DueDate.String() != "2025-07-03" {
		t.Errorf("failed calls changed the clock: due %s", c.DueDate)
	}
	if err := c.Stop(at("2025-06-01 10:00")); err != nil {
		t.Fatal(err)
	}
	if err := c.Pause(at("2025-06-02 10:00"), "x"); !errors.Is(err, ErrStopped) {
		t.Errorf("Pause after Stop: err = %v, want ErrStopped", err)
	}
}

func TestPausableByOverride(t *testing.T) {
	book, err := Rules().WithOverrides(map[string]string{"order20.acceptance.pausable": "true"})
	if err != nil {
		t.Fatal(err)
	}
	rs, _ := book.For(at("2025-01-24 10:00"))
	cal := calendar.Default()
	c, err := Start(Acceptance, at("2025-01-24 10:00"), "", rs, cal)
	if err != nil {
		t.Fatal(err)
	}
	// Paused 2025-02-05 (Wed) to 2025-02-07 (Fri): 02-06 and 02-07 are added.
	if err := c.Pause(at("2025-02-05 10:00"), "补正"); err != nil {
		t.Fatal(err)
	}
	if err := c.Resume(at("2025-02-07 10:00"), cal); err != nil {
		t.Fatal(err)
	}
	if c.DueDate.String() != "2025-02-12" {
		t.Errorf("due %s, want 2025-02-12", c.DueDate)
	}
	if last := c.Derivation[len(c.Derivation)-1]; !strings.Contains(last, "paused 2025-02-05..2025-02-07 for 补正 (+2 working days) → due 2025-02-12 (Wed)") {
		t.Errorf("derivation = %q", last)
	}
}

func TestExtend(t *testing.T) {
	cal := calendar.Default()
	c := start(t, Verification, "2024-09-27 09:00") // due 2024-10-23
	tests := []struct {
		name string
		err  error
		want error
	}{
		{"too long", c.Extend(16, "局长", "复杂", at("2024-10-08 09:00"), cal), ErrExtensionTooLong},
		{"zero", c.Extend(0, "局长", "复杂", at("2024-10-08 09:00"), cal), ErrExtensionTooLong},
		{"no approver", c.Extend(15, " ", "复杂", at("2024-10-08 09:00"), cal), ErrNoApprover},
		{"no calendar", c.Extend(15, "局长", "复杂", at("2024-10-08 09:00"), nil), ErrNoCalendar},
		{"overdue", c.Extend(15, "局长", "复杂", at("2024-10-24 00:01"), cal), ErrOverdue},
		{"ok", c.Extend(10, "局长", "复杂", at("2024-10-23 23:59"), cal), nil},
		{"twice", c.Extend(5, "局长", "复杂", at("2024-10-24 09:00"), cal), ErrAlreadyExtended},
		{"not extendable", start(t, Acceptance, "2024-09-27 09:00").Extend(5, "局长", "复杂", at("2024-09-30 09:00"), cal), ErrNotExtendable},
	}
	for _, tt := range tests {
		if !errors.Is(tt.err, tt.want) || (tt.want == nil) != (tt.err == nil) {
			t.Errorf("%s: err = %v, want %v", tt.name, tt.err, tt.want)
		}
	}
	// 2024-10-23 + 10 working days: 10-24, 25, 28, 29, 30, 31, 11-01, 04, 05, 06.
	if c.DueDate.String() != "2024-11-06" || len(c.Extensions) != 1 || c.Extensions[0].Approver != "局长" {
		t.Errorf("after Extend: due %s, extensions %+v", c.DueDate, c.Extensions)
	}

	p := start(t, Verification, "2024-09-27 09:00")
	if err := p.Pause(at("2024-09-30 09:00"), "鉴定"); err != nil {
		t.Fatal(err)
	}
	if err := p.Extend(15, "局长", "复杂", at("2024-10-08 09:00"), cal); !errors.Is(err, ErrPaused) {
		t.Errorf("Extend while paused: err = %v, want ErrPaused", err)
	}
	// Paused 09-30, resumed 10-09: adds 10-08 and 10-09 (10-01..07 are off).
	if err := p.Resume(at("2024-10-09 09:00"), cal); err != nil {
		t.Fatal(err)
	}
	if err := p.Extend(15, "局长", "复杂", at("2024-10-09 10:00"), cal); err != nil {
		t.Fatal(err)
	}
	want, _ := cal.AddWorkingDays(calendar.NewDate(2024, 9, 27), 15+2+15, "")
	if p.DueDate != want {
		t.Errorf("pause + extension: due %s, want %s", p.DueDate, want)
	}
}

func TestStop(t *testing.T) {
	tests := []struct {
		name    string
		pause   string // optional pause before stopping
		stop    time.Time
		wantMet bool
	}{
		{"early", "", at("2025-02-05 10:00"), true},
		{"last minute", "", at("2025-02-10 23:59"), true},
		{"at 24:00", "", at("2025-02-11 00:00"), true},
		{"one second late", "", at("2025-02-11 00:00").Add(time.Second), false},
		{"late", "", at("2025-02-20 10:00"), false},
		{"while paused", "2025-02-10 20:00", at("2025-02-20 10:00"), true},
	}
	book, _ := Rules().WithOverrides(map[string]string{"order20.acceptance.pausable": "true"})
	rs, _ := book.Set("order20")
	for _, tt := range tests {
		c, err := Start(Acceptance, at("2025-01-24 10:00"), "", rs, calendar.Default())
		if err != nil {
			t.Fatal(err)
		}
		if tt.pause != "" {
			if err := c.Pause(at(tt.pause), "补正"); err != nil {
				t.Fatal(err)
			}
		}
		if err := c.Stop(tt.stop); err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		if c.Met == nil || *c.Met != tt.wantMet || c.StoppedAt == nil || !c.StoppedAt.Equal(tt.stop) {
			t.Errorf("%s: met %v stopped %v, want met %v", tt.name, c.Met, c.StoppedAt, tt.wantMet)
		}
		if c.Paused() {
			t.Errorf("%s: pause left open after Stop", tt.name)
		}
		if st, _ := c.Status(tt.stop.Add(time.Hour), 3, calendar.Default()); st != StateStopped {
			t.Errorf("%s: Status = %s, want stopped", tt.name, st)
		}
		if err := c.Stop(tt.stop.Add(time.Hour)); !errors.Is(err, ErrStopped) {
			t.Errorf("%s: second Stop: err = %v, want ErrStopped", tt.name, err)
		}
	}
	c := start(t, Acceptance, "2025-01-24 10:00")
	if err := c.Stop(at("2025-01-24 09:00")); !errors.Is(err, ErrOutOfOrder) {
		t.Errorf("Stop before start: err = %v, want ErrOutOfOrder", err)
	}
}

func TestStatus(t *testing.T) {
	cal := calendar.Default()
	c := start(t, Acceptance, "2025-01-24 10:00") // due 2025-02-10 (Mon)
	tests := []struct {
		now     string
		dueSoon int
		want    State
	}{
		{"2025-01-27 10:00", 2, StateOK},
		{"2025-02-07 10:00", 2, StateOK},      // left: 02-08 (make-up Saturday), 02-10
		{"2025-02-07 10:00", 3, StateDueSoon}, // fewer than 3 left
		{"2025-02-08 10:00", 2, StateDueSoon}, // left: 02-10
		{"2025-02-10 23:59", 1, StateDueSoon}, // due day
		{"2025-02-10 23:59", 0, StateOK},      // due_soon disabled
		{"2025-02-09 12:00", 1, StateOK},      // Sunday, one working day left
		{"2025-02-11 00:00", 2, StateOverdue},
		{"2025-03-01 00:00", 0, StateOverdue},
	}
	for _, tt := range tests {
		got, err := c.Status(at(tt.now), tt.dueSoon, cal)
		if err != nil || got != tt.want {
			t.Errorf("Status(%s, %d) = %s, %v; want %s", tt.now, tt.dueSoon, got, err, tt.want)
		}
	}
	if _, err := c.Status(at("2025-02-07 10:00"), 2, nil); !errors.Is(err, ErrNoCalendar) {
		t.Errorf("Status without calendar: err = %v, want ErrNoCalendar", err)
	}
}

func TestBeyondCoverage(t *testing.T) {
	rs, _ := Rules().Set("order121")
	cal := calendar.Default()
	if _, err := Start(Acceptance, at("2026-12-28 09:00"), "", rs, cal); !errors.Is(err, calendar.ErrNotCovered) {
		t.Fatalf("strict calendar: err = %v, want calendar.ErrNotCovered", err)
	}
	c, err := Start(Acceptance, at("2026-12-28 09:00"), "", rs, cal.WithCoverage(calendar.WeekendsOnly))
	if err != nil {
		t.Fatal(err)
	}
	if c.DueDate.String() != "2027-01-06" || !c.Provisional {
		t.Errorf("due %s provisional %v, want 2027-01-06 provisional", c.DueDate, c.Provisional)
	}
	all := strings.Join(c.Derivation, "\n")
	if !strings.Contains(all, "PROVISIONAL: no holiday data for 2027") || !strings.Contains(all, "no 2027 data") {
		t.Errorf("derivation does not flag the assumption:\n%s", all)
	}
	// Inside coverage the fallback changes nothing.
	c, _ = Start(Acceptance, at("2026-12-21 09:00"), "", rs, cal.WithCoverage(calendar.WeekendsOnly))
	if c.Provisional || c.DueDate.String() != "2026-12-30" {
		t.Errorf("covered period: due %s provisional %v", c.DueDate, c.Provisional)
	}
}

func TestClockJSON(t *testing.T) {
	cal := calendar.Default()
	c := start(t, Verification, "2025-01-24 10:00")
	if err := c.Pause(at("2025-02-05 10:00"), "鉴定"); err != nil {
		t.Fatal(err)
	}
	b, err := json.Marshal(c)
	if err != nil {
		t.Fatal(err)
	}
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(b, &fields); err != nil {
		t.Fatal(err)
	}
	var keys []string
	for k := range fields {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	want := []string{"calendar_version", "derivation", "due_at", "due_date", "kind", "max_extension",
		"pausable", "pauses", "rule_set", "started_at", "working_days"}
	if !slices.Equal(keys, want) {
		t.Errorf("JSON keys = %v, want %v", keys, want)
	}
	if string(fields["due_date"]) != `"2025-02-20"` || string(fields["due_at"]) != `"2025-02-21T00:00:00+08:00"` {
		t.Errorf("due_date %s due_at %s", fields["due_date"], fields["due_at"])
	}

	// A clock read back from storage carries on.
	var back Clock
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	if again, _ := json.Marshal(&back); !bytes.Equal(again, b) {
		t.Errorf("round trip changed the clock:\n%s\n%s", b, again)
	}
	if err := back.Resume(at("2025-02-07 10:00"), cal); err != nil {
		t.Fatal(err)
	}
	if err := back.Stop(at("2025-02-17 10:00")); err != nil {
		t.Fatal(err)
	}
	// Paused 02-05..02-07 adds 02-06 and 02-07: 2025-02-20 → 2025-02-24.
	if back.DueDate.String() != "2025-02-24" || back.Met == nil || !*back.Met {
		t.Errorf("after reload: due %s met %v", back.DueDate, back.Met)
	}
	b, _ = json.Marshal(&back)
	for _, key := range []string{`"stopped_at":"2025-02-17T10:00:00+08:00"`, `"met":true`, `"to":"2025-02-07T10:00:00+08:00"`, `"working_days":2`} {
		if !bytes.Contains(b, []byte(key)) {
			t.Errorf("JSON lacks %s: %s", key, b)
		}
	}
}

func BenchmarkStartMediation(b *testing.B) {
	cal := calendar.Default()
	rs, _ := Rules().Set("order20")
	when := at("2025-04-25 09:00")
	for b.Loop() {
		if _, err := Start(Mediation, when, "632701", rs, cal); err != nil {
			b.Fatal(err)
		}
	}
}
