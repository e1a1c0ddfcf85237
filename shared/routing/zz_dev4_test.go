package routing

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/open12315/intake/shared/classify"
)

func TestZZDev4(t *testing.T) {
	files, _ := filepath.Glob(os.Getenv("ZZGLOB"))
	var ex []classify.Example
	for _, p := range files {
		f, err := os.Open(p)
		if err != nil {
			t.Fatal(err)
		}
		e, _, err := classify.ReadExamples(f)
		f.Close()
		if err != nil {
			t.Fatal(p, err)
		}
		ex = append(ex, e...)
	}
	c, _ := classify.Default()
	rep := classify.Evaluate(c, ex)
	for _, fld := range []string{"type", "line", "cca_class", "nature", "agency", "region"} {
		if f, ok := rep.Field(fld); ok {
			t.Logf("%s %.3f (%d/%d)", fld, f.Accuracy(), f.Correct, f.N)
		}
	}
	rt := New(nil)
	fr := rt.Evaluate(c, ex)
	t.Logf("route %.3f (%d/%d)", fr.Accuracy(), fr.Correct, fr.N)
	if os.Getenv("ZZV") == "" {
		return
	}
	for _, e := range ex {
		want := ExpectedRoute(e)
		if want == "" {
			continue
		}
		res := c.Classify(classify.Input{ID: e.ID, Text: e.Text, BusinessAddress: e.BusinessAddress})
		d := rt.Route(Case{Text: e.Text, Business: Business{Address: e.BusinessAddress}}, res)
		if got := RouteLabel(d); got != want {
			fmt.Printf("   triage=%v %v amb=%v ev=%v\n", res.Triage, res.TriageReasons, res.RegionAmbiguous, d.Evidence)
			fmt.Printf("%s want %s got %s | type %s/%s line %s/%s agency %s/%s region %s/%s | %s | addr=%s\n", e.ID, want, got, e.Type, res.Type.Label, e.Line, res.Line.Label, e.Agency, res.Agency, e.Region, res.Region, e.Text, e.BusinessAddress)
		}
	}
}
