// Package dynamo stores cases in one DynamoDB table.
//
// Item layout (pk, sk are strings):
//
//	CASE#<id>   CASE              the case document, with version for optimistic locking
//	CASE#<id>   EVT#<v>#<n>       its events, append-only, in order
//	IDEM#<hash> IDEM              a receipt kept under an Idempotency-Key, with a TTL
//
// The case item also carries due_shard and due_at while the case has a
// watch time: the "due" global secondary index is sparse and write-sharded
// on them, so the sweep queries only cases that need attention, spread over
// several partitions.
package dynamo

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"hash/fnv"
	"strconv"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/open12315/intake/shared/cases"
)

// Names of the table's key attributes and indexes; template.yaml declares
// the same.
const (
	AttrPK       = "pk"
	AttrSK       = "sk"
	AttrDueShard = "due_shard"
	AttrDueAt    = "due_at"
	AttrTTL      = "expires_at"
	IndexDue     = "due"

	skCase = "CASE"
	skIdem = "IDEM"
)

// DefaultShards is the number of due-index shards unless configured.
const DefaultShards = 8

// IdempotencyTTL is how long a receipt answers retries of the same request.
const IdempotencyTTL = 24 * time.Hour

// API is the part of the DynamoDB client the store uses.
type API interface {
	GetItem(context.Context, *dynamodb.GetItemInput, ...func(*dynamodb.Options)) (*dynamodb.GetItemOutput, error)
	PutItem(context.Context, *dynamodb.PutItemInput, ...func(*dynamodb.Options)) (*dynamodb.PutItemOutput, error)
	DeleteItem(context.Context, *dynamodb.DeleteItemInput, ...func(*dynamodb.Options)) (*dynamodb.DeleteItemOutput, error)
	Query(context.Context, *dynamodb.QueryInput, ...func(*dynamodb.Options)) (*dynamodb.QueryOutput, error)
	TransactWriteItems(context.Context, *dynamodb.TransactWriteItemsInput, ...func(*dynamodb.Options)) (*dynamodb.TransactWriteItemsOutput, error)
}

// Store implements cases.Store on DynamoDB.
type Store struct {
	db     API
	table  string
	shards int
	// onCapacity, when set, receives the consumed capacity of every read.
	onCapacity func(op string, c *types.ConsumedCapacity)
}

// WithCapacity returns a copy of the store that asks DynamoDB for the
// capacity each read consumes and reports it to f. Benchmarks and ops
// tools use it; handlers do not.
func (s *Store) WithCapacity(f func(op string, c *types.ConsumedCapacity)) *Store {
	cp := *s
	cp.onCapacity = f
	return &cp
}

// capacity returns the ReturnConsumedCapacity setting for a read.
func (s *Store) capacity() types.ReturnConsumedCapacity {
	if s.onCapacity == nil {
		return types.ReturnConsumedCapacityNone
	}
	return types.ReturnConsumedCapacityTotal
}

func (s *Store) report(op string, c *types.ConsumedCapacity) {
	if s.onCapacity != nil && c != nil {
		s.onCapacity(op, c)
	}
}

var (
	_ cases.Store  = (*Store)(nil)
	_ cases.Lister = (*Store)(nil)
)

// New returns a store on the given table. shards ≤ 0 means DefaultShards.
func New(db API, table string, shards int) *Store {
	if shards <= 0 {
		shards = DefaultShards
	}
	return &Store{db: db, table: table, shards: shards}
}

// Shards implements cases.Store.
func (s *Store) Shards() int { return s.shards }

// Table returns the table name.
func (s *Store) Table() string { return s.table }

var (
	enc = attributevalue.NewEncoder(func(o *attributevalue.EncoderOptions) { o.TagKey = "json"; o.UseEncodingMarshalers = true })
	dec = attributevalue.NewDecoder(func(o *attributevalue.DecoderOptions) { o.TagKey = "json"; o.UseEncodingUnmarshalers = true })
)

func casePK(id string) string { return "CASE#" + id }

// ListKey is the sort key of the listing indexes: receipt time to the
// nanosecond, fixed width so that string order is time order, then the id.
func ListKey(received time.Time, id string) string {
	return received.UTC().Format("2006-01-02T15:04:05.000000000Z") + "#" + id
}

// TrackingKey returns the key of the tracking-code index item for a
// code's hash (cases.HashTrackingCode). The item holds case_id and at.
func TrackingKey(hash string) (pk, sk string) { return "TRK#" + hash, "TRK" }

// Shard returns the due-index shard of a case id.
func (s *Store) Shard(id string) int {
	h := fnv.New32a()
	h.Write([]byte(id))
	return int(h.Sum32() % uint32(s.shards))
}

// DueAtKey renders a watch time as the index's sort key: fixed-width UTC,
// so that string order is time order.
func DueAtKey(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05Z") }

func shardKey(n int) string { return "S" + strconv.Itoa(n) }

// Item returns the item Create and Update write for c, keys and index
// attributes included: for bulk loads and backfills with BatchWriteItem.
func (s *Store) Item(c *cases.Case) (map[string]types.AttributeValue, error) { return s.caseItem(c) }

func (s *Store) caseItem(c *cases.Case) (map[string]types.AttributeValue, error) {
	av, err := enc.Encode(c)
	if err != nil {
		return nil, fmt.Errorf("encode case %s: %w", c.ID, err)
	}
	m, ok := av.(*types.AttributeValueMemberM)
	if !ok {
		return nil, fmt.Errorf("encode case %s: not a map", c.ID)
	}
	item := m.Value
	item[AttrPK] = &types.AttributeValueMemberS{Value: casePK(c.ID)}
	item[AttrSK] = &types.AttributeValueMemberS{Value: skCase}
	if c.Unit != nil {
		for k, v := range scopeAttrs(c.Unit.Code) {
			item[k] = &types.AttributeValueMemberS{Value: v}
		}
		item[AttrListSK] = &types.AttributeValueMemberS{Value: ListKey(c.ReceivedAt, c.ID)}
	}
	if clk := c.CurrentClock(); clk != nil {
		item[AttrNextDue] = &types.AttributeValueMemberS{Value: DueAtKey(clk.DueAt)}
	}
	if c.WatchAt != nil {
		item[AttrDueShard] = &types.AttributeValueMemberS{Value: shardKey(s.Shard(c.ID))}
		item[AttrDueAt] = &types.AttributeValueMemberS{Value: DueAtKey(*c.WatchAt)}
	}
	return item, nil
}

func eventItems(evs []cases.Event) ([]map[string]types.AttributeValue, error) {
	out := make([]map[string]types.AttributeValue, 0, len(evs))
	for i, e := range evs {
		av, err := enc.Encode(e)
		if err != nil {
			return nil, fmt.Errorf("encode event %s/%d: %w", e.CaseID, e.Seq, err)
		}
		item := av.(*types.AttributeValueMemberM).Value
		item[AttrPK] = &types.AttributeValueMemberS{Value: casePK(e.CaseID)}
		item[AttrSK] = &types.AttributeValueMemberS{Value: fmt.Sprintf("EVT#%010d#%02d", e.Seq, i)}
		out = append(out, item)
	}
	return out, nil
}

func idemPK(key string) string {
	sum := sha256.Sum256([]byte(key))
	return "IDEM#" + hex.EncodeToString(sum[:])
}

func (s *Store) putNew(item map[string]types.AttributeValue) types.TransactWriteItem {
	return types.TransactWriteItem{Put: &types.Put{
		TableName:           aws.String(s.table),
		Item:                item,
		ConditionExpression: aws.String("attribute_not_exists(pk)"),
	}}
}

// Create implements cases.Store.
func (s *Store) Create(ctx context.Context, c *cases.Case, first cases.Event, key string, r cases.Receipt) error {
	ci, err := s.caseItem(c)
	if err != nil {
		return err
	}
	evs, err := eventItems([]cases.Event{first})
	if err != nil {
		return err
	}
	items := []types.TransactWriteItem{s.putNew(ci), s.putNew(evs[0])}
	// The tracking-code index lets a consumer who has only the code (an
	// SMS 查询) find the case. The report half of a split submission
	// shares its original's code; the index keeps pointing at the
	// original, whose routing names the other half.
	if c.TrackingHash != "" && first.Data["split_from"] == "" {
		pk, sk := TrackingKey(c.TrackingHash)
		items = append(items, types.TransactWriteItem{Put: &types.Put{
			TableName: aws.String(s.table),
			Item: map[string]types.AttributeValue{
				AttrPK:    &types.AttributeValueMemberS{Value: pk},
				AttrSK:    &types.AttributeValueMemberS{Value: sk},
				"case_id": &types.AttributeValueMemberS{Value: c.ID},
				"at":      &types.AttributeValueMemberS{Value: c.ReceivedAt.UTC().Format(time.RFC3339Nano)},
			},
		}})
	}
	if key != "" {
		ri, err := enc.Encode(r)
		if err != nil {
			return fmt.Errorf("encode receipt: %w", err)
		}
		idem := ri.(*types.AttributeValueMemberM).Value
		idem[AttrPK] = &types.AttributeValueMemberS{Value: idemPK(key)}
		idem[AttrSK] = &types.AttributeValueMemberS{Value: skIdem}
		idem[AttrTTL] = &types.AttributeValueMemberN{Value: strconv.FormatInt(r.CreatedAt.Add(IdempotencyTTL).Unix(), 10)}
		items = append(items, s.putNew(idem))
	}
	_, err = s.db.TransactWriteItems(ctx, &dynamodb.TransactWriteItemsInput{TransactItems: items})
	if err == nil {
		return nil
	}
	reasons := cancelReasons(err)
	if reasons == nil {
		return fmt.Errorf("create case %s: %w", c.ID, err)
	}
	if key != "" && len(reasons) > 0 && reasons[len(reasons)-1] == "ConditionalCheckFailed" {
		existing, gerr := s.receipt(ctx, key, r.CreatedAt)
		if gerr != nil {
			return fmt.Errorf("create case %s: read receipt: %w", c.ID, gerr)
		}
		if existing != nil {
			return &cases.IdempotencyConflictError{Existing: *existing}
		}
		// The old receipt expired between the write and the read: a
		// retry will now succeed.
		return fmt.Errorf("create case %s: receipt vanished, retry: %w", c.ID, err)
	}
	if len(reasons) > 0 && reasons[0] == "ConditionalCheckFailed" {
		return fmt.Errorf("create case %s: %w", c.ID, cases.ErrExists)
	}
	return fmt.Errorf("create case %s: %w", c.ID, err)
}

// receipt reads a stored receipt, ignoring one whose TTL has passed (DynamoDB
// deletes expired items late, up to days after).
func (s *Store) receipt(ctx context.Context, key string, now time.Time) (*cases.Receipt, error) {
	out, err := s.db.GetItem(ctx, &dynamodb.GetItemInput{
		TableName:      aws.String(s.table),
		Key:            keyOf(idemPK(key), skIdem),
		ConsistentRead: aws.Bool(true),
	})
	if err != nil {
		return nil, err
	}
	if out.Item == nil {
		return nil, nil
	}
	if n, ok := out.Item[AttrTTL].(*types.AttributeValueMemberN); ok {
		if exp, err := strconv.ParseInt(n.Value, 10, 64); err == nil && exp < now.Unix() {
			return nil, nil
		}
	}
	var r cases.Receipt
	if err := dec.Decode(&types.AttributeValueMemberM{Value: out.Item}, &r); err != nil {
		return nil, fmt.Errorf("decode receipt: %w", err)
	}
	return &r, nil
}

// Get implements cases.Store.
func (s *Store) Get(ctx context.Context, id string) (*cases.Case, error) {
	out, err := s.db.GetItem(ctx, &dynamodb.GetItemInput{
		TableName:              aws.String(s.table),
		Key:                    keyOf(casePK(id), skCase),
		ConsistentRead:         aws.Bool(true),
		ReturnConsumedCapacity: s.capacity(),
	})
	if err != nil {
		return nil, fmt.Errorf("get case %s: %w", id, err)
	}
	s.report("GetItem", out.ConsumedCapacity)
	if out.Item == nil {
		return nil, fmt.Errorf("get case %s: %w", id, cases.ErrNotFound)
	}
	var c cases.Case
	if err := dec.Decode(&types.AttributeValueMemberM{Value: out.Item}, &c); err != nil {
		return nil, fmt.Errorf("decode case %s: %w", id, err)
	}
	return &c, nil
}

// Update implements cases.Store.
func (s *Store) Update(ctx context.Context, c *cases.Case, events ...cases.Event) error {
	ci, err := s.caseItem(c)
	if err != nil {
		return err
	}
	evs, err := eventItems(events)
	if err != nil {
		return err
	}
	items := []types.TransactWriteItem{{Put: &types.Put{
		TableName:           aws.String(s.table),
		Item:                ci,
		ConditionExpression: aws.String("version = :prev"),
		ExpressionAttributeValues: map[string]types.AttributeValue{
			":prev": &types.AttributeValueMemberN{Value: strconv.FormatInt(c.Version-1, 10)},
		},
	}}}
	for _, e := range evs {
		items = append(items, s.putNew(e))
	}
	// A person's correction of the classifier is also filed under one
	// partition, in the same transaction, so it can be exported as
	// training data without reading every case.
	for _, e := range events {
		if e.Type != EventCorrection {
			continue
		}
		ci, err := eventItems([]cases.Event{e})
		if err != nil {
			return err
		}
		ci[0][AttrPK] = &types.AttributeValueMemberS{Value: correctionsPK}
		ci[0][AttrSK] = &types.AttributeValueMemberS{Value: DueAtKey(e.At) + "#" + e.CaseID}
		items = append(items, types.TransactWriteItem{Put: &types.Put{TableName: aws.String(s.table), Item: ci[0]}})
	}
	_, err = s.db.TransactWriteItems(ctx, &dynamodb.TransactWriteItemsInput{TransactItems: items})
	if err == nil {
		return nil
	}
	if r := cancelReasons(err); len(r) > 0 && r[0] == "ConditionalCheckFailed" {
		return fmt.Errorf("update case %s to v%d: %w", c.ID, c.Version, cases.ErrVersionConflict)
	}
	return fmt.Errorf("update case %s to v%d: %w", c.ID, c.Version, err)
}

// Events implements cases.Store.
func (s *Store) Events(ctx context.Context, id string) ([]cases.Event, error) {
	var out []cases.Event
	var start map[string]types.AttributeValue
	for {
		page, err := s.db.Query(ctx, &dynamodb.QueryInput{
			TableName:              aws.String(s.table),
			KeyConditionExpression: aws.String("pk = :pk AND begins_with(sk, :evt)"),
			ExpressionAttributeValues: map[string]types.AttributeValue{
				":pk":  &types.AttributeValueMemberS{Value: casePK(id)},
				":evt": &types.AttributeValueMemberS{Value: "EVT#"},
			},
			ConsistentRead:    aws.Bool(true),
			ExclusiveStartKey: start,
		})
		if err != nil {
			return nil, fmt.Errorf("list events of %s: %w", id, err)
		}
		for _, item := range page.Items {
			var e cases.Event
			if err := dec.Decode(&types.AttributeValueMemberM{Value: item}, &e); err != nil {
				return nil, fmt.Errorf("decode event of %s: %w", id, err)
			}
			out = append(out, e)
		}
		if len(page.LastEvaluatedKey) == 0 {
			return out, nil
		}
		start = page.LastEvaluatedKey
	}
}

// Due implements cases.Store. It reads only the sparse due index.
func (s *Store) Due(ctx context.Context, shard int, t time.Time, cursor string, limit int) ([]cases.DueRef, string, error) {
	start, err := decodeCursor(cursor)
	if err != nil {
		return nil, "", err
	}
	out, err := s.db.Query(ctx, s.dueQuery(shard, t, start, limit))
	if err != nil {
		return nil, "", fmt.Errorf("query due shard %d: %w", shard, err)
	}
	s.report("Query due", out.ConsumedCapacity)
	refs := make([]cases.DueRef, 0, len(out.Items))
	for _, item := range out.Items {
		// The index projects keys only: the case id is in pk.
		var row struct {
			PK    string `json:"pk"`
			DueAt string `json:"due_at"`
		}
		if err := dec.Decode(&types.AttributeValueMemberM{Value: item}, &row); err != nil {
			return nil, "", fmt.Errorf("decode due row: %w", err)
		}
		at, err := time.Parse(time.RFC3339, row.DueAt)
		if err != nil {
			return nil, "", fmt.Errorf("decode due row %s: %w", row.PK, err)
		}
		refs = append(refs, cases.DueRef{CaseID: strings.TrimPrefix(row.PK, "CASE#"), WatchAt: at})
	}
	next, err := encodeCursor(out.LastEvaluatedKey)
	return refs, next, err
}

func (s *Store) dueQuery(shard int, t time.Time, start map[string]types.AttributeValue, limit int) *dynamodb.QueryInput {
	return &dynamodb.QueryInput{
		TableName:              aws.String(s.table),
		IndexName:              aws.String(IndexDue),
		KeyConditionExpression: aws.String("due_shard = :s AND due_at <= :t"),
		ExpressionAttributeValues: map[string]types.AttributeValue{
			":s": &types.AttributeValueMemberS{Value: shardKey(shard)},
			":t": &types.AttributeValueMemberS{Value: DueAtKey(t)},
		},
		ExclusiveStartKey:      start,
		Limit:                  aws.Int32(int32(limit)),
		ReturnConsumedCapacity: s.capacity(),
	}
}

func keyOf(pk, sk string) map[string]types.AttributeValue {
	return map[string]types.AttributeValue{
		AttrPK: &types.AttributeValueMemberS{Value: pk},
		AttrSK: &types.AttributeValueMemberS{Value: sk},
	}
}

// cancelReasons returns the per-item cancellation codes of a cancelled
// transaction, or nil when err is something else.
func cancelReasons(err error) []string {
	var tce *types.TransactionCanceledException
	if !errors.As(err, &tce) {
		return nil
	}
	out := make([]string, len(tce.CancellationReasons))
	for i, r := range tce.CancellationReasons {
		out[i] = aws.ToString(r.Code)
	}
	return out
}

// Cursors are opaque to clients: base64 of the last evaluated key's string
// attributes.
func encodeCursor(key map[string]types.AttributeValue) (string, error) {
	if len(key) == 0 {
		return "", nil
	}
	flat := make(map[string]string, len(key))
	for k, v := range key {
		s, ok := v.(*types.AttributeValueMemberS)
		if !ok {
			return "", fmt.Errorf("encode cursor: attribute %s is not a string", k)
		}
		flat[k] = s.Value
	}
	b, err := json.Marshal(flat)
	if err != nil {
		return "", fmt.Errorf("encode cursor: %w", err)
	}
	return base64.RawURLEncoding.EncodeToString(b), nil
}

// ErrBadCursor: a cursor that this store did not produce.
var ErrBadCursor = errors.New("invalid cursor")

func decodeCursor(c string) (map[string]types.AttributeValue, error) {
	if c == "" {
		return nil, nil
	}
	b, err := base64.RawURLEncoding.DecodeString(c)
	if err != nil {
		return nil, ErrBadCursor
	}
	var flat map[string]string
	if err := json.Unmarshal(b, &flat); err != nil || len(flat) == 0 {
		return nil, ErrBadCursor
	}
	out := make(map[string]types.AttributeValue, len(flat))
	for k, v := range flat {
		out[k] = &types.AttributeValueMemberS{Value: v}
	}
	return out, nil
}

// Listing indexes: every routed case carries its unit, prefecture and
// province codes and a sort key of receipt time and id, so each level of
// the regulator lists its jurisdiction with one Query, newest first.
const (
	IndexUnit       = "by_unit"
	IndexPrefecture = "by_prefecture"
	IndexProvince   = "by_province"

	AttrUnit       = "unit_code"
	AttrPrefecture = "prefecture_code"
	AttrProvince   = "province_code"
	AttrListSK     = "list_sk"
	AttrNextDue    = "next_due"
)

// scopeAttrs returns the listing attributes of a case handled by unit.
func scopeAttrs(unit string) map[string]string {
	if len(unit) != 6 {
		return nil
	}
	out := map[string]string{AttrProvince: unit[:2] + "0000"}
	if unit[2:] != "0000" {
		out[AttrPrefecture] = unit[:4] + "00"
		out[AttrUnit] = unit
	}
	if unit[2:] == "0000" {
		out[AttrUnit] = unit
	}
	return out
}

// List implements cases.Lister.
func (s *Store) List(ctx context.Context, q cases.ListQuery) ([]*cases.Case, string, error) {
	index, attr := IndexUnit, AttrUnit
	switch q.Scope {
	case cases.ScopePrefecture:
		index, attr = IndexPrefecture, AttrPrefecture
	case cases.ScopeProvince:
		index, attr = IndexProvince, AttrProvince
	}
	start, err := decodeCursor(q.Cursor)
	if err != nil {
		return nil, "", err
	}
	limit := q.Limit
	if limit <= 0 || limit > 100 {
		limit = 20
	}
	names := map[string]string{"#k": attr}
	values := map[string]types.AttributeValue{":k": &types.AttributeValueMemberS{Value: q.Code}}
	var filters []string
	eq := func(name, attrName, v string) {
		if v == "" {
			return
		}
		names["#"+name] = attrName
		values[":"+name] = &types.AttributeValueMemberS{Value: v}
		filters = append(filters, "#"+name+" = :"+name)
	}
	eq("state", "state", string(q.State))
	eq("kind", "kind", string(q.Kind))
	eq("channel", "channel", string(q.Channel))
	if q.Overdue != nil {
		names["#overdue"] = "overdue"
		if *q.Overdue {
			values[":true"] = &types.AttributeValueMemberBOOL{Value: true}
			filters = append(filters, "#overdue = :true")
		} else {
			filters = append(filters, "attribute_not_exists(#overdue)")
		}
	}
	if q.DueBefore != nil {
		names["#due"] = AttrNextDue
		values[":due"] = &types.AttributeValueMemberS{Value: DueAtKey(*q.DueBefore)}
		filters = append(filters, "#due < :due")
	}
	keyCond := "#k = :k"
	if q.ReceivedFrom != nil || q.ReceivedBefore != nil {
		from, to := time.Unix(0, 0), time.Date(9999, 1, 1, 0, 0, 0, 0, time.UTC)
		if q.ReceivedFrom != nil {
			from = *q.ReceivedFrom
		}
		if q.ReceivedBefore != nil {
			to = *q.ReceivedBefore
		}
		names["#l"] = AttrListSK
		values[":from"] = &types.AttributeValueMemberS{Value: ListKey(from, "")}
		values[":to"] = &types.AttributeValueMemberS{Value: ListKey(to, "")}
		keyCond += " AND #l BETWEEN :from AND :to"
	}
	in := &dynamodb.QueryInput{
		TableName:                 aws.String(s.table),
		IndexName:                 aws.String(index),
		KeyConditionExpression:    aws.String(keyCond),
		ExpressionAttributeNames:  names,
		ExpressionAttributeValues: values,
		ScanIndexForward:          aws.Bool(false),
		ExclusiveStartKey:         start,
	}
	if len(filters) > 0 {
		in.FilterExpression = aws.String(strings.Join(filters, " AND "))
	}
	// A filter applies after the read: keep reading pages until the limit
	// is filled or the index is exhausted, never returning more than limit.
	var out []*cases.Case
	for {
		in.Limit = aws.Int32(int32(limit - len(out)))
		page, err := s.db.Query(ctx, in)
		if err != nil {
			return nil, "", fmt.Errorf("list %s %s: %w", q.Scope, q.Code, err)
		}
		for _, item := range page.Items {
			var c cases.Case
			if err := dec.Decode(&types.AttributeValueMemberM{Value: item}, &c); err != nil {
				return nil, "", fmt.Errorf("decode listed case: %w", err)
			}
			out = append(out, &c)
		}
		if len(page.LastEvaluatedKey) == 0 {
			return out, "", nil
		}
		if len(out) >= limit {
			next, err := encodeCursor(page.LastEvaluatedKey)
			return out, next, err
		}
		in.ExclusiveStartKey = page.LastEvaluatedKey
	}
}

var _ cases.Inbox = (*Store)(nil)

func inboxPK(unit string) string { return "INBOX#" + unit }

// PutNotice implements cases.Inbox. The sort key is built from the
// notice's due date and key, so a redelivered notice lands on the same item
// and the conditional put refuses it.
func (s *Store) PutNotice(ctx context.Context, n cases.Notice, at time.Time) (bool, error) {
	av, err := enc.Encode(cases.StoredNotice{Notice: n, At: at.UTC()})
	if err != nil {
		return false, fmt.Errorf("encode notice: %w", err)
	}
	item := av.(*types.AttributeValueMemberM).Value
	item[AttrPK] = &types.AttributeValueMemberS{Value: inboxPK(n.Unit)}
	item[AttrSK] = &types.AttributeValueMemberS{Value: "N#" + n.DueDate + "#" + n.Key}
	_, err = s.db.PutItem(ctx, &dynamodb.PutItemInput{
		TableName:           aws.String(s.table),
		Item:                item,
		ConditionExpression: aws.String("attribute_not_exists(pk)"),
	})
	var ccf *types.ConditionalCheckFailedException
	switch {
	case errors.As(err, &ccf):
		return false, nil
	case err != nil:
		return false, fmt.Errorf("put notice %s: %w", n.Key, err)
	}
	return true, nil
}

// Notices implements cases.Inbox.
func (s *Store) Notices(ctx context.Context, unit, cursor string, limit int) ([]cases.StoredNotice, string, error) {
	start, err := decodeCursor(cursor)
	if err != nil {
		return nil, "", err
	}
	if limit <= 0 || limit > 100 {
		limit = 20
	}
	out, err := s.db.Query(ctx, &dynamodb.QueryInput{
		TableName:              aws.String(s.table),
		KeyConditionExpression: aws.String("pk = :pk"),
		ExpressionAttributeValues: map[string]types.AttributeValue{
			":pk": &types.AttributeValueMemberS{Value: inboxPK(unit)},
		},
		ScanIndexForward:  aws.Bool(false),
		ExclusiveStartKey: start,
		Limit:             aws.Int32(int32(limit)),
	})
	if err != nil {
		return nil, "", fmt.Errorf("list notices of %s: %w", unit, err)
	}
	ns := make([]cases.StoredNotice, 0, len(out.Items))
	for _, item := range out.Items {
		var n cases.StoredNotice
		if err := dec.Decode(&types.AttributeValueMemberM{Value: item}, &n); err != nil {
			return nil, "", fmt.Errorf("decode notice: %w", err)
		}
		ns = append(ns, n)
	}
	next, err := encodeCursor(out.LastEvaluatedKey)
	return ns, next, err
}

var _ cases.Auditor = (*Store)(nil)

// Audit implements cases.Auditor. The event sorts after the events of the
// version it was recorded at, so the timeline reads in order.
func (s *Store) Audit(ctx context.Context, e cases.Event) error {
	av, err := enc.Encode(e)
	if err != nil {
		return fmt.Errorf("encode audit event: %w", err)
	}
	item := av.(*types.AttributeValueMemberM).Value
	item[AttrPK] = &types.AttributeValueMemberS{Value: casePK(e.CaseID)}
	item[AttrSK] = &types.AttributeValueMemberS{Value: fmt.Sprintf("EVT#%010d#A%019d", e.Seq, e.At.UnixNano())}
	_, err = s.db.PutItem(ctx, &dynamodb.PutItemInput{
		TableName:           aws.String(s.table),
		Item:                item,
		ConditionExpression: aws.String("attribute_not_exists(pk)"),
	})
	if err != nil {
		return fmt.Errorf("audit %s on %s: %w", e.Type, e.CaseID, err)
	}
	return nil
}

// EventCorrection is the event type of a person's correction of the
// classifier (lifecycle.EventClassificationCorrected).
const EventCorrection = "classification_corrected"

const correctionsPK = "CORRECTIONS"

// Corrections lists the classifier corrections recorded at or after since,
// oldest first.
func (s *Store) Corrections(ctx context.Context, since time.Time) ([]cases.Event, error) {
	var out []cases.Event
	var start map[string]types.AttributeValue
	for {
		page, err := s.db.Query(ctx, &dynamodb.QueryInput{
			TableName:              aws.String(s.table),
			KeyConditionExpression: aws.String("pk = :pk AND sk >= :since"),
			ExpressionAttributeValues: map[string]types.AttributeValue{
				":pk":    &types.AttributeValueMemberS{Value: correctionsPK},
				":since": &types.AttributeValueMemberS{Value: DueAtKey(since)},
			},
			ExclusiveStartKey: start,
		})
		if err != nil {
			return nil, fmt.Errorf("list corrections: %w", err)
		}
		for _, item := range page.Items {
			var e cases.Event
			if err := dec.Decode(&types.AttributeValueMemberM{Value: item}, &e); err != nil {
				return nil, fmt.Errorf("decode correction: %w", err)
			}
			out = append(out, e)
		}
		if len(page.LastEvaluatedKey) == 0 {
			return out, nil
		}
		start = page.LastEvaluatedKey
	}
}
