// Command route is the Lambda consuming the routing queue. It only wires;
// the handler is shared/route, built by shared/app.
package main

import (
	"context"
	"log"
	"os"

	"github.com/aws/aws-lambda-go/lambda"

	"github.com/open12315/intake/shared/app"
)

func main() {
	h, err := app.Route(context.Background(), os.Getenv)
	if err != nil {
		log.Fatalf("route: %v", err)
	}
	lambda.Start(h.Handle)
}
