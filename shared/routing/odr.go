package routing

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"sync"
	"unicode/utf8"
)

// Enterprise is an ODR enterprise (在线消费纠纷解决企业): a business that has
// joined the 12315 ODR system and settles complaints against it directly,
// within its own clock, before the regulator steps in.
type Enterprise struct {
	ID         string   `json:"id"`
	Name       string   `json:"name"`
	CreditCode string   `json:"credit_code,omitempty"` // 统一社会信用代码, 18 characters
	Aliases    []string `json:"aliases,omitempty"`     // shop names, brands, former names
	Platform   string   `json:"platform,omitempty"`    // platform it sells on, if any
	Contact    string   `json:"contact,omitempty"`     // how the consumer reaches its complaint desk
	Region     string   `json:"region,omitempty"`      // region code of its domicile
}

// Registry is the in-memory set of ODR enterprises. It is safe for
// concurrent use; persist it with MarshalJSON.
type Registry struct {
	mu   sync.RWMutex
	list []Enterprise
}

// NewRegistry returns a registry holding es.
func NewRegistry(es ...Enterprise) (*Registry, error) {
	r := &Registry{}
	for _, e := range es {
		if err := r.Add(e); err != nil {
			return nil, err
		}
	}
	return r, nil
}

// LoadRegistry reads a JSON array of enterprises.
func LoadRegistry(rd io.Reader) (*Registry, error) {
	var es []Enterprise
	if err := json.NewDecoder(rd).Decode(&es); err != nil {
		return nil, fmt.Errorf("load ODR registry: %w", err)
	}
	r, err := NewRegistry(es...)
	if err != nil {
		return nil, fmt.Errorf("load ODR registry: %w", err)
	}
	return r, nil
}

// MarshalJSON encodes the registry as a JSON array ordered by ID.
func (r *Registry) MarshalJSON() ([]byte, error) {
	return json.Marshal(r.List())
}

// UnmarshalJSON replaces the registry's contents with a JSON array.
func (r *Registry) UnmarshalJSON(data []byte) error {
	var es []Enterprise
	if err := json.Unmarshal(data, &es); err != nil {
		return err
	}
	nr, err := NewRegistry(es...)
	if err != nil {
		return err
	}
	r.mu.Lock()
	r.list = nr.list
	r.mu.Unlock()
	return nil
}

// ErrDuplicate is returned by Add for an ID or credit code already present.
var ErrDuplicate = errors.New("duplicate ODR enterprise")

const creditChars = "0123456789ABCDEFGHJKLMNPQRTUWXY"

// ValidCreditCode reports whether s has the form of a unified social credit
// code: 18 characters from the code's alphabet (the checksum is not checked).
func ValidCreditCode(s string) bool {
	if len(s) != 18 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if !strings.ContainsRune(creditChars, rune(s[i])) {
			return false
		}
	}
	return true
}

// Add validates and adds an enterprise.
func (r *Registry) Add(e Enterprise) error {
	e.ID = strings.TrimSpace(e.ID)
	e.Name = strings.TrimSpace(e.Name)
	e.CreditCode = strings.ToUpper(strings.TrimSpace(e.CreditCode))
	switch {
	case e.ID == "":
		return errors.New("ODR enterprise: missing id")
	case e.Name == "":
		return fmt.Errorf("ODR enterprise %s: missing name", e.ID)
	case e.CreditCode != "" && !ValidCreditCode(e.CreditCode):
		return fmt.Errorf("ODR enterprise %s: malformed credit code %q", e.ID, e.CreditCode)
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, o := range r.list {
		if o.ID == e.ID || (e.CreditCode != "" && o.CreditCode == e.CreditCode) {
			return fmt.Errorf("%w: %s (%s)", ErrDuplicate, e.ID, e.Name)
		}
	}
	e.Aliases = slices.Clone(e.Aliases)
	r.list = append(r.list, e)
	slices.SortFunc(r.list, func(a, b Enterprise) int { return strings.Compare(a.ID, b.ID) })
	return nil
}

// Remove deletes the enterprise with id and reports whether it was present.
func (r *Registry) Remove(id string) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	for i, e := range r.list {
		if e.ID == id {
			r.list = slices.Delete(r.list, i, i+1)
			return true
		}
	}
	return false
}

// Get returns the enterprise with id.
func (r *Registry) Get(id string) (Enterprise, bool) {
	r.mu.RLock()
	defer r.mu.RUnlock()
	for _, e := range r.list {
		if e.ID == id {
			return e, true
		}
	}
	return Enterprise{}, false
}

// List returns all enterprises ordered by ID.
func (r *Registry) List() []Enterprise {
	if r == nil {
		return nil
	}
	r.mu.RLock()
	defer r.mu.RUnlock()
	out := make([]Enterprise, len(r.list))
	for i, e := range r.list {
		e.Aliases = slices.Clone(e.Aliases)
		out[i] = e
	}
	return out
}

// normName folds a business name for comparison: full-width to ASCII,
// upper case, and no spaces or brackets.
func normName(s string) string {
	var b strings.Builder
	for _, r := range s {
		if r >= 0xFF01 && r <= 0xFF5E {
			r -= 0xFEE0
		}
		switch r {
		case ' ', '\t', '(', ')', '（', '）', '【', '】', '·', 0x3000:
			continue
		}
		if r < utf8.RuneSelf {
			r = []rune(strings.ToUpper(string(r)))[0]
		}
		b.WriteRune(r)
	}
	return b.String()
}

// minContains is the shortest alias (in runes) accepted inside a longer name.
const minContains = 4

// Match finds the ODR enterprise a business is, by credit code, by name or
// alias, or by a distinctive alias (4+ characters) inside the name. It
// returns the evidence for the match.
func (r *Registry) Match(b Business) (Enterprise, string, bool) {
	if r == nil {
		return Enterprise{}, "", false
	}
	r.mu.RLock()
	defer r.mu.RUnlock()
	cc := strings.ToUpper(strings.TrimSpace(b.CreditCode))
	if cc != "" {
		for _, e := range r.list {
			if e.CreditCode == cc {
				return e, fmt.Sprintf("credit code %s is ODR enterprise %s %s", cc, e.ID, e.Name), true
			}
		}
	}
	name := normName(b.Name)
	if name == "" {
		return Enterprise{}, "", false
	}
	for _, e := range r.list {
		for _, n := range append([]string{e.Name}, e.Aliases...) {
			if nn := normName(n); nn != "" && nn == name {
				return e, fmt.Sprintf("business name %q is ODR enterprise %s %s", b.Name, e.ID, e.Name), true
			}
		}
	}
	for _, e := range r.list {
		for _, n := range append([]string{e.Name}, e.Aliases...) {
			nn := normName(n)
			if utf8.RuneCountInString(nn) >= minContains && strings.Contains(name, nn) {
				return e, fmt.Sprintf("business name %q contains %q of ODR enterprise %s %s", b.Name, n, e.ID, e.Name), true
			}
		}
	}
	return Enterprise{}, "", false
}
