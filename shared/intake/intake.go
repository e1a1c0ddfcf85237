// Package intake turns a validated submission into a stored, queued case.
// Every channel goes through Service.Submit, so every door produces the same
// case and keeps the same promise: the case is durably stored before the
// submitter hears back, and a routing request is queued after it.
package intake

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"time"

	"github.com/open12315/intake/shared/cases"
	"github.com/open12315/intake/shared/deadline"
	"github.com/open12315/intake/shared/queue"
)

// DefaultRequeueAfter is how long a case may sit in its first state before
// the sweep sends it to routing again.
const DefaultRequeueAfter = 5 * time.Minute

// Service accepts submissions.
type Service struct {
	Store  cases.Store
	Route  queue.Sender // the routing queue
	Log    *slog.Logger
	Now    func() time.Time
	Random io.Reader // nil means crypto/rand
	// RequeueAfter is the grace period before the sweep re-queues a case
	// stuck in its first state; zero means DefaultRequeueAfter.
	RequeueAfter time.Duration
}

// ErrKeyReused: the idempotency key was used before for a different request.
var ErrKeyReused = errors.New("idempotency key reused with a different request")

// Result is the outcome of a submission.
type Result struct {
	Case     *cases.Case
	Receipt  cases.Receipt
	Replayed bool // true when an earlier request with the same key answered
	Queued   bool // false when the routing message could not be sent (the sweep will)
}

// Submit validates nothing (callers validate with their channel's rules),
// stores the case with its first event, then queues it for routing. With a
// non-empty idempotency key, a repeat of the same request returns the first
// request's receipt and creates nothing.
func (s *Service) Submit(ctx context.Context, sub cases.Submission, ch cases.Channel, key string) (Result, error) {
	return s.SubmitWith(ctx, sub, ch, key, Extras{})
}

// Extras are channel facts a door adds to the case it opens. The zero
// value adds nothing.
type Extras struct {
	// Identity is the sender on the channel (SMS provider, openid).
	Identity *cases.ChannelIdentity
	// Hotline is the 12345 work order the case was transferred from.
	Hotline *cases.HotlineOrder
	// Moderation is the verdict of a content check run before storing.
	Moderation *cases.Moderation
	// Clocks start with the case, such as a 12345 work order's own clock;
	// the route consumer adds the statutory clock next to them.
	Clocks []deadline.Clock
}

// SubmitWith is Submit with channel extras. The extras are not part of the
// idempotency fingerprint: a retried request whose content check or clock
// start time differs still replays the first answer.
func (s *Service) SubmitWith(ctx context.Context, sub cases.Submission, ch cases.Channel, key string, x Extras) (Result, error) {
	now := s.Now()
	reqHash, err := requestHash(sub, ch)
	if err != nil {
		return Result{}, err
	}
	c, code, err := cases.New(sub, ch, now, s.Random)
	if err != nil {
		return Result{}, err
	}
	grace := s.RequeueAfter
	if grace <= 0 {
		grace = DefaultRequeueAfter
	}
	watch := now.Add(grace).UTC()
	c.WatchAt = &watch
	c.Identity, c.Hotline, c.Moderation = x.Identity, x.Hotline, x.Moderation
	if len(x.Clocks) > 0 {
		c.Clocks = append([]deadline.Clock(nil), x.Clocks...)
	}
	receipt := cases.Receipt{CaseID: c.ID, TrackingCode: code, RequestHash: reqHash, CreatedAt: now.UTC()}
	first := cases.Event{
		CaseID: c.ID, Seq: c.Version, At: now.UTC(), Actor: "consumer",
		Type: "received", To: cases.StateReceived,
		Data: map[string]string{"channel": string(ch)},
	}
	if x.Hotline != nil {
		first.Data["work_order_id"] = x.Hotline.WorkOrderID
		first.Data["work_order_due_date"] = x.Hotline.DueDate
	}
	for _, k := range x.Clocks {
		first.Data["clock_"+string(k.Kind)] = k.DueDate.String()
	}
	if x.Moderation != nil {
		first.Data["moderation"] = x.Moderation.Verdict
	}
	err = s.Store.Create(ctx, c, first, key, receipt)
	var dup *cases.IdempotencyConflictError
	switch {
	case errors.As(err, &dup):
		if dup.Existing.RequestHash != reqHash {
			return Result{}, ErrKeyReused
		}
		prev, gerr := s.Store.Get(ctx, dup.Existing.CaseID)
		if gerr != nil {
			return Result{}, fmt.Errorf("replay %s: %w", dup.Existing.CaseID, gerr)
		}
		return Result{Case: prev, Receipt: dup.Existing, Replayed: true, Queued: true}, nil
	case err != nil:
		return Result{}, err
	}

	res := Result{Case: c, Receipt: receipt, Queued: true}
	if err := s.Route.Send(ctx, cases.RouteRequest{CaseID: c.ID, Reason: "new"}); err != nil {
		// The case is stored; the sweep re-queues it after the grace
		// period. The submitter still gets their receipt.
		res.Queued = false
		s.Log.WarnContext(ctx, "routing message not sent; sweep will re-queue",
			"case_id", c.ID, "err", err.Error())
	}
	return res, nil
}

// requestHash fingerprints a request so that an idempotency key reused for
// a different request is caught.
func requestHash(sub cases.Submission, ch cases.Channel) (string, error) {
	b, err := json.Marshal(struct {
		S cases.Submission
		C cases.Channel
	}{sub, ch})
	if err != nil {
		return "", fmt.Errorf("hash request: %w", err)
	}
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:]), nil
}
