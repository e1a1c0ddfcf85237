package lifecycle

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/open12315/intake/shared/cases"
)

func TestMaskFormats(t *testing.T) {
	tests := []struct {
		name string
		fn   func(string) string
		in   string
		want string
	}{
		{"mobile", MaskPhone, "13812341234", "138****1234"},
		{"landline", MaskPhone, "0971-6123456", "0971-***3456"},
		{"landline no dash", MaskPhone, "09716123456", "097****3456"},
		{"short phone", MaskPhone, "12315", "*****"},
		{"empty phone", MaskPhone, "", ""},
		{"name 2", MaskName, "张三", "张*"},
		{"name 3", MaskName, "张三丰", "张*"},
		{"name 4", MaskName, "欧阳娜娜", "欧*"},
		{"name 1", MaskName, "张", "*"},
		{"name latin", MaskName, "Tom", "T*"},
		{"id 18", MaskID, "630102199001011234", "630102********1234"},
		{"id X", MaskID, "63010219900101123X", "630102********123X"},
		{"id 15", MaskID, "630102900101123", "630102*****1123"},
		{"id short", MaskID, "1234", "****"},
		{"address full", MaskAddress, "青海省西宁市城东区八一路12号", "青海省西宁市城东区***"},
		{"address prefecture county", MaskAddress, "西宁市城中区南大街5号", "西宁市城中区***"},
		{"address autonomous prefecture", MaskAddress, "青海省海西蒙古族藏族自治州格尔木市昆仑路1号", "青海省海西蒙古族藏族自治州格尔木市***"},
		{"address county only", MaskAddress, "大通县桥头镇东街", "大通县***"},
		{"address autonomous county", MaskAddress, "互助土族自治县威远镇", "互助土族自治县***"},
		{"address district only", MaskAddress, "西宁市城东区", "西宁市城东区"},
		{"address other province", MaskAddress, "北京市朝阳区建国路88号", "北京市朝阳区***"},
		{"address town only", MaskAddress, "鲁沙尔镇金塔路", "湟中区***"},
		{"address street only", MaskAddress, "八一路12号", "***"},
		{"text phone", MaskText, "电话13812341234，身份证630102199001011234", "电话138****1234，身份证630102********1234"},
		{"text short numbers kept", MaskText, "买了3瓶，共120元", "买了3瓶，共120元"},
		{"text spaced phone", MaskText, "138 1234 1234", "138****1234"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.fn(tt.in); got != tt.want {
				t.Errorf("%q → %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestMaskDoesNotTouchTheCase(t *testing.T) {
	c := routed(t, cases.KindComplaint, cases.StatePendingAcceptance, "2025-04-25 09:30")
	c.TrackingHash = "abc"
	before := snapshot(t, c)
	m := Mask(c)
	if snapshot(t, c) != before {
		t.Fatal("Mask changed the case")
	}
	want := cases.Person{Name: "张*", Phone: "138****1234", Address: "青海省西宁市城东区***", IDNumber: "630102********1234"}
	if m.Consumer != want || strings.Contains(m.Facts, "13812341234") || m.TrackingHash != "" {
		t.Errorf("masked %+v facts %q", m.Consumer, m.Facts)
	}
	m.Clocks[0].Pauses = append(m.Clocks[0].Pauses, m.Clocks[0].Pauses...)
	m.Unit.Code = "x"
	if snapshot(t, c) != before {
		t.Fatal("the masked copy shares memory with the case")
	}
}

func TestDetail(t *testing.T) {
	now := time.Date(2025, 5, 1, 10, 0, 0, 0, time.UTC)
	tests := []struct {
		name      string
		actor     Actor
		wantErr   error
		wantFull  bool
		wantAudit bool
	}{
		{"handler", handler, nil, true, true},
		{"supervisor of the prefecture", Actor{ID: "s9", Unit: "630100", Role: RoleSupervisor}, nil, true, true},
		{"viewer", viewer, nil, false, false},
		{"neighbour handler", neighbour, ErrOutOfJurisdiction, false, false},
		{"consumer", consumer, ErrForbidden, false, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := routed(t, cases.KindComplaint, cases.StatePendingAcceptance, "2025-04-25 09:30")
			v, ev, err := Detail(c, tt.actor, now)
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("err = %v, want %v", err, tt.wantErr)
			}
			if err != nil {
				return
			}
			if full := v.Consumer.Phone == "13812341234"; full != tt.wantFull {
				t.Errorf("phone %q", v.Consumer.Phone)
			}
			if (ev != nil) != tt.wantAudit {
				t.Fatalf("audit event %+v", ev)
			}
			if ev != nil && (ev.Type != EventPIIViewed || ev.Seq != c.Version || ev.Actor != tt.actor.Name() || ev.Data["unit"] != tt.actor.Unit) {
				t.Errorf("audit event %+v", ev)
			}
		})
	}
}

func TestRespondentView(t *testing.T) {
	c := routed(t, cases.KindComplaint, cases.StateMediating, "2025-04-25 09:30")
	v, err := ForRespondent(c)
	if err != nil {
		t.Fatal(err)
	}
	if v.Consumer.IDNumber != "" || v.Consumer.Address != "青海省西宁市城东区***" || v.Consumer.Name != "张三丰" {
		t.Errorf("respondent sees %+v", v.Consumer)
	}
	c.Classification.Type = cases.KindReport
	if _, err := ForRespondent(c); !errors.Is(err, ErrConfidential) {
		t.Errorf("report: %v", err)
	}
}
