package local

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	dtypes "github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/aws/aws-sdk-go-v2/service/sqs"
	stypes "github.com/aws/aws-sdk-go-v2/service/sqs/types"
)

// Local account and region used in ARNs; the emulators accept anything.
const (
	Region  = "us-east-1"
	Account = "000000000000"
)

// Provision creates the template's tables and queues (idempotently: what
// exists is kept) and returns a resolver that knows their local names, URLs
// and ARNs.
func Provision(ctx context.Context, t *Template, stackName string, db *dynamodb.Client, q *sqs.Client) (*Resolver, error) {
	r := &Resolver{
		StackName: stackName, Region: Region, Account: Account,
		Params: t.Parameters, Refs: map[string]string{}, Arns: map[string]string{},
	}
	for _, tb := range t.Tables {
		name, err := r.Resolve(tb.Name)
		if err != nil {
			return nil, fmt.Errorf("table %s name: %w", tb.LogicalID, err)
		}
		if err := createTable(ctx, db, name, tb); err != nil {
			return nil, err
		}
		r.Refs[tb.LogicalID] = name
		r.Arns[tb.LogicalID] = fmt.Sprintf("arn:aws:dynamodb:%s:%s:table/%s", Region, Account, name)
	}
	// Dead-letter queues first: the queues that redrive into them need
	// their ARNs.
	pending := append([]Queue(nil), t.Queues...)
	for len(pending) > 0 {
		var next []Queue
		for _, qu := range pending {
			if qu.DLQ != "" && r.Arns[qu.DLQ] == "" {
				next = append(next, qu)
				continue
			}
			if err := createQueue(ctx, q, r, qu); err != nil {
				return nil, err
			}
		}
		if len(next) == len(pending) {
			return nil, fmt.Errorf("queues %v redrive to unknown queues", next[0].LogicalID)
		}
		pending = next
	}
	// Topics need no emulator: the stack delivers published messages to
	// the subscribed functions itself (Stack.Publish).
	for _, tp := range t.Topics {
		name := stackName + "-" + tp.LogicalID
		if tp.Name != nil {
			n, err := r.Resolve(tp.Name)
			if err != nil {
				return nil, fmt.Errorf("topic %s name: %w", tp.LogicalID, err)
			}
			name = n
		}
		arn := fmt.Sprintf("arn:aws:sns:%s:%s:%s", Region, Account, name)
		r.Refs[tp.LogicalID], r.Arns[tp.LogicalID] = arn, arn
	}
	return r, nil
}

func createTable(ctx context.Context, db *dynamodb.Client, name string, tb Table) error {
	in := &dynamodb.CreateTableInput{
		TableName:   aws.String(name),
		BillingMode: dtypes.BillingModePayPerRequest,
		KeySchema:   keySchema(tb.Keys),
	}
	for attr, typ := range tb.Attributes {
		in.AttributeDefinitions = append(in.AttributeDefinitions, dtypes.AttributeDefinition{
			AttributeName: aws.String(attr), AttributeType: dtypes.ScalarAttributeType(typ),
		})
	}
	for _, g := range tb.GSIs {
		p := &dtypes.Projection{ProjectionType: dtypes.ProjectionType(g.Projection)}
		if len(g.NonKey) > 0 {
			p.NonKeyAttributes = g.NonKey
		}
		in.GlobalSecondaryIndexes = append(in.GlobalSecondaryIndexes, dtypes.GlobalSecondaryIndex{
			IndexName: aws.String(g.Name), KeySchema: keySchema(g.Keys), Projection: p,
		})
	}
	_, err := db.CreateTable(ctx, in)
	var inUse *dtypes.ResourceInUseException
	switch {
	case errors.As(err, &inUse):
		return nil
	case err != nil:
		return fmt.Errorf("create table %s: %w", name, err)
	}
	if err := dynamodb.NewTableExistsWaiter(db).Wait(ctx, &dynamodb.DescribeTableInput{TableName: aws.String(name)}, waitTime); err != nil {
		return fmt.Errorf("wait for table %s: %w", name, err)
	}
	if tb.TTLAttr != "" {
		if _, err := db.UpdateTimeToLive(ctx, &dynamodb.UpdateTimeToLiveInput{
			TableName: aws.String(name),
			TimeToLiveSpecification: &dtypes.TimeToLiveSpecification{
				AttributeName: aws.String(tb.TTLAttr), Enabled: aws.Bool(true),
			},
		}); err != nil {
			return fmt.Errorf("enable TTL on %s: %w", name, err)
		}
	}
	return nil
}

func keySchema(ks []Key) []dtypes.KeySchemaElement {
	out := make([]dtypes.KeySchemaElement, len(ks))
	for i, k := range ks {
		out[i] = dtypes.KeySchemaElement{AttributeName: aws.String(k.Name), KeyType: dtypes.KeyType(k.Type)}
	}
	return out
}

func createQueue(ctx context.Context, q *sqs.Client, r *Resolver, qu Queue) error {
	name, err := r.Resolve(qu.Name)
	if err != nil {
		return fmt.Errorf("queue %s name: %w", qu.LogicalID, err)
	}
	attrs := map[string]string{}
	if qu.VisibilityTimeout != "" {
		attrs[string(stypes.QueueAttributeNameVisibilityTimeout)] = qu.VisibilityTimeout
	}
	if qu.DLQ != "" {
		max := "5"
		if qu.MaxReceiveCount != nil {
			if max, err = r.Resolve(qu.MaxReceiveCount); err != nil {
				return fmt.Errorf("queue %s maxReceiveCount: %w", qu.LogicalID, err)
			}
		}
		n, err := strconv.Atoi(max)
		if err != nil {
			return fmt.Errorf("queue %s maxReceiveCount %q: %w", qu.LogicalID, max, err)
		}
		rp, _ := json.Marshal(map[string]any{"deadLetterTargetArn": r.Arns[qu.DLQ], "maxReceiveCount": n})
		attrs[string(stypes.QueueAttributeNameRedrivePolicy)] = string(rp)
	}
	out, err := q.CreateQueue(ctx, &sqs.CreateQueueInput{QueueName: aws.String(name), Attributes: attrs})
	if err != nil {
		return fmt.Errorf("create queue %s: %w", name, err)
	}
	r.Refs[qu.LogicalID] = aws.ToString(out.QueueUrl)
	ga, err := q.GetQueueAttributes(ctx, &sqs.GetQueueAttributesInput{
		QueueUrl:       out.QueueUrl,
		AttributeNames: []stypes.QueueAttributeName{stypes.QueueAttributeNameQueueArn},
	})
	if err != nil {
		return fmt.Errorf("queue %s ARN: %w", name, err)
	}
	r.Arns[qu.LogicalID] = ga.Attributes[string(stypes.QueueAttributeNameQueueArn)]
	return nil
}

// FunctionEnv resolves a function's environment variables.
func (r *Resolver) FunctionEnv(f Function) (map[string]string, error) {
	env := make(map[string]string, len(f.Env))
	for k, v := range f.Env {
		s, err := r.Resolve(v)
		if err != nil {
			return nil, fmt.Errorf("%s env %s: %w", f.LogicalID, k, err)
		}
		env[k] = s
	}
	return env, nil
}
