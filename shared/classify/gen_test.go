package classify

import (
	"flag"
	"os"
	"testing"
)

var update = flag.Bool("update", false, "regenerate data/model.bin from the shipped examples and cases (ShippedExamples)")

// TestShippedModelIsFresh checks that the committed model is exactly what
// training the committed examples produces. Run with -update to regenerate.
func TestShippedModelIsFresh(t *testing.T) {
	ex, err := ShippedExamples()
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := ShippedTrainConfig()
	if err != nil {
		t.Fatal(err)
	}
	m, err := Train(ex, cfg)
	if err != nil {
		t.Fatal(err)
	}
	got, err := m.MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	if *update {
		if err := os.WriteFile("data/model.bin", got, 0o644); err != nil {
			t.Fatal(err)
		}
		t.Logf("wrote data/model.bin (%d bytes)", len(got))
		return
	}
	if string(got) != string(ShippedModel()) {
		t.Fatalf("data/model.bin is stale (%d bytes, fresh training gives %d): run go test ./shared/classify/ -run TestShippedModelIsFresh -args -update", len(ShippedModel()), len(got))
	}
}
