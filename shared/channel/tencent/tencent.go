// Package tencent parses Tencent Cloud SMS reply callbacks (短信回复).
//
// Tencent posts one JSON object per user reply and documents no signature;
// protect the endpoint with a secret path token (channel.CheckToken) and
// acknowledge with SuccessResponse.
package tencent

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/open12315/intake/shared/channel"
	"github.com/open12315/intake/shared/channel/internal/flex"
)

// Provider is the value of channel.Inbound.Provider for this package.
const Provider = channel.ProviderTencent

// reply is the callback object. Numbers and strings are accepted for every
// scalar because only the classic API version is documented.
type reply struct {
	Extend     flex.String `json:"extend"`
	Mobile     flex.String `json:"mobile"`
	NationCode flex.String `json:"nationcode"`
	Sign       string      `json:"sign"`
	Text       string      `json:"text"`
	Time       flex.String `json:"time"`
}

// Parse decodes a reply callback body: the documented single object, or an
// array of them (the shape Tencent uses for status reports), so a console
// misconfiguration does not lose replies.
//
// As with aliyun.Parse, Parse returns every usable message together with
// the joined *channel.ItemError of unusable ones; a body that is not JSON
// yields only channel.ErrMalformed.
//
// Tencent sends no message id: MessageID is a DeriveID digest of the
// number, time, extension and text, stable across redeliveries. From is
// +nationcode+mobile, To the extend code, ReceivedAt the Unix time field.
func Parse(body []byte) ([]channel.Inbound, error) {
	return channel.ParseBatch("tencent", body, convert)
}

func convert(it reply) (channel.Inbound, error) {
	mobile := string(it.Mobile)
	cc := strings.TrimPrefix(string(it.NationCode), "+")
	phone := mobile
	if cc != "" && !strings.HasPrefix(mobile, "+") {
		phone = "+" + cc + mobile
	}
	from, err := channel.NormalizePhone(phone)
	if err != nil {
		return channel.Inbound{}, err
	}
	text, err := channel.CleanText(it.Text)
	if err != nil {
		return channel.Inbound{}, err
	}
	var at time.Time
	if it.Time != "" {
		sec, err := strconv.ParseInt(string(it.Time), 10, 64)
		if err != nil || sec <= 0 {
			return channel.Inbound{}, fmt.Errorf("%w: time %q", channel.ErrMalformed, it.Time)
		}
		at = time.Unix(sec, 0).UTC()
	}
	return channel.Inbound{
		Provider:   Provider,
		MessageID:  channel.DeriveID(Provider, from, string(it.Time), string(it.Extend), it.Sign, it.Text),
		From:       from,
		To:         string(it.Extend),
		Text:       text,
		ReceivedAt: at,
	}, nil
}

// SuccessResponse is the acknowledgement Tencent expects:
// {"result":0,"errmsg":"OK"} with HTTP 200.
func SuccessResponse() channel.Response {
	return channel.Response{
		Status:      http.StatusOK,
		ContentType: "application/json; charset=utf-8",
		Body:        []byte(`{"result":0,"errmsg":"OK"}`),
	}
}
