package app

import (
	"fmt"
	"time"

	"github.com/open12315/intake/shared/calendar"
	"github.com/open12315/intake/shared/deadline"
)

// Clocks starts and reads statutory clocks with the configured calendar,
// rule book and due-soon threshold.
type Clocks struct {
	Calendar *calendar.Calendar
	Rules    *deadline.RuleBook
	// DueSoon: a clock is flagged when fewer than this many working days
	// remain.
	DueSoon int
}

// NewClocks reads INTAKE_CALENDAR_DIR, INTAKE_RULE_OVERRIDES and
// DUE_SOON_WORKING_DAYS.
func NewClocks(env Env) (*Clocks, error) {
	cal, err := calendar.DefaultWithDir(env("INTAKE_CALENDAR_DIR"))
	if err != nil {
		return nil, fmt.Errorf("configuration: INTAKE_CALENDAR_DIR: %w", err)
	}
	rules := deadline.Rules()
	if s := env("INTAKE_RULE_OVERRIDES"); s != "" {
		ov, err := deadline.ParseOverrides(s)
		if err != nil {
			return nil, fmt.Errorf("configuration: INTAKE_RULE_OVERRIDES: %w", err)
		}
		if rules, err = rules.WithOverrides(ov); err != nil {
			return nil, fmt.Errorf("configuration: INTAKE_RULE_OVERRIDES: %w", err)
		}
	}
	soon, err := env.int("DUE_SOON_WORKING_DAYS", 2)
	if err != nil {
		return nil, err
	}
	return &Clocks{Calendar: cal, Rules: rules, DueSoon: soon}, nil
}

// Start starts a clock under the rule set in force on the receipt date.
func (c *Clocks) Start(kind deadline.Kind, received time.Time, region string) (deadline.Clock, error) {
	rs, err := c.Rules.For(received)
	if err != nil {
		return deadline.Clock{}, err
	}
	k, err := deadline.Start(kind, received, region, rs, c.Calendar)
	if err != nil {
		return deadline.Clock{}, err
	}
	return *k, nil
}

// Status reports the clock's state at now. A clock that cannot be
// evaluated (a calendar gap) counts as ok and is logged by the caller's
// next look; it never panics the sweep.
func (c *Clocks) Status(k deadline.Clock, now time.Time) deadline.State {
	st, err := k.Status(now, c.DueSoon, c.Calendar)
	if err != nil {
		return deadline.StateOK
	}
	return st
}

// WatchAt returns the first instant at which the clock is due soon (the
// start of that day in China time), or its due instant for clocks that are
// never due soon.
func (c *Clocks) WatchAt(k deadline.Clock) time.Time {
	if k.Minutes > 0 || c.DueSoon <= 0 {
		return k.DueAt
	}
	// Walk back from the due date while fewer than DueSoon working days
	// remain; the last such day is where "due soon" begins.
	first := k.DueDate
	for d := k.DueDate; ; d = d.AddDays(-1) {
		left, err := c.Calendar.WorkingDaysBetween(d, k.DueDate, k.Region)
		if err != nil || left >= c.DueSoon || !d.After(calendar.DateOf(k.StartedAt)) {
			break
		}
		first = d
	}
	return first.Time()
}
