// Package api is the public HTTP API of the intake system: consumers file
// cases and look them up with their tracking code. It is the handler behind
// functions/api, for API Gateway HTTP API payload 2.0 events.
//
//	POST /v1/complaints        file a complaint, report or inquiry → 201
//	GET  /v1/complaints/{id}   status, unit and due date (X-Tracking-Code header or ?code=)
package api

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/open12315/intake/shared/apierr"
	"github.com/open12315/intake/shared/apigw"
	"github.com/open12315/intake/shared/cases"
	"github.com/open12315/intake/shared/intake"
)

// Handler serves the public API.
type Handler struct {
	Intake *intake.Service
	Store  cases.Store
	Log    *slog.Logger
}

// Receipt is the 201 answer to a new submission.
type Receipt struct {
	ID           string      `json:"id"`
	TrackingCode string      `json:"tracking_code"`
	Status       cases.State `json:"status"`
	StatusText   string      `json:"status_text"`
	ReceivedAt   time.Time   `json:"received_at"`
	Links        Links       `json:"links"`
}

// Links point at where to look the case up.
type Links struct {
	Self string `json:"self"`
}

// Handle routes one request.
func (h *Handler) Handle(ctx context.Context, r apigw.Request) (apigw.Response, error) {
	return apigw.Serve(ctx, h.Log, r, h.route)
}

func (h *Handler) route(ctx context.Context, r apigw.Request) apigw.Response {
	switch r.RouteKey {
	case "POST /v1/complaints":
		return h.create(ctx, r)
	case "GET /v1/complaints/{id}":
		return h.get(ctx, r)
	}
	return apigw.Error(apierr.New(http.StatusNotFound, apierr.CodeNotFound, "no such route"), r.RequestContext.RequestID)
}

func (h *Handler) create(ctx context.Context, r apigw.Request) apigw.Response {
	rid := r.RequestContext.RequestID
	key, e := apigw.IdempotencyKey(r)
	if e != nil {
		return apigw.Error(e, rid)
	}
	var sub cases.Submission
	if e := apigw.DecodeJSON(r, &sub); e != nil {
		return apigw.Error(e, rid)
	}
	sub.Normalize()
	if e := apierr.FromValidation(sub.Validate()); e != nil {
		return apigw.Error(e, rid)
	}
	res, err := h.Intake.Submit(ctx, sub, cases.ChannelWeb, key)
	switch {
	case errors.Is(err, intake.ErrKeyReused):
		return apigw.Error(apierr.New(http.StatusUnprocessableEntity, apierr.CodeIdempotencyReused,
			"this Idempotency-Key was used for a different request"), rid)
	case err != nil:
		apigw.LogError(h.Log, r, "submit failed", err)
		return apigw.Error(apierr.Internal(), rid)
	}
	self := "/v1/complaints/" + res.Case.ID
	body := Receipt{
		ID:           res.Case.ID,
		TrackingCode: res.Receipt.TrackingCode,
		Status:       cases.StateReceived,
		StatusText:   cases.StatusText(cases.StateReceived),
		ReceivedAt:   res.Case.ReceivedAt,
		Links:        Links{Self: self},
	}
	hdr := []string{"location", self}
	if res.Replayed {
		hdr = append(hdr, "idempotent-replayed", "true")
	}
	h.Log.InfoContext(ctx, "case filed", "request_id", rid, "case_id", res.Case.ID,
		"replayed", res.Replayed, "queued", res.Queued)
	return apigw.JSON(http.StatusCreated, body, hdr...)
}

// dummyCase answers wrong ids with the same work as wrong codes, so timing
// does not tell them apart either.
var dummyCase = &cases.Case{TrackingHash: cases.HashTrackingCode("not-a-code")}

func (h *Handler) get(ctx context.Context, r apigw.Request) apigw.Response {
	rid := r.RequestContext.RequestID
	id := r.PathParameters["id"]
	code := apigw.Header(r, "x-tracking-code")
	if code == "" {
		code = r.QueryStringParameters["code"]
	}
	if strings.TrimSpace(code) == "" {
		return apigw.Error(apierr.New(http.StatusBadRequest, apierr.CodeValidation,
			"give the tracking code in the X-Tracking-Code header or the code query parameter"), rid)
	}
	c := dummyCase
	if cases.ValidID(id) {
		got, err := h.Store.Get(ctx, id)
		switch {
		case errors.Is(err, cases.ErrNotFound):
		case err != nil:
			apigw.LogError(h.Log, r, "get case failed", err)
			return apigw.Error(apierr.Internal(), rid)
		default:
			c = got
		}
	}
	if !c.CheckTrackingCode(code) || c == dummyCase {
		return apigw.Error(apierr.NotFound(), rid)
	}
	return apigw.JSON(http.StatusOK, c.Public())
}
