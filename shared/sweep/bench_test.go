package sweep_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/open12315/intake/infra/emulators/testenv"
	"github.com/open12315/intake/shared/app"
	"github.com/open12315/intake/shared/cases"
	"github.com/open12315/intake/shared/deadline"
	"github.com/open12315/intake/shared/dynamo"
	"github.com/open12315/intake/shared/dynamo/dynamotest"
	"github.com/open12315/intake/shared/lifecycle"
	"github.com/open12315/intake/shared/sweep"
)

func TestMain(m *testing.M) { testenv.Main(m) }

// BenchmarkSweepReadCost loads open cases (100,000 by default;
// SWEEP_BENCH_CASES changes it) of which 100 are due, then measures the
// read capacity one sweep consumes per due case, as DynamoDB reports it
// (ReturnConsumedCapacity), next to a Scan-based sweep over the same table
// in the same run. The index sweep's cost follows the due cases; the scan's
// follows the table.
func BenchmarkSweepReadCost(b *testing.B) {
	total := 100_000
	if v, err := strconv.Atoi(os.Getenv("SWEEP_BENCH_CASES")); err == nil && v > 0 {
		total = v
	}
	const due = 100
	db, _ := testenv.Clients(b)
	table := dynamotest.NewTable(b, db)
	ctx := context.Background()
	now := time.Now().UTC().Truncate(time.Second)
	clocks, err := app.NewClocks(func(string) string { return "" })
	if err != nil {
		b.Fatal(err)
	}
	store := dynamo.New(db, table, 0)

	// Realistic open cases: routed, with an acceptance clock; the due ones
	// have a watch time in the past, the others weeks ahead.
	start := time.Now()
	load(b, db, store, clocks, total, due, now)
	b.Logf("loaded %d cases in %s", total, time.Since(start).Round(time.Second))

	// The naive sweep first, while the due cases are still due: scan
	// everything, filter on the watch time.
	var scanRCU float64
	found, pages := 0, 0
	scanStart := time.Now()
	var startKey map[string]types.AttributeValue
	for {
		out, err := db.Scan(ctx, &dynamodb.ScanInput{
			TableName:                 aws.String(table),
			FilterExpression:          aws.String("due_at <= :t"),
			ExpressionAttributeValues: map[string]types.AttributeValue{":t": &types.AttributeValueMemberS{Value: dynamo.DueAtKey(now)}},
			ExclusiveStartKey:         startKey,
			ReturnConsumedCapacity:    types.ReturnConsumedCapacityTotal,
			// Only the count: the capacity a scan consumes is the same,
			// and the emulator need not ship every item.
			Select: types.SelectCount,
		})
		if err != nil {
			b.Fatal(err)
		}
		scanRCU += aws.ToFloat64(out.ConsumedCapacity.CapacityUnits)
		found += int(out.Count)
		pages++
		if pages%20 == 0 {
			fmt.Fprintf(os.Stderr, "sweep bench: scanned %d pages (%.0f RCU) in %s\n", pages, scanRCU, time.Since(scanStart).Round(time.Second))
		}
		if len(out.LastEvaluatedKey) == 0 {
			break
		}
		startKey = out.LastEvaluatedKey
	}
	if found < due {
		b.Fatalf("scan found %d due cases", found)
	}

	var mu sync.Mutex
	rcu := map[string]float64{}
	metered := store.WithCapacity(func(op string, c *types.ConsumedCapacity) {
		mu.Lock()
		rcu[op] += aws.ToFloat64(c.CapacityUnits)
		mu.Unlock()
	})
	sw := &sweep.Handler{Store: metered, Route: nop{}, Clocks: clocks, Now: func() time.Time { return now },
		Log: slog.New(slog.NewTextHandler(io.Discard, nil)), RequeueAfter: 5 * time.Minute}

	b.ResetTimer()
	var sum sweep.Summary
	for i := 0; i < b.N; i++ {
		sum, err = sw.Handle(ctx, nil)
		if err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	if b.N == 1 && sum.Checked != due {
		b.Fatalf("sweep checked %d cases, want %d", sum.Checked, due)
	}
	indexRCU := (rcu["Query due"] + rcu["GetItem"]) / float64(b.N)

	b.ReportMetric(indexRCU/due, "index-RCU/due-case")
	b.ReportMetric(scanRCU/due, "scan-RCU/due-case")
	b.ReportMetric(scanRCU/indexRCU, "x-cheaper")
	b.ReportMetric(float64(total), "open-cases")
}

type nop struct{}

func (nop) Send(context.Context, any) error { return nil }

// load writes total cases with BatchWriteItem (8 writers), due of them due.
func load(b *testing.B, db *dynamodb.Client, store *dynamo.Store, clocks *lifecycle.RuleClocks, total, due int, now time.Time) {
	b.Helper()
	ctx := context.Background()
	sub := cases.Submission{
		Kind:     cases.KindComplaint,
		Consumer: cases.Person{Name: "王五", Phone: "13800138000", Address: "西宁市城西区胜利路1号"},
		Business: cases.Business{Name: "某商店", Address: "西宁市城西区五四大街3号", RegionCode: "630104"},
		Facts:    "购买的电热水器使用一周后漏水，商家拒绝维修。", Request: "更换或退货",
	}
	jobs := make(chan int)
	errs := make(chan error, 8)
	var wg sync.WaitGroup
	for w := 0; w < 8; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var batch []types.WriteRequest
			flush := func() error {
				for len(batch) > 0 {
					out, err := db.BatchWriteItem(ctx, &dynamodb.BatchWriteItemInput{
						RequestItems: map[string][]types.WriteRequest{store.Table(): batch},
					})
					if err != nil {
						return err
					}
					batch = out.UnprocessedItems[store.Table()]
				}
				return nil
			}
			for i := range jobs {
				received := now.Add(-time.Duration(i%72) * time.Hour)
				c, _, err := cases.New(sub, cases.ChannelWeb, received, nil)
				if err != nil {
					errs <- err
					return
				}
				c.State = cases.StatePendingAcceptance
				c.Unit = &cases.Unit{Code: "630104", Name: "西宁市城西区市场监督管理局"}
				k, err := clocks.Start(deadline.Acceptance, received, received, "630104")
				if err != nil {
					errs <- err
					return
				}
				c.Clocks = []deadline.Clock{k}
				watch := now.Add(30 * 24 * time.Hour)
				if i < due {
					watch = now.Add(-time.Hour)
				}
				c.WatchAt = &watch
				item, err := store.Item(c)
				if err != nil {
					errs <- err
					return
				}
				batch = append(batch, types.WriteRequest{PutRequest: &types.PutRequest{Item: item}})
				if len(batch) == 25 {
					if err := flush(); err != nil {
						errs <- err
						return
					}
				}
			}
			if err := flush(); err != nil {
				errs <- err
			}
		}()
	}
	t0 := time.Now()
	for i := 0; i < total; i++ {
		if i > 0 && i%20000 == 0 {
			fmt.Fprintf(os.Stderr, "sweep bench: %d cases loaded in %s\n", i, time.Since(t0).Round(time.Second))
		}
		select {
		case jobs <- i:
		case err := <-errs:
			b.Fatal(err)
		}
	}
	close(jobs)
	wg.Wait()
	select {
	case err := <-errs:
		b.Fatal(err)
	default:
	}
}
