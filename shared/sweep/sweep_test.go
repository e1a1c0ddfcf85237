package sweep_test

import (
	"context"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/open12315/intake/infra/emulators/testenv"
	"github.com/open12315/intake/shared/app"
	"github.com/open12315/intake/shared/cases"
	"github.com/open12315/intake/shared/deadline"
	"github.com/open12315/intake/shared/dynamo"
	"github.com/open12315/intake/shared/dynamo/dynamotest"
	"github.com/open12315/intake/shared/sweep"
)

type countingSender struct{ n int }

func (c *countingSender) Send(context.Context, any) error { c.n++; return nil }

// TestSweepStopsInTimeAndResumes: a run without time left stops before
// touching anything and says so; the next run, with pages of one row,
// finishes the work.
func TestSweepStopsInTimeAndResumes(t *testing.T) {
	db, _ := testenv.Clients(t)
	st := dynamo.New(db, dynamotest.NewTable(t, db), 2)
	ctx := context.Background()
	now := time.Now().UTC()
	for i := 0; i < 5; i++ {
		w := now.Add(-time.Duration(i+1) * time.Minute)
		c, _, err := cases.New(cases.Submission{Facts: "商品质量有问题"}, cases.ChannelWeb, now.Add(-time.Hour), nil)
		if err != nil {
			t.Fatal(err)
		}
		c.WatchAt = &w
		if err := st.Create(ctx, c, cases.Event{CaseID: c.ID, Seq: 1, Type: "received"}, "", cases.Receipt{}); err != nil {
			t.Fatal(err)
		}
	}
	clocks, err := app.NewClocks(func(string) string { return "" })
	if err != nil {
		t.Fatal(err)
	}
	route := &countingSender{}
	sw := &sweep.Handler{Store: st, Route: route, Clocks: clocks, Log: slog.New(slog.NewTextHandler(io.Discard, nil)),
		Now: func() time.Time { return now }, RequeueAfter: 5 * time.Minute, PageSize: 1, Reserve: time.Minute}

	short, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	sum, err := sw.Handle(short, nil)
	if err != nil || !sum.Partial || sum.Checked != 0 {
		t.Fatalf("run without time: %+v %v", sum, err)
	}
	sum, err = sw.Handle(ctx, nil)
	if err != nil || sum.Partial || sum.Requeued != 5 || route.n != 5 {
		t.Fatalf("full run: %+v %v, sent %d", sum, err, route.n)
	}
	if sum, _ := sw.Handle(ctx, nil); sum.Checked != 0 {
		t.Errorf("third run found work: %+v", sum)
	}
}

// TestSweepConfirmsProvisionalDueDates: a clock computed before next
// year's holiday notice was loaded is recomputed, with an event, the first
// time the sweep looks at its case after the notice is there.
func TestSweepConfirmsProvisionalDueDates(t *testing.T) {
	db, _ := testenv.Clients(t)
	st := dynamo.New(db, dynamotest.NewTable(t, db), 1)
	ctx := context.Background()
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "cn-2027.json"), []byte(`{"year":2027,"title":"TEST FIXTURE 2027","source":"test",
		"holidays":[{"name":"fictional","from":"2027-01-04","to":"2027-01-08"}]}`), 0o600); err != nil {
		t.Fatal(err)
	}
	before, err := app.NewClocks(func(string) string { return "" })
	if err != nil {
		t.Fatal(err)
	}
	after, err := app.NewClocks(func(k string) string {
		if k == "INTAKE_CALENDAR_DIR" {
			return dir
		}
		return ""
	})
	if err != nil {
		t.Fatal(err)
	}
	received := time.Date(2026, 12, 1, 10, 0, 0, 0, cases.Shanghai)
	c, _, err := cases.New(cases.Submission{Facts: "商品质量有问题"}, cases.ChannelWeb, received, nil)
	if err != nil {
		t.Fatal(err)
	}
	k, err := before.Start(deadline.Mediation, received, received, "630102")
	if err != nil || !k.Provisional {
		t.Fatalf("clock: %+v %v", k, err)
	}
	c.State, c.Unit, c.Clocks = cases.StateMediating, &cases.Unit{Code: "630102"}, []deadline.Clock{k}
	w := after.WatchAt(k)
	c.WatchAt = &w
	if err := st.Create(ctx, c, cases.Event{CaseID: c.ID, Seq: 1, Type: "received"}, "", cases.Receipt{}); err != nil {
		t.Fatal(err)
	}
	sw := &sweep.Handler{Store: st, Route: &countingSender{}, Clocks: after, Log: slog.New(slog.NewTextHandler(io.Discard, nil)),
		Now: func() time.Time { return w }, RequeueAfter: 5 * time.Minute}
	if _, err := sw.Handle(ctx, nil); err != nil {
		t.Fatal(err)
	}
	got, err := st.Get(ctx, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Clocks[0].Provisional || got.Clocks[0].DueDate == k.DueDate {
		t.Errorf("clock after the sweep: provisional %v, due %s (was %s)", got.Clocks[0].Provisional, got.Clocks[0].DueDate, k.DueDate)
	}
	evs, _ := st.Events(ctx, c.ID)
	found := false
	for _, e := range evs {
		found = found || (e.Type == "clock_confirmed" && e.Data["from_due_date"] == k.DueDate.String())
	}
	if !found {
		t.Errorf("no clock_confirmed event: %+v", evs)
	}
}
