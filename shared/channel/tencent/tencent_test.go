package tencent

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

func TestParseFixtures(t *testing.T) {
	id := func(from, tm, ext, text string) string {
		return channel.DeriveID("tencent", from, tm, ext, "市场监管", text)
	}
	tests := []struct {
		file    string
		want    []channel.Inbound
		wantErr error
		items   []int
	}{
		{
			file: "reply.json",
			want: []channel.Inbound{{Provider: "tencent",
				MessageID: id("+8613812345678", "1710466200", "", "某4S店维修收费不透明，多收了800元。"),
				From:      "+8613812345678", Text: "某4S店维修收费不透明，多收了800元。", ReceivedAt: time.Unix(1710466200, 0).UTC()}},
		},
		{
			file: "reply_extend.json",
			want: []channel.Inbound{{Provider: "tencent", MessageID: id("+8615912345678", "1710466260", "01", "cx：qh2024000123"),
				From: "+8615912345678", To: "01", Text: "cx：qh2024000123", ReceivedAt: time.Unix(1710466260, 0).UTC()}},
		},
		{
			file: "reply_optout.json",
			want: []channel.Inbound{{Provider: "tencent", MessageID: id("+8618912345678", "1710466320", "", "退订"),
				From: "+8618912345678", Text: "退订", ReceivedAt: time.Unix(1710466320, 0).UTC()}},
		},
		{
			file: "reply_array.json",
			want: []channel.Inbound{{Provider: "tencent", MessageID: id("+8613612345678", "1710466380", "", "T"),
				From: "+8613612345678", Text: "T", ReceivedAt: time.Unix(1710466380, 0).UTC()}},
			wantErr: channel.ErrEmpty, items: []int{1},
		},
		{
			file: "reply_foreign.json",
			want: []channel.Inbound{{Provider: "tencent", MessageID: id("+14255550182", "1710466440", "", "Fake goods sold at the airport shop"),
				From: "+14255550182", Text: "Fake goods sold at the airport shop", ReceivedAt: time.Unix(1710466440, 0).UTC()}},
		},
		{file: "reply_bad_phone.json", wantErr: channel.ErrBadPhone, items: []int{0}},
		{file: "reply_bad_time.json", wantErr: channel.ErrMalformed, items: []int{0}},
		{file: "malformed.json", wantErr: channel.ErrMalformed},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			got, err := Parse(fixture.Read(t, tt.file))
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Parse messages:\n got %#v\nwant %#v", got, tt.want)
			}
			if !errors.Is(err, tt.wantErr) || (tt.wantErr == nil) != (err == nil) {
				t.Errorf("Parse error = %v, want %v", err, tt.wantErr)
			}
			if idx := fixture.ItemIndexes(err); !reflect.DeepEqual(idx, tt.items) {
				t.Errorf("Parse reported items %v, want %v", idx, tt.items)
			}
		})
	}
}

func TestParseTooLong(t *testing.T) {
	body, _ := json.Marshal(map[string]any{"mobile": "13812345678", "nationcode": "86",
		"text": strings.Repeat("长", channel.MaxTextRunes+1), "time": 1710466200})
	if got, err := Parse(body); len(got) != 0 || !errors.Is(err, channel.ErrTooLong) {
		t.Fatalf("Parse = %v, %v; want ErrTooLong", got, err)
	}
}

func TestRedeliverySameID(t *testing.T) {
	a, _ := Parse(fixture.Read(t, "reply.json"))
	b, _ := Parse(fixture.Read(t, "reply.json"))
	if a[0].MessageID != b[0].MessageID {
		t.Error("MessageID differs between deliveries")
	}
}

func TestSuccessResponse(t *testing.T) {
	r := SuccessResponse()
	var v struct {
		Result *int   `json:"result"`
		ErrMsg string `json:"errmsg"`
	}
	if err := json.Unmarshal(r.Body, &v); err != nil || v.Result == nil || *v.Result != 0 || v.ErrMsg != "OK" || r.Status != 200 {
		t.Errorf("SuccessResponse = %+v (%s)", r, r.Body)
	}
}
