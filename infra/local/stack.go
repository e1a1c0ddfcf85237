package local

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-lambda-go/lambda"
	"github.com/aws/aws-lambda-go/lambdacontext"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/sqs"
	stypes "github.com/aws/aws-sdk-go-v2/service/sqs/types"

	"github.com/open12315/intake/shared/auth"
)

const waitTime = 30 * time.Second

// Factory builds a function's handler from its environment, as the
// function's main does with os.Getenv. The handler is anything
// lambda.NewHandler accepts.
type Factory func(ctx context.Context, getenv func(string) string) (any, error)

// Config describes a local stack.
type Config struct {
	Template       *Template
	StackName      string // prefixes table and queue names; unique per test
	DynamoEndpoint string
	SQSEndpoint    string
	DynamoDB       *dynamodb.Client
	SQS            *sqs.Client
	// Factories maps a function's logical id to its handler factory. A
	// function of the template without a factory is an error: local and
	// cloud must not drift.
	Factories map[string]Factory
	// Env adds to (and overrides) every function's environment, e.g. a
	// development JWT key.
	Env map[string]string
	Log *slog.Logger
	// ScheduleEvery, when set, replaces every schedule's interval (a
	// faster sweep on a laptop). Zero keeps the template's rate.
	ScheduleEvery time.Duration
	// NoSchedules disables the schedulers; tests invoke functions
	// directly instead.
	NoSchedules bool
	// PollWait is the long-poll wait of the queue pollers (default 1 s).
	PollWait time.Duration
	// JWTKey is the development HS256 key the local gateway checks staff
	// tokens with, standing in for API Gateway's JWT authorizer (which
	// checks the issuer's RS256 keys in the cloud). Without it, routes that
	// need a token answer 401.
	JWTKey []byte
}

// Stack is a running local system.
type Stack struct {
	cfg      Config
	Resolver *Resolver
	handlers map[string]lambda.Handler
	routes   []boundRoute
	verifier map[string]*auth.Verifier // by authorizer name
	cancel   context.CancelFunc
	wg       sync.WaitGroup
	mu       sync.Mutex // serialises nothing but stats
	stats    Stats
}

// Stats counts what the local event sources did.
type Stats struct {
	Requests, Batches, Deleted, Failed, Schedules int
}

type boundRoute struct {
	Route
	fn       string
	segments []string
}

// Start provisions the template's resources and starts queue pollers and
// schedulers. Close stops them.
func Start(ctx context.Context, cfg Config) (*Stack, error) {
	if cfg.Log == nil {
		cfg.Log = slog.Default()
	}
	if cfg.PollWait == 0 {
		cfg.PollWait = time.Second
	}
	res, err := Provision(ctx, cfg.Template, cfg.StackName, cfg.DynamoDB, cfg.SQS)
	if err != nil {
		return nil, err
	}
	s := &Stack{cfg: cfg, Resolver: res, handlers: map[string]lambda.Handler{}, verifier: map[string]*auth.Verifier{}}
	for name, az := range cfg.Template.Authorizers {
		iss, err := res.Resolve(az.Issuer)
		if err != nil {
			return nil, fmt.Errorf("authorizer %s issuer: %w", name, err)
		}
		aud, err := res.Resolve(az.Audience[0])
		if err != nil {
			return nil, fmt.Errorf("authorizer %s audience: %w", name, err)
		}
		if len(cfg.JWTKey) > 0 {
			s.verifier[name] = &auth.Verifier{Keys: map[string][]byte{"": cfg.JWTKey}, Issuer: iss, Audience: aud}
		}
	}
	for _, f := range cfg.Template.Functions {
		factory, ok := cfg.Factories[f.LogicalID]
		if !ok {
			return nil, fmt.Errorf("function %s is in the template but has no local factory", f.LogicalID)
		}
		env, err := res.FunctionEnv(f)
		if err != nil {
			return nil, err
		}
		env["AWS_REGION"] = Region
		env["AWS_ENDPOINT_URL_DYNAMODB"] = cfg.DynamoEndpoint
		env["AWS_ENDPOINT_URL_SQS"] = cfg.SQSEndpoint
		env["AWS_LAMBDA_FUNCTION_NAME"] = cfg.StackName + "-" + f.LogicalID
		for k, v := range cfg.Env {
			env[k] = v
		}
		h, err := factory(ctx, func(k string) string { return env[k] })
		if err != nil {
			return nil, fmt.Errorf("build %s: %w", f.LogicalID, err)
		}
		s.handlers[f.LogicalID] = lambda.NewHandler(h)
		for _, r := range f.Routes {
			if _, ok := cfg.Template.Authorizers[r.Authorizer]; r.Authorizer != "" && !ok {
				return nil, fmt.Errorf("%s route %s uses unknown authorizer %s", f.LogicalID, r.Key(), r.Authorizer)
			}
			s.routes = append(s.routes, boundRoute{Route: r, fn: f.LogicalID, segments: splitPath(r.Path)})
		}
	}
	// Most specific routes first: fewer parameters, then longer paths.
	sort.SliceStable(s.routes, func(i, j int) bool { return routeRank(s.routes[i]) > routeRank(s.routes[j]) })

	runCtx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	s.cancel = cancel
	for _, f := range cfg.Template.Functions {
		for _, sub := range f.Subscriptions {
			if res.Arns[sub.Topic] == "" {
				cancel()
				return nil, fmt.Errorf("%s subscribes to unknown topic %s", f.LogicalID, sub.Topic)
			}
		}
		for _, c := range f.Consumers {
			url := res.Refs[c.Queue]
			if url == "" {
				cancel()
				return nil, fmt.Errorf("%s consumes unknown queue %s", f.LogicalID, c.Queue)
			}
			s.wg.Add(1)
			go s.poll(runCtx, f.LogicalID, c, url, res.Arns[c.Queue])
		}
		if cfg.NoSchedules {
			continue
		}
		for _, sc := range f.Schedules {
			every := cfg.ScheduleEvery
			if every == 0 {
				if every, err = RateInterval(sc.Expression); err != nil {
					cancel()
					return nil, fmt.Errorf("%s schedule %s: %w", f.LogicalID, sc.Name, err)
				}
			}
			s.wg.Add(1)
			go s.schedule(runCtx, f.LogicalID, sc, every)
		}
	}
	return s, nil
}

// Close stops pollers and schedulers and waits for them.
func (s *Stack) Close() {
	s.cancel()
	s.wg.Wait()
}

// Stats returns counters of what the event sources did.
func (s *Stack) Stats() Stats {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.stats
}

func (s *Stack) count(f func(*Stats)) {
	s.mu.Lock()
	f(&s.stats)
	s.mu.Unlock()
}

// Invoke sends a JSON payload to a function exactly as the Lambda runtime
// would and returns its JSON answer.
func (s *Stack) Invoke(ctx context.Context, fn string, payload []byte) ([]byte, error) {
	h, ok := s.handlers[fn]
	if !ok {
		return nil, fmt.Errorf("no function %s", fn)
	}
	ctx = lambdacontext.NewContext(ctx, &lambdacontext.LambdaContext{AwsRequestID: newRequestID()})
	return h.Invoke(ctx, payload)
}

// QueueURL returns the local URL of a queue by logical id.
func (s *Stack) QueueURL(logicalID string) string { return s.Resolver.Refs[logicalID] }

// TableName returns the local name of a table by logical id.
func (s *Stack) TableName(logicalID string) string { return s.Resolver.Refs[logicalID] }

// poll mirrors the Lambda SQS event-source mapping: receive up to the
// batch size, invoke, then delete the messages that succeeded. A function
// error leaves the whole batch to reappear after the visibility timeout;
// with ReportBatchItemFailures only the reported messages stay.
func (s *Stack) poll(ctx context.Context, fn string, c Consumer, url, arn string) {
	defer s.wg.Done()
	max := int32(min(c.BatchSize, 10))
	for ctx.Err() == nil {
		out, err := s.cfg.SQS.ReceiveMessage(ctx, &sqs.ReceiveMessageInput{
			QueueUrl:                    aws.String(url),
			MaxNumberOfMessages:         max,
			WaitTimeSeconds:             int32(s.cfg.PollWait / time.Second),
			MessageSystemAttributeNames: []stypes.MessageSystemAttributeName{stypes.MessageSystemAttributeNameAll},
		})
		if err != nil {
			if ctx.Err() == nil {
				s.cfg.Log.Warn("local poller: receive failed", "function", fn, "err", err.Error())
				sleep(ctx, time.Second)
			}
			continue
		}
		if len(out.Messages) == 0 {
			continue
		}
		ev := events.SQSEvent{Records: make([]events.SQSMessage, len(out.Messages))}
		for i, m := range out.Messages {
			ev.Records[i] = events.SQSMessage{
				MessageId:      aws.ToString(m.MessageId),
				ReceiptHandle:  aws.ToString(m.ReceiptHandle),
				Body:           aws.ToString(m.Body),
				Md5OfBody:      aws.ToString(m.MD5OfBody),
				Attributes:     m.Attributes,
				EventSource:    "aws:sqs",
				EventSourceARN: arn,
				AWSRegion:      Region,
			}
		}
		payload, _ := json.Marshal(ev)
		s.count(func(st *Stats) { st.Batches++ })
		resp, err := s.Invoke(ctx, fn, payload)
		if err != nil {
			s.count(func(st *Stats) { st.Failed += len(ev.Records) })
			s.cfg.Log.Warn("local poller: function failed; batch returns after visibility timeout",
				"function", fn, "messages", len(ev.Records), "err", err.Error())
			continue
		}
		failed := map[string]bool{}
		if c.ReportBatchItemFailure {
			var r events.SQSEventResponse
			if len(resp) > 0 && string(resp) != "null" {
				if err := json.Unmarshal(resp, &r); err != nil {
					s.cfg.Log.Warn("local poller: bad batch response; keeping batch", "function", fn, "err", err.Error())
					continue
				}
			}
			for _, f := range r.BatchItemFailures {
				failed[f.ItemIdentifier] = true
			}
		}
		var del []stypes.DeleteMessageBatchRequestEntry
		for i, m := range ev.Records {
			if !failed[m.MessageId] {
				del = append(del, stypes.DeleteMessageBatchRequestEntry{
					Id: aws.String(strconv.Itoa(i)), ReceiptHandle: aws.String(m.ReceiptHandle),
				})
			}
		}
		s.count(func(st *Stats) { st.Failed += len(failed); st.Deleted += len(del) })
		if len(del) > 0 {
			if _, err := s.cfg.SQS.DeleteMessageBatch(context.WithoutCancel(ctx), &sqs.DeleteMessageBatchInput{
				QueueUrl: aws.String(url), Entries: del,
			}); err != nil {
				s.cfg.Log.Warn("local poller: delete failed", "function", fn, "err", err.Error())
			}
		}
	}
}

// schedule fires a ScheduleV2 event on a fixed interval. EventBridge
// Scheduler's default input is an empty JSON object.
func (s *Stack) schedule(ctx context.Context, fn string, sc Schedule, every time.Duration) {
	defer s.wg.Done()
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			s.count(func(st *Stats) { st.Schedules++ })
			if _, err := s.Invoke(ctx, fn, []byte("{}")); err != nil && ctx.Err() == nil {
				s.cfg.Log.Warn("local scheduler: function failed", "function", fn, "schedule", sc.Name, "err", err.Error())
			}
		}
	}
}

// RateInterval parses a schedule's rate(N unit) expression. cron()
// expressions need Config.ScheduleEvery locally.
func RateInterval(expr string) (time.Duration, error) {
	inner, ok := strings.CutPrefix(expr, "rate(")
	if !ok || !strings.HasSuffix(inner, ")") {
		return 0, fmt.Errorf("%q: only rate(...) schedules run locally; set an interval instead", expr)
	}
	n, unit, _ := strings.Cut(strings.TrimSuffix(inner, ")"), " ")
	v, err := strconv.Atoi(n)
	if err != nil || v < 1 {
		return 0, fmt.Errorf("%q: bad rate value", expr)
	}
	switch strings.TrimSuffix(unit, "s") {
	case "minute":
		return time.Duration(v) * time.Minute, nil
	case "hour":
		return time.Duration(v) * time.Hour, nil
	case "day":
		return time.Duration(v) * 24 * time.Hour, nil
	}
	return 0, fmt.Errorf("%q: bad rate unit", expr)
}

func sleep(ctx context.Context, d time.Duration) {
	select {
	case <-ctx.Done():
	case <-time.After(d):
	}
}

func newRequestID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	h := hex.EncodeToString(b[:])
	return h[:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:]
}

// ErrNoRoute: no route of the template matches a request.
var ErrNoRoute = errors.New("no route")
