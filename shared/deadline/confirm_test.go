package deadline

import (
	"os"
	"strings"
	"testing"
	"time"

	"github.com/open12315/intake/shared/calendar"
)

// TestConfirmProvisional: a 45-working-day mediation started in December
// 2026 runs into 2027, for which there is no holiday data; it is computed
// with weekends only and marked provisional. Once a 2027 notice is loaded,
// Confirm recomputes it with the holidays and make-up days.
func TestConfirmProvisional(t *testing.T) {
	without := calendar.Default().WithCoverage(calendar.WeekendsOnly)
	// A fictional 2027 notice with a working week off in January.
	dir := t.TempDir()
	if err := os.WriteFile(dir+"/cn-2027.json", []byte(`{"year":2027,"title":"TEST FIXTURE 2027","source":"test",
		"holidays":[{"name":"fictional","from":"2027-01-04","to":"2027-01-08"}]}`), 0o600); err != nil {
		t.Fatal(err)
	}
	with, err := calendar.Load(os.DirFS("../calendar/data"), os.DirFS(dir))
	if err != nil {
		t.Fatal(err)
	}
	rs, err := Rules().For(time.Date(2026, 12, 1, 10, 0, 0, 0, calendar.Location))
	if err != nil {
		t.Fatal(err)
	}
	at := time.Date(2026, 12, 1, 10, 0, 0, 0, calendar.Location)
	c, err := Start(Mediation, at, "630102", rs, without)
	if err != nil {
		t.Fatal(err)
	}
	if !c.Provisional {
		t.Fatal("clock into 2027 not provisional")
	}
	// Still without data: nothing changes.
	if ok, err := c.Confirm(without); ok || err != nil || !c.Provisional {
		t.Fatalf("confirm without data: %v %v", ok, err)
	}
	before := c.DueDate
	ok, err := c.Confirm(with)
	if err != nil || !ok || c.Provisional {
		t.Fatalf("confirm: %v %v provisional=%v", ok, err, c.Provisional)
	}
	want, err := with.AddWorkingDays(calendar.DateOf(at), c.WorkingDays, "630102")
	if err != nil {
		t.Fatal(err)
	}
	if c.DueDate != want || c.DueAt != calendar.EndOfDay(want) || c.CalendarVersion != with.Version() {
		t.Errorf("due %s at %s (%s), want %s", c.DueDate, c.DueAt, c.CalendarVersion, want)
	}
	// Five weekdays off in January: the due date moves five working days.
	if got, _ := without.WorkingDaysBetween(before, c.DueDate, "630102"); got != 5 {
		t.Errorf("due date %s moved %d working days from %s, want 5", c.DueDate, got, before)
	}
	if last := c.Derivation[len(c.Derivation)-1]; !strings.Contains(last, "CONFIRMED") || !strings.Contains(last, before.String()) {
		t.Errorf("derivation does not record the change: %q", last)
	}
	// Confirming again changes nothing; stopped and 12345 clocks are left.
	if ok, _ := c.Confirm(with); ok {
		t.Error("confirmed twice")
	}
	h, err := StartWithDueDate(Hotline12345, at, calendar.NewDate(2027, 1, 20), "630102", rs, without)
	if err != nil {
		t.Fatal(err)
	}
	if ok, _ := h.Confirm(with); ok || h.DueDate != calendar.NewDate(2027, 1, 20) {
		t.Errorf("12345 clock changed: %v %s", ok, h.DueDate)
	}
}
