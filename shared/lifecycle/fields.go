package lifecycle

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/open12315/intake/shared/cases"
	"github.com/open12315/intake/shared/region"
)

// FieldType is the type of one action field.
type FieldType string

// The field types an action may take.
const (
	// FieldText is a non-empty string of at most Field.Max runes.
	FieldText FieldType = "text"
	// FieldEnum is a string from Field.Enum.
	FieldEnum FieldType = "enum"
	// FieldBool is a JSON true or false.
	FieldBool FieldType = "bool"
	// FieldYuan is a non-negative amount of yuan with at most two
	// decimals, as a JSON number or string; it is stored in fen.
	FieldYuan FieldType = "yuan"
	// FieldUnit is a known 6-digit division code of a handling unit.
	FieldUnit FieldType = "unit"
	// FieldInt is a JSON integer between Field.Min and Field.Max.
	FieldInt FieldType = "int"
)

// Field describes one field an action takes.
type Field struct {
	Name     string    `json:"name"`
	Type     FieldType `json:"type"`
	Required bool      `json:"required,omitempty"`
	Enum     []string  `json:"enum,omitempty"`
	Min      int       `json:"min,omitempty"`
	Max      int       `json:"max,omitempty"` // runes for text, value for int
}

// MaxTextRunes bounds free-text fields when Field.Max is zero, and the
// action note.
const MaxTextRunes = 2000

// Values are the parsed fields of an action: string for text, enum and
// unit; bool; int64 fen for yuan; int for int.
type Values map[string]any

// Str returns a string field, "" when absent.
func (v Values) Str(name string) string { s, _ := v[name].(string); return s }

// Bool returns a bool field and whether it was given.
func (v Values) Bool(name string) (bool, bool) { b, ok := v[name].(bool); return b, ok }

// Fen returns a yuan field in fen and whether it was given.
func (v Values) Fen(name string) (int64, bool) { f, ok := v[name].(int64); return f, ok }

// Int returns an int field and whether it was given.
func (v Values) Int(name string) (int, bool) { i, ok := v[name].(int); return i, ok }

// parseFields checks raw against specs and returns the values, or every
// problem found. Unknown fields are errors: a misspelt field must not be
// silently ignored.
func parseFields(specs []Field, raw map[string]json.RawMessage) (Values, []cases.FieldError) {
	var errs []cases.FieldError
	add := func(field, code, format string, a ...any) {
		errs = append(errs, cases.FieldError{Field: field, Code: code, Message: fmt.Sprintf(format, a...)})
	}
	known := map[string]bool{}
	for _, f := range specs {
		known[f.Name] = true
	}
	var unknown []string
	for name := range raw {
		if !known[name] {
			unknown = append(unknown, name)
		}
	}
	slices.Sort(unknown)
	for _, name := range unknown {
		add("fields."+name, "not_allowed", "this action takes no field %q", name)
	}
	v := Values{}
	for _, f := range specs {
		r, ok := raw[f.Name]
		name := "fields." + f.Name
		if !ok || isNull(r) {
			if f.Required {
				add(name, "required", "this field is required")
			}
			continue
		}
		val, code, msg := parseValue(f, r)
		if code != "" {
			add(name, code, "%s", msg)
			continue
		}
		v[f.Name] = val
	}
	return v, errs
}

func isNull(r json.RawMessage) bool {
	t := bytes.TrimSpace(r)
	return len(t) == 0 || string(t) == "null"
}

// parseValue parses one field; code and msg describe a failure.
func parseValue(f Field, r json.RawMessage) (val any, code, msg string) {
	r = bytes.TrimSpace(r)
	str := func() (string, bool) {
		var s string
		if r[0] != '"' || json.Unmarshal(r, &s) != nil {
			return "", false
		}
		return strings.TrimSpace(s), true
	}
	switch f.Type {
	case FieldText:
		s, ok := str()
		max := f.Max
		if max == 0 {
			max = MaxTextRunes
		}
		switch {
		case !ok:
			return nil, "invalid", "must be a string"
		case s == "":
			if f.Required {
				return nil, "required", "this field is required"
			}
			return nil, "invalid", "must not be blank"
		case !utf8.ValidString(s) || hasControl(s):
			return nil, "invalid", "text contains invalid or control characters"
		case utf8.RuneCountInString(s) > max:
			return nil, "too_long", fmt.Sprintf("at most %d characters", max)
		}
		return s, "", ""
	case FieldEnum:
		s, ok := str()
		if !ok || !slices.Contains(f.Enum, s) {
			return nil, "invalid", "must be one of " + strings.Join(f.Enum, ", ")
		}
		return s, "", ""
	case FieldUnit:
		s, ok := str()
		if !ok {
			return nil, "invalid", "must be a 6-digit division code as a string"
		}
		code, known := region.Default().Canonical(s)
		reg, _ := region.Default().Lookup(code)
		if !known || len(code) != 6 || reg.Level > region.County {
			return nil, "invalid", "not a known province, prefecture or county division code"
		}
		return code, "", ""
	case FieldBool:
		var b bool
		if (string(r) != "true" && string(r) != "false") || json.Unmarshal(r, &b) != nil {
			return nil, "invalid", "must be true or false"
		}
		return b, "", ""
	case FieldInt:
		var n json.Number
		dec := json.NewDecoder(bytes.NewReader(r))
		dec.UseNumber()
		if r[0] == '"' || dec.Decode(&n) != nil {
			return nil, "invalid", "must be an integer"
		}
		i, err := n.Int64()
		if err != nil {
			return nil, "invalid", "must be an integer"
		}
		if i < int64(f.Min) || i > int64(f.Max) {
			return nil, "invalid", fmt.Sprintf("must be between %d and %d", f.Min, f.Max)
		}
		return int(i), "", ""
	case FieldYuan:
		var s string
		if r[0] == '"' {
			var ok bool
			if s, ok = str(); !ok {
				return nil, "invalid", "must be a number of yuan"
			}
		} else {
			var n json.Number
			dec := json.NewDecoder(bytes.NewReader(r))
			dec.UseNumber()
			if dec.Decode(&n) != nil {
				return nil, "invalid", "must be a number of yuan"
			}
			s = n.String()
		}
		if strings.HasPrefix(s, "-") {
			return nil, "invalid", "must not be negative"
		}
		fen, err := cases.ParseYuan(s)
		if err != nil {
			return nil, "invalid", "must be a non-negative number of yuan with at most two decimals, at most " + cases.FormatYuan(cases.MaxAmountFen)
		}
		return fen, "", ""
	}
	return nil, "invalid", "unsupported field type " + string(f.Type)
}

func hasControl(s string) bool {
	for _, r := range s {
		if unicode.IsControl(r) && r != '\n' && r != '\r' && r != '\t' {
			return true
		}
	}
	return false
}
