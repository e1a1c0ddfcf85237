// Package app wires the handlers to their AWS clients and configuration.
// Each function's main calls one constructor here with os.Getenv; the local
// stack calls the same constructor with the environment it resolved from
// template.yaml, so both run the same code.
//
// Configuration (environment variables):
//
//	TABLE_NAME                 DynamoDB table of cases (required)
//	ROUTE_QUEUE_URL            SQS queue of routing requests
//	NOTIFY_QUEUE_URL           SQS queue of notices (due soon, overdue, escalated)
//	DUE_SHARDS                 write shards of the due index (default 8)
//	REQUEUE_AFTER_SECONDS      re-queue cases unrouted this long (default 300)
//	DUE_SOON_WORKING_DAYS      flag clocks this many working days before due (default 2)
//	INTAKE_CALENDAR_DIR        extra holiday-calendar files (next year's notice, regional overlays)
//	CALENDAR_BEYOND_COVERAGE   weekends (default: provisional due dates past the data) or strict
//	INTAKE_RULE_OVERRIDES      statutory limit overrides, e.g. "order121.mediation=30"
//	LOG_LEVEL                  DEBUG, INFO, WARN or ERROR (default INFO)
//	AWS_ENDPOINT_URL_DYNAMODB  local DynamoDB endpoint (local runs and tests only)
//	AWS_ENDPOINT_URL_SQS       local SQS endpoint (local runs and tests only)
package app

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/aws/aws-lambda-go/lambdacontext"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/sqs"

	"github.com/open12315/intake/shared/api"
	"github.com/open12315/intake/shared/dynamo"
	"github.com/open12315/intake/shared/intake"
	"github.com/open12315/intake/shared/lifecycle"
	"github.com/open12315/intake/shared/notify"
	"github.com/open12315/intake/shared/queue"
	"github.com/open12315/intake/shared/route"
	"github.com/open12315/intake/shared/staff"
	"github.com/open12315/intake/shared/sweep"
	"github.com/open12315/intake/shared/web"
)

// Env reads configuration; os.Getenv in Lambda.
type Env func(string) string

func (e Env) str(key, def string) string {
	if v := strings.TrimSpace(e(key)); v != "" {
		return v
	}
	return def
}

func (e Env) required(key string) (string, error) {
	v := strings.TrimSpace(e(key))
	if v == "" {
		return "", fmt.Errorf("configuration: %s is not set", key)
	}
	return v, nil
}

func (e Env) int(key string, def int) (int, error) {
	v := strings.TrimSpace(e(key))
	if v == "" {
		return def, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 0 {
		return 0, fmt.Errorf("configuration: %s=%q is not a non-negative integer", key, v)
	}
	return n, nil
}

// LogOutput is where function logs go: standard error, which Lambda sends
// to CloudWatch Logs. Tests point it elsewhere to read what is logged.
var LogOutput io.Writer = os.Stderr

// Logger returns the JSON logger every function uses: one line per record,
// the Lambda request id attached when there is one. Handlers log ids and
// outcomes, never personal data.
func Logger(env Env) *slog.Logger {
	var lvl slog.Level
	_ = lvl.UnmarshalText([]byte(env.str("LOG_LEVEL", "INFO")))
	h := slog.NewJSONHandler(LogOutput, &slog.HandlerOptions{Level: lvl})
	return slog.New(requestIDHandler{h})
}

// requestIDHandler adds the Lambda request id from the context.
type requestIDHandler struct{ slog.Handler }

func (h requestIDHandler) Handle(ctx context.Context, r slog.Record) error {
	if lc, ok := lambdacontext.FromContext(ctx); ok {
		r.AddAttrs(slog.String("aws_request_id", lc.AwsRequestID))
	}
	return h.Handler.Handle(ctx, r)
}

func (h requestIDHandler) WithAttrs(as []slog.Attr) slog.Handler {
	return requestIDHandler{h.Handler.WithAttrs(as)}
}

func (h requestIDHandler) WithGroup(n string) slog.Handler {
	return requestIDHandler{h.Handler.WithGroup(n)}
}

// AWSConfig loads the AWS configuration. When local endpoints are set it
// uses static dummy credentials, so a laptop needs no AWS account.
func AWSConfig(ctx context.Context, env Env) (aws.Config, error) {
	opts := []func(*config.LoadOptions) error{config.WithRegion(env.str("AWS_REGION", "cn-northwest-1"))}
	if env("AWS_ENDPOINT_URL_DYNAMODB") != "" || env("AWS_ENDPOINT_URL_SQS") != "" {
		opts = append(opts, config.WithCredentialsProvider(credentials.NewStaticCredentialsProvider("local", "local", "")))
	}
	cfg, err := config.LoadDefaultConfig(ctx, opts...)
	if err != nil {
		return aws.Config{}, fmt.Errorf("load AWS config: %w", err)
	}
	return cfg, nil
}

// LambdaAWSConfig builds the AWS configuration a function needs from the
// environment Lambda gives it: the region and the execution role's
// credentials (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY,
// AWS_SESSION_TOKEN). It skips the shared-config and SSO machinery of
// config.LoadDefaultConfig, which a function never uses, and so keeps the
// binaries smaller and their cold starts shorter. Locally (endpoints set)
// it uses dummy credentials.
func LambdaAWSConfig(env Env) aws.Config {
	cfg := aws.Config{Region: env.str("AWS_REGION", "cn-northwest-1")}
	switch {
	case env("AWS_ENDPOINT_URL_DYNAMODB") != "" || env("AWS_ENDPOINT_URL_SQS") != "":
		cfg.Credentials = credentials.NewStaticCredentialsProvider("local", "local", "")
	default:
		cfg.Credentials = aws.NewCredentialsCache(credentials.NewStaticCredentialsProvider(
			env("AWS_ACCESS_KEY_ID"), env("AWS_SECRET_ACCESS_KEY"), env("AWS_SESSION_TOKEN")))
	}
	return cfg
}

// DynamoDB returns a client, pointed at AWS_ENDPOINT_URL_DYNAMODB when set.
func DynamoDB(cfg aws.Config, env Env) *dynamodb.Client {
	ep := env("AWS_ENDPOINT_URL_DYNAMODB")
	return dynamodb.NewFromConfig(cfg, func(o *dynamodb.Options) {
		if ep != "" {
			o.BaseEndpoint = aws.String(ep)
			// DynamoDB Local omits the CRC32 header on some answers.
			o.DisableValidateResponseChecksum = true
		}
	})
}

// SQS returns a client, pointed at AWS_ENDPOINT_URL_SQS when set.
func SQS(cfg aws.Config, env Env) *sqs.Client {
	ep := env("AWS_ENDPOINT_URL_SQS")
	return sqs.NewFromConfig(cfg, func(o *sqs.Options) {
		if ep != "" {
			o.BaseEndpoint = aws.String(ep)
		}
	})
}

// Deps are the pieces every handler shares.
type Deps struct {
	Env          Env
	Log          *slog.Logger
	Store        *dynamo.Store
	RouteQueue   queue.Sender
	NotifyQueue  queue.Sender
	Clocks       *lifecycle.RuleClocks
	RequeueAfter time.Duration
	// AWS is the loaded configuration, for constructors that need more
	// clients (channels.go).
	AWS aws.Config
}

// NewDeps builds the shared pieces from the environment.
func NewDeps(ctx context.Context, env Env) (*Deps, error) {
	table, err := env.required("TABLE_NAME")
	if err != nil {
		return nil, err
	}
	shards, err := env.int("DUE_SHARDS", dynamo.DefaultShards)
	if err != nil {
		return nil, err
	}
	secs, err := env.int("REQUEUE_AFTER_SECONDS", int(intake.DefaultRequeueAfter/time.Second))
	if err != nil {
		return nil, err
	}
	cfg := LambdaAWSConfig(env)
	clocks, err := NewClocks(env)
	if err != nil {
		return nil, err
	}
	d := &Deps{
		Env:          env,
		Log:          Logger(env),
		Store:        dynamo.New(DynamoDB(cfg, env), table, shards),
		Clocks:       clocks,
		RequeueAfter: time.Duration(secs) * time.Second,
		AWS:          cfg,
	}
	if url := env("ROUTE_QUEUE_URL"); url != "" {
		d.RouteQueue = queue.New(SQS(cfg, env), url)
	}
	if url := env("NOTIFY_QUEUE_URL"); url != "" {
		d.NotifyQueue = queue.New(SQS(cfg, env), url)
	}
	return d, nil
}

func now() time.Time { return time.Now() }

// API builds the public HTTP API handler (functions/api).
func API(ctx context.Context, env Env) (*api.Handler, error) {
	d, err := NewDeps(ctx, env)
	if err != nil {
		return nil, err
	}
	if d.RouteQueue == nil {
		return nil, fmt.Errorf("configuration: ROUTE_QUEUE_URL is not set")
	}
	return &api.Handler{
		Store: d.Store,
		Log:   d.Log,
		Intake: &intake.Service{
			Store: d.Store, Route: d.RouteQueue, Log: d.Log, Now: now, RequeueAfter: d.RequeueAfter,
		},
	}, nil
}

// Route builds the routing-queue consumer (functions/route).
func Route(ctx context.Context, env Env) (*route.Handler, error) {
	d, err := NewDeps(ctx, env)
	if err != nil {
		return nil, err
	}
	router, err := NewRouter(d.Store)
	if err != nil {
		return nil, err
	}
	return &route.Handler{Store: withProgress(d, d.Store), Router: router, Clocks: d.Clocks, Log: d.Log, Now: now}, nil
}

// Sweep builds the scheduled clock sweep (functions/sweep).
func Sweep(ctx context.Context, env Env) (*sweep.Handler, error) {
	d, err := NewDeps(ctx, env)
	if err != nil {
		return nil, err
	}
	if d.RouteQueue == nil {
		return nil, fmt.Errorf("configuration: ROUTE_QUEUE_URL is not set")
	}
	return &sweep.Handler{
		Store: d.Store, Route: d.RouteQueue, Notify: d.NotifyQueue, Clocks: d.Clocks, Log: d.Log, Now: now,
		RequeueAfter: d.RequeueAfter,
	}, nil
}

// Staff builds the staff API handler (functions/staff).
func Staff(ctx context.Context, env Env) (*staff.Handler, error) {
	d, err := NewDeps(ctx, env)
	if err != nil {
		return nil, err
	}
	return &staff.Handler{Store: withStaffProgress(d), Clocks: d.Clocks, Log: d.Log, Now: now}, nil
}

// Notify builds the notification-queue consumer (functions/notify).
func Notify(ctx context.Context, env Env) (*notify.Handler, error) {
	d, err := NewDeps(ctx, env)
	if err != nil {
		return nil, err
	}
	return &notify.Handler{Inbox: d.Store, Log: d.Log, Now: now}, nil
}

// Web builds the handler of the mobile web page (functions/web). It needs
// no AWS client: the page calls the public API.
func Web(ctx context.Context, env Env) (*web.Handler, error) {
	return &web.Handler{Log: Logger(env)}, nil
}
