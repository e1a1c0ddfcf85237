package calendar

import (
	"errors"
	"fmt"
	"time"
)

// Location is China Standard Time (UTC+8), the zone of every date and
// deadline in this package. China has observed no daylight saving time
// since 1991, so a fixed zone is exact and needs no tzdata.
var Location = time.FixedZone("CST", 8*3600)

// A Date is a civil date (year, month, day) in China, without a time of day.
// The zero Date is not a valid date; see [Date.IsZero].
// Dates are comparable with == and usable as map keys.
type Date struct {
	Year  int
	Month time.Month
	Day   int
}

// NewDate returns the Date for year, month and day, normalising
// out-of-range values as [time.Date] does (e.g. 2025-01-32 is 2025-02-01).
func NewDate(year int, month time.Month, day int) Date {
	return DateOf(time.Date(year, month, day, 0, 0, 0, 0, Location))
}

// DateOf returns the civil date of t in China (Asia/Shanghai).
func DateOf(t time.Time) Date {
	y, m, d := t.In(Location).Date()
	return Date{y, m, d}
}

// ParseDate parses a date in the form YYYY-MM-DD and rejects
// non-existent dates such as 2025-02-29.
func ParseDate(s string) (Date, error) {
	t, err := time.ParseInLocation(time.DateOnly, s, Location)
	if err != nil {
		return Date{}, fmt.Errorf("calendar: invalid date %q: want an existing day as YYYY-MM-DD", s)
	}
	return DateOf(t), nil
}

// String returns the date as YYYY-MM-DD.
func (d Date) String() string {
	return fmt.Sprintf("%04d-%02d-%02d", d.Year, int(d.Month), d.Day)
}

// IsZero reports whether d is the zero Date.
func (d Date) IsZero() bool { return d == Date{} }

// Time returns 00:00 of d in China (the start of the day).
func (d Date) Time() time.Time {
	return time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, Location)
}

// AddDays returns the date n calendar days after d (before d if n < 0).
func (d Date) AddDays(n int) Date {
	return DateOf(time.Date(d.Year, d.Month, d.Day+n, 0, 0, 0, 0, Location))
}

// Weekday returns the day of the week of d.
func (d Date) Weekday() time.Weekday { return d.Time().Weekday() }

// Compare returns -1 if d is before e, 0 if they are equal and +1 if d is after e.
func (d Date) Compare(e Date) int {
	switch {
	case d.Year != e.Year:
		return cmpInt(d.Year, e.Year)
	case d.Month != e.Month:
		return cmpInt(int(d.Month), int(e.Month))
	default:
		return cmpInt(d.Day, e.Day)
	}
}

// Before reports whether d is before e.
func (d Date) Before(e Date) bool { return d.Compare(e) < 0 }

// After reports whether d is after e.
func (d Date) After(e Date) bool { return d.Compare(e) > 0 }

// MarshalText encodes d as YYYY-MM-DD. It implements [encoding.TextMarshaler],
// so a Date is a JSON string.
func (d Date) MarshalText() ([]byte, error) {
	if d.IsZero() {
		return nil, errors.New("calendar: cannot marshal the zero Date")
	}
	return []byte(d.String()), nil
}

// UnmarshalText decodes a YYYY-MM-DD date. It implements [encoding.TextUnmarshaler].
func (d *Date) UnmarshalText(b []byte) error {
	p, err := ParseDate(string(b))
	if err != nil {
		return err
	}
	*d = p
	return nil
}

// EndOfDay returns the deadline instant of day d: 24:00 China time, which is
// 00:00 +08:00 of the following day. Under 民法典 Art. 203 a period ends at
// 24:00 of its last day, so an act at any time before EndOfDay(d) is on time.
func EndOfDay(d Date) time.Time {
	return time.Date(d.Year, d.Month, d.Day+1, 0, 0, 0, 0, Location)
}

func cmpInt(a, b int) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}
