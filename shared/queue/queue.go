// Package queue sends JSON messages to an SQS queue and turns SQS events
// back into them. Messages carry ids, never personal data: a consumer reads
// the case itself from the store.
package queue

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sqs"
)

// API is the part of the SQS client the sender uses.
type API interface {
	SendMessage(context.Context, *sqs.SendMessageInput, ...func(*sqs.Options)) (*sqs.SendMessageOutput, error)
}

// Sender sends messages to one queue.
type Sender interface {
	Send(ctx context.Context, msg any) error
}

// SQS is a Sender for one SQS queue.
type SQS struct {
	api API
	url string
}

var _ Sender = (*SQS)(nil)

// New returns a sender for the queue at url.
func New(api API, url string) *SQS { return &SQS{api: api, url: url} }

// Send marshals msg as JSON and sends it.
func (q *SQS) Send(ctx context.Context, msg any) error {
	b, err := json.Marshal(msg)
	if err != nil {
		return fmt.Errorf("marshal message: %w", err)
	}
	if _, err := q.api.SendMessage(ctx, &sqs.SendMessageInput{
		QueueUrl:    aws.String(q.url),
		MessageBody: aws.String(string(b)),
	}); err != nil {
		return fmt.Errorf("send message: %w", err)
	}
	return nil
}
