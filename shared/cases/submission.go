package cases

import (
	"encoding/json"
	"fmt"
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Limits on what a submitter may send. They are generous for real
// complaints and small enough that nobody can fill the table with one
// request.
const (
	MaxNameRunes     = 50
	MaxPhoneRunes    = 20
	MaxAddressRunes  = 200
	MaxBusinessRunes = 100
	MaxFactsRunes    = 5000
	MaxRequestRunes  = 1000
	MinFactsRunes    = 5
	// MaxAmountFen caps the amount involved at one hundred million yuan.
	MaxAmountFen = 100_000_000_00
)

// Submission is what a consumer sends to open a case, whatever the channel.
type Submission struct {
	Kind      Kind   `json:"kind,omitempty"`
	Consumer  Person `json:"consumer"`
	Anonymous bool   `json:"anonymous,omitempty"`
	// ODROptOut: the consumer declines to have an ODR enterprise negotiate
	// first (complaints against registered ODR enterprises go to them
	// first unless the consumer declines).
	ODROptOut  bool        `json:"odr_opt_out,omitempty"`
	Business   Business    `json:"business"`
	Facts      string      `json:"facts"`
	Request    string      `json:"request,omitempty"`
	AmountYuan json.Number `json:"amount_yuan,omitempty"`
	OccurredOn string      `json:"occurred_on,omitempty"`
}

// FieldError names one field that failed validation.
type FieldError struct {
	Field   string `json:"field"`
	Code    string `json:"code"` // required, too_long, too_short, invalid, not_allowed
	Message string `json:"message"`
}

// ValidationError lists every field that failed validation.
type ValidationError struct {
	Fields []FieldError
}

func (e *ValidationError) Error() string {
	names := make([]string, len(e.Fields))
	for i, f := range e.Fields {
		names[i] = f.Field + ":" + f.Code
	}
	return "invalid submission: " + strings.Join(names, ", ")
}

var (
	mobileRe   = regexp.MustCompile(`^1[3-9][0-9]{9}$`)
	landlineRe = regexp.MustCompile(`^0[1-9][0-9]{1,2}-?[0-9]{7,8}$`)
	regionRe   = regexp.MustCompile(`^63[0-9]{4}$`)
	dateRe     = regexp.MustCompile(`^[0-9]{4}-[0-9]{2}-[0-9]{2}$`)
	amountRe   = regexp.MustCompile(`^[0-9]{1,12}(\.[0-9]{1,2})?$`)
)

// NormalizePhone strips spaces, dashes in mobile numbers and a +86/0086
// prefix. It does not validate.
func NormalizePhone(p string) string {
	p = strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) {
			return -1
		}
		return r
	}, p)
	switch {
	case strings.HasPrefix(p, "+86"):
		p = p[3:]
	case strings.HasPrefix(p, "0086"):
		p = p[4:]
	}
	if d := strings.ReplaceAll(p, "-", ""); mobileRe.MatchString(d) {
		return d
	}
	return p
}

// ValidPhone reports whether p (normalised) is a Chinese mobile or landline
// number.
func ValidPhone(p string) bool {
	return mobileRe.MatchString(p) || landlineRe.MatchString(p)
}

// Normalize trims every text field and normalises the phone number.
func (s *Submission) Normalize() {
	trim := strings.TrimSpace
	s.Kind = Kind(strings.ToLower(trim(string(s.Kind))))
	s.Consumer.Name = trim(s.Consumer.Name)
	s.Consumer.Phone = NormalizePhone(s.Consumer.Phone)
	s.Consumer.Address = trim(s.Consumer.Address)
	s.Consumer.IDNumber = strings.ToUpper(trim(s.Consumer.IDNumber))
	s.Business.Name = trim(s.Business.Name)
	s.Business.Address = trim(s.Business.Address)
	s.Business.RegionCode = trim(s.Business.RegionCode)
	s.Business.CreditCode = strings.ToUpper(trim(s.Business.CreditCode))
	s.Business.Platform = trim(s.Business.Platform)
	s.Business.PlatformRole = strings.ToLower(trim(s.Business.PlatformRole))
	s.Facts = trim(s.Facts)
	s.Request = trim(s.Request)
	s.OccurredOn = trim(s.OccurredOn)
}

// Validate checks a normalised submission against the rules for its kind and
// returns a *ValidationError listing every problem, or nil.
//
// A complaint must name the complainant, a phone number and an address, the
// business and its address, the facts and the request (Order 20 Art. 9). A
// report needs the business and the facts; the reporter may stay anonymous
// (Art. 24). An inquiry needs only the question. When the kind is not given
// the complaint rules apply, since they are the strictest and most
// submissions are complaints; the classifier still decides the type.
func (s *Submission) Validate() error {
	var errs []FieldError
	add := func(field, code, msg string) {
		errs = append(errs, FieldError{Field: field, Code: code, Message: msg})
	}
	text := func(field, v string, required bool, max int) {
		switch {
		case v == "":
			if required {
				add(field, "required", "this field is required")
			}
		case !utf8.ValidString(v):
			add(field, "invalid", "text is not valid UTF-8")
		case utf8.RuneCountInString(v) > max:
			add(field, "too_long", fmt.Sprintf("at most %d characters", max))
		case hasControl(v):
			add(field, "invalid", "text contains control characters")
		}
	}

	kind := s.Kind
	if kind != "" && !kind.Valid() {
		add("kind", "invalid", "kind must be complaint, report or inquiry")
		kind = KindComplaint
	}
	if kind == "" {
		kind = KindComplaint
	}
	if s.Anonymous && kind != KindReport {
		add("anonymous", "not_allowed", "only reports may be anonymous")
	}

	needPerson := kind == KindComplaint
	text("consumer.name", s.Consumer.Name, needPerson, MaxNameRunes)
	text("consumer.address", s.Consumer.Address, needPerson, MaxAddressRunes)
	switch {
	case s.Consumer.Phone == "":
		if needPerson || kind == KindInquiry {
			add("consumer.phone", "required", "a phone number is required")
		}
	case utf8.RuneCountInString(s.Consumer.Phone) > MaxPhoneRunes || !ValidPhone(s.Consumer.Phone):
		add("consumer.phone", "invalid", "not a valid mobile or landline number")
	}
	if s.Consumer.IDNumber != "" && !validIDNumber(s.Consumer.IDNumber) {
		add("consumer.id_number", "invalid", "not a valid 18-character resident ID number")
	}
	if s.Anonymous && (s.Consumer.Name != "" || s.Consumer.IDNumber != "") {
		add("anonymous", "invalid", "an anonymous report must not carry a name or ID number")
	}

	needBusiness := kind != KindInquiry
	text("business.name", s.Business.Name, needBusiness, MaxBusinessRunes)
	text("business.address", s.Business.Address, false, MaxAddressRunes)
	if kind == KindComplaint && s.Business.Address == "" && s.Business.RegionCode == "" {
		add("business.address", "required", "give the business's address or pick its region")
	}
	if s.Business.RegionCode != "" && !regionRe.MatchString(s.Business.RegionCode) {
		add("business.region_code", "invalid", "not a 6-digit Qinghai division code (63xxxx)")
	}
	text("business.credit_code", s.Business.CreditCode, false, 18)
	text("business.platform", s.Business.Platform, false, MaxBusinessRunes)
	switch s.Business.PlatformRole {
	case "", "operator", "merchant":
	default:
		add("business.platform_role", "invalid", "platform_role must be operator or merchant")
	}

	text("facts", s.Facts, true, MaxFactsRunes)
	if s.Facts != "" && utf8.ValidString(s.Facts) && utf8.RuneCountInString(s.Facts) < MinFactsRunes {
		add("facts", "too_short", fmt.Sprintf("describe what happened in at least %d characters", MinFactsRunes))
	}
	text("request", s.Request, kind == KindComplaint, MaxRequestRunes)

	if s.AmountYuan != "" {
		if _, err := ParseYuan(string(s.AmountYuan)); err != nil {
			add("amount_yuan", "invalid", "amount must be a non-negative number of yuan with at most two decimals")
		}
	}
	if s.OccurredOn != "" && !dateRe.MatchString(s.OccurredOn) {
		add("occurred_on", "invalid", "date must be YYYY-MM-DD")
	}
	if len(errs) > 0 {
		return &ValidationError{Fields: errs}
	}
	return nil
}

// ParseYuan turns a decimal yuan amount such as "12.5" into fen.
func ParseYuan(s string) (int64, error) {
	if !amountRe.MatchString(s) {
		return 0, fmt.Errorf("parse amount %q: not a non-negative decimal with at most two places", s)
	}
	whole, frac, _ := strings.Cut(s, ".")
	var fen int64
	for _, r := range whole {
		fen = fen*10 + int64(r-'0')
	}
	frac = (frac + "00")[:2]
	fen = fen*100 + int64(frac[0]-'0')*10 + int64(frac[1]-'0')
	if fen > MaxAmountFen {
		return 0, fmt.Errorf("parse amount %q: above the maximum", s)
	}
	return fen, nil
}

// FormatYuan renders fen as a yuan amount with two decimals.
func FormatYuan(fen int64) string {
	sign := ""
	if fen < 0 {
		sign, fen = "-", -fen
	}
	return fmt.Sprintf("%s%d.%02d", sign, fen/100, fen%100)
}

func hasControl(s string) bool {
	for _, r := range s {
		if unicode.IsControl(r) && r != '\n' && r != '\r' && r != '\t' {
			return true
		}
	}
	return false
}

// validIDNumber checks an 18-character resident identity number, including
// its ISO 7064 MOD 11-2 check character (GB 11643).
func validIDNumber(id string) bool {
	if len(id) != 18 {
		return false
	}
	weights := [17]int{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}
	sum := 0
	for i := 0; i < 17; i++ {
		c := id[i]
		if c < '0' || c > '9' {
			return false
		}
		sum += int(c-'0') * weights[i]
	}
	return id[17] == "10X98765432"[sum%11]
}
