// Package localtest starts the whole local stack for a test: the tables and
// queues of template.yaml under a unique name in the shared emulators, the
// functions' handlers, queue pollers and an HTTP server in front of the
// local gateway.
package localtest

import (
	"context"
	"crypto/rand"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/open12315/intake/infra/emulators/testenv"
	"github.com/open12315/intake/infra/local"
	"github.com/open12315/intake/shared/app"
	"github.com/open12315/intake/shared/auth"
)

// Stack is a running local stack and its HTTP front.
type Stack struct {
	*local.Stack
	URL      string // base URL of the local HTTP API
	Env      app.Env
	Template *local.Template
	key      []byte
}

// Token mints a staff token the stack's gateway accepts.
func (s *Stack) Token(t testing.TB, unit string, role auth.Role) string {
	return s.mint(t, unit, role, time.Now())
}

// ExpiredToken mints a token that expired an hour ago.
func (s *Stack) ExpiredToken(t testing.TB, unit string, role auth.Role) string {
	return s.mint(t, unit, role, time.Now().Add(-2*time.Hour))
}

func (s *Stack) mint(t testing.TB, unit string, role auth.Role, at time.Time) string {
	t.Helper()
	tok, err := auth.Mint(s.key, local.StaffTokenClaims(s.Template, "test-"+string(role)+"-"+unit, unit, role, time.Hour, at))
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

// Options tune a test stack.
type Options struct {
	// Env adds to every function's environment.
	Env map[string]string
	// Template overrides template.yaml (e.g. a copy with smaller timeouts).
	Template *local.Template
}

// Start starts a stack for t and stops it when t ends. Schedules do not
// fire on their own: tests invoke the sweep with Invoke.
func Start(t testing.TB, opts Options) *Stack {
	t.Helper()
	ep := testenv.Require(t)
	tmpl := opts.Template
	if tmpl == nil {
		var err error
		if tmpl, err = local.LoadTemplate(filepath.Join(RepoRoot(t), "template.yaml")); err != nil {
			t.Fatal(err)
		}
	}
	env := app.Env(func(k string) string {
		switch k {
		case "AWS_ENDPOINT_URL_DYNAMODB":
			return ep.DynamoDB
		case "AWS_ENDPOINT_URL_SQS":
			return ep.SQS
		case "AWS_REGION":
			return local.Region
		}
		return ""
	})
	// Handlers log at WARN in tests; failures still show.
	fnEnv := map[string]string{"LOG_LEVEL": "WARN"}
	for k, v := range opts.Env {
		fnEnv[k] = v
	}
	key := make([]byte, 32)
	if _, err := rand.Read(key); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cfg, err := app.AWSConfig(ctx, env)
	if err != nil {
		t.Fatal(err)
	}
	s, err := local.Start(ctx, local.Config{
		Template:       tmpl,
		StackName:      testenv.UniqueName(t, "st"),
		DynamoEndpoint: ep.DynamoDB,
		SQSEndpoint:    ep.SQS,
		DynamoDB:       app.DynamoDB(cfg, env),
		SQS:            app.SQS(cfg, env),
		Factories:      local.Factories(),
		Env:            fnEnv,
		NoSchedules:    true,
		JWTKey:         key,
	})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(s)
	t.Cleanup(func() {
		srv.Close()
		s.Close()
	})
	return &Stack{Stack: s, URL: srv.URL, Env: env, Template: tmpl, key: key}
}

// RepoRoot returns the module root (the directory holding go.mod).
func RepoRoot(t testing.TB) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("go.mod not found above the working directory")
		}
		dir = parent
	}
}
