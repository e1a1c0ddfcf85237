package lifecycle

import (
	"errors"
	"fmt"
	"time"

	"github.com/open12315/intake/shared/cases"
)

// ErrCannotSplit: the case cannot be split into the requested kind.
var ErrCannotSplit = errors.New("case cannot be split")

// Split builds the second case of a submission that is both a complaint
// and a report (Order 20 Art. 7: handled separately under their own
// procedures). c is the case already stored; kind is the kind of the new
// case (complaint or report, and not c's own); newID comes from
// cases.NewID.
//
// The new case is in state received, so the route consumer classifies and
// routes it as usual; its declared Kind carries the kind (the router
// should honour a declared kind on a split case). It keeps c's receipt time (statutory clocks run from the
// submission's receipt), channel, tracking hash (the consumer's one code
// opens both cases), consumer, business, facts and amount. A report split
// from a complaint is a real-name report. Nothing is copied that belongs
// to handling: clocks, unit, outcome, flags.
//
// Split returns the new case, its first event (for cases.Store.Create)
// and a link event for c. The link's Seq is c.Version+1: store it with
// c's version incremented (cases.Store.Update), after the new case is
// created. c is not changed.
func Split(c *cases.Case, kind cases.Kind, newID string, now time.Time) (*cases.Case, cases.Event, cases.Event, error) {
	var none cases.Event
	own := c.EffectiveKind()
	switch {
	case kind != cases.KindComplaint && kind != cases.KindReport:
		return nil, none, none, fmt.Errorf("lifecycle: split %s into %q: %w: only complaint and report are split", c.ID, kind, ErrCannotSplit)
	case own == kind:
		return nil, none, none, fmt.Errorf("lifecycle: split %s: %w: it already is a %s", c.ID, ErrCannotSplit, kind)
	case !cases.ValidID(newID) || newID == c.ID:
		return nil, none, none, fmt.Errorf("lifecycle: split %s: %w: invalid new id %q", c.ID, ErrCannotSplit, newID)
	case kind == cases.KindComplaint && (c.Anonymous || c.Consumer.Name == "" || c.Consumer.Phone == ""):
		// A complaint needs the complainant's name and phone (Art. 9).
		return nil, none, none, fmt.Errorf("lifecycle: split %s: %w: a complaint cannot be anonymous", c.ID, ErrCannotSplit)
	}
	now = now.UTC()
	n := &cases.Case{
		ID: newID, Version: 1, Kind: kind, Channel: c.Channel, State: cases.StateReceived,
		ReceivedAt: c.ReceivedAt, UpdatedAt: now, TrackingHash: c.TrackingHash,
		Consumer: c.Consumer, Anonymous: c.Anonymous, Business: c.Business,
		Facts: c.Facts, AmountFen: c.AmountFen, OccurredOn: c.OccurredOn,
	}
	if kind == cases.KindComplaint {
		n.Request = c.Request
	}
	first := cases.Event{
		CaseID: newID, Seq: 1, At: now, Actor: "system:split", Type: "split_from",
		To: cases.StateReceived, Reason: "Order 20 Art. 7: complaint and report handled separately",
		Data: map[string]string{"split_from": c.ID, "kind": string(kind)},
	}
	link := cases.Event{
		CaseID: c.ID, Seq: c.Version + 1, At: now, Actor: "system:split", Type: "split_to",
		Reason: first.Reason, Data: map[string]string{"split_to": newID, "kind": string(kind)},
	}
	return n, first, link, nil
}
