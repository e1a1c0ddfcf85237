package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"time"

	"github.com/open12315/intake/shared/auth"
	"github.com/open12315/intake/shared/cases"
	"github.com/open12315/intake/shared/stats"
)

func init() {
	commands["report"] = command{summary: "yearly 12315 figures for a unit's jurisdiction (cases received in the year)", run: runReport}
}

// runReport reads the cases received in a year through the listing index
// of the unit's level (never a table scan) and prints the figures of the
// yearly report as JSON, with the definitions in package stats.
func runReport(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("report", flag.ContinueOnError)
	fs.SetOutput(stderr)
	sf := addStoreFlags(fs)
	year := fs.Int("year", time.Now().In(cases.Shanghai).Year(), "year of receipt (China time)")
	unit := fs.String("unit", "630000", "unit whose jurisdiction is counted: 630000, a prefecture or a county")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if !auth.ValidUnit(*unit) {
		return fmt.Errorf("--unit %q is not a current Qinghai unit code", *unit)
	}
	if *year < 2019 || *year > 9998 {
		return fmt.Errorf("--year %d is out of range", *year)
	}
	ctx := context.Background()
	st, err := sf.open(ctx)
	if err != nil {
		return err
	}
	from := time.Date(*year, 1, 1, 0, 0, 0, 0, cases.Shanghai)
	to := from.AddDate(1, 0, 0)
	scope, code := cases.ScopeOf(*unit)
	q := cases.ListQuery{Scope: scope, Code: code, ReceivedFrom: &from, ReceivedBefore: &to, Limit: 100}
	var all []*cases.Case
	for {
		page, next, err := st.List(ctx, q)
		if err != nil {
			return err
		}
		all = append(all, page...)
		if next == "" {
			break
		}
		q.Cursor = next
	}
	out := struct {
		Unit string `json:"unit"`
		Year int    `json:"year"`
		stats.Report
	}{*unit, *year, stats.Compute(all)}
	enc := json.NewEncoder(stdout)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}
