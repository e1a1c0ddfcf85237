package testenv

import (
	"errors"
	"regexp"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/aws/aws-sdk-go-v2/service/sqs"
	sqstypes "github.com/aws/aws-sdk-go-v2/service/sqs/types"
)

func TestMain(m *testing.M) { Main(m) }

var validName = regexp.MustCompile(`^[A-Za-z0-9_-]{3,75}$`)

func TestUniqueName(t *testing.T) {
	seen := map[string]bool{}
	for _, prefix := range []string{"", "complaints", "a b/c.d", strings.Repeat("x", 200)} {
		for range 3 {
			n := UniqueName(t, prefix)
			if !validName.MatchString(n) {
				t.Errorf("UniqueName(%q) = %q: not a valid table and queue name", prefix, n)
			}
			if seen[n] {
				t.Errorf("UniqueName(%q) = %q twice", prefix, n)
			}
			seen[n] = true
		}
	}
	t.Run("sub/test with spaces", func(t *testing.T) {
		n := UniqueName(t, "q")
		if !validName.MatchString(n) || !strings.HasPrefix(n, "q-TestUniqueName_sub_test_with_spaces-") {
			t.Errorf("UniqueName = %q", n)
		}
	})
}

func TestClients(t *testing.T) {
	ddb, q := Clients(t)
	ctx := t.Context()

	table := UniqueName(t, "complaints")
	if _, err := ddb.CreateTable(ctx, &dynamodb.CreateTableInput{
		TableName:            aws.String(table),
		AttributeDefinitions: []types.AttributeDefinition{{AttributeName: aws.String("pk"), AttributeType: types.ScalarAttributeTypeS}},
		KeySchema:            []types.KeySchemaElement{{AttributeName: aws.String("pk"), KeyType: types.KeyTypeHash}},
		BillingMode:          types.BillingModePayPerRequest,
	}); err != nil {
		t.Fatalf("CreateTable %q: %v", table, err)
	}
	// A missing item in a missing table: the typed error must come through.
	_, err := ddb.GetItem(ctx, &dynamodb.GetItemInput{
		TableName: aws.String(UniqueName(t, "missing")),
		Key:       map[string]types.AttributeValue{"pk": &types.AttributeValueMemberS{Value: "x"}},
	})
	var rnf *types.ResourceNotFoundException
	if !errors.As(err, &rnf) {
		t.Errorf("GetItem on a missing table: %v, want ResourceNotFoundException", err)
	}

	name := UniqueName(t, "intake") + ".fifo"
	out, err := q.CreateQueue(ctx, &sqs.CreateQueueInput{
		QueueName:  aws.String(name),
		Attributes: map[string]string{string(sqstypes.QueueAttributeNameFifoQueue): "true"},
	})
	if err != nil {
		t.Fatalf("CreateQueue %q: %v", name, err)
	}
	if _, err := q.SendMessage(ctx, &sqs.SendMessageInput{
		QueueUrl:               out.QueueUrl,
		MessageBody:            aws.String("m"),
		MessageGroupId:         aws.String("g"),
		MessageDeduplicationId: aws.String("d"),
	}); err != nil {
		t.Fatalf("SendMessage: %v", err)
	}
	got, err := q.ReceiveMessage(ctx, &sqs.ReceiveMessageInput{QueueUrl: out.QueueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1})
	if err != nil {
		t.Fatalf("ReceiveMessage: %v", err)
	}
	if len(got.Messages) != 1 {
		t.Fatalf("received %d messages, want 1", len(got.Messages))
	}
}

func TestRequireReusesStack(t *testing.T) {
	a := Require(t)
	b := Require(t)
	if a != b || a.DynamoDB == "" || a.SQS == "" {
		t.Errorf("Require = %+v then %+v, want the same non-empty endpoints", a, b)
	}
}
