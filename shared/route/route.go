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
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/aws/aws-lambda-go/events"

	"github.com/open12315/intake/shared/cases"
	"github.com/open12315/intake/shared/deadline"
	"github.com/open12315/intake/shared/lifecycle"
)

// Decision is what the router decided for a case.
type Decision struct {
	Classification cases.Classification
	// Unit is the handling unit: the regulator with jurisdiction, or for
	// triage the unit whose desk decides (the province when nothing could
	// be placed). For ODR cases it is the regulator that takes the case
	// back if the negotiation fails.
	Unit cases.Unit
	// Routing says where the case went and why (target, rule, agency, ODR
	// enterprise, suggestions).
	Routing cases.Routing
	// Mixed: the submission is both a complaint and a report; the report
	// half becomes a case of its own.
	Mixed bool
}

// Triage reports whether a person must route the case.
func (d Decision) Triage() bool { return d.Routing.Target == cases.TargetTriage }

// Router classifies a case and picks its handling unit.
type Router interface {
	Route(ctx context.Context, c *cases.Case) (Decision, error)
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
	d, err := h.Router.Route(ctx, c)
	if err != nil {
		return fmt.Errorf("route %s: %w", id, err)
	}
	now := h.Now().UTC()
	from := c.State
	next := *c
	next.Version++
	next.UpdatedAt = now
	cl := d.Classification
	next.Classification = &cl
	unit := d.Unit
	next.Unit = &unit
	rt := d.Routing
	next.Routing = &rt
	next.WatchAt = nil

	kind, state := plan(d, c)
	next.State = state
	next.Clocks = slices.Clone(c.Clocks)
	var clk *deadline.Clock
	if kind != "" {
		k, err := h.Clocks.Start(kind, c.ReceivedAt, c.ReceivedAt, unit.Code)
		if err != nil {
			return fmt.Errorf("start %s clock for %s: %w", kind, id, err)
		}
		clk = &k
		next.Clocks = append(next.Clocks, k)
		w := h.Clocks.WatchAt(k).UTC()
		next.WatchAt = &w
	}
	// A referral answers the case, a 12345 work order included: clocks
	// started at intake stop (met if on time), since no action can leave
	// the referred state to stop them later.
	var stopped []*deadline.Clock
	if state == cases.StateReferred {
		for i := range next.Clocks {
			if k := &next.Clocks[i]; k.StoppedAt == nil {
				if err := k.Stop(now); err != nil {
					return fmt.Errorf("stop %s clock of %s: %w", k.Kind, id, err)
				}
				stopped = append(stopped, k)
			}
		}
	}
	// Clocks started at intake (a 12345 work order's own) stay watched.
	for _, k := range next.Clocks {
		if w := h.Clocks.WatchAt(k).UTC(); k.StoppedAt == nil && !k.Paused() && (next.WatchAt == nil || w.Before(*next.WatchAt)) {
			next.WatchAt = &w
		}
	}

	data := map[string]string{
		"target":     rt.Target,
		"type":       string(cl.Type),
		"line":       cl.Line,
		"cca_class":  cl.CCAClass,
		"nature":     cl.Nature,
		"region":     cl.Region,
		"unit":       unit.Code,
		"unit_name":  unit.Name,
		"confidence": fmt.Sprintf("%.2f", cl.Confidence),
		"model":      cl.Model,
		"rule":       rt.Rule,
		"rule_set":   rt.RuleSet,
	}
	if rt.Agency != nil {
		data["agency"] = rt.Agency.Name + " " + rt.Agency.Contact
	}
	if rt.ODR != nil {
		data["odr_enterprise"] = rt.ODR.Name
	}
	for k, list := range map[string][]string{"evidence": rt.Evidence, "suggestions": rt.Suggestions} {
		if len(list) > 0 {
			b, _ := json.Marshal(list)
			data[k] = string(b)
		}
	}
	for k, v := range data {
		if v == "" {
			delete(data, k)
		}
	}
	events := []cases.Event{{
		CaseID: id, Seq: next.Version, At: now, Actor: "system:route",
		Type: "routed", From: from, To: state, Data: data,
	}}
	for _, k := range stopped {
		events = append(events, cases.Event{
			CaseID: id, Seq: next.Version, At: now, Actor: "system:route",
			Type: "clock_stopped", Reason: string(k.Kind),
			Data: map[string]string{"met": strconv.FormatBool(*k.Met), "derivation": strings.Join(k.Derivation, "; ")},
		})
	}
	if clk != nil {
		events = append(events, cases.Event{
			CaseID: id, Seq: next.Version, At: now, Actor: "system:route",
			Type: "clock_started", Reason: string(clk.Kind),
			Data: map[string]string{"due_date": clk.DueDate.String(), "rule_set": clk.RuleSet, "derivation": strings.Join(clk.Derivation, "; ")},
		})
	}
	// A submission that is both a complaint and a report: the other half
	// becomes a case of its own (Order 20 Art. 7), created before the
	// original is updated and with an id derived from the original's, so a
	// redelivery creates nothing twice. A complaint half needs the
	// consumer's name and phone; without them only the report goes on.
	var split string
	other := cases.KindReport
	if plannedKind(d, c) == cases.KindReport {
		other = cases.KindComplaint
	}
	if d.Mixed && plannedKind(d, c) != cases.KindInquiry && d.Routing.Target != cases.TargetReferral {
		id2 := cases.DerivedID(c.ID, string(other))
		n, first, link, err := lifecycle.Split(c, other, id2, now)
		if err == nil {
			w := now.Add(SplitRequeueAfter)
			n.WatchAt = &w // the sweep routes it if the inline routing below fails
			if err := h.Store.Create(ctx, n, first, "", cases.Receipt{}); err != nil && !errors.Is(err, cases.ErrExists) {
				return fmt.Errorf("split %s: %w", id, err)
			}
			next.Routing.Linked = id2
			events = append(events, link)
			split = id2
		} else {
			h.Log.WarnContext(ctx, "mixed submission not split", "case_id", id, "err", err.Error())
		}
	}
	if err := h.Store.Update(ctx, &next, events...); err != nil {
		return err
	}
	if split != "" {
		if err := h.RouteCase(ctx, split); err != nil {
			h.Log.WarnContext(ctx, "split case not routed yet; the sweep will", "case_id", split, "err", err.Error())
		}
	}
	h.Log.InfoContext(ctx, "case routed", "case_id", id, "state", string(state),
		"target", rt.Target, "unit", unit.Code, "line", cl.Line)
	return nil
}

// SplitRequeueAfter is the watch time given to the report half of a split
// submission, in case its inline routing fails.
const SplitRequeueAfter = 5 * time.Minute

// plannedKind is the kind the case is handled as: declared, else classified.
func plannedKind(d Decision, c *cases.Case) cases.Kind {
	if c.Kind != "" {
		return c.Kind
	}
	return d.Classification.Type
}

// plan picks the next state and the clock to start from a decision. The
// kind the submitter declared wins over the classifier's type: choosing
// between complaint and report is the consumer's legal act.
func plan(d Decision, c *cases.Case) (deadline.Kind, cases.State) {
	kind := plannedKind(d, c)
	switch d.Routing.Target {
	case cases.TargetTriage:
		// The acceptance clock runs from receipt whoever decides, so a
		// case waiting for a person still has its clock.
		return deadline.Acceptance, cases.StateTriage
	case cases.TargetReferral:
		return "", cases.StateReferred
	case cases.TargetODR:
		return deadline.ODR, cases.StateODRNegotiating
	}
	switch kind {
	case cases.KindReport:
		return deadline.Verification, cases.StateVerifying
	case cases.KindInquiry:
		return "", cases.StatePendingAnswer
	}
	return deadline.Acceptance, cases.StatePendingAcceptance
}
