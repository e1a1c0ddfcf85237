// Command outbound is the Lambda consuming the outbound queue (shared/outbound). It only
// wires; the handler is built by shared/app.
package main

import (
	"context"
	"log"
	"os"

	"github.com/aws/aws-lambda-go/lambda"

	"github.com/open12315/intake/shared/app"
)

func main() {
	h, err := app.Outbound(context.Background(), os.Getenv)
	if err != nil {
		log.Fatalf("outbound: %v", err)
	}
	lambda.Start(h.Handle)
}
