// Package staff is the HTTP API for regulator staff: the handler behind
// functions/staff. API Gateway's JWT authorizer has checked the token; the
// handler reads the staff member's id, unit and role from its claims.
//
//	GET  /v1/staff/cases                          cases of my unit and its sub-units (masked)
//	GET  /v1/staff/cases/{id}                     detail: timeline, clocks, allowed actions
//	POST /v1/staff/cases/{id}/actions/{action}    one lifecycle action
//	GET  /v1/staff/notices                        my unit's notices (due soon, overdue, escalated)
//
// A case outside the caller's jurisdiction answers 404, like a case that
// does not exist.
package staff

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"strconv"
	"time"

	"github.com/open12315/intake/shared/apierr"
	"github.com/open12315/intake/shared/apigw"
	"github.com/open12315/intake/shared/auth"
	"github.com/open12315/intake/shared/calendar"
	"github.com/open12315/intake/shared/cases"
	"github.com/open12315/intake/shared/deadline"
	"github.com/open12315/intake/shared/dynamo"
	"github.com/open12315/intake/shared/lifecycle"
)

// Store is what the staff API needs of the case store.
type Store interface {
	cases.Store
	cases.Lister
	cases.Inbox
	cases.Auditor
}

// Handler serves the staff API.
type Handler struct {
	Store  Store
	Clocks lifecycle.Clocks
	Log    *slog.Logger
	Now    func() time.Time
}

// Handle routes one request.
func (h *Handler) Handle(ctx context.Context, r apigw.Request) (apigw.Response, error) {
	return apigw.Serve(ctx, h.Log, r, h.route)
}

func (h *Handler) route(ctx context.Context, r apigw.Request) apigw.Response {
	rid := r.RequestContext.RequestID
	actor, err := actorOf(r)
	if err != nil {
		return apigw.Error(apierr.New(http.StatusUnauthorized, apierr.CodeUnauthorized, "a valid staff token is required"), rid)
	}
	switch r.RouteKey {
	case "GET /v1/staff/cases":
		return h.list(ctx, r, actor)
	case "GET /v1/staff/cases/{id}":
		return h.detail(ctx, r, actor)
	case "POST /v1/staff/cases/{id}/actions/{action}":
		return h.act(ctx, r, actor)
	case "GET /v1/staff/notices":
		return h.notices(ctx, r, actor)
	}
	return apigw.Error(apierr.New(http.StatusNotFound, apierr.CodeNotFound, "no such route"), rid)
}

// actorOf reads the staff member from the JWT authorizer's claims.
func actorOf(r apigw.Request) (lifecycle.Actor, error) {
	a := r.RequestContext.Authorizer
	if a == nil || a.JWT == nil {
		return lifecycle.Actor{}, auth.ErrMissingClaim
	}
	c, err := auth.FromAuthorizer(a.JWT.Claims)
	if err != nil {
		return lifecycle.Actor{}, err
	}
	return lifecycle.Actor{ID: c.Subject, Unit: c.Unit, Role: lifecycle.Role(c.Role)}, nil
}

// Summary is one case in a staff listing; personal data is masked.
type Summary struct {
	ID         string          `json:"id"`
	Version    int64           `json:"version"`
	Kind       cases.Kind      `json:"kind,omitempty"`
	State      cases.State     `json:"state"`
	StatusText string          `json:"status_text"`
	Channel    cases.Channel   `json:"channel"`
	ReceivedAt time.Time       `json:"received_at"`
	Unit       *cases.Unit     `json:"unit,omitempty"`
	Line       string          `json:"line,omitempty"`
	Overdue    bool            `json:"overdue,omitempty"`
	DueSoon    bool            `json:"due_soon,omitempty"`
	Due        *deadline.Clock `json:"due,omitempty"`
	Consumer   cases.Person    `json:"consumer"`
	Business   string          `json:"business,omitempty"`
	Anonymous  bool            `json:"anonymous,omitempty"`
}

func summarize(c cases.Case) Summary {
	s := Summary{
		ID: c.ID, Version: c.Version, Kind: c.EffectiveKind(), State: c.State, StatusText: cases.StatusText(c.State),
		Channel: c.Channel, ReceivedAt: c.ReceivedAt, Unit: c.Unit, Overdue: c.Overdue, DueSoon: c.DueSoon,
		Consumer: c.Consumer, Business: c.Business.Name, Anonymous: c.Anonymous,
	}
	if c.Classification != nil {
		s.Line = c.Classification.Line
	}
	if k := c.CurrentClock(); k != nil {
		cp := *k
		cp.Derivation = nil // in the detail view
		s.Due = &cp
	}
	return s
}

func (h *Handler) list(ctx context.Context, r apigw.Request, actor lifecycle.Actor) apigw.Response {
	rid := r.RequestContext.RequestID
	q := r.QueryStringParameters
	scope, code := cases.ScopeOf(actor.Unit)
	lq := cases.ListQuery{
		Scope: scope, Code: code,
		State: cases.State(q["state"]), Kind: cases.Kind(q["kind"]), Channel: cases.Channel(q["channel"]),
		Cursor: q["cursor"], Limit: 20,
	}
	var bad []cases.FieldError
	if v := q["kind"]; v != "" && !lq.Kind.Valid() {
		bad = append(bad, cases.FieldError{Field: "kind", Code: "invalid", Message: "kind must be complaint, report or inquiry"})
	}
	if v := q["overdue"]; v != "" {
		b, err := strconv.ParseBool(v)
		if err != nil {
			bad = append(bad, cases.FieldError{Field: "overdue", Code: "invalid", Message: "overdue must be true or false"})
		}
		lq.Overdue = &b
	}
	if v := q["due_before"]; v != "" {
		d, err := calendar.ParseDate(v)
		if err != nil {
			bad = append(bad, cases.FieldError{Field: "due_before", Code: "invalid", Message: "due_before must be a date YYYY-MM-DD"})
		}
		t := d.Time() // 00:00 China time: due strictly before that day
		lq.DueBefore = &t
	}
	if v := q["limit"]; v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 100 {
			bad = append(bad, cases.FieldError{Field: "limit", Code: "invalid", Message: "limit must be 1 to 100"})
		}
		lq.Limit = n
	}
	if len(bad) > 0 {
		return apigw.Error(apierr.Validation(&cases.ValidationError{Fields: bad}), rid)
	}
	cs, next, err := h.Store.List(ctx, lq)
	switch {
	case errors.Is(err, dynamo.ErrBadCursor):
		return apigw.Error(apierr.Validation(&cases.ValidationError{Fields: []cases.FieldError{
			{Field: "cursor", Code: "invalid", Message: "not a cursor from a previous page"}}}), rid)
	case err != nil:
		apigw.LogError(h.Log, r, "list cases failed", err)
		return apigw.Error(apierr.Internal(), rid)
	}
	out := struct {
		Cases      []Summary `json:"cases"`
		NextCursor string    `json:"next_cursor,omitempty"`
	}{Cases: []Summary{}, NextCursor: next}
	for _, c := range lifecycle.List(cs, actor) {
		out.Cases = append(out.Cases, summarize(c))
	}
	return apigw.JSON(http.StatusOK, out)
}

// Detail is the staff detail view of a case.
type Detail struct {
	Case           cases.Case    `json:"case"`
	Events         []cases.Event `json:"events"`
	AllowedActions []string      `json:"allowed_actions"`
	Masked         bool          `json:"masked"`
}

// load reads a case the actor may see; any other case is not found.
func (h *Handler) load(ctx context.Context, id string, actor lifecycle.Actor) (*cases.Case, *apierr.Error, error) {
	if !cases.ValidID(id) {
		return nil, notFound(), nil
	}
	c, err := h.Store.Get(ctx, id)
	switch {
	case errors.Is(err, cases.ErrNotFound):
		return nil, notFound(), nil
	case err != nil:
		return nil, nil, err
	case !lifecycle.CanSee(c, actor):
		return nil, notFound(), nil
	}
	return c, nil, nil
}

func notFound() *apierr.Error {
	return apierr.New(http.StatusNotFound, apierr.CodeNotFound, "no case with this id in your jurisdiction")
}

func (h *Handler) detail(ctx context.Context, r apigw.Request, actor lifecycle.Actor) apigw.Response {
	rid := r.RequestContext.RequestID
	c, nf, err := h.load(ctx, r.PathParameters["id"], actor)
	if nf != nil {
		return apigw.Error(nf, rid)
	}
	if err != nil {
		apigw.LogError(h.Log, r, "get case failed", err)
		return apigw.Error(apierr.Internal(), rid)
	}
	view, audit, err := lifecycle.Detail(c, actor, h.Now())
	if err != nil {
		return apigw.Error(notFound(), rid)
	}
	// The full view is recorded before it is shown.
	if audit != nil {
		if err := h.Store.Audit(ctx, *audit); err != nil {
			apigw.LogError(h.Log, r, "audit failed", err)
			return apigw.Error(apierr.Internal(), rid)
		}
	}
	evs, err := h.Store.Events(ctx, c.ID)
	if err != nil {
		apigw.LogError(h.Log, r, "events failed", err)
		return apigw.Error(apierr.Internal(), rid)
	}
	view.TrackingHash = ""
	return apigw.JSON(http.StatusOK, Detail{
		Case: view, Events: evs, AllowedActions: lifecycle.Allowed(c, actor), Masked: audit == nil,
	})
}

// ActionRequest is the body of an action: the version the caller saw, a
// free note, and the action's fields.
type ActionRequest struct {
	Version int64                      `json:"version"`
	Note    string                     `json:"note,omitempty"`
	Fields  map[string]json.RawMessage `json:"fields,omitempty"`
}

// ActionResult answers a successful action.
type ActionResult struct {
	ID             string        `json:"id"`
	Version        int64         `json:"version"`
	State          cases.State   `json:"state"`
	Events         []cases.Event `json:"events"`
	AllowedActions []string      `json:"allowed_actions"`
}

func (h *Handler) act(ctx context.Context, r apigw.Request, actor lifecycle.Actor) apigw.Response {
	rid := r.RequestContext.RequestID
	name := r.PathParameters["action"]
	if _, ok := lifecycle.Lookup(name); !ok {
		return apigw.Error(apierr.New(http.StatusNotFound, "unknown_action", "no action named "+strconv.Quote(name)), rid)
	}
	var req ActionRequest
	if e := apigw.DecodeJSON(r, &req); e != nil {
		return apigw.Error(e, rid)
	}
	if req.Version < 1 {
		return apigw.Error(apierr.Validation(&cases.ValidationError{Fields: []cases.FieldError{
			{Field: "version", Code: "required", Message: "send the version of the case you acted on"}}}), rid)
	}
	c, nf, err := h.load(ctx, r.PathParameters["id"], actor)
	if nf != nil {
		return apigw.Error(nf, rid)
	}
	if err != nil {
		apigw.LogError(h.Log, r, "get case failed", err)
		return apigw.Error(apierr.Internal(), rid)
	}
	next := *c
	evs, err := lifecycle.Apply(&next, lifecycle.Action{Name: name, Fields: req.Fields, Note: req.Note, Version: req.Version},
		actor, h.Now(), h.Clocks)
	if err == nil {
		err = h.Store.Update(ctx, &next, evs...)
	}
	if e := actionError(err, c, actor); e != nil {
		if e.Status >= 500 {
			apigw.LogError(h.Log, r, "action failed", err)
		}
		return apigw.Error(e, rid)
	}
	h.Log.InfoContext(ctx, "action", "request_id", rid, "case_id", c.ID, "action", name,
		"from", string(c.State), "to", string(next.State), "unit", actor.Unit, "staff", actor.ID)
	return apigw.JSON(http.StatusOK, ActionResult{
		ID: next.ID, Version: next.Version, State: next.State, Events: evs,
		AllowedActions: lifecycle.Allowed(&next, actor),
	})
}

// actionError maps lifecycle and store errors to API errors; nil for nil.
func actionError(err error, c *cases.Case, actor lifecycle.Actor) *apierr.Error {
	var fe *lifecycle.FieldErrors
	var ite *lifecycle.IllegalTransitionError
	var ce *lifecycle.ClockError
	switch {
	case err == nil:
		return nil
	case errors.As(err, &fe):
		return apierr.Validation(&cases.ValidationError{Fields: fe.Fields})
	case errors.As(err, &ite):
		e := apierr.New(http.StatusConflict, "illegal_transition",
			"action "+ite.Action+" is not allowed for a "+string(ite.Kind)+" in state "+string(ite.State))
		e.Allowed = ite.Allowed
		if e.Allowed == nil {
			e.Allowed = []string{}
		}
		return e
	case errors.Is(err, lifecycle.ErrStaleVersion), errors.Is(err, cases.ErrVersionConflict):
		e := apierr.New(http.StatusConflict, "stale_version",
			"the case changed since you read it (now version "+strconv.FormatInt(c.Version, 10)+"); reload and retry")
		e.Allowed = lifecycle.Allowed(c, actor)
		return e
	case errors.Is(err, lifecycle.ErrForbidden):
		return apierr.New(http.StatusForbidden, apierr.CodeForbidden, "your role may not take this action")
	case errors.Is(err, lifecycle.ErrOutOfJurisdiction):
		return notFound()
	case errors.As(err, &ce) && !errors.Is(err, calendar.ErrNotCovered):
		return apierr.New(http.StatusConflict, "clock_conflict", ce.Error())
	}
	return apierr.Internal()
}

func (h *Handler) notices(ctx context.Context, r apigw.Request, actor lifecycle.Actor) apigw.Response {
	rid := r.RequestContext.RequestID
	ns, next, err := h.Store.Notices(ctx, actor.Unit, r.QueryStringParameters["cursor"], 50)
	switch {
	case errors.Is(err, dynamo.ErrBadCursor):
		return apigw.Error(apierr.Validation(&cases.ValidationError{Fields: []cases.FieldError{
			{Field: "cursor", Code: "invalid", Message: "not a cursor from a previous page"}}}), rid)
	case err != nil:
		apigw.LogError(h.Log, r, "notices failed", err)
		return apigw.Error(apierr.Internal(), rid)
	}
	if ns == nil {
		ns = []cases.StoredNotice{}
	}
	return apigw.JSON(http.StatusOK, struct {
		Notices    []cases.StoredNotice `json:"notices"`
		NextCursor string               `json:"next_cursor,omitempty"`
	}{ns, next})
}
