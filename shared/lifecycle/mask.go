package lifecycle

import (
	"errors"
	"fmt"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/open12315/intake/shared/cases"
	"github.com/open12315/intake/shared/region"
)

// Masking follows the common industry conventions of domain.md §6 (no
// binding national format exists): phones 138****1234, names 张*, ID
// numbers 630102********1234, addresses cut after the district.

// MaskPhone keeps the first 3 and last 4 digits of a number of 11 or more
// characters (138****1234), the area code and last 4 of a landline
// (0971-****4567), and hides shorter values entirely.
func MaskPhone(p string) string {
	p = strings.TrimSpace(p)
	if p == "" {
		return ""
	}
	if area, num, ok := strings.Cut(p, "-"); ok && len(num) > 4 {
		return area + "-" + strings.Repeat("*", len(num)-4) + num[len(num)-4:]
	}
	r := []rune(p)
	if len(r) < 8 {
		return strings.Repeat("*", len(r))
	}
	return string(r[:3]) + "****" + string(r[len(r)-4:])
}

// MaskName keeps the first character and replaces the rest with one "*",
// so the length of the name is not shown either: 张三丰 → 张*. A
// one-character name becomes "*".
func MaskName(n string) string {
	n = strings.TrimSpace(n)
	if n == "" {
		return ""
	}
	r, size := utf8.DecodeRuneInString(n)
	if size == len(n) {
		return "*"
	}
	return string(r) + "*"
}

// MaskID keeps the first 6 (the issuing division) and last 4 characters of
// an ID number: 630102********1234. Values of 10 characters or fewer are
// hidden entirely.
func MaskID(id string) string {
	id = strings.TrimSpace(id)
	if id == "" {
		return ""
	}
	r := []rune(id)
	if len(r) <= 10 {
		return strings.Repeat("*", len(r))
	}
	return string(r[:6]) + strings.Repeat("*", len(r)-10) + string(r[len(r)-4:])
}

// districtRe matches the province, prefecture and county parts at the
// start of an address: 青海省西宁市城东区, 海西州格尔木市, 大通县.
var districtRe = regexp.MustCompile(
	`^(?:[^省市区县州旗盟]{2,12}?(?:省|自治区))?` +
		`(?:[^省市区县州旗盟]{2,16}?(?:自治州|州|地区|盟|市))?` +
		`(?:[^省市区县州旗盟]{1,16}?(?:区|县|市|旗))?`)

// MaskAddress cuts an address after its district (county level):
// 青海省西宁市城东区八一路12号 → 青海省西宁市城东区. When no administrative
// part leads the address, the Qinghai division named in it is shown
// instead, and "***" when there is none.
func MaskAddress(a string) string {
	a = strings.TrimSpace(a)
	if a == "" {
		return ""
	}
	if m := districtRe.FindString(a); m != "" {
		if m == a {
			return m
		}
		return m + "***"
	}
	if m, ok := region.Default().Resolve(a); ok && m.Level <= region.County {
		return m.Name + "***"
	}
	return "***"
}

// numberRe finds long digit runs in free text: phone, ID and bank-card
// numbers a consumer may type into the facts.
var numberRe = regexp.MustCompile(`[0-9][0-9 -]{5,}[0-9Xx]`)

// MaskText masks numbers of 7 or more digits in free text: 11-digit
// mobiles and 18-character ID numbers in their usual formats, other
// numbers down to their first 3 and last 4 digits.
func MaskText(s string) string {
	return numberRe.ReplaceAllStringFunc(s, func(m string) string {
		d := strings.NewReplacer(" ", "", "-", "").Replace(m)
		switch {
		case len(d) < 7:
			return m
		case len(d) == 18:
			return MaskID(d)
		case len(d) >= 11:
			return MaskPhone(d)
		}
		return strings.Repeat("*", len(d)-4) + d[len(d)-4:]
	})
}

// MaskPerson masks every field of a person.
func MaskPerson(p cases.Person) cases.Person {
	return cases.Person{
		Name:     MaskName(p.Name),
		Phone:    MaskPhone(p.Phone),
		Address:  MaskAddress(p.Address),
		IDNumber: MaskID(p.IDNumber),
	}
}

// Mask returns a deep copy of c fit for staff lists: the consumer's
// personal data masked, and numbers in the facts and request masked. The
// tracking hash is dropped. c is not changed.
func Mask(c *cases.Case) cases.Case {
	m := *cloneCase(c)
	m.Consumer = MaskPerson(c.Consumer)
	m.Facts = MaskText(c.Facts)
	m.Request = MaskText(c.Request)
	m.TrackingHash = ""
	return m
}

// CanSeePII reports whether a role may see unmasked personal data in a
// case's detail view.
func CanSeePII(r Role) bool { return r == RoleHandler || r == RoleSupervisor }

// List returns the masked views of the cases the actor may see, in order;
// the others are left out.
func List(cs []*cases.Case, actor Actor) []cases.Case {
	out := make([]cases.Case, 0, len(cs))
	for _, c := range cs {
		if actor.Role.Staff() && CanSee(c, actor) {
			out = append(out, Mask(c))
		}
	}
	return out
}

// Detail returns the case as the actor may see it in the detail view:
// unmasked for handlers and supervisors, masked for viewers. Every
// unmasked view returns an audit event (type pii_viewed, Seq the case's
// current version, no version bump) that the caller must store before
// answering; a staff member outside the case's jurisdiction gets
// ErrOutOfJurisdiction and consumers and systems ErrForbidden (they have
// their own views).
func Detail(c *cases.Case, actor Actor, now time.Time) (cases.Case, *cases.Event, error) {
	if !actor.Role.Staff() {
		return cases.Case{}, nil, fmt.Errorf("lifecycle: detail for %s: %w", actor.Role, ErrForbidden)
	}
	if !CanSee(c, actor) {
		return cases.Case{}, nil, fmt.Errorf("lifecycle: detail of %s for unit %s: %w", c.ID, actor.Unit, ErrOutOfJurisdiction)
	}
	if !CanSeePII(actor.Role) {
		return Mask(c), nil, nil
	}
	v := *cloneCase(c)
	v.TrackingHash = ""
	ev := &cases.Event{
		CaseID: c.ID, Seq: c.Version, At: now.UTC(), Actor: actor.Name(), Type: EventPIIViewed,
		Reason: "case detail",
		Data:   map[string]string{"role": string(actor.Role), "unit": actor.Unit, "fields": "consumer,facts,request"},
	}
	return v, ev, nil
}

// ErrConfidential: the reported party may not see anything of a report:
// neither the reporter's identity nor the handling status (Order 20 Art.
// 33).
var ErrConfidential = errors.New("report details are confidential to the reported party")

// RespondentView is what the business complained about may be told of a
// complaint to organise mediation (Order 20 Art. 33 allows what mediation
// needs): the consumer's name and a contact number, no ID number and no
// address beyond the district.
type RespondentView struct {
	CaseID   string       `json:"case_id"`
	State    cases.State  `json:"state"`
	Consumer cases.Person `json:"consumer"`
	Facts    string       `json:"facts"`
	Request  string       `json:"request,omitempty"`
}

// ForRespondent returns the respondent's view of a complaint, and
// ErrConfidential for a report or an inquiry.
func ForRespondent(c *cases.Case) (RespondentView, error) {
	if c.EffectiveKind() != cases.KindComplaint || c.Anonymous {
		return RespondentView{}, fmt.Errorf("lifecycle: respondent view of %s: %w", c.ID, ErrConfidential)
	}
	return RespondentView{
		CaseID: c.ID, State: c.State,
		Consumer: cases.Person{Name: c.Consumer.Name, Phone: c.Consumer.Phone, Address: MaskAddress(c.Consumer.Address)},
		Facts:    MaskText(c.Facts), Request: c.Request,
	}, nil
}
