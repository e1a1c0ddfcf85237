package lifecycle

import (
	"errors"
	"testing"
	"time"

	"github.com/open12315/intake/shared/cases"
)

func TestSplit(t *testing.T) {
	now := time.Date(2025, 4, 25, 2, 0, 0, 0, time.UTC)
	tests := []struct {
		name    string
		kind    cases.Kind
		mutate  func(*cases.Case)
		newID   string
		wantErr bool
	}{
		{"complaint into report", cases.KindReport, nil, "QH20250425-ZZZZZZZZZZ", false},
		{"report into complaint", cases.KindComplaint, func(c *cases.Case) { c.Classification.Type = cases.KindReport }, "QH20250425-ZZZZZZZZZZ", false},
		{"same kind", cases.KindComplaint, nil, "QH20250425-ZZZZZZZZZZ", true},
		{"inquiry", cases.KindInquiry, nil, "QH20250425-ZZZZZZZZZZ", true},
		{"bad id", cases.KindReport, nil, "nope", true},
		{"anonymous report into complaint", cases.KindComplaint, func(c *cases.Case) {
			c.Classification.Type, c.Anonymous, c.Consumer = cases.KindReport, true, cases.Person{}
		}, "QH20250425-ZZZZZZZZZZ", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := routed(t, cases.KindComplaint, cases.StateMediating, "2025-04-25 09:30")
			c.TrackingHash = "h"
			if tt.mutate != nil {
				tt.mutate(c)
			}
			before := snapshot(t, c)
			n, first, link, err := Split(c, tt.kind, tt.newID, now)
			if snapshot(t, c) != before {
				t.Fatal("Split changed the original")
			}
			if tt.wantErr {
				if !errors.Is(err, ErrCannotSplit) {
					t.Fatalf("err = %v", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if n.ID != tt.newID || n.Kind != tt.kind || n.State != cases.StateReceived || n.Version != 1 ||
				!n.ReceivedAt.Equal(c.ReceivedAt) || n.TrackingHash != "h" || n.Consumer != c.Consumer ||
				n.Unit != nil || n.Clocks != nil || n.Outcome != nil || n.Classification != nil {
				t.Errorf("new case %+v", n)
			}
			if (tt.kind == cases.KindReport) != (n.Request == "") {
				t.Errorf("request %q", n.Request)
			}
			if first.CaseID != n.ID || first.Seq != 1 || first.Data["split_from"] != c.ID ||
				link.CaseID != c.ID || link.Seq != c.Version+1 || link.Data["split_to"] != n.ID {
				t.Errorf("events %+v %+v", first, link)
			}
		})
	}
}
