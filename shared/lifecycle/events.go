package lifecycle

import (
	"strconv"

	"github.com/open12315/intake/shared/cases"
)

// Event types Apply and Detail produce besides the action names (the main
// event of an action has the action's name as its type).
const (
	EventClockStarted   = "clock_started"
	EventClockStopped   = "clock_stopped"
	EventClockCancelled = "clock_cancelled"
	EventClockPaused    = "clock_paused"
	EventClockResumed   = "clock_resumed"
	EventClockExtended  = "clock_extended"
	// EventClassificationCorrected records a person's routing (triage_route)
	// or referral (triage_refer) of a triage case, or an agency named when a
	// bureau ends a case as another agency's (reject, not_file, answer),
	// next to the classifier's suggestion.
	EventClassificationCorrected = "classification_corrected"
	// EventPIIViewed records that a staff member saw a case's personal
	// data unmasked.
	EventPIIViewed = "pii_viewed"
)

// Correction is one training example: what the classifier suggested and
// what a person decided. Facts are not included; join on CaseID.
type Correction struct {
	CaseID             string  `json:"case_id"`
	PreviousType       string  `json:"previous_type"`
	PreviousLine       string  `json:"previous_line"`
	PreviousUnit       string  `json:"previous_unit"`
	PreviousConfidence float64 `json:"previous_confidence"`
	PreviousModel      string  `json:"previous_model"`
	Type               string  `json:"type"`
	Line               string  `json:"line"`
	Unit               string  `json:"unit,omitempty"`
	Agency             string  `json:"agency,omitempty"` // for a referral
	CorrectedBy        string  `json:"corrected_by"`
}

// CorrectionOf returns the training example recorded by a
// classification_corrected event.
func CorrectionOf(e cases.Event) (Correction, bool) {
	if e.Type != EventClassificationCorrected {
		return Correction{}, false
	}
	d := e.Data
	conf, _ := strconv.ParseFloat(d["previous_confidence"], 64)
	return Correction{
		CaseID: e.CaseID, PreviousType: d["previous_type"], PreviousLine: d["previous_line"],
		PreviousUnit: d["previous_unit"], PreviousConfidence: conf, PreviousModel: d["previous_model"],
		Type: d["new_type"], Line: d["new_line"], Unit: d["new_unit"], Agency: d["new_agency"], CorrectedBy: d["corrected_by"],
	}, true
}

// Replay returns the state a case reaches by its events, starting from
// received: the To of the last event that has one. It lets an auditor (or
// a test) check that a case's state is consistent with its history.
func Replay(events []cases.Event) cases.State {
	st := cases.StateReceived
	for _, e := range events {
		if e.To != "" {
			st = e.To
		}
	}
	return st
}
