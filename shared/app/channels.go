package app

// Constructors of the intake channels: the mini-program, the SMS webhooks
// and the End User Messaging SNS subscriber, the 12345 transfer endpoint
// and the outbound (consumer notification) queue consumer.
//
// Configuration (environment variables; secrets come from NoEcho template
// parameters and are never logged):
//
//	OUTBOUND_QUEUE_URL           queue of consumer messages (SMS replies, progress notices)
//	RATE_LIMITS                  per-identity limits, e.g. "phone=10/1h,openid=20/1h,ip=60/1m"
//	WECHAT_APP_ID                mini-program appid (unset: mini-program routes answer 503)
//	WECHAT_APP_SECRET            its AppSecret (secret)
//	WECHAT_API_BASE              WeChat API origin (default https://api.weixin.qq.com; a fake locally)
//	WECHAT_PROGRESS_TEMPLATE_ID  subscribe-message template for progress notices
//	WECHAT_PROGRESS_PAGE         page opened from a notice; the case id is appended
//	WECHAT_MINIPROGRAM_STATE     developer, trial or formal (default formal)
//	MP_SESSION_TTL_SECONDS       mini-program session lifetime (default 86400)
//	SMS_ALIYUN_PATH_TOKEN        secret path token of the Aliyun webhook (secret)
//	SMS_TENCENT_PATH_TOKEN       secret path token of the Tencent webhook (secret)
//	TWILIO_AUTH_TOKEN            verifies X-Twilio-Signature (secret)
//	TWILIO_WEBHOOK_URL           the webhook URL as configured in Twilio
//	SMS_SIGNATURE                the 【签名】 outbound SMS carry (counted in their length)
//	SMS_MAX_SEGMENTS             segments per outbound SMS (default 3)
//	SMS_SENDER                   outbound SMS provider: fake (the only one built in)
//	SMS_OUTBOX_FILE              the fake provider also appends JSON lines here (local runs)
//	HOTLINE_API_KEY              key the 12345 platform sends in X-Api-Key (secret)

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/open12315/intake/shared/calendar"
	"github.com/open12315/intake/shared/cases"
	"github.com/open12315/intake/shared/channel/wechat"
	"github.com/open12315/intake/shared/chanstore"
	"github.com/open12315/intake/shared/deadline"
	"github.com/open12315/intake/shared/hotline"
	"github.com/open12315/intake/shared/intake"
	"github.com/open12315/intake/shared/miniprogram"
	"github.com/open12315/intake/shared/outbound"
	"github.com/open12315/intake/shared/queue"
	"github.com/open12315/intake/shared/ratelimit"
	"github.com/open12315/intake/shared/smsin"
	"github.com/open12315/intake/shared/staff"
)

// channelDeps are the pieces the channel handlers share.
type channelDeps struct {
	*Deps
	Chan     *chanstore.Store
	Outbound queue.Sender
	Limiter  *ratelimit.Limiter
}

func newChannelDeps(ctx context.Context, env Env) (*channelDeps, error) {
	d, err := NewDeps(ctx, env)
	if err != nil {
		return nil, err
	}
	db := DynamoDB(d.AWS, env)
	limits, err := ratelimit.ParseLimits(env.str("RATE_LIMITS", ratelimit.DefaultLimits))
	if err != nil {
		return nil, fmt.Errorf("configuration: RATE_LIMITS: %w", err)
	}
	cd := &channelDeps{
		Deps:    d,
		Chan:    chanstore.New(db, d.Store.Table()),
		Limiter: &ratelimit.Limiter{DB: db, Table: d.Store.Table(), Limits: limits, Now: now},
	}
	if url := env("OUTBOUND_QUEUE_URL"); url != "" {
		cd.Outbound = queue.New(SQS(d.AWS, env), url)
	}
	return cd, nil
}

func (d *channelDeps) intake() *intake.Service {
	return &intake.Service{Store: d.Store, Route: d.RouteQueue, Log: d.Log, Now: now, RequeueAfter: d.RequeueAfter}
}

// wechatClient returns the WeChat client, nil when no appid or secret is
// configured.
func wechatClient(env Env) *wechat.Client {
	id, secret := env.str("WECHAT_APP_ID", ""), env.str("WECHAT_APP_SECRET", "")
	if id == "" || secret == "" {
		return nil
	}
	return wechat.New(id, secret,
		wechat.WithBaseURL(env.str("WECHAT_API_BASE", wechat.DefaultBaseURL)),
		wechat.WithHTTPClient(&http.Client{Timeout: 5 * time.Second}))
}

// progress returns the hook that queues progress notices, nil without an
// outbound queue.
func progress(d *Deps) *outbound.Progress {
	url := d.Env("OUTBOUND_QUEUE_URL")
	if url == "" {
		return nil
	}
	return &outbound.Progress{Queue: queue.New(SQS(d.AWS, d.Env), url), Log: d.Log}
}

// withProgress hooks progress notices into a store's updates (the route
// consumer's).
func withProgress(d *Deps, s cases.Store) cases.Store {
	p := progress(d)
	if p == nil {
		return s
	}
	return outbound.Store{Store: s, Progress: p}
}

// staffProgressStore is the staff API's store with progress notices.
type staffProgressStore struct {
	staff.Store
	p *outbound.Progress
}

func (s staffProgressStore) Update(ctx context.Context, c *cases.Case, evs ...cases.Event) error {
	if err := s.Store.Update(ctx, c, evs...); err != nil {
		return err
	}
	s.p.After(ctx, c, evs)
	return nil
}

func withStaffProgress(d *Deps) staff.Store {
	p := progress(d)
	if p == nil {
		return d.Store
	}
	return staffProgressStore{Store: d.Store, p: p}
}

// MiniProgram builds the mini-program API handler (functions/miniprogram).
func MiniProgram(ctx context.Context, env Env) (*miniprogram.Handler, error) {
	d, err := newChannelDeps(ctx, env)
	if err != nil {
		return nil, err
	}
	if d.RouteQueue == nil {
		return nil, fmt.Errorf("configuration: ROUTE_QUEUE_URL is not set")
	}
	ttl, err := env.int("MP_SESSION_TTL_SECONDS", int(miniprogram.DefaultSessionTTL/time.Second))
	if err != nil {
		return nil, err
	}
	h := &miniprogram.Handler{
		Intake: d.intake(), Cases: d.Store, Chan: d.Chan, Limiter: d.Limiter,
		SessionTTL: time.Duration(ttl) * time.Second, Log: d.Log, Now: now,
	}
	if c := wechatClient(env); c != nil {
		h.WeChat = c
	}
	if t := env.str("WECHAT_PROGRESS_TEMPLATE_ID", ""); t != "" {
		h.Templates = []string{t}
	}
	return h, nil
}

func newProcessor(d *channelDeps) (*smsin.Processor, error) {
	if d.RouteQueue == nil || d.Outbound == nil {
		return nil, fmt.Errorf("configuration: ROUTE_QUEUE_URL and OUTBOUND_QUEUE_URL must be set")
	}
	return &smsin.Processor{
		Intake: d.intake(), Cases: d.Store, Chan: d.Chan, Outbound: d.Outbound, Limiter: d.Limiter,
		Log: d.Log, Now: now,
	}, nil
}

// SMSInbound builds the SMS webhook handler (functions/smsin).
func SMSInbound(ctx context.Context, env Env) (*smsin.Handler, error) {
	d, err := newChannelDeps(ctx, env)
	if err != nil {
		return nil, err
	}
	p, err := newProcessor(d)
	if err != nil {
		return nil, err
	}
	return &smsin.Handler{
		Proc:            p,
		AliyunToken:     env.str("SMS_ALIYUN_PATH_TOKEN", ""),
		TencentToken:    env.str("SMS_TENCENT_PATH_TOKEN", ""),
		TwilioAuthToken: env.str("TWILIO_AUTH_TOKEN", ""),
		TwilioURL:       env.str("TWILIO_WEBHOOK_URL", ""),
		Log:             d.Log,
	}, nil
}

// SMSEUM builds the End User Messaging two-way SMS subscriber
// (functions/smseum).
func SMSEUM(ctx context.Context, env Env) (*smsin.SNSHandler, error) {
	d, err := newChannelDeps(ctx, env)
	if err != nil {
		return nil, err
	}
	p, err := newProcessor(d)
	if err != nil {
		return nil, err
	}
	return &smsin.SNSHandler{Proc: p, Log: d.Log}, nil
}

// Hotline builds the 12345 transfer handler (functions/hotline).
func Hotline(ctx context.Context, env Env) (*hotline.Handler, error) {
	d, err := newChannelDeps(ctx, env)
	if err != nil {
		return nil, err
	}
	if d.RouteQueue == nil {
		return nil, fmt.Errorf("configuration: ROUTE_QUEUE_URL is not set")
	}
	clocks := d.Clocks
	start := func(at time.Time, due calendar.Date) (deadline.Clock, error) {
		rs, err := clocks.Rules.For(at)
		if err != nil {
			return deadline.Clock{}, err
		}
		k, err := deadline.StartWithDueDate(deadline.Hotline12345, at, due, "", rs, clocks.Calendar)
		if err != nil {
			return deadline.Clock{}, err
		}
		return *k, nil
	}
	return &hotline.Handler{
		APIKey: env.str("HOTLINE_API_KEY", ""), Intake: d.intake(), Cases: d.Store, Chan: d.Chan,
		StartClock: start, Log: d.Log, Now: now,
	}, nil
}

// Outbound builds the consumer of the outbound queue (functions/outbound).
func Outbound(ctx context.Context, env Env) (*outbound.Handler, error) {
	d, err := newChannelDeps(ctx, env)
	if err != nil {
		return nil, err
	}
	segs, err := env.int("SMS_MAX_SEGMENTS", outbound.DefaultMaxSegments)
	if err != nil {
		return nil, err
	}
	h := &outbound.Handler{
		Cases: d.Store, Chan: d.Chan,
		ProgressTemplate: env.str("WECHAT_PROGRESS_TEMPLATE_ID", ""),
		ProgressPage:     env.str("WECHAT_PROGRESS_PAGE", "pages/case/detail?id="),
		MiniprogramState: env.str("WECHAT_MINIPROGRAM_STATE", ""),
		Signature:        env.str("SMS_SIGNATURE", "青海12315"),
		MaxSegments:      segs,
		Log:              d.Log, Now: now,
	}
	switch s := strings.ToLower(env.str("SMS_SENDER", "fake")); s {
	case "fake":
		h.SMS = &outbound.Fake{Store: d.Chan, File: env.str("SMS_OUTBOX_FILE", ""), Now: now}
	default:
		return nil, fmt.Errorf("configuration: SMS_SENDER=%q: only fake is built in", s)
	}
	if c := wechatClient(env); c != nil {
		h.WeChat = c
	}
	return h, nil
}
