// Package region is the gazetteer of Qinghai's administrative divisions used
// to place a complaint's business and to find the regulator that handles it.
//
// The data (data/qinghai.tsv) is the project's own file, derived from the
// public-domain statistical division tables: the province, its 8 prefectures,
// 44 county-level units plus the 大柴旦 statistical unit, the towns and
// sub-districts (mapped to their county), short and old names, and legacy
// codes (湟中县 630122 → 630106, 同仁县 632321 → 632301, 冷湖/茫崖行委 → 632803).
package region

import (
	"bufio"
	_ "embed"
	"fmt"
	"io"
	"sort"
	"strings"
	"sync"
)

//go:embed data/qinghai.tsv
var qinghaiTSV string

// Level is the administrative level of a region.
type Level int

// Administrative levels, from the top down.
const (
	Province Level = iota + 1
	Prefecture
	County
	Town
)

var levelNames = map[string]Level{"province": Province, "prefecture": Prefecture, "county": County, "town": Town}

// String returns the level's name as used in the data file.
func (l Level) String() string {
	for k, v := range levelNames {
		if v == l {
			return k
		}
	}
	return fmt.Sprintf("Level(%d)", int(l))
}

// Region is one administrative division.
type Region struct {
	Code      string // 6-digit (province, prefecture, county) or 9-digit (town) statistical code
	Parent    string // code of the enclosing division; empty for the province
	Level     Level
	Name      string // full official name, e.g. 大通回族土族自治县
	Short     string // usual short name, e.g. 大通县
	ValidFrom string // year the code came into use, when known (legacy changes only)
	ValidTo   string // year the code went out of use; empty while current
	Successor string // for a retired code, the code that replaced it
}

// Legacy reports whether the code has been retired.
func (r Region) Legacy() bool { return r.Successor != "" }

// alias is one name under which a region can be found in free text.
type alias struct {
	text   string
	code   string // empty for a blocker
	needs  byte   // 0: always; '?': other Qinghai context; '^': an ancestor named
	isName bool   // the official or short name rather than a colloquial alias
}

// Gazetteer answers questions about regions and finds them in text.
// A Gazetteer is immutable after construction and safe for concurrent use.
type Gazetteer struct {
	byCode map[string]*Region
	first  *firstRunes[alias] // aliases by first rune, each rune's longest first
	spell  *speller           // reads names typed with homophones
}

var (
	defaultOnce sync.Once
	defaultGaz  *Gazetteer
)

// Default returns the gazetteer built from the embedded Qinghai data.
// It panics only if the embedded file is corrupt, which the tests rule out.
func Default() *Gazetteer {
	defaultOnce.Do(func() {
		g, err := Parse(strings.NewReader(qinghaiTSV))
		if err != nil {
			panic("region: embedded data: " + err.Error())
		}
		defaultGaz = g
	})
	return defaultGaz
}

// Parse builds a gazetteer from a TSV file in the format of data/qinghai.tsv.
func Parse(r io.Reader) (*Gazetteer, error) {
	g := &Gazetteer{byCode: map[string]*Region{}}
	byFirst := aliasesByFirst{} // indexed for scanning once parsed
	sc := bufio.NewScanner(r)
	line := 0
	header := false
	for sc.Scan() {
		line++
		t := sc.Text()
		if t == "" || strings.HasPrefix(t, "#") {
			continue
		}
		f := strings.Split(t, "\t")
		if !header {
			header = true
			if len(f) < 9 || f[0] != "code" {
				return nil, fmt.Errorf("line %d: missing header", line)
			}
			continue
		}
		if len(f) != 9 {
			return nil, fmt.Errorf("line %d: want 9 fields, got %d", line, len(f))
		}
		aliases := strings.Split(f[5], "|")
		if f[0] == "-" { // blockers
			for _, a := range aliases {
				byFirst.add(alias{text: a})
			}
			continue
		}
		lv, ok := levelNames[f[2]]
		if !ok {
			return nil, fmt.Errorf("line %d: unknown level %q", line, f[2])
		}
		reg := &Region{Code: f[0], Parent: f[1], Level: lv, Name: f[3], Short: f[4],
			ValidFrom: f[6], ValidTo: f[7], Successor: f[8]}
		if _, dup := g.byCode[reg.Code]; dup {
			return nil, fmt.Errorf("line %d: duplicate code %s", line, reg.Code)
		}
		g.byCode[reg.Code] = reg
		guarded := map[string]bool{}
		for _, a := range aliases {
			if a == "" {
				continue
			}
			al := alias{text: a, code: reg.Code}
			if a[0] == '?' || a[0] == '^' {
				al.needs, al.text = a[0], a[1:]
				guarded[al.text] = true
			}
			byFirst.add(al)
		}
		if lv != Town { // official names of towns are listed (guarded) in aliases
			for _, n := range []string{reg.Name, reg.Short} {
				if !guarded[n] {
					byFirst.add(alias{text: n, code: reg.Code, isName: true})
				}
			}
		}
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("read gazetteer: %w", err)
	}
	for code, reg := range g.byCode {
		if reg.Parent != "" && g.byCode[reg.Parent] == nil {
			return nil, fmt.Errorf("%s: unknown parent %s", code, reg.Parent)
		}
		if reg.Successor != "" && g.byCode[reg.Successor] == nil {
			return nil, fmt.Errorf("%s: unknown successor %s", code, reg.Successor)
		}
	}
	var names []string
	for r, list := range byFirst {
		sort.SliceStable(list, func(i, j int) bool { return len(list[i].text) > len(list[j].text) })
		byFirst[r] = list
		for _, a := range list {
			if a.code != "" {
				names = append(names, a.text)
			}
		}
	}
	sort.Strings(names) // deterministic, whatever the map's order
	g.spell = newSpeller(names)
	g.first = newFirstRunes(byFirst)
	return g, nil
}

// aliasesByFirst gathers a gazetteer's aliases by first rune while it is
// parsed.
type aliasesByFirst map[rune][]alias

// add adds a, unless it is empty or already there.
func (by aliasesByFirst) add(a alias) {
	if a.text == "" {
		return
	}
	first := []rune(a.text)[0]
	for _, old := range by[first] {
		if old.text == a.text && old.code == a.code {
			return
		}
	}
	by[first] = append(by[first], a)
}

// Canonical returns the current code for code: legacy codes are followed to
// their successors. It reports false for codes the gazetteer does not know.
func (g *Gazetteer) Canonical(code string) (string, bool) {
	code = strings.TrimSpace(code)
	for i := 0; i < 4; i++ {
		r, ok := g.byCode[code]
		if !ok {
			return "", false
		}
		if r.Successor == "" {
			return code, true
		}
		code = r.Successor
	}
	return "", false
}

// Lookup returns the region with the given code. A legacy code resolves to
// the region that replaced it.
func (g *Gazetteer) Lookup(code string) (Region, bool) {
	c, ok := g.Canonical(code)
	if !ok {
		return Region{}, false
	}
	return *g.byCode[c], true
}

// Record returns the region recorded under code exactly, without following
// successors, so that callers can show a legacy name.
func (g *Gazetteer) Record(code string) (Region, bool) {
	r, ok := g.byCode[strings.TrimSpace(code)]
	if !ok {
		return Region{}, false
	}
	return *r, true
}

// Parent returns the enclosing region of code.
func (g *Gazetteer) Parent(code string) (Region, bool) {
	r, ok := g.Lookup(code)
	if !ok || r.Parent == "" {
		return Region{}, false
	}
	return g.Lookup(r.Parent)
}

// Ancestors returns the regions enclosing code, nearest first, ending with
// the province. It returns nil for unknown codes.
func (g *Gazetteer) Ancestors(code string) []Region {
	var out []Region
	for {
		p, ok := g.Parent(code)
		if !ok {
			return out
		}
		out = append(out, p)
		code = p.Code
	}
}

// County returns the county-level region that contains code (code itself
// for a county). For a prefecture or the province it reports false.
func (g *Gazetteer) County(code string) (Region, bool) {
	r, ok := g.Lookup(code)
	for ok && r.Level > County {
		r, ok = g.Lookup(r.Parent)
	}
	if !ok || r.Level != County {
		return Region{}, false
	}
	return r, true
}

// Within reports whether the region code lies inside the jurisdiction of the
// unit whose region is unitCode: the same region, or unitCode is one of its
// ancestors. Unknown codes are never within anything.
func (g *Gazetteer) Within(unitCode, code string) bool {
	u, ok := g.Canonical(unitCode)
	if !ok {
		return false
	}
	c, ok := g.Canonical(code)
	if !ok {
		return false
	}
	if u == c {
		return true
	}
	for {
		p, ok := g.Parent(c)
		if !ok {
			return false
		}
		if p.Code == u {
			return true
		}
		c = p.Code
	}
}

// UnitName returns the display name of the market-regulation bureau of the
// region, e.g. 西宁市城东区市场监督管理局 or 格尔木市市场监督管理局. Towns are
// served by their county's bureau (its 市场监管所 act in its name).
func (g *Gazetteer) UnitName(code string) (string, bool) {
	r, ok := g.Lookup(code)
	if !ok {
		return "", false
	}
	if r.Level == Town {
		if r, ok = g.County(code); !ok {
			return "", false
		}
	}
	name := r.Name
	if r.Level == County && strings.HasSuffix(r.Name, "区") {
		if p, ok := g.Lookup(r.Parent); ok {
			name = p.Name + name
		}
	}
	return name + "市场监督管理局", true
}

// Regions returns all current (non-legacy) regions at level, ordered by code.
func (g *Gazetteer) Regions(level Level) []Region {
	var out []Region
	for _, r := range g.byCode {
		if r.Level == level && !r.Legacy() {
			out = append(out, *r)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Code < out[j].Code })
	return out
}
