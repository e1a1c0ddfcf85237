package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/open12315/intake/shared/calendar"
)

func init() {
	commands["due"] = command{summary: "print the due date N working days after a day", run: runDue}
}

// runDue prints the due date of a period of working days:
//
//	intakectl due --received 2025-01-24 --working-days 7 [--region 632701]
//
// The received day is not counted. Calendar data comes from the binary,
// plus the directory named by INTAKE_CALENDAR_DIR if set.
func runDue(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("due", flag.ContinueOnError)
	fs.SetOutput(stderr)
	received := fs.String("received", "", "day the period starts, `YYYY-MM-DD` (not counted)")
	n := fs.Int("working-days", 0, "length of the period in working days (1 or more)")
	region := fs.String("region", "", "6-digit division `code` whose regional holidays apply (default: national only)")
	loose := fs.Bool("weekends-beyond-coverage", false, "count only weekends as days off in years without holiday data (result is provisional)")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: intakectl due --received YYYY-MM-DD --working-days N [--region CODE]")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil
		}
		return err
	}
	switch {
	case fs.NArg() > 0:
		return fmt.Errorf("unexpected argument %q", fs.Arg(0))
	case *received == "":
		return errors.New("--received is required")
	case *n < 1:
		return fmt.Errorf("--working-days must be 1 or more, got %d", *n)
	}
	start, err := calendar.ParseDate(*received)
	if err != nil {
		return err
	}
	cal, err := calendar.DefaultWithDir(os.Getenv("INTAKE_CALENDAR_DIR"))
	if err != nil {
		return err
	}
	if *loose {
		cal = cal.WithCoverage(calendar.WeekendsOnly)
	}
	due, err := cal.AddWorkingDays(start, *n, *region)
	if err != nil {
		return err
	}
	for y := start.Year; y <= due.Year; y++ {
		if !cal.Covers(calendar.NewDate(y, 1, 1)) {
			fmt.Fprintf(stderr, "warning: no holiday data for %d, weekends only assumed; the date is provisional\n", y)
		}
	}
	fmt.Fprintln(stdout, due)
	return nil
}
