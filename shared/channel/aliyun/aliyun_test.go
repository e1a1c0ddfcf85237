package aliyun

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

func bj(s string) time.Time {
	t, err := time.ParseInLocation("2006-01-02 15:04:05", s, beijing)
	if err != nil {
		panic(err)
	}
	return t.UTC()
}

func TestParseFixtures(t *testing.T) {
	tests := []struct {
		file    string
		want    []channel.Inbound
		wantErr []error // sentinels the joined error must match, in any order
		items   []int   // indexes reported as *channel.ItemError
	}{
		{
			file: "batch.json",
			want: []channel.Inbound{
				{Provider: "aliyun", MessageID: "1234567890", From: "+8613912345678", To: "1234",
					Text: "西宁某超市出售过期牛奶，要求退款。", ReceivedAt: bj("2024-03-15 09:30:00")},
				{Provider: "aliyun", MessageID: "1234567891", From: "+8615012345678", To: "1234",
					Text: "查询 QH2024000123", ReceivedAt: bj("2024-03-15 09:35:12")},
			},
		},
		{
			file: "optout.json",
			want: []channel.Inbound{{Provider: "aliyun", MessageID: "1234567892", From: "+8618612345678",
				To: "1234", Text: "TD", ReceivedAt: bj("2024-03-15 10:00:00")}},
		},
		{
			file: "object.json",
			want: []channel.Inbound{{Provider: "aliyun", MessageID: "42", From: "+8617712345678",
				To: "1234", Text: "退订", ReceivedAt: bj("2024-03-15 11:00:00")}},
		},
		{
			file: "no_sequence.json",
			want: []channel.Inbound{{Provider: "aliyun",
				MessageID: channel.DeriveID("aliyun", "13812345678", "2024-03-15 12:00:00", "1234", "商家拒绝七天无理由退货"),
				From:      "+8613812345678", To: "1234", Text: "商家拒绝七天无理由退货", ReceivedAt: bj("2024-03-15 12:00:00")}},
		},
		{
			file: "mixed.json",
			want: []channel.Inbound{{Provider: "aliyun", MessageID: "100", From: "+8613712345678",
				To: "1234", Text: "快递丢件不赔偿", ReceivedAt: bj("2024-03-15 13:00:00")}},
			wantErr: []error{channel.ErrEmpty, channel.ErrBadPhone, channel.ErrMalformed},
			items:   []int{1, 2, 3},
		},
		{file: "malformed.json", wantErr: []error{channel.ErrMalformed}},
		{file: "empty_array.json"},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			got, err := Parse(fixture.Read(t, tt.file))
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Parse messages:\n got %#v\nwant %#v", got, tt.want)
			}
			if len(tt.wantErr) == 0 && err != nil {
				t.Fatalf("Parse error: %v", err)
			}
			for _, w := range tt.wantErr {
				if !errors.Is(err, w) {
					t.Errorf("Parse error %v does not match %v", err, w)
				}
			}
			if idx := fixture.ItemIndexes(err); !reflect.DeepEqual(idx, tt.items) {
				t.Errorf("Parse reported items %v, want %v", idx, tt.items)
			}
		})
	}
}

func TestParseTooLong(t *testing.T) {
	body, _ := json.Marshal([]map[string]any{{
		"phone_number": "13812345678", "content": strings.Repeat("长", channel.MaxTextRunes+1), "sequence_id": 1,
	}})
	got, err := Parse(body)
	if len(got) != 0 || !errors.Is(err, channel.ErrTooLong) {
		t.Fatalf("Parse = %v, %v; want ErrTooLong", got, err)
	}
}

func TestParseBadShapes(t *testing.T) {
	for _, body := range []string{"", "null x", `"text"`, `[{"phone_number":13812345678}]`, `{"content":[1]}`} {
		if _, err := Parse([]byte(body)); !errors.Is(err, channel.ErrMalformed) {
			t.Errorf("Parse(%q) error = %v, want ErrMalformed", body, err)
		}
	}
}

func TestErrorsHideContent(t *testing.T) {
	body := `[{"phone_number":"13812345678","content":"","sequence_id":"1"},{"phone_number":"+8612","content":"私密内容","sequence_id":"2"}]`
	_, err := Parse([]byte(body))
	if err == nil {
		t.Fatal("want error")
	}
	if s := err.Error(); strings.Contains(s, "13812345678") || strings.Contains(s, "私密内容") {
		t.Errorf("error leaks personal data: %s", s)
	}
}

func TestSuccessResponse(t *testing.T) {
	r := SuccessResponse()
	var v struct {
		Code *int   `json:"code"`
		Msg  string `json:"msg"`
	}
	if err := json.Unmarshal(r.Body, &v); err != nil || v.Code == nil || *v.Code != 0 || r.Status != 200 ||
		!strings.HasPrefix(r.ContentType, "application/json") {
		t.Errorf("SuccessResponse = %+v (%s)", r, r.Body)
	}
}
