//go:build amd64 || arm64

package classify

// prefetch asks the processor to bring the cache line holding *p closer,
// without waiting for it: a hint, with no effect on what the program
// computes (PREFETCHT0 on amd64, PRFM PLDL1KEEP on arm64; elsewhere see
// prefetch_other.go).
//
//go:noescape
func prefetch(p *byte)
