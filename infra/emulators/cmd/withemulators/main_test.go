package main

import (
	"os"
	"testing"

	"github.com/open12315/intake/infra/emulators/testenv"
)

func discard(string, ...any) {}

func TestRunStartsEmulators(t *testing.T) {
	if testing.Short() || os.Getenv(testenv.EnvNoEmulators) == "1" {
		t.Skip("starts emulators")
	}
	t.Setenv(testenv.EnvDynamoEndpoint, "")
	t.Setenv(testenv.EnvSQSEndpoint, "")
	// The command sees both endpoints, and its exit code comes back.
	code, err := run([]string{"--", "sh", "-c",
		`case "$INTAKE_TEST_DYNAMODB_ENDPOINT $INTAKE_TEST_SQS_ENDPOINT" in http://127.0.0.1:*" "http://127.0.0.1:*) exit 7;; esac; exit 1`}, t.Logf)
	if err != nil || code != 7 {
		t.Fatalf("run = %d, %v; want 7, nil", code, err)
	}
}

func TestRunUsesEnvironment(t *testing.T) {
	t.Setenv(testenv.EnvDynamoEndpoint, "http://127.0.0.1:1")
	t.Setenv(testenv.EnvSQSEndpoint, "http://127.0.0.1:2")
	code, err := run([]string{"--", "sh", "-c", `test "$INTAKE_TEST_SQS_ENDPOINT" = http://127.0.0.1:2`}, discard)
	if err != nil || code != 0 {
		t.Fatalf("run = %d, %v; want 0, nil", code, err)
	}
}

func TestRunExitCodes(t *testing.T) {
	t.Setenv(testenv.EnvDynamoEndpoint, "http://127.0.0.1:1")
	t.Setenv(testenv.EnvSQSEndpoint, "http://127.0.0.1:2")
	for _, tc := range []struct {
		args []string
		want int
	}{
		{[]string{"--", "sh", "-c", "exit 3"}, 3},
		{[]string{"--", "sh", "-c", "kill -TERM $$"}, 128 + 15},
		{[]string{"--", "/nonexistent/command"}, 127},
		{[]string{}, 2},
		{[]string{"-bogus", "--", "true"}, 2},
	} {
		code, _ := run(tc.args, discard)
		if code != tc.want {
			t.Errorf("run(%q) = %d, want %d", tc.args, code, tc.want)
		}
	}
}
