package local_test

import (
	"strings"
	"testing"

	"github.com/open12315/intake/infra/emulators"
	"github.com/open12315/intake/infra/local/localtest"
	"github.com/open12315/intake/shared/app"
	"github.com/open12315/intake/shared/auth"
)

// TestLogsCarryNoPersonalData runs cases through intake, routing, the
// staff API and its failures at the most verbose log level, then searches
// every log line for the personal data that went in.
func TestLogsCarryNoPersonalData(t *testing.T) {
	var logs emulators.LockedBuffer
	prev := app.LogOutput
	app.LogOutput = &logs
	t.Cleanup(func() { app.LogOutput = prev })

	s := localtest.Start(t, localtest.Options{Env: map[string]string{"LOG_LEVEL": "DEBUG"}})
	id := fileRouted(t, s, goodComplaint)
	fileRouted(t, s, goodReport)
	h := staffAs(t, s, "630102", auth.RoleHandler)
	var d detailView
	h.get("/v1/staff/cases/"+id, &d)
	h.act(id, "accept", d.Case.Version, nil)
	h.act(id, "reject", d.Case.Version, map[string]any{"ground": "99"}) // fails, is logged
	do(t, "POST", s.URL+"/v1/complaints", "application/json",
		strings.Replace(goodComplaint, "13800138000", "1380013800", 1)) // rejected phone

	out := logs.String()
	if !strings.Contains(out, `"case_id"`) || !strings.Contains(out, `"request_id"`) {
		t.Fatalf("no structured logs captured:\n%s", out)
	}
	for _, pii := range []string{"13800138000", "1380013800", "13912345678", "张三", "李四", "八一路", "东关大街", "昆仑路"} {
		if strings.Contains(out, pii) {
			t.Errorf("logs contain %q", pii)
		}
	}
}
