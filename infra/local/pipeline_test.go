package local_test

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"path/filepath"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sqs"
	sqstypes "github.com/aws/aws-sdk-go-v2/service/sqs/types"

	"github.com/open12315/intake/infra/emulators/testenv"
	"github.com/open12315/intake/infra/local"
	"github.com/open12315/intake/infra/local/localtest"
	"github.com/open12315/intake/shared/app"
	"github.com/open12315/intake/shared/cases"
	"github.com/open12315/intake/shared/dynamo"
	"github.com/open12315/intake/shared/intake"
	"github.com/open12315/intake/shared/lifecycle"
	"github.com/open12315/intake/shared/queue"
	"github.com/open12315/intake/shared/sweep"
)

var quiet = slog.New(slog.NewTextHandler(io.Discard, nil))

func submission() cases.Submission {
	var s cases.Submission
	if err := json.Unmarshal([]byte(goodComplaint), &s); err != nil {
		panic(err)
	}
	s.Normalize()
	return s
}

// parts returns real handlers bound to the stack's table and queue.
func parts(t *testing.T, s *localtest.Stack) (*dynamo.Store, *queue.SQS, *lifecycle.RuleClocks) {
	t.Helper()
	db, q := testenv.Clients(t)
	clocks, err := app.NewClocks(func(string) string { return "" })
	if err != nil {
		t.Fatal(err)
	}
	return dynamo.New(db, s.TableName("CasesTable"), 0), queue.New(q, s.QueueURL("RouteQueue")), clocks
}

func events_(t *testing.T, st cases.Store, id string) []cases.Event {
	t.Helper()
	evs, err := st.Events(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	return evs
}

func countType(evs []cases.Event, typ string) int {
	n := 0
	for _, e := range evs {
		if e.Type == typ {
			n++
		}
	}
	return n
}

// TestRouteConsumerIsIdempotent delivers the same routing request several
// times in one batch and again later: the case is routed once.
func TestRouteConsumerIsIdempotent(t *testing.T) {
	s := localtest.Start(t, localtest.Options{})
	st, _, _ := parts(t, s)
	ctx := context.Background()
	svc := &intake.Service{Store: st, Route: nopSender{}, Log: quiet, Now: time.Now}
	res, err := svc.Submit(ctx, submission(), cases.ChannelWeb, "")
	if err != nil {
		t.Fatal(err)
	}
	id := res.Case.ID
	body, _ := json.Marshal(cases.RouteRequest{CaseID: id, Reason: "new"})
	ev := events.SQSEvent{Records: []events.SQSMessage{
		{MessageId: "m1", Body: string(body)},
		{MessageId: "m2", Body: string(body)},
		{MessageId: "bad", Body: `{"case_id":"../etc"}`},
	}}
	payload, _ := json.Marshal(ev)
	for round := 0; round < 2; round++ {
		out, err := s.Invoke(ctx, "RouteFunction", payload)
		if err != nil {
			t.Fatal(err)
		}
		var resp events.SQSEventResponse
		if err := json.Unmarshal(out, &resp); err != nil {
			t.Fatal(err)
		}
		if len(resp.BatchItemFailures) != 1 || resp.BatchItemFailures[0].ItemIdentifier != "bad" {
			t.Fatalf("round %d: failures = %+v, want only the malformed message", round, resp.BatchItemFailures)
		}
	}
	evs := events_(t, st, id)
	if n := countType(evs, "routed"); n != 1 {
		t.Errorf("routed events = %d, want 1", n)
	}
	c, err := st.Get(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if c.State != cases.StatePendingAcceptance || c.Version != 2 || len(c.Clocks) != 1 {
		t.Errorf("case = state %s v%d clocks %d", c.State, c.Version, len(c.Clocks))
	}
}

type nopSender struct{}

func (nopSender) Send(context.Context, any) error { return nil }

// TestPoisonMessageReachesDLQ runs the real poller against a copy of the
// template with a short visibility timeout: a message that always fails is
// retried maxReceiveCount times, then the queue's redrive policy moves it
// to the dead-letter queue.
func TestPoisonMessageReachesDLQ(t *testing.T) {
	tmpl, err := local.LoadTemplate(filepath.Join(localtest.RepoRoot(t), "template.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	for i := range tmpl.Queues {
		tmpl.Queues[i].VisibilityTimeout = "1"
	}
	tmpl.Parameters["MaxReceiveCount"] = "2"
	s := localtest.Start(t, localtest.Options{Template: tmpl})
	_, q := testenv.Clients(t)
	ctx := context.Background()
	if _, err := q.SendMessage(ctx, &sqs.SendMessageInput{
		QueueUrl: aws.String(s.QueueURL("RouteQueue")), MessageBody: aws.String("not json"),
	}); err != nil {
		t.Fatal(err)
	}
	dlq := s.QueueURL("RouteDLQ")
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		out, err := q.ReceiveMessage(ctx, &sqs.ReceiveMessageInput{QueueUrl: aws.String(dlq), WaitTimeSeconds: 1})
		if err != nil {
			t.Fatal(err)
		}
		if len(out.Messages) == 1 {
			if got := aws.ToString(out.Messages[0].Body); got != "not json" {
				t.Fatalf("DLQ body = %q", got)
			}
			if st := s.Stats(); st.Failed < 2 {
				t.Errorf("poller reported %d failures, want ≥ 2 before dead-lettering", st.Failed)
			}
			return
		}
	}
	t.Fatalf("message never reached the DLQ; stats %+v", s.Stats())
}

// TestSweepRequeuesStuckCase: the routing message is lost (the queue is
// unreachable when the case is filed); the case is stored all the same, and
// the sweep re-queues it once the grace period has passed.
func TestSweepRequeuesStuckCase(t *testing.T) {
	s := localtest.Start(t, localtest.Options{})
	st, q, clocks := parts(t, s)
	_, rawQ := testenv.Clients(t)
	ctx := context.Background()
	broken := queue.New(rawQ, s.QueueURL("RouteQueue")+"-missing")
	t0 := time.Now()
	svc := &intake.Service{Store: st, Route: broken, Log: quiet, Now: func() time.Time { return t0 }, RequeueAfter: 5 * time.Minute}
	res, err := svc.Submit(ctx, submission(), cases.ChannelWeb, "")
	if err != nil {
		t.Fatalf("submit must succeed when only the queue fails: %v", err)
	}
	if res.Queued {
		t.Fatal("Queued = true with a missing queue")
	}
	sw := &sweep.Handler{Store: st, Route: q, Clocks: clocks, Log: quiet, RequeueAfter: 5 * time.Minute}

	sw.Now = func() time.Time { return t0.Add(time.Minute) }
	if sum, err := sw.Handle(ctx, nil); err != nil || sum.Requeued != 0 {
		t.Fatalf("before the grace period: %+v %v", sum, err)
	}
	sw.Now = func() time.Time { return t0.Add(6 * time.Minute) }
	sum, err := sw.Handle(ctx, nil)
	if err != nil || sum.Requeued != 1 {
		t.Fatalf("after the grace period: %+v %v", sum, err)
	}
	// Running again at the same instant changes nothing.
	if sum, err := sw.Handle(ctx, nil); err != nil || sum.Requeued != 0 || sum.Checked != 0 {
		t.Fatalf("second run: %+v %v", sum, err)
	}
	// The poller routes the re-queued case.
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		c, err := st.Get(ctx, res.Case.ID)
		if err != nil {
			t.Fatal(err)
		}
		if c.State != cases.StateReceived {
			if n := countType(events_(t, st, c.ID), "requeued"); n != 1 {
				t.Errorf("requeued events = %d", n)
			}
			return
		}
		time.Sleep(200 * time.Millisecond)
	}
	t.Fatal("re-queued case was never routed")
}

// TestSweepFlagsOverdue routes a case, then sweeps at instants before, near
// and after its due date.
func TestSweepFlagsOverdue(t *testing.T) {
	s := localtest.Start(t, localtest.Options{})
	st, q, clocks := parts(t, s)
	ctx := context.Background()
	svc := &intake.Service{Store: st, Route: nopSender{}, Log: quiet, Now: time.Now}
	res, err := svc.Submit(ctx, submission(), cases.ChannelWeb, "")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := json.Marshal(cases.RouteRequest{CaseID: res.Case.ID})
	payload, _ := json.Marshal(events.SQSEvent{Records: []events.SQSMessage{{MessageId: "1", Body: string(body)}}})
	if _, err := s.Invoke(ctx, "RouteFunction", payload); err != nil {
		t.Fatal(err)
	}
	c, err := st.Get(ctx, res.Case.ID)
	if err != nil || len(c.Clocks) != 1 || c.WatchAt == nil {
		t.Fatalf("routed case: %+v %v", c, err)
	}
	due := c.Clocks[0].DueAt
	_, rawQ := testenv.Clients(t)
	notify := queue.New(rawQ, s.QueueURL("NotifyQueue"))
	sw := &sweep.Handler{Store: st, Route: q, Notify: notify, Clocks: clocks, Log: quiet, RequeueAfter: 5 * time.Minute}
	run := func(at time.Time) sweep.Summary {
		t.Helper()
		sw.Now = func() time.Time { return at }
		sum, err := sw.Handle(ctx, nil)
		if err != nil {
			t.Fatal(err)
		}
		return sum
	}
	if sum := run(c.Clocks[0].StartedAt.Add(time.Hour)); sum.Checked != 0 {
		t.Errorf("fresh case was read by the sweep: %+v", sum)
	}
	if sum := run(*c.WatchAt); sum.DueSoon != 1 || sum.Overdue != 0 {
		t.Errorf("at the watch time: %+v, want due_soon", sum)
	}
	if sum := run(due.Add(-time.Second)); sum.Checked != 0 {
		t.Errorf("due soon already flagged, yet read again: %+v", sum)
	}
	if sum := run(due); sum.Overdue != 1 {
		t.Errorf("at the due instant: %+v, want overdue", sum)
	}
	for i := 0; i < 2; i++ {
		if sum := run(due.Add(48 * time.Hour)); sum.Checked != 0 || sum.Overdue != 0 {
			t.Errorf("re-run %d changed something: %+v", i, sum)
		}
	}
	c, _ = st.Get(ctx, res.Case.ID)
	if !c.Overdue || !c.DueSoon || c.WatchAt != nil {
		t.Errorf("case flags overdue=%v due_soon=%v watch=%v", c.Overdue, c.DueSoon, c.WatchAt)
	}
	evs := events_(t, st, c.ID)
	if countType(evs, "overdue") != 1 || countType(evs, "due_soon") != 1 || countType(evs, "escalated") != 1 {
		t.Errorf("events: %+v", evs)
	}
	for _, e := range evs {
		if e.Type == "escalated" && (e.Data["from_unit"] != "630102" || e.Data["to_unit"] != "630100") {
			t.Errorf("escalated %v, want 630102 → 630100", e.Data)
		}
	}
	// The notify consumer delivers the notices to the units' inboxes, once
	// each even when a notice is sent again.
	_ = notify.Send(ctx, cases.Notice{CaseID: c.ID, Kind: "overdue", Unit: "630102", Clock: "acceptance",
		DueDate: c.Clocks[0].DueDate.String(), Key: c.ID + "/overdue/acceptance/" + c.Clocks[0].DueDate.String()})
	inbox := func(unit string, want int) []cases.StoredNotice {
		t.Helper()
		deadline := time.Now().Add(20 * time.Second)
		for {
			ns, _, err := st.Notices(ctx, unit, "", 50)
			if err != nil {
				t.Fatal(err)
			}
			if len(ns) >= want || time.Now().After(deadline) {
				return ns
			}
			time.Sleep(200 * time.Millisecond)
		}
	}
	if ns := inbox("630100", 1); len(ns) != 1 || ns[0].Kind != "escalated" || ns[0].CaseID != c.ID {
		t.Errorf("prefecture inbox = %+v", ns)
	}
	drained(t, s, "NotifyQueue")
	ns := inbox("630102", 2)
	kinds := map[string]int{}
	for _, n := range ns {
		kinds[n.Kind]++
	}
	if kinds["due_soon"] != 1 || kinds["overdue"] != 1 || len(ns) != 2 {
		t.Errorf("county inbox = %+v", ns)
	}
}

// drained waits, boundedly, until a queue has no visible or in-flight
// messages left: every message was consumed and deleted.
func drained(t *testing.T, s *localtest.Stack, queueID string) {
	t.Helper()
	_, q := testenv.Clients(t)
	deadline := time.Now().Add(20 * time.Second)
	for {
		out, err := q.GetQueueAttributes(context.Background(), &sqs.GetQueueAttributesInput{
			QueueUrl: aws.String(s.QueueURL(queueID)),
			AttributeNames: []sqstypes.QueueAttributeName{
				sqstypes.QueueAttributeNameApproximateNumberOfMessages,
				sqstypes.QueueAttributeNameApproximateNumberOfMessagesNotVisible,
			},
		})
		if err != nil {
			t.Fatal(err)
		}
		if out.Attributes["ApproximateNumberOfMessages"] == "0" && out.Attributes["ApproximateNumberOfMessagesNotVisible"] == "0" {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s not drained: %v", queueID, out.Attributes)
		}
		time.Sleep(100 * time.Millisecond)
	}
}
