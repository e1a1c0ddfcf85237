package dynamo_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/open12315/intake/infra/emulators/testenv"
	"github.com/open12315/intake/shared/cases"
	"github.com/open12315/intake/shared/dynamo"
	"github.com/open12315/intake/shared/dynamo/dynamotest"
)

func TestMain(m *testing.M) { testenv.Main(m) }

func newStore(t *testing.T, shards int) (*dynamo.Store, *dynamodb.Client) {
	t.Helper()
	db, _ := testenv.Clients(t)
	return dynamo.New(db, dynamotest.NewTable(t, db), shards), db
}

func newCase(t *testing.T, watch *time.Time) *cases.Case {
	t.Helper()
	c, _, err := cases.New(cases.Submission{Facts: "商品质量问题很严重", Consumer: cases.Person{Phone: "13800138000"}},
		cases.ChannelWeb, time.Now(), nil)
	if err != nil {
		t.Fatal(err)
	}
	c.WatchAt = watch
	return c
}

func first(c *cases.Case) cases.Event {
	return cases.Event{CaseID: c.ID, Seq: 1, At: c.ReceivedAt, Actor: "consumer", Type: "received"}
}

func TestCreateGetAndConditionalWrites(t *testing.T) {
	st, _ := newStore(t, 0)
	ctx := context.Background()
	c := newCase(t, nil)
	if err := st.Create(ctx, c, first(c), "", cases.Receipt{}); err != nil {
		t.Fatal(err)
	}
	if err := st.Create(ctx, c, first(c), "", cases.Receipt{}); !errors.Is(err, cases.ErrExists) {
		t.Errorf("second create: %v, want ErrExists", err)
	}
	got, err := st.Get(ctx, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.ID != c.ID || got.Consumer.Phone != "13800138000" || !got.ReceivedAt.Equal(c.ReceivedAt) {
		t.Errorf("round trip: %+v", got)
	}
	if _, err := st.Get(ctx, "QH20260101-ABCDEFGHJK"); !errors.Is(err, cases.ErrNotFound) {
		t.Errorf("unknown id: %v", err)
	}

	// A stale write loses, and loses whole: its event is not stored.
	next := *got
	next.Version++
	next.State = cases.StateTriage
	if err := st.Update(ctx, &next, cases.Event{CaseID: c.ID, Seq: 2, Type: "a"}); err != nil {
		t.Fatal(err)
	}
	stale := *got
	stale.Version++
	if err := st.Update(ctx, &stale, cases.Event{CaseID: c.ID, Seq: 2, Type: "b"}); !errors.Is(err, cases.ErrVersionConflict) {
		t.Errorf("stale update: %v, want ErrVersionConflict", err)
	}
	evs, err := st.Events(ctx, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(evs) != 2 || evs[0].Type != "received" || evs[1].Type != "a" {
		t.Errorf("events = %+v", evs)
	}
}

// TestConcurrentUpdatesLoseNothing: many writers race on one case, each
// retrying on conflict; every increment survives.
func TestConcurrentUpdatesLoseNothing(t *testing.T) {
	st, _ := newStore(t, 0)
	ctx := context.Background()
	c := newCase(t, nil)
	if err := st.Create(ctx, c, first(c), "", cases.Receipt{}); err != nil {
		t.Fatal(err)
	}
	const writers, each = 4, 5
	var wg sync.WaitGroup
	var conflicts sync.Map
	for w := 0; w < writers; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for i := 0; i < each; i++ {
				for {
					cur, err := st.Get(ctx, c.ID)
					if err != nil {
						t.Error(err)
						return
					}
					cur.Version++
					cur.AmountFen++
					err = st.Update(ctx, cur, cases.Event{CaseID: c.ID, Seq: cur.Version, Type: fmt.Sprintf("w%d", w)})
					if errors.Is(err, cases.ErrVersionConflict) {
						conflicts.Store(w, true)
						continue
					}
					if err != nil {
						t.Error(err)
					}
					break
				}
			}
		}(w)
	}
	wg.Wait()
	got, err := st.Get(ctx, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.AmountFen != writers*each || got.Version != 1+writers*each {
		t.Errorf("amount %d version %d, want %d and %d", got.AmountFen, got.Version, writers*each, 1+writers*each)
	}
	evs, _ := st.Events(ctx, c.ID)
	if len(evs) != 1+writers*each {
		t.Errorf("%d events, want %d", len(evs), 1+writers*each)
	}
}

func TestIdempotencyReceipt(t *testing.T) {
	st, _ := newStore(t, 0)
	ctx := context.Background()
	c1 := newCase(t, nil)
	r := cases.Receipt{CaseID: c1.ID, TrackingCode: "ABCDEFGHJK", RequestHash: "h1", CreatedAt: time.Now()}
	if err := st.Create(ctx, c1, first(c1), "key-1", r); err != nil {
		t.Fatal(err)
	}
	c2 := newCase(t, nil)
	err := st.Create(ctx, c2, first(c2), "key-1", cases.Receipt{CaseID: c2.ID, CreatedAt: time.Now()})
	var dup *cases.IdempotencyConflictError
	if !errors.As(err, &dup) || dup.Existing.CaseID != c1.ID || dup.Existing.TrackingCode != "ABCDEFGHJK" {
		t.Fatalf("reused key: %v", err)
	}
	if _, err := st.Get(ctx, c2.ID); !errors.Is(err, cases.ErrNotFound) {
		t.Errorf("the refused case was stored: %v", err)
	}
	// A receipt past its TTL no longer answers, even before DynamoDB
	// deletes it.
	c3 := newCase(t, nil)
	later := time.Now().Add(dynamo.IdempotencyTTL + time.Hour)
	err = st.Create(ctx, c3, first(c3), "key-1", cases.Receipt{CaseID: c3.ID, CreatedAt: later})
	if err == nil || errors.As(err, &dup) {
		t.Errorf("expired receipt: %v, want a retryable error", err)
	}
}

// TestDueIndexPaging puts cases across shards with watch times before and
// after a cut-off and reads them back page by page.
func TestDueIndexPaging(t *testing.T) {
	st, db := newStore(t, 3)
	ctx := context.Background()
	cut := time.Now().UTC().Truncate(time.Second)
	want := map[string]bool{}
	for i := 0; i < 14; i++ {
		w := cut.Add(time.Duration(i-9) * time.Minute) // 10 at or before the cut
		c := newCase(t, &w)
		if err := st.Create(ctx, c, first(c), "", cases.Receipt{}); err != nil {
			t.Fatal(err)
		}
		if !w.After(cut) {
			want[c.ID] = true
		}
	}
	quiet := newCase(t, nil) // no watch time: not in the index at all
	if err := st.Create(ctx, quiet, first(quiet), "", cases.Receipt{}); err != nil {
		t.Fatal(err)
	}
	got := map[string]bool{}
	pages := 0
	for shard := 0; shard < st.Shards(); shard++ {
		cursor := ""
		var last time.Time
		for {
			refs, next, err := st.Due(ctx, shard, cut, cursor, 2)
			if err != nil {
				t.Fatal(err)
			}
			pages++
			for _, r := range refs {
				if got[r.CaseID] {
					t.Errorf("%s read twice", r.CaseID)
				}
				if r.WatchAt.Before(last) {
					t.Errorf("shard %d out of order", shard)
				}
				last = r.WatchAt
				got[r.CaseID] = true
			}
			if next == "" {
				break
			}
			cursor = next
		}
	}
	if len(got) != len(want) {
		t.Errorf("read %d due cases, want %d", len(got), len(want))
	}
	for id := range want {
		if !got[id] {
			t.Errorf("missed %s", id)
		}
	}
	if pages < 5 {
		t.Errorf("only %d pages: paging not exercised", pages)
	}
	if _, _, err := st.Due(ctx, 0, cut, "not a cursor!", 2); !errors.Is(err, dynamo.ErrBadCursor) {
		t.Errorf("bad cursor: %v", err)
	}
	// Clearing the watch time takes a case out of the index.
	c, err := st.Get(ctx, firstKey(want))
	if err != nil {
		t.Fatal(err)
	}
	c.Version++
	c.WatchAt = nil
	if err := st.Update(ctx, c); err != nil {
		t.Fatal(err)
	}
	out, err := db.Query(ctx, &dynamodb.QueryInput{
		TableName: aws.String(st.Table()), IndexName: aws.String(dynamo.IndexDue),
		KeyConditionExpression:    aws.String("due_shard = :s"),
		ExpressionAttributeValues: map[string]types.AttributeValue{":s": &types.AttributeValueMemberS{Value: fmt.Sprintf("S%d", st.Shard(c.ID))}},
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, it := range out.Items {
		if it["pk"].(*types.AttributeValueMemberS).Value == "CASE#"+c.ID {
			t.Error("case without a watch time is still indexed")
		}
	}
}

func firstKey(m map[string]bool) string {
	for k := range m {
		return k
	}
	return ""
}
