// Command smseum is the Lambda subscribed to the End User Messaging two-way SMS topic (shared/smsin). It only
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
	h, err := app.SMSEUM(context.Background(), os.Getenv)
	if err != nil {
		log.Fatalf("smseum: %v", err)
	}
	lambda.Start(h.Handle)
}
