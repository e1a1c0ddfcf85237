// Command smsin is the Lambda behind the SMS provider webhooks (shared/smsin). It only
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
	h, err := app.SMSInbound(context.Background(), os.Getenv)
	if err != nil {
		log.Fatalf("smsin: %v", err)
	}
	lambda.Start(h.Handle)
}
