// Package ratelimit limits requests per identity (a phone number, an
// openid, an IP address) with fixed-window counters in the cases table.
//
// Each (kind, identity, window) is one item, pk RL#<kind>#<sha256(identity)>#<window start>,
// incremented by a conditional UpdateItem (ADD n, only while n < max), so
// concurrent Lambdas share one exact count without reading first. The item
// carries expires_at, the table's TTL attribute, so old windows vanish.
// A fixed window lets a burst of up to 2×max straddle a boundary; that is
// accepted for abuse protection of intake doors.
//
// Limits are configuration: RATE_LIMITS="phone=10/1h,openid=20/1h,ip=60/1m".
// A kind without a limit is not limited. When DynamoDB fails, Allow
// returns the error and callers let the request through (fail open): a
// complaint is never refused because the limiter is down.
package ratelimit

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
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
)

// Identity kinds.
const (
	Phone  = "phone"
	OpenID = "openid"
	IP     = "ip"
)

// DefaultLimits apply when RATE_LIMITS is not set.
const DefaultLimits = "phone=10/1h,openid=20/1h,ip=60/1m"

// Limit allows Max requests per Window.
type Limit struct {
	Max    int
	Window time.Duration
}

// Limits maps an identity kind to its limit.
type Limits map[string]Limit

// ParseLimits parses "kind=max/window,…", window a Go duration ("1h",
// "10m"). "kind=off" removes a kind's limit.
func ParseLimits(spec string) (Limits, error) {
	out := Limits{}
	for _, part := range strings.Split(spec, ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		kind, rest, ok := strings.Cut(part, "=")
		kind = strings.TrimSpace(kind)
		if !ok || kind == "" {
			return nil, fmt.Errorf("ratelimit: %q: want kind=max/window", part)
		}
		if strings.TrimSpace(rest) == "off" {
			delete(out, kind)
			continue
		}
		ms, ws, ok := strings.Cut(rest, "/")
		max, err := strconv.Atoi(strings.TrimSpace(ms))
		if !ok || err != nil || max < 1 {
			return nil, fmt.Errorf("ratelimit: %q: max must be a positive integer", part)
		}
		w, err := time.ParseDuration(strings.TrimSpace(ws))
		if err != nil || w < time.Second {
			return nil, fmt.Errorf("ratelimit: %q: window must be a duration of at least 1s", part)
		}
		out[kind] = Limit{Max: max, Window: w}
	}
	return out, nil
}

// API is the part of the DynamoDB client the limiter uses.
type API interface {
	UpdateItem(context.Context, *dynamodb.UpdateItemInput, ...func(*dynamodb.Options)) (*dynamodb.UpdateItemOutput, error)
}

// Limiter counts requests. A nil *Limiter allows everything.
type Limiter struct {
	DB     API
	Table  string
	Limits Limits
	Now    func() time.Time
}

// Decision is the answer for one request.
type Decision struct {
	Allowed bool
	// RetryAfter is when the window ends, for a refused request (at least
	// one second).
	RetryAfter time.Duration
	Limit      Limit
}

// RetryAfterSeconds is RetryAfter in whole seconds, rounded up, for the
// Retry-After header.
func (d Decision) RetryAfterSeconds() int {
	return int((d.RetryAfter + time.Second - 1) / time.Second)
}

// Allow counts one request of identity and reports whether it is within
// the limit of its kind.
func (l *Limiter) Allow(ctx context.Context, kind, identity string) (Decision, error) {
	if l == nil {
		return Decision{Allowed: true}, nil
	}
	lim, ok := l.Limits[kind]
	if !ok || identity == "" {
		return Decision{Allowed: true}, nil
	}
	now := time.Now()
	if l.Now != nil {
		now = l.Now()
	}
	start := now.Truncate(lim.Window)
	end := start.Add(lim.Window)
	sum := sha256.Sum256([]byte(identity))
	pk := "RL#" + kind + "#" + hex.EncodeToString(sum[:16]) + "#" + strconv.FormatInt(start.Unix(), 10)
	_, err := l.DB.UpdateItem(ctx, &dynamodb.UpdateItemInput{
		TableName: aws.String(l.Table),
		Key: map[string]types.AttributeValue{
			"pk": &types.AttributeValueMemberS{Value: pk},
			"sk": &types.AttributeValueMemberS{Value: "RL"},
		},
		UpdateExpression:    aws.String("ADD n :one SET expires_at = if_not_exists(expires_at, :exp)"),
		ConditionExpression: aws.String("attribute_not_exists(n) OR n < :max"),
		ExpressionAttributeValues: map[string]types.AttributeValue{
			":one": &types.AttributeValueMemberN{Value: "1"},
			":max": &types.AttributeValueMemberN{Value: strconv.Itoa(lim.Max)},
			// Keep the item a little past its window for late readers.
			":exp": &types.AttributeValueMemberN{Value: strconv.FormatInt(end.Add(time.Minute).Unix(), 10)},
		},
	})
	var ccf *types.ConditionalCheckFailedException
	switch {
	case errors.As(err, &ccf):
		wait := end.Sub(now)
		if wait < time.Second {
			wait = time.Second
		}
		return Decision{Allowed: false, RetryAfter: wait, Limit: lim}, nil
	case err != nil:
		return Decision{Allowed: true, Limit: lim}, fmt.Errorf("ratelimit: count %s: %w", kind, err)
	}
	return Decision{Allowed: true, Limit: lim}, nil
}
