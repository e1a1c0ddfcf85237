// Command api is the Lambda behind the public HTTP API routes. It only
// wires; the handler is shared/api, built by shared/app.
package main

import (
	"context"
	"log"
	"os"

	"github.com/aws/aws-lambda-go/lambda"

	"github.com/open12315/intake/shared/app"
)

func main() {
	h, err := app.API(context.Background(), os.Getenv)
	if err != nil {
		log.Fatalf("api: %v", err)
	}
	lambda.Start(h.Handle)
}
