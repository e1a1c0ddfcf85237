package outbound

import (
	"context"
	"log/slog"
	"strconv"

	"github.com/open12315/intake/shared/cases"
	"github.com/open12315/intake/shared/queue"
)

// Progress queues a progress notice after a case update that changed the
// state of an SMS or mini-program case. It is hooked into the stores of
// the route consumer and the staff API (see shared/app), so neither needs
// to know about consumer notifications.
//
// The notice is sent after the update is stored and is best effort: if
// the queue is unreachable the state change stands and the notice is
// logged as lost (the consumer can still ask with 查询 or the case list).
type Progress struct {
	Queue queue.Sender
	Log   *slog.Logger
}

// After is called with the stored case and the events of the update.
func (p *Progress) After(ctx context.Context, c *cases.Case, evs []cases.Event) {
	if p == nil || p.Queue == nil || (c.Channel != cases.ChannelSMS && c.Channel != cases.ChannelMiniProgram) {
		return
	}
	var from, to cases.State
	for _, e := range evs {
		if e.To != "" && e.To != e.From {
			if from == "" {
				from = e.From
			}
			to = e.To
		}
	}
	if to == "" || to == from {
		return
	}
	m := Message{Kind: KindProgress, CaseID: c.ID, State: to, From: from,
		Key: "progress/" + c.ID + "/v" + strconv.FormatInt(c.Version, 10)}
	if err := p.Queue.Send(ctx, m); err != nil {
		p.Log.WarnContext(ctx, "progress notice not queued", "case_id", c.ID, "state", string(to), "err", err.Error())
	}
}

// Store is a cases.Store whose Update calls Progress.After.
type Store struct {
	cases.Store
	Progress *Progress
}

// Update implements cases.Store.
func (s Store) Update(ctx context.Context, c *cases.Case, evs ...cases.Event) error {
	if err := s.Store.Update(ctx, c, evs...); err != nil {
		return err
	}
	s.Progress.After(ctx, c, evs)
	return nil
}
