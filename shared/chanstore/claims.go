package chanstore

import (
	"context"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
)

// Claim is the outcome of claiming a message for processing.
type Claim int

// Claim outcomes.
const (
	// Claimed: this worker processes the message.
	Claimed Claim = iota
	// Done: the message was processed before; change nothing.
	Done
	// Busy: another worker is processing it right now; come back later.
	Busy
)

// Claim states stored on the record.
const (
	StatePending = "pending"
	StateDone    = "done"
)

// Inbound is the record of one inbound message, keyed by provider and
// provider message id. From is personal data (the sender's number): it is
// kept so the outbound consumer can answer, never logged.
type Inbound struct {
	Provider  string    `json:"provider"`
	MessageID string    `json:"message_id"`
	From      string    `json:"from"`
	To        string    `json:"to,omitempty"`
	State     string    `json:"state"`
	ClaimedAt time.Time `json:"claimed_at"`
	// Outcome is what processing did: case, follow_up, status_query,
	// help, opt_out, rate_limited.
	Outcome string `json:"outcome,omitempty"`
	CaseID  string `json:"case_id,omitempty"`
}

func inboundPK(provider, id string) string { return "INMSG#" + provider + "#" + Hash(id) }

// ClaimInbound claims an inbound message. A record pending since before
// now-stale is taken over. The returned record is the stored one for Done
// and Busy.
func (st *Store) ClaimInbound(ctx context.Context, m Inbound, now time.Time, stale time.Duration) (Claim, Inbound, error) {
	m.State, m.ClaimedAt = StatePending, now.UTC().Truncate(time.Second)
	pk := inboundPK(m.Provider, m.MessageID)
	c, err := st.claim(ctx, m, pk, "INMSG", now, stale, now.Add(InboundTTL))
	if err != nil || c == Claimed {
		return c, m, err
	}
	var prev Inbound
	if err := st.get(ctx, pk, "INMSG", time.Time{}, &prev); err != nil {
		return 0, Inbound{}, err
	}
	return c, prev, nil
}

// FinishInbound marks a claimed message done with its outcome.
func (st *Store) FinishInbound(ctx context.Context, provider, id, outcome, caseID string) error {
	return st.finish(ctx, inboundPK(provider, id), "INMSG", map[string]string{"outcome": outcome, "case_id": caseID})
}

// ReleaseInbound drops a pending claim after a failure, so that the
// provider's retry processes the message again.
func (st *Store) ReleaseInbound(ctx context.Context, provider, id string) error {
	return st.release(ctx, inboundPK(provider, id), "INMSG")
}

// GetInbound reads an inbound message record.
func (st *Store) GetInbound(ctx context.Context, provider, id string) (Inbound, error) {
	var m Inbound
	err := st.get(ctx, inboundPK(provider, id), "INMSG", time.Time{}, &m)
	return m, err
}

// outbound is the record of one outbound send.
type outbound struct {
	State     string    `json:"state"`
	ClaimedAt time.Time `json:"claimed_at"`
	Outcome   string    `json:"outcome,omitempty"`
}

func outboundPK(k string) string { return "OUT#" + Hash(k) }

// ClaimOutbound claims the send of the message with idempotency key k.
func (st *Store) ClaimOutbound(ctx context.Context, k string, now time.Time, stale time.Duration) (Claim, error) {
	return st.claim(ctx, outbound{State: StatePending, ClaimedAt: now.UTC().Truncate(time.Second)}, outboundPK(k), "OUT", now, stale, now.Add(OutboundTTL))
}

// FinishOutbound marks a send done with its outcome (sent, refused,
// no_credit, opted_out, skipped).
func (st *Store) FinishOutbound(ctx context.Context, k, outcome string) error {
	return st.finish(ctx, outboundPK(k), "OUT", map[string]string{"outcome": outcome})
}

// ReleaseOutbound drops a pending send claim after a failure.
func (st *Store) ReleaseOutbound(ctx context.Context, k string) error {
	return st.release(ctx, outboundPK(k), "OUT")
}

// OutboundOutcome returns the outcome of a finished send, for tests and
// operators.
func (st *Store) OutboundOutcome(ctx context.Context, k string) (string, error) {
	var o outbound
	if err := st.get(ctx, outboundPK(k), "OUT", time.Time{}, &o); err != nil {
		return "", err
	}
	return o.Outcome, nil
}

func (st *Store) claim(ctx context.Context, v any, pk, sk string, now time.Time, stale time.Duration, exp time.Time) (Claim, error) {
	it, err := item(v, pk, sk, exp)
	if err != nil {
		return 0, err
	}
	// Claim times are whole seconds, so their RFC 3339 strings sort as
	// the times do.
	staleBefore := now.Add(-stale).UTC().Truncate(time.Second).Format(time.RFC3339Nano)
	_, err = st.db.PutItem(ctx, &dynamodb.PutItemInput{
		TableName:                aws.String(st.table),
		Item:                     it,
		ConditionExpression:      aws.String("attribute_not_exists(pk) OR (#st = :pending AND claimed_at < :stale)"),
		ExpressionAttributeNames: map[string]string{"#st": "state"},
		ExpressionAttributeValues: map[string]types.AttributeValue{
			":pending": s(StatePending), ":stale": s(staleBefore),
		},
	})
	if err == nil {
		return Claimed, nil
	}
	if !isCCF(err) {
		return 0, fmt.Errorf("chanstore: claim %s: %w", sk, err)
	}
	var cur struct {
		State string `json:"state"`
	}
	if err := st.get(ctx, pk, sk, time.Time{}, &cur); err != nil {
		return 0, err
	}
	if cur.State == StatePending {
		return Busy, nil
	}
	return Done, nil
}

func (st *Store) finish(ctx context.Context, pk, sk string, fields map[string]string) error {
	expr := "SET #st = :done"
	names := map[string]string{"#st": "state"}
	values := map[string]types.AttributeValue{":done": s(StateDone)}
	i := 0
	for k, v := range fields {
		if v == "" {
			continue
		}
		i++
		nk, vk := fmt.Sprintf("#f%d", i), fmt.Sprintf(":f%d", i)
		names[nk], values[vk] = k, s(v)
		expr += ", " + nk + " = " + vk
	}
	if _, err := st.db.UpdateItem(ctx, &dynamodb.UpdateItemInput{
		TableName: aws.String(st.table), Key: key(pk, sk),
		UpdateExpression: aws.String(expr), ExpressionAttributeNames: names, ExpressionAttributeValues: values,
		ConditionExpression: aws.String("attribute_exists(pk)"),
	}); err != nil {
		return fmt.Errorf("chanstore: finish %s: %w", sk, err)
	}
	return nil
}

func (st *Store) release(ctx context.Context, pk, sk string) error {
	_, err := st.db.DeleteItem(ctx, &dynamodb.DeleteItemInput{
		TableName: aws.String(st.table), Key: key(pk, sk),
		ConditionExpression:       aws.String("#st = :pending"),
		ExpressionAttributeNames:  map[string]string{"#st": "state"},
		ExpressionAttributeValues: map[string]types.AttributeValue{":pending": s(StatePending)},
	})
	if err != nil && !isCCF(err) {
		return fmt.Errorf("chanstore: release %s: %w", sk, err)
	}
	return nil
}
