package local_test

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/open12315/intake/infra/local"
	"github.com/open12315/intake/infra/local/localtest"
)

// TestTemplateMatchesCode keeps template.yaml, the local factories, the
// Makefile's SAM build targets and the functions/ folders in step.
func TestTemplateMatchesCode(t *testing.T) {
	root := localtest.RepoRoot(t)
	tmpl, err := local.LoadTemplate(filepath.Join(root, "template.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	mk, err := os.ReadFile(filepath.Join(root, "Makefile"))
	if err != nil {
		t.Fatal(err)
	}
	factories := local.Factories()
	if len(tmpl.Functions) != len(factories) {
		t.Errorf("template has %d functions, local stack knows %d", len(tmpl.Functions), len(factories))
	}
	dirs, _ := filepath.Glob(filepath.Join(root, "functions", "*", "main.go"))
	if len(dirs) != len(tmpl.Functions) {
		t.Errorf("functions/ has %d mains, template %d functions", len(dirs), len(tmpl.Functions))
	}
	lambdas := makeLambdas(t, string(mk))
	if len(lambdas) != len(tmpl.Functions) {
		t.Errorf("Makefile LAMBDAS has %d functions, the template %d", len(lambdas), len(tmpl.Functions))
	}
	for _, f := range tmpl.Functions {
		if _, ok := factories[f.LogicalID]; !ok {
			t.Errorf("%s has no local factory", f.LogicalID)
		}
		dir, ok := lambdas[f.LogicalID]
		if !ok {
			t.Errorf("Makefile LAMBDAS lacks %s, so `sam build` cannot build it", f.LogicalID)
			continue
		}
		if _, err := os.Stat(filepath.Join(root, "functions", dir, "main.go")); err != nil {
			t.Errorf("%s builds a missing function: %v", f.LogicalID, err)
		}
	}
	if !regexp.MustCompile(`(?m)^build-%Function:\n(\t.*\n)*\t\$\(LAMBDA_BUILD\) -o \$\(ARTIFACTS_DIR\)/bootstrap`).Match(mk) {
		t.Error("Makefile lacks the build-<LogicalId> rule writing $(ARTIFACTS_DIR)/bootstrap")
	}
	if !strings.Contains(string(mk), "-tags lambda.norpc -trimpath -ldflags='-s -w -buildid='") || !strings.Contains(string(mk), "CGO_ENABLED=0 GOOS=linux GOARCH=arm64") {
		t.Error("Makefile does not build with the small-binary flags")
	}
}

func TestParseTemplate(t *testing.T) {
	tmpl, err := local.LoadTemplate(filepath.Join(localtest.RepoRoot(t), "template.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if len(tmpl.Tables) != 1 || len(tmpl.Tables[0].GSIs) != 4 || tmpl.Tables[0].GSIs[0].Name != "due" {
		t.Fatalf("tables = %+v", tmpl.Tables)
	}
	if tmpl.Tables[0].TTLAttr != "expires_at" {
		t.Errorf("TTL attribute = %q", tmpl.Tables[0].TTLAttr)
	}
	var redrive int
	for _, q := range tmpl.Queues {
		if q.DLQ != "" {
			redrive++
		}
	}
	if redrive == 0 || redrive*2 != len(tmpl.Queues) {
		t.Errorf("every work queue needs a DLQ: %d queues, %d with redrive", len(tmpl.Queues), redrive)
	}
	route, _ := tmpl.Function("RouteFunction")
	if len(route.Consumers) != 1 || route.Consumers[0].BatchSize != 10 || !route.Consumers[0].ReportBatchItemFailure {
		t.Errorf("route consumers = %+v", route.Consumers)
	}
	sweep, _ := tmpl.Function("SweepFunction")
	if len(sweep.Schedules) != 1 || sweep.Schedules[0].Timezone != "Asia/Shanghai" {
		t.Errorf("sweep schedules = %+v", sweep.Schedules)
	}
	api, _ := tmpl.Function("ApiFunction")
	keys := map[string]bool{}
	for _, r := range api.Routes {
		keys[r.Key()] = true
	}
	if !keys["POST /v1/complaints"] || !keys["GET /v1/complaints/{id}"] {
		t.Errorf("api routes = %v", keys)
	}
}

func TestParseTemplateErrors(t *testing.T) {
	tests := map[string]string{
		"not yaml":        "Resources: [",
		"table w/o keys":  "Resources:\n  T:\n    Type: AWS::DynamoDB::Table\n    Properties: {}\n",
		"bad redrive":     "Resources:\n  Q:\n    Type: AWS::SQS::Queue\n    Properties:\n      RedrivePolicy:\n        deadLetterTargetArn: arn:x\n",
		"bad batch size":  "Resources:\n  F:\n    Type: AWS::Serverless::Function\n    Properties:\n      Events:\n        E:\n          Type: SQS\n          Properties:\n            Queue: !GetAtt Q.Arn\n            BatchSize: lots\n",
		"unknown event":   "Resources:\n  F:\n    Type: AWS::Serverless::Function\n    Properties:\n      Events:\n        E:\n          Type: Kinesis\n",
		"empty document":  "",
		"sqs without arn": "Resources:\n  F:\n    Type: AWS::Serverless::Function\n    Properties:\n      Events:\n        E:\n          Type: SQS\n          Properties:\n            Queue: my-queue\n",
	}
	for name, doc := range tests {
		if _, err := local.ParseTemplate([]byte(doc)); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
}

func TestRateInterval(t *testing.T) {
	tests := []struct {
		in   string
		want time.Duration
		ok   bool
	}{
		{"rate(5 minutes)", 5 * time.Minute, true},
		{"rate(1 minute)", time.Minute, true},
		{"rate(2 hours)", 2 * time.Hour, true},
		{"rate(1 day)", 24 * time.Hour, true},
		{"rate(0 minutes)", 0, false},
		{"rate(5 fortnights)", 0, false},
		{"cron(0 9 * * ? *)", 0, false},
	}
	for _, tc := range tests {
		got, err := local.RateInterval(tc.in)
		if (err == nil) != tc.ok || got != tc.want {
			t.Errorf("RateInterval(%q) = %v, %v", tc.in, got, err)
		}
	}
}

// makeLambdas reads the Makefile's LAMBDAS list: logical id → folder.
func makeLambdas(t *testing.T, mk string) map[string]string {
	t.Helper()
	i := strings.Index(mk, "LAMBDAS :=")
	if i < 0 {
		t.Fatal("Makefile has no LAMBDAS list")
	}
	var def strings.Builder
	for _, line := range strings.Split(mk[i+len("LAMBDAS :="):], "\n") {
		def.WriteString(strings.TrimSuffix(line, "\\") + " ")
		if !strings.HasSuffix(line, "\\") {
			break
		}
	}
	out := map[string]string{}
	for _, f := range strings.Fields(def.String()) {
		id, dir, ok := strings.Cut(f, "=")
		if !ok {
			t.Fatalf("LAMBDAS entry %q is not LogicalId=folder", f)
		}
		out[id] = dir
	}
	return out
}

// TestEveryDLQHasAnAlarm: a message in a dead-letter queue needs a person,
// so each one has a CloudWatch alarm on its depth.
func TestEveryDLQHasAnAlarm(t *testing.T) {
	root := localtest.RepoRoot(t)
	b, err := os.ReadFile(filepath.Join(root, "template.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	tmpl, err := local.ParseTemplate(b)
	if err != nil {
		t.Fatal(err)
	}
	doc := string(b)
	for _, q := range tmpl.Queues {
		if q.DLQ == "" {
			continue
		}
		if !strings.Contains(doc, "Value: !GetAtt "+q.DLQ+".QueueName") {
			t.Errorf("no alarm watches %s (the DLQ of %s)", q.DLQ, q.LogicalID)
		}
	}
	if n := strings.Count(doc, "Type: AWS::CloudWatch::Alarm"); n < 3 {
		t.Errorf("%d alarms", n)
	}
}
