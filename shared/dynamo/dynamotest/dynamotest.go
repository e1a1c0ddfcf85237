// Package dynamotest creates cases tables for tests and benchmarks that
// need the store alone, without the local stack.
package dynamotest

import (
	"context"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/open12315/intake/infra/emulators/testenv"
	"github.com/open12315/intake/shared/dynamo"
)

// NewTable creates a uniquely named table with the key schema and the
// sparse due index of template.yaml (the local stack's tests check the
// template itself), without the staff listing indexes, and returns its
// name. Leaving those out makes bulk loads several times faster on
// DynamoDB Local; reads of the table and of the due index cost the same.
func NewTable(tb testing.TB, db *dynamodb.Client) string {
	tb.Helper()
	name := testenv.UniqueName(tb, "cases")
	s := func(n string) types.AttributeDefinition {
		return types.AttributeDefinition{AttributeName: aws.String(n), AttributeType: types.ScalarAttributeTypeS}
	}
	k := func(n string, kt types.KeyType) types.KeySchemaElement {
		return types.KeySchemaElement{AttributeName: aws.String(n), KeyType: kt}
	}
	_, err := db.CreateTable(context.Background(), &dynamodb.CreateTableInput{
		TableName:            aws.String(name),
		BillingMode:          types.BillingModePayPerRequest,
		AttributeDefinitions: []types.AttributeDefinition{s(dynamo.AttrPK), s(dynamo.AttrSK), s(dynamo.AttrDueShard), s(dynamo.AttrDueAt)},
		KeySchema:            []types.KeySchemaElement{k(dynamo.AttrPK, types.KeyTypeHash), k(dynamo.AttrSK, types.KeyTypeRange)},
		GlobalSecondaryIndexes: []types.GlobalSecondaryIndex{{
			IndexName:  aws.String(dynamo.IndexDue),
			KeySchema:  []types.KeySchemaElement{k(dynamo.AttrDueShard, types.KeyTypeHash), k(dynamo.AttrDueAt, types.KeyTypeRange)},
			Projection: &types.Projection{ProjectionType: types.ProjectionTypeKeysOnly},
		}},
	})
	if err != nil {
		tb.Fatal(err)
	}
	return name
}
