// Command notify is the Lambda consuming the notification queue. It only
// wires; the handler is shared/notify, built by shared/app.
package main

import (
	"context"
	"log"
	"os"

	"github.com/aws/aws-lambda-go/lambda"

	"github.com/open12315/intake/shared/app"
)

func main() {
	h, err := app.Notify(context.Background(), os.Getenv)
	if err != nil {
		log.Fatalf("notify: %v", err)
	}
	lambda.Start(h.Handle)
}
