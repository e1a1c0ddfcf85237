package classify

import (
	"os"
	"os/exec"
	"testing"
)

// TestPrefetchOnArm64 checks the prefetch instruction of the processor the
// Lambda functions run on, which this machine cannot run: the package
// must vet for arm64, which also checks the assembly's frame against its
// Go declaration.
func TestPrefetchOnArm64(t *testing.T) {
	if testing.Short() {
		t.Skip("compiles the package for other processors")
	}
	goBin, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command on PATH")
	}
	cmd := exec.Command(goBin, "vet", ".")
	cmd.Env = append(os.Environ(), "GOOS=linux", "GOARCH=arm64", "CGO_ENABLED=0")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Errorf("GOARCH=arm64 go vet: %v\n%s", err, out)
	}
}

// TestPrefetchIsHarmless checks that a prefetch leaves memory as it was.
func TestPrefetchIsHarmless(t *testing.T) {
	b := make([]byte, 1<<16)
	for i := 0; i < len(b); i += 64 {
		prefetch(&b[i])
	}
	for _, x := range b {
		if x != 0 {
			t.Fatal("prefetch changed memory")
		}
	}
}
