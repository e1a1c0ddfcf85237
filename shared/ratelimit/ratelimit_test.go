package ratelimit_test

import (
	"context"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"testing"
	"time"

	"github.com/open12315/intake/infra/emulators/testenv"
	"github.com/open12315/intake/shared/dynamo/dynamotest"
	"github.com/open12315/intake/shared/ratelimit"
)

func TestMain(m *testing.M) { testenv.Main(m) }

func TestParseLimits(t *testing.T) {
	tests := []struct {
		spec string
		want ratelimit.Limits
		ok   bool
	}{
		{ratelimit.DefaultLimits, ratelimit.Limits{"phone": {10, time.Hour}, "openid": {20, time.Hour}, "ip": {60, time.Minute}}, true},
		{" phone = 3 / 10m ", ratelimit.Limits{"phone": {3, 10 * time.Minute}}, true},
		{"phone=3/10m,phone=off", ratelimit.Limits{}, true},
		{"", ratelimit.Limits{}, true},
		{"phone", nil, false},
		{"phone=0/1h", nil, false},
		{"phone=x/1h", nil, false},
		{"phone=3/soon", nil, false},
		{"phone=3/1ms", nil, false},
		{"=3/1h", nil, false},
	}
	for _, tc := range tests {
		got, err := ratelimit.ParseLimits(tc.spec)
		if (err == nil) != tc.ok {
			t.Errorf("ParseLimits(%q) error = %v", tc.spec, err)
			continue
		}
		if tc.ok && len(got) != len(tc.want) {
			t.Errorf("ParseLimits(%q) = %v, want %v", tc.spec, got, tc.want)
		}
		for k, v := range tc.want {
			if got[k] != v {
				t.Errorf("ParseLimits(%q)[%s] = %v, want %v", tc.spec, k, got[k], v)
			}
		}
	}
}

func TestNilAndUnlimited(t *testing.T) {
	var l *ratelimit.Limiter
	if d, err := l.Allow(context.Background(), ratelimit.Phone, "+8613800000000"); err != nil || !d.Allowed {
		t.Errorf("nil limiter: %+v %v", d, err)
	}
	l = &ratelimit.Limiter{Limits: ratelimit.Limits{}}
	if d, err := l.Allow(context.Background(), ratelimit.Phone, "+8613800000000"); err != nil || !d.Allowed {
		t.Errorf("kind without limit: %+v %v", d, err)
	}
}

func table(t *testing.T) (*dynamodb.Client, string) {
	t.Helper()
	db, _ := testenv.Clients(t)
	return db, dynamotest.NewTable(t, db)
}

// TestFixedWindow counts against DynamoDB Local: max requests pass, the
// next is refused until the window ends; identities and kinds are apart.
func TestFixedWindow(t *testing.T) {
	db, name := table(t)
	now := time.Date(2026, 11, 27, 10, 0, 10, 0, time.UTC)
	l := &ratelimit.Limiter{DB: db, Table: name, Now: func() time.Time { return now },
		Limits: ratelimit.Limits{"phone": {3, time.Minute}, "ip": {1, time.Hour}}}
	ctx := context.Background()
	for i := 0; i < 3; i++ {
		if d, err := l.Allow(ctx, "phone", "+8613800000001"); err != nil || !d.Allowed {
			t.Fatalf("request %d refused: %+v %v", i, d, err)
		}
	}
	d, err := l.Allow(ctx, "phone", "+8613800000001")
	if err != nil || d.Allowed || d.RetryAfter != 50*time.Second || d.RetryAfterSeconds() != 50 {
		t.Fatalf("4th request: %+v %v, want refused for 50 s", d, err)
	}
	if d, _ := l.Allow(ctx, "phone", "+8613800000002"); !d.Allowed {
		t.Error("another phone shares the count")
	}
	if d, _ := l.Allow(ctx, "ip", "+8613800000001"); !d.Allowed {
		t.Error("another kind shares the count")
	}
	now = now.Add(50 * time.Second) // next window
	if d, _ := l.Allow(ctx, "phone", "+8613800000001"); !d.Allowed {
		t.Error("new window still refused")
	}
}
