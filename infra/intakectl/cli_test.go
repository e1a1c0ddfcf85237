package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/open12315/intake/infra/emulators/testenv"
	"github.com/open12315/intake/infra/local/localtest"
	"github.com/open12315/intake/shared/auth"
	"github.com/open12315/intake/shared/cases"
	"github.com/open12315/intake/shared/dynamo"
	"github.com/open12315/intake/shared/lifecycle"
)

func TestMain(m *testing.M) { testenv.Main(m) }

func cli(t *testing.T, args ...string) (string, string, int) {
	t.Helper()
	var out, errb bytes.Buffer
	code := run(args, &out, &errb)
	return out.String(), errb.String(), code
}

func TestDue(t *testing.T) {
	tests := []struct {
		args []string
		want string
		code int
	}{
		{[]string{"due", "--received", "2025-01-24", "--working-days", "7"}, "2025-02-10\n", 0},
		{[]string{"due", "--received", "2024-02-08", "--working-days", "7"}, "2024-02-23\n", 0},
		{[]string{"due", "--received", "2025-04-25", "--working-days", "45", "--region", "632701"}, "2025-07-02\n", 0},
		{[]string{"due", "--received", "2025-02-30", "--working-days", "7"}, "", 1},
		{[]string{"due", "--working-days", "7"}, "", 1},
		{[]string{"due", "--received", "2025-01-24", "--working-days", "0"}, "", 1},
	}
	for _, tc := range tests {
		out, errOut, code := cli(t, tc.args...)
		if out != tc.want || code != tc.code {
			t.Errorf("%v: %q %q exit %d", tc.args, out, errOut, code)
		}
	}
}

func TestToken(t *testing.T) {
	root := localtest.RepoRoot(t)
	t.Chdir(root)
	t.Setenv("INTAKE_DEV_JWT_KEY", strings.Repeat("ab", 32))
	out, errOut, code := cli(t, "token", "--unit", "630102", "--role", "supervisor")
	if code != 0 {
		t.Fatalf("token: %s", errOut)
	}
	v := &auth.Verifier{Keys: map[string][]byte{"": bytes.Repeat([]byte{0xab}, 32)}, Issuer: "intake-local", Audience: "intake-staff"}
	c, err := v.Verify(strings.TrimSpace(out))
	if err != nil || c.Unit != "630102" || c.Role != auth.RoleSupervisor {
		t.Errorf("minted token: %+v %v", c, err)
	}
	for _, bad := range [][]string{
		{"token", "--unit", "110101"}, {"token", "--unit", "630102", "--role", "admin"}, {"token"},
	} {
		if _, _, code := cli(t, bad...); code == 0 {
			t.Errorf("%v accepted", bad)
		}
	}
}

func TestUnknownCommand(t *testing.T) {
	if _, errOut, code := cli(t, "frobnicate"); code != 2 || !strings.Contains(errOut, "unknown command") {
		t.Errorf("exit %d: %s", code, errOut)
	}
}

// TestODRAndCorrections manages the ODR registry and exports a staff
// correction of the classifier as a training example, against a real
// table.
func TestODRAndCorrections(t *testing.T) {
	s := localtest.Start(t, localtest.Options{})
	ep := testenv.Require(t)
	store := []string{"--table", s.TableName("CasesTable"), "--endpoint", ep.DynamoDB}

	file := filepath.Join(t.TempDir(), "odr.json")
	os.WriteFile(file, []byte(`[{"id":"odr-9","name":"青海某某商贸有限公司","aliases":["某某商贸"],"contact":"0971-1234567"}]`), 0o600)
	if out, errOut, code := cli(t, append(append([]string{"odr"}, store...), "add", file)...); code != 0 || !strings.Contains(out, "saved odr-9") {
		t.Fatalf("add: %s %s", out, errOut)
	}
	bad := filepath.Join(t.TempDir(), "bad.json")
	os.WriteFile(bad, []byte(`[{"id":"","name":""}]`), 0o600)
	if _, _, code := cli(t, append(append([]string{"odr"}, store...), "add", bad)...); code == 0 {
		t.Error("invalid enterprise accepted")
	}
	out, _, _ := cli(t, append(append([]string{"odr"}, store...), "list")...)
	if strings.Count(out, "\n") != 1 || !strings.Contains(out, "odr-9") {
		t.Errorf("list = %q", out)
	}
	if _, _, code := cli(t, append(append([]string{"odr"}, store...), "remove", "odr-9")...); code != 0 {
		t.Error("remove failed")
	}
	if _, _, code := cli(t, append(append([]string{"odr"}, store...), "remove", "odr-9")...); code == 0 {
		t.Error("removing a missing enterprise succeeded")
	}

	// A triage case corrected by a person.
	db, _ := testenv.Clients(t)
	st := dynamo.New(db, s.TableName("CasesTable"), 0)
	sub := cases.Submission{Kind: "", Consumer: cases.Person{Name: "钱七", Phone: "13800000001", Address: "西宁"},
		Business: cases.Business{Name: "某店", RegionCode: "630000"}, Facts: "东西不好，身份证号630102199001011235也被记下了", Request: "处理"}
	c, _, err := cases.New(sub, cases.ChannelWeb, time.Now(), nil)
	if err != nil {
		t.Fatal(err)
	}
	c.State = cases.StateTriage
	c.Unit = &cases.Unit{Code: "630000"}
	c.Classification = &cases.Classification{Type: cases.KindComplaint, Line: "quality", Confidence: 0.3, Model: "test"}
	if err := st.Create(t.Context(), c, cases.Event{CaseID: c.ID, Seq: 1, Type: "received"}, "", cases.Receipt{}); err != nil {
		t.Fatal(err)
	}
	next := *c
	evs := []cases.Event{{CaseID: c.ID, Seq: 2, At: time.Now(), Type: lifecycle.EventClassificationCorrected,
		Data: map[string]string{"previous_type": "complaint", "previous_line": "quality", "new_type": "complaint", "new_line": "food", "corrected_by": "staff:x"}}}
	next.Version = 2
	if err := st.Update(t.Context(), &next, evs...); err != nil {
		t.Fatal(err)
	}
	// A second one that a person referred to an agency (triage_refer).
	sub.Facts = "信用卡年费没开卡就收了，银行不退"
	r, _, err := cases.New(sub, cases.ChannelWeb, time.Now(), nil)
	if err != nil {
		t.Fatal(err)
	}
	r.State, r.Unit, r.Classification = cases.StateTriage, &cases.Unit{Code: "630000"}, &cases.Classification{Type: cases.KindComplaint, Line: "price", Confidence: 0.4, Model: "test"}
	if err := st.Create(t.Context(), r, cases.Event{CaseID: r.ID, Seq: 1, Type: "received"}, "", cases.Receipt{}); err != nil {
		t.Fatal(err)
	}
	nextR := *r
	nextR.Version, nextR.State = 2, cases.StateReferred
	if err := st.Update(t.Context(), &nextR, cases.Event{CaseID: r.ID, Seq: 2, At: time.Now(), Type: lifecycle.EventClassificationCorrected,
		Data: map[string]string{"previous_type": "complaint", "previous_line": "price", "new_type": "complaint", "new_line": "referral", "new_agency": "finance", "corrected_by": "staff:x"}}); err != nil {
		t.Fatal(err)
	}
	out, errOut, code := cli(t, append([]string{"corrections"}, store...)...)
	if code != 0 {
		t.Fatalf("corrections: %s", errOut)
	}
	type example struct {
		ID, Text, Type, Line, Agency string
	}
	got := map[string]example{}
	for _, l := range strings.Split(strings.TrimSpace(out), "\n") {
		var ex example
		if err := json.Unmarshal([]byte(l), &ex); err != nil {
			t.Fatalf("output %q: %v", out, err)
		}
		got[ex.ID] = ex
	}
	ex := got[c.ID]
	if len(got) != 2 || ex.Line != "food" || ex.Type != "complaint" || ex.Agency != "" || !strings.Contains(ex.Text, "东西不好") {
		t.Errorf("examples = %+v", got)
	}
	if rx := got[r.ID]; rx.Line != "referral" || rx.Agency != "finance" || !strings.Contains(rx.Text, "信用卡年费") {
		t.Errorf("referral example = %+v", rx)
	}
	if strings.Contains(ex.Text, "630102199001011235") {
		t.Error("exported text keeps an ID number")
	}
	if dynamo.EventCorrection != lifecycle.EventClassificationCorrected {
		t.Error("the store files corrections under a different event type than lifecycle records")
	}
}

// TestReport counts, through the listing indexes, only the cases received
// in the year inside the unit's jurisdiction.
func TestReport(t *testing.T) {
	s := localtest.Start(t, localtest.Options{})
	ep := testenv.Require(t)
	db, _ := testenv.Clients(t)
	st := dynamo.New(db, s.TableName("CasesTable"), 0)
	put := func(received time.Time, unit string, outcome *cases.Outcome, state cases.State) {
		c, _, err := cases.New(cases.Submission{Kind: cases.KindComplaint, Facts: "商品有质量问题"}, cases.ChannelWeb, received, nil)
		if err != nil {
			t.Fatal(err)
		}
		c.Unit, c.Outcome, c.State = &cases.Unit{Code: unit}, outcome, state
		if err := st.Create(t.Context(), c, cases.Event{CaseID: c.ID, Seq: 1, Type: "received"}, "", cases.Receipt{}); err != nil {
			t.Fatal(err)
		}
	}
	in2025 := time.Date(2025, 6, 1, 10, 0, 0, 0, cases.Shanghai)
	closed := &cases.Outcome{RecoveredFen: 12345, SevenDayReturn: true, ClosedAt: &in2025}
	put(in2025, "630102", closed, cases.StateClosed)
	put(in2025.AddDate(0, 3, 0), "630103", nil, cases.StatePendingAcceptance)
	put(time.Date(2025, 1, 1, 0, 30, 0, 0, cases.Shanghai), "630102", nil, cases.StateWithdrawn)   // 2024-12-31 16:30 UTC: still 2025 in China
	put(time.Date(2024, 12, 31, 23, 0, 0, 0, cases.Shanghai), "630102", closed, cases.StateClosed) // 2024
	put(in2025, "632801", closed, cases.StateClosed)                                               // another prefecture

	var r struct {
		Total          int
		Completed      int
		RecoveredYuan  string   `json:"recovered_yuan"`
		CompletionRate *float64 `json:"completion_rate"`
	}
	out, errOut, code := cli(t, "report", "--table", s.TableName("CasesTable"), "--endpoint", ep.DynamoDB, "--year", "2025", "--unit", "630100")
	if code != 0 {
		t.Fatalf("report: %s", errOut)
	}
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	if r.Total != 3 || r.Completed != 2 || r.RecoveredYuan != "123.45" {
		t.Errorf("西宁市 2025 = %+v\n%s", r, out)
	}
	out, _, _ = cli(t, "report", "--table", s.TableName("CasesTable"), "--endpoint", ep.DynamoDB, "--year", "2025")
	_ = json.Unmarshal([]byte(out), &r)
	if r.Total != 4 {
		t.Errorf("province 2025 total = %d, want 4", r.Total)
	}
	if _, _, code := cli(t, "report", "--unit", "110101"); code == 0 {
		t.Error("a unit outside Qinghai was accepted")
	}
}
