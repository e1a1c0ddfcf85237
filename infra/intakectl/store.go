package main

import (
	"context"
	"flag"
	"fmt"
	"os"

	"github.com/open12315/intake/shared/app"
	"github.com/open12315/intake/shared/dynamo"
)

// storeFlags are the flags of the commands that read or write the cases
// table: in AWS, the table of the deployed stack (credentials and region
// from the usual AWS configuration); locally, the table `make run` created.
type storeFlags struct {
	table    *string
	endpoint *string
}

func addStoreFlags(fs *flag.FlagSet) storeFlags {
	return storeFlags{
		table:    fs.String("table", envOr("TABLE_NAME", "intake-local-cases"), "cases table (env TABLE_NAME)"),
		endpoint: fs.String("endpoint", os.Getenv("AWS_ENDPOINT_URL_DYNAMODB"), "DynamoDB endpoint, for DynamoDB Local (env AWS_ENDPOINT_URL_DYNAMODB)"),
	}
}

func (f storeFlags) open(ctx context.Context) (*dynamo.Store, error) {
	env := app.Env(func(k string) string {
		if k == "AWS_ENDPOINT_URL_DYNAMODB" {
			return *f.endpoint
		}
		return os.Getenv(k)
	})
	cfg, err := app.AWSConfig(ctx, env)
	if err != nil {
		return nil, err
	}
	if *f.table == "" {
		return nil, fmt.Errorf("--table is required")
	}
	return dynamo.New(app.DynamoDB(cfg, env), *f.table, 0), nil
}

func envOr(k, def string) string {
	if v := os.Getenv(k); v != "" {
		return v
	}
	return def
}
