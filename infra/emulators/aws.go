package emulators

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/sqs"
)

// Region is the region used with the local emulators.
const Region = "us-east-1"

// AWSConfig returns an SDK configuration for the local emulators: region
// us-east-1 and static dummy credentials. Nothing is read from the
// environment, shared config files or instance metadata, so a developer's
// AWS_PROFILE or AWS_ENDPOINT_URL cannot send test traffic elsewhere. The
// error is always nil today; ctx and the error leave room for loading more.
func AWSConfig(ctx context.Context) (aws.Config, error) {
	cfg := aws.NewConfig()
	cfg.Region = Region
	cfg.Credentials = aws.NewCredentialsCache(credentials.NewStaticCredentialsProvider("local", "local", ""))
	return *cfg, nil
}

// DynamoClient returns a DynamoDB client for the emulator at endpoint.
// Response checksum validation is off: DynamoDB Local sends no X-Amz-Crc32
// header with its errors, and the SDK would log a warning for each.
func DynamoClient(cfg aws.Config, endpoint string, optFns ...func(*dynamodb.Options)) *dynamodb.Client {
	fns := append([]func(*dynamodb.Options){func(o *dynamodb.Options) {
		o.BaseEndpoint = aws.String(endpoint)
		o.DisableValidateResponseChecksum = true
	}}, optFns...)
	return dynamodb.NewFromConfig(cfg, fns...)
}

// SQSClient returns an SQS client for the emulator at endpoint.
func SQSClient(cfg aws.Config, endpoint string, optFns ...func(*sqs.Options)) *sqs.Client {
	fns := append([]func(*sqs.Options){func(o *sqs.Options) {
		o.BaseEndpoint = aws.String(endpoint)
	}}, optFns...)
	return sqs.NewFromConfig(cfg, fns...)
}
