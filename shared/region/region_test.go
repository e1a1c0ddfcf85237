package region

import (
	"strings"
	"testing"
)

func TestDefaultCounts(t *testing.T) {
	g := Default()
	tests := []struct {
		level Level
		want  int
	}{
		{Province, 1},
		{Prefecture, 8},
		{County, 45}, // 44 county-level units plus the 大柴旦 statistical unit
	}
	for _, tt := range tests {
		if got := len(g.Regions(tt.level)); got != tt.want {
			t.Errorf("Regions(%v) = %d, want %d", tt.level, got, tt.want)
		}
	}
	if n := len(g.Regions(Town)); n < 350 {
		t.Errorf("only %d towns loaded", n)
	}
	for _, r := range g.Regions(Town) {
		if c, ok := g.County(r.Code); !ok || !strings.HasPrefix(r.Code, c.Code) {
			t.Errorf("town %s %s: county %v %v", r.Code, r.Name, c.Code, ok)
		}
	}
}

func TestLookup(t *testing.T) {
	g := Default()
	tests := []struct {
		code, wantCode, wantName string
		ok                       bool
	}{
		{"630102", "630102", "城东区", true},
		{" 630102 ", "630102", "城东区", true},
		{"630122", "630106", "湟中区", true}, // 湟中县 → 湟中区
		{"632321", "632301", "同仁市", true}, // 同仁县 → 同仁市
		{"632858", "632803", "茫崖市", true}, // 冷湖行委
		{"632859", "632803", "茫崖市", true}, // 茫崖行委
		{"630106101", "630106101", "上新庄镇", true},
		{"632500", "632500", "海南藏族自治州", true},
		{"630000", "630000", "青海省", true},
		{"110101", "", "", false}, // Beijing: not ours
		{"63010", "", "", false},
		{"abcdef", "", "", false},
		{"", "", "", false},
	}
	for _, tt := range tests {
		r, ok := g.Lookup(tt.code)
		if ok != tt.ok || r.Code != tt.wantCode || r.Name != tt.wantName {
			t.Errorf("Lookup(%q) = %s %s %v, want %s %s %v", tt.code, r.Code, r.Name, ok, tt.wantCode, tt.wantName, tt.ok)
		}
	}
	if r, ok := g.Record("630122"); !ok || r.Name != "湟中县" || !r.Legacy() {
		t.Errorf("Record(630122) = %+v, %v", r, ok)
	}
}

func TestParentAncestors(t *testing.T) {
	g := Default()
	tests := []struct {
		code   string
		parent string
		chain  string
	}{
		{"630102", "630100", "630100,630000"},
		{"630106101", "630106", "630106,630100,630000"},
		{"630122", "630100", "630100,630000"},
		{"632100", "", ""}, // not a code we know (pre-2013 海东地区)
		{"630000", "", ""},
	}
	for _, tt := range tests {
		p, _ := g.Parent(tt.code)
		if p.Code != tt.parent {
			t.Errorf("Parent(%s) = %q, want %q", tt.code, p.Code, tt.parent)
		}
		var codes []string
		for _, a := range g.Ancestors(tt.code) {
			codes = append(codes, a.Code)
		}
		if got := strings.Join(codes, ","); got != tt.chain {
			t.Errorf("Ancestors(%s) = %s, want %s", tt.code, got, tt.chain)
		}
	}
}

func TestWithin(t *testing.T) {
	g := Default()
	tests := []struct {
		unit, code string
		want       bool
	}{
		{"630100", "630102", true},
		{"630102", "630102", true},
		{"630000", "632801", true},
		{"630000", "630106101", true},
		{"630100", "630122", true}, // legacy code of a Xining county
		{"630106", "630122", true}, // old 湟中县 is the same place
		{"630122", "630106101", true},
		{"630102", "630103", false},
		{"630100", "632801", false},
		{"630102", "630100", false}, // a county does not cover its prefecture
		{"630100", "999999", false},
		{"bad", "630102", false},
	}
	for _, tt := range tests {
		if got := g.Within(tt.unit, tt.code); got != tt.want {
			t.Errorf("Within(%s, %s) = %v, want %v", tt.unit, tt.code, got, tt.want)
		}
	}
}

func TestUnitName(t *testing.T) {
	g := Default()
	tests := []struct{ code, want string }{
		{"630102", "西宁市城东区市场监督管理局"},
		{"630122", "西宁市湟中区市场监督管理局"},
		{"632801", "格尔木市市场监督管理局"},
		{"630121", "大通回族土族自治县市场监督管理局"},
		{"630100", "西宁市市场监督管理局"},
		{"632200", "海北藏族自治州市场监督管理局"},
		{"630000", "青海省市场监督管理局"},
		{"630102001", "西宁市城东区市场监督管理局"},
		{"630202", "海东市乐都区市场监督管理局"},
	}
	for _, tt := range tests {
		if got, ok := g.UnitName(tt.code); !ok || got != tt.want {
			t.Errorf("UnitName(%s) = %q, %v; want %q", tt.code, got, ok, tt.want)
		}
	}
	if _, ok := g.UnitName("123456"); ok {
		t.Error("UnitName of unknown code succeeded")
	}
}

func TestParseErrors(t *testing.T) {
	const head = "code\tparent\tlevel\tname\tshort\taliases\tvalid_from\tvalid_to\tsuccessor\n"
	tests := []struct{ name, in string }{
		{"no header", "630000\t\tprovince\t青海省\t青海省\t\t\t\t\n"},
		{"short row", head + "630000\tprovince\n"},
		{"bad level", head + "630000\t\tplanet\t青海省\t青海省\t\t\t\t\n"},
		{"orphan", head + "630100\t630000\tprefecture\t西宁市\t西宁市\t\t\t\t\n"},
		{"bad successor", head + "630000\t\tprovince\t青海省\t青海省\t\t\t\t639999\n"},
		{"duplicate", head + "630000\t\tprovince\t青海省\t青海省\t\t\t\t\n630000\t\tprovince\t青海省\t青海省\t\t\t\t\n"},
	}
	for _, tt := range tests {
		if _, err := Parse(strings.NewReader(tt.in)); err == nil {
			t.Errorf("%s: Parse succeeded", tt.name)
		}
	}
}
