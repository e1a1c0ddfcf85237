// Command web is the Lambda serving the mobile web page (H5) and its
// static assets. It only wires; the handler is shared/web, built by
// shared/app.
package main

import (
	"context"
	"log"
	"os"

	"github.com/aws/aws-lambda-go/lambda"

	"github.com/open12315/intake/shared/app"
)

func main() {
	h, err := app.Web(context.Background(), os.Getenv)
	if err != nil {
		log.Fatalf("web: %v", err)
	}
	lambda.Start(h.Handle)
}
