package calendar

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
)

// ErrInvalidData is wrapped by every error that reports a malformed or
// inconsistent calendar data file.
var ErrInvalidData = errors.New("invalid calendar data")

//go:embed data/*.json
var embedded embed.FS

// A Notice describes the document a data file was transcribed from,
// normally the State Council General Office's yearly notice on holiday
// arrangements (国务院办公厅关于某年部分节假日安排的通知).
type Notice struct {
	Year      int    // calendar year the file covers
	Region    string // 6-digit division code for a regional overlay; "" for the national calendar
	Title     string // title of the notice
	Number    string // document number (文号), "" if unknown
	Published string // publication date, YYYY-MM-DD, "" if unknown
	Source    string // where the text was read
	Note      string // free-form remark
}

// Label returns the shortest unambiguous name of the notice: its
// document number if known, else its title.
func (n Notice) Label() string {
	if n.Number != "" {
		return n.Number
	}
	return n.Title
}

// dataFile is the JSON form of one data file. See the package documentation.
type dataFile struct {
	Year      int    `json:"year"`
	Region    string `json:"region"`
	Title     string `json:"title"`
	Number    string `json:"number"`
	Published string `json:"published"`
	Source    string `json:"source"`
	Note      string `json:"note"`
	Holidays  []struct {
		Name string `json:"name"`
		From Date   `json:"from"`
		To   Date   `json:"to"`
	} `json:"holidays"`
	Workdays []struct {
		Name string `json:"name"`
		Date Date   `json:"date"`
	} `json:"workdays"`
}

type dayKind uint8

const (
	unknown dayKind = iota // not listed: Monday–Friday works, Saturday and Sunday rest
	dayOff                 // holiday or rest day
	workDay                // make-up working day (调休上班) or regional extra working day
)

// layer is the content of one data file.
type layer struct {
	notice Notice
	days   map[Date]dayKind
}

type layerKey struct {
	region string
	year   int
}

var defaultCal = sync.OnceValues(func() (*Calendar, error) {
	sub, err := fs.Sub(embedded, "data")
	if err != nil {
		return nil, err
	}
	return Load(sub)
})

// Default returns the calendar built from the data files embedded in the
// binary (national notices only, no regional overlays). It is parsed once.
// Default panics if the embedded data is invalid, which the package tests rule out.
func Default() *Calendar {
	c, err := defaultCal()
	if err != nil {
		panic(err)
	}
	return c
}

// DefaultWithDir returns the embedded calendar with the data files of
// directory dir layered on top: a file in dir adds a year or a regional
// overlay, or replaces the embedded file for the same year and region.
// An empty dir returns [Default]. It is meant for a deployment setting
// such as the INTAKE_CALENDAR_DIR environment variable, so that next
// year's notice can be installed without a new build.
func DefaultWithDir(dir string) (*Calendar, error) {
	if dir == "" {
		return Default(), nil
	}
	if st, err := os.Stat(dir); err != nil {
		return nil, fmt.Errorf("calendar: data directory: %w", err)
	} else if !st.IsDir() {
		return nil, fmt.Errorf("calendar: data directory %s is not a directory", dir)
	}
	sub, err := fs.Sub(embedded, "data")
	if err != nil {
		return nil, err
	}
	return Load(sub, os.DirFS(dir))
}

// Load builds a calendar from the *.json files at the root of fsys and
// then of each of more, in order. Within one file system every
// (region, year) may appear once; a later file system replaces the files
// of an earlier one for the same (region, year), which is how a deployment
// overrides or extends the embedded data. Each file system must hold at
// least one *.json file and the result must contain at least one national year.
func Load(fsys fs.FS, more ...fs.FS) (*Calendar, error) {
	merged := map[layerKey]*layer{}
	for i, src := range append([]fs.FS{fsys}, more...) {
		layers, err := readSource(src)
		if err != nil {
			return nil, fmt.Errorf("calendar: source %d: %w", i+1, err)
		}
		for k, l := range layers {
			merged[k] = l
		}
	}
	return build(merged)
}

// readSource parses and checks every *.json file at the root of fsys.
func readSource(fsys fs.FS) (map[layerKey]*layer, error) {
	entries, err := fs.ReadDir(fsys, ".")
	if err != nil {
		return nil, fmt.Errorf("reading data files: %w", err)
	}
	out := map[layerKey]*layer{}
	from := map[layerKey]string{}
	for _, e := range entries {
		if e.IsDir() || path.Ext(e.Name()) != ".json" {
			continue
		}
		b, err := fs.ReadFile(fsys, e.Name())
		if err != nil {
			return nil, fmt.Errorf("reading data files: %w", err)
		}
		l, err := parseFile(b)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", e.Name(), err)
		}
		k := layerKey{l.notice.Region, l.notice.Year}
		if prev, dup := from[k]; dup {
			return nil, fmt.Errorf("%s: %w: %s already covers %s", e.Name(), ErrInvalidData, prev, k)
		}
		from[k] = e.Name()
		out[k] = l
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("%w: no *.json data files", ErrInvalidData)
	}
	return out, nil
}

func (k layerKey) String() string {
	if k.region == "" {
		return "national year " + strconv.Itoa(k.year)
	}
	return fmt.Sprintf("region %s year %d", k.region, k.year)
}

// parseFile decodes one data file and checks it on its own.
func parseFile(b []byte) (*layer, error) {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	var f dataFile
	if err := dec.Decode(&f); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrInvalidData, err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, fmt.Errorf("%w: unexpected data after the JSON object", ErrInvalidData)
	}
	bad := func(format string, a ...any) (*layer, error) {
		return nil, fmt.Errorf("%w: "+format, append([]any{ErrInvalidData}, a...)...)
	}
	if f.Year < 1950 || f.Year > 2200 {
		return bad("year %d missing or out of range", f.Year)
	}
	if f.Region != "" && !validRegion(f.Region) {
		return bad("region %q is not a 6-digit division code", f.Region)
	}
	if f.Title == "" || f.Source == "" {
		return bad("title and source are required")
	}
	if f.Published != "" {
		if _, err := ParseDate(f.Published); err != nil {
			return bad("published: %v", err)
		}
	}
	if len(f.Holidays) == 0 && len(f.Workdays) == 0 {
		return bad("no holidays and no workdays")
	}
	days := map[Date]dayKind{}
	for _, h := range f.Holidays {
		if h.From.IsZero() || h.To.IsZero() {
			return bad("holiday %q: from and to are required", h.Name)
		}
		if h.From.Year != f.Year || h.To.Year != f.Year {
			return bad("holiday %q %s..%s is outside year %d", h.Name, h.From, h.To, f.Year)
		}
		if h.To.Before(h.From) {
			return bad("holiday %q ends (%s) before it starts (%s)", h.Name, h.To, h.From)
		}
		for d := h.From; !d.After(h.To); d = d.AddDays(1) {
			if days[d] != unknown {
				return bad("holiday day %s listed twice", d)
			}
			days[d] = dayOff
		}
	}
	for _, w := range f.Workdays {
		d := w.Date
		switch {
		case d.IsZero():
			return bad("workday %q: date is required", w.Name)
		case d.Year != f.Year:
			return bad("workday %s is outside year %d", d, f.Year)
		case days[d] == dayOff:
			return bad("%s is listed both as a holiday and as a workday", d)
		case days[d] == workDay:
			return bad("workday %s listed twice", d)
		case f.Region == "" && !isWeekend(d):
			// A national make-up day (调休上班) is by definition a weekend day.
			return bad("make-up workday %s is a %s, not a Saturday or Sunday", d, d.Weekday())
		}
		days[d] = workDay
	}
	return &layer{
		notice: Notice{
			Year: f.Year, Region: f.Region, Title: f.Title, Number: f.Number,
			Published: f.Published, Source: f.Source, Note: f.Note,
		},
		days: days,
	}, nil
}

// build checks the merged layers against each other and indexes them.
func build(layers map[layerKey]*layer) (*Calendar, error) {
	c := &Calendar{national: map[int]*layer{}, regional: map[string]map[int]*layer{}}
	for k, l := range layers {
		if k.region == "" {
			c.national[k.year] = l
			continue
		}
		if c.regional[k.region] == nil {
			c.regional[k.region] = map[int]*layer{}
		}
		c.regional[k.region][k.year] = l
	}
	if len(c.national) == 0 {
		return nil, fmt.Errorf("calendar: %w: no national calendar year", ErrInvalidData)
	}
	keys := sortedKeys(layers)
	for _, k := range keys {
		if k.region == "" {
			continue
		}
		if c.national[k.year] == nil {
			return nil, fmt.Errorf("calendar: %w: %s overlays a year with no national calendar", ErrInvalidData, k)
		}
		// An extra working day on a Monday–Friday only makes sense if it
		// cancels a day off inherited from a wider region or the nation.
		parents := regionChain(k.region)[1:]
		for d, kind := range layers[k].days {
			if kind != workDay || isWeekend(d) {
				continue
			}
			if pk, _ := c.kind(d, parents); pk != dayOff {
				return nil, fmt.Errorf("calendar: %w: %s: extra workday %s is already a working day", ErrInvalidData, k, d)
			}
		}
	}
	c.version = version(keys, layers)
	return c, nil
}

func sortedKeys(layers map[layerKey]*layer) []layerKey {
	keys := make([]layerKey, 0, len(layers))
	for k := range layers {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b layerKey) int {
		if c := strings.Compare(a.region, b.region); c != 0 {
			return c
		}
		return cmpInt(a.year, b.year)
	})
	return keys
}

// version names the data by its years, its overlay regions and a hash of
// the day classifications (not of the file bytes, so reformatting a file or
// editing its notes does not change it).
func version(keys []layerKey, layers map[layerKey]*layer) string {
	h := sha256.New()
	var years []int
	var regions []string
	for _, k := range keys {
		if k.region == "" {
			years = append(years, k.year)
		} else if !slices.Contains(regions, k.region) {
			regions = append(regions, k.region)
		}
		days := make([]Date, 0, len(layers[k].days))
		for d := range layers[k].days {
			days = append(days, d)
		}
		slices.SortFunc(days, Date.Compare)
		for _, d := range days {
			fmt.Fprintf(h, "%s|%s|%d\n", k.region, d, layers[k].days[d])
		}
	}
	v := "cn" + yearRanges(years)
	if len(regions) > 0 {
		v += "+" + strings.Join(regions, ",")
	}
	return v + "@" + hex.EncodeToString(h.Sum(nil))[:12]
}

// yearRanges formats sorted years compactly: 2024-2026,2028.
func yearRanges(years []int) string {
	var parts []string
	for i := 0; i < len(years); {
		j := i
		for j+1 < len(years) && years[j+1] == years[j]+1 {
			j++
		}
		if i == j {
			parts = append(parts, strconv.Itoa(years[i]))
		} else {
			parts = append(parts, fmt.Sprintf("%d-%d", years[i], years[j]))
		}
		i = j + 1
	}
	return strings.Join(parts, ",")
}

func isWeekend(d Date) bool {
	wd := d.Weekday()
	return wd == time.Saturday || wd == time.Sunday
}
