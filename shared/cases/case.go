// Package cases holds the domain core of the intake system: what a consumer
// submits, the case it becomes, its states and its events. It imports no AWS
// package; storage lives behind the Store interface.
package cases

import (
	"time"

	"github.com/open12315/intake/shared/deadline"
)

// Kind is what the law makes of a submission.
type Kind string

// The three kinds a submission can be (Order 20 Art. 3, Art. 39).
const (
	KindComplaint Kind = "complaint" // 投诉: a consumer dispute to be mediated
	KindReport    Kind = "report"    // 举报: a lead about a suspected violation
	KindInquiry   Kind = "inquiry"   // 咨询: a question, outside the 办法
)

// Valid reports whether k is one of the known kinds.
func (k Kind) Valid() bool {
	return k == KindComplaint || k == KindReport || k == KindInquiry
}

// Channel is the door a case came in through.
type Channel string

// The intake channels.
const (
	ChannelWeb         Channel = "web"          // mobile web page (H5) or any JSON client
	ChannelMiniProgram Channel = "miniprogram"  // WeChat-style mini-program
	ChannelSMS         Channel = "sms"          // inbound text message
	ChannelHotline     Channel = "hotline12345" // work order transferred by the 12345 hotline
)

// State is where a case stands in its lifecycle.
type State string

// The states a case passes through during intake and routing.
const (
	// StateReceived: stored, waiting for classification and routing.
	StateReceived State = "received"
	// StateTriage: the classifier was not confident; a person must route it.
	StateTriage State = "triage"
	// StatePendingAcceptance: a complaint routed to a unit, which must decide
	// within the acceptance clock whether to accept it.
	StatePendingAcceptance State = "pending_acceptance"
	// StateVerifying: a report routed to a unit for verification (核查).
	StateVerifying State = "verifying"
	// StatePendingAnswer: an inquiry routed to a unit to be answered.
	StatePendingAnswer State = "pending_answer"
)

// Person is the consumer, reporter or inquirer. Every field is personal data:
// it never goes to logs and is masked in staff lists.
type Person struct {
	Name     string `json:"name,omitempty"`
	Phone    string `json:"phone,omitempty"`
	Address  string `json:"address,omitempty"`
	IDNumber string `json:"id_number,omitempty"`
}

// Business is the party the submission is about.
type Business struct {
	Name       string `json:"name,omitempty"`
	Address    string `json:"address,omitempty"`
	RegionCode string `json:"region_code,omitempty"` // 6-digit division code, when the consumer picked one
	CreditCode string `json:"credit_code,omitempty"` // 统一社会信用代码, when known
	// Platform names the e-commerce platform when the business sells on one,
	// or is one (see PlatformRole).
	Platform string `json:"platform,omitempty"`
	// PlatformRole is "operator" for a platform operator, "merchant" for a
	// merchant on a platform, empty otherwise (Order 20 Art. 12(2)).
	PlatformRole string `json:"platform_role,omitempty"`
}

// Classification is what the classifier (or a person) decided about a case.
type Classification struct {
	Type       Kind     `json:"type"`
	Line       string   `json:"line"`
	CCAClass   string   `json:"cca_class,omitempty"`
	Nature     string   `json:"nature,omitempty"`
	Region     string   `json:"region,omitempty"`
	Confidence float64  `json:"confidence"`
	Evidence   []string `json:"evidence,omitempty"`
	Model      string   `json:"model,omitempty"` // classifier name and version
}

// Unit is a handling unit: a market-regulation bureau named by its division
// code (630000 province, 63xx00 prefecture, 63xxxx county).
type Unit struct {
	Code string `json:"code"`
	Name string `json:"name"`
}

// Case is one complaint, report or inquiry with everything known about it.
type Case struct {
	ID      string  `json:"id"`
	Version int64   `json:"version"`
	Kind    Kind    `json:"kind"` // the kind the submitter declared; empty when they did not
	Channel Channel `json:"channel"`
	State   State   `json:"state"`

	ReceivedAt time.Time `json:"received_at"`
	UpdatedAt  time.Time `json:"updated_at"`

	// TrackingHash is the SHA-256 of the tracking code given to the
	// submitter; the code itself is never stored on the case.
	TrackingHash string `json:"tracking_hash"`

	Consumer   Person   `json:"consumer"`
	Anonymous  bool     `json:"anonymous,omitempty"`
	ODROptOut  bool     `json:"odr_opt_out,omitempty"` // the consumer declined the ODR enterprise route
	Business   Business `json:"business"`
	Facts      string   `json:"facts"`
	Request    string   `json:"request,omitempty"`
	AmountFen  int64    `json:"amount_fen,omitempty"` // amount involved, in fen (0.01 yuan)
	OccurredOn string   `json:"occurred_on,omitempty"`

	Classification *Classification `json:"classification,omitempty"`
	Unit           *Unit           `json:"unit,omitempty"`
	Routing        *Routing        `json:"routing,omitempty"`

	// Clocks are the statutory and operational clocks of the case, open and
	// finished.
	Clocks []deadline.Clock `json:"clocks,omitempty"`

	// Flags raised by the sweep.
	Overdue bool `json:"overdue,omitempty"`
	DueSoon bool `json:"due_soon,omitempty"`

	// WatchAt is when the sweep must next look at the case: a clock about
	// to fall due, a clock running out, or a case stuck in its first state.
	// Nil when nothing is pending; the store indexes only cases that have
	// one (a sparse index), so the sweep never reads quiet cases.
	WatchAt *time.Time `json:"watch_at,omitempty"`

	// Outcome records the decisions the statistics need (see lifecycle).
	Outcome *Outcome `json:"outcome,omitempty"`

	// Channel facts (see channels.go): who sent the case on its channel,
	// the 12345 work order it came from, the content-check verdict.
	Identity   *ChannelIdentity `json:"identity,omitempty"`
	Hotline    *HotlineOrder    `json:"hotline,omitempty"`
	Moderation *Moderation      `json:"moderation,omitempty"`
}

// Event is one append-only entry in a case's history.
type Event struct {
	CaseID string    `json:"case_id"`
	Seq    int64     `json:"seq"` // the case version this event produced
	At     time.Time `json:"at"`
	Actor  string    `json:"actor"` // "consumer", "system:route", "staff:<id>", …
	Type   string    `json:"type"`
	From   State     `json:"from,omitempty"`
	To     State     `json:"to,omitempty"`
	Reason string    `json:"reason,omitempty"`
	Note   string    `json:"note,omitempty"`
	// Data carries structured details (classification, clock, unit) as
	// plain strings so that auditors can read them without the code.
	Data map[string]string `json:"data,omitempty"`
}

// OpenClock returns the open clock of the given kind, if any.
func (c *Case) OpenClock(kind deadline.Kind) *deadline.Clock {
	for i := range c.Clocks {
		if c.Clocks[i].Kind == kind && c.Clocks[i].StoppedAt == nil {
			return &c.Clocks[i]
		}
	}
	return nil
}
