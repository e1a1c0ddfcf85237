// Package stats computes the figures of a 12315 yearly report from cases:
// cases by type, acceptance rate, on-time initial-check rate for
// complaints, on-time verification rate for reports, completion rate,
// money recovered for consumers, ODR settlements, 12345 transfers and
// seven-day no-reason returns.
//
// There is no official formula document (domain research §2.2); the
// definitions used are written next to each figure, so that a reader of
// the report knows exactly what was counted. Rates are nil when their
// denominator is zero.
package stats

import (
	"github.com/open12315/intake/shared/cases"
	"github.com/open12315/intake/shared/deadline"
)

// Report holds the figures for a set of cases (usually those received in
// one year in one jurisdiction).
type Report struct {
	// Received counts cases by type: complaint, report, inquiry, and
	// "unclassified" for cases still waiting for a type.
	Received map[string]int `json:"received"`
	Total    int            `json:"total"`

	// AcceptanceRate (受理率): complaints accepted ÷ complaints with an
	// acceptance decision, leaving out refusals on ground 15-1 (outside
	// market-regulation duties or this office's authority), as local
	// reports count it "within duties".
	Accepted           int      `json:"accepted"`
	AcceptanceDecided  int      `json:"acceptance_decided"`
	AcceptanceRate     *float64 `json:"acceptance_rate"`
	RefusedOutOfDuties int      `json:"refused_out_of_duties"`

	// OnTimeInitialCheckRate (按时初查率): complaints' acceptance clocks
	// stopped on time ÷ acceptance clocks stopped (a cancelled clock, such
	// as one replaced by the ODR route, is not counted).
	InitialChecksOnTime    int      `json:"initial_checks_on_time"`
	InitialChecks          int      `json:"initial_checks"`
	OnTimeInitialCheckRate *float64 `json:"on_time_initial_check_rate"`

	// OnTimeVerificationRate (举报按时核查率): reports' verification
	// clocks stopped on time (extension included) ÷ verification clocks
	// stopped.
	VerificationsOnTime    int      `json:"verifications_on_time"`
	Verifications          int      `json:"verifications"`
	OnTimeVerificationRate *float64 `json:"on_time_verification_rate"`

	// CompletionRate (办结率): cases in a final state ÷ cases received.
	Completed      int      `json:"completed"`
	CompletionRate *float64 `json:"completion_rate"`

	// RecoveredFen (挽回经济损失): money recovered for consumers, in fen,
	// over closed complaints and ODR settlements.
	RecoveredFen  int64  `json:"recovered_fen"`
	RecoveredYuan string `json:"recovered_yuan"`

	// ODRSettlements: complaints an ODR enterprise settled; ODRCases:
	// complaints that went to one.
	ODRCases       int `json:"odr_cases"`
	ODRSettlements int `json:"odr_settlements"`

	// HotlineTransfers: cases transferred from the 12345 hotline.
	HotlineTransfers int `json:"hotline_transfers"`

	// SevenDayReturns: closed complaints in which a seven-day no-reason
	// return was granted.
	SevenDayReturns int `json:"seven_day_returns"`

	// Referred: cases answered with the agency that handles them.
	Referred int `json:"referred"`
}

// final reports whether a case has reached an end of its path.
func final(s cases.State) bool {
	switch s {
	case cases.StateClosed, cases.StateNotAccepted, cases.StateWithdrawn, cases.StateCaseFiled,
		cases.StateNotFiled, cases.StateAnswered, cases.StateODRSettled, cases.StateReferred:
		return true
	}
	return false
}

// Compute builds the report of cs.
func Compute(cs []*cases.Case) Report {
	r := Report{Received: map[string]int{}}
	for _, c := range cs {
		r.Total++
		kind := string(c.EffectiveKind())
		if kind == "" {
			kind = "unclassified"
		}
		r.Received[kind]++
		if c.Channel == cases.ChannelHotline {
			r.HotlineTransfers++
		}
		if c.State == cases.StateReferred {
			r.Referred++
		}
		if final(c.State) {
			r.Completed++
		}
		if c.Routing != nil && c.Routing.ODR != nil {
			r.ODRCases++
		}
		if o := c.Outcome; o != nil {
			switch {
			case o.AcceptedAt != nil:
				r.Accepted++
				r.AcceptanceDecided++
			case o.RefusalGround == "15-1":
				r.RefusedOutOfDuties++
			case o.RefusalGround != "":
				r.AcceptanceDecided++
			}
			if o.ODRResult == cases.ODRSettled {
				r.ODRSettlements++
			}
			if o.ClosedAt != nil || o.ODRResult == cases.ODRSettled {
				r.RecoveredFen += o.RecoveredFen
			}
			if o.ClosedAt != nil && o.SevenDayReturn {
				r.SevenDayReturns++
			}
		}
		for _, k := range c.Clocks {
			if k.StoppedAt == nil || k.Met == nil { // running, or cancelled
				continue
			}
			switch k.Kind {
			case deadline.Acceptance:
				r.InitialChecks++
				if *k.Met {
					r.InitialChecksOnTime++
				}
			case deadline.Verification:
				r.Verifications++
				if *k.Met {
					r.VerificationsOnTime++
				}
			}
		}
	}
	r.AcceptanceRate = rate(r.Accepted, r.AcceptanceDecided)
	r.OnTimeInitialCheckRate = rate(r.InitialChecksOnTime, r.InitialChecks)
	r.OnTimeVerificationRate = rate(r.VerificationsOnTime, r.Verifications)
	r.CompletionRate = rate(r.Completed, r.Total)
	r.RecoveredYuan = cases.FormatYuan(r.RecoveredFen)
	return r
}

func rate(n, d int) *float64 {
	if d == 0 {
		return nil
	}
	v := float64(n) / float64(d)
	return &v
}
