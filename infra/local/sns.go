package local

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/aws/aws-lambda-go/events"
)

// Publish delivers message to every function subscribed to the topic
// (by logical id) with an SNS event, as SNS invokes a Lambda
// subscription: one record per message, the message as the Sns.Message
// string. SNS invokes Lambda asynchronously and Lambda retries a failed
// invocation twice; locally the function's error is returned instead so
// the caller (a test) sees it, and may publish again to play the retry.
func (s *Stack) Publish(ctx context.Context, topic, message string) error {
	arn := s.Resolver.Arns[topic]
	if arn == "" {
		return fmt.Errorf("publish: no topic %s in the template", topic)
	}
	now := time.Now().UTC()
	id := newRequestID()
	ev := events.SNSEvent{Records: []events.SNSEventRecord{{
		EventVersion:         "1.0",
		EventSource:          "aws:sns",
		EventSubscriptionArn: arn + ":" + newRequestID(),
		SNS: events.SNSEntity{
			Type:             "Notification",
			MessageID:        id,
			TopicArn:         arn,
			Message:          message,
			Timestamp:        now,
			SignatureVersion: "1",
			Signature:        "local",
			SigningCertURL:   "https://sns.local/cert.pem",
		},
	}}}
	payload, err := json.Marshal(ev)
	if err != nil {
		return fmt.Errorf("publish: %w", err)
	}
	var errs []error
	delivered := 0
	for _, f := range s.cfg.Template.Functions {
		for _, sub := range f.Subscriptions {
			if sub.Topic != topic {
				continue
			}
			delivered++
			if _, err := s.Invoke(ctx, f.LogicalID, payload); err != nil {
				errs = append(errs, fmt.Errorf("%s: %w", f.LogicalID, err))
			}
		}
	}
	if delivered == 0 {
		return fmt.Errorf("publish: topic %s has no subscriber", topic)
	}
	return errors.Join(errs...)
}
