//go:build unix && !linux

package emulators

import "syscall"

// sysProcAttr puts the child in a process group of its own, so that Stop can
// signal everything it started. Only Linux can also kill the child when the
// parent dies.
func sysProcAttr() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Setpgid: true}
}
