// Command staff is the Lambda behind the staff API routes. It only
// wires; the handler is shared/staff, built by shared/app.
package main

import (
	"context"
	"log"
	"os"

	"github.com/aws/aws-lambda-go/lambda"

	"github.com/open12315/intake/shared/app"
)

func main() {
	h, err := app.Staff(context.Background(), os.Getenv)
	if err != nil {
		log.Fatalf("staff: %v", err)
	}
	lambda.Start(h.Handle)
}
