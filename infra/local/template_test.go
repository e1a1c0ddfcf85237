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
	for _, f := range tmpl.Functions {
		if _, ok := factories[f.LogicalID]; !ok {
			t.Errorf("%s has no local factory", f.LogicalID)
		}
		target := regexp.MustCompile(`(?m)^build-` + f.LogicalID + `:\n\t.*-o \$\(ARTIFACTS_DIR\)/bootstrap \./functions/(\w+)`)
		m := target.FindSubmatch(mk)
		if m == nil {
			t.Errorf("Makefile lacks a build-%s target building ./functions/<name> into $(ARTIFACTS_DIR)/bootstrap", f.LogicalID)
			continue
		}
		if _, err := os.Stat(filepath.Join(root, "functions", string(m[1]), "main.go")); err != nil {
			t.Errorf("build-%s builds a missing function: %v", f.LogicalID, err)
		}
	}
	if !strings.Contains(string(mk), "-tags lambda.norpc -trimpath -ldflags='-s -w -buildid='") {
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
