package routing

import (
	"os"
	"slices"
	"testing"

	"github.com/open12315/intake/shared/classify"
)

func TestExpectedRoute(t *testing.T) {
	tests := []struct {
		ex   classify.Example
		want string
	}{
		{classify.Example{Type: "complaint", Line: "referral", Agency: "telecom"}, "referral:telecom"},
		{classify.Example{Type: "complaint", Line: "referral"}, ""}, // agency unknown: not scored
		{classify.Example{Type: "complaint", Line: "food", Region: "632801"}, "regulator:632801"},
		{classify.Example{Type: "report", Line: "food", Region: "632800"}, "regulator:632800"},
		{classify.Example{Type: "inquiry", Line: "licensing"}, "regulator:630000"},
		{classify.Example{Type: "complaint", Line: "online"}, "triage"},
		{classify.Example{Line: "online"}, ""},
		{classify.Example{CCAClass: "食品类"}, ""},
	}
	for _, tt := range tests {
		if got := ExpectedRoute(tt.ex); got != tt.want {
			t.Errorf("ExpectedRoute(%+v) = %q, want %q", tt.ex, got, tt.want)
		}
	}
}

func TestEvaluateRoutes(t *testing.T) {
	c, err := classify.Default()
	if err != nil {
		t.Fatal(err)
	}
	ex := []classify.Example{
		{Text: "格尔木市昆仑路一家饭馆的羊肉吃了拉肚子，老板不认账，要求赔偿。", Type: "complaint", Line: "food", Region: "632801"},
		{Text: "话费莫名其妙多扣了五十元，运营商说我订了增值业务，要求退钱。", Type: "complaint", Line: "referral", Agency: "telecom"},
		{Text: "网上买的羽绒服掉毛严重，商家不给退。", Type: "complaint", Line: "online"},
		// Labelled to a county the text does not name: scored wrong.
		{Text: "格尔木市昆仑路一家饭馆的羊肉吃了拉肚子，老板不认账，要求赔偿。", Type: "complaint", Line: "food", Region: "630102"},
		{Text: "没有类型标签的例子", CCAClass: "食品类"}, // not scored
	}
	fr := New(nil).Evaluate(c, ex)
	if fr.Field != FieldRoute || fr.N != 4 || fr.Correct != 3 {
		t.Fatalf("report %+v", fr)
	}
	if fr.Confusion["regulator"]["regulator"] != 2 || fr.Confusion["referral"]["referral"] != 1 || fr.Confusion["triage"]["triage"] != 1 {
		t.Errorf("confusion %v", fr.Confusion)
	}
}

func loadHoldout(t testing.TB) []classify.Example {
	t.Helper()
	f, err := os.Open("../classify/testdata/holdout.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	ex, _, err := classify.ReadExamples(f)
	if err != nil {
		t.Fatal(err)
	}
	return ex
}

// TestRoutesOnHoldout routes the classifier's held-out set (see
// shared/classify/holdout_test.go) and checks the share of cases that reach
// exactly the destination their labels imply. The floor was 0.96 until
// November 2026, when 3,549 cases of 28 batches on harder themes (scams,
// work traps, getting around, public services' fees) joined the set: they
// took the whole set from .966 to .959 (the build before those batches' own
// rules and cases would have scored .951).
func TestRoutesOnHoldout(t *testing.T) {
	c, err := classify.Default()
	if err != nil {
		t.Fatal(err)
	}
	fr := New(nil).Evaluate(c, loadHoldout(t))
	t.Logf("route: %.3f (%d/%d), by target %v", fr.Accuracy(), fr.Correct, fr.N, fr.Confusion)
	if fr.N < 4000 || fr.Accuracy() < 0.95 {
		t.Errorf("route accuracy %.3f over %d cases, want at least 0.95", fr.Accuracy(), fr.N)
	}
}

// BenchmarkRoutesOnHoldout reports the exact-destination accuracy of the
// shipped classifier and the router on the held-out set.
func BenchmarkRoutesOnHoldout(b *testing.B) {
	c, err := classify.Default()
	if err != nil {
		b.Fatal(err)
	}
	held := loadHoldout(b)
	rt := New(nil)
	var fr classify.FieldReport
	for b.Loop() {
		fr = rt.Evaluate(c, held)
	}
	b.ReportMetric(fr.Accuracy(), "route-accuracy")
}

// TestAgencySuggestionsInTriage: a case sent to triage because it may not
// be a market-regulation matter carries, among its suggestions, the agency
// a person would refer it to (triage_refer). On the held-out set the
// classifier names one only where the line is not "referral" and
// "referral" is a likely runner-up, and where a suggested case is labelled
// a referral, the agency is mostly the labelled one.
func TestAgencySuggestionsInTriage(t *testing.T) {
	c, err := classify.Default()
	if err != nil {
		t.Fatal(err)
	}
	rt := New(nil)
	th := c.Thresholds
	var suggested, referrals, right int
	for _, e := range loadHoldout(t) {
		res := c.Classify(classify.Input{Text: e.Text})
		runnerUp := false
		for _, s := range res.Line.Top[min(1, len(res.Line.Top)):] {
			runnerUp = runnerUp || (s.Label == "referral" && s.Confidence >= th.Referral)
		}
		if (res.AgencySuggestion != nil) != (res.Line.Label != "referral" && runnerUp) || (res.Agency != nil) != (res.Line.Label == "referral") {
			t.Fatalf("%s: line %+v, agency %v, suggestion %v", e.ID, res.Line, res.Agency, res.AgencySuggestion)
		}
		a := res.AgencySuggestion
		if a == nil {
			continue
		}
		suggested++
		d := rt.Route(Case{Text: e.Text}, res)
		if d.Target != Triage || !slices.Contains(d.Suggestions, "agency="+a.Code) {
			t.Errorf("%s: %s %v, want triage suggesting agency=%s", e.ID, d.Target, d.Suggestions, a.Code)
		}
		if e.Line == "referral" && e.Agency != "" {
			referrals++
			if e.Agency == a.Code {
				right++
			}
		}
	}
	t.Logf("%d held-out cases suggest an agency; %d of the %d labelled referrals name the labelled one", suggested, right, referrals)
	if suggested < 10 || referrals == 0 || float64(right) < 0.6*float64(referrals) {
		t.Errorf("%d suggestions, %d of %d referrals right", suggested, right, referrals)
	}
}
