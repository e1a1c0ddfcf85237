package app

import (
	"fmt"

	"github.com/open12315/intake/shared/calendar"
	"github.com/open12315/intake/shared/deadline"
	"github.com/open12315/intake/shared/lifecycle"
)

// NewClocks builds the clocks every handler shares from
// INTAKE_CALENDAR_DIR, CALENDAR_BEYOND_COVERAGE, INTAKE_RULE_OVERRIDES and
// DUE_SOON_WORKING_DAYS.
//
// A clock that runs past the last year with holiday data (a 45-day
// mediation started in late November, before the State Council has
// published next year's notice) is computed with weekends only and marked
// provisional in its derivation, rather than failing the action: the
// default "weekends". "strict" refuses such clocks instead.
func NewClocks(env Env) (*lifecycle.RuleClocks, error) {
	cal, err := calendar.DefaultWithDir(env("INTAKE_CALENDAR_DIR"))
	if err != nil {
		return nil, fmt.Errorf("configuration: INTAKE_CALENDAR_DIR: %w", err)
	}
	switch v := env.str("CALENDAR_BEYOND_COVERAGE", "weekends"); v {
	case "weekends":
		cal = cal.WithCoverage(calendar.WeekendsOnly)
	case "strict":
	default:
		return nil, fmt.Errorf("configuration: CALENDAR_BEYOND_COVERAGE=%q: want weekends or strict", v)
	}
	rules := deadline.Rules()
	if s := env("INTAKE_RULE_OVERRIDES"); s != "" {
		ov, err := deadline.ParseOverrides(s)
		if err != nil {
			return nil, fmt.Errorf("configuration: INTAKE_RULE_OVERRIDES: %w", err)
		}
		if rules, err = rules.WithOverrides(ov); err != nil {
			return nil, fmt.Errorf("configuration: INTAKE_RULE_OVERRIDES: %w", err)
		}
	}
	soon, err := env.int("DUE_SOON_WORKING_DAYS", 2)
	if err != nil {
		return nil, err
	}
	return &lifecycle.RuleClocks{Calendar: cal, Rules: rules, DueSoon: soon}, nil
}
