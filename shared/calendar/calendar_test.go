package calendar

import (
	"encoding/json"
	"errors"
	"io/fs"
	"strings"
	"testing"
	"testing/fstest"
	"time"
)

func date(t testing.TB, s string) Date {
	t.Helper()
	d, err := ParseDate(s)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// TestVectors checks every test vector of domain.md §4.5.
func TestVectors(t *testing.T) {
	tests := []struct {
		received string
		n        int
		want     string
	}{
		{"2025-01-24", 7, "2025-02-10"}, // 01-26 (Sun) and 02-08 (Sat) are make-up days
		{"2024-02-08", 7, "2024-02-23"}, // 除夕 02-09 works; 02-18 (Sun) counts
		{"2024-09-27", 15, "2024-10-23"},
		{"2025-09-26", 5, "2025-10-10"},
		{"2026-02-13", 7, "2026-03-02"}, // 02-14 and 02-28 (Sat) count
		{"2026-09-30", 7, "2026-10-15"},
		{"2025-04-25", 45, "2025-07-02"},
		{"2024-12-31", 7, "2025-01-10"}, // crosses a year boundary
	}
	cal := Default()
	for _, tt := range tests {
		got, err := cal.AddWorkingDays(date(t, tt.received), tt.n, "")
		if err != nil {
			t.Errorf("AddWorkingDays(%s, %d): %v", tt.received, tt.n, err)
			continue
		}
		if got.String() != tt.want {
			t.Errorf("AddWorkingDays(%s, %d) = %s, want %s", tt.received, tt.n, got, tt.want)
		}
		if back, err := cal.WorkingDaysBetween(date(t, tt.received), got, ""); err != nil || back != tt.n {
			t.Errorf("WorkingDaysBetween(%s, %s) = %d, %v; want %d", tt.received, got, back, err, tt.n)
		}
	}
}

func TestWorkingDaysPerYear(t *testing.T) {
	want := map[int]int{2024: 251, 2025: 248, 2026: 248}
	cal := Default()
	for year, n := range want {
		got := 0
		for d := NewDate(year, time.January, 1); d.Year == year; d = d.AddDays(1) {
			ok, err := cal.IsWorkingDay(d, "")
			if err != nil {
				t.Fatal(err)
			}
			if ok {
				got++
			}
		}
		if got != n {
			t.Errorf("%d has %d working days, want %d", year, got, n)
		}
	}
}

func TestIsWorkingDay(t *testing.T) {
	tests := []struct {
		day  string
		want bool
	}{
		{"2024-02-09", true},  // 除夕 2024 is a Friday and a working day
		{"2024-02-04", true},  // make-up Sunday
		{"2024-02-12", false}, // Spring Festival Monday
		{"2025-01-28", false}, // 除夕 2025 is a holiday from 2025 on
		{"2025-02-08", true},  // make-up Saturday
		{"2025-02-09", false}, // ordinary Sunday
		{"2025-10-08", false}, // merged National Day / Mid-Autumn
		{"2025-10-09", true},  // ordinary Thursday
		{"2026-01-04", true},  // make-up Sunday
		{"2026-02-23", false}, // 初七, Monday off
		{"2026-09-20", true},  // make-up Sunday
	}
	cal := Default()
	for _, tt := range tests {
		got, err := cal.IsWorkingDay(date(t, tt.day), "")
		if err != nil || got != tt.want {
			t.Errorf("IsWorkingDay(%s) = %v, %v; want %v", tt.day, got, err, tt.want)
		}
	}
}

// TestAddAndCountAgree checks, for every start day of the covered years
// and a range of periods, that counting back gives the period and that
// a due date is always a working day.
func TestAddAndCountAgree(t *testing.T) {
	cal := Default()
	for s := NewDate(2024, time.January, 1); s.Before(NewDate(2026, time.September, 1)); s = s.AddDays(1) {
		for _, n := range []int{0, 1, 5, 7, 15, 45} {
			due, err := cal.AddWorkingDays(s, n, "")
			if err != nil {
				t.Fatalf("AddWorkingDays(%s, %d): %v", s, n, err)
			}
			if got, err := cal.WorkingDaysBetween(s, due, ""); err != nil || got != n {
				t.Fatalf("WorkingDaysBetween(%s, %s) = %d, %v; want %d", s, due, got, err, n)
			}
			if got, _ := cal.WorkingDaysBetween(due, s, ""); got != -n {
				t.Fatalf("WorkingDaysBetween(%s, %s) = %d, want %d", due, s, got, -n)
			}
			if ok, _ := cal.IsWorkingDay(due, ""); n > 0 && !ok {
				t.Fatalf("AddWorkingDays(%s, %d) = %s, not a working day", s, n, due)
			}
		}
	}
	if _, err := cal.AddWorkingDays(NewDate(2025, 1, 1), -1, ""); err == nil {
		t.Error("AddWorkingDays with n = -1: want an error")
	}
}

func TestCoverage(t *testing.T) {
	cal := Default()
	start := date(t, "2026-12-28") // Monday
	if _, err := cal.AddWorkingDays(start, 7, ""); !errors.Is(err, ErrNotCovered) {
		t.Errorf("AddWorkingDays into 2027: err = %v, want ErrNotCovered", err)
	}
	if _, err := cal.IsWorkingDay(date(t, "2023-12-29"), ""); !errors.Is(err, ErrNotCovered) {
		t.Errorf("IsWorkingDay(2023-12-29): err = %v, want ErrNotCovered", err)
	}
	if _, err := cal.WorkingDaysBetween(date(t, "2023-12-20"), date(t, "2024-01-05"), ""); !errors.Is(err, ErrNotCovered) {
		t.Errorf("WorkingDaysBetween from 2023: err = %v, want ErrNotCovered", err)
	}
	// Within coverage a due date that stops at the year's end needs no 2027 data.
	if got, err := cal.AddWorkingDays(start, 3, ""); err != nil || got.String() != "2026-12-31" {
		t.Errorf("AddWorkingDays(%s, 3) = %s, %v; want 2026-12-31", start, got, err)
	}
	if !cal.Covers(date(t, "2026-12-31")) || cal.Covers(date(t, "2027-01-01")) {
		t.Error("Covers: want 2026 covered and 2027 not")
	}

	loose := cal.WithCoverage(WeekendsOnly)
	// 12-29, 12-30, 12-31, then 2027-01-01 (Fri, assumed working), 01-04, 01-05, 01-06.
	if got, err := loose.AddWorkingDays(start, 7, ""); err != nil || got.String() != "2027-01-06" {
		t.Errorf("WeekendsOnly AddWorkingDays(%s, 7) = %s, %v; want 2027-01-06", start, got, err)
	}
	// The policy only applies beyond coverage.
	if ok, _ := loose.IsWorkingDay(date(t, "2026-10-01"), ""); ok {
		t.Error("WeekendsOnly: 2026-10-01 must stay a holiday")
	}
	if loose.Version() != cal.Version() {
		t.Error("WithCoverage changed the data version")
	}
	if _, err := cal.AddWorkingDays(start, 7, ""); err == nil {
		t.Error("WithCoverage modified the original calendar")
	}
}

func TestOverlays(t *testing.T) {
	cal, err := DefaultWithDir("testdata/overlay")
	if err != nil {
		t.Fatal(err)
	}
	days := []string{"2025-02-28", "2025-03-03", "2025-03-04", "2025-03-05", "2025-03-08"}
	tests := []struct {
		region string
		want   []bool // working?, one per day above
	}{
		{"", []bool{true, true, true, true, false}},          // national: no overlay
		{"630102", []bool{false, true, true, true, false}},   // Xining district: province only
		{"630000", []bool{false, true, true, true, false}},   // the province itself
		{"632700", []bool{false, false, false, false, true}}, // the prefecture itself
		{"632702", []bool{false, false, false, false, true}}, // other county: prefecture + province
		{"632701", []bool{false, false, false, true, true}},  // county cancels 03-05
		{"622701", []bool{true, true, true, true, false}},    // another province: nothing
		{"632801", []bool{false, true, true, true, false}},   // other prefecture: province only
	}
	for _, tt := range tests {
		for i, day := range days {
			got, err := cal.IsWorkingDay(date(t, day), tt.region)
			if err != nil || got != tt.want[i] {
				t.Errorf("region %q IsWorkingDay(%s) = %v, %v; want %v", tt.region, day, got, err, tt.want[i])
			}
		}
	}
	adds := []struct {
		region, want string
	}{
		{"", "2025-03-04"},
		{"632701", "2025-03-07"},
		{"632702", "2025-03-08"},
	}
	for _, tt := range adds {
		got, err := cal.AddWorkingDays(date(t, "2025-02-27"), 3, tt.region)
		if err != nil || got.String() != tt.want {
			t.Errorf("region %q AddWorkingDays(2025-02-27, 3) = %s, %v; want %s", tt.region, got, err, tt.want)
		}
	}
	if !strings.Contains(cal.Version(), "+630000,632700,632701@") {
		t.Errorf("Version() = %q, want the overlay regions listed", cal.Version())
	}
	for _, bad := range []string{"6327", "63270a", "0000000", "000000"} {
		if _, err := cal.IsWorkingDay(date(t, "2025-03-03"), bad); !errors.Is(err, ErrInvalidRegion) {
			t.Errorf("region %q: err = %v, want ErrInvalidRegion", bad, err)
		}
	}
}

func TestExtraYearFromDirectory(t *testing.T) {
	cal, err := DefaultWithDir("testdata/extra")
	if err != nil {
		t.Fatal(err)
	}
	if got := cal.Years(); len(got) != 4 || got[3] != 2027 {
		t.Fatalf("Years() = %v, want 2024..2027", got)
	}
	if !strings.HasPrefix(cal.Version(), "cn2024-2027@") || cal.Version() == Default().Version() {
		t.Errorf("Version() = %q, want a new cn2024-2027 version", cal.Version())
	}
	// 12-29, 12-30, 12-31, (01-01..03 off), 01-04, 01-05, 01-06, 01-07.
	got, err := cal.AddWorkingDays(date(t, "2026-12-28"), 7, "")
	if err != nil || got.String() != "2027-01-07" {
		t.Errorf("AddWorkingDays(2026-12-28, 7) = %s, %v; want 2027-01-07", got, err)
	}
	if n, ok := cal.Notice(2027); !ok || !strings.HasPrefix(n.Title, "TEST FIXTURE") {
		t.Errorf("Notice(2027) = %+v, %v", n, ok)
	}
	if _, err := DefaultWithDir("testdata/no-such-dir"); err == nil {
		t.Error("DefaultWithDir(missing): want an error")
	}
	if _, err := DefaultWithDir(t.TempDir()); !errors.Is(err, ErrInvalidData) {
		t.Errorf("DefaultWithDir(empty): err = %v, want ErrInvalidData", err)
	}
}

func TestLaterSourceOverridesYear(t *testing.T) {
	base, err := fs.Sub(embedded, "data")
	if err != nil {
		t.Fatal(err)
	}
	override := fstest.MapFS{"any-name.json": {Data: []byte(`{"year": 2025, "title": "corrected", "source": "test",
		"holidays": [{"name": "x", "from": "2025-03-03", "to": "2025-03-03"}]}`)}}
	cal, err := Load(base, override)
	if err != nil {
		t.Fatal(err)
	}
	for day, want := range map[string]bool{"2025-03-03": false, "2025-01-28": true, "2024-02-12": false} {
		if got, _ := cal.IsWorkingDay(date(t, day), ""); got != want {
			t.Errorf("after override IsWorkingDay(%s) = %v, want %v", day, got, want)
		}
	}
	if n, _ := cal.Notice(2025); n.Title != "corrected" {
		t.Errorf("Notice(2025).Title = %q, want the override's", n.Title)
	}
}

func TestValidation(t *testing.T) {
	const head = `"title": "t", "source": "s"`
	tests := []struct {
		name  string
		files map[string]string
		want  string // substring of the error
	}{
		{"empty", map[string]string{"README.md": "x"}, "no *.json"},
		{"syntax", map[string]string{"a.json": `{"year": 2025,`}, "unexpected EOF"},
		{"unknown field", map[string]string{"a.json": `{"year": 2025, ` + head + `, "holiday": []}`}, "unknown field"},
		{"trailing", map[string]string{"a.json": `{"year": 2025, ` + head + `, "workdays": [{"date": "2025-01-26"}]} {}`}, "after the JSON"},
		{"no year", map[string]string{"a.json": `{` + head + `, "workdays": [{"date": "2025-01-26"}]}`}, "year 0"},
		{"no title", map[string]string{"a.json": `{"year": 2025, "source": "s", "workdays": [{"date": "2025-01-26"}]}`}, "title and source"},
		{"no days", map[string]string{"a.json": `{"year": 2025, ` + head + `}`}, "no holidays"},
		{"bad date", map[string]string{"a.json": `{"year": 2025, ` + head + `, "workdays": [{"date": "2025-02-29"}]}`}, `"2025-02-29"`},
		{"holiday outside year", map[string]string{"a.json": `{"year": 2025, ` + head + `, "holidays": [{"name": "元旦", "from": "2024-12-31", "to": "2025-01-01"}]}`}, "outside year 2025"},
		{"workday outside year", map[string]string{"a.json": `{"year": 2025, ` + head + `, "workdays": [{"date": "2024-12-29"}]}`}, "outside year 2025"},
		{"reversed range", map[string]string{"a.json": `{"year": 2025, ` + head + `, "holidays": [{"from": "2025-02-04", "to": "2025-01-28"}]}`}, "before it starts"},
		{"missing to", map[string]string{"a.json": `{"year": 2025, ` + head + `, "holidays": [{"from": "2025-02-04"}]}`}, "from and to are required"},
		{"overlap", map[string]string{"a.json": `{"year": 2025, ` + head + `, "holidays": [{"from": "2025-01-28", "to": "2025-02-04"}, {"from": "2025-02-04", "to": "2025-02-05"}]}`}, "2025-02-04 listed twice"},
		{"make-up on weekday", map[string]string{"a.json": `{"year": 2025, ` + head + `, "workdays": [{"date": "2025-01-27"}]}`}, "2025-01-27 is a Monday"},
		{"holiday and workday", map[string]string{"a.json": `{"year": 2025, ` + head + `, "holidays": [{"from": "2025-01-25", "to": "2025-01-26"}], "workdays": [{"date": "2025-01-26"}]}`}, "both as a holiday and as a workday"},
		{"workday twice", map[string]string{"a.json": `{"year": 2025, ` + head + `, "workdays": [{"date": "2025-01-26"}, {"date": "2025-01-26"}]}`}, "workday 2025-01-26 listed twice"},
		{"duplicate year", map[string]string{
			"a.json": `{"year": 2025, ` + head + `, "workdays": [{"date": "2025-01-26"}]}`,
			"b.json": `{"year": 2025, ` + head + `, "workdays": [{"date": "2025-02-08"}]}`,
		}, "a.json already covers national year 2025"},
		{"bad region", map[string]string{"a.json": `{"year": 2025, "region": "6327", ` + head + `, "workdays": [{"date": "2025-01-26"}]}`}, "6-digit"},
		{"overlay only", map[string]string{"a.json": `{"year": 2025, "region": "632700", ` + head + `, "holidays": [{"from": "2025-03-03", "to": "2025-03-03"}]}`}, "no national calendar year"},
		{"overlay without national year", map[string]string{
			"a.json": `{"year": 2025, ` + head + `, "workdays": [{"date": "2025-01-26"}]}`,
			"b.json": `{"year": 2026, "region": "632700", ` + head + `, "holidays": [{"from": "2026-03-03", "to": "2026-03-03"}]}`,
		}, "region 632700 year 2026 overlays a year with no national calendar"},
		{"overlay workday already working", map[string]string{
			"a.json": `{"year": 2025, ` + head + `, "workdays": [{"date": "2025-01-26"}]}`,
			"b.json": `{"year": 2025, "region": "632700", ` + head + `, "workdays": [{"date": "2025-03-04"}]}`,
		}, "extra workday 2025-03-04 is already a working day"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fsys := fstest.MapFS{}
			for name, data := range tt.files {
				fsys[name] = &fstest.MapFile{Data: []byte(data)}
			}
			_, err := Load(fsys)
			if !errors.Is(err, ErrInvalidData) {
				t.Fatalf("Load: err = %v, want ErrInvalidData", err)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Load: err = %q, want it to mention %q", err, tt.want)
			}
		})
	}
}

func TestOverlayWorkdayMayCancelInheritedHoliday(t *testing.T) {
	fsys := fstest.MapFS{
		"n.json": {Data: []byte(`{"year": 2025, "title": "t", "source": "s", "holidays": [{"from": "2025-01-28", "to": "2025-02-04"}]}`)},
		"r.json": {Data: []byte(`{"year": 2025, "region": "632700", "title": "t", "source": "s", "workdays": [{"date": "2025-02-03"}]}`)},
	}
	cal, err := Load(fsys)
	if err != nil {
		t.Fatal(err)
	}
	if ok, _ := cal.IsWorkingDay(date(t, "2025-02-03"), "632701"); !ok {
		t.Error("632701 inherits 632700's working day on 2025-02-03")
	}
	if ok, _ := cal.IsWorkingDay(date(t, "2025-02-03"), ""); ok {
		t.Error("the national calendar keeps 2025-02-03 off")
	}
}

func TestVersion(t *testing.T) {
	const a = `{"year": 2025, "title": "t", "source": "s", "workdays": [{"date": "2025-01-26"}]}`
	load := func(data string) string {
		t.Helper()
		c, err := Load(fstest.MapFS{"x.json": {Data: []byte(data)}})
		if err != nil {
			t.Fatal(err)
		}
		return c.Version()
	}
	v := load(a)
	if !strings.HasPrefix(v, "cn2025@") {
		t.Errorf("Version() = %q, want prefix cn2025@", v)
	}
	if got := load(strings.ReplaceAll(a, `"t"`, `"another title"`) + "\n"); got != v {
		t.Errorf("metadata and layout changed the version: %q vs %q", got, v)
	}
	if got := load(strings.ReplaceAll(a, "01-26", "02-08")); got == v {
		t.Errorf("a different workday kept version %q", v)
	}
	if Default().Version() != Default().Version() || !strings.HasPrefix(Default().Version(), "cn2024-2026@") {
		t.Errorf("Default().Version() = %q", Default().Version())
	}
	if got := yearRanges([]int{2020, 2022, 2023, 2024, 2026}); got != "2020,2022-2024,2026" {
		t.Errorf("yearRanges = %q", got)
	}
}

func TestNotices(t *testing.T) {
	cal := Default()
	tests := []struct {
		year  int
		label string
	}{
		{2024, "国办发明电〔2023〕7号"},
		{2025, "国办发明电〔2024〕12号"},
		{2026, "国务院办公厅关于2026年部分节假日安排的通知"}, // number unconfirmed: title
	}
	for _, tt := range tests {
		n, ok := cal.Notice(tt.year)
		if !ok || n.Label() != tt.label || n.Year != tt.year {
			t.Errorf("Notice(%d) = %+v, %v; want label %s", tt.year, n, ok, tt.label)
		}
	}
	if _, ok := cal.Notice(2023); ok {
		t.Error("Notice(2023): want none")
	}
}

func TestDate(t *testing.T) {
	for _, bad := range []string{"", "2025-2-3", "2025-02-29", "2025-13-01", "25-01-01", "2025-01-01T00:00:00Z"} {
		if _, err := ParseDate(bad); err == nil {
			t.Errorf("ParseDate(%q): want an error", bad)
		}
	}
	d := date(t, "2024-02-29")
	if d.Weekday() != time.Thursday || d.AddDays(1).String() != "2024-03-01" || d.AddDays(-60).String() != "2023-12-31" {
		t.Errorf("date arithmetic on %s is wrong", d)
	}
	if NewDate(2025, time.January, 32) != date(t, "2025-02-01") {
		t.Error("NewDate does not normalise")
	}
	for s := date(t, "2024-01-01"); s.Year < 2026; s = s.AddDays(1) {
		if s.next() != s.AddDays(1) {
			t.Fatalf("next(%s) = %s", s, s.next())
		}
	}
	if !d.Before(d.AddDays(1)) || !d.AddDays(1).After(d) || d.Compare(d) != 0 || d.Compare(NewDate(2023, 12, 31)) != 1 {
		t.Error("Compare is wrong")
	}
	// Late evening UTC is already the next day in China.
	if got := DateOf(time.Date(2025, 1, 23, 16, 30, 0, 0, time.UTC)); got.String() != "2025-01-24" {
		t.Errorf("DateOf(2025-01-23T16:30Z) = %s, want 2025-01-24", got)
	}
	eod := EndOfDay(date(t, "2025-02-10"))
	if eod.Format(time.RFC3339) != "2025-02-11T00:00:00+08:00" {
		t.Errorf("EndOfDay = %s", eod.Format(time.RFC3339))
	}
	b, err := json.Marshal(struct{ D Date }{d})
	if err != nil || string(b) != `{"D":"2024-02-29"}` {
		t.Errorf("json.Marshal = %s, %v", b, err)
	}
	var back struct{ D Date }
	if err := json.Unmarshal(b, &back); err != nil || back.D != d {
		t.Errorf("json round trip = %v, %v", back.D, err)
	}
	if _, err := json.Marshal(Date{}); err == nil {
		t.Error("marshalling the zero Date: want an error")
	}
}

func BenchmarkLoadEmbedded(b *testing.B) {
	sub, err := fs.Sub(embedded, "data")
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if _, err := Load(sub); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkAddWorkingDays45(b *testing.B) {
	cal := Default()
	start := NewDate(2025, time.April, 25)
	for b.Loop() {
		if _, err := cal.AddWorkingDays(start, 45, "632701"); err != nil {
			b.Fatal(err)
		}
	}
}
