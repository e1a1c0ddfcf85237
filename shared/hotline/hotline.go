// Package hotline receives work orders transferred by the 12345 government
// service hotline. It is the handler behind functions/hotline.
//
//	POST /v1/hotline/transfers   X-Api-Key: <key>   → 201 {"case_id",…}
//
// # Authentication
//
// The 12345 platform calls with a shared API key in the X-Api-Key header,
// compared in constant time with HOTLINE_API_KEY (a NoEcho template
// parameter). No key is 401, a wrong key 403; an unset key refuses
// everything. A body HMAC was considered: the 12345 platforms we know
// send static credentials, and the key travels only over TLS. Rotate by
// redeploying with a new parameter value.
//
// # Work orders
//
// A transfer carries the work order's own id and due date, the content,
// the contact and, when known, the business. It becomes a case through
// intake.Service like every other door, with:
//
//   - the hotline_12345 clock started at once with the work order's due
//     date (deadline.StartWithDueDate: a due date on a rest day moves to
//     the next working day); the route consumer adds the statutory clock
//     (acceptance, verification) next to it, so the case keeps both;
//   - the work order (id, due date) on the case (Case.Hotline).
//
// The answer carries our case id and the tracking code. A repeat of the
// same work order id is idempotent: within 24 hours intake replays the
// first answer (tracking code included); later the work-order record
// (chanstore HOTLINE#<id>) answers with the case id and status only, since
// tracking codes are stored as hashes. A repeat with different content is
// 409: the work order was already transferred.
//
// Validation follows the web form's format rules but requires only the
// content (≥ 5 characters) and the work order: 12345 operators often
// record no address or business name.
package hotline

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"regexp"
	"strings"
	"time"

	"github.com/open12315/intake/shared/apierr"
	"github.com/open12315/intake/shared/apigw"
	"github.com/open12315/intake/shared/calendar"
	"github.com/open12315/intake/shared/cases"
	"github.com/open12315/intake/shared/channel"
	"github.com/open12315/intake/shared/chanstore"
	"github.com/open12315/intake/shared/deadline"
	"github.com/open12315/intake/shared/intake"
)

// Route is the route key served.
const Route = "POST /v1/hotline/transfers"

// ClockStarter starts the work order's clock with its own due date.
type ClockStarter func(at time.Time, due calendar.Date) (deadline.Clock, error)

// Handler serves the transfer endpoint.
type Handler struct {
	// APIKey is the shared key; empty refuses every request.
	APIKey     string
	Intake     *intake.Service
	Cases      cases.Store
	Chan       *chanstore.Store
	StartClock ClockStarter
	Log        *slog.Logger
	Now        func() time.Time
}

// Transfer is the body 12345 posts.
type Transfer struct {
	WorkOrderID string         `json:"work_order_id"`
	DueDate     string         `json:"due_date"` // YYYY-MM-DD, set by 12345
	Kind        cases.Kind     `json:"kind,omitempty"`
	Content     string         `json:"content"`
	Request     string         `json:"request,omitempty"`
	Contact     cases.Person   `json:"contact"`
	Anonymous   bool           `json:"anonymous,omitempty"`
	Business    cases.Business `json:"business"`
}

// Answer is what 12345 gets back.
type Answer struct {
	CaseID       string      `json:"case_id"`
	WorkOrderID  string      `json:"work_order_id"`
	TrackingCode string      `json:"tracking_code,omitempty"`
	Status       cases.State `json:"status"`
	StatusText   string      `json:"status_text"`
	ReceivedAt   time.Time   `json:"received_at"`
	Clocks       []ClockInfo `json:"clocks"`
}

// ClockInfo is one running clock of the case.
type ClockInfo struct {
	Kind    deadline.Kind `json:"kind"`
	DueDate string        `json:"due_date"`
}

var workOrderRe = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$`)

// Handle serves one request.
func (h *Handler) Handle(ctx context.Context, r apigw.Request) (apigw.Response, error) {
	return apigw.Serve(ctx, h.Log, r, h.handle)
}

func fieldErr(field, code, msg string) *apierr.Error {
	return apierr.Validation(&cases.ValidationError{Fields: []cases.FieldError{{Field: field, Code: code, Message: msg}}})
}

func (h *Handler) handle(ctx context.Context, r apigw.Request) apigw.Response {
	rid := r.RequestContext.RequestID
	if r.RouteKey != Route {
		return apigw.Error(apierr.New(http.StatusNotFound, apierr.CodeNotFound, "no such route"), rid)
	}
	got := apigw.Header(r, "x-api-key")
	if h.APIKey == "" {
		h.Log.ErrorContext(ctx, "HOTLINE_API_KEY not configured; refusing")
	}
	switch {
	case got == "":
		return apigw.Error(apierr.New(http.StatusUnauthorized, apierr.CodeUnauthorized, "send the X-Api-Key header"), rid)
	case !channel.CheckToken(got, h.APIKey):
		h.Log.WarnContext(ctx, "hotline transfer with a wrong API key", "request_id", rid, "source_ip", r.RequestContext.HTTP.SourceIP)
		return apigw.Error(apierr.New(http.StatusForbidden, apierr.CodeForbidden, "API key not accepted"), rid)
	}
	var t Transfer
	if e := apigw.DecodeJSON(r, &t); e != nil {
		return apigw.Error(e, rid)
	}
	t.WorkOrderID = strings.TrimSpace(t.WorkOrderID)
	if !workOrderRe.MatchString(t.WorkOrderID) {
		return apigw.Error(fieldErr("work_order_id", "invalid", "1 to 64 letters, digits, dots, dashes or underscores"), rid)
	}
	due, err := calendar.ParseDate(strings.TrimSpace(t.DueDate))
	if err != nil {
		return apigw.Error(fieldErr("due_date", "invalid", "due_date must be YYYY-MM-DD"), rid)
	}
	if today := calendar.DateOf(h.Now()); due.After(today.AddDays(366)) {
		return apigw.Error(fieldErr("due_date", "invalid", "due_date is more than a year away"), rid)
	}
	sub := cases.Submission{Kind: t.Kind, Consumer: t.Contact, Anonymous: t.Anonymous, Business: t.Business,
		Facts: t.Content, Request: t.Request}
	sub.Normalize()
	if e := validate(&sub); e != nil {
		return apigw.Error(e, rid)
	}

	// A work order transferred before answers with its case, however old.
	fingerprint := fingerprint(t.WorkOrderID, due, sub)
	if ref, err := h.Chan.GetHotline(ctx, t.WorkOrderID); err == nil {
		if ref.RequestHash != fingerprint {
			return apigw.Error(conflict(), rid)
		}
		return h.repeat(ctx, r, ref.CaseID, t.WorkOrderID, "")
	} else if !errors.Is(err, chanstore.ErrNotFound) {
		apigw.LogError(h.Log, r, "read work order failed", err)
		return apigw.Error(apierr.Internal(), rid)
	}
	now := h.Now()
	clk, err := h.StartClock(now, due)
	if err != nil {
		if errors.Is(err, calendar.ErrNotCovered) {
			return apigw.Error(fieldErr("due_date", "invalid", "due_date is beyond the working-day calendar"), rid)
		}
		return apigw.Error(fieldErr("due_date", "invalid", "due_date must be after today (Beijing time)"), rid)
	}
	order := &cases.HotlineOrder{WorkOrderID: t.WorkOrderID, DueDate: due.String()}
	res, err := h.Intake.SubmitWith(ctx, sub, cases.ChannelHotline, "hotline12345/"+t.WorkOrderID,
		intake.Extras{Hotline: order, Clocks: []deadline.Clock{clk}})
	switch {
	case errors.Is(err, intake.ErrKeyReused):
		return apigw.Error(conflict(), rid)
	case err != nil:
		apigw.LogError(h.Log, r, "submit failed", err)
		return apigw.Error(apierr.Internal(), rid)
	}
	c := res.Case
	if _, err := h.Chan.PutHotline(ctx, t.WorkOrderID, chanstore.HotlineRef{CaseID: c.ID, At: c.ReceivedAt, RequestHash: fingerprint}); err != nil {
		apigw.LogError(h.Log, r, "record work order failed; a retry repairs it", err)
		return apigw.Error(apierr.Internal(), rid)
	}
	if res.Replayed {
		return h.repeat(ctx, r, c.ID, t.WorkOrderID, res.Receipt.TrackingCode)
	}
	h.Log.InfoContext(ctx, "work order transferred", "request_id", rid, "case_id", c.ID,
		"work_order_id", t.WorkOrderID, "due_date", due.String(), "queued", res.Queued)
	return apigw.JSON(http.StatusCreated, answer(c, t.WorkOrderID, res.Receipt.TrackingCode),
		"location", "/v1/complaints/"+c.ID)
}

func (h *Handler) repeat(ctx context.Context, r apigw.Request, id, order, code string) apigw.Response {
	c, err := h.Cases.Get(ctx, id)
	if err != nil {
		apigw.LogError(h.Log, r, "get transferred case failed", err)
		return apigw.Error(apierr.Internal(), r.RequestContext.RequestID)
	}
	h.Log.InfoContext(ctx, "work order repeated; first answer", "case_id", id, "work_order_id", order)
	return apigw.JSON(http.StatusOK, answer(c, order, code), "idempotent-replayed", "true", "location", "/v1/complaints/"+id)
}

func conflict() *apierr.Error {
	return apierr.New(http.StatusConflict, apierr.CodeConflict, "this work order was already transferred with different content")
}

// fingerprint identifies a transfer's content.
func fingerprint(order string, due calendar.Date, sub cases.Submission) string {
	b, _ := json.Marshal(struct {
		O string
		D string
		S cases.Submission
	}{order, due.String(), sub})
	return chanstore.Hash(string(b))
}

func answer(c *cases.Case, order, code string) Answer {
	a := Answer{CaseID: c.ID, WorkOrderID: order, TrackingCode: code, Status: c.State,
		StatusText: cases.StatusText(c.State), ReceivedAt: c.ReceivedAt, Clocks: []ClockInfo{}}
	for _, k := range c.Clocks {
		if k.StoppedAt == nil && k.Kind != deadline.Routing {
			a.Clocks = append(a.Clocks, ClockInfo{Kind: k.Kind, DueDate: k.DueDate.String()})
		}
	}
	return a
}

// validate applies the web form's format rules, but of the required
// fields only the content: 12345 records often lack the rest.
func validate(sub *cases.Submission) *apierr.Error {
	err := sub.Validate()
	var ve *cases.ValidationError
	if !errors.As(err, &ve) {
		return nil
	}
	var keep []cases.FieldError
	for _, f := range ve.Fields {
		if f.Code == "required" && f.Field != "facts" {
			continue
		}
		if f.Field == "facts" {
			f.Field = "content"
		}
		keep = append(keep, f)
	}
	if len(keep) == 0 {
		return nil
	}
	return apierr.Validation(&cases.ValidationError{Fields: keep})
}
