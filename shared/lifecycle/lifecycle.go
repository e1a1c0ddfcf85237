// Package lifecycle moves a routed case through its handling: acceptance,
// mediation, ODR, transfer, withdrawal and closing for complaints;
// verification, filing and the reporter's notice for reports; the answer
// for inquiries; and the manual routing of triage cases.
//
// Every action is a row of one data table ([Rules]): the kinds and states
// it applies to, the state it leads to, the roles allowed, its fields and
// the clocks it stops, cancels, starts, pauses, resumes or extends. [Apply]
// checks an action against the table and the actor's jurisdiction, changes
// a case and returns the append-only events that explain the change;
// [Allowed] lists what an actor may do with a case now.
//
// The package is pure domain: no storage, no AWS. The caller reads the
// case, calls Apply, and stores the case and events with
// cases.Store.Update (Apply increments the version as Update expects).
//
// Masking of personal data for staff lists and the audited full view are
// in mask.go; splitting a mixed complaint-and-report submission in
// split.go.
package lifecycle

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/open12315/intake/shared/cases"
	"github.com/open12315/intake/shared/region"
)

// Role is what an actor may do.
type Role string

// The roles. Staff roles come from the JWT (package auth); consumer and
// system are set by the caller for the public API and integrations.
const (
	// RoleHandler acts on the cases of the unit and its sub-units.
	RoleHandler Role = "handler"
	// RoleSupervisor does what a handler does, and also approves
	// extensions and transfers cases to another unit.
	RoleSupervisor Role = "supervisor"
	// RoleViewer reads the masked cases of the unit and its sub-units.
	RoleViewer Role = "viewer"
	// RoleConsumer is the submitter, authenticated by the caller with the
	// case's tracking code; jurisdiction does not apply.
	RoleConsumer Role = "consumer"
	// RoleSystem is an integration such as the ODR platform, authenticated
	// by the caller; jurisdiction does not apply.
	RoleSystem Role = "system"
)

// Staff reports whether r is a staff role, bound to a unit's jurisdiction.
func (r Role) Staff() bool { return r == RoleHandler || r == RoleSupervisor || r == RoleViewer }

// Actor is who performs an action.
type Actor struct {
	ID   string `json:"id"`   // staff id (JWT sub), or an integration's name
	Unit string `json:"unit"` // 6-digit division code of the staff member's unit
	Role Role   `json:"role"`
}

// Name is how the actor appears in events: "staff:<id>", "consumer" or
// "system:<id>".
func (a Actor) Name() string {
	switch a.Role {
	case RoleConsumer:
		return "consumer"
	case RoleSystem:
		return "system:" + a.ID
	}
	return "staff:" + a.ID
}

// Action is one request to change a case.
type Action struct {
	Name string `json:"action"`
	// Fields are the action's structured inputs, checked against the
	// table ([Rule.Fields]); unknown fields are rejected.
	Fields map[string]json.RawMessage `json:"fields,omitempty"`
	// Note is free text recorded on the event.
	Note string `json:"note,omitempty"`
	// Version is the case version the actor saw; it must equal the
	// case's current version (optimistic concurrency).
	Version int64 `json:"version"`
}

// Errors Apply returns. Test with errors.Is / errors.As. Suggested HTTP
// status in brackets.
var (
	// ErrUnknownAction: no such action [400 or 422].
	ErrUnknownAction = errors.New("unknown action")
	// ErrForbidden: the actor's role may not perform the action [403].
	ErrForbidden = errors.New("role not allowed to perform this action")
	// ErrOutOfJurisdiction: the case's unit is not the actor's unit or
	// one of its sub-units [403, or 404 to hide the case].
	ErrOutOfJurisdiction = errors.New("case is outside the actor's jurisdiction")
	// ErrStaleVersion: the case changed since the actor read it [409].
	ErrStaleVersion = errors.New("case version is stale")
)

// FieldErrors lists the action fields that failed validation [422].
type FieldErrors struct {
	Action string
	Fields []cases.FieldError
}

func (e *FieldErrors) Error() string {
	names := make([]string, len(e.Fields))
	for i, f := range e.Fields {
		names[i] = f.Field + ":" + f.Code
	}
	return fmt.Sprintf("lifecycle: %s: invalid fields: %s", e.Action, strings.Join(names, ", "))
}

// IllegalTransitionError: the action does not apply to the case's kind
// and state [409]. Allowed lists what the actor may do instead.
type IllegalTransitionError struct {
	Action  string
	Kind    cases.Kind
	State   cases.State
	Allowed []string
}

func (e *IllegalTransitionError) Error() string {
	return fmt.Sprintf("lifecycle: %s is not allowed for a %s in state %s (allowed: %s)",
		e.Action, e.Kind, e.State, strings.Join(e.Allowed, ", "))
}

// ClockError: a clock refused the action, for instance pausing a clock
// already paused or extending one twice [409]; or a clock could not be
// computed (a calendar gap, wrapping calendar.ErrNotCovered) [500]. Err
// wraps the deadline or calendar error.
type ClockError struct {
	Action string
	Clock  string
	Err    error
}

func (e *ClockError) Error() string {
	return fmt.Sprintf("lifecycle: %s: %s clock: %v", e.Action, e.Clock, e.Err)
}

func (e *ClockError) Unwrap() error { return e.Err }

// Within reports whether a unit may see and act on cases of caseUnit: the
// same unit or one above it (region.Gazetteer.Within). It is a variable
// so that tests may replace it.
var Within = func(unit, caseUnit string) bool { return region.Default().Within(unit, caseUnit) }

// ProvinceUnit is the unit that handles cases no unit has been given yet.
const ProvinceUnit = "630000"

// CanSee reports whether the actor may see the case at all: consumers and
// systems always (the caller authenticated them for this case), staff
// within their jurisdiction.
func CanSee(c *cases.Case, a Actor) bool {
	if !a.Role.Staff() {
		return a.Role == RoleConsumer || a.Role == RoleSystem
	}
	unit := ""
	if c.Unit != nil {
		unit = c.Unit.Code
	}
	if unit == "" {
		return a.Unit == ProvinceUnit
	}
	return Within(a.Unit, unit)
}

// Apply performs action a by actor on case c at now. On success it
// changes c in place (state, clocks, unit, classification, outcome,
// WatchAt, flags), increments c.Version by one, sets c.UpdatedAt, and
// returns the events to append, all with Seq equal to the new version:
// the action's own event first, then one per clock change. The caller
// stores both with cases.Store.Update.
//
// On error c is unchanged. The checks run in this order: unknown action,
// jurisdiction, role, version, kind and state (with guards such as "a
// clock is paused"), fields, clocks.
func Apply(c *cases.Case, a Action, actor Actor, now time.Time, clocks Clocks) ([]cases.Event, error) {
	if clocks == nil {
		return nil, errors.New("lifecycle: Apply needs Clocks")
	}
	r, ok := ruleByName[a.Name]
	if !ok {
		return nil, fmt.Errorf("lifecycle: %w %q", ErrUnknownAction, a.Name)
	}
	if !CanSee(c, actor) {
		return nil, fmt.Errorf("lifecycle: %s on %s by unit %s: %w", a.Name, c.ID, actor.Unit, ErrOutOfJurisdiction)
	}
	if !r.allows(actor.Role) {
		return nil, fmt.Errorf("lifecycle: %s by %s: %w", a.Name, actor.Role, ErrForbidden)
	}
	if a.Version != c.Version {
		return nil, fmt.Errorf("lifecycle: %s on %s: version %d, case is at %d: %w", a.Name, c.ID, a.Version, c.Version, ErrStaleVersion)
	}
	if !r.appliesTo(c) {
		return nil, &IllegalTransitionError{Action: a.Name, Kind: c.EffectiveKind(), State: c.State, Allowed: Allowed(c, actor)}
	}
	v, errs := parseFields(r.Fields, a.Fields)
	note := strings.TrimSpace(a.Note)
	switch {
	case utf8.RuneCountInString(note) > MaxTextRunes:
		errs = append(errs, cases.FieldError{Field: "note", Code: "too_long", Message: fmt.Sprintf("at most %d characters", MaxTextRunes)})
	case hasControl(note):
		errs = append(errs, cases.FieldError{Field: "note", Code: "invalid", Message: "text contains control characters"})
	}
	if len(errs) == 0 && r.check != nil {
		errs = r.check(c, v)
	}
	if len(errs) > 0 {
		return nil, &FieldErrors{Action: a.Name, Fields: errs}
	}

	work := cloneCase(c)
	s := &step{rule: r, c: work, actor: actor, now: now, v: v, clocks: clocks, data: map[string]string{}}
	from := work.State
	if err := s.run(); err != nil {
		return nil, err
	}
	if r.To != "" {
		work.State = r.To
	}
	work.Version++
	work.UpdatedAt = now.UTC()
	refreshWatch(work, clocks, now)

	main := cases.Event{
		CaseID: c.ID, At: now.UTC(), Actor: actor.Name(), Type: r.Name,
		From: from, To: work.State, Reason: s.reason, Note: note, Data: s.data,
	}
	if len(main.Data) == 0 {
		main.Data = nil
	}
	evs := append([]cases.Event{main}, s.events...)
	for i := range evs {
		evs[i].CaseID, evs[i].Seq, evs[i].At, evs[i].Actor = c.ID, work.Version, now.UTC(), actor.Name()
	}
	*c = *work
	return evs, nil
}

// Allowed lists, in table order, the actions the actor may perform on the
// case now: the role, jurisdiction, kind, state and guards all allow it.
// It is empty for a viewer and for a case outside the actor's
// jurisdiction.
func Allowed(c *cases.Case, actor Actor) []string {
	out := []string{}
	if !CanSee(c, actor) {
		return out
	}
	for _, r := range Rules {
		if r.allows(actor.Role) && r.appliesTo(c) {
			out = append(out, r.Name)
		}
	}
	return out
}
