// Package notify is the consumer of the notification queue: it delivers
// notices about cases to the units that must act on them. It is the handler
// behind functions/notify.
//
// Staff notices (due soon, overdue, escalated) go to the unit's inbox in
// the cases table, which staff read through the staff API. Delivery is
// idempotent: a notice has a key, and the inbox stores each key once, so
// SQS redeliveries and sweep re-sends never duplicate it.
package notify

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"time"

	"github.com/aws/aws-lambda-go/events"

	"github.com/open12315/intake/shared/cases"
)

// Handler consumes the notification queue.
type Handler struct {
	Inbox cases.Inbox
	Log   *slog.Logger
	Now   func() time.Time
}

// ErrBadNotice marks a message that can never be delivered.
var ErrBadNotice = errors.New("malformed notice")

// Handle delivers one batch and reports the messages that failed.
func (h *Handler) Handle(ctx context.Context, ev events.SQSEvent) (events.SQSEventResponse, error) {
	var resp events.SQSEventResponse
	for _, m := range ev.Records {
		if err := h.deliver(ctx, m.Body); err != nil {
			h.Log.ErrorContext(ctx, "notice failed", "message_id", m.MessageId, "err", err.Error())
			resp.BatchItemFailures = append(resp.BatchItemFailures, events.SQSBatchItemFailure{ItemIdentifier: m.MessageId})
		}
	}
	return resp, nil
}

func (h *Handler) deliver(ctx context.Context, body string) error {
	var n cases.Notice
	if err := json.Unmarshal([]byte(body), &n); err != nil || n.Key == "" || n.Unit == "" || !cases.ValidID(n.CaseID) {
		return ErrBadNotice
	}
	created, err := h.Inbox.PutNotice(ctx, n, h.Now())
	if err != nil {
		return err
	}
	h.Log.InfoContext(ctx, "notice delivered", "case_id", n.CaseID, "unit", n.Unit, "kind", n.Kind, "new", created)
	return nil
}
