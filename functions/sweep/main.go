// Command sweep is the scheduled Lambda watching case clocks. It only
// wires; the handler is shared/sweep, built by shared/app.
package main

import (
	"context"
	"log"
	"os"

	"github.com/aws/aws-lambda-go/lambda"

	"github.com/open12315/intake/shared/app"
)

func main() {
	h, err := app.Sweep(context.Background(), os.Getenv)
	if err != nil {
		log.Fatalf("sweep: %v", err)
	}
	lambda.Start(h.Handle)
}
