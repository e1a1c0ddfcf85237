package deadline

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/open12315/intake/shared/calendar"
)

// Errors about clocks.
var (
	ErrNoCalendar       = errors.New("a working-day clock needs a calendar")
	ErrNotPausable      = errors.New("clock cannot be paused")
	ErrAlreadyPaused    = errors.New("clock is already paused")
	ErrNotPaused        = errors.New("clock is not paused")
	ErrPaused           = errors.New("clock is paused")
	ErrNotExtendable    = errors.New("clock cannot be extended")
	ErrAlreadyExtended  = errors.New("clock has already been extended")
	ErrExtensionTooLong = errors.New("extension outside the allowed number of days")
	ErrNoApprover       = errors.New("extension needs an approver")
	ErrNoReason         = errors.New("a reason is required")
	ErrStopped          = errors.New("clock is stopped")
	ErrOverdue          = errors.New("clock is already overdue")
	ErrOutOfOrder       = errors.New("event is earlier than the clock's last event")
	ErrNoExternalDue    = errors.New("clock kind does not take a due date from another agency")
)

// A State is the status of a clock at some instant.
type State string

// The states returned by Clock.Status.
const (
	StateOK      State = "ok"
	StateDueSoon State = "due_soon"
	StateOverdue State = "overdue"
	StatePaused  State = "paused"
	StateStopped State = "stopped"
)

// A Clock is one running time limit. It is a plain value meant to be stored
// as JSON (the field names are stable). Times are kept in China time.
type Clock struct {
	Kind            Kind          `json:"kind"`
	RuleSet         string        `json:"rule_set"`
	CalendarVersion string        `json:"calendar_version,omitempty"` // calendar.Calendar.Version of the last computation
	Region          string        `json:"region,omitempty"`
	StartedAt       time.Time     `json:"started_at"`
	WorkingDays     int           `json:"working_days,omitempty"` // limit at start, before pauses and extensions
	Minutes         int           `json:"minutes,omitempty"`      // for minute clocks instead of WorkingDays
	Pausable        bool          `json:"pausable,omitempty"`
	MaxExtension    int           `json:"max_extension,omitempty"` // working days; 0: not extendable
	DueAt           time.Time     `json:"due_at"`                  // deadline instant: 24:00 of DueDate for working-day clocks
	DueDate         calendar.Date `json:"due_date"`
	Pauses          []Pause       `json:"pauses,omitempty"`
	Extensions      []Extension   `json:"extensions,omitempty"`
	StoppedAt       *time.Time    `json:"stopped_at,omitempty"`
	Met             *bool         `json:"met,omitempty"`         // set by Stop: true if stopped on time
	Provisional     bool          `json:"provisional,omitempty"` // due date assumed weekends-only for years without holiday data
	Derivation      []string      `json:"derivation"`
}

// A Pause is a period during which a clock does not run.
type Pause struct {
	From        time.Time  `json:"from"`
	To          *time.Time `json:"to,omitempty"` // nil while the pause lasts
	Reason      string     `json:"reason"`
	WorkingDays int        `json:"working_days"` // working days added to the due date when resumed
}

// An Extension is an approved lengthening of a clock.
type Extension struct {
	Days     int       `json:"days"`
	Approver string    `json:"approver"`
	Reason   string    `json:"reason"`
	At       time.Time `json:"at"`
}

// startEvent names the event that starts each working-day clock.
var startEvent = map[Kind]string{
	Acceptance:          "received",
	Mediation:           "accepted (受理)",
	MediationEndNotice:  "mediation ended",
	ViolationCheck:      "violation lead found",
	Verification:        "report received",
	ReporterNotice:      "filing (立案) decision made",
	JurisdictionDispute: "jurisdiction dispute arose",
	ODR:                 "sent to the ODR enterprise",
	Hotline12345:        "transferred from 12345",
}

// Start starts a clock of kind at instant at for a case in region (a
// 6-digit division code, or "" for the national calendar), with the limits
// of rules (chosen by the case's receipt date, see RuleBook.For) and
// calendar cal. cal may be nil for a clock in minutes.
func Start(kind Kind, at time.Time, region string, rules *RuleSet, cal *calendar.Calendar) (*Clock, error) {
	c, l, err := newClock(kind, at, region, rules)
	if err != nil {
		return nil, err
	}
	if l.Minutes > 0 {
		c.Minutes = l.Minutes
		c.DueAt = c.StartedAt.Add(time.Duration(l.Minutes) * time.Minute)
		c.DueDate = calendar.DateOf(c.DueAt)
		c.note("started %s; +%d minutes → due %s", stamp(c.StartedAt), l.Minutes, stamp(c.DueAt))
		return c, nil
	}
	if cal == nil {
		return nil, fmt.Errorf("deadline: starting %s: %w", kind, ErrNoCalendar)
	}
	c.WorkingDays = l.WorkingDays
	if err := c.recompute(cal); err != nil {
		return nil, fmt.Errorf("deadline: starting %s: %w", kind, err)
	}
	c.note("%s %s; that day is not counted; +%d working days under %s → %s",
		startEvent[kind], stamp(c.StartedAt), c.WorkingDays, calendarName(cal, c), c.dueText())
	c.flagProvisional(cal)
	return c, nil
}

// StartWithDueDate starts a clock whose due date was fixed by another
// agency, such as a 12345 work order's. Only kinds whose limit has
// ExternalDue accept it. A due date that is not a working day moves to
// the next working day (民法典 Art. 203). The clock's WorkingDays is the
// equivalent number of working days, so pauses and extensions work as usual.
func StartWithDueDate(kind Kind, at time.Time, due calendar.Date, region string, rules *RuleSet, cal *calendar.Calendar) (*Clock, error) {
	c, l, err := newClock(kind, at, region, rules)
	if err != nil {
		return nil, err
	}
	if !l.ExternalDue {
		return nil, fmt.Errorf("deadline: %s: %w", kind, ErrNoExternalDue)
	}
	if cal == nil {
		return nil, fmt.Errorf("deadline: starting %s: %w", kind, ErrNoCalendar)
	}
	start := calendar.DateOf(c.StartedAt)
	if !due.After(start) {
		return nil, fmt.Errorf("deadline: starting %s: due date %s is not after the start day %s", kind, due, start)
	}
	n, err := cal.WorkingDaysBetween(start, due, region)
	if err != nil {
		return nil, fmt.Errorf("deadline: starting %s: %w", kind, err)
	}
	moved := ""
	if ok, _ := cal.IsWorkingDay(due, region); !ok {
		n++
		moved = fmt.Sprintf("; %s is not a working day, so it moves to the next one (民法典 Art. 203)", due)
	}
	c.WorkingDays = n
	if err := c.recompute(cal); err != nil {
		return nil, fmt.Errorf("deadline: starting %s: %w", kind, err)
	}
	c.note("%s %s; due date %s set by the transferring agency%s; equivalent to +%d working days under %s → %s",
		startEvent[kind], stamp(c.StartedAt), due, moved, n, calendarName(cal, c), c.dueText())
	c.flagProvisional(cal)
	return c, nil
}

func newClock(kind Kind, at time.Time, region string, rules *RuleSet) (*Clock, Limit, error) {
	if rules == nil {
		return nil, Limit{}, fmt.Errorf("deadline: starting %s: %w", kind, ErrNoRuleSet)
	}
	l, err := rules.Limit(kind)
	if err != nil {
		return nil, Limit{}, err
	}
	if at.IsZero() {
		return nil, Limit{}, fmt.Errorf("deadline: starting %s: zero start time", kind)
	}
	c := &Clock{
		Kind:         kind,
		RuleSet:      rules.ID,
		Region:       region,
		StartedAt:    at.In(calendar.Location),
		Pausable:     l.Pausable,
		MaxExtension: l.ExtensionDays,
	}
	unit := "working days"
	if l.Minutes > 0 {
		unit = "minutes"
	}
	c.note("rule set %s (%s): %s limit %d %s; %s%s",
		rules.ID, rules.Title, kind, l.WorkingDays+l.Minutes, unit, l.Basis, limitStatus(l))
	return c, l, nil
}

func limitStatus(l Limit) string {
	s := ""
	if !l.Confirmed {
		s = " [UNCONFIRMED"
		if l.Note != "" {
			s += ": " + l.Note
		}
		s += "]"
	} else if l.Overridden {
		s = " [" + l.Note + "]"
	}
	return s
}

// Paused reports whether the clock is in an open pause.
func (c *Clock) Paused() bool {
	return len(c.Pauses) > 0 && c.Pauses[len(c.Pauses)-1].To == nil
}

// Pause pauses the clock at at, for instance while goods are tested.
// See the package documentation for the effect on the due date.
func (c *Clock) Pause(at time.Time, reason string) error {
	if err := c.check(at, "pause"); err != nil {
		return err
	}
	switch {
	case !c.Pausable:
		return fmt.Errorf("deadline: %s: %w", c.Kind, ErrNotPausable)
	case c.Paused():
		return fmt.Errorf("deadline: %s: %w", c.Kind, ErrAlreadyPaused)
	case reason == "":
		return fmt.Errorf("deadline: pausing %s: %w", c.Kind, ErrNoReason)
	case at.After(c.DueAt):
		return fmt.Errorf("deadline: pausing %s at %s: %w (due %s)", c.Kind, stamp(at), ErrOverdue, c.DueDate)
	}
	c.Pauses = append(c.Pauses, Pause{From: at.In(calendar.Location), Reason: reason})
	c.note("paused %s for %s", stamp(at), reason)
	return nil
}

// Resume ends the open pause at at and recomputes the due date with cal.
func (c *Clock) Resume(at time.Time, cal *calendar.Calendar) error {
	if err := c.check(at, "resume"); err != nil {
		return err
	}
	if !c.Paused() {
		return fmt.Errorf("deadline: %s: %w", c.Kind, ErrNotPaused)
	}
	if cal == nil {
		return fmt.Errorf("deadline: resuming %s: %w", c.Kind, ErrNoCalendar)
	}
	p := &c.Pauses[len(c.Pauses)-1]
	from, to := calendar.DateOf(p.From), calendar.DateOf(at)
	n, err := cal.WorkingDaysBetween(from, to, c.Region)
	if err != nil {
		return fmt.Errorf("deadline: resuming %s: %w", c.Kind, err)
	}
	t := at.In(calendar.Location)
	p.To, p.WorkingDays = &t, n
	if err := c.recompute(cal); err != nil {
		p.To, p.WorkingDays = nil, 0
		return fmt.Errorf("deadline: resuming %s: %w", c.Kind, err)
	}
	c.note("resumed %s: paused %s..%s for %s (+%d working %s) → %s",
		stamp(at), from, to, p.Reason, n, plural(n, "day", "days"), c.dueText())
	c.flagProvisional(cal)
	return nil
}

// Extend lengthens the clock once by days working days (at most the
// rule's extension limit), approved by approver, and recomputes the due
// date with cal. The extension must be granted before the clock is overdue.
func (c *Clock) Extend(days int, approver, reason string, at time.Time, cal *calendar.Calendar) error {
	if err := c.check(at, "extend"); err != nil {
		return err
	}
	switch {
	case c.MaxExtension == 0:
		return fmt.Errorf("deadline: %s: %w", c.Kind, ErrNotExtendable)
	case len(c.Extensions) > 0:
		return fmt.Errorf("deadline: %s: %w", c.Kind, ErrAlreadyExtended)
	case days < 1 || days > c.MaxExtension:
		return fmt.Errorf("deadline: %s: %w: %d, allowed 1..%d", c.Kind, ErrExtensionTooLong, days, c.MaxExtension)
	case strings.TrimSpace(approver) == "":
		return fmt.Errorf("deadline: %s: %w", c.Kind, ErrNoApprover)
	case c.Paused():
		return fmt.Errorf("deadline: extending %s: %w", c.Kind, ErrPaused)
	case at.After(c.DueAt):
		return fmt.Errorf("deadline: extending %s at %s: %w (due %s)", c.Kind, stamp(at), ErrOverdue, c.DueDate)
	case cal == nil:
		return fmt.Errorf("deadline: extending %s: %w", c.Kind, ErrNoCalendar)
	}
	c.Extensions = append(c.Extensions, Extension{Days: days, Approver: approver, Reason: reason, At: at.In(calendar.Location)})
	if err := c.recompute(cal); err != nil {
		c.Extensions = c.Extensions[:len(c.Extensions)-1]
		return fmt.Errorf("deadline: extending %s: %w", c.Kind, err)
	}
	c.note("extended %s by %d working days, approved by %s (%s) → %s", stamp(at), days, approver, reason, c.dueText())
	c.flagProvisional(cal)
	return nil
}

// Stop stops the clock at at and records whether it was met: stopped no
// later than DueAt, or stopped during a pause (which closes the pause
// without moving the due date).
func (c *Clock) Stop(at time.Time) error {
	if err := c.check(at, "stop"); err != nil {
		return err
	}
	t := at.In(calendar.Location)
	met := !t.After(c.DueAt)
	how := "on time"
	if c.Paused() {
		c.Pauses[len(c.Pauses)-1].To = &t
		met, how = true, "while paused, so on time"
	} else if !met {
		how = "LATE"
	}
	c.StoppedAt, c.Met = &t, &met
	c.note("stopped %s %s (due %s)", stamp(t), how, c.DueDate)
	return nil
}

// Status returns the state of the clock at now. A running clock is
// due_soon when fewer than dueSoon working days remain after today's
// date, so dueSoon 1 flags the due day itself and 0 never flags; cal is
// needed for that count (clocks in minutes are never due_soon). A clock
// is overdue from DueAt on.
func (c *Clock) Status(now time.Time, dueSoon int, cal *calendar.Calendar) (State, error) {
	switch {
	case c.StoppedAt != nil:
		return StateStopped, nil
	case c.Paused():
		return StatePaused, nil
	case !now.Before(c.DueAt):
		return StateOverdue, nil
	case c.Minutes > 0 || dueSoon <= 0:
		return StateOK, nil
	case cal == nil:
		return "", fmt.Errorf("deadline: status of %s: %w", c.Kind, ErrNoCalendar)
	}
	left, err := cal.WorkingDaysBetween(calendar.DateOf(now), c.DueDate, c.Region)
	if err != nil {
		return "", fmt.Errorf("deadline: status of %s: %w", c.Kind, err)
	}
	if left < dueSoon {
		return StateDueSoon, nil
	}
	return StateOK, nil
}

// check rejects events on a stopped clock and events out of time order.
func (c *Clock) check(at time.Time, what string) error {
	if c.StoppedAt != nil {
		return fmt.Errorf("deadline: cannot %s %s: %w", what, c.Kind, ErrStopped)
	}
	last := c.StartedAt
	for _, p := range c.Pauses {
		last = later(last, p.From)
		if p.To != nil {
			last = later(last, *p.To)
		}
	}
	for _, e := range c.Extensions {
		last = later(last, e.At)
	}
	if at.Before(last) {
		return fmt.Errorf("deadline: cannot %s %s at %s: %w (%s)", what, c.Kind, stamp(at), ErrOutOfOrder, stamp(last))
	}
	return nil
}

// recompute sets the due date from the start day, the limit, the closed
// pauses and the extensions.
func (c *Clock) recompute(cal *calendar.Calendar) error {
	n := c.WorkingDays
	for _, p := range c.Pauses {
		n += p.WorkingDays
	}
	for _, e := range c.Extensions {
		n += e.Days
	}
	due, err := cal.AddWorkingDays(calendar.DateOf(c.StartedAt), n, c.Region)
	if err != nil {
		return err
	}
	c.DueDate, c.DueAt, c.CalendarVersion = due, calendar.EndOfDay(due), cal.Version()
	return nil
}

// flagProvisional marks the clock when its period reaches a year the
// calendar has no data for (possible only with calendar.WeekendsOnly).
func (c *Clock) flagProvisional(cal *calendar.Calendar) {
	var missing []string
	for y := c.StartedAt.In(calendar.Location).Year(); y <= c.DueDate.Year; y++ {
		if !cal.Covers(calendar.NewDate(y, time.January, 1)) {
			missing = append(missing, fmt.Sprint(y))
		}
	}
	if len(missing) > 0 {
		c.Provisional = true
		c.note("PROVISIONAL: no holiday data for %s, weekends only assumed; recompute when the notice is loaded", strings.Join(missing, ", "))
	}
}

func (c *Clock) note(format string, a ...any) {
	c.Derivation = append(c.Derivation, fmt.Sprintf(format, a...))
}

func (c *Clock) dueText() string {
	return fmt.Sprintf("due %s, by 24:00", day(c.DueDate))
}

// calendarName names the notices behind the years a clock spans.
func calendarName(cal *calendar.Calendar, c *Clock) string {
	var names []string
	for y := c.StartedAt.In(calendar.Location).Year(); y <= c.DueDate.Year; y++ {
		if n, ok := cal.Notice(y); ok {
			names = append(names, n.Label())
		} else {
			names = append(names, fmt.Sprintf("no %d data", y))
		}
	}
	s := strings.Join(names, " + ") + " calendar"
	if c.Region != "" {
		s += " for region " + c.Region
	}
	return s
}

func day(d calendar.Date) string { return fmt.Sprintf("%s (%s)", d, d.Weekday().String()[:3]) }

func stamp(t time.Time) string {
	t = t.In(calendar.Location)
	return t.Format("2006-01-02 15:04") + " (" + t.Weekday().String()[:3] + ")"
}

func later(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// Confirm recomputes a provisional clock once cal has holiday data for
// every year its period touches, clears Provisional and records the change
// in the derivation. It reports whether the clock was provisional and is
// now confirmed. A clock whose due date another agency fixed (12345) keeps
// that date; a stopped clock is left as it was.
func (c *Clock) Confirm(cal *calendar.Calendar) (bool, error) {
	if !c.Provisional || c.StoppedAt != nil || c.Kind == Hotline12345 || c.Minutes > 0 {
		return false, nil
	}
	if cal == nil {
		return false, fmt.Errorf("deadline: confirm %s: %w", c.Kind, ErrNoCalendar)
	}
	for y := c.StartedAt.In(calendar.Location).Year(); y <= c.DueDate.Year; y++ {
		if !cal.Covers(calendar.NewDate(y, time.January, 1)) {
			return false, nil // still no data; stays provisional
		}
	}
	before := c.DueDate
	if err := c.recompute(cal); err != nil {
		return false, fmt.Errorf("deadline: confirm %s: %w", c.Kind, err)
	}
	c.Provisional = false
	c.note("CONFIRMED with %s (%s): due %s → %s", calendarName(cal, c), cal.Version(), before, c.dueText())
	// Holidays can push the due date into a year still without data.
	c.flagProvisional(cal)
	return !c.Provisional, nil
}
