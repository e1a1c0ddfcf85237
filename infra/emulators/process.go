//go:build unix

package emulators

import (
	"errors"
	"fmt"
	"io"
	"os/exec"
	"strings"
	"sync"
	"syscall"
	"time"
)

// tailSize is how much of a process's latest output is kept for errors.
const tailSize = 8 << 10

// process is a running emulator: the leader of a process group of its own.
type process struct {
	name    string
	cmd     *exec.Cmd
	out     *tailBuffer
	log     io.Writer     // nil, or a prefixWriter to Options.Log
	done    chan struct{} // closed when the process has exited
	waitErr error         // cmd.Wait's result, set before done is closed
}

// startProcess starts cmd in a new process group, with its stdout and stderr
// kept in a tail buffer and copied to log if log is not nil.
func startProcess(name string, cmd *exec.Cmd, log io.Writer) (*process, error) {
	p := &process{name: name, cmd: cmd, out: &tailBuffer{max: tailSize}, done: make(chan struct{})}
	var w io.Writer = p.out
	if log != nil {
		pw := &prefixWriter{prefix: name + ": ", w: log}
		p.log = pw
		w = io.MultiWriter(p.out, pw)
	}
	cmd.Stdout = w
	cmd.Stderr = w
	cmd.SysProcAttr = sysProcAttr()
	// The emulators start no children that could hold the output pipes
	// open, but never let Wait hang on them.
	cmd.WaitDelay = 2 * time.Second
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("emulators: starting %s (%s): %w", name, strings.Join(cmd.Args, " "), err)
	}
	p.logf("started pid %d: %s", cmd.Process.Pid, strings.Join(cmd.Args, " "))
	go func() {
		p.waitErr = cmd.Wait()
		if pw, ok := p.log.(*prefixWriter); ok {
			pw.Close()
		}
		close(p.done)
	}()
	return p, nil
}

// exited reports whether the process has exited.
func (p *process) exited() bool {
	select {
	case <-p.done:
		return true
	default:
		return false
	}
}

// bindFailed reports whether the output says the port was in use.
func (p *process) bindFailed() bool {
	out := p.tail()
	for _, s := range []string{"Address already in use", "EADDRINUSE", "BindException"} {
		if strings.Contains(out, s) {
			return true
		}
	}
	return false
}

// tail returns the latest output of the process.
func (p *process) tail() string {
	return p.out.String()
}

// logf writes a line about the process to the log, if any.
func (p *process) logf(format string, args ...any) {
	if p.log != nil {
		fmt.Fprintf(p.log, "[emulators] "+format+"\n", args...)
	}
}

// stop sends SIGTERM to the process group, then SIGKILL if the leader has not
// exited after grace, and waits for the leader to exit. Whatever else is left
// in the group is killed too.
func (p *process) stop(grace time.Duration) error {
	pgid := p.cmd.Process.Pid
	if !p.exited() {
		if err := syscall.Kill(-pgid, syscall.SIGTERM); err != nil && !errors.Is(err, syscall.ESRCH) {
			return fmt.Errorf("emulators: stopping %s (pgid %d): %w", p.name, pgid, err)
		}
		select {
		case <-p.done:
		case <-time.After(grace):
			p.logf("still running %v after SIGTERM; sending SIGKILL", grace)
		}
	}
	// Kill any straggler in the group, and the leader if SIGTERM was not enough.
	if err := syscall.Kill(-pgid, syscall.SIGKILL); err != nil && !errors.Is(err, syscall.ESRCH) {
		return fmt.Errorf("emulators: killing %s (pgid %d): %w", p.name, pgid, err)
	}
	select {
	case <-p.done:
		return nil
	case <-time.After(grace):
		return fmt.Errorf("emulators: %s (pid %d) has not exited %v after SIGKILL", p.name, pgid, grace)
	}
}

// tailBuffer keeps the last max bytes written to it.
type tailBuffer struct {
	mu  sync.Mutex
	max int
	buf []byte
}

func (t *tailBuffer) Write(b []byte) (int, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.buf = append(t.buf, b...)
	if over := len(t.buf) - t.max; over > 0 {
		t.buf = append(t.buf[:0], t.buf[over:]...)
	}
	return len(b), nil
}

func (t *tailBuffer) String() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	s := strings.TrimSpace(string(t.buf))
	if s == "" {
		return "(no output)"
	}
	return s
}
