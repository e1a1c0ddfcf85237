package chanstore

import (
	"github.com/open12315/intake/shared/dynamo"

	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
)

// Session is a mini-program session. The token itself is never stored:
// the key is its SHA-256. WeChat's session_key is not kept at all.
type Session struct {
	OpenID    string    `json:"openid"`
	UnionID   string    `json:"unionid,omitempty"`
	Phone     string    `json:"phone,omitempty"` // verified through getuserphonenumber, E.164
	CreatedAt time.Time `json:"created_at"`
	ExpiresAt time.Time `json:"session_expires_at"`
}

func sessionPK(token string) string { return "SESS#" + Hash(token) }

// PutSession stores a new session under token.
func (st *Store) PutSession(ctx context.Context, token string, se Session) error {
	it, err := item(se, sessionPK(token), "SESS", se.ExpiresAt)
	if err != nil {
		return err
	}
	created, err := st.put(ctx, it, true)
	if err == nil && !created {
		err = fmt.Errorf("chanstore: session token collision")
	}
	return err
}

// GetSession returns the live session of token, ErrNotFound when it is
// unknown or expired.
func (st *Store) GetSession(ctx context.Context, token string, now time.Time) (Session, error) {
	var se Session
	if err := st.get(ctx, sessionPK(token), "SESS", now, &se); err != nil {
		return Session{}, err
	}
	if !now.Before(se.ExpiresAt) {
		return Session{}, ErrNotFound
	}
	return se, nil
}

// SetSessionPhone records the verified phone number on a session.
func (st *Store) SetSessionPhone(ctx context.Context, token, phone string) error {
	_, err := st.db.UpdateItem(ctx, &dynamodb.UpdateItemInput{
		TableName: aws.String(st.table), Key: key(sessionPK(token), "SESS"),
		UpdateExpression:          aws.String("SET phone = :p"),
		ConditionExpression:       aws.String("attribute_exists(pk)"),
		ExpressionAttributeValues: map[string]types.AttributeValue{":p": s(phone)},
	})
	if isCCF(err) {
		return ErrNotFound
	}
	if err != nil {
		return fmt.Errorf("chanstore: set session phone: %w", err)
	}
	return nil
}

// UserCase is one entry of a mini-program user's case list.
type UserCase struct {
	CaseID     string    `json:"case_id"`
	ReceivedAt time.Time `json:"received_at"`
}

func userPK(openid string) string { return "MPUSER#" + openid }

// PutUserCase adds a case to the user's list (idempotent).
func (st *Store) PutUserCase(ctx context.Context, openid string, uc UserCase) error {
	it, err := item(uc, userPK(openid), "CASE#"+dynamo.ListKey(uc.ReceivedAt, uc.CaseID), time.Time{})
	if err != nil {
		return err
	}
	_, err = st.put(ctx, it, false)
	return err
}

// UserCases lists a user's cases newest first, up to limit, after cursor
// (the last case id's sort key from the previous page, opaque to callers).
func (st *Store) UserCases(ctx context.Context, openid string, limit int, cursor string) ([]UserCase, string, error) {
	in := &dynamodb.QueryInput{
		TableName:              aws.String(st.table),
		KeyConditionExpression: aws.String("pk = :pk AND begins_with(sk, :c)"),
		ExpressionAttributeValues: map[string]types.AttributeValue{
			":pk": s(userPK(openid)), ":c": s("CASE#"),
		},
		ScanIndexForward: aws.Bool(false),
		Limit:            aws.Int32(int32(limit)),
	}
	if cursor != "" {
		if !strings.HasPrefix(cursor, "CASE#") || len(cursor) > 80 {
			return nil, "", fmt.Errorf("chanstore: bad cursor")
		}
		in.ExclusiveStartKey = key(userPK(openid), cursor)
	}
	out, err := st.db.Query(ctx, in)
	if err != nil {
		return nil, "", fmt.Errorf("chanstore: list user cases: %w", err)
	}
	ucs := make([]UserCase, 0, len(out.Items))
	for _, it := range out.Items {
		var uc UserCase
		if err := dec.Decode(&types.AttributeValueMemberM{Value: it}, &uc); err != nil {
			return nil, "", fmt.Errorf("chanstore: decode user case: %w", err)
		}
		ucs = append(ucs, uc)
	}
	next := ""
	if sk, ok := out.LastEvaluatedKey["sk"].(*types.AttributeValueMemberS); ok {
		next = sk.Value
	}
	return ucs, next, nil
}

func subSK(template string) string { return "SUB#" + template }

// AddCredits adds one-time subscription credits for a template, capped at
// max (WeChat grants one send per accepted request).
func (st *Store) AddCredits(ctx context.Context, openid, template string, add, max int) (int, error) {
	out, err := st.db.UpdateItem(ctx, &dynamodb.UpdateItemInput{
		TableName: aws.String(st.table), Key: key(userPK(openid), subSK(template)),
		UpdateExpression:          aws.String("ADD credits :n"),
		ConditionExpression:       aws.String("attribute_not_exists(credits) OR credits <= :room"),
		ExpressionAttributeValues: map[string]types.AttributeValue{":n": n(int64(add)), ":room": n(int64(max - add))},
		ReturnValues:              types.ReturnValueUpdatedNew,
	})
	if isCCF(err) {
		return max, nil // already at the cap
	}
	if err != nil {
		return 0, fmt.Errorf("chanstore: add credits: %w", err)
	}
	return numAttr(out.Attributes["credits"]), nil
}

// TakeCredit spends one credit; false when none is left.
func (st *Store) TakeCredit(ctx context.Context, openid, template string) (bool, error) {
	_, err := st.db.UpdateItem(ctx, &dynamodb.UpdateItemInput{
		TableName: aws.String(st.table), Key: key(userPK(openid), subSK(template)),
		UpdateExpression:          aws.String("ADD credits :m"),
		ConditionExpression:       aws.String("credits > :z"),
		ExpressionAttributeValues: map[string]types.AttributeValue{":m": n(-1), ":z": n(0)},
	})
	if isCCF(err) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("chanstore: take credit: %w", err)
	}
	return true, nil
}

// RefundCredit gives back a credit taken for a send that failed before
// WeChat accepted it.
func (st *Store) RefundCredit(ctx context.Context, openid, template string) error {
	_, err := st.db.UpdateItem(ctx, &dynamodb.UpdateItemInput{
		TableName: aws.String(st.table), Key: key(userPK(openid), subSK(template)),
		UpdateExpression:          aws.String("ADD credits :one"),
		ExpressionAttributeValues: map[string]types.AttributeValue{":one": n(1)},
	})
	if err != nil {
		return fmt.Errorf("chanstore: refund credit: %w", err)
	}
	return nil
}

// ClearCredits sets a template's credits to zero: WeChat said the user
// refused or has none (43101).
func (st *Store) ClearCredits(ctx context.Context, openid, template string) error {
	_, err := st.db.UpdateItem(ctx, &dynamodb.UpdateItemInput{
		TableName: aws.String(st.table), Key: key(userPK(openid), subSK(template)),
		UpdateExpression:          aws.String("SET credits = :z"),
		ExpressionAttributeValues: map[string]types.AttributeValue{":z": n(0)},
	})
	if err != nil {
		return fmt.Errorf("chanstore: clear credits: %w", err)
	}
	return nil
}

// Credits returns the credits left for a template.
func (st *Store) Credits(ctx context.Context, openid, template string) (int, error) {
	var v struct {
		Credits int `json:"credits"`
	}
	err := st.get(ctx, userPK(openid), subSK(template), time.Time{}, &v)
	if err == ErrNotFound {
		return 0, nil
	}
	return v.Credits, err
}

func numAttr(av types.AttributeValue) int {
	if v, ok := av.(*types.AttributeValueMemberN); ok {
		i, _ := strconv.Atoi(v.Value)
		return i
	}
	return 0
}

type caseRef struct {
	CaseID string    `json:"case_id"`
	At     time.Time `json:"at"`
}

// LookupTracking returns the case id of a tracking-code hash, from the
// index dynamo.Store.Create writes with every case, whatever its channel.
func (st *Store) LookupTracking(ctx context.Context, trackingHash string) (string, error) {
	var r caseRef
	pk, sk := dynamo.TrackingKey(trackingHash)
	if err := st.get(ctx, pk, sk, time.Time{}, &r); err != nil {
		return "", err
	}
	return r.CaseID, nil
}

func phonePK(phone string) string { return "PHONE#" + Hash(phone) }

// SetOpenCase records the case an SMS sender has open, for follow-ups,
// until ttl from at.
func (st *Store) SetOpenCase(ctx context.Context, phone, caseID string, at time.Time, ttl time.Duration) error {
	it, err := item(caseRef{caseID, at.UTC()}, phonePK(phone), "OPEN", at.Add(ttl))
	if err != nil {
		return err
	}
	_, err = st.put(ctx, it, false)
	return err
}

// OpenCase returns the case an SMS sender has open, ErrNotFound if none.
func (st *Store) OpenCase(ctx context.Context, phone string, now time.Time) (string, error) {
	var r caseRef
	if err := st.get(ctx, phonePK(phone), "OPEN", now, &r); err != nil {
		return "", err
	}
	return r.CaseID, nil
}

// SetOptOut records that a phone opted out of progress messages.
func (st *Store) SetOptOut(ctx context.Context, phone string, at time.Time) error {
	it, err := item(caseRef{At: at.UTC()}, phonePK(phone), "OPTOUT", time.Time{})
	if err != nil {
		return err
	}
	_, err = st.put(ctx, it, false)
	return err
}

// OptedOut reports whether a phone opted out.
func (st *Store) OptedOut(ctx context.Context, phone string) (bool, error) {
	var r caseRef
	err := st.get(ctx, phonePK(phone), "OPTOUT", time.Time{}, &r)
	if err == ErrNotFound {
		return false, nil
	}
	return err == nil, err
}

// HotlineRef is the case a 12345 work order became.
type HotlineRef struct {
	CaseID string    `json:"case_id"`
	At     time.Time `json:"at"`
	// RequestHash fingerprints the transfer, so that a repeat with other
	// content is told apart from a retry.
	RequestHash string `json:"request_hash"`
}

// PutHotline records the case of a work order once; it reports false when
// the work order was recorded before.
func (st *Store) PutHotline(ctx context.Context, workOrderID string, ref HotlineRef) (bool, error) {
	it, err := item(ref, "HOTLINE#"+workOrderID, "HOTLINE", time.Time{})
	if err != nil {
		return false, err
	}
	return st.put(ctx, it, true)
}

// GetHotline returns the case of a work order, ErrNotFound if none.
func (st *Store) GetHotline(ctx context.Context, workOrderID string) (HotlineRef, error) {
	var r HotlineRef
	err := st.get(ctx, "HOTLINE#"+workOrderID, "HOTLINE", time.Time{}, &r)
	return r, err
}

// SentSMS is a message the fake SMS provider recorded instead of sending.
type SentSMS struct {
	Key       string    `json:"key"`
	Provider  string    `json:"provider"`
	To        string    `json:"to"`
	Text      string    `json:"text"` // as the handset shows it, signature included
	Segments  int       `json:"segments"`
	Encoding  string    `json:"encoding"`
	CaseID    string    `json:"case_id,omitempty"`
	Kind      string    `json:"kind"`
	RecordAt  time.Time `json:"at"`
	MessageID string    `json:"message_id"`
}

// RecordSMS stores a message of the fake provider.
func (st *Store) RecordSMS(ctx context.Context, m SentSMS) error {
	it, err := item(m, "SMSBOX#fake", m.RecordAt.UTC().Format(time.RFC3339Nano)+"#"+Hash(m.Key)[:16], m.RecordAt.Add(OutboxTTL))
	if err != nil {
		return err
	}
	_, err = st.put(ctx, it, false)
	return err
}

// RecordedSMS lists the fake provider's messages, oldest first.
func (st *Store) RecordedSMS(ctx context.Context, limit int) ([]SentSMS, error) {
	out, err := st.db.Query(ctx, &dynamodb.QueryInput{
		TableName:                 aws.String(st.table),
		KeyConditionExpression:    aws.String("pk = :pk"),
		ExpressionAttributeValues: map[string]types.AttributeValue{":pk": s("SMSBOX#fake")},
		ConsistentRead:            aws.Bool(true),
		Limit:                     aws.Int32(int32(limit)),
	})
	if err != nil {
		return nil, fmt.Errorf("chanstore: list recorded SMS: %w", err)
	}
	ms := make([]SentSMS, 0, len(out.Items))
	for _, it := range out.Items {
		var m SentSMS
		if err := dec.Decode(&types.AttributeValueMemberM{Value: it}, &m); err != nil {
			return nil, fmt.Errorf("chanstore: decode recorded SMS: %w", err)
		}
		ms = append(ms, m)
	}
	return ms, nil
}
