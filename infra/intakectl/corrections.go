package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"time"

	"github.com/open12315/intake/shared/classify"
	"github.com/open12315/intake/shared/lifecycle"
)

func init() {
	commands["corrections"] = command{summary: "export staff corrections of the classifier as training examples (JSON lines for train)", run: runCorrections}
}

// runCorrections writes one labelled example per corrected case: the
// case's text, with long digit runs masked, and the type and line a person
// chose (and the agency, when they referred the case). Its output feeds `intakectl train` together with the shipped
// examples.
func runCorrections(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("corrections", flag.ContinueOnError)
	fs.SetOutput(stderr)
	sf := addStoreFlags(fs)
	since := fs.String("since", "", "only corrections from this date (YYYY-MM-DD)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	var from time.Time
	if *since != "" {
		t, err := time.Parse("2006-01-02", *since)
		if err != nil {
			return fmt.Errorf("--since: %w", err)
		}
		from = t
	}
	ctx := context.Background()
	st, err := sf.open(ctx)
	if err != nil {
		return err
	}
	evs, err := st.Corrections(ctx, from)
	if err != nil {
		return err
	}
	var cs []classify.Correction
	for _, e := range evs {
		c, ok := lifecycle.CorrectionOf(e)
		if !ok {
			continue
		}
		k, err := st.Get(ctx, c.CaseID)
		if err != nil {
			fmt.Fprintf(stderr, "skip %s: %v\n", c.CaseID, err)
			continue
		}
		text := lifecycle.MaskText(k.Facts)
		for _, f := range []struct{ field, from, to string }{
			{"type", c.PreviousType, c.Type}, {"line", c.PreviousLine, c.Line}, {"agency", "", c.Agency},
		} {
			if f.to != "" {
				cs = append(cs, classify.Correction{CaseID: c.CaseID, Text: text, Field: f.field, From: f.from, To: f.to, By: c.CorrectedBy, At: e.At})
			}
		}
	}
	return classify.WriteExamples(stdout, classify.ExamplesFromCorrections(cs))
}
