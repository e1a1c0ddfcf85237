package local_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/aws/aws-lambda-go/events"

	"github.com/open12315/intake/infra/local"
)

const snsTemplate = `
Resources:
  Topic:
    Type: AWS::SNS::Topic
    Properties:
      TopicName: !Sub "${AWS::StackName}-inbound"
  Sub:
    Type: AWS::Serverless::Function
    Properties:
      Environment:
        Variables:
          TOPIC_ARN: !Ref Topic
      Events:
        In:
          Type: SNS
          Properties:
            Topic: !Ref Topic
`

// TestPublishInvokesSubscribers: an SNS event source runs locally without
// an emulator; Publish hands the subscriber an events.SNSEvent whose
// Sns.Message is the published string, and returns its error.
func TestPublishInvokesSubscribers(t *testing.T) {
	tmpl, err := local.ParseTemplate([]byte(snsTemplate))
	if err != nil {
		t.Fatal(err)
	}
	if len(tmpl.Topics) != 1 || len(tmpl.Functions[0].Subscriptions) != 1 || tmpl.Functions[0].Subscriptions[0].Topic != "Topic" {
		t.Fatalf("topics %+v, subscriptions %+v", tmpl.Topics, tmpl.Functions[0].Subscriptions)
	}
	var got []events.SNSEvent
	var env string
	fail := false
	s, err := local.Start(context.Background(), local.Config{
		Template: tmpl, StackName: "snstest", NoSchedules: true,
		Factories: map[string]local.Factory{"Sub": func(_ context.Context, getenv func(string) string) (any, error) {
			env = getenv("TOPIC_ARN")
			return func(_ context.Context, ev events.SNSEvent) error {
				got = append(got, ev)
				if fail {
					return errors.New("boom")
				}
				return nil
			}, nil
		}},
	})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if want := "arn:aws:sns:" + local.Region + ":" + local.Account + ":snstest-inbound"; env != want {
		t.Errorf("!Ref Topic = %q, want %q", env, want)
	}
	if err := s.Publish(context.Background(), "Topic", `{"messageBody":"你好"}`); err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || len(got[0].Records) != 1 {
		t.Fatalf("events = %+v", got)
	}
	r := got[0].Records[0].SNS
	if r.Message != `{"messageBody":"你好"}` || r.Type != "Notification" || r.TopicArn != env || r.MessageID == "" || r.Timestamp.IsZero() {
		t.Errorf("record = %+v", r)
	}
	fail = true
	if err := s.Publish(context.Background(), "Topic", "x"); err == nil || !strings.Contains(err.Error(), "boom") {
		t.Errorf("subscriber error not returned: %v", err)
	}
	if err := s.Publish(context.Background(), "Nope", "x"); err == nil {
		t.Error("publish to an unknown topic: no error")
	}
}

func TestSNSEventNeedsRef(t *testing.T) {
	doc := "Resources:\n  F:\n    Type: AWS::Serverless::Function\n    Properties:\n      Events:\n        E:\n          Type: SNS\n          Properties:\n            Topic: arn:aws:sns:x\n"
	if _, err := local.ParseTemplate([]byte(doc)); err == nil {
		t.Error("SNS event without !Ref: no error")
	}
}
