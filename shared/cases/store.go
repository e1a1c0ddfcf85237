package cases

import (
	"context"
	"errors"
	"time"
)

// Errors a Store returns. Adapters wrap them; test with errors.Is.
var (
	// ErrNotFound: no case with that id.
	ErrNotFound = errors.New("case not found")
	// ErrExists: a case with that id is already stored.
	ErrExists = errors.New("case already exists")
	// ErrVersionConflict: the case changed since it was read.
	ErrVersionConflict = errors.New("case was changed concurrently")
)

// Receipt is what a submitter was told when a case was created: kept under
// the request's idempotency key so that a retried request gets the very
// same answer.
type Receipt struct {
	CaseID       string    `json:"case_id"`
	TrackingCode string    `json:"tracking_code"`
	RequestHash  string    `json:"request_hash"`
	CreatedAt    time.Time `json:"created_at"`
}

// IdempotencyConflictError is returned by Create when the idempotency key
// was used before; Existing is the receipt stored with it.
type IdempotencyConflictError struct {
	Existing Receipt
}

func (e *IdempotencyConflictError) Error() string {
	return "idempotency key already used for case " + e.Existing.CaseID
}

// DueRef points at a case whose watch time has come.
type DueRef struct {
	CaseID  string
	WatchAt time.Time
}

// Store keeps cases and their events. Every write is conditional: nothing is
// overwritten by accident and no concurrent write is lost.
type Store interface {
	// Create stores a new case with its first event. When key is not empty
	// the receipt is stored under it in the same transaction; if the key
	// was used before, Create stores nothing and returns an
	// *IdempotencyConflictError with the earlier receipt.
	Create(ctx context.Context, c *Case, first Event, key string, r Receipt) error
	// Get reads a case with strong consistency.
	Get(ctx context.Context, id string) (*Case, error)
	// Update replaces the case if its stored version is still
	// c.Version-1 (the caller increments Version) and appends events, all
	// or nothing. It returns ErrVersionConflict otherwise.
	Update(ctx context.Context, c *Case, events ...Event) error
	// Events lists a case's events in order.
	Events(ctx context.Context, id string) ([]Event, error)
	// Due lists up to limit cases of one index shard whose watch time is at
	// or before t, oldest first, starting after cursor (empty for the
	// first page). It returns the next cursor, empty when done.
	Due(ctx context.Context, shard int, t time.Time, cursor string, limit int) ([]DueRef, string, error)
	// Shards is the number of write shards of the due index.
	Shards() int
}

// RouteRequest is the message that asks the route consumer to classify and
// route a case. It carries the id only.
type RouteRequest struct {
	CaseID string `json:"case_id"`
	// Reason is "new" for a fresh case, "requeue" when the sweep found it
	// stuck in its first state.
	Reason string `json:"reason"`
}

// Scope is the level of a unit's jurisdiction a listing covers.
type Scope string

// Listing scopes: a county unit sees its own cases, a prefecture its own
// and its counties', the province everything.
const (
	ScopeUnit       Scope = "unit"
	ScopePrefecture Scope = "prefecture"
	ScopeProvince   Scope = "province"
)

// ListQuery selects the cases of a unit's jurisdiction, newest first.
type ListQuery struct {
	Scope     Scope
	Code      string // the unit's code at that scope
	State     State
	Kind      Kind
	Channel   Channel
	Overdue   *bool
	DueBefore *time.Time // current clock due before this instant
	// ReceivedFrom and ReceivedBefore bound the receipt time, when set.
	ReceivedFrom, ReceivedBefore *time.Time
	Cursor                       string
	Limit                        int
}

// Lister lists cases for staff.
type Lister interface {
	List(ctx context.Context, q ListQuery) ([]*Case, string, error)
}

// ScopeOf returns the scope and code a unit lists with: 63xxxx counties by
// unit, 63xx00 prefectures by prefecture, 630000 the whole province.
func ScopeOf(unit string) (Scope, string) {
	switch {
	case len(unit) != 6:
		return ScopeUnit, unit
	case unit[2:] == "0000":
		return ScopeProvince, unit
	case unit[4:] == "00":
		return ScopePrefecture, unit
	}
	return ScopeUnit, unit
}

// Notice asks the notification consumer to tell a unit (and, for
// progress, the consumer) about a case. It carries ids and codes only.
type Notice struct {
	CaseID string `json:"case_id"`
	// Kind is due_soon, overdue or escalated for staff notices.
	Kind string `json:"kind"`
	// Unit is the unit to tell.
	Unit string `json:"unit"`
	// Clock and DueDate say which clock, for due_soon and overdue.
	Clock   string `json:"clock,omitempty"`
	DueDate string `json:"due_date,omitempty"`
	// Key makes redeliveries and re-sends of the same notice one notice.
	Key string `json:"key"`
}

// ParentUnit returns the unit one level up: county → prefecture →
// province; the province has none.
func ParentUnit(unit string) string {
	switch {
	case len(unit) != 6 || unit[2:] == "0000":
		return ""
	case unit[4:] == "00":
		return unit[:2] + "0000"
	}
	return unit[:4] + "00"
}

// Inbox keeps staff notices per unit.
type Inbox interface {
	// PutNotice stores a notice once: a second put with the same key
	// stores nothing and reports created false.
	PutNotice(ctx context.Context, n Notice, at time.Time) (created bool, err error)
	// Notices lists a unit's notices, newest due date first.
	Notices(ctx context.Context, unit, cursor string, limit int) ([]StoredNotice, string, error)
}

// StoredNotice is a notice in a unit's inbox.
type StoredNotice struct {
	Notice
	At time.Time `json:"at"`
}

// Auditor records events that change nothing on the case itself, such as a
// staff member viewing the full personal data, without bumping the
// version.
type Auditor interface {
	Audit(ctx context.Context, e Event) error
}
