package chanstore_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/open12315/intake/infra/emulators/testenv"
	"github.com/open12315/intake/shared/chanstore"
	"github.com/open12315/intake/shared/dynamo/dynamotest"
)

func TestMain(m *testing.M) { testenv.Main(m) }

func newStore(t *testing.T) *chanstore.Store {
	t.Helper()
	db, _ := testenv.Clients(t)
	return chanstore.New(db, dynamotest.NewTable(t, db))
}

// TestInboundDedupe: a message is claimed once; repeats see Busy while it
// is processed and Done after; a stale claim is taken over; a released
// claim is claimed again.
func TestInboundDedupe(t *testing.T) {
	st := newStore(t)
	ctx := context.Background()
	t0 := time.Date(2026, 11, 27, 2, 0, 0, 0, time.UTC)
	m := chanstore.Inbound{Provider: "aliyun", MessageID: "42", From: "+8613800000000"}
	steps := []struct {
		name  string
		at    time.Duration
		do    func() error
		claim chanstore.Claim
	}{
		{"first delivery", 0, nil, chanstore.Claimed},
		{"retry while processing", 10 * time.Second, nil, chanstore.Busy},
		{"retry after the worker died", 3 * time.Minute, nil, chanstore.Claimed},
		{"finished, then retried", 4 * time.Minute, func() error { return st.FinishInbound(ctx, "aliyun", "42", "case", "QH20261127-ABCDEFGHJK") }, chanstore.Done},
	}
	for _, s := range steps {
		if s.do != nil {
			if err := s.do(); err != nil {
				t.Fatal(err)
			}
		}
		c, rec, err := st.ClaimInbound(ctx, m, t0.Add(s.at), 2*time.Minute)
		if err != nil || c != s.claim {
			t.Fatalf("%s: claim %v %v, want %v", s.name, c, err, s.claim)
		}
		if c == chanstore.Done && (rec.CaseID != "QH20261127-ABCDEFGHJK" || rec.Outcome != "case" || rec.From != m.From) {
			t.Errorf("%s: record %+v", s.name, rec)
		}
	}
	// Another provider's message with the same id is another message.
	if c, _, _ := st.ClaimInbound(ctx, chanstore.Inbound{Provider: "tencent", MessageID: "42"}, t0, time.Minute); c != chanstore.Claimed {
		t.Errorf("tencent/42: %v", c)
	}
	// A released claim is claimed again at once; releasing a done one is a no-op.
	if err := st.ReleaseInbound(ctx, "tencent", "42"); err != nil {
		t.Fatal(err)
	}
	if c, _, _ := st.ClaimInbound(ctx, chanstore.Inbound{Provider: "tencent", MessageID: "42"}, t0, time.Minute); c != chanstore.Claimed {
		t.Errorf("after release: %v", c)
	}
	_ = st.ReleaseInbound(ctx, "aliyun", "42")
	if c, _, _ := st.ClaimInbound(ctx, m, t0.Add(time.Hour), time.Minute); c != chanstore.Done {
		t.Errorf("done message released: %v", c)
	}
}

func TestCredits(t *testing.T) {
	st := newStore(t)
	ctx := context.Background()
	for i, want := range []int{1, 2, 2} {
		if n, err := st.AddCredits(ctx, "o1", "tpl", 1, 2); err != nil || n != want {
			t.Fatalf("add %d: %d %v, want %d", i, n, err, want)
		}
	}
	for i, want := range []bool{true, true, false} {
		if ok, err := st.TakeCredit(ctx, "o1", "tpl"); err != nil || ok != want {
			t.Fatalf("take %d: %v %v", i, ok, err)
		}
	}
	if err := st.RefundCredit(ctx, "o1", "tpl"); err != nil {
		t.Fatal(err)
	}
	if n, _ := st.Credits(ctx, "o1", "tpl"); n != 1 {
		t.Errorf("after refund: %d", n)
	}
	if err := st.ClearCredits(ctx, "o1", "tpl"); err != nil {
		t.Fatal(err)
	}
	if ok, _ := st.TakeCredit(ctx, "o1", "tpl"); ok {
		t.Error("credit after clear")
	}
	if ok, _ := st.TakeCredit(ctx, "o-never", "tpl"); ok {
		t.Error("credit for a user who never subscribed")
	}
}

func TestSessions(t *testing.T) {
	st := newStore(t)
	ctx := context.Background()
	now := time.Now().UTC()
	if err := st.PutSession(ctx, "tok", chanstore.Session{OpenID: "o1", CreatedAt: now, ExpiresAt: now.Add(time.Hour)}); err != nil {
		t.Fatal(err)
	}
	if err := st.PutSession(ctx, "tok", chanstore.Session{OpenID: "o2", ExpiresAt: now.Add(time.Hour)}); err == nil {
		t.Error("a token collision overwrote a session")
	}
	if se, err := st.GetSession(ctx, "tok", now); err != nil || se.OpenID != "o1" {
		t.Errorf("get: %+v %v", se, err)
	}
	if _, err := st.GetSession(ctx, "tok", now.Add(2*time.Hour)); !errors.Is(err, chanstore.ErrNotFound) {
		t.Errorf("expired session: %v", err)
	}
	if _, err := st.GetSession(ctx, "other", now); !errors.Is(err, chanstore.ErrNotFound) {
		t.Errorf("unknown token: %v", err)
	}
	if err := st.SetSessionPhone(ctx, "other", "+8613800000000"); !errors.Is(err, chanstore.ErrNotFound) {
		t.Errorf("phone on unknown session: %v", err)
	}
}
