package routing

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/open12315/intake/shared/classify"
)

func TestZZSweep(t *testing.T) {
	files, _ := filepath.Glob(os.Getenv("ZZGLOB"))
	var ex []classify.Example
	for _, p := range files {
		f, _ := os.Open(p)
		e, _, _ := classify.ReadExamples(f)
		f.Close()
		ex = append(ex, e...)
	}
	rt := New(nil)
	for _, ref := range []float64{0.2, 0.25, 0.3, 0.35, 0.4, 0.5} {
		for _, floor := range []float64{0.2, 0.25} {
			for _, line := range []float64{0.4, 0.45} {
				c, _ := classify.Default()
				c.Thresholds.Referral, c.Thresholds.LineFloor, c.Thresholds.Line = ref, floor, line
				ok, tri, wrongTri, mis := 0, 0, 0, 0
				for _, e := range ex {
					want := ExpectedRoute(e)
					if want == "" {
						continue
					}
					res := c.Classify(classify.Input{ID: e.ID, Text: e.Text, BusinessAddress: e.BusinessAddress})
					d := rt.Route(Case{Text: e.Text, Business: Business{Address: e.BusinessAddress}}, res)
					got := RouteLabel(d)
					switch {
					case got == want:
						ok++
					case got == "triage":
						wrongTri++
					default:
						mis++
					}
					if got == "triage" {
						tri++
					}
				}
				fmt.Printf("ref %.2f floor %.2f line %.2f: ok %d triaged %d (needless %d) misrouted %d\n", ref, floor, line, ok, tri, wrongTri, mis)
			}
		}
	}
}
