package eum

import (
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/open12315/intake/shared/channel"
	"github.com/open12315/intake/shared/channel/internal/fixture"
)

func TestParseSNSMessageFixtures(t *testing.T) {
	tests := []struct {
		file    string
		want    channel.Inbound
		wantErr error
	}{
		{"message.json", channel.Inbound{Provider: "eum", MessageID: "a1b2c3d4-0000-4000-8000-000000000001",
			From: "+8613812345678", To: "+12065550123", Text: "网购手机屏幕有坏点，商家拒绝换货"}, nil},
		{"message_stop.json", channel.Inbound{Provider: "eum", MessageID: "a1b2c3d4-0000-4000-8000-000000000002",
			From: "+14255550182", To: "+12065550123", Text: "STOP"}, nil},
		{"message_empty.json", channel.Inbound{}, channel.ErrEmpty},
		{"message_bad_phone.json", channel.Inbound{}, channel.ErrBadPhone},
		{"message_no_id.json", channel.Inbound{}, channel.ErrMalformed},
		{"malformed.json", channel.Inbound{}, channel.ErrMalformed},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			got, err := ParseSNSMessage(string(fixture.Read(t, tt.file)))
			if !errors.Is(err, tt.wantErr) || (err == nil) != (tt.wantErr == nil) {
				t.Fatalf("error = %v, want %v", err, tt.wantErr)
			}
			if got != tt.want {
				t.Errorf("got %#v\nwant %#v", got, tt.want)
			}
		})
	}
}

func TestParseTooLong(t *testing.T) {
	b, _ := json.Marshal(Payload{OriginationNumber: "+14255550182", InboundMessageID: "x",
		MessageBody: strings.Repeat("x", channel.MaxTextRunes+1)})
	if _, err := ParseSNSMessage(string(b)); !errors.Is(err, channel.ErrTooLong) {
		t.Fatalf("error = %v, want ErrTooLong", err)
	}
}

func TestParse(t *testing.T) {
	tests := []struct {
		file    string
		want    []channel.Inbound
		wantErr error
		items   []int
	}{
		{
			file: "lambda_event.json",
			want: []channel.Inbound{
				{Provider: "eum", MessageID: "a1b2c3d4-0000-4000-8000-000000000001", From: "+8613812345678",
					To: "+12065550123", Text: "网购手机屏幕有坏点，商家拒绝换货",
					ReceivedAt: time.Date(2024, 3, 15, 1, 30, 0, 123e6, time.UTC)},
				{Provider: "eum", MessageID: "a1b2c3d4-0000-4000-8000-000000000005", From: "+8613912345678",
					To: "+12065550123", Text: "查询 QH2024000123", ReceivedAt: time.Date(2024, 3, 15, 1, 31, 0, 0, time.UTC)},
			},
			wantErr: channel.ErrMalformed, items: []int{2},
		},
		{
			file: "https_notification.json",
			want: []channel.Inbound{{Provider: "eum", MessageID: "a1b2c3d4-0000-4000-8000-000000000006",
				From: "+14255550182", To: "+12065550123", Text: "Refund refused for broken kettle",
				ReceivedAt: time.Date(2024, 3, 15, 2, 0, 0, 0, time.UTC)}},
		},
		{file: "malformed.json", wantErr: channel.ErrMalformed},
		// A bare two-way payload is not an SNS notification.
		{file: "message.json", wantErr: channel.ErrMalformed, items: []int{0}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			got, err := Parse(fixture.Read(t, tt.file))
			if !errors.Is(err, tt.wantErr) || (err == nil) != (tt.wantErr == nil) {
				t.Fatalf("error = %v, want %v", err, tt.wantErr)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got %#v\nwant %#v", got, tt.want)
			}
			if idx := fixture.ItemIndexes(err); !reflect.DeepEqual(idx, tt.items) {
				t.Errorf("items %v, want %v", idx, tt.items)
			}
		})
	}
}

func TestParseBadTimestamp(t *testing.T) {
	msg := string(fixture.Read(t, "message.json"))
	b, _ := json.Marshal(map[string]string{"Type": "Notification", "Message": msg, "Timestamp": "yesterday"})
	if _, err := Parse(b); !errors.Is(err, channel.ErrMalformed) {
		t.Fatalf("error = %v, want ErrMalformed", err)
	}
}
