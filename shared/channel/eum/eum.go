// Package eum parses inbound two-way SMS from AWS End User Messaging SMS
// (formerly Amazon Pinpoint SMS). AWS publishes each inbound message as a
// JSON document in the Message string of an SNS notification.
//
// Only the standard library is used: callers hand over either the SNS
// Message string (ParseSNSMessage) or the JSON of an SNS record, an HTTPS
// notification or a whole Lambda SNS event (Parse).
//
// No signature is checked. Lambda subscriptions are invoked by AWS under
// IAM; an HTTPS subscription would need SNS certificate verification, which
// this package does not do.
package eum

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/open12315/intake/shared/channel"
)

// Provider is the value of channel.Inbound.Provider for this package.
const Provider = channel.ProviderEUM

// Payload is the two-way SMS document AWS publishes.
type Payload struct {
	OriginationNumber          string `json:"originationNumber"`
	DestinationNumber          string `json:"destinationNumber"`
	MessageKeyword             string `json:"messageKeyword"`
	MessageBody                string `json:"messageBody"`
	InboundMessageID           string `json:"inboundMessageId"`
	PreviousPublishedMessageID string `json:"previousPublishedMessageId"`
}

// ParseSNSMessage decodes the SNS Message string of one inbound SMS.
// MessageID is inboundMessageId, From the originationNumber (E.164), To the
// destinationNumber. The payload carries no time: ReceivedAt is zero (Parse
// fills it from the SNS Timestamp).
func ParseSNSMessage(message string) (channel.Inbound, error) {
	var p Payload
	if err := json.Unmarshal([]byte(message), &p); err != nil {
		return channel.Inbound{}, fmt.Errorf("eum: decode message: %w: %v", channel.ErrMalformed, err)
	}
	if p.InboundMessageID == "" {
		return channel.Inbound{}, fmt.Errorf("eum: no inboundMessageId: %w", channel.ErrMalformed)
	}
	from, err := channel.NormalizePhone(p.OriginationNumber)
	if err != nil {
		return channel.Inbound{}, fmt.Errorf("eum: originationNumber: %w", err)
	}
	to := p.DestinationNumber
	if n, err := channel.NormalizePhone(to); err == nil {
		to = n
	}
	text, err := channel.CleanText(p.MessageBody)
	if err != nil {
		return channel.Inbound{}, fmt.Errorf("eum: messageBody: %w", err)
	}
	return channel.Inbound{Provider: Provider, MessageID: p.InboundMessageID, From: from, To: to, Text: text}, nil
}

// notification holds the SNS fields used here. Lambda records and HTTPS
// notifications share these names.
type notification struct {
	Type      string `json:"Type"`
	MessageID string `json:"MessageId"`
	Message   string `json:"Message"`
	Timestamp string `json:"Timestamp"`
}

// event is the Lambda SNS event: {"Records":[{"Sns":{…}}]}.
type event struct {
	Records []struct {
		SNS *notification `json:"Sns"`
	} `json:"Records"`
}

// Parse decodes body, which may be a Lambda SNS event (with Records), one
// record's Sns object, or an SNS HTTPS notification. ReceivedAt is the SNS
// Timestamp. Records that are not notifications or fail to parse are
// reported as joined *channel.ItemError next to the good messages, as in
// the other batch parsers.
func Parse(body []byte) ([]channel.Inbound, error) {
	body = bytes.TrimSpace(body)
	var probe struct {
		Records json.RawMessage `json:"Records"`
	}
	if err := json.Unmarshal(body, &probe); err != nil {
		return nil, fmt.Errorf("eum: decode SNS JSON: %w: %v", channel.ErrMalformed, err)
	}
	var notes []*notification
	if probe.Records != nil {
		var ev event
		if err := json.Unmarshal(body, &ev); err != nil {
			return nil, fmt.Errorf("eum: decode SNS event: %w: %v", channel.ErrMalformed, err)
		}
		for _, r := range ev.Records {
			notes = append(notes, r.SNS)
		}
	} else {
		var n notification
		if err := json.Unmarshal(body, &n); err != nil {
			return nil, fmt.Errorf("eum: decode SNS notification: %w: %v", channel.ErrMalformed, err)
		}
		notes = append(notes, &n)
	}
	var msgs []channel.Inbound
	var errs []error
	for i, n := range notes {
		m, err := convert(n)
		if err != nil {
			errs = append(errs, &channel.ItemError{Index: i, Err: err})
			continue
		}
		msgs = append(msgs, m)
	}
	if len(errs) > 0 {
		return msgs, fmt.Errorf("eum: %w", errors.Join(errs...))
	}
	return msgs, nil
}

func convert(n *notification) (channel.Inbound, error) {
	if n == nil || n.Type != "Notification" {
		return channel.Inbound{}, fmt.Errorf("%w: not an SNS Notification", channel.ErrMalformed)
	}
	m, err := ParseSNSMessage(n.Message)
	if err != nil {
		return channel.Inbound{}, err
	}
	if n.Timestamp != "" {
		t, err := time.Parse(time.RFC3339Nano, n.Timestamp)
		if err != nil {
			return channel.Inbound{}, fmt.Errorf("%w: SNS Timestamp %q", channel.ErrMalformed, n.Timestamp)
		}
		m.ReceivedAt = t.UTC()
	}
	return m, nil
}
