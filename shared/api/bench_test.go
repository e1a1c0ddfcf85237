package api_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"strconv"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/aws/aws-sdk-go-v2/service/sqs"

	"github.com/open12315/intake/infra/emulators/testenv"
	"github.com/open12315/intake/shared/api"
	"github.com/open12315/intake/shared/dynamo"
	"github.com/open12315/intake/shared/dynamo/dynamotest"
	"github.com/open12315/intake/shared/intake"
	"github.com/open12315/intake/shared/queue"
)

func TestMain(m *testing.M) { testenv.Main(m) }

const body = `{"kind":"complaint",
 "consumer":{"name":"张三","phone":"13800138000","address":"西宁市城东区八一路1号"},
 "business":{"name":"西宁某某超市","address":"西宁市城东区东关大街2号","region_code":"630102"},
 "facts":"在超市购买的牛奶已过保质期，饮用后腹泻。","request":"退款并赔偿","amount_yuan":"35.50"}`

// BenchmarkIntakePath measures filing one complaint through the API
// handler (JSON decoding, validation, the conditional transaction of case,
// event and idempotency receipt, the routing message) against a baseline
// measured in the same run on the same emulators: one bare PutItem of a
// case-sized item plus one SendMessage, the least any durable
// write-then-queue design must do. The ratio is the cost of our
// guarantees; absolute times depend on the emulators.
func BenchmarkIntakePath(b *testing.B) {
	// A bare table and queue, with no consumer: only the intake path runs.
	db, q := testenv.Clients(b)
	table := dynamotest.NewTable(b, db)
	qo, err := q.CreateQueue(context.Background(), &sqs.CreateQueueInput{QueueName: aws.String(testenv.UniqueName(b, "route"))})
	if err != nil {
		b.Fatal(err)
	}
	url := aws.ToString(qo.QueueUrl)
	store := dynamo.New(db, table, 0)
	h := &api.Handler{
		Store: store,
		Log:   slog.New(slog.NewTextHandler(io.Discard, nil)),
		Intake: &intake.Service{
			Store: store, Route: queue.New(q, url), Now: time.Now,
			Log: slog.New(slog.NewTextHandler(io.Discard, nil)),
		},
	}
	ctx := context.Background()
	const rounds = 200
	baseline := func(i int) {
		item := map[string]types.AttributeValue{
			"pk":   &types.AttributeValueMemberS{Value: "BASE#" + strconv.Itoa(i) + "#" + strconv.FormatInt(time.Now().UnixNano(), 10)},
			"sk":   &types.AttributeValueMemberS{Value: "CASE"},
			"body": &types.AttributeValueMemberS{Value: body},
		}
		if _, err := db.PutItem(ctx, &dynamodb.PutItemInput{TableName: aws.String(table), Item: item}); err != nil {
			b.Fatal(err)
		}
		if _, err := q.SendMessage(ctx, &sqs.SendMessageInput{QueueUrl: aws.String(url), MessageBody: aws.String(`{"case_id":"x"}`)}); err != nil {
			b.Fatal(err)
		}
	}
	file := func(i int) {
		ev := events.APIGatewayV2HTTPRequest{
			RouteKey: "POST /v1/complaints",
			Headers:  map[string]string{"content-type": "application/json", "idempotency-key": fmt.Sprintf("bench-%d-%d", i, time.Now().UnixNano())},
			Body:     body,
		}
		resp, err := h.Handle(ctx, ev)
		if err != nil || resp.StatusCode != 201 {
			b.Fatalf("handler: %d %v %s", resp.StatusCode, err, resp.Body)
		}
	}
	// Warm both paths (connections, JIT of the emulator) before timing.
	for i := 0; i < 20; i++ {
		baseline(i)
		file(i)
	}
	b.ResetTimer()
	var base, ours time.Duration
	for n := 0; n < b.N; n++ {
		// Interleave so that drift in the emulators hits both alike.
		for i := 0; i < rounds; i++ {
			t0 := time.Now()
			baseline(i)
			t1 := time.Now()
			file(i)
			base += t1.Sub(t0)
			ours += time.Since(t1)
		}
	}
	per := float64(b.N * rounds)
	b.ReportMetric(float64(base.Microseconds())/per, "baseline-µs/op")
	b.ReportMetric(float64(ours.Microseconds())/per, "intake-µs/op")
	b.ReportMetric(float64(ours)/float64(base), "x-baseline")
}
