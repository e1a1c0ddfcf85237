// Package deadline computes the statutory and operational time limits of
// complaint and report handling: versioned rule sets, and clocks that can
// be paused, extended and stopped.
//
// # Rule sets
//
// The limits live in rules.json, one rule set per regulation, each with
// the date it took effect. The rule set of a case is chosen by the date
// the case was received ([RuleBook.For]), even for clocks that start
// later: a complaint received on 2026-04-14 is mediated under Order 20.
//
//   - order20: 市场监督管理投诉举报处理暂行办法 (总局令第20号), cases received
//     before 2026-04-15.
//   - order121: 市场监督管理投诉举报处理办法 (总局令第121号), cases received
//     from 2026-04-15. Its limits are UNCONFIRMED: rules.json gives it
//     "defaults_from": "order20", so every limit it does not list is Order
//     20's value with Confirmed false. Correct a value in rules.json, or at
//     run time with [RuleBook.WithOverrides] and [ParseOverrides]
//     (e.g. "order121.mediation=30").
//
// # Clocks
//
// A [Clock] is started by [Start] and records everything needed to explain
// its due date: rule set, calendar version, pauses, extensions and a
// human-readable derivation. Working-day clocks count as 民法典 Art. 201
// counts: the start day is not counted, and the clock is due at 24:00
// China time of its last working day. The routing clock counts minutes.
//
// Pause semantics: a pause from day P to day R moves the due date later by
// the working days after P up to and including R
// (calendar.WorkingDaysBetween(P, R)). The pause day itself is counted
// (the clock ran that day) and the resume day is not (like a start day,
// counting resumes the next day); pausing and resuming on the same day
// moves nothing. Only pausable clocks (mediation, verification) can be
// paused, and not after they are overdue. A clock stopped while paused is
// met: it was paused before its due time and never ran late.
package deadline

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/open12315/intake/shared/calendar"
)

// A Kind names a clock.
type Kind string

// The clock kinds. Unless noted, limits are in working days.
const (
	Acceptance          Kind = "acceptance"           // complaint 受理 / 不予受理 decision
	Mediation           Kind = "mediation"            // mediation cap from 受理; pausable for tests and appraisals
	MediationEndNotice  Kind = "mediation_end_notice" // notify the parties that mediation ended
	ViolationCheck      Kind = "violation_check"      // check a violation lead found during mediation; extendable
	Verification        Kind = "verification"         // report 核查 and 立案 decision; pausable and extendable
	ReporterNotice      Kind = "reporter_notice"      // notify a real-name reporter of the 立案 decision
	JurisdictionDispute Kind = "jurisdiction_dispute" // negotiate a jurisdiction dispute between departments
	ODR                 Kind = "odr"                  // ODR enterprise negotiates with the consumer
	Hotline12345        Kind = "hotline_12345"        // 12345 work order; the transferring agency may set the due date
	Routing             Kind = "routing"              // operational, in minutes: re-queue a case stuck in its first state
)

// Kinds lists every clock kind; each rule set defines a limit for each.
var Kinds = []Kind{Acceptance, Mediation, MediationEndNotice, ViolationCheck, Verification,
	ReporterNotice, JurisdictionDispute, ODR, Hotline12345, Routing}

// Errors about rules.
var (
	ErrInvalidRules    = errors.New("invalid rule data")
	ErrInvalidOverride = errors.New("invalid rule override")
	ErrNoRuleSet       = errors.New("no rule set in force")
	ErrUnknownKind     = errors.New("unknown clock kind")
)

// A Limit is the time limit of one clock kind in one rule set.
// Exactly one of WorkingDays and Minutes is positive.
type Limit struct {
	WorkingDays   int    `json:"working_days,omitempty"`
	Minutes       int    `json:"minutes,omitempty"`
	ExtensionDays int    `json:"extension_days,omitempty"` // > 0: may be extended once by up to this many working days
	Pausable      bool   `json:"pausable,omitempty"`       // may be paused (tests, appraisals)
	ExternalDue   bool   `json:"external_due,omitempty"`   // another agency may fix the due date (StartWithDueDate)
	Basis         string `json:"basis"`                    // legal or operational basis
	Confirmed     bool   `json:"confirmed"`                // checked against the official text
	Note          string `json:"note,omitempty"`           // why it is unconfirmed, defaulted or overridden
	Overridden    bool   `json:"overridden,omitempty"`     // set by WithOverrides
}

// A RuleSet is the set of limits of one regulation. Treat it as read-only.
type RuleSet struct {
	ID            string         `json:"id"`
	Title         string         `json:"title"`
	EffectiveFrom calendar.Date  `json:"effective_from"` // receipt dates from this day on use this set
	Confirmed     bool           `json:"confirmed"`
	Note          string         `json:"note,omitempty"`
	DefaultsFrom  string         `json:"defaults_from,omitempty"` // earlier set whose limits fill the gaps
	Limits        map[Kind]Limit `json:"limits"`
}

// Limit returns the limit for kind.
func (rs *RuleSet) Limit(kind Kind) (Limit, error) {
	l, ok := rs.Limits[kind]
	if !ok {
		return Limit{}, fmt.Errorf("deadline: rule set %s: %w %q", rs.ID, ErrUnknownKind, kind)
	}
	return l, nil
}

// A RuleBook holds the rule sets in order of their effective dates.
// It is immutable and safe for concurrent use.
type RuleBook struct {
	sets []*RuleSet
}

//go:embed rules.json
var rulesJSON []byte

var defaultBook = sync.OnceValues(func() (*RuleBook, error) { return ParseRules(rulesJSON) })

// Rules returns the rule book embedded in the binary. It panics if the
// embedded data is invalid, which the package tests rule out.
func Rules() *RuleBook {
	b, err := defaultBook()
	if err != nil {
		panic(err)
	}
	return b
}

// ParseRules parses and checks a rule book in the format of rules.json.
func ParseRules(data []byte) (*RuleBook, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var sets []*RuleSet
	if err := dec.Decode(&sets); err != nil {
		return nil, fmt.Errorf("deadline: %w: %v", ErrInvalidRules, err)
	}
	bad := func(format string, a ...any) (*RuleBook, error) {
		return nil, fmt.Errorf("deadline: %w: "+format, append([]any{ErrInvalidRules}, a...)...)
	}
	if len(sets) == 0 {
		return bad("no rule sets")
	}
	byID := map[string]*RuleSet{}
	for i, rs := range sets {
		switch {
		case rs == nil || rs.ID == "" || rs.Title == "" || rs.EffectiveFrom.IsZero():
			return bad("rule set %d: id, title and effective_from are required", i+1)
		case byID[rs.ID] != nil:
			return bad("rule set %s defined twice", rs.ID)
		case i > 0 && !rs.EffectiveFrom.After(sets[i-1].EffectiveFrom):
			return bad("rule set %s: effective_from %s is not after %s's", rs.ID, rs.EffectiveFrom, sets[i-1].ID)
		}
		if rs.Limits == nil {
			rs.Limits = map[Kind]Limit{}
		}
		for k, l := range rs.Limits {
			if err := checkLimit(k, l); err != nil {
				return bad("rule set %s: %v", rs.ID, err)
			}
		}
		if rs.DefaultsFrom != "" {
			base := byID[rs.DefaultsFrom]
			if base == nil {
				return bad("rule set %s: defaults_from %q is not an earlier rule set", rs.ID, rs.DefaultsFrom)
			}
			for k, l := range base.Limits {
				if _, ok := rs.Limits[k]; ok {
					continue
				}
				l.Confirmed = false
				l.Note = fmt.Sprintf("%s value, not confirmed for %s", base.ID, rs.ID)
				rs.Limits[k] = l
			}
		}
		for _, k := range Kinds {
			if _, ok := rs.Limits[k]; !ok {
				return bad("rule set %s: no limit for %s", rs.ID, k)
			}
		}
		byID[rs.ID] = rs
	}
	return &RuleBook{sets: sets}, nil
}

func checkLimit(k Kind, l Limit) error {
	switch {
	case !slices.Contains(Kinds, k):
		return fmt.Errorf("%w %q", ErrUnknownKind, k)
	case (l.WorkingDays > 0) == (l.Minutes > 0) || l.WorkingDays < 0 || l.Minutes < 0:
		return fmt.Errorf("%s: exactly one of working_days and minutes must be positive", k)
	case l.ExtensionDays < 0:
		return fmt.Errorf("%s: negative extension_days", k)
	case l.Minutes > 0 && (l.ExtensionDays > 0 || l.Pausable || l.ExternalDue):
		return fmt.Errorf("%s: a clock in minutes cannot be extended, paused or externally due", k)
	case l.Basis == "":
		return fmt.Errorf("%s: basis is required", k)
	}
	return nil
}

// For returns the rule set for a case received at received: the last set
// whose effective date is on or before the receipt date in China.
func (b *RuleBook) For(received time.Time) (*RuleSet, error) {
	d := calendar.DateOf(received)
	for i := len(b.sets) - 1; i >= 0; i-- {
		if !b.sets[i].EffectiveFrom.After(d) {
			return b.sets[i], nil
		}
	}
	return nil, fmt.Errorf("deadline: received %s: %w (earliest is %s from %s)", d, ErrNoRuleSet, b.sets[0].ID, b.sets[0].EffectiveFrom)
}

// Set returns the rule set with the given id.
func (b *RuleBook) Set(id string) (*RuleSet, bool) {
	for _, rs := range b.sets {
		if rs.ID == id {
			return rs, true
		}
	}
	return nil, false
}

// WithOverrides returns a copy of b with limits changed by overrides,
// whose keys are "<rule set>.<kind>" (the limit in its own unit, working
// days or minutes) or "<rule set>.<kind>.<field>" with field one of
// working_days, minutes, extension_days (integers) or pausable (a bool).
// Changed limits are marked Overridden. The receiver is not modified.
func (b *RuleBook) WithOverrides(overrides map[string]string) (*RuleBook, error) {
	nb := &RuleBook{sets: make([]*RuleSet, len(b.sets))}
	for i, rs := range b.sets {
		cp := *rs
		cp.Limits = make(map[Kind]Limit, len(rs.Limits))
		for k, l := range rs.Limits {
			cp.Limits[k] = l
		}
		nb.sets[i] = &cp
	}
	keys := make([]string, 0, len(overrides))
	for k := range overrides {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, key := range keys {
		if err := nb.override(key, overrides[key]); err != nil {
			return nil, fmt.Errorf("deadline: %w %s=%s: %v", ErrInvalidOverride, key, overrides[key], err)
		}
	}
	return nb, nil
}

func (b *RuleBook) override(key, value string) error {
	parts := strings.Split(key, ".")
	if len(parts) < 2 || len(parts) > 3 {
		return errors.New("key must be <rule set>.<kind>[.<field>]")
	}
	rs, ok := b.Set(parts[0])
	if !ok {
		return fmt.Errorf("no rule set %q", parts[0])
	}
	kind := Kind(parts[1])
	l, err := rs.Limit(kind)
	if err != nil {
		return err
	}
	field := "working_days"
	if l.Minutes > 0 {
		field = "minutes"
	}
	if len(parts) == 3 {
		field = parts[2]
	}
	if field == "pausable" {
		v, err := strconv.ParseBool(value)
		if err != nil {
			return errors.New("pausable must be true or false")
		}
		l.Pausable = v
	} else {
		n, err := strconv.Atoi(value)
		if err != nil || n < 0 {
			return errors.New("value must be a non-negative integer")
		}
		switch field {
		case "working_days":
			l.WorkingDays = n
		case "minutes":
			l.Minutes = n
		case "extension_days":
			l.ExtensionDays = n
		default:
			return fmt.Errorf("unknown field %q", field)
		}
	}
	if err := checkLimit(kind, l); err != nil {
		return err
	}
	l.Overridden = true
	l.Note = strings.TrimPrefix(l.Note+"; overridden by configuration", "; ")
	rs.Limits[kind] = l
	return nil
}

// ParseOverrides parses overrides written as key=value pairs separated by
// commas, semicolons or white space, such as the value of an environment
// variable: "order121.mediation=30, order121.verification.extension_days=15".
func ParseOverrides(s string) (map[string]string, error) {
	out := map[string]string{}
	fields := strings.FieldsFunc(s, func(r rune) bool {
		return r == ',' || r == ';' || r == ' ' || r == '\t' || r == '\n'
	})
	for _, f := range fields {
		k, v, ok := strings.Cut(f, "=")
		if !ok || k == "" || v == "" {
			return nil, fmt.Errorf("deadline: %w %q: want key=value", ErrInvalidOverride, f)
		}
		if _, dup := out[k]; dup {
			return nil, fmt.Errorf("deadline: %w: %s given twice", ErrInvalidOverride, k)
		}
		out[k] = v
	}
	return out, nil
}
