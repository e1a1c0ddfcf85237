package local_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/open12315/intake/infra/local/localtest"
	"github.com/open12315/intake/shared/cases"
	"github.com/open12315/intake/shared/routing"
)

type publicView struct {
	Status string
	Kind   string
	Line   string
	Unit   struct{ Code, Name string }
	Due    struct{ Kind string }
	Answer string
	Agency *struct{ Name, Contact string }
	ODR    *struct{ Name string }
}

// fileAndWait files a submission and waits until it leaves "received".
func fileAndWait(t *testing.T, s *localtest.Stack, body string) (receipt, publicView) {
	t.Helper()
	resp, b := do(t, "POST", s.URL+"/v1/complaints", "application/json", body)
	if resp.StatusCode != 201 {
		t.Fatalf("file: %d %s", resp.StatusCode, b)
	}
	var r receipt
	_ = json.Unmarshal(b, &r)
	deadline := time.Now().Add(20 * time.Second)
	for {
		_, b := do(t, "GET", s.URL+"/v1/complaints/"+r.ID, "", "", "X-Tracking-Code", r.TrackingCode)
		var v publicView
		_ = json.Unmarshal(b, &v)
		if v.Status != "received" {
			return r, v
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s never routed", r.ID)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

func submissionJSON(kind, name, address, region, facts, request string) string {
	b, _ := json.Marshal(map[string]any{
		"kind":     kind,
		"consumer": map[string]string{"name": "赵六", "phone": "13709712345", "address": "西宁市城北区柴达木路5号"},
		"business": map[string]string{"name": name, "address": address, "region_code": region},
		"facts":    facts, "request": request,
	})
	return string(b)
}

func TestRoutingThroughThePipeline(t *testing.T) {
	s := localtest.Start(t, localtest.Options{})
	st, _, _ := parts(t, s)
	ctx := context.Background()
	if err := st.PutODREnterprise(ctx, routing.Enterprise{
		ID: "odr-001", Name: "青海某某电器连锁有限公司", Aliases: []string{"某某电器"}, Contact: "0971-6000000",
	}); err != nil {
		t.Fatal(err)
	}

	t.Run("county by old name in the address", func(t *testing.T) {
		_, v := fileAndWait(t, s, submissionJSON("complaint", "鲁沙尔镇某餐馆", "湟中县鲁沙尔镇金塔路12号", "",
			"在该餐馆吃饭后全家腹泻，怀疑食材变质，商家拒绝承担责任。", "赔偿医药费"))
		if v.Status != "pending_acceptance" || v.Unit.Code != "630106" || v.Due.Kind != "acceptance" {
			t.Errorf("view = %+v, want 湟中区 630106 pending acceptance", v)
		}
		if v.Line != "food" {
			t.Errorf("line = %q, want food", v.Line)
		}
	})
	t.Run("ODR enterprise first", func(t *testing.T) {
		_, v := fileAndWait(t, s, submissionJSON("complaint", "某某电器", "西宁市城西区五四西路20号", "630104",
			"在某某电器买的冰箱不制冷，多次报修无人上门。", "更换冰箱"))
		if v.Status != "odr_negotiating" || v.ODR == nil || !strings.Contains(v.ODR.Name, "电器") || v.Due.Kind != "odr" {
			t.Errorf("view = %+v, want ODR negotiation", v)
		}
		if v.Unit.Code != "630104" {
			t.Errorf("fallback unit = %s, want 630104 (takes it back if ODR fails)", v.Unit.Code)
		}
	})
	t.Run("consumer declines ODR", func(t *testing.T) {
		body := strings.Replace(submissionJSON("complaint", "某某电器", "西宁市城西区五四西路20号", "630104",
			"在某某电器买的冰箱不制冷，多次报修无人上门。", "更换冰箱"), `"kind":"complaint"`, `"kind":"complaint","odr_opt_out":true`, 1)
		_, v := fileAndWait(t, s, body)
		if v.Status != "pending_acceptance" || v.ODR != nil {
			t.Errorf("view = %+v, want the regulator", v)
		}
	})
	t.Run("referral names the agency", func(t *testing.T) {
		_, v := fileAndWait(t, s, submissionJSON("", "某银行西宁分行", "西宁市城中区西大街1号", "630103",
			"银行信用卡乱收年费，客服不给退还，还多次催收骚扰。", "退还年费"))
		if v.Status != "referred" || v.Agency == nil || v.Answer == "" || !strings.Contains(v.Answer, v.Agency.Contact) {
			t.Errorf("view = %+v, want a referral with the agency's contact", v)
		}
	})
	t.Run("nothing to go on goes to triage", func(t *testing.T) {
		r, v := fileAndWait(t, s, submissionJSON("", "某店", "", "630000", "东西不好，很生气！！！", "处理"))
		if v.Status != "triage" || v.Unit.Code != "630000" {
			t.Errorf("view = %+v, want triage at the province", v)
		}
		c, err := st.Get(ctx, r.ID)
		if err != nil {
			t.Fatal(err)
		}
		if c.Routing == nil || c.Routing.Target != cases.TargetTriage || len(c.Routing.Evidence) == 0 {
			t.Errorf("routing = %+v", c.Routing)
		}
	})
	t.Run("complaint that also reports is split", func(t *testing.T) {
		r, v := fileAndWait(t, s, submissionJSON("", "格尔木某超市", "格尔木市昆仑路8号", "632801",
			"在超市买的白酒是假冒的，要求退货赔偿；同时举报该超市销售假冒伪劣商品、无证经营。", "退货并赔偿"))
		if v.Status != "pending_acceptance" && v.Status != "verifying" {
			t.Errorf("first half: %+v", v)
		}
		c, err := st.Get(ctx, r.ID)
		if err != nil {
			t.Fatal(err)
		}
		if c.Routing == nil || c.Routing.Linked == "" {
			t.Fatalf("no linked report: %+v", c.Routing)
		}
		deadline := time.Now().Add(10 * time.Second)
		for {
			other, err := st.Get(ctx, c.Routing.Linked)
			if err == nil && other.State != cases.StateReceived {
				kinds := map[cases.State]bool{c.State: true, other.State: true}
				if !kinds[cases.StateVerifying] || !kinds[cases.StatePendingAcceptance] || other.Unit == nil || other.Unit.Code != "632801" {
					t.Errorf("halves: %s and %s (unit %+v), want one complaint and one report at 632801", c.State, other.State, other.Unit)
				}
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("report half not routed: %v", err)
			}
			time.Sleep(100 * time.Millisecond)
		}
		// The one tracking code opens both.
		if resp, _ := do(t, "GET", s.URL+"/v1/complaints/"+c.Routing.Linked, "", "", "X-Tracking-Code", r.TrackingCode); resp.StatusCode != 200 {
			t.Errorf("tracking code does not open the report half: %d", resp.StatusCode)
		}
	})
}
