// Package flex decodes JSON values that providers send inconsistently as a
// string in one place and a number in another.
package flex

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"strconv"
)

// String is a JSON string, number or null decoded as a string. Integral
// numbers written in float or exponent form (1.2345e9) are rendered as
// integers; null decodes as "".
type String string

// UnmarshalJSON implements json.Unmarshaler.
func (s *String) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	switch {
	case bytes.Equal(b, []byte("null")):
		*s = ""
		return nil
	case len(b) > 0 && b[0] == '"':
		var v string
		if err := json.Unmarshal(b, &v); err != nil {
			return err
		}
		*s = String(v)
		return nil
	}
	var n json.Number
	if err := json.Unmarshal(b, &n); err != nil {
		return fmt.Errorf("flex: want string or number, got %.20s", b)
	}
	if _, err := n.Int64(); err == nil {
		*s = String(n)
		return nil
	}
	f, err := n.Float64()
	if err == nil && f == math.Trunc(f) && math.Abs(f) < 1<<53 {
		*s = String(strconv.FormatInt(int64(f), 10))
		return nil
	}
	*s = String(n)
	return nil
}
