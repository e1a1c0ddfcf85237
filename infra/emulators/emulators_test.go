package emulators

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"net"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/aws/aws-sdk-go-v2/service/sqs"
)

func skipIfDisabled(t *testing.T) {
	t.Helper()
	if testing.Short() {
		t.Skip("starts emulators; skipped in -short mode")
	}
	if os.Getenv("INTAKE_TEST_NO_EMULATORS") == "1" {
		t.Skip("INTAKE_TEST_NO_EMULATORS=1")
	}
}

func TestStackRoundTrip(t *testing.T) {
	skipIfDisabled(t)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()

	var log LockedBuffer
	start := time.Now()
	s, err := Start(ctx, Options{Log: &log})
	if err != nil {
		t.Fatalf("Start: %v", err)
	}
	t.Logf("both emulators answered after %v: dynamodb %s, sqs %s",
		time.Since(start).Round(time.Millisecond), s.DynamoEndpoint, s.SQSEndpoint)
	for _, line := range strings.Split(log.String(), "\n") {
		if strings.Contains(line, "ready at") {
			t.Log(line)
		}
	}
	stopped := false
	defer func() {
		if !stopped {
			s.Stop()
		}
	}()

	cfg, err := AWSConfig(ctx)
	if err != nil {
		t.Fatal(err)
	}
	ddb := DynamoClient(cfg, s.DynamoEndpoint)
	q := SQSClient(cfg, s.SQSEndpoint)

	// DynamoDB: create a table, put an item, read it back.
	table := "roundtrip"
	if _, err := ddb.CreateTable(ctx, &dynamodb.CreateTableInput{
		TableName:            aws.String(table),
		AttributeDefinitions: []types.AttributeDefinition{{AttributeName: aws.String("pk"), AttributeType: types.ScalarAttributeTypeS}},
		KeySchema:            []types.KeySchemaElement{{AttributeName: aws.String("pk"), KeyType: types.KeyTypeHash}},
		BillingMode:          types.BillingModePayPerRequest,
	}); err != nil {
		t.Fatalf("CreateTable: %v", err)
	}
	if _, err := ddb.PutItem(ctx, &dynamodb.PutItemInput{
		TableName: aws.String(table),
		Item: map[string]types.AttributeValue{
			"pk":   &types.AttributeValueMemberS{Value: "c-1"},
			"body": &types.AttributeValueMemberS{Value: "noise at night"},
		},
	}); err != nil {
		t.Fatalf("PutItem: %v", err)
	}
	got, err := ddb.GetItem(ctx, &dynamodb.GetItemInput{
		TableName:      aws.String(table),
		Key:            map[string]types.AttributeValue{"pk": &types.AttributeValueMemberS{Value: "c-1"}},
		ConsistentRead: aws.Bool(true),
	})
	if err != nil {
		t.Fatalf("GetItem: %v", err)
	}
	if b, ok := got.Item["body"].(*types.AttributeValueMemberS); !ok || b.Value != "noise at night" {
		t.Fatalf("GetItem body = %#v, want %q", got.Item["body"], "noise at night")
	}
	// A conditional failure must come back as the typed error.
	_, err = ddb.PutItem(ctx, &dynamodb.PutItemInput{
		TableName:           aws.String(table),
		Item:                map[string]types.AttributeValue{"pk": &types.AttributeValueMemberS{Value: "c-1"}},
		ConditionExpression: aws.String("attribute_not_exists(pk)"),
	})
	var ccf *types.ConditionalCheckFailedException
	if !errors.As(err, &ccf) {
		t.Fatalf("conditional PutItem error = %v, want ConditionalCheckFailedException", err)
	}

	// SQS: create a queue, send a message, receive and delete it.
	created, err := q.CreateQueue(ctx, &sqs.CreateQueueInput{QueueName: aws.String("roundtrip")})
	if err != nil {
		t.Fatalf("CreateQueue: %v", err)
	}
	if _, err := q.SendMessage(ctx, &sqs.SendMessageInput{QueueUrl: created.QueueUrl, MessageBody: aws.String("hello")}); err != nil {
		t.Fatalf("SendMessage: %v", err)
	}
	recv, err := q.ReceiveMessage(ctx, &sqs.ReceiveMessageInput{QueueUrl: created.QueueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 2})
	if err != nil {
		t.Fatalf("ReceiveMessage: %v", err)
	}
	if len(recv.Messages) != 1 || aws.ToString(recv.Messages[0].Body) != "hello" {
		t.Fatalf("ReceiveMessage = %d messages, want one %q", len(recv.Messages), "hello")
	}
	if _, err := q.DeleteMessage(ctx, &sqs.DeleteMessageInput{QueueUrl: created.QueueUrl, ReceiptHandle: recv.Messages[0].ReceiptHandle}); err != nil {
		t.Fatalf("DeleteMessage: %v", err)
	}

	// Stop, twice, and check that nothing is left.
	pids := make([]int, 0, len(s.procs))
	for _, p := range s.procs {
		pids = append(pids, p.cmd.Process.Pid)
	}
	stopStart := time.Now()
	if err := s.Stop(); err != nil {
		t.Fatalf("Stop: %v", err)
	}
	stopped = true
	t.Logf("Stop took %v", time.Since(stopStart).Round(time.Millisecond))
	if err := s.Stop(); err != nil {
		t.Fatalf("second Stop: %v", err)
	}
	for _, ep := range []string{s.DynamoEndpoint, s.SQSEndpoint} {
		assertPortClosed(t, ep)
	}
	for _, pid := range pids {
		if err := syscall.Kill(pid, 0); !errors.Is(err, syscall.ESRCH) {
			t.Errorf("process %d still exists after Stop (kill 0: %v)", pid, err)
		}
		// Nothing may be left in the process group either.
		if err := syscall.Kill(-pid, 0); !errors.Is(err, syscall.ESRCH) {
			t.Errorf("process group %d still has members after Stop (kill 0: %v)", pid, err)
		}
	}
	if kids := children(t); len(kids) > 0 {
		t.Errorf("child processes left after Stop: %v", kids)
	}
}

func TestStartExplicitPortsAndDataDir(t *testing.T) {
	skipIfDisabled(t)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	dp, err := freePort()
	if err != nil {
		t.Fatal(err)
	}
	sp, err := freePort()
	if err != nil {
		t.Fatal(err)
	}
	data := t.TempDir()
	s, err := Start(ctx, Options{DynamoPort: dp, SQSPort: sp, DataDir: data})
	if err != nil {
		t.Fatalf("Start: %v", err)
	}
	defer s.Stop()
	if want := "http://127.0.0.1:" + strconv.Itoa(dp); s.DynamoEndpoint != want {
		t.Errorf("DynamoEndpoint = %q, want %q", s.DynamoEndpoint, want)
	}
	if want := "http://127.0.0.1:" + strconv.Itoa(sp); s.SQSEndpoint != want {
		t.Errorf("SQSEndpoint = %q, want %q", s.SQSEndpoint, want)
	}
	cfg, err := AWSConfig(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := DynamoClient(cfg, s.DynamoEndpoint).CreateTable(ctx, &dynamodb.CreateTableInput{
		TableName:            aws.String("ondisk"),
		AttributeDefinitions: []types.AttributeDefinition{{AttributeName: aws.String("pk"), AttributeType: types.ScalarAttributeTypeS}},
		KeySchema:            []types.KeySchemaElement{{AttributeName: aws.String("pk"), KeyType: types.KeyTypeHash}},
		BillingMode:          types.BillingModePayPerRequest,
	}); err != nil {
		t.Fatalf("CreateTable: %v", err)
	}
	if files, _ := filepath.Glob(filepath.Join(data, "*.db")); len(files) == 0 {
		t.Errorf("no database file in DataDir %s", data)
	}

	// A second stack on the same ports must fail with the emulator's output.
	_, err = Start(ctx, Options{DynamoPort: dp, SQSPort: sp, StartTimeout: 30 * time.Second})
	if err == nil {
		t.Fatal("second Start on the same ports succeeded")
	}
	t.Logf("second Start on the same ports: %.300s", err)
	if kids := children(t); len(kids) != 2 {
		t.Errorf("after a failed Start, child processes = %v, want the first stack's 2", kids)
	}
}

func TestCacheDirEnv(t *testing.T) {
	t.Setenv(EnvCache, "relative/cache")
	got, err := CacheDir()
	if err != nil {
		t.Fatal(err)
	}
	if !filepath.IsAbs(got) || !strings.HasSuffix(got, filepath.Join("relative", "cache")) {
		t.Errorf("CacheDir() = %q, want an absolute path ending in relative/cache", got)
	}
	t.Setenv(EnvCache, "")
	got, err = CacheDir()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(filepath.Dir(filepath.Dir(got)), "go.mod")); err != nil {
		t.Errorf("CacheDir() = %q, not in the module root: %v", got, err)
	}
}

func TestAWSConfigIgnoresProfile(t *testing.T) {
	t.Setenv("AWS_PROFILE", "does-not-exist")
	t.Setenv("AWS_REGION", "eu-west-3")
	cfg, err := AWSConfig(context.Background())
	if err != nil {
		t.Fatalf("AWSConfig: %v", err)
	}
	if cfg.Region != Region {
		t.Errorf("Region = %q, want %q", cfg.Region, Region)
	}
}

func TestTailBuffer(t *testing.T) {
	tb := &tailBuffer{max: 10}
	fmt.Fprint(tb, "0123456789")
	fmt.Fprint(tb, "abc")
	if got, want := tb.String(), "3456789abc"; got != want {
		t.Errorf("tail = %q, want %q", got, want)
	}
}

func TestPrefixWriter(t *testing.T) {
	var b bytes.Buffer
	w := &prefixWriter{prefix: "x: ", w: &b}
	fmt.Fprint(w, "one\ntw")
	fmt.Fprint(w, "o\nthree")
	w.Close()
	if got, want := b.String(), "x: one\nx: two\nx: three\n"; got != want {
		t.Errorf("output = %q, want %q", got, want)
	}
}

// assertPortClosed fails t if something still accepts connections at the
// endpoint's port.
func assertPortClosed(t *testing.T, endpoint string) {
	t.Helper()
	u, err := url.Parse(endpoint)
	if err != nil {
		t.Fatal(err)
	}
	c, err := net.DialTimeout("tcp", u.Host, time.Second)
	if err == nil {
		c.Close()
		t.Errorf("%s still accepts connections after Stop", u.Host)
	}
}

// children returns the pids of this process's live child processes, read from
// /proc; it skips the test where /proc is missing.
func children(t *testing.T) []int {
	t.Helper()
	stats, err := filepath.Glob("/proc/[0-9]*/stat")
	if err != nil || len(stats) == 0 {
		t.Skip("no /proc")
	}
	self := os.Getpid()
	var kids []int
	for _, f := range stats {
		b, err := os.ReadFile(f)
		if err != nil {
			continue // exited meanwhile
		}
		// pid (comm) state ppid ...; comm may hold spaces and parentheses.
		s := string(b)
		i := strings.LastIndexByte(s, ')')
		if i < 0 {
			continue
		}
		fields := strings.Fields(s[i+1:])
		if len(fields) < 2 || fields[0] == "Z" {
			continue
		}
		if ppid, _ := strconv.Atoi(fields[1]); ppid == self {
			pid, _ := strconv.Atoi(strings.Fields(s)[0])
			kids = append(kids, pid)
		}
	}
	return kids
}

func TestStartReportsEarlyExit(t *testing.T) {
	newCmd := func(int) *exec.Cmd { return exec.Command("sh", "-c", "echo boom >&2; exit 3") }
	probe := func(context.Context, string) error { return errors.New("connection refused") }
	_, _, err := startWithRetry(context.Background(), "fake", 0, newCmd, probe, 10*time.Second, nil)
	if err == nil || !strings.Contains(err.Error(), "exited") || !strings.Contains(err.Error(), "boom") {
		t.Fatalf("err = %v, want one saying the process exited, with its output", err)
	}
}

func TestStartTimesOut(t *testing.T) {
	newCmd := func(int) *exec.Cmd { return exec.Command("sh", "-c", "echo waiting; exec sleep 60") }
	probe := func(context.Context, string) error { return errors.New("connection refused") }
	start := time.Now()
	_, _, err := startWithRetry(context.Background(), "fake", 0, newCmd, probe, 500*time.Millisecond, nil)
	if err == nil || !strings.Contains(err.Error(), "did not answer") || !strings.Contains(err.Error(), "waiting") {
		t.Fatalf("err = %v, want a time-out with the output", err)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("took %v", d)
	}
	if kids := children(t); len(kids) > 0 {
		t.Errorf("child processes left after a time-out: %v", kids)
	}
}

// TestHelperStack is not a test: TestEmulatorsDieWithParent runs it in a
// child process, which starts a stack, prints its pids and waits to be killed.
func TestHelperStack(t *testing.T) {
	if os.Getenv("INTAKE_EMULATORS_HELPER") != "1" {
		t.Skip("helper for TestEmulatorsDieWithParent")
	}
	s, err := Start(context.Background(), Options{})
	if err != nil {
		fmt.Println("ERROR", err)
		os.Exit(1)
	}
	fmt.Println("PIDS", s.procs[0].cmd.Process.Pid, s.procs[1].cmd.Process.Pid)
	time.Sleep(2 * time.Minute)
	os.Exit(1)
}

func TestEmulatorsDieWithParent(t *testing.T) {
	skipIfDisabled(t)
	if _, err := os.Stat("/proc/self/stat"); err != nil {
		t.Skip("needs Linux /proc")
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestHelperStack$", "-test.v")
	cmd.Env = append(os.Environ(), "INTAKE_EMULATORS_HELPER=1")
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Process.Kill()
	var pids []int
	sc := bufio.NewScanner(out)
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) > 0 && f[0] == "ERROR" {
			t.Fatalf("helper: %s", sc.Text())
		}
		if len(f) == 3 && f[0] == "PIDS" {
			for _, s := range f[1:] {
				pid, _ := strconv.Atoi(s)
				pids = append(pids, pid)
			}
			break
		}
	}
	if len(pids) != 2 {
		t.Fatalf("helper printed no pids (scan error %v)", sc.Err())
	}
	for _, pid := range pids {
		if !alive(pid) {
			t.Fatalf("emulator %d is not running before its parent is killed", pid)
		}
	}
	if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	cmd.Wait()
	deadline := time.Now().Add(10 * time.Second)
	for _, pid := range pids {
		for alive(pid) {
			if time.Now().After(deadline) {
				syscall.Kill(-pid, syscall.SIGKILL)
				t.Fatalf("emulator %d survived its parent's SIGKILL", pid)
			}
			time.Sleep(50 * time.Millisecond)
		}
	}
}

// alive reports whether pid exists and is not a zombie.
func alive(pid int) bool {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return false
	}
	s := string(b)
	i := strings.LastIndexByte(s, ')')
	return i >= 0 && !strings.HasPrefix(strings.TrimSpace(s[i+1:]), "Z")
}
