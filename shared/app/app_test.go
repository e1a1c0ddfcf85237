package app

import (
	"context"
	"testing"
)

func TestLambdaAWSConfig(t *testing.T) {
	env := map[string]string{
		"AWS_REGION": "cn-northwest-1", "AWS_ACCESS_KEY_ID": "AKIDEXAMPLE",
		"AWS_SECRET_ACCESS_KEY": "secret", "AWS_SESSION_TOKEN": "token",
	}
	cfg := LambdaAWSConfig(func(k string) string { return env[k] })
	creds, err := cfg.Credentials.Retrieve(context.Background())
	if err != nil || cfg.Region != "cn-northwest-1" || creds.AccessKeyID != "AKIDEXAMPLE" || creds.SessionToken != "token" {
		t.Errorf("config %q, creds %+v, %v", cfg.Region, creds, err)
	}
	env["AWS_ENDPOINT_URL_DYNAMODB"] = "http://127.0.0.1:8000"
	cfg = LambdaAWSConfig(func(k string) string { return env[k] })
	if creds, _ := cfg.Credentials.Retrieve(context.Background()); creds.AccessKeyID != "local" {
		t.Errorf("local endpoints should use dummy credentials, got %q", creds.AccessKeyID)
	}
}

func TestEnvParsing(t *testing.T) {
	e := Env(func(k string) string { return map[string]string{"N": "12", "BAD": "x", "NEG": "-1"}[k] })
	if n, err := e.int("N", 3); n != 12 || err != nil {
		t.Errorf("N = %d, %v", n, err)
	}
	if n, err := e.int("MISSING", 3); n != 3 || err != nil {
		t.Errorf("default = %d, %v", n, err)
	}
	for _, k := range []string{"BAD", "NEG"} {
		if _, err := e.int(k, 3); err == nil {
			t.Errorf("%s accepted", k)
		}
	}
	if _, err := NewDeps(context.Background(), func(string) string { return "" }); err == nil {
		t.Error("NewDeps without TABLE_NAME succeeded")
	}
	if _, err := NewClocks(func(k string) string { return map[string]string{"CALENDAR_BEYOND_COVERAGE": "maybe"}[k] }); err == nil {
		t.Error("bad CALENDAR_BEYOND_COVERAGE accepted")
	}
}
