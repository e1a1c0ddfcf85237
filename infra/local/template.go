// Package local runs the system on a laptop exactly as template.yaml
// describes it: it reads the SAM template, creates its DynamoDB tables and
// SQS queues in the local emulators, serves its HTTP API routes by turning
// each request into an API Gateway HTTP API (payload 2.0) event, polls its
// queues the way the Lambda event-source mapping does, and fires its
// schedules. Every event goes through lambda.NewHandler(h).Invoke, the same
// JSON-in, JSON-out path the Lambda runtime takes, into the very handlers
// the functions' main packages start.
package local

import (
	"fmt"
	"os"
	"sort"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
)

// Template is the part of a SAM template the local stack understands.
type Template struct {
	Parameters map[string]string // parameter defaults
	// Authorizers are the HTTP API's JWT authorizers by name.
	Authorizers map[string]Authorizer
	GlobalEnv   map[string]*yaml.Node
	Tables      []Table
	Queues      []Queue
	// Topics are the AWS::SNS::Topic resources; functions subscribe with
	// SNS events and the stack delivers with Stack.Publish.
	Topics    []Topic
	Functions []Function
}

// Topic is an AWS::SNS::Topic.
type Topic struct {
	LogicalID string
	Name      *yaml.Node // TopicName; nil: named after the stack and logical id
}

// Subscription is an SNS event: the function is invoked with an
// events.SNSEvent for every message published to the topic.
type Subscription struct {
	Name  string
	Topic string // logical id
}

// Table is an AWS::DynamoDB::Table.
type Table struct {
	LogicalID  string
	Name       *yaml.Node
	Attributes map[string]string // name → S/N/B
	Keys       []Key
	GSIs       []Index
	TTLAttr    string
}

// Key is one element of a key schema.
type Key struct {
	Name string
	Type string // HASH or RANGE
}

// Index is a global secondary index.
type Index struct {
	Name       string
	Keys       []Key
	Projection string
	NonKey     []string
}

// Queue is an AWS::SQS::Queue.
type Queue struct {
	LogicalID         string
	Name              *yaml.Node
	VisibilityTimeout string
	DLQ               string // logical id of the dead-letter queue
	MaxReceiveCount   *yaml.Node
}

// Function is an AWS::Serverless::Function with its events.
type Function struct {
	LogicalID string
	Env       map[string]*yaml.Node // Globals merged with the function's own
	Routes    []Route
	Consumers []Consumer
	Schedules []Schedule
	// Subscriptions are the function's SNS events.
	Subscriptions []Subscription
}

// Route is an HttpApi event.
type Route struct {
	Method string
	Path   string
	// Authorizer names the JWT authorizer that guards the route, if any.
	Authorizer string
}

// Authorizer is an HTTP API JWT authorizer.
type Authorizer struct {
	Name     string
	Issuer   *yaml.Node
	Audience []*yaml.Node
}

// Key returns the HTTP API route key, e.g. "GET /v1/complaints/{id}".
func (r Route) Key() string { return r.Method + " " + r.Path }

// Consumer is an SQS event source mapping.
type Consumer struct {
	Queue                  string // logical id
	BatchSize              int
	ReportBatchItemFailure bool
}

// Schedule is a ScheduleV2 event.
type Schedule struct {
	Name       string
	Expression string
	Timezone   string
}

// LoadTemplate reads and parses a SAM template file.
func LoadTemplate(path string) (*Template, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read template: %w", err)
	}
	return ParseTemplate(b)
}

// ParseTemplate parses a SAM template. Unknown resource types are ignored;
// a malformed known resource is an error.
func ParseTemplate(b []byte) (*Template, error) {
	var doc yaml.Node
	if err := yaml.Unmarshal(b, &doc); err != nil {
		return nil, fmt.Errorf("parse template: %w", err)
	}
	if len(doc.Content) == 0 {
		return nil, fmt.Errorf("parse template: empty document")
	}
	root := doc.Content[0]
	t := &Template{Parameters: map[string]string{}, GlobalEnv: map[string]*yaml.Node{}, Authorizers: map[string]Authorizer{}}

	for name, p := range mapOf(get(root, "Parameters")) {
		if d := get(p, "Default"); d != nil {
			t.Parameters[name] = d.Value
		}
	}
	for k, v := range mapOf(get(root, "Globals", "Function", "Environment", "Variables")) {
		t.GlobalEnv[k] = v
	}
	resources := mapOf(get(root, "Resources"))
	for _, id := range sortedKeys(resources) {
		r := resources[id]
		props := get(r, "Properties")
		var err error
		switch typ := scalar(get(r, "Type")); typ {
		case "AWS::DynamoDB::Table":
			err = t.addTable(id, props)
		case "AWS::SQS::Queue":
			err = t.addQueue(id, props)
		case "AWS::Serverless::Function":
			err = t.addFunction(id, props)
		case "AWS::Serverless::HttpApi":
			err = t.addAuthorizers(props)
		case "AWS::SNS::Topic":
			t.Topics = append(t.Topics, Topic{LogicalID: id, Name: get(props, "TopicName")})
		}
		if err != nil {
			return nil, fmt.Errorf("resource %s: %w", id, err)
		}
	}
	return t, nil
}

func (t *Template) addTable(id string, p *yaml.Node) error {
	tb := Table{LogicalID: id, Name: get(p, "TableName"), Attributes: map[string]string{}}
	for _, a := range seqOf(get(p, "AttributeDefinitions")) {
		tb.Attributes[scalar(get(a, "AttributeName"))] = scalar(get(a, "AttributeType"))
	}
	tb.Keys = keys(get(p, "KeySchema"))
	if len(tb.Keys) == 0 {
		return fmt.Errorf("table has no KeySchema")
	}
	for _, g := range seqOf(get(p, "GlobalSecondaryIndexes")) {
		ix := Index{
			Name:       scalar(get(g, "IndexName")),
			Keys:       keys(get(g, "KeySchema")),
			Projection: scalar(get(g, "Projection", "ProjectionType")),
		}
		for _, n := range seqOf(get(g, "Projection", "NonKeyAttributes")) {
			ix.NonKey = append(ix.NonKey, n.Value)
		}
		tb.GSIs = append(tb.GSIs, ix)
	}
	if ttl := get(p, "TimeToLiveSpecification"); ttl != nil && scalar(get(ttl, "Enabled")) == "true" {
		tb.TTLAttr = scalar(get(ttl, "AttributeName"))
	}
	t.Tables = append(t.Tables, tb)
	return nil
}

func (t *Template) addQueue(id string, p *yaml.Node) error {
	q := Queue{LogicalID: id, Name: get(p, "QueueName"), VisibilityTimeout: scalar(get(p, "VisibilityTimeout"))}
	if rp := get(p, "RedrivePolicy"); rp != nil {
		target := get(rp, "deadLetterTargetArn")
		if target == nil || target.Tag != "!GetAtt" {
			return fmt.Errorf("RedrivePolicy.deadLetterTargetArn must be !GetAtt <Queue>.Arn")
		}
		q.DLQ = strings.TrimSuffix(target.Value, ".Arn")
		q.MaxReceiveCount = get(rp, "maxReceiveCount")
	}
	t.Queues = append(t.Queues, q)
	return nil
}

func (t *Template) addFunction(id string, p *yaml.Node) error {
	f := Function{LogicalID: id, Env: map[string]*yaml.Node{}}
	for k, v := range t.GlobalEnv {
		f.Env[k] = v
	}
	for k, v := range mapOf(get(p, "Environment", "Variables")) {
		f.Env[k] = v
	}
	events := mapOf(get(p, "Events"))
	for _, name := range sortedKeys(events) {
		ev := events[name]
		ep := get(ev, "Properties")
		switch typ := scalar(get(ev, "Type")); typ {
		case "HttpApi":
			r := Route{Method: strings.ToUpper(scalar(get(ep, "Method"))), Path: scalar(get(ep, "Path")),
				Authorizer: scalar(get(ep, "Auth", "Authorizer"))}
			if r.Authorizer == "NONE" {
				r.Authorizer = ""
			}
			f.Routes = append(f.Routes, r)
		case "SQS":
			q := get(ep, "Queue")
			if q == nil || q.Tag != "!GetAtt" {
				return fmt.Errorf("event %s: Queue must be !GetAtt <Queue>.Arn", name)
			}
			c := Consumer{Queue: strings.TrimSuffix(q.Value, ".Arn"), BatchSize: 10}
			if bs := scalar(get(ep, "BatchSize")); bs != "" {
				n, err := strconv.Atoi(bs)
				if err != nil || n < 1 || n > 10000 {
					return fmt.Errorf("event %s: bad BatchSize %q", name, bs)
				}
				c.BatchSize = n
			}
			for _, rt := range seqOf(get(ep, "FunctionResponseTypes")) {
				if rt.Value == "ReportBatchItemFailures" {
					c.ReportBatchItemFailure = true
				}
			}
			f.Consumers = append(f.Consumers, c)
		case "SNS":
			tp := get(ep, "Topic")
			if tp == nil || tp.Tag != "!Ref" {
				return fmt.Errorf("event %s: Topic must be !Ref <Topic>", name)
			}
			f.Subscriptions = append(f.Subscriptions, Subscription{Name: name, Topic: tp.Value})
		case "ScheduleV2":
			f.Schedules = append(f.Schedules, Schedule{
				Name:       name,
				Expression: scalar(get(ep, "ScheduleExpression")),
				Timezone:   scalar(get(ep, "ScheduleExpressionTimezone")),
			})
		default:
			return fmt.Errorf("event %s: type %q is not supported locally", name, typ)
		}
	}
	t.Functions = append(t.Functions, f)
	return nil
}

func (t *Template) addAuthorizers(p *yaml.Node) error {
	for name, a := range mapOf(get(p, "Auth", "Authorizers")) {
		jc := get(a, "JwtConfiguration")
		if jc == nil {
			return fmt.Errorf("authorizer %s: only JWT authorizers run locally", name)
		}
		az := Authorizer{Name: name, Issuer: get(jc, "issuer"), Audience: seqOf(get(jc, "audience"))}
		if az.Issuer == nil || len(az.Audience) == 0 {
			return fmt.Errorf("authorizer %s: issuer and audience are required", name)
		}
		t.Authorizers[name] = az
	}
	return nil
}

// Function returns the function with the given logical id.
func (t *Template) Function(id string) (Function, bool) {
	for _, f := range t.Functions {
		if f.LogicalID == id {
			return f, true
		}
	}
	return Function{}, false
}

func keys(n *yaml.Node) []Key {
	var out []Key
	for _, k := range seqOf(n) {
		out = append(out, Key{Name: scalar(get(k, "AttributeName")), Type: scalar(get(k, "KeyType"))})
	}
	return out
}

// get walks mapping keys; nil when any step is missing.
func get(n *yaml.Node, path ...string) *yaml.Node {
	for _, p := range path {
		if n == nil || n.Kind != yaml.MappingNode {
			return nil
		}
		var next *yaml.Node
		for i := 0; i+1 < len(n.Content); i += 2 {
			if n.Content[i].Value == p {
				next = n.Content[i+1]
				break
			}
		}
		n = next
	}
	return n
}

func mapOf(n *yaml.Node) map[string]*yaml.Node {
	out := map[string]*yaml.Node{}
	if n == nil || n.Kind != yaml.MappingNode {
		return out
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		out[n.Content[i].Value] = n.Content[i+1]
	}
	return out
}

func seqOf(n *yaml.Node) []*yaml.Node {
	if n == nil || n.Kind != yaml.SequenceNode {
		return nil
	}
	return n.Content
}

func scalar(n *yaml.Node) string {
	if n == nil || n.Kind != yaml.ScalarNode {
		return ""
	}
	return n.Value
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
