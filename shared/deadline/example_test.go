package deadline_test

import (
	"fmt"
	"time"

	"github.com/open12315/intake/shared/calendar"
	"github.com/open12315/intake/shared/deadline"
)

func Example() {
	cal := calendar.Default()
	received := time.Date(2025, 4, 25, 9, 30, 0, 0, calendar.Location)
	rules, err := deadline.Rules().For(received)
	if err != nil {
		panic(err)
	}
	c, err := deadline.Start(deadline.Mediation, received, "632701", rules, cal)
	if err != nil {
		panic(err)
	}
	// Goods sent for testing from Tuesday 2025-05-06 to Friday 2025-05-09.
	if err := c.Pause(time.Date(2025, 5, 6, 10, 0, 0, 0, calendar.Location), "检测"); err != nil {
		panic(err)
	}
	if err := c.Resume(time.Date(2025, 5, 9, 16, 0, 0, 0, calendar.Location), cal); err != nil {
		panic(err)
	}
	fmt.Println(c.DueDate)
	for _, step := range c.Derivation[1:] {
		fmt.Println(step)
	}
	// Output:
	// 2025-07-07
	// accepted (受理) 2025-04-25 09:30 (Fri); that day is not counted; +45 working days under 国办发明电〔2024〕12号 calendar for region 632701 → due 2025-07-02 (Wed), by 24:00
	// paused 2025-05-06 10:00 (Tue) for 检测
	// resumed 2025-05-09 16:00 (Fri): paused 2025-05-06..2025-05-09 for 检测 (+3 working days) → due 2025-07-07 (Mon), by 24:00
}
