//go:build !amd64 && !arm64

package classify

// prefetch does nothing where the project has no prefetch instruction for
// the processor (see prefetch_asm.go).
func prefetch(p *byte) {}
