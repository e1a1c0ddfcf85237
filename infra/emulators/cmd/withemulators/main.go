// Command withemulators runs a command with the DynamoDB and SQS emulators
// running:
//
//	go run ./infra/emulators/cmd/withemulators [flags] -- go test ./...
//
// It starts one pair of emulators (see package infra/emulators), exports
// their endpoints as INTAKE_TEST_DYNAMODB_ENDPOINT and INTAKE_TEST_SQS_ENDPOINT
// to the command, runs it, stops the emulators and exits with the command's
// exit code. All test packages the command runs then share the one pair
// (package testenv uses the variables), each test with table and queue names
// of its own. If both variables are already set, nothing is started.
//
// SIGINT and SIGTERM are passed on to the command; the emulators are stopped
// once it exits. Should withemulators itself be killed, the kernel kills the
// emulators (Linux).
//
// Flags:
//
//	-dynamodb-port N  DynamoDB Local's port (default 0: a free port)
//	-sqs-port N       fauxqs's port (default 0: a free port)
//	-data DIR         keep DynamoDB data in DIR instead of in memory
//	-v                copy the emulators' output to stderr
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"syscall"
	"time"

	"github.com/open12315/intake/infra/emulators"
	"github.com/open12315/intake/infra/emulators/testenv"
)

// startTimeout bounds installing (if needed) and starting the emulators.
const startTimeout = 5 * time.Minute

func main() {
	log := func(format string, args ...any) {
		fmt.Fprintf(os.Stderr, "withemulators: "+format+"\n", args...)
	}
	code, err := run(os.Args[1:], log)
	if err != nil {
		log("%v", err)
	}
	os.Exit(code)
}

// run parses args, starts the emulators unless the environment names them,
// runs the command and returns its exit code.
func run(args []string, log func(string, ...any)) (int, error) {
	fs := flag.NewFlagSet("withemulators", flag.ContinueOnError)
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "usage: withemulators [flags] -- command [args...]\n")
		fs.PrintDefaults()
	}
	dynamoPort := fs.Int("dynamodb-port", 0, "DynamoDB Local's `port` (0: a free port)")
	sqsPort := fs.Int("sqs-port", 0, "fauxqs's `port` (0: a free port)")
	dataDir := fs.String("data", "", "keep DynamoDB data in `dir` instead of in memory")
	verbose := fs.Bool("v", false, "copy the emulators' output to stderr")
	if err := fs.Parse(args); err != nil {
		return 2, nil
	}
	argv := fs.Args()
	if len(argv) == 0 {
		fs.Usage()
		return 2, nil
	}

	// Take the signals now, so that one arriving during the start-up does
	// not leave the emulators behind.
	sigs := make(chan os.Signal, 4)
	signal.Notify(sigs, syscall.SIGINT, syscall.SIGTERM)
	defer signal.Stop(sigs)

	env := os.Environ()
	if os.Getenv(testenv.EnvDynamoEndpoint) != "" && os.Getenv(testenv.EnvSQSEndpoint) != "" {
		log("using %s and %s from the environment", testenv.EnvDynamoEndpoint, testenv.EnvSQSEndpoint)
	} else {
		opts := emulators.Options{DynamoPort: *dynamoPort, SQSPort: *sqsPort, DataDir: *dataDir}
		if *verbose {
			opts.Log = os.Stderr
		}
		ctx, cancel := context.WithTimeout(context.Background(), startTimeout)
		go func() {
			select {
			case sig := <-sigs:
				log("%v during start-up", sig)
				cancel()
			case <-ctx.Done():
			}
		}()
		start := time.Now()
		stack, err := emulators.Start(ctx, opts)
		interrupted := ctx.Err() == context.Canceled
		cancel()
		if err != nil {
			return 1, err
		}
		defer func() {
			if err := stack.Stop(); err != nil {
				log("%v", err)
			}
		}()
		if interrupted {
			return 1, errors.New("interrupted")
		}
		log("DynamoDB Local at %s, fauxqs at %s (up in %v)",
			stack.DynamoEndpoint, stack.SQSEndpoint, time.Since(start).Round(10*time.Millisecond))
		env = append(env,
			testenv.EnvDynamoEndpoint+"="+stack.DynamoEndpoint,
			testenv.EnvSQSEndpoint+"="+stack.SQSEndpoint)
	}

	cmd := exec.Command(argv[0], argv[1:]...)
	cmd.Env = env
	cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, os.Stdout, os.Stderr
	if err := cmd.Start(); err != nil {
		return 127, fmt.Errorf("starting %s: %w", argv[0], err)
	}
	done := make(chan struct{})
	go func() {
		for {
			select {
			case sig := <-sigs:
				// A terminal's Ctrl-C reaches the command too; a
				// SIGTERM sent to us alone must be passed on.
				cmd.Process.Signal(sig)
			case <-done:
				return
			}
		}
	}()
	err := cmd.Wait()
	close(done)
	return exitCode(err, argv[0])
}

// exitCode turns the command's Wait error into an exit code, as a shell
// would: 128+n for death by signal n.
func exitCode(err error, name string) (int, error) {
	if err == nil {
		return 0, nil
	}
	var ee *exec.ExitError
	if !errors.As(err, &ee) {
		return 1, fmt.Errorf("running %s: %w", name, err)
	}
	if ws, ok := ee.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
		return 128 + int(ws.Signal()), nil
	}
	return ee.ExitCode(), nil
}
