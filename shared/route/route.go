// Package route is the consumer of the routing queue: it classifies a new
// case, picks its handling unit, starts its statutory clock and stores the
// new state. It is the handler behind functions/route.
//
// SQS delivers at least once, so the consumer is idempotent: a case that has
// left its first state is acknowledged without change, and the conditional
// update (case version) makes two concurrent deliveries of the same message
// produce one routing, never two.
package route

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/aws/aws-lambda-go/events"

	"github.com/open12315/intake/shared/cases"
	"github.com/open12315/intake/shared/deadline"
)

// Decision is what the router decided for a case.
type Decision struct {
	Classification cases.Classification
	Unit           cases.Unit
	// Triage: not confident enough to route; a person decides.
	Triage bool
	// Rule names the jurisdiction rule applied, for auditors.
	Rule     string
	Evidence []string
}

// Router classifies a case and picks its handling unit.
type Router interface {
	Route(c *cases.Case) Decision
}

// Clocks starts statutory clocks.
type Clocks interface {
	// Start starts a clock of the given kind at instant at, for a case
	// received at received (which picks the rule set), in the handling
	// unit's region.
	Start(kind deadline.Kind, received, at time.Time, region string) (deadline.Clock, error)
	// WatchAt returns when the sweep must next look at a running clock.
	WatchAt(c deadline.Clock) time.Time
}

// Handler consumes routing requests.
type Handler struct {
	Store  cases.Store
	Router Router
	Clocks Clocks
	Log    *slog.Logger
	Now    func() time.Time
}

// Handle processes one SQS batch and reports the messages that failed, so
// that only they are retried (and, after maxReceiveCount, dead-lettered).
func (h *Handler) Handle(ctx context.Context, ev events.SQSEvent) (events.SQSEventResponse, error) {
	var resp events.SQSEventResponse
	for _, m := range ev.Records {
		if err := h.handleMessage(ctx, m); err != nil {
			h.Log.ErrorContext(ctx, "route message failed", "message_id", m.MessageId,
				"receive_count", m.Attributes["ApproximateReceiveCount"], "err", err.Error())
			resp.BatchItemFailures = append(resp.BatchItemFailures, events.SQSBatchItemFailure{ItemIdentifier: m.MessageId})
		}
	}
	return resp, nil
}

// ErrBadMessage marks a message that can never succeed; it is reported as
// failed so that it reaches the dead-letter queue for a person to see.
var ErrBadMessage = errors.New("malformed routing message")

func (h *Handler) handleMessage(ctx context.Context, m events.SQSMessage) error {
	var req cases.RouteRequest
	if err := json.Unmarshal([]byte(m.Body), &req); err != nil || !cases.ValidID(req.CaseID) {
		return ErrBadMessage
	}
	// A concurrent delivery may win the race; one retry sees its result.
	for attempt := 0; attempt < 2; attempt++ {
		err := h.RouteCase(ctx, req.CaseID)
		if !errors.Is(err, cases.ErrVersionConflict) {
			return err
		}
	}
	return fmt.Errorf("route %s: %w", req.CaseID, cases.ErrVersionConflict)
}

// RouteCase routes one case if it is still in its first state.
func (h *Handler) RouteCase(ctx context.Context, id string) error {
	c, err := h.Store.Get(ctx, id)
	if err != nil {
		return err
	}
	if c.State != cases.StateReceived {
		h.Log.InfoContext(ctx, "already routed; acknowledged", "case_id", id, "state", string(c.State))
		return nil
	}
	d := h.Router.Route(c)
	now := h.Now().UTC()
	from := c.State
	next := *c
	next.Version++
	next.UpdatedAt = now
	cl := d.Classification
	next.Classification = &cl
	unit := d.Unit
	next.Unit = &unit
	next.WatchAt = nil

	kind, state := plan(d)
	next.State = state
	var clk *deadline.Clock
	if kind != "" {
		k, err := h.Clocks.Start(kind, c.ReceivedAt, c.ReceivedAt, unit.Code)
		if err != nil {
			return fmt.Errorf("start %s clock for %s: %w", kind, id, err)
		}
		clk = &k
		next.Clocks = append(append([]deadline.Clock(nil), c.Clocks...), k)
		w := h.Clocks.WatchAt(k).UTC()
		next.WatchAt = &w
	}

	data := map[string]string{
		"type":       string(cl.Type),
		"line":       cl.Line,
		"unit":       unit.Code,
		"unit_name":  unit.Name,
		"confidence": fmt.Sprintf("%.2f", cl.Confidence),
		"model":      cl.Model,
	}
	if d.Rule != "" {
		data["rule"] = d.Rule
	}
	if len(d.Evidence) > 0 {
		ev, _ := json.Marshal(d.Evidence)
		data["evidence"] = string(ev)
	}
	events := []cases.Event{{
		CaseID: id, Seq: next.Version, At: now, Actor: "system:route",
		Type: "routed", From: from, To: state, Data: data,
	}}
	if clk != nil {
		events = append(events, cases.Event{
			CaseID: id, Seq: next.Version, At: now, Actor: "system:route",
			Type: "clock_started", Reason: string(clk.Kind),
			Data: map[string]string{"due_date": clk.DueDate.String(), "rule_set": clk.RuleSet, "derivation": strings.Join(clk.Derivation, "; ")},
		})
	}
	if err := h.Store.Update(ctx, &next, events...); err != nil {
		return err
	}
	h.Log.InfoContext(ctx, "case routed", "case_id", id, "state", string(state),
		"unit", unit.Code, "line", cl.Line, "triage", d.Triage)
	return nil
}

// plan picks the next state and the clock to start from a decision.
func plan(d Decision) (deadline.Kind, cases.State) {
	if d.Triage {
		// The acceptance clock runs from receipt whoever decides, so a
		// case waiting for a person still has its clock.
		return deadline.Acceptance, cases.StateTriage
	}
	switch d.Classification.Type {
	case cases.KindReport:
		return deadline.Verification, cases.StateVerifying
	case cases.KindInquiry:
		return "", cases.StatePendingAnswer
	}
	return deadline.Acceptance, cases.StatePendingAcceptance
}
