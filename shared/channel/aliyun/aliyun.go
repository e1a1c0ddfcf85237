// Package aliyun parses Alibaba Cloud SMS mobile-originated messages
// (上行短信, SmsUp) delivered by HTTP batch push.
//
// Aliyun posts a JSON array of replies to the configured URL and documents
// no signature for it. Protect the endpoint with an unguessable path token
// checked by channel.CheckToken, and acknowledge with SuccessResponse;
// Aliyun retries deliveries that get a non-200 answer or time out.
package aliyun

import (
	"fmt"
	"net/http"
	"time"

	"github.com/open12315/intake/shared/channel"
	"github.com/open12315/intake/shared/channel/internal/flex"
)

// Provider is the value of channel.Inbound.Provider for this package.
const Provider = channel.ProviderAliyun

// beijing is China Standard Time; send_time carries no zone.
var beijing = time.FixedZone("CST", 8*60*60)

// timeLayouts are the send_time formats seen in Aliyun's documentation.
var timeLayouts = []string{"2006-01-02 15:04:05", "20060102150405"}

// upMessage is one element of the pushed array. sequence_id is documented
// both as a number and as a string; sign_name is not always present.
type upMessage struct {
	PhoneNumber string      `json:"phone_number"`
	SendTime    string      `json:"send_time"`
	Content     string      `json:"content"`
	SignName    string      `json:"sign_name"`
	DestCode    flex.String `json:"dest_code"`
	SequenceID  flex.String `json:"sequence_id"`
}

// Parse decodes an SmsUp push body. A single object is accepted as well as
// the documented array.
//
// Parse returns every usable message. If some elements are unusable (bad
// phone number, empty or over-long text, bad send_time) it also returns
// their errors, each a *channel.ItemError, joined; the good messages are
// still valid. A body that is not JSON yields only channel.ErrMalformed.
//
// MessageID is sequence_id, or a DeriveID digest when absent. From is the
// E.164 phone number, To the dest_code extension, ReceivedAt the send_time
// (Beijing time) or zero when absent.
func Parse(body []byte) ([]channel.Inbound, error) {
	return channel.ParseBatch("aliyun", body, convert)
}

func convert(it upMessage) (channel.Inbound, error) {
	from, err := channel.NormalizePhone(it.PhoneNumber)
	if err != nil {
		return channel.Inbound{}, err
	}
	text, err := channel.CleanText(it.Content)
	if err != nil {
		return channel.Inbound{}, err
	}
	var at time.Time
	if it.SendTime != "" {
		at, err = parseTime(it.SendTime)
		if err != nil {
			return channel.Inbound{}, err
		}
	}
	id := string(it.SequenceID)
	if id == "" {
		id = channel.DeriveID(Provider, it.PhoneNumber, it.SendTime, string(it.DestCode), it.Content)
	}
	return channel.Inbound{
		Provider:   Provider,
		MessageID:  id,
		From:       from,
		To:         string(it.DestCode),
		Text:       text,
		ReceivedAt: at,
	}, nil
}

func parseTime(s string) (time.Time, error) {
	for _, layout := range timeLayouts {
		if t, err := time.ParseInLocation(layout, s, beijing); err == nil {
			return t.UTC(), nil
		}
	}
	return time.Time{}, fmt.Errorf("%w: send_time %q", channel.ErrMalformed, s)
}

// SuccessResponse is the acknowledgement Aliyun expects: HTTP 200 with
// {"code":0,"msg":"接收成功"}. Aliyun checks only that code is the number 0.
func SuccessResponse() channel.Response {
	return channel.Response{
		Status:      http.StatusOK,
		ContentType: "application/json; charset=utf-8",
		Body:        []byte(`{"code":0,"msg":"接收成功"}`),
	}
}
