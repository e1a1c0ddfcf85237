package dynamo

import (
	"context"
	"errors"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/open12315/intake/shared/routing"
)

// The ODR registry lives in the cases table under one partition: a few
// hundred enterprises, read whole by the route consumer.
const odrPK = "ODR"

// ErrNoEnterprise: no ODR enterprise with that id.
var ErrNoEnterprise = errors.New("ODR enterprise not found")

// ODREnterprises returns every registered ODR enterprise.
func (s *Store) ODREnterprises(ctx context.Context) ([]routing.Enterprise, error) {
	var out []routing.Enterprise
	var start map[string]types.AttributeValue
	for {
		page, err := s.db.Query(ctx, &dynamodb.QueryInput{
			TableName:                 aws.String(s.table),
			KeyConditionExpression:    aws.String("pk = :pk"),
			ExpressionAttributeValues: map[string]types.AttributeValue{":pk": &types.AttributeValueMemberS{Value: odrPK}},
			ExclusiveStartKey:         start,
		})
		if err != nil {
			return nil, fmt.Errorf("list ODR enterprises: %w", err)
		}
		for _, item := range page.Items {
			var e routing.Enterprise
			if err := dec.Decode(&types.AttributeValueMemberM{Value: item}, &e); err != nil {
				return nil, fmt.Errorf("decode ODR enterprise: %w", err)
			}
			out = append(out, e)
		}
		if len(page.LastEvaluatedKey) == 0 {
			return out, nil
		}
		start = page.LastEvaluatedKey
	}
}

// PutODREnterprise adds or replaces an enterprise. The caller validates it
// (routing.Registry.Add) first.
func (s *Store) PutODREnterprise(ctx context.Context, e routing.Enterprise) error {
	av, err := enc.Encode(e)
	if err != nil {
		return fmt.Errorf("encode ODR enterprise: %w", err)
	}
	item := av.(*types.AttributeValueMemberM).Value
	item[AttrPK] = &types.AttributeValueMemberS{Value: odrPK}
	item[AttrSK] = &types.AttributeValueMemberS{Value: "ENT#" + e.ID}
	if _, err := s.db.PutItem(ctx, &dynamodb.PutItemInput{TableName: aws.String(s.table), Item: item}); err != nil {
		return fmt.Errorf("put ODR enterprise %s: %w", e.ID, err)
	}
	return nil
}

// DeleteODREnterprise removes an enterprise; ErrNoEnterprise if absent.
func (s *Store) DeleteODREnterprise(ctx context.Context, id string) error {
	_, err := s.db.DeleteItem(ctx, &dynamodb.DeleteItemInput{
		TableName:           aws.String(s.table),
		Key:                 keyOf(odrPK, "ENT#"+id),
		ConditionExpression: aws.String("attribute_exists(pk)"),
	})
	var ccf *types.ConditionalCheckFailedException
	if errors.As(err, &ccf) {
		return fmt.Errorf("delete ODR enterprise %s: %w", id, ErrNoEnterprise)
	}
	if err != nil {
		return fmt.Errorf("delete ODR enterprise %s: %w", id, err)
	}
	return nil
}
