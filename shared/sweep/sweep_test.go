package sweep_test

import (
	"context"
	"io"
	"log/slog"
	"testing"
	"time"

	"github.com/open12315/intake/infra/emulators/testenv"
	"github.com/open12315/intake/shared/app"
	"github.com/open12315/intake/shared/cases"
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
