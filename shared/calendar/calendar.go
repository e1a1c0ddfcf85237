// Package calendar is China's working-day (工作日) calendar, built from
// data files transcribed from the State Council's yearly holiday notices.
//
// A working day is Monday to Friday, minus the statutory holidays and rest
// days of the notice, plus its make-up working days (调休上班). Periods
// are counted as 民法典 Art. 201 counts them: the day an event happens is
// not counted, counting begins the next day, and the period ends at 24:00
// ([EndOfDay]) of its last day.
//
// # Data files
//
// Each year is one JSON file (data/cn-YYYY.json, embedded in the binary;
// the comments below are explanation, not part of the format):
//
//	{
//	  "year": 2025,                            // required
//	  "region": "632700",                      // optional: a regional overlay (see below)
//	  "title": "国务院办公厅关于2025年部分节假日安排的通知", // required
//	  "number": "国办发明电〔2024〕12号",          // optional
//	  "published": "2024-11-12",               // optional
//	  "source": "where the text was read",     // required
//	  "note": "free text",                     // optional
//	  "holidays": [{"name": "春节", "from": "2025-01-28", "to": "2025-02-04"}],
//	  "workdays": [{"name": "春节", "date": "2025-01-26"}]
//	}
//
// Holidays are inclusive date ranges of days off (weekend days inside a
// range are harmless); workdays are make-up working days. Files are
// checked strictly: unknown fields, dates outside the declared year,
// overlapping holidays, a day that is both a holiday and a workday, a
// national workday that is not a Saturday or Sunday, and two files for
// the same year (and region) are all errors wrapping [ErrInvalidData].
// A notice that moves a day across the new year (the 2012 notice made
// 2011-12-31 a working day) must put that day in the file of the year it
// falls in.
//
// Adding a year needs no code change: add its file to data/, or put it in
// a directory loaded with [DefaultWithDir], which also replaces embedded
// years.
//
// # Regional overlays
//
// A file with a "region" code adds days off (e.g. minority festivals set
// under 全国年节及纪念日放假办法 Art. 4) or extra working days for that
// region and every region below it. A county 632701 inherits the overlays
// of its prefecture 632700 and its province 630000; the most specific
// level that lists a day decides it. An overlay's workday on Monday–Friday
// is only allowed when it cancels a day off inherited from a wider level.
// No overlay data is embedded: none has been confirmed.
//
// # Coverage
//
// Days in a year with no national file are not covered. By default
// ([Strict]) every query that needs such a day fails with an error wrapping
// [ErrNotCovered]. [Calendar.WithCoverage]([WeekendsOnly]) instead treats
// uncovered days as Monday–Friday working days; a caller using it must
// check [Calendar.Covers] and flag the result as provisional.
package calendar

import (
	"errors"
	"fmt"
	"slices"
)

// ErrNotCovered is wrapped by errors for dates in a year with no holiday data.
var ErrNotCovered = errors.New("date not covered by holiday data")

// ErrInvalidRegion is wrapped by errors for a region code that is not 6 digits.
var ErrInvalidRegion = errors.New("invalid region code")

// Coverage is the policy for days beyond the years the data covers.
type Coverage int

const (
	// Strict fails with ErrNotCovered for any uncovered day.
	Strict Coverage = iota
	// WeekendsOnly counts uncovered Mondays–Fridays as working days and
	// Saturdays and Sundays as rest days, ignoring holidays nobody has
	// loaded yet. Results may be wrong by the holidays of those years.
	WeekendsOnly
)

// A Calendar answers working-day questions. It is immutable and safe for
// concurrent use.
type Calendar struct {
	national map[int]*layer
	regional map[string]map[int]*layer
	version  string
	coverage Coverage
}

// WithCoverage returns a calendar with the same data and policy p for
// days beyond the covered years.
func (c *Calendar) WithCoverage(p Coverage) *Calendar {
	cc := *c
	cc.coverage = p
	return &cc
}

// Version identifies the calendar data, e.g. "cn2024-2026@1f3a5b7c9d0e":
// the national years, any overlay regions after "+", and a hash of every
// day's classification. Record it with any date computed from the calendar.
func (c *Calendar) Version() string { return c.version }

// Years returns the years with national data, in order.
func (c *Calendar) Years() []int {
	ys := make([]int, 0, len(c.national))
	for y := range c.national {
		ys = append(ys, y)
	}
	slices.Sort(ys)
	return ys
}

// Covers reports whether the year of d has national holiday data.
func (c *Calendar) Covers(d Date) bool { return c.national[d.Year] != nil }

// Notice returns the national notice the data for year came from.
func (c *Calendar) Notice(year int) (Notice, bool) {
	l := c.national[year]
	if l == nil {
		return Notice{}, false
	}
	return l.notice, true
}

// IsWorkingDay reports whether d is a working day in region
// ("" for the national calendar only).
func (c *Calendar) IsWorkingDay(d Date, region string) (bool, error) {
	codes, err := parseRegion(region)
	if err != nil {
		return false, err
	}
	k, err := c.kind(d, codes)
	return k == workDay, err
}

// AddWorkingDays returns the due date of a period of n working days that
// starts on start: start itself is not counted, and the result is the
// n-th working day after it. AddWorkingDays(start, 0, region) is start.
func (c *Calendar) AddWorkingDays(start Date, n int, region string) (Date, error) {
	if n < 0 {
		return Date{}, fmt.Errorf("calendar: negative number of working days %d", n)
	}
	codes, err := parseRegion(region)
	if err != nil {
		return Date{}, err
	}
	d := start
	for left := n; left > 0; {
		d = d.next()
		k, err := c.kind(d, codes)
		if err != nil {
			return Date{}, fmt.Errorf("calendar: adding %d working days to %s: %w", n, start, err)
		}
		if k == workDay {
			left--
		}
	}
	return d, nil
}

// WorkingDaysBetween returns the number of working days after from up to
// and including to, so that WorkingDaysBetween(s, AddWorkingDays(s, n)) == n.
// It is negative if to is before from.
func (c *Calendar) WorkingDaysBetween(from, to Date, region string) (int, error) {
	sign := 1
	if to.Before(from) {
		from, to, sign = to, from, -1
	}
	codes, err := parseRegion(region)
	if err != nil {
		return 0, err
	}
	n := 0
	for d := from; d != to; {
		d = d.next()
		k, err := c.kind(d, codes)
		if err != nil {
			return 0, fmt.Errorf("calendar: counting working days %s..%s: %w", from, to, err)
		}
		if k == workDay {
			n++
		}
	}
	return sign * n, nil
}

// kind classifies d for the region chain codes (most specific first).
func (c *Calendar) kind(d Date, codes []string) (dayKind, error) {
	for _, code := range codes {
		if l := c.regional[code][d.Year]; l != nil {
			if k := l.days[d]; k != unknown {
				return k, nil
			}
		}
	}
	if l := c.national[d.Year]; l != nil {
		if k := l.days[d]; k != unknown {
			return k, nil
		}
	} else if c.coverage != WeekendsOnly {
		return unknown, fmt.Errorf("%s: %w (data covers %s)", d, ErrNotCovered, yearRanges(c.Years()))
	}
	if isWeekend(d) {
		return dayOff, nil
	}
	return workDay, nil
}

// next returns the day after d; cheaper than AddDays(1) on most days.
func (d Date) next() Date {
	if d.Day < 28 {
		d.Day++
		return d
	}
	return d.AddDays(1)
}

// parseRegion checks a region code and returns it with its ancestors,
// most specific first: 632701 → 632701, 632700, 630000.
func parseRegion(region string) ([]string, error) {
	if region == "" {
		return nil, nil
	}
	if !validRegion(region) {
		return nil, fmt.Errorf("calendar: %w %q: want 6 digits such as 632701", ErrInvalidRegion, region)
	}
	return regionChain(region), nil
}

func regionChain(region string) []string {
	codes := []string{region}
	if p := region[:4] + "00"; p != region {
		codes = append(codes, p)
	}
	if p := region[:2] + "0000"; p != codes[len(codes)-1] {
		codes = append(codes, p)
	}
	return codes
}

func validRegion(s string) bool {
	if len(s) != 6 || s[:2] == "00" {
		return false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}
