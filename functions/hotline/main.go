// Command hotline is the Lambda behind the 12345 transfer endpoint (shared/hotline). It only
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
	h, err := app.Hotline(context.Background(), os.Getenv)
	if err != nil {
		log.Fatalf("hotline: %v", err)
	}
	lambda.Start(h.Handle)
}
