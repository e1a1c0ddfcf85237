package main

import (
	"bufio"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/open12315/intake/infra/local/localtest"
)

// TestRunServesAndStopsCleanly runs `intakectl run` as `make run` does: it
// serves the API, the printed curl files a complaint that is routed within
// seconds, and an interrupt stops it and everything it started.
func TestRunServesAndStopsCleanly(t *testing.T) {
	if testing.Short() {
		t.Skip("starts its own emulators")
	}
	root := localtest.RepoRoot(t)
	bin := filepath.Join(t.TempDir(), "intakectl")
	build := exec.Command("go", "build", "-o", bin, "./infra/intakectl")
	build.Dir = root
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := l.Addr().(*net.TCPAddr).Port
	l.Close()

	cmd := exec.Command(bin, "run")
	cmd.Dir = root
	cmd.Env = append(os.Environ(), "PORT="+strconv.Itoa(port), "INTAKE_DEV_JWT_KEY="+strings.Repeat("cd", 32))
	cmd.Stderr = io.Discard
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
	})

	// Read the banner up to the complaint curl.
	lines := make(chan string, 100)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			lines <- sc.Text()
		}
		close(lines)
		done <- cmd.Wait()
	}()
	var banner strings.Builder
	deadline := time.After(3 * time.Minute)
	for !strings.Contains(banner.String(), "Ctrl-C stops everything") {
		select {
		case l, ok := <-lines:
			if !ok {
				t.Fatalf("run exited early:\n%s", banner.String())
			}
			banner.WriteString(l + "\n")
		case <-deadline:
			t.Fatalf("no banner in time:\n%s", banner.String())
		}
	}
	b := banner.String()
	ports := regexp.MustCompile(`(?:DynamoDB Local|SQS emulator)\s+http://127\.0\.0\.1:(\d+)`).FindAllStringSubmatch(b, -1)
	if len(ports) != 2 {
		t.Fatalf("banner lacks the emulator endpoints:\n%s", b)
	}
	data := regexp.MustCompile(`-d '(\{"kind":"complaint".*\})'`).FindStringSubmatch(b)
	if data == nil {
		t.Fatalf("banner lacks the complaint curl:\n%s", b)
	}
	base := "http://127.0.0.1:" + strconv.Itoa(port)
	resp, err := http.Post(base+"/v1/complaints", "application/json", strings.NewReader(data[1]))
	if err != nil {
		t.Fatal(err)
	}
	var r struct {
		ID           string `json:"id"`
		TrackingCode string `json:"tracking_code"`
	}
	_ = json.NewDecoder(resp.Body).Decode(&r)
	resp.Body.Close()
	if resp.StatusCode != 201 {
		t.Fatalf("the banner's curl: %d", resp.StatusCode)
	}
	routed := false
	for end := time.Now().Add(20 * time.Second); time.Now().Before(end) && !routed; time.Sleep(200 * time.Millisecond) {
		req, _ := http.NewRequest("GET", base+"/v1/complaints/"+r.ID, nil)
		req.Header.Set("X-Tracking-Code", r.TrackingCode)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		var v struct {
			Status string
			Due    *struct {
				DueDate string `json:"due_date"`
			}
		}
		_ = json.NewDecoder(resp.Body).Decode(&v)
		resp.Body.Close()
		routed = v.Status == "pending_acceptance" && v.Due != nil && v.Due.DueDate != ""
	}
	if !routed {
		t.Fatal("the complaint was not routed with a due date within 20 s")
	}

	// Ctrl-C.
	if err := cmd.Process.Signal(syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	go func() {
		for range lines {
		}
	}()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("run exited with %v after an interrupt", err)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("run did not stop within 30 s of an interrupt")
	}
	for _, p := range append(ports, []string{"", strconv.Itoa(port)}) {
		if c, err := net.DialTimeout("tcp", "127.0.0.1:"+p[1], time.Second); err == nil {
			c.Close()
			t.Errorf("port %s still answers after run stopped", p[1])
		}
	}
}
