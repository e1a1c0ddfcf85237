// Package e2e holds the browser end-to-end test of the mobile web page (H5):
// headless Chromium, driven by playwright-core from h5.mjs, against the
// whole local stack on the emulators.
//
// It needs Debian's chromium (/usr/bin/chromium) and playwright-core in
// <repo>/.cache/e2e, both installed by infra/e2e/install.sh. When either is
// missing the test fails and says so; INTAKE_SKIP_BROWSER=1 skips it.
package e2e

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/open12315/intake/infra/emulators/testenv"
	"github.com/open12315/intake/infra/local/localtest"
)

func TestMain(m *testing.M) { testenv.Main(m) }

// Environment variables read by the test.
const (
	// EnvSkipBrowser=1 skips the browser test instead of failing it when
	// Chromium or playwright-core is missing.
	EnvSkipBrowser = "INTAKE_SKIP_BROWSER"
	// EnvCache overrides where playwright-core is installed.
	EnvCache = "INTAKE_E2E_CACHE"
	// EnvChromium overrides the browser executable.
	EnvChromium = "INTAKE_CHROMIUM"
	// EnvScreenshots keeps the screenshots in this directory instead of a
	// temporary one removed after the test.
	EnvScreenshots = "INTAKE_E2E_SCREENSHOTS"
)

// ttiBudget bounds the time to interactive on the emulated slow network;
// h5.mjs checks it too.
const ttiBudget = 10 * time.Second

// result is what h5.mjs prints on its RESULT line.
type result struct {
	TTIMs            int64    `json:"tti_ms"`
	RegionsMs        int64    `json:"regions_ms"`
	LoadMs           int64    `json:"load_ms"`
	TransferredBytes int64    `json:"transferred_bytes"`
	DecodedBytes     int64    `json:"decoded_bytes"`
	Cases            []string `json:"cases"`
	ComplaintPosts   int      `json:"complaint_posts"`
	Unit             string   `json:"unit"`
	Screenshots      string   `json:"screenshots"`
}

// prerequisites returns the node binary, the browser and the cache holding
// playwright-core, or fails (or, with INTAKE_SKIP_BROWSER=1, skips) t.
func prerequisites(t *testing.T, root string) (node, chromium, cache string) {
	t.Helper()
	if os.Getenv(EnvSkipBrowser) == "1" {
		t.Skip(EnvSkipBrowser + "=1: browser test skipped")
	}
	cache = os.Getenv(EnvCache)
	if cache == "" {
		cache = filepath.Join(root, ".cache", "e2e")
	}
	chromium = os.Getenv(EnvChromium)
	if chromium == "" {
		chromium = "/usr/bin/chromium"
	}
	var missing []string
	node, err := exec.LookPath("node")
	if err != nil {
		missing = append(missing, "node (Node.js >= 20)")
	}
	if st, err := os.Stat(chromium); err != nil || st.IsDir() {
		missing = append(missing, "Chromium at "+chromium)
	}
	if _, err := os.Stat(filepath.Join(cache, "node_modules", "playwright-core", "package.json")); err != nil {
		missing = append(missing, "playwright-core in "+cache)
	}
	if len(missing) > 0 {
		t.Fatalf("the browser test needs %s: run `bash infra/e2e/install.sh` as root (or set %s=1 to skip this test)",
			strings.Join(missing, ", "), EnvSkipBrowser)
	}
	return node, chromium, cache
}

// TestH5 files a complaint and an anonymous report through the page in
// headless Chromium on an emulated slow network, and looks the complaint up.
func TestH5(t *testing.T) {
	testenv.Require(t) // skips, as every stack test does, when emulators are off
	root := localtest.RepoRoot(t)
	node, chromium, cache := prerequisites(t, root)
	s := localtest.Start(t, localtest.Options{})

	shots := os.Getenv(EnvScreenshots)
	if shots == "" {
		shots = t.TempDir()
	}
	ctx, cancel := context.WithTimeout(context.Background(), 4*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, node, filepath.Join(root, "infra", "e2e", "h5.mjs"), s.URL)
	cmd.Dir = root
	cmd.Env = append(os.Environ(),
		EnvCache+"="+cache,
		"NODE_PATH="+filepath.Join(cache, "node_modules"),
		EnvChromium+"="+chromium,
		EnvScreenshots+"="+shots,
	)
	// SIGTERM lets playwright close the browser it started.
	cmd.Cancel = func() error { return cmd.Process.Signal(syscall.SIGTERM) }
	cmd.WaitDelay = 15 * time.Second
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	runErr := cmd.Run()

	var res result
	gotResult := false
	sc := bufio.NewScanner(bytes.NewReader(out.Bytes()))
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		line := sc.Text()
		if j, ok := strings.CutPrefix(line, "RESULT "); ok {
			if err := json.Unmarshal([]byte(j), &res); err != nil {
				t.Errorf("RESULT line: %v", err)
			}
			gotResult = true
			continue
		}
		t.Log(line)
	}
	if runErr != nil {
		t.Fatalf("node h5.mjs: %v (FAIL lines above)", runErr)
	}
	if !gotResult {
		t.Fatal("h5.mjs printed no RESULT line")
	}
	t.Logf("slow network: interactive after %d ms, regions after %d ms, load %d ms; %d bytes transferred (%d decoded); screenshots in %s",
		res.TTIMs, res.RegionsMs, res.LoadMs, res.TransferredBytes, res.DecodedBytes, res.Screenshots)
	if res.TTIMs <= 0 || time.Duration(res.TTIMs)*time.Millisecond > ttiBudget {
		t.Errorf("time to interactive %d ms, budget %v", res.TTIMs, ttiBudget)
	}
	// One complaint, although its first answer was lost and it was sent
	// again, and one report: two cases, no more.
	if len(res.Cases) != 2 {
		t.Fatalf("cases filed through the page = %v, want a complaint and a report", res.Cases)
	}
	if res.ComplaintPosts < 3 {
		t.Errorf("complaint POSTs = %d, want the 422, the lost attempt and the retry", res.ComplaintPosts)
	}
	if n := countCases(t, s); n != 2 {
		t.Errorf("cases stored = %d, want 2 (a retried submission must not file twice)", n)
	}
}

// countCases counts the case records of the stack's table (a test may scan;
// the system never does).
func countCases(t *testing.T, s *localtest.Stack) int {
	t.Helper()
	db, _ := testenv.Clients(t)
	in := &dynamodb.ScanInput{TableName: aws.String(s.TableName("CasesTable")), ConsistentRead: aws.Bool(true)}
	n := 0
	p := dynamodb.NewScanPaginator(db, in)
	for p.HasMorePages() {
		out, err := p.NextPage(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		for _, it := range out.Items {
			if v, ok := it["sk"].(*types.AttributeValueMemberS); ok && v.Value == "CASE" {
				n++
			}
		}
	}
	return n
}
