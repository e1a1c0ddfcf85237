package flex

import (
	"encoding/json"
	"testing"
)

func TestString(t *testing.T) {
	tests := []struct {
		in   string
		want string
		err  bool
	}{
		{`"1234567890"`, "1234567890", false},
		{`1234567890`, "1234567890", false},
		{`1.23456789E9`, "1234567890", false},
		{`86`, "86", false},
		{`1.5`, "1.5", false},
		{`null`, "", false},
		{`true`, "", true},
		{`{}`, "", true},
	}
	for _, tt := range tests {
		var s String
		err := json.Unmarshal([]byte(tt.in), &s)
		if (err != nil) != tt.err || string(s) != tt.want {
			t.Errorf("Unmarshal(%s) = %q, %v; want %q, err %v", tt.in, s, err, tt.want, tt.err)
		}
	}
}
