package routing

import (
	"bytes"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/open12315/intake/shared/classify"
)

func result(typ, line string) classify.Result {
	return classify.Result{
		Type: classify.Field{Label: typ, Confidence: 0.9},
		Line: classify.Field{Label: line, Confidence: 0.9},
	}
}

// withRegion sets the region a classification found and where it found it.
func withRegion(r classify.Result, code, source string) classify.Result {
	r.Region, r.RegionSource = code, source
	return r
}

func testRegistry(t *testing.T) *Registry {
	t.Helper()
	reg, err := NewRegistry(
		Enterprise{ID: "odr-1", Name: "青海某某商贸有限公司", CreditCode: "91630100MA752XYA0K", Aliases: []string{"某某超市"}, Contact: "0971-0000000"},
		Enterprise{ID: "odr-2", Name: "西宁示例电器有限公司", Aliases: []string{"示例电器城"}, Platform: "某平台"},
	)
	if err != nil {
		t.Fatal(err)
	}
	return reg
}

func TestJurisdiction(t *testing.T) {
	rt := New(testRegistry(t))
	before := time.Date(2025, 6, 1, 10, 0, 0, 0, time.UTC)
	after := time.Date(2026, 5, 1, 10, 0, 0, 0, time.UTC)
	tests := []struct {
		name     string
		c        Case
		cl       classify.Result
		target   Target
		unit     string
		ruleHint string
	}{
		{"complaint: operating place from code", Case{Business: Business{Name: "甲饭店", Region: "630103"}}, result("complaint", "food"), Regulator, "630103", "Art. 12(1)"},
		{"complaint: address with old county name", Case{Business: Business{Name: "乙商店", Address: "湟中县鲁沙尔镇金塔路1号"}}, result("complaint", "food"), Regulator, "630106", "Art. 12(1)"},
		{"complaint: legacy region code", Case{Business: Business{Name: "乙商店", Region: "632321"}}, result("complaint", "price"), Regulator, "632301", "Art. 12(1)"},
		{"complaint: domicile when no operating place", Case{Business: Business{Name: "丙公司", DomicileRegion: "632801"}}, result("complaint", "quality"), Regulator, "632801", "Art. 12(1)"},
		{"complaint: region from text", Case{}, func() classify.Result {
			r := result("complaint", "food")
			r.Region, r.RegionSource = "632802", "text"
			return r
		}(), Regulator, "632802", "Art. 12(1)"},
		{"platform operator → domicile", Case{Business: Business{Name: "某平台", PlatformOperator: true, Region: "630102", DomicileRegion: "630104"}}, result("complaint", "online"), Regulator, "630104", "Art. 12(2)"},
		{"platform merchant → operating place", Case{Business: Business{Name: "丁网店", PlatformMerchant: true, Region: "630202", PlatformRegion: "630104"}}, result("complaint", "online"), Regulator, "630202", "platform merchant"},
		{"platform merchant → consumer chose platform", Case{PreferPlatform: true, Business: Business{Name: "丁网店", PlatformMerchant: true, Region: "630202", PlatformRegion: "630104"}}, result("complaint", "online"), Regulator, "630104", "platform merchant"},
		{"platform merchant, no address, order 20", Case{ReceivedAt: before, Business: Business{Name: "戊网店", PlatformMerchant: true, PlatformRegion: "630105"}}, result("complaint", "online"), Regulator, "630105", "Art. 12(2)"},
		{"platform merchant, hidden address, order 121", Case{ReceivedAt: after, Business: Business{Name: "戊网店", PlatformMerchant: true, AddressUnknown: true, Region: "630202", PlatformRegion: "630105"}}, result("complaint", "online"), Regulator, "630105", "Order 121"},
		{"report: conduct place", Case{ConductRegion: "632523", Business: Business{Name: "己厂", DomicileRegion: "630102"}}, result("report", "food"), Regulator, "632523", "Art. 25"},
		{"report: platform operator", Case{Business: Business{Name: "某平台", PlatformOperator: true, DomicileRegion: "630104"}}, result("report", "online"), Regulator, "630104", "Art. 27(1)"},
		{"report: platform merchant", Case{Business: Business{Name: "庚网店", PlatformMerchant: true, Region: "632801", PlatformRegion: "630104"}}, result("report", "online"), Regulator, "632801", "Art. 27(2)"},
		{"prefecture only", Case{Business: Business{Address: "海西州某地"}}, result("complaint", "food"), Regulator, "632800", "Art. 12(1)"},
		{"address: a street other cities share, after the county named", Case{Business: Business{Address: "德令哈 长江路 某某干洗店"}}, result("complaint", "contract_service"), Regulator, "632802", "Art. 12(1)"},
		{"address that looks like a home: the classifier's place from the text stands", Case{Text: "去玉树旅游的时候在一家特产店买的牦牛肉干", Business: Business{Address: "西宁市城东区八一路某小区"}}, withRegion(result("complaint", "food"), "632701", "text"), Regulator, "632701", "Art. 12(1)"},
		{"address the classifier read", Case{Business: Business{Address: "德令哈 长江路 某某干洗店"}}, withRegion(result("complaint", "contract_service"), "632802", "business_address"), Regulator, "632802", "Art. 12(1)"},
		{"inquiry without region", Case{}, result("inquiry", "food"), Regulator, "630000", "Art. 39"},
		{"no region → triage", Case{Business: Business{Name: "辛店", Address: "广州市天河区"}}, result("complaint", "food"), Triage, "", "Art. 12(1)"},
		{"invalid code, no other → triage", Case{Business: Business{Name: "辛店", Region: "999999"}}, result("complaint", "food"), Triage, "", "Art. 12(1)"},
		{"province only → triage", Case{Business: Business{Address: "青海省"}}, result("complaint", "food"), Triage, "", ""},
		{"ambiguous text region → triage", Case{}, func() classify.Result {
			r := result("complaint", "food")
			r.Region, r.RegionSource, r.RegionAmbiguous = "630102", "text", true
			return r
		}(), Triage, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := rt.Route(tt.c, tt.cl)
			if d.Target != tt.target || d.UnitCode != tt.unit {
				t.Fatalf("got %s %s (%s; %v), want %s %s", d.Target, d.UnitCode, d.Rule, d.Evidence, tt.target, tt.unit)
			}
			if !strings.Contains(d.Rule, tt.ruleHint) {
				t.Errorf("rule %q does not mention %q", d.Rule, tt.ruleHint)
			}
			if d.Target == Regulator && !strings.HasSuffix(d.UnitName, "市场监督管理局") {
				t.Errorf("unit name %q", d.UnitName)
			}
		})
	}
}

func TestUnitNames(t *testing.T) {
	rt := New(nil)
	d := rt.Route(Case{Business: Business{Address: "西宁市城东区东关大街"}}, result("complaint", "food"))
	if d.UnitName != "西宁市城东区市场监督管理局" {
		t.Errorf("unit name %q", d.UnitName)
	}
}

func TestODRFirst(t *testing.T) {
	rt := New(testRegistry(t))
	tests := []struct {
		name   string
		c      Case
		typ    string
		target Target
		odr    string
	}{
		{"by name", Case{Business: Business{Name: "青海某某商贸有限公司", Region: "630102"}}, "complaint", ODR, "odr-1"},
		{"by alias", Case{Business: Business{Name: "某某超市", Region: "630102"}}, "complaint", ODR, "odr-1"},
		{"by credit code", Case{Business: Business{Name: "别的名字", CreditCode: "91630100ma752xya0k"}}, "complaint", ODR, "odr-1"},
		{"alias inside name", Case{Business: Business{Name: "示例电器城(城西店)", Region: "630104"}}, "complaint", ODR, "odr-2"},
		{"consumer opted out", Case{ODROptOut: true, Business: Business{Name: "某某超市", Region: "630102"}}, "complaint", Regulator, ""},
		{"reports do not go to ODR", Case{Business: Business{Name: "某某超市", Region: "630102"}}, "report", Regulator, ""},
		{"not registered", Case{Business: Business{Name: "别家超市", Region: "630102"}}, "complaint", Regulator, ""},
	}
	for _, tt := range tests {
		d := rt.Route(tt.c, result(tt.typ, "food"))
		got := ""
		if d.ODR != nil {
			got = d.ODR.ID
		}
		if d.Target != tt.target || got != tt.odr {
			t.Errorf("%s: got %s %s, want %s %s (%v)", tt.name, d.Target, got, tt.target, tt.odr, d.Evidence)
		}
		if d.Target == ODR && d.ClockWorkingDays != ODRWorkingDays {
			t.Errorf("%s: clock %d", tt.name, d.ClockWorkingDays)
		}
	}
}

func TestReferral(t *testing.T) {
	rt := New(nil)
	cl := result("complaint", "referral")
	cl.Agency = &classify.Agency{Code: "telecom", Name: "工业和信息化部电信用户申诉受理中心", Contact: "12381"}
	d := rt.Route(Case{Business: Business{Name: "某运营商营业厅", Region: "630102"}}, cl)
	if d.Target != Referral || d.Agency == nil || d.Agency.Code != "telecom" {
		t.Fatalf("got %+v", d)
	}
	if !strings.Contains(d.Answer, "12381") || !strings.Contains(d.Answer, "电信用户申诉") {
		t.Errorf("answer %q does not name the agency and how to reach it", d.Answer)
	}
	// Without an agency from the classifier the consumer still gets one.
	d = rt.Route(Case{}, result("complaint", "referral"))
	if d.Agency == nil || !strings.Contains(d.Answer, "12345") {
		t.Errorf("fallback referral: %+v", d)
	}
}

func TestTriageOnLowConfidence(t *testing.T) {
	rt := New(testRegistry(t))
	cl := result("complaint", "food")
	cl.Triage = true
	cl.TriageReasons = []string{"line confidence 0.30 below 0.45"}
	cl.Line.Top = []classify.Scored{{Label: "food", Confidence: 0.3}, {Label: "price", Confidence: 0.25}, {Label: "online", Confidence: 0.2}}
	d := rt.Route(Case{Business: Business{Name: "某某超市", Region: "630102"}}, cl)
	if d.Target != Triage || len(d.Suggestions) < 3 || d.UnitCode != "" {
		t.Errorf("got %+v", d)
	}
}

func TestTypeDoubt(t *testing.T) {
	rt := New(testRegistry(t))
	doubt := func(typ string, alt ...string) classify.Result {
		r := result(typ, "food")
		r.Type.Confidence = 0.45
		r.Type.Top = []classify.Scored{{Label: typ, Confidence: 0.45}}
		for _, a := range alt {
			r.Type.Top = append(r.Type.Top, classify.Scored{Label: a, Confidence: 0.4})
		}
		r.TypeDoubt = alt
		return r
	}
	tests := []struct {
		name   string
		c      Case
		cl     classify.Result
		target Target
		unit   string
		hint   string
	}{
		{"complaint or report, one county: routed", Case{Business: Business{Name: "甲饭店", Region: "630103"}}, doubt("complaint", "report"), Regulator, "630103", "same place"},
		{"report or complaint, one county: routed", Case{Business: Business{Name: "甲饭店", Region: "632801"}}, doubt("report", "complaint"), Regulator, "632801", "same place"},
		{"inquiry or complaint, no place: a person decides", Case{}, doubt("inquiry", "complaint"), Triage, "", "different destinations"},
		{"complaint to an ODR enterprise or a report: a person decides", Case{Business: Business{Name: "某某超市", Region: "630102"}}, doubt("complaint", "report"), Triage, "", "different destinations"},
		{"report at the conduct place or complaint at the shop: a person decides", Case{ConductRegion: "632523", Business: Business{Name: "己厂", Region: "630102"}}, doubt("report", "complaint"), Triage, "", "different destinations"},
		{"kind given at intake: no doubt", Case{Kind: "complaint", Business: Business{Name: "某某超市", Region: "630102"}}, doubt("report", "complaint"), ODR, "", "ODR"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := rt.Route(tt.c, tt.cl)
			all := d.Rule + " " + strings.Join(d.Evidence, " ")
			if d.Target != tt.target || d.UnitCode != tt.unit || !strings.Contains(all, tt.hint) {
				t.Errorf("got %s %s (%s)", d.Target, d.UnitCode, all)
			}
			if d.Target == Triage && len(d.Suggestions) == 0 {
				t.Error("triage without suggestions")
			}
		})
	}
}

func TestRouteWithClassifier(t *testing.T) {
	c, err := classify.Default()
	if err != nil {
		t.Fatal(err)
	}
	rt := New(nil)
	tests := []struct {
		text   string
		target Target
		unit   string
	}{
		{"我在西宁市城东区一家超市买的酸奶已经过期了，要求退一赔十，超市拒绝。", Regulator, "630102"},
		{"举报格尔木市一家加油站加油机作弊，每次都少加油，请依法查处。", Regulator, "632801"},
		{"信用卡被银行多收了年费，客服不给退。", Referral, ""},
		{"", Triage, ""},
		{"😀😀😀", Triage, ""},
	}
	for _, tt := range tests {
		cl := c.Classify(classify.Input{Text: tt.text})
		d := rt.Route(Case{Text: tt.text}, cl)
		if d.Target != tt.target || d.UnitCode != tt.unit {
			t.Errorf("%q: got %s %s (%s %v), want %s %s", tt.text, d.Target, d.UnitCode, d.Rule, d.Evidence, tt.target, tt.unit)
		}
	}
}

func TestRegistry(t *testing.T) {
	reg := testRegistry(t)
	if err := reg.Add(Enterprise{ID: "odr-1", Name: "重复"}); !errors.Is(err, ErrDuplicate) {
		t.Errorf("duplicate id: %v", err)
	}
	if err := reg.Add(Enterprise{ID: "odr-9", Name: "重复代码", CreditCode: "91630100MA752XYA0K"}); !errors.Is(err, ErrDuplicate) {
		t.Errorf("duplicate credit code: %v", err)
	}
	bad := []Enterprise{{Name: "无编号"}, {ID: "x"}, {ID: "y", Name: "坏代码", CreditCode: "123"}, {ID: "z", Name: "坏字符", CreditCode: "91630100MA752XYZ0I"}}
	for _, e := range bad {
		if err := reg.Add(e); err == nil {
			t.Errorf("Add(%+v) succeeded", e)
		}
	}
	data, err := json.Marshal(reg)
	if err != nil {
		t.Fatal(err)
	}
	back, err := LoadRegistry(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	if len(back.List()) != 2 {
		t.Fatalf("round trip lost enterprises: %s", data)
	}
	var r2 Registry
	if err := json.Unmarshal(data, &r2); err != nil || len(r2.List()) != 2 {
		t.Fatalf("UnmarshalJSON: %v %d", err, len(r2.List()))
	}
	if !reg.Remove("odr-1") || reg.Remove("odr-1") {
		t.Error("Remove")
	}
	if _, _, ok := reg.Match(Business{Name: "某某超市"}); ok {
		t.Error("removed enterprise still matches")
	}
	if _, err := LoadRegistry(strings.NewReader(`[{"id":"a"}]`)); err == nil {
		t.Error("LoadRegistry accepted an enterprise without a name")
	}
	var nilReg *Registry
	if _, _, ok := nilReg.Match(Business{Name: "x"}); ok {
		t.Error("nil registry matched")
	}
}
