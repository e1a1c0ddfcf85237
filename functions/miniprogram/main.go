// Command miniprogram is the Lambda behind the mini-program routes (shared/miniprogram). It only
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
	h, err := app.MiniProgram(context.Background(), os.Getenv)
	if err != nil {
		log.Fatalf("miniprogram: %v", err)
	}
	lambda.Start(h.Handle)
}
