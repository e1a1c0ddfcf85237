// Package testenv gives tests in any package of the module DynamoDB and SQS
// emulators to talk to.
//
// A package whose tests use the emulators declares
//
//	func TestMain(m *testing.M) { testenv.Main(m) }
//
// and each such test calls [Require], or [Clients], which calls it, and names
// its tables and queues with [UniqueName], since other tests and other
// packages may share the same emulators.
//
// Where the emulators come from:
//
//   - If INTAKE_TEST_DYNAMODB_ENDPOINT and INTAKE_TEST_SQS_ENDPOINT are both
//     set, as "make test" does through cmd/withemulators, those are used and
//     nothing is started.
//   - Otherwise the first test that calls Require starts a private pair on free
//     ports (installing them first if needed, see package emulators), sets
//     both variables for the rest of the process, and Main stops the pair
//     after the tests. A run of tests that need no emulators starts none.
//   - With INTAKE_TEST_NO_EMULATORS=1, or in -short mode, Require skips the
//     test instead.
//
// A failure to start the emulators fails the tests that need them; it does
// not skip them.
package testenv

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"os"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/sqs"

	"github.com/open12315/intake/infra/emulators"
)

// Environment variables read, and set, by this package.
const (
	EnvDynamoEndpoint = "INTAKE_TEST_DYNAMODB_ENDPOINT"
	EnvSQSEndpoint    = "INTAKE_TEST_SQS_ENDPOINT"
	EnvNoEmulators    = "INTAKE_TEST_NO_EMULATORS"
)

// startTimeout bounds installing (on a fresh clone) and starting the
// emulators.
const startTimeout = 5 * time.Minute

var (
	mu       sync.Mutex
	stack    *emulators.Stack // started by this process, if any
	started  bool             // a start was tried
	startErr error
)

// Main runs the tests and then stops the emulators if this process started
// them. It calls os.Exit with the tests' exit code.
func Main(m *testing.M) {
	code := m.Run()
	if err := stop(); err != nil {
		fmt.Fprintf(os.Stderr, "testenv: %v\n", err)
		if code == 0 {
			code = 1
		}
	}
	os.Exit(code)
}

// stop stops the emulators this process started, if any.
func stop() error {
	mu.Lock()
	defer mu.Unlock()
	if stack == nil {
		return nil
	}
	err := stack.Stop()
	stack = nil
	if err != nil {
		return fmt.Errorf("stopping emulators: %w", err)
	}
	return nil
}

// Endpoints are the base URLs of the emulators.
type Endpoints struct {
	DynamoDB string
	SQS      string
}

// Require skips t if emulators are disabled (INTAKE_TEST_NO_EMULATORS=1 or
// -short), and otherwise returns their endpoints, starting them on first use.
// It fails t if they cannot be started.
func Require(t testing.TB) Endpoints {
	t.Helper()
	if os.Getenv(EnvNoEmulators) == "1" {
		t.Skip("needs the DynamoDB and SQS emulators; " + EnvNoEmulators + "=1")
	}
	if testing.Short() {
		t.Skip("needs the DynamoDB and SQS emulators; skipped in -short mode")
	}
	ep, err := ensure()
	if err != nil {
		t.Fatalf("testenv: %v\n(set %s=1 to skip the tests that need emulators)", err, EnvNoEmulators)
	}
	return ep
}

// ensure returns the endpoints from the environment, or starts a private
// stack once per process and publishes its endpoints in the environment.
func ensure() (Endpoints, error) {
	mu.Lock()
	defer mu.Unlock()
	if ep, ok := fromEnv(); ok {
		return ep, nil
	}
	if started {
		return Endpoints{}, startErr
	}
	started = true
	ctx, cancel := context.WithTimeout(context.Background(), startTimeout)
	defer cancel()
	s, err := emulators.Start(ctx, emulators.Options{})
	if err != nil {
		startErr = fmt.Errorf("starting emulators: %w", err)
		return Endpoints{}, startErr
	}
	stack = s
	os.Setenv(EnvDynamoEndpoint, s.DynamoEndpoint)
	os.Setenv(EnvSQSEndpoint, s.SQSEndpoint)
	return Endpoints{DynamoDB: s.DynamoEndpoint, SQS: s.SQSEndpoint}, nil
}

// fromEnv returns the endpoints set in the environment, if both are.
func fromEnv() (Endpoints, bool) {
	ep := Endpoints{DynamoDB: os.Getenv(EnvDynamoEndpoint), SQS: os.Getenv(EnvSQSEndpoint)}
	return ep, ep.DynamoDB != "" && ep.SQS != ""
}

// Clients calls [Require] and returns clients for the emulators.
func Clients(t testing.TB) (*dynamodb.Client, *sqs.Client) {
	t.Helper()
	ep := Require(t)
	cfg, err := emulators.AWSConfig(t.Context())
	if err != nil {
		t.Fatalf("testenv: %v", err)
	}
	return emulators.DynamoClient(cfg, ep.DynamoDB), emulators.SQSClient(cfg, ep.SQS)
}

// maxNameLen keeps names valid as SQS queue names (at most 80 characters)
// with room for a ".fifo" suffix. DynamoDB allows 255.
const maxNameLen = 75

var (
	counter atomic.Uint64
	invalid = regexp.MustCompile(`[^A-Za-z0-9_-]+`)
)

// UniqueName returns a table or queue name that no other test, in this or any
// other process, gets: prefix and the test's name, made valid, then a unique
// suffix. It holds only letters, digits, '-' and '_', and at most 75
// characters, so a FIFO queue may append ".fifo".
func UniqueName(t testing.TB, prefix string) string {
	t.Helper()
	var r [4]byte
	if _, err := rand.Read(r[:]); err != nil {
		t.Fatalf("testenv: %v", err)
	}
	suffix := "-" + strconv.FormatUint(counter.Add(1), 36) + hex.EncodeToString(r[:])
	base := invalid.ReplaceAllString(prefix+"-"+t.Name(), "_")
	base = strings.Trim(base, "-_")
	if base == "" {
		base = "t"
	}
	if n := maxNameLen - len(suffix); len(base) > n {
		base = base[:n]
	}
	return base + suffix
}
