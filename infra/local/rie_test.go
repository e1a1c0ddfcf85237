package local_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"

	"github.com/open12315/intake/infra/emulators/testenv"
	"github.com/open12315/intake/infra/local/localtest"
)

// TestBootstrapUnderRIE builds functions/api as Lambda runs it (a static
// bootstrap with the release flags, for this machine's architecture so the
// emulator can execute it) and invokes it once through the real Lambda
// runtime API, served by aws-lambda-rie, against the emulated DynamoDB and
// SQS. It proves the artifact starts, reads its configuration and answers.
func TestBootstrapUnderRIE(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a binary")
	}
	root := localtest.RepoRoot(t)
	cache := os.Getenv("INTAKE_CACHE")
	if cache == "" {
		cache = filepath.Join(root, ".cache", "emulators")
	}
	rie := filepath.Join(cache, "bin", "aws-lambda-rie")
	if _, err := os.Stat(rie); err != nil {
		t.Fatalf("aws-lambda-rie missing (run make deps): %v", err)
	}
	s := localtest.Start(t, localtest.Options{})
	ep := testenv.Require(t)

	bin := filepath.Join(t.TempDir(), "bootstrap")
	build := exec.Command("go", "build", "-tags", "lambda.norpc", "-trimpath", "-ldflags=-s -w -buildid=", "-o", bin, "./functions/api")
	build.Dir = root
	build.Env = append(os.Environ(), "CGO_ENABLED=0", "GOOS=linux", "GOARCH="+runtime.GOARCH)
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}

	port := freePort(t)
	cmd := exec.Command(rie, "--runtime-interface-emulator-address", fmt.Sprintf("127.0.0.1:%d", port),
		"--runtime-api-address", fmt.Sprintf("127.0.0.1:%d", freePort(t)), bin)
	cmd.Env = append(os.Environ(),
		"TABLE_NAME="+s.TableName("CasesTable"),
		"ROUTE_QUEUE_URL="+s.QueueURL("RouteQueue"),
		"AWS_ENDPOINT_URL_DYNAMODB="+ep.DynamoDB,
		"AWS_ENDPOINT_URL_SQS="+ep.SQS,
		"AWS_REGION=us-east-1",
		"LOG_LEVEL=WARN",
	)
	var logs bytes.Buffer
	cmd.Stdout, cmd.Stderr = &logs, &logs
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		_, _ = cmd.Process.Wait()
	})

	ev := events.APIGatewayV2HTTPRequest{
		Version: "2.0", RouteKey: "POST /v1/complaints", RawPath: "/v1/complaints",
		Headers: map[string]string{"content-type": "application/json"},
		Body:    goodComplaint,
		RequestContext: events.APIGatewayV2HTTPRequestContext{
			RouteKey: "POST /v1/complaints", RequestID: "rie-smoke",
			HTTP: events.APIGatewayV2HTTPRequestContextHTTPDescription{Method: "POST", Path: "/v1/complaints"},
		},
	}
	payload, _ := json.Marshal(ev)
	url := fmt.Sprintf("http://127.0.0.1:%d/2015-03-31/functions/function/invocations", port)
	var resp events.APIGatewayV2HTTPResponse
	deadline := time.Now().Add(30 * time.Second)
	for {
		r, err := http.Post(url, "application/json", bytes.NewReader(payload))
		if err == nil {
			err = json.NewDecoder(r.Body).Decode(&resp)
			r.Body.Close()
			if err == nil {
				break
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("no answer from the bootstrap under RIE: %v\n%s", err, logs.String())
		}
		time.Sleep(200 * time.Millisecond)
	}
	if resp.StatusCode != http.StatusCreated || !strings.Contains(resp.Body, `"tracking_code"`) {
		t.Fatalf("answer %d %s\nlogs:\n%s", resp.StatusCode, resp.Body, logs.String())
	}
	if n := countCases(t, s); n != 1 {
		t.Errorf("cases stored through the bootstrap = %d, want 1", n)
	}
}

func freePort(t *testing.T) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}
