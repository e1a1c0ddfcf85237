package emulators

import "syscall"

// sysProcAttr puts the child in a process group of its own, so that Stop can
// signal everything it started, and has the kernel kill it with SIGKILL when
// the thread that started it dies, so that no emulator outlives a crashed or
// killed parent. Go does not end its threads while the process runs, unless
// a goroutine exits while locked to one, which this package never does.
func sysProcAttr() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL}
}
