package outbound

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"sync"
	"time"

	"github.com/open12315/intake/shared/channel/sms"
	"github.com/open12315/intake/shared/chanstore"
)

// SMS is one text to send.
type SMS struct {
	// Key is the message's idempotency key; providers that accept a
	// client reference (Aliyun OutId, Twilio none) should pass it on.
	Key string
	// Provider is the provider the consumer wrote through; replies go
	// back the same way. Empty for progress notices.
	Provider string
	To       string // E.164
	Text     string // without the signature
	// Signature is the 【签名】 the provider adds; it counts toward the
	// length.
	Signature string
	CaseID    string
	Kind      Kind
}

// SMSSender sends SMS. Real deployments implement it for Aliyun SendSms,
// Tencent SendSms, Twilio Messages or AWS End User Messaging
// SendTextMessage; Fake records instead.
type SMSSender interface {
	SendSMS(ctx context.Context, m SMS) error
}

// Fake is the local SMS provider: it records every message in the cases
// table (chanstore SMSBOX#fake) and, when File is set, appends it as a
// JSON line to that file, so tests and `make run` can see what would be
// sent. It never logs the number or the text.
type Fake struct {
	Store *chanstore.Store
	File  string
	Now   func() time.Time

	mu sync.Mutex
}

// SendSMS implements SMSSender.
func (f *Fake) SendSMS(ctx context.Context, m SMS) error {
	full := sms.WithSignature(m.Text, m.Signature)
	segs, encoding := sms.Segments(m.Text, m.Signature)
	now := time.Now()
	if f.Now != nil {
		now = f.Now()
	}
	rec := chanstore.SentSMS{
		Key: m.Key, Provider: m.Provider, To: m.To, Text: full, Segments: segs, Encoding: encoding,
		CaseID: m.CaseID, Kind: string(m.Kind), RecordAt: now.UTC(), MessageID: "fake-" + chanstore.Hash(m.Key)[:12],
	}
	if f.Store != nil {
		if err := f.Store.RecordSMS(ctx, rec); err != nil {
			return fmt.Errorf("fake sms: %w", err)
		}
	}
	if f.File != "" {
		b, err := json.Marshal(rec)
		if err != nil {
			return fmt.Errorf("fake sms: encode: %w", err)
		}
		f.mu.Lock()
		defer f.mu.Unlock()
		fh, err := os.OpenFile(f.File, os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o600)
		if err != nil {
			return fmt.Errorf("fake sms: open outbox file: %w", err)
		}
		defer fh.Close()
		if _, err := fh.Write(append(b, '\n')); err != nil {
			return fmt.Errorf("fake sms: write outbox file: %w", err)
		}
	}
	return nil
}
