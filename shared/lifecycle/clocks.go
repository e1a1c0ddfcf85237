package lifecycle

import (
	"time"

	"github.com/open12315/intake/shared/calendar"
	"github.com/open12315/intake/shared/cases"
	"github.com/open12315/intake/shared/deadline"
)

// Clocks starts and reads statutory clocks for Apply.
//
// Start takes both the case's receipt time, which chooses the rule set
// (deadline.RuleBook.For), and the instant the clock starts: a mediation
// clock starting on 2026-04-20 for a complaint received on 2026-04-14 runs
// under Order 20. [RuleClocks] implements it; shared/app builds one from
// the configuration for every handler.
type Clocks interface {
	// Start starts a clock of kind at instant at for a case received at
	// received, in the handling unit's region.
	Start(kind deadline.Kind, received, at time.Time, region string) (deadline.Clock, error)
	// WorkingCalendar is the calendar used to resume and extend clocks.
	WorkingCalendar() *calendar.Calendar
	// WatchAt returns when the sweep must next look at a running clock.
	WatchAt(k deadline.Clock) time.Time
	// Status reports the clock's state at now.
	Status(k deadline.Clock, now time.Time) deadline.State
}

// RuleClocks is the standard Clocks: a calendar, a rule book and the
// due-soon threshold.
type RuleClocks struct {
	Calendar *calendar.Calendar
	Rules    *deadline.RuleBook
	// DueSoon: a clock is flagged when fewer than this many working days
	// remain.
	DueSoon int
}

var _ Clocks = (*RuleClocks)(nil)

// Start starts a clock under the rule set in force on the receipt date.
func (r *RuleClocks) Start(kind deadline.Kind, received, at time.Time, region string) (deadline.Clock, error) {
	rs, err := r.Rules.For(received)
	if err != nil {
		return deadline.Clock{}, err
	}
	k, err := deadline.Start(kind, at, region, rs, r.Calendar)
	if err != nil {
		return deadline.Clock{}, err
	}
	return *k, nil
}

// WorkingCalendar returns r.Calendar.
func (r *RuleClocks) WorkingCalendar() *calendar.Calendar { return r.Calendar }

// Status reports the clock's state at now; a clock that cannot be
// evaluated (a calendar gap) counts as ok; the sweep never stops on it.
func (r *RuleClocks) Status(k deadline.Clock, now time.Time) deadline.State {
	st, err := k.Status(now, r.DueSoon, r.Calendar)
	if err != nil {
		return deadline.StateOK
	}
	return st
}

// WatchAt returns the first instant at which the clock is due soon (the
// start of that day in China time), or its due instant for clocks that are
// never due soon.
func (r *RuleClocks) WatchAt(k deadline.Clock) time.Time {
	if k.Minutes > 0 || r.DueSoon <= 0 {
		return k.DueAt
	}
	first := k.DueDate
	for d := k.DueDate; ; d = d.AddDays(-1) {
		left, err := r.Calendar.WorkingDaysBetween(d, k.DueDate, k.Region)
		if err != nil || left >= r.DueSoon || !d.After(calendar.DateOf(k.StartedAt)) {
			break
		}
		first = d
	}
	return first.Time()
}

// refreshWatch recomputes the case's WatchAt the way the sweep does, and
// clears the Overdue and DueSoon flags that no open clock justifies any
// more. It never raises a flag itself: when an open clock is overdue or due
// soon and the case is not yet flagged, WatchAt is set to a past instant so
// that the sweep flags it, with its event, on its next run.
func refreshWatch(c *cases.Case, clocks Clocks, now time.Time) {
	var watch *time.Time
	earliest := func(t time.Time) {
		t = t.UTC()
		if watch == nil || t.Before(*watch) {
			watch = &t
		}
	}
	anyOverdue, anySoon := false, false
	for _, k := range c.Clocks {
		if k.StoppedAt != nil || k.Paused() {
			continue
		}
		switch clocks.Status(k, now) {
		case deadline.StateOverdue:
			anyOverdue = true
			if !c.Overdue {
				earliest(k.DueAt)
			}
		case deadline.StateDueSoon:
			anySoon = true
			if c.DueSoon {
				earliest(k.DueAt)
			} else {
				earliest(clocks.WatchAt(k))
			}
		default:
			earliest(clocks.WatchAt(k))
		}
	}
	c.WatchAt = watch
	c.Overdue = c.Overdue && anyOverdue
	c.DueSoon = c.DueSoon && anySoon
}

// cloneCase returns a deep copy of c: clocks, pauses, extensions,
// derivations, pointers. Apply works on a clone so that a failed action
// changes nothing.
func cloneCase(c *cases.Case) *cases.Case {
	n := *c
	if c.Classification != nil {
		cl := *c.Classification
		cl.Evidence = append([]string(nil), cl.Evidence...)
		n.Classification = &cl
	}
	if c.Unit != nil {
		u := *c.Unit
		n.Unit = &u
	}
	if c.WatchAt != nil {
		w := *c.WatchAt
		n.WatchAt = &w
	}
	n.Outcome = c.Outcome.Clone()
	n.Clocks = make([]deadline.Clock, len(c.Clocks))
	for i, k := range c.Clocks {
		n.Clocks[i] = cloneClock(k)
	}
	if c.Clocks == nil {
		n.Clocks = nil
	}
	return &n
}

func cloneClock(k deadline.Clock) deadline.Clock {
	k.Pauses = append([]deadline.Pause(nil), k.Pauses...)
	for i := range k.Pauses {
		if p := k.Pauses[i].To; p != nil {
			t := *p
			k.Pauses[i].To = &t
		}
	}
	k.Extensions = append([]deadline.Extension(nil), k.Extensions...)
	k.Derivation = append([]string(nil), k.Derivation...)
	if k.StoppedAt != nil {
		t := *k.StoppedAt
		k.StoppedAt = &t
	}
	if k.Met != nil {
		m := *k.Met
		k.Met = &m
	}
	return k
}
