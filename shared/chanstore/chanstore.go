// Package chanstore keeps the records the intake channels need next to the
// cases, in the same DynamoDB table (template.yaml declares one table; its
// TTL attribute expires_at removes the short-lived records).
//
// Item layout (pk / sk), every personal identifier hashed in keys:
//
//	SESS#<sha256(token)>        SESS            mini-program session: openid, phone; TTL
//	MPUSER#<openid>             CASE#<at>#<id>  "my cases" of a mini-program user, newest last
//	MPUSER#<openid>             SUB#<template>  one-time subscribe-message credits
//	TRK#<tracking hash>         TRK             tracking code → case id (written by dynamo.Store.Create)
//	INMSG#<provider>#<sha(id)>  INMSG           inbound message claim and outcome (dedupe); TTL
//	PHONE#<sha(phone)>          OPEN            the open SMS case of a phone (follow-ups); TTL
//	PHONE#<sha(phone)>          OPTOUT          the phone opted out of progress messages
//	OUT#<sha(key)>              OUT             outbound message claim (send once); TTL
//	HOTLINE#<work order id>     HOTLINE         12345 work order → case id
//	SMSBOX#fake                 <at>#<key>      messages the fake SMS provider "sent"; TTL
//
// Claims (inbound messages, outbound sends) are conditional puts with a
// state: the first delivery claims the record as pending, finishes it as
// done; a repeat finds it done and changes nothing; a repeat that finds it
// pending for longer than the stale period (the first worker died) takes
// it over; a repeat during a live attempt is told to come back later.
package chanstore

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
)

// API is the part of the DynamoDB client the store uses.
type API interface {
	GetItem(context.Context, *dynamodb.GetItemInput, ...func(*dynamodb.Options)) (*dynamodb.GetItemOutput, error)
	PutItem(context.Context, *dynamodb.PutItemInput, ...func(*dynamodb.Options)) (*dynamodb.PutItemOutput, error)
	UpdateItem(context.Context, *dynamodb.UpdateItemInput, ...func(*dynamodb.Options)) (*dynamodb.UpdateItemOutput, error)
	DeleteItem(context.Context, *dynamodb.DeleteItemInput, ...func(*dynamodb.Options)) (*dynamodb.DeleteItemOutput, error)
	Query(context.Context, *dynamodb.QueryInput, ...func(*dynamodb.Options)) (*dynamodb.QueryOutput, error)
}

// Store reads and writes channel records.
type Store struct {
	db    API
	table string
}

// New returns a store on the cases table.
func New(db API, table string) *Store { return &Store{db: db, table: table} }

// Lifetimes of the records that expire.
const (
	InboundTTL  = 14 * 24 * time.Hour // longer than any provider's retries
	OutboundTTL = 14 * 24 * time.Hour
	OutboxTTL   = 7 * 24 * time.Hour
)

// ErrNotFound: no such record (or it expired).
var ErrNotFound = errors.New("chanstore: not found")

var (
	enc = attributevalue.NewEncoder(func(o *attributevalue.EncoderOptions) { o.TagKey = "json" })
	dec = attributevalue.NewDecoder(func(o *attributevalue.DecoderOptions) { o.TagKey = "json" })
)

// Hash returns the hex SHA-256 of s, used to keep identifiers out of keys.
func Hash(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:])
}

func s(v string) types.AttributeValue { return &types.AttributeValueMemberS{Value: v} }
func n(v int64) types.AttributeValue {
	return &types.AttributeValueMemberN{Value: strconv.FormatInt(v, 10)}
}

func key(pk, sk string) map[string]types.AttributeValue {
	return map[string]types.AttributeValue{"pk": s(pk), "sk": s(sk)}
}

func isCCF(err error) bool {
	var ccf *types.ConditionalCheckFailedException
	return errors.As(err, &ccf)
}

// item encodes v and adds the keys and, when exp is not zero, the TTL.
func item(v any, pk, sk string, exp time.Time) (map[string]types.AttributeValue, error) {
	av, err := enc.Encode(v)
	if err != nil {
		return nil, fmt.Errorf("chanstore: encode %s: %w", strings.SplitN(pk, "#", 2)[0], err)
	}
	m, ok := av.(*types.AttributeValueMemberM)
	if !ok {
		return nil, fmt.Errorf("chanstore: encode %s: not a map", strings.SplitN(pk, "#", 2)[0])
	}
	m.Value["pk"], m.Value["sk"] = s(pk), s(sk)
	if !exp.IsZero() {
		m.Value["expires_at"] = n(exp.Unix())
	}
	return m.Value, nil
}

// get reads one item into v with strong consistency; ErrNotFound when it
// is missing or its TTL has passed (DynamoDB deletes expired items late).
func (st *Store) get(ctx context.Context, pk, sk string, now time.Time, v any) error {
	out, err := st.db.GetItem(ctx, &dynamodb.GetItemInput{
		TableName: aws.String(st.table), Key: key(pk, sk), ConsistentRead: aws.Bool(true),
	})
	if err != nil {
		return fmt.Errorf("chanstore: get %s: %w", strings.SplitN(pk, "#", 2)[0], err)
	}
	if out.Item == nil || expired(out.Item, now) {
		return ErrNotFound
	}
	if err := dec.Decode(&types.AttributeValueMemberM{Value: out.Item}, v); err != nil {
		return fmt.Errorf("chanstore: decode %s: %w", strings.SplitN(pk, "#", 2)[0], err)
	}
	return nil
}

func expired(it map[string]types.AttributeValue, now time.Time) bool {
	if v, ok := it["expires_at"].(*types.AttributeValueMemberN); ok && !now.IsZero() {
		if exp, err := strconv.ParseInt(v.Value, 10, 64); err == nil && exp <= now.Unix() {
			return true
		}
	}
	return false
}

// put writes an item; with ifAbsent it refuses to overwrite and reports
// created false.
func (st *Store) put(ctx context.Context, it map[string]types.AttributeValue, ifAbsent bool) (bool, error) {
	in := &dynamodb.PutItemInput{TableName: aws.String(st.table), Item: it}
	if ifAbsent {
		in.ConditionExpression = aws.String("attribute_not_exists(pk)")
	}
	_, err := st.db.PutItem(ctx, in)
	switch {
	case ifAbsent && isCCF(err):
		return false, nil
	case err != nil:
		pk := it["pk"].(*types.AttributeValueMemberS).Value
		return false, fmt.Errorf("chanstore: put %s: %w", strings.SplitN(pk, "#", 2)[0], err)
	}
	return true, nil
}
