// Package sweep is the scheduled watcher of case clocks. It is the handler
// behind functions/sweep.
//
// It never scans the table: it queries the sparse, write-sharded "due"
// index for cases whose watch time has come, so its cost follows the number
// of cases that need attention, not the size of the table. For each it
// re-queues a case stuck in its first state, or flags a clock that is due
// soon or overdue, then moves the case's watch time forward (or clears it),
// which takes the case out of the next run's query. Re-running changes
// nothing already done; a run cut short by its time limit leaves the rest
// in the index for the next run.
package sweep

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/open12315/intake/shared/calendar"
	"github.com/open12315/intake/shared/cases"
	"github.com/open12315/intake/shared/deadline"
	"github.com/open12315/intake/shared/queue"
)

// Clocks tells the sweep the state of a clock.
type Clocks interface {
	// Status reports whether a clock is ok, due soon or overdue at now.
	Status(c deadline.Clock, now time.Time) deadline.State
	// WatchAt returns when the sweep must next look at a running clock.
	WatchAt(c deadline.Clock) time.Time
	// WorkingCalendar is the calendar in force, to confirm provisional
	// due dates once next year's holiday data is loaded.
	WorkingCalendar() *calendar.Calendar
}

// Handler runs one sweep.
type Handler struct {
	Store        cases.Store
	Route        queue.Sender
	Notify       queue.Sender // staff notices; nil disables them
	Clocks       Clocks
	Log          *slog.Logger
	Now          func() time.Time
	RequeueAfter time.Duration
	// PageSize is the number of index rows read per query (default 100).
	PageSize int
	// Reserve is the time kept back from the Lambda deadline to finish
	// cleanly (default 10 s).
	Reserve time.Duration
}

// Summary is what one run did; it is the function's JSON answer.
type Summary struct {
	Checked  int  `json:"checked"`
	Requeued int  `json:"requeued"`
	DueSoon  int  `json:"due_soon"`
	Overdue  int  `json:"overdue"`
	Failed   int  `json:"failed"`
	Partial  bool `json:"partial"` // stopped early to respect the time limit
}

// Handle runs a sweep. The scheduled event's content is ignored.
func (h *Handler) Handle(ctx context.Context, _ any) (Summary, error) {
	now := h.Now().UTC()
	var sum Summary
	page := h.PageSize
	if page <= 0 {
		page = 100
	}
	reserve := h.Reserve
	if reserve <= 0 {
		reserve = 10 * time.Second
	}
	for shard := 0; shard < h.Store.Shards(); shard++ {
		cursor := ""
		for {
			if dl, ok := ctx.Deadline(); ok && time.Until(dl) < reserve {
				sum.Partial = true
				h.Log.WarnContext(ctx, "sweep stopped early; next run resumes", "summary", sum)
				return sum, nil
			}
			refs, next, err := h.Store.Due(ctx, shard, now, cursor, page)
			if err != nil {
				return sum, fmt.Errorf("sweep shard %d: %w", shard, err)
			}
			for _, ref := range refs {
				sum.Checked++
				if err := h.check(ctx, ref.CaseID, now, &sum); err != nil {
					sum.Failed++
					h.Log.ErrorContext(ctx, "sweep: case failed", "case_id", ref.CaseID, "err", err.Error())
				}
			}
			if next == "" {
				break
			}
			cursor = next
		}
	}
	h.Log.InfoContext(ctx, "sweep done", "checked", sum.Checked, "requeued", sum.Requeued,
		"due_soon", sum.DueSoon, "overdue", sum.Overdue, "failed", sum.Failed)
	return sum, nil
}

func (h *Handler) check(ctx context.Context, id string, now time.Time, sum *Summary) error {
	for attempt := 0; attempt < 2; attempt++ {
		err := h.checkOnce(ctx, id, now, sum)
		if !errors.Is(err, cases.ErrVersionConflict) {
			return err
		}
	}
	return fmt.Errorf("sweep %s: %w", id, cases.ErrVersionConflict)
}

func (h *Handler) checkOnce(ctx context.Context, id string, now time.Time, sum *Summary) error {
	c, err := h.Store.Get(ctx, id)
	if err != nil {
		return err
	}
	if c.WatchAt == nil || c.WatchAt.After(now) {
		return nil // someone else already moved it on
	}
	next := *c
	next.Version++
	next.UpdatedAt = now
	var evs []cases.Event
	event := func(typ, reason string, data map[string]string) {
		evs = append(evs, cases.Event{CaseID: id, Seq: next.Version, At: now, Actor: "system:sweep",
			Type: typ, From: c.State, To: c.State, Reason: reason, Data: data})
	}

	if c.State == cases.StateReceived {
		// Stuck in its first state: the routing message was lost or is
		// failing. Send it again; the consumer is idempotent.
		if err := h.Route.Send(ctx, cases.RouteRequest{CaseID: id, Reason: "requeue"}); err != nil {
			return fmt.Errorf("requeue %s: %w", id, err)
		}
		w := now.Add(h.RequeueAfter)
		next.WatchAt = &w
		event("requeued", "still unrouted after "+h.RequeueAfter.String(), nil)
		if err := h.Store.Update(ctx, &next, evs...); err != nil {
			return err
		}
		sum.Requeued++
		return nil
	}

	unit := ""
	if c.Unit != nil {
		unit = c.Unit.Code
	}
	var notices []cases.Notice
	notice := func(kind, to string, k deadline.Clock) {
		if to == "" {
			return
		}
		notices = append(notices, cases.Notice{CaseID: id, Kind: kind, Unit: to, Clock: string(k.Kind),
			DueDate: k.DueDate.String(), Key: id + "/" + kind + "/" + string(k.Kind) + "/" + k.DueDate.String()})
	}
	// Due dates computed past the holiday data (weekends only) are
	// recomputed once the data is there.
	next.Clocks = append([]deadline.Clock(nil), c.Clocks...)
	for i := range next.Clocks {
		k := &next.Clocks[i]
		before := k.DueDate
		ok, err := k.Confirm(h.Clocks.WorkingCalendar())
		if err != nil {
			return fmt.Errorf("confirm %s clock of %s: %w", k.Kind, id, err)
		}
		if ok {
			event("clock_confirmed", string(k.Kind), map[string]string{
				"clock": string(k.Kind), "from_due_date": before.String(), "due_date": k.DueDate.String(),
				"calendar_version": k.CalendarVersion})
		}
	}
	var watch *time.Time
	for _, k := range next.Clocks {
		if k.StoppedAt != nil || k.Paused() {
			continue
		}
		clock := map[string]string{"clock": string(k.Kind), "due_date": k.DueDate.String()}
		switch h.Clocks.Status(k, now) {
		case deadline.StateOverdue:
			if !next.Overdue {
				next.Overdue = true
				event("overdue", string(k.Kind), clock)
				notice("overdue", unit, k)
				sum.Overdue++
				// Escalate one level: the parent unit sees the case in
				// its listing already; the event and the notice make
				// it act.
				if parent := cases.ParentUnit(unit); parent != "" {
					event("escalated", "overdue "+string(k.Kind)+" clock",
						map[string]string{"from_unit": unit, "to_unit": parent, "clock": string(k.Kind)})
					notice("escalated", parent, k)
				}
			}
		case deadline.StateDueSoon:
			if !next.DueSoon {
				next.DueSoon = true
				event("due_soon", string(k.Kind), clock)
				notice("due_soon", unit, k)
				sum.DueSoon++
			}
			watch = earliest(watch, k.DueAt)
		default:
			watch = earliest(watch, h.Clocks.WatchAt(k))
		}
	}
	next.WatchAt = watch
	if len(evs) == 0 && sameTime(c.WatchAt, watch) {
		return nil
	}
	// Notices go out before the flags are stored: if sending fails the
	// case is untouched and the next run tries again; if storing fails
	// after sending, the notices' keys make the repeat harmless.
	if h.Notify != nil {
		for _, n := range notices {
			if err := h.Notify.Send(ctx, n); err != nil {
				return fmt.Errorf("notify %s about %s: %w", n.Unit, id, err)
			}
		}
	}
	return h.Store.Update(ctx, &next, evs...)
}

func earliest(cur *time.Time, t time.Time) *time.Time {
	t = t.UTC()
	if cur == nil || t.Before(*cur) {
		return &t
	}
	return cur
}

func sameTime(a, b *time.Time) bool {
	if a == nil || b == nil {
		return a == b
	}
	return a.Equal(*b)
}
