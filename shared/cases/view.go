package cases

import (
	"time"

	"github.com/open12315/intake/shared/deadline"
)

// PublicView is what anyone holding the case id and tracking code may see:
// progress, never personal data.
type PublicView struct {
	ID         string          `json:"id"`
	Kind       Kind            `json:"kind,omitempty"`
	Channel    Channel         `json:"channel"`
	Status     State           `json:"status"`
	StatusText string          `json:"status_text"`
	ReceivedAt time.Time       `json:"received_at"`
	UpdatedAt  time.Time       `json:"updated_at"`
	Line       string          `json:"line,omitempty"`
	Unit       *Unit           `json:"unit,omitempty"`
	Due        *deadline.Clock `json:"due,omitempty"`
	Overdue    bool            `json:"overdue,omitempty"`
	// Answer tells the consumer where to turn when the matter belongs to
	// another agency.
	Answer string  `json:"answer,omitempty"`
	Agency *Agency `json:"agency,omitempty"`
	// ODR names the enterprise negotiating with the consumer first.
	ODR *ODRRef `json:"odr,omitempty"`
	// Reply is the answer to an inquiry, as the unit wrote it to the
	// consumer.
	Reply string `json:"reply,omitempty"`
	// Reason is why a complaint was not accepted, or why its mediation was
	// terminated: the legal ground.
	Reason string `json:"reason,omitempty"`
}

// statusText is the Chinese the consumer reads for each state.
var statusText = map[State]string{
	StateReceived:          "已收到，正在分派",
	StateTriage:            "已收到，正在人工分派",
	StatePendingAcceptance: "已分派至承办单位，等待受理决定",
	StateVerifying:         "已分派至承办单位，正在核查",
	StatePendingAnswer:     "已分派至承办单位，等待答复",
}

// StatusText returns the consumer-facing Chinese description of a state.
func StatusText(s State) string {
	if t, ok := statusText[s]; ok {
		return t
	}
	return string(s)
}

// Public returns the consumer's view of the case.
func (c *Case) Public() PublicView {
	v := PublicView{
		ID:         c.ID,
		Kind:       c.Kind,
		Channel:    c.Channel,
		Status:     c.State,
		StatusText: StatusText(c.State),
		ReceivedAt: c.ReceivedAt,
		UpdatedAt:  c.UpdatedAt,
		Unit:       c.Unit,
		Overdue:    c.Overdue,
	}
	if c.Classification != nil {
		v.Kind = c.Classification.Type
		v.Line = c.Classification.Line
	}
	if r := c.Routing; r != nil {
		v.Answer, v.Agency, v.ODR = r.Answer, r.Agency, r.ODR
	}
	if c.Outcome != nil {
		v.Reply = c.Outcome.Reply
		v.Reason = c.Outcome.Reason(c.State)
	}
	if clk := c.CurrentClock(); clk != nil {
		cp := *clk
		v.Due = &cp
	}
	return v
}

// CurrentClock returns the open statutory clock that falls due first, the
// one a consumer and an auditor care about; operational clocks (routing)
// are not shown.
func (c *Case) CurrentClock() *deadline.Clock {
	var best *deadline.Clock
	for i := range c.Clocks {
		k := &c.Clocks[i]
		if k.StoppedAt != nil || k.Kind == deadline.Routing {
			continue
		}
		if best == nil || k.DueAt.Before(best.DueAt) {
			best = k
		}
	}
	return best
}
