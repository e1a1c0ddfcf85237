package lifecycle

import (
	"sync"

	"github.com/open12315/intake/shared/cases"
	"github.com/open12315/intake/shared/classify"
)

// agencies are the agencies a person may refer a case to: the taxonomy's,
// the same list the classifier and the router answer from.
var agencies = sync.OnceValue(func() []cases.Agency {
	tx, err := classify.DefaultTaxonomy()
	if err != nil {
		panic("lifecycle: embedded taxonomy: " + err.Error()) // a build defect; classify's tests parse it
	}
	out := make([]cases.Agency, len(tx.Agencies))
	for i, a := range tx.Agencies {
		out[i] = cases.Agency{Code: a.Code, Name: a.Name, Contact: a.Contact}
	}
	return out
})

// agencyCodes lists the codes triage_refer accepts.
func agencyCodes() []string {
	var out []string
	for _, a := range agencies() {
		out = append(out, a.Code)
	}
	return out
}

func agencyByCode(code string) (cases.Agency, bool) {
	for _, a := range agencies() {
		if a.Code == code {
			return a, true
		}
	}
	return cases.Agency{}, false
}
