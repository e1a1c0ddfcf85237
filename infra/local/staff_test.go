package local_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/open12315/intake/infra/local/localtest"
	"github.com/open12315/intake/shared/auth"
)

// staffClient calls the staff API as one staff member.
type staffClient struct {
	t     *testing.T
	s     *localtest.Stack
	token string
}

func staffAs(t *testing.T, s *localtest.Stack, unit string, role auth.Role) *staffClient {
	return &staffClient{t: t, s: s, token: s.Token(t, unit, role)}
}

func (c *staffClient) get(path string, out any) int {
	c.t.Helper()
	resp, b := do(c.t, "GET", c.s.URL+path, "", "", "Authorization", "Bearer "+c.token)
	if out != nil && resp.StatusCode == 200 {
		if err := json.Unmarshal(b, out); err != nil {
			c.t.Fatalf("GET %s: %v\n%s", path, err, b)
		}
	}
	return resp.StatusCode
}

type actionAnswer struct {
	Status  int
	Version int64
	State   string
	Allowed []string
	Code    string
	Fields  []string
}

func (c *staffClient) act(id, action string, version int64, fields map[string]any) actionAnswer {
	c.t.Helper()
	body, _ := json.Marshal(map[string]any{"version": version, "fields": fields})
	resp, b := do(c.t, "POST", c.s.URL+"/v1/staff/cases/"+id+"/actions/"+action, "application/json", string(body),
		"Authorization", "Bearer "+c.token)
	a := actionAnswer{Status: resp.StatusCode}
	if resp.StatusCode == 200 {
		var r struct {
			Version        int64
			State          string
			AllowedActions []string `json:"allowed_actions"`
		}
		_ = json.Unmarshal(b, &r)
		a.Version, a.State, a.Allowed = r.Version, r.State, r.AllowedActions
		return a
	}
	var e struct {
		Error struct {
			Code    string
			Allowed []string `json:"allowed_actions"`
			Fields  []struct{ Field string }
		}
	}
	_ = json.Unmarshal(b, &e)
	a.Code, a.Allowed = e.Error.Code, e.Error.Allowed
	for _, f := range e.Error.Fields {
		a.Fields = append(a.Fields, f.Field)
	}
	return a
}

type detailView struct {
	Case struct {
		ID       string
		Version  int64
		State    string
		Consumer struct{ Name, Phone string }
		Clocks   []struct {
			Kind        string
			DueDate     string     `json:"due_date"`
			StoppedAt   *time.Time `json:"stopped_at"`
			Met         *bool
			Extensions  []struct{ Approver string }
			Pauses      []struct{ Reason string }
			Derivation  []string
			WorkingDays int `json:"working_days"`
		}
		Outcome *struct {
			RecoveredFen   int64 `json:"recovered_fen"`
			SevenDayReturn *bool `json:"seven_day_return"`
		}
	}
	Events []struct {
		Type, Actor string
		From, To    string
	}
	AllowedActions []string `json:"allowed_actions"`
	Masked         bool
}

// fileRouted files a submission over HTTP, waits until it is routed and
// returns its id.
func fileRouted(t *testing.T, s *localtest.Stack, body string) string {
	t.Helper()
	r, _ := fileAndWait(t, s, body)
	return r.ID
}

const goodReport = `{"kind":"report",
 "consumer":{"name":"李四","phone":"13912345678"},
 "business":{"name":"格尔木某加油站","address":"格尔木市昆仑路8号","region_code":"632801"},
 "facts":"该加油站加油机计量不准，加40升只有36升，存在缺斤少两违法行为。"}`

// TestComplaintWholeLife walks a complaint from filing to closing over
// HTTP: accepted, its mediation clock paused for testing and resumed,
// mediation ends in agreement, closed with the money recovered.
func TestComplaintWholeLife(t *testing.T) {
	s := localtest.Start(t, localtest.Options{})
	id := fileRouted(t, s, goodComplaint)
	h := staffAs(t, s, "630102", auth.RoleHandler)

	var list struct {
		Cases []struct {
			ID       string
			State    string
			Consumer struct{ Name, Phone string }
		}
	}
	if st := h.get("/v1/staff/cases", &list); st != 200 || len(list.Cases) != 1 {
		t.Fatalf("list: %d %+v", st, list)
	}
	if got := list.Cases[0].Consumer; got.Phone != "138****8000" || got.Name != "张*" {
		t.Errorf("list shows %+v, want masked", got)
	}

	var d detailView
	if st := h.get("/v1/staff/cases/"+id, &d); st != 200 {
		t.Fatalf("detail: %d", st)
	}
	if d.Masked || d.Case.Consumer.Phone != "13800138000" {
		t.Errorf("handler detail should be full: %+v", d.Case.Consumer)
	}
	v := d.Case.Version
	steps := []struct {
		action string
		fields map[string]any
		state  string
	}{
		{"accept", nil, "mediating"},
		{"pause_clock", map[string]any{"reason": "testing"}, "mediating"},
		{"resume_clock", nil, "mediating"},
		{"end_mediation", map[string]any{"result": "agreement"}, "mediation_ended"},
		{"close", map[string]any{"recovered_yuan": "120.50", "seven_day_return": true, "mediation_result": "agreement"}, "closed"},
	}
	for _, st := range steps {
		a := h.act(id, st.action, v, st.fields)
		if a.Status != 200 || a.State != st.state || a.Version != v+1 {
			t.Fatalf("%s: %+v", st.action, a)
		}
		v = a.Version
	}
	d = detailView{}
	h.get("/v1/staff/cases/"+id, &d)
	if d.Case.State != "closed" || d.Case.Outcome == nil || d.Case.Outcome.RecoveredFen != 12050 ||
		d.Case.Outcome.SevenDayReturn == nil || !*d.Case.Outcome.SevenDayReturn {
		t.Errorf("closed case: %+v outcome %+v", d.Case.State, d.Case.Outcome)
	}
	met := map[string]bool{}
	for _, k := range d.Case.Clocks {
		if k.StoppedAt == nil || k.Met == nil {
			t.Errorf("clock %s still open or without an on-time flag", k.Kind)
			continue
		}
		met[k.Kind] = *k.Met
		if len(k.Derivation) == 0 {
			t.Errorf("clock %s has no derivation", k.Kind)
		}
	}
	if !met["acceptance"] || !met["mediation"] {
		t.Errorf("clocks met = %v, want acceptance and mediation on time", met)
	}
	types := map[string]int{}
	for _, e := range d.Events {
		types[e.Type]++
	}
	for _, want := range []string{"received", "routed", "accept", "pause_clock", "resume_clock", "end_mediation", "close", "pii_viewed"} {
		if types[want] == 0 {
			t.Errorf("timeline lacks %s: %v", want, types)
		}
	}
	if types["pii_viewed"] != 2 {
		t.Errorf("pii_viewed = %d, want one per full view", types["pii_viewed"])
	}
	// Nothing more can happen to a closed complaint.
	if a := h.act(id, "accept", v, nil); a.Status != 409 || a.Code != "illegal_transition" {
		t.Errorf("accept on closed: %+v", a)
	}
}

// TestReportWithExtension: only a supervisor extends verification, once.
func TestReportWithExtension(t *testing.T) {
	s := localtest.Start(t, localtest.Options{})
	id := fileRouted(t, s, goodReport)
	h := staffAs(t, s, "632801", auth.RoleHandler)
	sup := staffAs(t, s, "632800", auth.RoleSupervisor) // the prefecture's supervisor
	var d detailView
	if st := h.get("/v1/staff/cases/"+id, &d); st != 200 || d.Case.State != "verifying" {
		t.Fatalf("report: %d %s", st, d.Case.State)
	}
	before := d.Case.Clocks[0].DueDate
	ext := map[string]any{"reason": "需要第三方检定加油机", "days": 15}
	if a := h.act(id, "extend_verification", d.Case.Version, ext); a.Status != 403 {
		t.Errorf("handler extension: %+v, want 403", a)
	}
	a := sup.act(id, "extend_verification", d.Case.Version, ext)
	if a.Status != 200 {
		t.Fatalf("supervisor extension: %+v", a)
	}
	if b := sup.act(id, "extend_verification", a.Version, ext); b.Status != 409 {
		t.Errorf("second extension: %+v, want 409", b)
	}
	d = detailView{}
	h.get("/v1/staff/cases/"+id, &d)
	k := d.Case.Clocks[0]
	if k.DueDate <= before || len(k.Extensions) != 1 || !strings.Contains(k.Extensions[0].Approver, "632800") {
		t.Errorf("clock after extension: due %s (was %s), extensions %+v", k.DueDate, before, k.Extensions)
	}
	if a := h.act(id, "file_case", d.Case.Version, nil); a.Status != 200 || a.State != "case_filed" {
		t.Fatalf("file_case: %+v", a)
	}
}

// TestODRReturnsToRegulator: a complaint sent to an ODR enterprise that
// does not settle comes back to the regulator when the consumer asks.
func TestODRReturnsToRegulator(t *testing.T) {
	s := localtest.Start(t, localtest.Options{})
	id := fileRouted(t, s, goodComplaint)
	h := staffAs(t, s, "630102", auth.RoleHandler)
	var d detailView
	h.get("/v1/staff/cases/"+id, &d)
	v := d.Case.Version
	for _, st := range []struct {
		action string
		fields map[string]any
		state  string
	}{
		{"send_to_odr", map[string]any{"enterprise": "西宁某某超市有限公司"}, "odr_negotiating"},
		{"odr_unsettled", nil, "odr_unsettled"},
		{"odr_unsettled_return", nil, "pending_acceptance"},
		{"accept", nil, "mediating"},
	} {
		a := h.act(id, st.action, v, st.fields)
		if a.Status != 200 || a.State != st.state {
			t.Fatalf("%s: %+v", st.action, a)
		}
		v = a.Version
	}
	d = detailView{}
	h.get("/v1/staff/cases/"+id, &d)
	kinds := []string{}
	for _, k := range d.Case.Clocks {
		kinds = append(kinds, k.Kind)
	}
	if strings.Join(kinds, ",") != "acceptance,odr,acceptance,mediation" {
		t.Errorf("clocks = %v", kinds)
	}
}

// TestConcurrentStaffActions: two staff act on the same version at once;
// exactly one wins and the other is told the case changed.
func TestConcurrentStaffActions(t *testing.T) {
	s := localtest.Start(t, localtest.Options{})
	id := fileRouted(t, s, goodComplaint)
	a := staffAs(t, s, "630102", auth.RoleHandler)
	b := staffAs(t, s, "630100", auth.RoleSupervisor)
	var d detailView
	a.get("/v1/staff/cases/"+id, &d)
	var wg sync.WaitGroup
	answers := make([]actionAnswer, 2)
	wg.Add(2)
	go func() {
		defer wg.Done()
		answers[0] = a.act(id, "accept", d.Case.Version, nil)
	}()
	go func() {
		defer wg.Done()
		answers[1] = b.act(id, "reject", d.Case.Version, map[string]any{"ground": "15-3"})
	}()
	wg.Wait()
	wins, stale := 0, 0
	for _, x := range answers {
		switch {
		case x.Status == 200:
			wins++
		case x.Status == 409 && (x.Code == "stale_version" || x.Code == "illegal_transition"):
			stale++
		}
	}
	if wins != 1 || stale != 1 {
		t.Fatalf("answers = %+v, want one success and one conflict", answers)
	}
	d = detailView{}
	a.get("/v1/staff/cases/"+id, &d)
	n := 0
	for _, e := range d.Events {
		if e.Type == "accept" || e.Type == "reject" {
			n++
		}
	}
	if n != 1 || d.Case.Version != 3 {
		t.Errorf("%d decisions stored, version %d: a write was lost or doubled", n, d.Case.Version)
	}
}

// TestJurisdictionAndBadInput: neighbours see nothing; every bad request
// gets its 4xx and changes nothing.
func TestJurisdictionAndBadInput(t *testing.T) {
	s := localtest.Start(t, localtest.Options{})
	id := fileRouted(t, s, goodComplaint) // 630102 城东区, 西宁市
	own := staffAs(t, s, "630102", auth.RoleHandler)
	neighbour := staffAs(t, s, "630103", auth.RoleHandler) // 城中区
	otherPref := staffAs(t, s, "632800", auth.RoleSupervisor)
	prefecture := staffAs(t, s, "630100", auth.RoleViewer)
	province := staffAs(t, s, "630000", auth.RoleViewer)

	for name, c := range map[string]*staffClient{"neighbour": neighbour, "other prefecture": otherPref} {
		if st := c.get("/v1/staff/cases/"+id, nil); st != 404 {
			t.Errorf("%s detail: %d, want 404", name, st)
		}
		var list struct{ Cases []any }
		if c.get("/v1/staff/cases", &list); len(list.Cases) != 0 {
			t.Errorf("%s lists %d cases", name, len(list.Cases))
		}
		if a := c.act(id, "accept", 2, nil); a.Status != 404 {
			t.Errorf("%s acts: %+v", name, a)
		}
	}
	for name, c := range map[string]*staffClient{"prefecture": prefecture, "province": province} {
		var list struct{ Cases []struct{ ID string } }
		if c.get("/v1/staff/cases", &list); len(list.Cases) != 1 || list.Cases[0].ID != id {
			t.Errorf("%s list = %+v", name, list)
		}
		var d detailView
		if st := c.get("/v1/staff/cases/"+id, &d); st != 200 || !d.Masked || d.Case.Consumer.Phone == "13800138000" {
			t.Errorf("%s viewer detail must be masked: %d %+v", name, st, d.Case.Consumer)
		}
		if a := c.act(id, "accept", d.Case.Version, nil); a.Status != 403 {
			t.Errorf("%s viewer acts: %+v", name, a)
		}
	}

	var d detailView
	own.get("/v1/staff/cases/"+id, &d)
	v := d.Case.Version
	tests := []struct {
		name, action string
		version      int64
		fields       map[string]any
		status       int
		code, field  string
	}{
		{"unknown action", "approve_everything", v, nil, 404, "unknown_action", ""},
		{"missing ground", "reject", v, nil, 422, "validation_failed", "ground"},
		{"unknown ground", "reject", v, map[string]any{"ground": "99-9"}, 422, "validation_failed", "ground"},
		{"wrong state", "close", v, map[string]any{"recovered_yuan": "1", "seven_day_return": false}, 409, "illegal_transition", ""},
		{"stale version", "accept", v - 1, nil, 409, "stale_version", ""},
		{"unknown field", "accept", v, map[string]any{"bribe": 1}, 422, "validation_failed", "bribe"},
	}
	for _, tc := range tests {
		a := own.act(id, tc.action, tc.version, tc.fields)
		if a.Status != tc.status || a.Code != tc.code {
			t.Errorf("%s: %+v, want %d %s", tc.name, a, tc.status, tc.code)
		}
		if tc.field != "" && !strings.Contains(strings.Join(a.Fields, ","), tc.field) {
			t.Errorf("%s: fields %v lack %s", tc.name, a.Fields, tc.field)
		}
		if tc.code == "illegal_transition" && len(a.Allowed) == 0 {
			t.Errorf("%s: no allowed actions listed", tc.name)
		}
	}
	// Money must be a non-negative amount.
	own.act(id, "accept", v, nil)
	own.act(id, "end_mediation", v+1, map[string]any{"result": "agreement"})
	for _, bad := range []any{"-5", -5, "lots", true} {
		a := own.act(id, "close", v+2, map[string]any{"recovered_yuan": bad, "seven_day_return": false})
		if a.Status != 422 || !strings.Contains(strings.Join(a.Fields, ","), "recovered_yuan") {
			t.Errorf("recovered_yuan %v: %+v", bad, a)
		}
	}
	// Tokens: missing, forged, expired.
	for name, hdr := range map[string]string{
		"missing": "",
		"forged":  "Bearer " + forge(own.token),
		"garbage": "Bearer not.a.token",
	} {
		resp, _ := do(t, "GET", s.URL+"/v1/staff/cases", "", "", "Authorization", hdr)
		if resp.StatusCode != http.StatusUnauthorized {
			t.Errorf("%s token: %d", name, resp.StatusCode)
		}
	}
	// The case is as the valid actions left it.
	own.get("/v1/staff/cases/"+id, &d)
	if d.Case.State != "mediation_ended" || d.Case.Version != v+2 {
		t.Errorf("case after bad requests: %s v%d", d.Case.State, d.Case.Version)
	}
}

// forge flips the last signature character.
func forge(tok string) string {
	b := []byte(tok)
	if b[len(b)-1] == 'A' {
		b[len(b)-1] = 'B'
	} else {
		b[len(b)-1] = 'A'
	}
	return string(b)
}

func TestExpiredToken(t *testing.T) {
	s := localtest.Start(t, localtest.Options{})
	tok := s.ExpiredToken(t, "630102", auth.RoleHandler)
	resp, _ := do(t, "GET", s.URL+"/v1/staff/cases", "", "", "Authorization", "Bearer "+tok)
	if resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("expired token: %d", resp.StatusCode)
	}
}

func TestStaffListFiltersAndPages(t *testing.T) {
	s := localtest.Start(t, localtest.Options{})
	a := fileRouted(t, s, goodComplaint)
	b := fileRouted(t, s, goodComplaint)
	fileRouted(t, s, goodReport) // 格尔木, another prefecture
	province := staffAs(t, s, "630000", auth.RoleViewer)
	xining := staffAs(t, s, "630100", auth.RoleViewer)

	type page struct {
		Cases []struct {
			ID, Kind, State string
			Due             *struct {
				DueDate string `json:"due_date"`
			}
		}
		NextCursor string `json:"next_cursor"`
	}
	var p page
	if st := province.get("/v1/staff/cases", &p); st != 200 || len(p.Cases) != 3 {
		t.Fatalf("province sees %d cases (%d)", len(p.Cases), st)
	}
	if p.Cases[0].Due == nil || p.Cases[0].Due.DueDate == "" {
		t.Errorf("listing lacks the due date: %+v", p.Cases[0])
	}
	p = page{}
	if xining.get("/v1/staff/cases", &p); len(p.Cases) != 2 {
		t.Errorf("西宁市 sees %d cases, want its 2", len(p.Cases))
	}
	p = page{}
	if province.get("/v1/staff/cases?kind=report", &p); len(p.Cases) != 1 || p.Cases[0].Kind != "report" {
		t.Errorf("kind=report: %+v", p.Cases)
	}
	p = page{}
	if province.get("/v1/staff/cases?state=verifying&overdue=false", &p); len(p.Cases) != 1 {
		t.Errorf("state filter: %+v", p.Cases)
	}
	p = page{}
	if province.get("/v1/staff/cases?overdue=true", &p); len(p.Cases) != 0 {
		t.Errorf("overdue=true: %+v", p.Cases)
	}
	p = page{}
	if province.get("/v1/staff/cases?due_before=2099-01-01&channel=web", &p); len(p.Cases) != 3 {
		t.Errorf("due_before far ahead: %d cases", len(p.Cases))
	}
	p = page{}
	if province.get("/v1/staff/cases?due_before=2000-01-01", &p); len(p.Cases) != 0 {
		t.Errorf("due_before long ago: %d cases", len(p.Cases))
	}
	// Page through 西宁市 one case at a time: newest first, each once.
	seen := map[string]bool{}
	cursor := ""
	for i := 0; i < 5; i++ {
		p = page{}
		path := "/v1/staff/cases?limit=1"
		if cursor != "" {
			path += "&cursor=" + cursor
		}
		if st := xining.get(path, &p); st != 200 {
			t.Fatalf("page %d: %d", i, st)
		}
		for _, c := range p.Cases {
			if seen[c.ID] {
				t.Errorf("%s on two pages", c.ID)
			}
			seen[c.ID] = true
		}
		if p.NextCursor == "" {
			break
		}
		cursor = p.NextCursor
	}
	if !seen[a] || !seen[b] || len(seen) != 2 {
		t.Errorf("paging saw %v", seen)
	}
	for _, bad := range []string{"?overdue=maybe", "?kind=praise", "?due_before=tomorrow", "?limit=1000", "?cursor=!!!"} {
		if st := province.get("/v1/staff/cases"+bad, nil); st != 422 {
			t.Errorf("%s: %d, want 422", bad, st)
		}
	}
}
