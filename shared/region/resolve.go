package region

import (
	"fmt"
	"iter"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/open12315/intake/shared/hanzi"
)

// Match is a Qinghai place found in free text.
type Match struct {
	Code      string   // current 6-digit code: the county, or the prefecture/province when nothing finer was named
	Name      string   // official name of Code
	Level     Level    // level of Code
	Place     Region   // the division actually named (may be a town or a legacy county)
	Text      string   // the words in the text that named it
	Offset    int      // byte offset of Text in the searched text
	Evidence  string   // human-readable reason, for staff
	Ambiguous bool     // another, conflicting county was also named
	Others    []string // codes of the conflicting counties, if any
	// Business is set when the place is named as the business's (西宁一家
	// 旅行社, a shop in Golmud): other places the text names — where a tour
	// went, where goods come from — then do not compete with it.
	Business bool
}

type hit struct {
	a          alias
	alts       []alias // shorter aliases matching at the same place, longest first
	start, end int
	lone       bool // a town accepted without an enclosing place (see loneTown)
}

// aliases yields every alias matching at the hit, longest first.
func (h hit) aliases() iter.Seq[alias] {
	return func(yield func(alias) bool) {
		if !yield(h.a) {
			return
		}
		for _, a := range h.alts {
			if !yield(a) {
				return
			}
		}
	}
}

// anyAlias reports whether any of h's aliases satisfies f.
func (h hit) anyAlias(f func(alias) bool) bool {
	for a := range h.aliases() {
		if f(a) {
			return true
		}
	}
	return false
}

// maxScan bounds the text searched, so that huge inputs cost little.
const maxScan = 64 << 10

// ownStreets drops from hits the shared names (streets most of all) that
// are written right after a county or prefecture they do not lie in: 玉树市
// 胜利路 is Yushu's street, not Xining's 胜利路街道. (A structured address is
// read more strictly: see resolveText.)
func ownStreets(g *Gazetteer, hits []hit) []hit {
	var dropBuf [8]bool
	drop := slices.Grow(dropBuf[:0], len(hits))[:len(hits)]
	for i, h := range hits {
		if i == 0 || hits[i-1].end != h.start || h.a.needs != '?' {
			continue
		}
		p := hits[i-1].a
		if p.code == "" || p.needs != 0 {
			continue
		}
		if r, ok := g.Lookup(p.code); ok && (r.Level == County || r.Level == Prefecture) &&
			!h.anyAlias(func(a alias) bool { return a.code != "" && (g.Within(r.Code, a.code) || g.Within(a.code, r.Code)) }) {
			drop[i] = true
		}
	}
	// A shared street name whose only Qinghai context is a county or
	// prefecture of another prefecture (八一路饭馆没有菜价 格尔木: Golmud has a
	// 八一路 too) is that place's street, not the one the gazetteer knows.
	for i, h := range hits {
		if drop[i] || h.a.needs != '?' || !street(h.a.text) {
			continue
		}
		encloses := func(o hit) bool {
			return o.anyAlias(func(b alias) bool {
				return b.code != "" && h.anyAlias(func(a alias) bool { return a.code != "" && (g.Within(a.code, b.code) || g.Within(b.code, a.code)) })
			})
		}
		elsewhere := false
		for j, o := range hits {
			if j == i || o.a.code == "" || o.a.needs != 0 {
				continue
			}
			if encloses(o) {
				elsewhere = false
				break
			}
			if r, ok := g.Lookup(o.a.code); ok && (r.Level == County || r.Level == Prefecture) && g.prefecture(r.Code) != g.prefecture(h.a.code) {
				elsewhere = true // in another prefecture (a district beside the street's is no other city)
			}
		}
		drop[i] = elsewhere
	}
	kept := hits[:0]
	for i, h := range hits {
		if !drop[i] {
			kept = append(kept, h)
		}
	}
	return kept
}

// scan appends to hits the aliases found in text, leftmost-longest, without
// overlaps.
func (g *Gazetteer) scan(hits []hit, text string) []hit {
	if len(text) > maxScan {
		text = text[:maxScan]
	}
	text = lowerASCII(text)
	for i := 0; i < len(text); {
		r, size := hanzi.DecodeRune(text, i)
		if r < utf8.RuneSelf && i > 0 && isLetter(text[i-1]) {
			i += size // inside a Latin word: golmud, not xgolmud
			continue
		}
		var h hit
		found := false
		for _, a := range g.first.lookup(r) {
			if !strings.HasPrefix(text[i:], a.text) {
				continue
			}
			if e := i + len(a.text); r < utf8.RuneSelf && e < len(text) && isLetter(text[e]) {
				continue // a Latin alias matches whole words only
			}
			if !found {
				h, found = hit{a: a, start: i, end: i + len(a.text)}, true
			} else if h.a.code != "" {
				h.alts = append(h.alts, a)
			}
		}
		if !found {
			i += size
			continue
		}
		hits = append(hits, h)
		i = h.end
	}
	return hits
}

// Resolve finds the most specific Qinghai place named in text. Names that
// other provinces share (城东区, 海南, 河南, 乌兰 …) are accepted only when the
// text also names Qinghai or one of the place's ancestors.
func (g *Gazetteer) Resolve(text string) (Match, bool) {
	return g.ResolveWithContext(text, "")
}

// ResolveWithContext is like Resolve, but places named in context (for
// example the complaint's full text when text is the business address) also
// count as Qinghai context. Only text is searched for the result.
//
// A complaint goes where the business is, so a place named as the
// business's (see Match.Business) wins over other places, and a place named
// only as where goods come from (玉树产, 玉树野生虫草) is not taken for the
// business's.
func (g *Gazetteer) ResolveWithContext(text, context string) (Match, bool) {
	return g.resolve(text, context, false, false)
}

// ResolveAddress resolves a business address given in a structured field
// of Qinghai's platform, with the complaint's text as context. Such a field
// is Qinghai context in itself: a street that other cities also have (长江路,
// 五四大街, 大十字附近) is read as Qinghai's, unless the address names a county
// it does not lie in (德令哈 长江路).
func (g *Gazetteer) ResolveAddress(addr, text string) (Match, bool) {
	return g.resolve(addr, text, true, true)
}

func (g *Gazetteer) resolve(text, context string, inQinghai, address bool) (Match, bool) {
	m, ok := g.resolveText(text, context, inQinghai, address)
	if ok && m.Level == County {
		return m, true
	}
	// No place, or only a prefecture: perhaps a county typed with
	// homophones (果洛大日县 for 达日县) says more.
	if r, rok := g.respelt(text, context, inQinghai, address); rok && (!ok || r.Level == County && g.Within(m.Code, r.Code)) {
		return r, true
	}
	return m, ok
}

// resolveText is resolve without reading names typed with homophones.
func (g *Gazetteer) resolveText(text, context string, inQinghai, address bool) (Match, bool) {
	// Traditional characters (格爾木, 買的) are read as simplified; folding
	// keeps every byte offset, so Match.Offset holds for the original.
	text, context = hanzi.Fold(text), hanzi.Fold(context)
	var hitBuf, contextBuf [8]hit // most texts name a few places
	hits := g.scan(hitBuf[:0], text)
	if len(hits) == 0 {
		return Match{}, false
	}
	// Small arrays back the lists below: most texts name a few places.
	var anchorBuf [8]string
	anchors := anchorBuf[:0] // canonical codes named unconditionally
	for _, hs := range [2][]hit{g.scan(contextBuf[:0], context), hits} {
		for _, h := range hs {
			if h.a.code != "" && h.a.needs == 0 {
				if c, ok := g.Canonical(h.a.code); ok {
					anchors = append(anchors, c)
				}
			}
		}
	}
	if address {
		// Counties and prefectures the address itself names outright: a
		// shared name must lie in one of them.
		var named []string
		for _, h := range hits {
			if h.a.code != "" && h.a.needs == 0 {
				if r, ok := g.Lookup(h.a.code); ok && (r.Level == County || r.Level == Prefecture) {
					named = append(named, r.Code)
				}
			}
		}
		kept := hits[:0]
		for _, h := range hits {
			if h.a.needs == '?' && len(named) > 0 && !slices.ContainsFunc(named, func(c string) bool {
				return g.Within(c, h.a.code) || g.Within(h.a.code, c)
			}) {
				continue // 德令哈 长江路: not Xining's 长江路
			}
			kept = append(kept, h)
		}
		hits = kept
	}
	if !address {
		hits = ownStreets(g, hits)
	}
	if inQinghai {
		anchors = append(anchors, "630000")
	}
	// Two places of one prefecture named as the sides of a border (共和跟兴海
	// 交界) name the prefecture: short names that other places share are
	// that prefecture's here.
	bordered := false
	for i, h := range hits {
		for _, o := range hits[i+1:] {
			if !borderPair(text, h, o) {
				continue
			}
			bordered = true
			for a := range h.aliases() {
				for b := range o.aliases() {
					if p := g.prefecture(a.code); p != "" && p == g.prefecture(b.code) && !contains(anchors, p) {
						anchors = append(anchors, p)
					}
				}
			}
		}
	}
	// A '?' name (shared with other provinces) followed by one of its own
	// '^' towns confirms itself: 大通桥头镇 is Qinghai's 大通.
	for _, h := range hits {
		for a := range h.aliases() {
			if a.needs != '?' || a.code == "" {
				continue
			}
			if slices.ContainsFunc(hits, func(o hit) bool {
				return o.start == h.end && o.anyAlias(func(b alias) bool {
					return b.needs == '^' && b.code != a.code && g.Within(a.code, b.code)
				})
			}) {
				if c, ok := g.Canonical(a.code); ok {
					anchors = append(anchors, c)
				}
			}
		}
	}
	// A town written out in full that only one Qinghai county has (丹麻镇,
	// 皇城乡) stands on its own when the text names no place outside the
	// province: people in the countryside name their town, not its county.
	// (Whether the text names such a place is looked up only when needed.)
	checked, outside := false, false
	elsewhere := func() bool {
		if !checked {
			_, _, outside = outsideSet.find(text, 0)
			checked = true
		}
		return outside
	}
	// Whether the text is about a tour, looked up once and only when a
	// place's reading depends on it (see tourWords).
	tourChecked, tour := false, false
	aboutTour := func() bool {
		if !tourChecked {
			tour, tourChecked = tourSet.in(lowerASCII(text)), true
		}
		return tour
	}
	var acceptedBuf [8]hit
	accepted := acceptedBuf[:0]
	// Two passes: a '?' alias accepted in the first may anchor a '^' alias.
	for pass := 0; pass < 2; pass++ {
		accepted = accepted[:0]
		for i, h := range hits {
			var prev *hit
			if i > 0 && hits[i-1].end == h.start {
				prev = &hits[i-1]
			}
			if a, ok := g.choose(h, anchors, prev); ok {
				accepted = append(accepted, hit{a: a, start: h.start, end: h.start + len(a.text)})
			} else if a, ok := g.loneTown(h); ok && !elsewhere() {
				accepted = append(accepted, hit{a: a, start: h.start, end: h.start + len(a.text), lone: true})
			}
		}
		for _, h := range accepted {
			if h.a.needs == '?' {
				if c, ok := g.Canonical(h.a.code); ok {
					anchors = append(anchors, c)
				}
			}
		}
	}
	if len(accepted) == 0 {
		return Match{}, false
	}
	// A county's name that its prefecture's also begins with, written
	// right before another county of that prefecture (玉树杂多, 玉树称多县:
	// 玉树 is 玉树市 too), is the prefecture, giving the other its context.
	for i := range accepted[:len(accepted)-1] {
		h, next := &accepted[i], accepted[i+1]
		if next.start != h.end {
			continue
		}
		if r, ok := g.Lookup(h.a.code); ok && r.Level == County && !g.Within(r.Code, next.a.code) {
			if p, ok := g.Lookup(r.Parent); ok && p.Level == Prefecture && strings.HasPrefix(p.Name, h.a.text) && g.Within(p.Code, next.a.code) {
				h.a.code = p.Code
			}
		}
	}
	type cand struct {
		h        hit
		eff      Region // county (or coarser) the hit stands for
		rank     int
		support  int
		original Region
		business bool
		regd     bool // named as where the company is registered
	}
	var candBuf [8]cand
	cands := candBuf[:0]
	var set []string // places named that are not the business's, for the evidence
	// A place is read together with the places written right before and
	// after it (西宁城北区, 玉树杂多): what precedes the first of them and
	// follows the last says what they all are.
	// So is a list of places (共和县、贵德县的一些商店), and an English
	// possessive (Xining's Chengxi district).
	joined := func(a, b hit) bool {
		switch text[min(a.end, b.start):max(a.end, b.start)] {
		case "", "、", "'s ", "’s ":
			return true
		}
		return false
	}
	// The places read together include names not taken as places by
	// themselves (搬到共和恰卜恰: the bare 共和 needs its county named):
	// near is accepted with the other hits, in the order of the text.
	var nearBuf [16]hit
	near := append(nearBuf[:0], accepted...)
	for _, h := range hits {
		if !slices.ContainsFunc(accepted, func(a hit) bool { return a.start == h.start }) {
			near = append(near, h)
		}
	}
	slices.SortFunc(near, func(a, b hit) int { return a.start - b.start })
	lead := func(h hit) int {
		for i := len(near) - 1; i >= 0; i-- {
			if near[i].end <= h.start && joined(near[i], h) {
				h = near[i]
			}
		}
		return h.start
	}
	tail := func(h hit) int {
		for _, o := range near {
			if o.start >= h.end && joined(h, o) {
				h = o
			}
		}
		return h.end
	}
	// Each accepted place's span with the names joined to it, found once:
	// the readings below look at it many times.
	var leadBuf, tailBuf [8]int
	leads := slices.Grow(leadBuf[:0], len(accepted))[:len(accepted)]
	tails := slices.Grow(tailBuf[:0], len(accepted))[:len(accepted)]
	for i, h := range accepted {
		leads[i], tails[i] = lead(h), tail(h)
	}
	// Where the consumer lives or receives goods says nothing of where the
	// seller is when the purchase was made online, or when another place
	// is named; in a shop downstairs it is the place.
	var livesBuf [8]bool
	lives := livesBuf[:0]
	lives = slices.Grow(lives, len(accepted))[:len(accepted)]
	// A business out of the province (在成都一家手机店买的) makes the
	// Qinghai places of the consumer's life no business's. Where the
	// consumer went back to (回西宁后找旅行社) is theirs, as where they live.
	out := outsideBusiness(text, accepted)
	others := out
	for i := range accepted {
		lo, hi := leads[i], tails[i]
		lives[i] = residence(text, lo, hi, aboutTour) && !rivalNextDoor(text, lo, hi) && !groupOf(text, lo, hi) || returnedTo(text, lo)
		others = others || (!lives[i] && !origin(text, hi) && !genuine(text, lo) && !repairPoint(text, lo, hi) && !suppliedFrom(text, lo, hi) && !distanceFrom(text, lo, hi) && !pricedAt(text, lo, hi))
	}
	// A business address is the business's even when it names an online
	// shop (网店证照地址); only a text tells of a purchase made online.
	online := !address && online(text) && !inShop(text)
	// A second-hand sale between neighbours (闲鱼上买了同小区邻居的婴儿车) is
	// made where they both live: the buyer's place is the seller's too.
	neighbour := online && neighbourSale(text)
	// Goods a group-buy leader sells (团购买的“大通牛场直供”鲜牛奶) come
	// from elsewhere, as goods bought online do.
	groupBuy := !address && strings.Contains(text, "团购")
	var ticket, ticketChecked bool
	ticketed := func() bool {
		if !ticketChecked {
			ticket, ticketChecked = ticketSet.in(lowerASCII(text)), true
		}
		return ticket
	}
	// A place named once as a tour's stop is the tour's wherever else it
	// is named (the road to Chaka was closed), unless named as a business.
	var stopBuf [8]string
	var asBizBuf, asStopBuf [8]bool
	stops := stopBuf[:0]
	asBiz := slices.Grow(asBizBuf[:0], len(accepted))[:len(accepted)]   // named as a business
	asStop := slices.Grow(asStopBuf[:0], len(accepted))[:len(accepted)] // named as a tour's stop
	for i, h := range accepted {
		lo, hi := leads[i], tails[i]
		// A shop on the way to Kumbum is placed there, unless a tour's guide
		// chose it (then the agency answers for it).
		asBiz[i] = business(text, lo, hi) || shopOnTheWay(text, lo) && !aboutTour() || registeredAt(text, lo) || shopAtScenicGate(text, hi)
		// A scenic area on a tour's route is a stop, not the business
		// (the itinerary promised Erlangjian scenic area).
		if asStop[i] = tourStop(text, lo, hi, aboutTour) && (!asBiz[i] || scenic(text, hi)); asStop[i] {
			stops = append(stops, h.a.code)
		}
	}
	// A business that moved within its prefecture is judged where it is
	// now (店搬到了城北区): the place it moved to outranks the places named
	// before. One that left the prefecture (祁连的培训班搬到西宁) is left
	// to the bureau where the consumer dealt with it.
	var movedBuf, agencyBuf [8]string
	moved := movedBuf[:0]
	for i, h := range accepted {
		if lo := leads[i]; movedTo(text, lo) && !movingJob(text, lo) {
			moved = append(moved, h.a.code)
		}
	}
	far := func(code string) bool { // another prefecture than a moved-to place's
		p := g.prefecture(code)
		return slices.ContainsFunc(moved, func(m string) bool { return g.prefecture(m) != p })
	}
	// On a tour whose travel agency's place is named (西宁一家旅行社), the
	// agency answers for the shops, hotels and scenic areas of the tour.
	agencies := agencyBuf[:0]
	for i, h := range accepted {
		lo, hi := leads[i], tails[i]
		if agencyNamed(text, lo, hi) {
			agencies = append(agencies, h.a.code)
		}
	}
	if len(agencies) > 0 && !aboutTour() {
		agencies = agencies[:0]
	}
	// A tour sold by an agency outside Qinghai (在重庆报的团, a Beijing
	// agency) is that agency's: no Qinghai place in the text is its
	// business's (a structured address still is).
	farAgency := !address && len(agencies) == 0 && aboutTour() && outsideAgency(text, accepted)
	// Writers who ask what licence they need to sell online (我们是都兰宗加镇
	// 的，想把枸杞晒干了在网上卖，需要办什么证) are the business: their place is its.
	var sells, sellingChecked bool
	selling := func() bool {
		if !sellingChecked {
			sells, sellingChecked = ownSelling(text), true
		}
		return sells
	}
	related := func(code string, list []string) bool {
		return slices.ContainsFunc(list, func(c string) bool { return g.Within(code, c) || g.Within(c, code) })
	}
	for i, h := range accepted {
		lo, hi := leads[i], tails[i]
		orig := *g.byCode[h.a.code]
		eff, ok := g.Lookup(h.a.code)
		if !ok {
			continue
		}
		if eff.Level == Town {
			if eff, ok = g.County(eff.Code); !ok {
				continue
			}
		}
		if inName(text, lo, hi) {
			set = append(set, h.a.text+" (in a business's name)")
			continue
		}
		if movedFrom(text, hi) && !movingJob(text, lo) {
			set = append(set, h.a.text+" (where the business moved from)")
			continue
		}
		if len(accepted) > 1 && otherBranch(text, lo, hi) {
			set = append(set, h.a.text+" (where the business has another branch)")
			continue
		}
		// A structured address names the business's place even where a
		// product follows (玉树市结古街道虫草交易市场).
		if !address && !street(h.a.text) && (origin(text, hi) || genuine(text, lo) || originEN(text, lo)) {
			set = append(set, h.a.text+" (where goods come from)")
			continue
		}
		if brandOwner(text, lo, hi) {
			set = append(set, h.a.text+" (whose brand was copied)")
			continue
		}
		if lostAt(text, hi) {
			set = append(set, h.a.text+" (where something was lost)")
			continue
		}
		if pricedAt(text, lo, hi) {
			set = append(set, h.a.text+" (where a price was compared)")
			continue
		}
		if takenToSell(text, lo, hi) {
			set = append(set, h.a.text+" (where goods were taken to be sold)")
			continue
		}
		if repairPoint(text, lo, hi) {
			set = append(set, h.a.text+" (where goods are to be taken for repair)")
			continue
		}
		if suppliedFrom(text, lo, hi) {
			set = append(set, h.a.text+" (where the shop says its goods came from)")
			continue
		}
		if distanceFrom(text, lo, hi) {
			set = append(set, h.a.text+" (a distance is measured from it)")
			continue
		}
		if ownBusiness(text, lo, hi) {
			set = append(set, h.a.text+" (the writer's own business)")
			continue
		}
		if ownShop(text, lo, hi) {
			set = append(set, h.a.text+" (the writer's own shop, which bought online or sells on a platform)")
			continue
		}
		if journeyEnd(text, lo, hi) {
			set = append(set, h.a.text+" (an end of a journey)")
			continue
		}
		if g.onRoad(text, hits, h) {
			set = append(set, h.a.text+" (an end of a road the business is on)")
			continue
		}
		if len(moved) > 0 && !related(h.a.code, moved) && !far(h.a.code) {
			set = append(set, h.a.text+" (where the business moved from)")
			continue
		}
		if len(moved) > 0 && related(h.a.code, moved) && slices.ContainsFunc(accepted, func(o hit) bool { return !related(o.a.code, moved) && far(o.a.code) }) {
			set = append(set, h.a.text+" (where the business moved to, in another prefecture)")
			continue
		}
		if asStop[i] || ((!asBiz[i] || scenic(text, hi)) && contains(stops, h.a.code)) {
			// A tour's business is the travel agency, not the places it visits.
			set = append(set, h.a.text+" (where a tour went)")
			continue
		}
		if farAgency {
			set = append(set, h.a.text+" (where a tour went; its agency is outside Qinghai)")
			continue
		}
		if len(agencies) > 0 && !slices.ContainsFunc(agencies, func(a string) bool { return h.a.code == a || g.Within(h.a.code, a) }) {
			// Not the agency's place, nor one enclosing it: the
			// agency answers for a shop the guide took the group to
			// (湟源一个玉器店 on a tour sold in Xining).
			set = append(set, h.a.text+" (where a tour went)")
			continue
		}
		if online && saidFrom(text, lo, hi) {
			// 主播说是玉树杂多的，: where the seller says the goods are from.
			set = append(set, h.a.text+" (where goods come from)")
			continue
		}
		if online && product(text, hi) || (online || groupBuy || len(accepted) > 1 && !strings.HasPrefix(text[hi:], "”")) && quotedProduct(text, lo, hi) && !contains(agencies, h.a.code) {
			// 直播间买的循化核桃: a place's produce bought online; 超市买的
			// “门源小油菜籽油”, where the shop's place is named too: a
			// product's name (but “泽库” alone may be the name asked about).
			set = append(set, h.a.text+" (where goods come from)")
			continue
		}
		if online && !neighbour && !lives[i] && !asBiz[i] && !sellerPlace(text, lo) && !producerPlace(text, hi) && !ticketed() && !selling() && !contains(agencies, h.a.code) && !ownFirm(text, lo, hi) {
			// Bought online: a place not named as the seller's is the buyer's
			// (but a ticket bought online is for a place's scenic area or show).
			set = append(set, h.a.text+" (the buyer's, in an online purchase)")
			continue
		}
		// A ticket bought online for the place the consumer drove to
		// (自驾去年保玉则…小程序上买的门票) is the scenic area's there.
		if lives[i] && !selling() && !neighbour && (online && !(ticketed() && rodeTo(text, lo)) || others) {
			set = append(set, h.a.text+" (where the consumer lives)")
			continue
		}
		c := cand{h: h, eff: eff, original: orig, rank: int(eff.Level)}
		// Whether a place is named as the business's matters only when
		// places compete.
		c.business = len(accepted) > 1 && asBiz[i]
		c.regd = c.business && registeredAt(text, lo)
		for _, o := range accepted {
			if o.start != h.start && g.Within(o.a.code, eff.Code) {
				c.support++
			}
		}
		cands = append(cands, c)
	}
	if len(cands) == 0 {
		return Match{}, false
	}
	// Places named as the business's, and the places within them, compete
	// alone when there are any.
	// So does a place named as the other side of a business's border
	// (乐都跟平安区交界那个加油站).
	var bizBuf, restBuf [8]cand
	biz, rest := bizBuf[:0], restBuf[:0]
	for _, c := range cands {
		if slices.ContainsFunc(cands, func(b cand) bool {
			return b.business && (g.Within(b.eff.Code, c.eff.Code) || borderPair(text, c.h, b.h) || borderPair(text, b.h, c.h))
		}) {
			c.business = true
			biz = append(biz, c)
		} else {
			rest = append(rest, c)
		}
	}
	if len(biz) > 0 {
		for _, c := range rest {
			set = append(set, c.h.a.text)
		}
		cands = biz
	}
	// A company is where it is registered (注册地在德令哈), whatever other
	// shop of it the text names (在格尔木一家电脑店买的).
	if slices.ContainsFunc(cands, func(c cand) bool { return c.regd }) {
		kept := cands[:0]
		for _, c := range cands {
			if c.regd || slices.ContainsFunc(cands, func(r cand) bool { return r.regd && g.Within(r.eff.Code, c.eff.Code) }) {
				kept = append(kept, c)
			} else {
				set = append(set, c.h.a.text+" (a shop of a company registered elsewhere)")
			}
		}
		cands = kept
	}
	best := -1
	for i, c := range cands {
		if best < 0 {
			best = i
			continue
		}
		b := cands[best]
		switch {
		case c.rank != b.rank:
			if c.rank > b.rank {
				best = i
			}
		case c.support != b.support:
			if c.support > b.support {
				best = i
			}
		case (c.h.a.needs == 0) != (b.h.a.needs == 0):
			if c.h.a.needs == 0 {
				best = i
			}
		case len(c.h.a.text) > len(b.h.a.text):
			best = i
		}
	}
	b := cands[best]
	m := Match{Code: b.eff.Code, Name: b.eff.Name, Level: b.eff.Level, Place: b.original,
		Text: b.h.a.text, Offset: b.h.start, Business: b.business}
	for _, c := range cands {
		if c.eff.Code != b.eff.Code && c.rank >= int(County) && !g.Within(c.eff.Code, b.eff.Code) && !g.Within(b.eff.Code, c.eff.Code) {
			if !contains(m.Others, c.eff.Code) {
				m.Others = append(m.Others, c.eff.Code)
			}
		}
	}
	m.Ambiguous = len(m.Others) > 0
	// 共和跟兴海交界那一段: a business on the border of counties of one
	// prefecture is the prefecture's (Art. 12(3)).
	border := ""
	if m.Ambiguous && (bordered || strings.Contains(text, "交界")) {
		if p := g.prefecture(m.Code); p != "" && !slices.ContainsFunc(m.Others, func(o string) bool { return g.prefecture(o) != p }) {
			if r, ok := g.Lookup(p); ok {
				border = fmt.Sprintf("; on the border (交界) of %s and %s: the prefecture's", m.Code, strings.Join(m.Others, ", "))
				m = Match{Code: r.Code, Name: r.Name, Level: r.Level, Place: r, Text: m.Text, Offset: m.Offset, Business: m.Business}
			}
		}
	}
	m.Evidence = g.evidence(m, b.support) + border
	if b.h.lone {
		m.Evidence += "; a town named without its county: the only one of that name in Qinghai"
	}
	if len(set) > 0 {
		m.Evidence += "; not the business's: " + strings.Join(set, ", ")
	}
	return m, true
}

// roadWords, right after the second of two places joined as a journey's
// ends (从西宁到循化的路上), put something between them.
var roadWords = []string{"的路上", "路上", "的途中", "途中", "的半路上", "半路上", "的半道上", "之间", "这条线", "那条线", "的线上", "的高速上", "的高速路上", "的国道上", "的公路上"}

// onRoad reports whether h is one end of a road that a business is named
// on (从西宁到循化的路上一家饭馆, a restaurant on the way from Xining to
// Xunhua, between Xining and Huangyuan): the business is somewhere
// between, in neither. The other end is any place named, even one not
// taken as a place by itself (从平安去循化的路上: the bare 平安 needs its
// county named). A road with one end named (去塔尔寺的路上, on the way to
// Kumbum) is read by shopOnTheWay instead.
func (g *Gazetteer) onRoad(text string, named []hit, h hit) bool {
	pair := func(a, b hit) bool {
		if a.end > b.start {
			return false
		}
		if ca, ok := g.County(a.a.code); ok {
			if cb, ok := g.County(b.a.code); ok && ca.Code == cb.Code {
				return false // both ends in one county (between Heimahe and Jiangxigou): so is the road
			}
		}
		switch text[a.end:b.start] {
		case "到", "去", "往", "至":
			return hasPrefixAny(text[b.end:], roadWords)
		case "自驾去", "自驾到", "开车去", "开车到", "坐车去", "坐车到", "骑车去", "骑车到":
			// 从西宁自驾去格尔木，G6路上有个服务区: the road after the clause.
			rest := strings.TrimPrefix(text[b.end:], "，")
			rest = strings.TrimLeft(rest, "GSgs0123456789")
			return hasPrefixAny(text[b.end:], roadWords) || hasPrefixAny(rest, []string{"路上", "一路上", "沿途", "沿路", "高速上", "国道上"})
		case " to ":
			before := lowerASCII(text[max(0, a.start-24):a.start])
			return hasSuffixAny(before, []string{"way from ", "road from ", "route from ", "drive from ", "highway from "})
		case " and ":
			return strings.HasSuffix(lowerASCII(text[max(0, a.start-24):a.start]), "between ")
		}
		return false
	}
	return slices.ContainsFunc(named, func(o hit) bool { return o.start != h.start && (pair(o, h) || pair(h, o)) })
}

// borderPair reports whether places a and b are named, a first, as the two
// sides of a border (共和跟兴海交界, 乐都和平安区的交界处).
func borderPair(text string, a, b hit) bool {
	if a.end > b.start {
		return false
	}
	switch text[a.end:b.start] {
	case "跟", "和", "与", "同":
		return hasPrefixAny(text[b.end:], []string{"交界", "的交界", "两县交界", "县交界", "区交界", "两个县交界", "两个县的交界", "两县的交界"})
	case " and ":
		return hasPrefixAny(lowerASCII(text[b.end:min(len(text), b.end+16)]), []string{" meet", " counties meet", " county meet", " border"}) // where Gonghe and Xinghai counties meet
	}
	return false
}

// respelt resolves text again with the place names typed with homophones
// written right (个儿木 → 格尔木): resolve tries it when text names no place
// as such, or only a prefecture.
func (g *Gazetteer) respelt(text, context string, inQinghai, address bool) (Match, bool) {
	t, ok := g.spell.respell(text)
	if !ok {
		return Match{}, false
	}
	m, ok := g.resolveText(t, context, inQinghai, address)
	if ok && m.Offset+len(m.Text) <= len(text) {
		m.Evidence += "; written " + text[m.Offset:m.Offset+len(m.Text)] + ", read by its sound"
	}
	return m, ok
}

func (g *Gazetteer) acceptable(a alias, anchors []string) bool {
	switch {
	case a.code == "":
		return false
	case a.needs == '?':
		return len(anchors) > 0
	case a.needs == '^':
		return g.anchoredBy(a.code, anchors)
	}
	return true
}

// choose returns the alias of h that anchors accept: the first acceptable
// one, unless that is a '^' name (a town that several counties have); then,
// of the acceptable '^' names, the one written right after a place that
// encloses it (德令哈市河西街道, though the text names 格尔木 too), or else the
// one whose nearest named ancestor is the most specific. In 西宁市湟源县城关镇
// the 城关镇 is 湟源's, not 大通's, though 西宁市 encloses both. prev is the
// hit that ends where h starts, if any.
func (g *Gazetteer) choose(h hit, anchors []string, prev *hit) (alias, bool) {
	var best alias
	found, depth := false, -1
	for a := range h.aliases() {
		if !g.acceptable(a, anchors) {
			continue
		}
		if !found && a.needs != '^' {
			return a, true
		}
		if a.needs != '^' {
			continue
		}
		d := g.anchorDepth(a.code, anchors)
		if prev != nil && prev.anyAlias(func(p alias) bool { return p.code != a.code && g.Within(p.code, a.code) }) {
			d += adjacentAnchor // written right after its own county or prefecture
		}
		if d > depth {
			best, found, depth = a, true, d
		}
	}
	return best, found
}

// adjacentAnchor, added to an anchor's depth (a level), puts a name
// written right after a place enclosing it before every other reading.
const adjacentAnchor = 100

// anchorDepth returns the level of the most specific anchor that encloses
// code (-1 if none does).
func (g *Gazetteer) anchorDepth(code string, anchors []string) int {
	c, ok := g.Canonical(code)
	if !ok {
		return -1
	}
	depth := -1
	for _, a := range anchors {
		if a != c && g.Within(a, c) {
			if r, ok := g.Lookup(a); ok {
				depth = max(depth, int(r.Level))
			}
		}
	}
	return depth
}

// loneTown returns h's alias when it is the full name of a town (ending
// in 镇 or 乡, at least three characters) that no other Qinghai place
// shares, and nothing else matches there.
func (g *Gazetteer) loneTown(h hit) (alias, bool) {
	var town alias
	n := 0
	for a := range h.aliases() {
		if a.code == "" {
			continue
		}
		n++
		town = a
	}
	if n != 1 || town.needs == 0 || utf8.RuneCountInString(town.text) < 3 ||
		!(strings.HasSuffix(town.text, "镇") || strings.HasSuffix(town.text, "乡")) {
		return alias{}, false
	}
	if r, ok := g.Lookup(town.code); !ok || r.Level != Town {
		return alias{}, false
	}
	return town, true
}

func (g *Gazetteer) anchoredBy(code string, anchors []string) bool {
	c, ok := g.Canonical(code)
	if !ok {
		return false
	}
	for _, a := range anchors {
		if a != c && a != "630000" && g.Within(a, c) {
			return true
		}
	}
	return false
}

func (g *Gazetteer) evidence(m Match, support int) string {
	// Built by hand rather than with fmt, which was an eighth of resolving a
	// text; the output is the same as fmt's %q and %d would give.
	b := make([]byte, 0, 96)
	b = strconv.AppendQuote(b, m.Text)
	b = append(b, " → "...)
	b = append(b, m.Code...)
	b = append(b, ' ')
	b = append(b, m.Name...)
	switch {
	case m.Place.Legacy():
		b = append(b, " (old name "...)
		b = append(b, m.Place.Name...)
		b = append(b, ", code "...)
		b = append(b, m.Place.Code...)
		b = append(b, " retired "...)
		b = append(b, m.Place.ValidTo...)
		b = append(b, ')')
	case m.Place.Level == Town:
		b = append(b, " (town "...)
		b = append(b, m.Place.Code...)
		b = append(b, ' ')
		b = append(b, m.Place.Name...)
		b = append(b, ')')
	}
	if support > 0 {
		b = append(b, "; confirmed by "...)
		b = strconv.AppendInt(b, int64(support), 10)
		b = append(b, " enclosing place name(s)"...)
	}
	if m.Business {
		b = append(b, "; the text places the business here or in a place enclosing it"...)
	}
	if m.Ambiguous {
		b = append(b, "; also named: "...)
		b = append(b, strings.Join(m.Others, ",")...)
	}
	return string(b)
}

// businessWords name a kind of business (also right after an origin word:
// a 特产店 is a shop). A place named just before one
// (西宁一家旅行社, 格尔木市某超市, Xining travel agency) or, in English, just
// after one (a travel agency in Xining) is where the business is.
var businessWords = []string{
	"店", "旅行社", "公司", "超市", "商场", "市场", "饭馆", "餐厅", "酒店", "宾馆", "民宿", "农家乐", "牧家乐",
	"驾校", "加油站", "商行", "作坊", "厂", "摊", "网吧", "影院", "健身房", "美容院", "4s", "小卖部", "馆", "门面", "景区", "门票", "本地", "卖家", "商家", "店主", "一家", "影城", "商店", "专卖", "门市", "批发", "收购", "修车铺", "铺子", "主播",
	"开了个", "开了一家", "开了家", "酒坊", "国旅", "分社", "那家", "这家", "游乐场", "停车场", "影楼", "直播间", "服务区", "商业街", "步行街", "购物中心", "仓库", "交易市场", "交易中心", "楼盘", "售楼部",
	"agency", "shop", "store", "restaurant", "hotel", "company", "market", "stall", "guesthouse", "supermarket", "scenic area", "studio", "room", "pharmacy", "drugstore", "hostel",
}

// business reports whether the place at text[start:end] is named as a
// business's: a business word follows within a few characters, in the same
// clause, or (English) the place ends "<business> in|at|near <place>".
func business(text string, start, end int) bool {
	after := afterPlace(text, end)
	if i := strings.Index(after, "市场监"); i >= 0 {
		after = after[:i] // 乐都的市场监管局: a regulator, not a 市场
	}
	if strings.HasPrefix(after, "买的") {
		return true // 在门源浩门镇买的: where the goods were bought
	}
	near := after
	for _, w := range []string{"那边", "那里", "这边", "上"} { // 马坊那边有个修车铺
		near = strings.TrimPrefix(near, w)
	}
	for _, w := range []string{"报了", "报的", "报名"} {
		if strings.HasPrefix(near, w) && strings.HasSuffix(text[:start], "在") {
			return true // 在茶卡镇上报了个一日游: where the tour was sold
		}
	}
	for _, w := range []string{"旁边", "附近", "门口", "对面", "边上"} {
		if rest, ok := strings.CutPrefix(text[end:], w); ok {
			// 塔尔寺旁边一个卖藏药的店: a shop by the place
			rest = rest[:min(len(rest), 30)]
			if i := clauseEndIndex(rest); i >= 0 {
				rest = rest[:i]
			}
			if strings.Contains(rest, "店") || strings.Contains(rest, "一家") || strings.Contains(rest, "一个") {
				return true
			}
		}
	}
	for _, w := range []string{"有个人", "有人", "有个", "有家", "有一家", "有一个"} {
		if strings.HasPrefix(near, w) {
			return true // 大通县城关镇有个人在卖: where someone trades
		}
	}
	if r, ok := strings.CutPrefix(after, "境内"); ok && strings.HasSuffix(text[:start], "在") && hasPrefixAny(strings.TrimPrefix(r, "的"), []string{"一个", "一家", "有个", "有家"}) {
		return true // 在都兰县境内一个高速服务区吃饭: within the county
	}
	// 果洛一个牧民卖的酥油, 门源一个卖菜籽油的人: someone there who sells.
	for _, w := range []string{"一个", "的一个"} {
		if rest, ok := strings.CutPrefix(near, w); ok && strings.Contains(rest[:min(len(rest), 12)], "卖") {
			return true
		}
	}
	if businessSet.in(after) {
		return true
	}
	before := clauseBefore(text, start, 48)
	var rest string
	for _, sep := range []string{" in ", " at ", " near "} {
		if r, ok := strings.CutSuffix(before, sep); ok {
			rest = r
		}
	}
	// The business word is one of the last three words before "in".
	words := strings.Fields(rest)
	for _, w := range words[max(0, len(words)-3):] {
		if slices.Contains(businessWords, strings.Trim(w, "'\"")) {
			return true
		}
	}
	return false
}

// afterPlace returns, lower-cased, the words that can qualify the place
// ending at end: a few characters after it, in its clause. In English the
// business word belongs to the place's own noun phrase (Xining travel
// agency), not to one after a preposition (a tour to Chaka with a travel
// agency, a tour to Chaka at a travel agency near the station).
func afterPlace(text string, end int) string {
	after := text[end:min(len(text), end+24)]
	if i := clauseEndIndex(after); i >= 0 {
		after = after[:i]
	}
	after = lowerASCII(after)
	for _, w := range []string{" with ", " through ", " via ", " by ", " from ", " for ", " and ", " at ", " near "} {
		if i := strings.Index(after, w); i >= 0 {
			after = after[:i]
		}
	}
	return after
}

// agencyWords name a travel agency (or its branch).
var agencyWords = []string{"旅行社", "国旅", "旅游公司", "分社", "travel agency", "tour company", "tour operator"}

// agencyNamed reports whether the place text[start:end] is named as a
// travel agency's (西宁一家旅行社, 平安区的分社, a travel agency in Xining).
func agencyNamed(text string, start, end int) bool {
	if strings.HasPrefix(text[end:], "出发") {
		return true // 西宁出发的一日游: a tour starts where its agency is
	}
	after := afterPlace(text, end)
	if containsAny(after, agencyWords) {
		return true
	}
	before := clauseBefore(text, start, 48)
	if hasSuffixAny(lowerASCII(before), []string{"tour from ", "tour bus from ", "trip from ", "tour starting from ", "departing from ", "leaving from ", "starting from "}) {
		return true // a 2-day tour from Xining: as 西宁出发的
	}
	return hasSuffixAny(before, []string{"agency in ", "agency at ", "agency near ", "agency based in ", "agency office in ", "门店在", "门市在", "营业部在", "总部在", "分社在", "旅行社是", "旅行社在"})
}

// clauseEnd holds the marks that end a clause: punctuation, line breaks
// and brackets (a place inside brackets is read with the bracket's words).
const clauseEnd = "，。；！？（）,.;!?()\n"

// clauseEndIndex is strings.IndexAny(s, clauseEnd), without the general
// function's search of clauseEnd for every rune of s.
func clauseEndIndex(s string) int {
	for i := 0; i < len(s); i++ {
		if isClauseEnd(s, i) {
			return i
		}
	}
	return -1
}

// clauseEndLastIndex is strings.LastIndexAny(s, clauseEnd).
func clauseEndLastIndex(s string) int {
	for i := len(s) - 1; i >= 0; i-- {
		if isClauseEnd(s, i) {
			return i
		}
	}
	return -1
}

// isClauseEnd reports whether one of clauseEnd's marks starts at s[i].
func isClauseEnd(s string, i int) bool {
	switch c := s[i]; c {
	case ',', '.', ';', '!', '?', '(', ')', '\n':
		return true
	case 0xE3: // 。 U+3002
		return i+2 < len(s) && s[i+1] == 0x80 && s[i+2] == 0x82
	case 0xEF: // ，；！？（） U+FF0C U+FF1B U+FF01 U+FF1F U+FF08 U+FF09
		if i+2 >= len(s) || s[i+1] != 0xBC {
			return false
		}
		switch s[i+2] {
		case 0x8C, 0x9B, 0x81, 0x9F, 0x88, 0x89:
			return true
		}
	}
	return false
}

// clauseBefore returns, lower-cased, at most n bytes of text before start
// and after the last punctuation mark there: the words that can qualify a
// place starting at start.
func clauseBefore(text string, start, n int) string {
	before := lowerASCII(text[max(0, start-n):start])
	if i := clauseEndLastIndex(before); i >= 0 {
		before = before[i+1:]
	}
	return before
}

// originWords, right after a place, name it as where goods come from.
var originWords = []string{"产", "特产", "野生", "原产", "虫草", "冬虫夏草", "头草", "头等草", "一级草", "二级草", "一级虫草", "枸杞", "黑枸杞", "画师", "唐卡", "自家挖", "自己挖", "挖的", "拉来", "运来", "直接拉来", "直接运来", "高原散养", "草原散养", "散养", "牧区散养", "放养", "头茬草", "头茬"}

// origin reports whether the place ending at end is named as the origin of
// goods (玉树产的虫草, 玉树野生虫草, 杂多的头草, 柴达木枸杞, 热贡画师画的唐卡,
// 玉树自家挖的, 玉树高原散养的牦牛肉, 海晏放养的滩羊, 玛沁的头茬草, 玉树高原黑枸杞)
// rather than as a business's place.
func origin(text string, end int) bool {
	rest := text[end:]
	for _, w := range []string{"那边", "那里", "当地", "本地"} { // 玉树那边的头草, 民和本地产的
		rest = strings.TrimPrefix(rest, w)
	}
	rest = strings.TrimPrefix(rest, "的")
	for _, w := range []string{"高原", "草原", "牧区", "特级", "正宗"} { // 玉树高原黑枸杞, 格尔木特级黑枸杞
		rest = strings.TrimPrefix(rest, w)
	}
	return goodsNamed(rest, originWords)
}

// genuine reports whether the place starting at start is claimed as the
// goods' true origin (说是正宗的大通块煤, 正宗玉树虫草, 纯正玉树牦牛肉): 正宗 or 纯正 before a place says
// where goods are from, never where they are sold.
func genuine(text string, start int) bool {
	return hasSuffixAny(text[:start], []string{"正宗的", "正宗", "纯正的", "纯正"})
}

// street reports whether name is a street's or a market's (莫家街虫草: a
// street sells cordyceps, it grows none), which goods are not from.
func street(name string) bool {
	return hasSuffixAny(name, []string{"街", "巷", "路", "广场", "市场", " street", " st", " alley", " road"})
}

// saidFrom reports whether the place text[start:end] is what a seller says
// the goods are (主播说是玉树杂多的，主播说虫草是玉树的): 说 and 是 before it,
// with at most four characters between them, none a person or a shop, and
// no clause break, and 的 and the clause's end after it.
func saidFrom(text string, start, end int) bool {
	said, ok := strings.CutSuffix(text[:start], "是")
	if !ok || !strings.HasPrefix(text[end:], "的") {
		return false
	}
	i := strings.LastIndex(said, "说")
	if i < 0 || len(said)-i-len("说") > 12 || strings.ContainsAny(said[i:], "，,。；;！!？?") {
		return false
	}
	// 卖家说他是西宁城东区的: the seller's own place, not the goods'.
	if strings.ContainsAny(said[i:], "他她我您人店家厂") {
		return false
	}
	j := end + len("的")
	return j == len(text) || isClauseEnd(text, j)
}

// goodsNamed reports whether rest starts with one of words, naming goods,
// and not with a business selling them (a 特产店 is a shop there) or the
// growers of them.
func goodsNamed(rest string, words []string) bool {
	for _, w := range words {
		if after, ok := strings.CutPrefix(rest, w); ok {
			return !slices.ContainsFunc(businessWords, func(s string) bool { return strings.HasPrefix(after, s) }) &&
				!slices.ContainsFunc(growerWords, func(s string) bool { return strings.HasPrefix(after, s) })
		}
	}
	return false
}

// originGoodsEN name goods whose origin an English text gives with "from"
// (wild cordyceps from Yushu).
var originGoodsEN = []string{"cordyceps", "caterpillar fungus", "goji", "wolfberries", "wolfberry", "berries", "yak meat", "yak jerky", "jerky", "honey", "thangka", "thangkas", "barley wine", "saffron"}

// originEN reports whether the English place starting at start is named as
// the origin of goods (cordyceps from Yushu, goji berries from Qaidam,
// painted by a Rebkong artist).
func originEN(text string, start int) bool {
	before, ok := strings.CutSuffix(lowerASCII(text[max(0, start-40):start]), " from ")
	if !ok {
		// painted by a Rebkong artist: where the maker is from
		for _, w := range []string{"painted by a ", "painted by an ", "made by a ", "made by an "} {
			if strings.HasSuffix(lowerASCII(text[max(0, start-16):start]), w) {
				return true
			}
		}
		return false
	}
	return hasSuffixAny(before, originGoodsEN)
}

// growerWords, after goods, name the people or farms that grow them (都兰县
// 宗加镇的枸杞种植户): the place is theirs, not the goods' origin alone.
var growerWords = []string{"种植户", "种植基地", "基地", "农户", "合作社", "种植", "园"}

// tourSuffixes, shortly after a place or a list of places in the same
// clause, name them as the stops of a tour (青海湖、茶卡盐湖二日游);
// tourPrefixes, in the clause before a place, do so too (a tour from
// Xining to Kumbum, the guide left us at Kumbum, 导游带我们去塔尔寺).
var (
	tourSuffixes = []string{"日游", "的跟团游", "环线", "环湖游", "之旅", "旅游团", "研学", " tour"}
	tourPrefixes = []string{"tour to ", "tour bus to ", "back via ", "trip to ", "tour from ", "tour bus from ", "tour of ", "tour around ", "excursion to ", "guide ", "on the way to ", "skipped ", "driver skipped ", "日游去", "导游", "零团费", "低价团", "元游", "老年团", "跟团去", "跟团到", "跟团游", "跟旅行团去", "报团去", "行程", "itinerary"}
)

// tourWords say that a text is about a tour, where an itinerary written
// with dashes or arrows is read as one (see tourStop).
var tourWords = []string{"日游", "旅游", "跟团", "报团", "旅行团", "旅行社", "导游", "行程", "线路", "tour", "trip", "itinerary", "travel agency", "guide"}

// dashes join the places of an itinerary (西宁-青海湖-茶卡, Xining → Chaka).
var dashes = []string{"-", "－", "—", "–", "→", "->", "~", "～"}

// tourStop reports whether the place text[start:end] is named as a stop of
// a tour rather than as where a business is. aboutTour reports whether the
// text is about a tour at all (resolve looks it up once).
func tourStop(text string, start, end int, aboutTour func() bool) bool {
	// In an itinerary written with dashes (西宁-青海湖-茶卡的二日游, a
	// winter tour Xining - Qinghai Lake - Chaka), the places after a dash
	// are stops and the first is where the tour starts, as in a tour from
	// a place.
	if i, j := strings.TrimRight(text[:start], " "), strings.TrimLeft(text[end:], " "); slices.ContainsFunc(dashes, func(d string) bool {
		return strings.HasSuffix(i, d) || strings.HasPrefix(j, d)
	}) && aboutTour() {
		return slices.ContainsFunc(dashes, func(d string) bool { return strings.HasSuffix(i, d) })
	}
	// A tour setting out from a place (花土沟出发的一日游) starts where its
	// agency is, as a tour from a place does.
	if strings.HasPrefix(text[end:], "出发") {
		return false
	}
	after := text[end:min(len(text), end+30)]
	if i := clauseEndIndex(after); i >= 0 {
		after = after[:i]
	}
	for _, w := range tourSuffixes {
		if i := strings.Index(after, w); i >= 0 && !latinAt(after, i+len(w)) {
			return true // " tour", but not " tourists"
		}
	}
	// 报了去年保玉则的团: a tour group's destination (but not 的团购, a
	// group-buy voucher of a business there, nor 的团长, a group-buy leader).
	// (The window may end inside the word: look at the text after it.)
	if i := strings.Index(after, "的团"); i >= 0 && !strings.HasPrefix(text[end+i+len("的团"):], "购") && !strings.HasPrefix(text[end+i+len("的团"):], "长") {
		return true
	}
	before := clauseBefore(text, start, 64)
	// …but a guide at or in a place works there (our guide at Kumbum), and
	// a tour from a place starts where its agency is (a one-day tour from
	// Xining to Qinghai Lake).
	for _, w := range []string{"guide at ", "guide in ", "tour from ", "tour bus from ", "trip from ", "tour starting from "} {
		if strings.HasSuffix(before, w) {
			return false
		}
	}
	for _, w := range tourPrefixes {
		if strings.Contains(before, w) {
			return true
		}
	}
	// On a tour, where the group got to (走到治多导游把车停在一个虫草店门口)
	// is a stop.
	return hasSuffixAny(before, []string{"走到", "途经"}) && aboutTour()
}

// latinAt reports whether s[i] is an ASCII letter (false at the end).
func latinAt(s string, i int) bool { return i < len(s) && isLetter(s[i]) }

// shopAtScenicGate reports whether a shop at the gate of "the scenic
// area", or in it, is named soon after the place ending at end (跟团去孟达天池，
// 导游把我们拉到景区门口一家农家乐): the shop is at that place, as a shop
// named right after it is (塔尔寺旁边一个卖藏药的店). In English, a shop,
// stall or vendor outside or at the gate (trip to Kumbum. A shop just
// outside the gate…) is at the place; a driver who left a tour at the
// gate says nothing of where the tour's seller is.
func shopAtScenicGate(text string, end int) bool {
	after := text[end:min(len(text), end+90)]
	for _, w := range []string{"景区门口", "景区旁边", "景区附近", "景区里", "景区内"} {
		if i := strings.Index(after, w); i >= 0 && hasPrefixAny(after[i+len(w):], []string{"一家", "的一家", "一个", "有家", "有一家", "有个"}) {
			return true
		}
	}
	return containsAny(lowerASCII(after), gateWordsEN)
}

// gateWordsEN place a business at the gate of the place named before them.
var gateWordsEN = []string{"shop outside", "shops outside", "stall outside", "stalls outside", "vendor outside", "vendors outside", "shop just outside", "stall just outside", "vendor just outside", "shop at the gate", "stall at the gate", "vendor at the gate", "shop by the gate", "stall by the gate"}

// shopOnTheWay reports whether the place starting at start is named as
// where a business stands on a road (a shop on the way to Ta'er Monastery).
func shopOnTheWay(text string, start int) bool {
	before, ok := strings.CutSuffix(clauseBefore(text, start, 48), " on the way to ")
	if !ok {
		return false
	}
	words := strings.Fields(before)
	return slices.ContainsFunc(words[max(0, len(words)-3):], func(w string) bool { return slices.Contains(businessWords, w) })
}

// scenic reports whether the place ending at end is named as a scenic
// area (青海湖景区, 二郎剑的门票, Erlangjian scenic area).
func scenic(text string, end int) bool {
	rest := lowerASCII(strings.TrimPrefix(text[end:min(len(text), end+24)], "的"))
	return hasPrefixAny(rest, []string{"景区", "风景区", "旅游区", "门票", " scenic", " national park"})
}

// residenceWords, right before a place, name it as where the consumer
// lives or receives goods.
var residenceWords = []string{"家住", "我住", "我们是从", "我是从", "调到", "调去", "调往", "拿到", "拿去", "我是", "我们是", "来电人系", "来电人是", "来电人为", "本人系", "反映人系", "投诉人系", "住在", "我家在", "人在", "送到", "寄到", "发到", "运到", "到了", "户口在", "收货地址为", "收货地址是", "收货地址填的", "收货地址写的", "收货地址", "送货地址是", "送货地址为", "送货地址在", "送货地址写的", "送货地址填的", "配送地址是", "寄送地址是", "地址填的", "地址填的是", "带回",
	"i live in ", "we live in ", "living in ", "staying in ", "i'm in ", "arrived in ", "delivered to ", "shipped to ", "my hotel in ", "our hotel in ", "my hostel in ", "travelling in ", "traveling in "}

// receivedWords, right after a place, name it as where goods were
// received (我在西宁城西区收的货).
var receivedWords = []string{"收的货", "收到货", "收货", "签收", "寄回", "寄到", "寄去"}

// visitorWords, right after a place, name it as where visitors came from
// (我们是从西宁过来的游客), where the consumer works or studies (我在城北区上班)
// or had goods tested (我在西宁一家检测机构做了鉴定).
var visitorWords = []string{"过来的游客", "来的游客", "过来旅游", "来旅游", "过来玩", "来玩", "上班", "打工", "上学", "读书", "的家，", "的家,", "的家里", "的家中", "的家。", "一家检测机构", "的检测机构", "检测机构", "一家鉴定机构", "的鉴定机构"}

// residence reports whether the place text[start:end] is named as where
// the consumer lives or receives goods (家住西宁, 在城西区收的货, I live in
// Xining, 我在西宁，…), or where visiting consumers came from (从西宁过来的游客,
// 从玉树去拉萨, unless the text is about a tour: aboutTour).
func residence(text string, start, end int, aboutTour func() bool) bool {
	if movingJob(text, start) {
		return true // 搬家公司…从城中区搬到城东区: both ends of the move are the consumer's
	}
	if movedTo(text, start) {
		return false // 店搬到了城北区: the business's place, not 到了 the consumer's
	}
	before := lowerASCII(text[max(0, start-18):start]) // the longest word: 收货地址为
	if strings.HasSuffix(before, "到了") && hasPrefixAny(text[end:], []string{"那家", "的那家", "一家"}) {
		return false // 团购券…到了城西区那家火锅店: where the shop is
	}
	if strings.HasSuffix(before, "住在") && hasPrefixAny(text[end:], []string{"一家", "的一家", "的那家"}) && business(text, start, end) {
		return false // 住在黑马河一家宾馆: where the hotel is
	}
	if ownFirm(text, start, end) {
		return false // 我们是刚察县的一个牧民合作社，想注册个商标: the writer's own business
	}
	if p, ok := strings.CutSuffix(before, "人在"); ok && hasSuffixAny(p, sellerSays) {
		return false // 卖家说人在德令哈: where the seller says they are
	}
	if strings.HasSuffix(before, "人在") && business(text, start, end) {
		return false // 一家人在贵德县城西边一家饭馆吃饭: where the restaurant is
	}
	for _, w := range residenceWords {
		if strings.HasSuffix(before, w) {
			return true
		}
	}
	for _, w := range receivedWords {
		if strings.HasPrefix(text[end:], w) {
			return true
		}
	}
	for _, w := range visitorWords {
		if strings.HasPrefix(text[end:], w) {
			return true
		}
	}
	// 囊谦这边没有售后网点, 地址是青海玉树就不发货: 这边, 那边 or 就 may come
	// between.
	if rest := strings.TrimPrefix(strings.TrimPrefix(strings.TrimPrefix(text[end:], "这边"), "那边"), "就"); hasPrefixAny(text[end:], remoteWords) || hasPrefixAny(rest, remoteWords) {
		return true
	}
	// 我在西宁，网上订了…: where the writer is, said on its own; 我在格尔木能投诉吗:
	// where the writer asks to complain.
	if strings.HasSuffix(before, "我在") && end < len(text) && (isClauseEnd(text, end) || complainHere(text[end:])) {
		return true
	}
	// 可以在西宁这边投诉吗, 能在格尔木投诉吗: where the writer would complain.
	if strings.HasSuffix(before, "在") {
		rest := text[end:]
		for _, w := range []string{"这边", "那边", "这里", "本地"} {
			rest = strings.TrimPrefix(rest, w)
		}
		if complainHere(rest) || strings.HasPrefix(rest, "投诉") {
			return true
		}
	}
	// 自驾去翡翠湖, to drive to Dachaidan and Mangya, 打车到城西, 从火车站到城西:
	// where the consumer drove or rode to.
	if rodeTo(text, start) {
		return true
	}
	// 第二天要去西宁赶飞机: where the consumer goes to catch a plane or train.
	if hasPrefixAny(text[end:], []string{"赶飞机", "赶火车", "赶高铁", "坐飞机", "坐火车", "坐高铁", "搭飞机", "乘飞机"}) {
		return true
	}
	// 从玉树去拉萨办事, 从玉树带虫草, 从格尔木坐火车, 从化隆来玉树: where the consumer set
	// out from, or where a trader came from (从湟中来的人摆摊), which is not where
	// the business operates (a tour from a place is read by tourStop instead).
	if strings.HasSuffix(before, "从") && (hasPrefixAny(text[end:], []string{"去", "到", "带", "坐"}) || strings.HasPrefix(text[end:], "来")) && !aboutTour() {
		return true
	}
	return false
}

// rodeTo reports whether the place starting at start is named as where
// the consumer drove or rode to (自驾去翡翠湖, to drive to Dachaidan).
func rodeTo(text string, start int) bool {
	return hasSuffixAny(lowerASCII(text[max(0, start-18):start]), rideWords) || droveTo(lowerASCII(text[max(0, start-64):start]))
}

// rideWords, right before a place, name it as where the consumer drove or
// was driven to: not the business's place, which for a taxi is its city.
var rideWords = []string{"自驾去", "自驾到", "开车去", "开车到", "打车到", "打车去", "打的到", "打的去", "坐出租车到", "坐出租车去", "火车站到", "汽车站到", "机场到"}

// droveTo reports whether before, the English text right before a place,
// ends with "drive to " and a list of places the place closes (to drive
// to Dachaidan and Mangya).
func droveTo(before string) bool {
	if !strings.Contains(before, "to ") {
		return false // as every word below ends
	}
	for _, w := range []string{"drive to ", "drove to ", "driving to ", "drive out to ", "drove out to ", "heading to ", "headed to "} {
		i := strings.LastIndex(before, w)
		if i < 0 {
			continue
		}
		list := before[i+len(w):]
		if strings.Trim(list, "abcdefghijklmnopqrstuvwxyz' ,") == "" && (list == "" || strings.HasSuffix(list, " and ") || strings.HasSuffix(list, ", ")) {
			return true
		}
	}
	return false
}

// complainHere reports whether rest, right after a place, asks whether the
// writer can complain there (我在格尔木能投诉吗).
func complainHere(rest string) bool {
	return hasPrefixAny(rest, []string{"能投诉", "可以投诉", "能不能投诉", "投诉吗", "能不能在这边投诉"})
}

// productWords, right after a place in a text about an online purchase,
// name the place's produce (循化核桃, 互助青稞酒) rather than the seller's place.
var productWords = []string{"核桃", "花椒", "辣椒", "线椒", "青稞酒", "青稞", "牦牛肉", "酥油", "蜂蜜", "土蜂蜜", "藏红花", "蕨麻", "人参果", "黄菇", "菜籽油", "土豆", "羊肉"}

// product reports whether the place ending at end names the origin of
// produce.
func product(text string, end int) bool {
	return goodsNamed(strings.TrimPrefix(text[end:], "的"), productWords)
}

// quotedProduct reports whether the place text[start:end] opens a short
// quoted name that is not a business's (网上买的“格尔木昆仑雪菊”): in an online
// purchase, a product's name, so the place is the goods' origin.
func quotedProduct(text string, start, end int) bool {
	before := text[:start]
	var closing string
	switch {
	case strings.HasSuffix(before, "“"):
		closing = "”"
	case strings.HasSuffix(before, "「"):
		closing = "」"
	default:
		return false
	}
	rest := text[end:min(len(text), end+14*3)]
	cl := strings.Index(rest, closing)
	return cl >= 0 && !strings.ContainsAny(rest[:cl], clauseEnd) && !inName(text, start, end)
}

// movingWords name a removals business; moveEnds, right before a place in
// a text that names one, make the place an end of the consumer's move.
var (
	movingWords = []string{"搬家公司", "搬家师傅", "搬家的", "找人搬家", "moving company", "removal company", "movers"}
	moveEnds    = []string{"从", "搬到", "搬去", "搬到了", "搬至", "搬进", "搬回", "搬家到", "搬家去", "搬家至", "move from ", "moved from ", "moving from ", "move to ", "moved to ", "moving to "}
)

// movingJob reports whether the place starting at start is an end of the
// consumer's own move in a text about a removals business (一家西宁的搬家公司，
// 从城中区搬到城东区; we hired movers in Xining to move from Chengdong to
// Haihu): where the consumer lived or moves to, not the business's place.
func movingJob(text string, start int) bool {
	before := lowerASCII(text[max(0, start-16):start])
	endOfMove := hasSuffixAny(before, moveEnds)
	if !endOfMove && (strings.HasSuffix(before, " to ") || strings.HasSuffix(before, " to the ")) {
		// English: "… to Haihu" is an end of the move after "from …".
		endOfMove = strings.Contains(lowerASCII(text[:start]), " from ")
	}
	if !endOfMove {
		return false
	}
	lower := lowerASCII(text)
	return containsAny(lower, movingWords)
}

// brandOwner reports whether the place text[start:end] is named as where
// the owner of a copied brand is (贴的是互助一家大酒厂的商标, 冒充格尔木一家
// 厂的牌子): not where the copy is sold.
func brandOwner(text string, start, end int) bool {
	before := clauseBefore(text, start, 12)
	if !hasSuffixAny(before, []string{"贴的是", "贴着", "冒充", "仿冒", "假冒", "打着"}) {
		return false
	}
	rest := text[end:min(len(text), end+36)]
	if i := clauseEndIndex(rest); i >= 0 {
		rest = rest[:i]
	}
	return containsAny(rest, []string{"商标", "牌子", "品牌", "包装", "名义", "招牌"})
}

// lostAt reports whether the place ending at end is named as where
// something was lost (身份证去年在西宁丢过): no business's place.
func lostAt(text string, end int) bool {
	rest := text[end:]
	return strings.HasPrefix(rest, "丢") || strings.HasPrefix(rest, "遗失") || strings.HasPrefix(rest, "弄丢")
}

// costWords, right after a place, say the goods cost only so much there.
var costWords = []string{"才卖", "只卖", "才要", "只要"}

// comparedShops are the kinds of shop a price is compared with in a place
// (西宁超市才2块): the place's shops in general, not one of them.
var comparedShops = []string{"超市", "商场", "市场", "大超市", "专卖店", "药店", "实体店", "饭馆", "饭店", "餐馆"}

// costs reports whether s starts with costWords or with 才 and an amount
// (才2600, 才一百多, 才两千块).
func costs(s string) bool {
	if hasPrefixAny(s, costWords) {
		return true
	}
	rest, ok := strings.CutPrefix(s, "才")
	if !ok || rest == "" {
		return false
	}
	if rest[0] >= '0' && rest[0] <= '9' {
		return true
	}
	// Numerals in words count when a unit of money or a round number
	// follows within three runes (才一百多, 才五十块), not in 才一个月.
	n := 0
	for _, r := range rest {
		switch {
		case strings.ContainsRune("百千万块元", r):
			return n > 0
		case strings.ContainsRune("一二两三四五六七八九十几", r) && n < 3:
			n++
		default:
			return false
		}
	}
	return false
}

// pricedAt reports whether the place text[start:end] is named only for
// what the goods cost there (同款冰箱在西宁才卖2600多, 西宁才2600, 西宁只要一半,
// 西宁超市才2块, 同款在大十字一家眼镜店才2600, 比西宁市区贵了5毛): where a price
// was compared, not where they were bought.
func pricedAt(text string, start, end int) bool {
	// A place compared with (比西宁市区贵了5毛, 比格尔木的还便宜).
	if strings.HasSuffix(text[:start], "比") {
		after := text[end:]
		i := 0
		for n := 0; n < 4 && i < len(after); n++ { // the next four runes
			_, size := utf8.DecodeRuneInString(after[i:])
			i += size
		}
		if containsAny(after[:i], []string{"贵", "便宜", "高", "低"}) {
			return true
		}
	}
	rest := strings.TrimPrefix(strings.TrimPrefix(text[end:], "那边"), "的")
	if costs(rest) || hasPrefixAny(rest, []string{"卖得便宜", "卖的便宜", "便宜", "要便宜", "价格才", "价格只"}) {
		return true
	}
	// The place's shops in general (西宁超市才2块, 西宁的商场里才卖…).
	for _, w := range comparedShops {
		if r, ok := strings.CutPrefix(rest, w); ok && costs(strings.TrimPrefix(r, "里")) {
			return true
		}
	}
	// The same goods, a shop in the place, then the lower price.
	if before := clauseBefore(text, start, 24); !strings.Contains(before, "同款") && !strings.Contains(before, "同样的") {
		return false
	}
	if i := clauseEndIndex(rest); i >= 0 {
		rest = rest[:i]
	}
	for i := range len(rest) {
		if costs(rest[i:]) {
			return true
		}
	}
	return false
}

// takenToSell reports whether the place text[start:end] is named as where
// goods were taken to be sold (宰完的肉拉到西宁卖给饭馆), not where the
// reported conduct took place.
// So are the places a wholesale goes to (往互助、乐都的小饭馆批发, 拉到镇上和西宁的
// 小商店里卖, 放到西宁的超市里卖), however many are listed.
func takenToSell(text string, start, end int) bool {
	before, rest := text[:start], text[end:]
	if hasSuffixAny(before, []string{"拉到", "运到", "拉去", "运去"}) &&
		hasPrefixAny(rest, []string{"卖", "的市场上卖", "市场上卖"}) {
		return true
	}
	before = clauseBefore(text, start, 30)
	for _, w := range []string{"销往", "发往", "往", "拉到", "运到", "放到", "摆到", "批发到", "卖到"} {
		i := strings.LastIndex(before, w)
		if i < 0 {
			continue
		}
		// Only other places of a list lie between (往互助、乐都).
		if list := before[i+len(w):]; list != "" && (strings.Contains(list, "的") || !strings.HasSuffix(list, "、") && !strings.HasSuffix(list, "和")) {
			return false
		}
		if w == "销往" || w == "批发到" || w == "卖到" {
			return true // the word says the selling (想卖到西宁和外省的超市去)
		}
		if i := clauseEndIndex(rest); i >= 0 {
			rest = rest[:i]
		}
		return containsAny(rest, []string{"批发", "卖给", "销售", "出售", "供货", "铺货", "里卖", "上卖"})
	}
	return false
}

// repairPoint reports whether the place text[start:end] is named as where
// the business would have the consumer take goods for repair (让我们自己拉到
// 西宁的维修点, 拉到西宁的总代理去修, 厂家售后在西宁): a service point
// elsewhere, not the shop that sold them. It is no place of the consumer's
// life either, so the consumer's own county can still be the shop's
// (我是门源县的…在县城一家店买的).
func repairPoint(text string, start, end int) bool {
	before, rest := text[:start], text[end:]
	if hasSuffixAny(before, []string{"售后在", "售后点在", "售后网点在", "售后服务在", "售后中心在"}) {
		return true
	}
	return hasSuffixAny(before, []string{"拉到", "送到", "拿到", "寄到", "带到"}) &&
		hasPrefixAny(rest, []string{"的维修点", "的维修站", "的维修部", "的售后", "的修理", "的总代理", "的代理商", "的厂家", "去修", "修"})
}

// suppliedFrom reports whether the place text[start:end] is where someone
// says a shop got its goods (老板说货是从西宁批发来的, 他们是从西宁进的货): a
// supplier elsewhere, not the shop. Like repairPoint, it is no place of the
// consumer's life either. It needs 说 earlier in the clause: a writer's own
// 我从西宁批发的 names the wholesaler complained of.
func suppliedFrom(text string, start, end int) bool {
	before, ok := strings.CutSuffix(clauseBefore(text, start, 45), "从")
	if !ok || !strings.Contains(before, "说") {
		return false
	}
	rest := text[end:]
	if i := clauseEndIndex(rest); i >= 0 {
		rest = rest[:i]
	}
	return containsAny(rest, []string{"批发来", "批发过来", "批来", "进的货", "进来的", "拿的货", "调来", "调过来"})
}

// distanceFrom reports whether the place text[start:end] is named only to
// say how far something is from it (我们离西宁一百多公里, 距格尔木还有两百
// 公里): a landmark, not where the business is.
func distanceFrom(text string, start, end int) bool {
	if !hasSuffixAny(text[:start], []string{"离", "距离", "距"}) {
		return false
	}
	rest := text[end:]
	if i := clauseEndIndex(rest); i >= 0 {
		rest = rest[:i]
	}
	return containsAny(rest, []string{"公里", "里路", "多远", "很远", "太远", "挺远", "不远", "远得很", "小时"})
}

// otherBranch reports whether the place text[start:end] is named as where
// the business has another branch, beside the one complained of (跟他们在
// 格尔木的连锁店一个样, 按他们格尔木连锁店的规定, they also have a shop in Tongren).
func otherBranch(text string, start, end int) bool {
	before := lowerASCII(clauseBefore(text, start, 24))
	if hasSuffixAny(before, []string{"他们在", "他们家在", "他家在", "她家在"}) &&
		hasPrefixAny(text[end:], []string{"的连锁店", "的分店", "也有店", "也有分店", "还有店", "还有分店", "还有一家店", "的另一家店", "的店一样", "的店也一样", "的店一个样"}) {
		return true
	}
	// 按他们格尔木连锁店的规定 (but 在他们川口镇的分店买的 is where it was bought)
	if hasSuffixAny(before, []string{"他们", "他们家", "他家"}) && !hasSuffixAny(before, []string{"在他们", "在他们家", "在他家", "去他们", "到他们"}) &&
		hasPrefixAny(text[end:], []string{"连锁店", "分店", "总店", "的连锁店", "的分店", "的总店"}) {
		return true
	}
	return hasSuffixAny(lowerASCII(text[max(0, start-40):start]), []string{"also have a shop in ", "also has a shop in ", "also have a store in ", "also has a store in ", "another branch in ", "other branch in ", "another shop in ", "also have a branch in ", "also has a branch in "})
}

// movedFrom reports whether the place ending at end is named as where a
// business moved from (店从城中区搬到城西区).
func movedFrom(text string, end int) bool {
	rest := text[end:]
	return strings.HasPrefix(rest, "搬到") || strings.HasPrefix(rest, "迁到") || strings.HasPrefix(rest, "搬去") || strings.HasPrefix(rest, "迁至")
}

// prefecture returns the code of the prefecture that code lies in (code
// itself for a prefecture), or "" for the province and unknown codes.
func (g *Gazetteer) prefecture(code string) string {
	if r, ok := g.Lookup(code); ok && r.Level == Prefecture {
		return r.Code
	}
	for _, r := range g.Ancestors(code) {
		if r.Level == Prefecture {
			return r.Code
		}
	}
	return ""
}

// ownBusiness reports whether the place text[start:end] is named as the
// writers' own business (我们是湟中的一家藏毯厂): a business reporting
// another that it does not place, unless the other is its neighbour
// (隔壁, 另一家: see rivalNextDoor). An employee (我是…的员工) reports the
// place's business, so only "we are" counts.
func ownBusiness(text string, start, end int) bool {
	return weAreBusiness(text, start, end) && !neighbourNamed(text) && rivalNamed(text)
}

// rivalNamed reports whether text tells of another business wronging the
// writers' (仿冒, 一模一样, 诋毁): without one, writers who name their own
// business ask about it (我们是刚察县的一家牧家乐…列进了经营异常名录), and its
// place is the one that matters.
func rivalNamed(text string) bool {
	return containsAny(text, []string{"仿冒", "假冒", "冒充", "冒用", "山寨", "一模一样", "抄袭", "盗用", "诋毁", "造谣", "另一家", "有家店", "有一家", "网上有", "别人家"})
}

// rivalNextDoor reports whether the place is the writers' own business's
// and the business they report is its neighbour (我们是互助县城开青稞酒专卖店的，
// 同一条街的另一家店…): the place is the business's too, not where the
// consumer lives.
func rivalNextDoor(text string, start, end int) bool {
	return weAreBusiness(text, start, end) && neighbourNamed(text)
}

// weAreBusiness reports whether the place follows 我们是 and is followed by
// a business word, or follows 我是 and is followed by 开 and one (我是湟源县开门窗店的).
func weAreBusiness(text string, start, end int) bool {
	before := text[:start]
	if strings.HasPrefix(text[start:end], "是") {
		before += "是" // the alias 是互助的 begins with the verb: 我们是互助的一家青稞酒厂
	}
	if rest := strings.TrimPrefix(text[end:], "城"); strings.HasSuffix(before, "我是") && strings.HasPrefix(rest, "开") {
		return businessSet.in(afterPlace(text, end)) // 我是湟源县(城)开门窗店的: the writer's own shop
	}
	return strings.HasSuffix(before, "我们是") && businessSet.in(afterPlace(text, end))
}

// ownShop reports whether the place text[start:end] is where the writer
// keeps a shop (我在门源浩门镇开了个小卖部, 我们在西宁开了家面馆) and the text
// is about a business that is not there: an online wholesaler the shop
// bought its stock from (在一个批发app上进货), or the platform it sells on
// (外卖平台强制我参加满减, 平台把佣金从8%降到5%). Where the writer keeps a
// shop is no place of theirs.
func ownShop(text string, start, end int) bool {
	before := clauseBefore(text, start, 24)
	i := strings.LastIndex(before, "在")
	if i < 0 || !hasSuffixAny(before[:i], []string{"我", "我们", "我是", "我们是"}) {
		return false
	}
	after := text[end:min(len(text), end+24)]
	if j := clauseEndIndex(after); j >= 0 {
		after = after[:j]
	}
	if !containsAny(after, []string{"开了", "开个", "开家", "开一家"}) {
		return false
	}
	t := lowerASCII(text)
	if containsAny(t, ownShopSuppliers) {
		return true
	}
	return containsAny(t, []string{"外卖平台", "团购平台", "平台突然", "平台强制"}) &&
		containsAny(t, []string{"突然", "强制", "降排名", "限流", "下架", "下线", "冻结", "扣了", "扣我", "直接从"})
}

// ownShopSuppliers name where a shop bought its stock online.
var ownShopSuppliers = []string{"批发app", "进货app", "订货app", "批发平台", "进货平台", "订货平台", "网上进货", "网上批发", "拼多多上批发", "淘宝上批发", "1688"}

// groupOf reports whether the place follows 我们是 and names the business
// that made the writers a group (我们是西宁一家旅行社组的两日游, 我们是海东市一家
// 旅行社组织的老年团): the business's place, not the consumers'.
func groupOf(text string, start, end int) bool {
	if !weAreBusiness(text, start, end) {
		return false
	}
	after := afterPlace(text, end)
	return strings.Contains(after, "组的") || strings.Contains(after, "组织的") || strings.Contains(after, "带的团")
}

// neighbourNamed reports whether text names a business near the writers'.
func neighbourNamed(text string) bool {
	return containsAny(text, []string{"隔壁", "附近", "旁边", "对面", "另一家", "同一条街", "本地", "县城", "我们这"})
}

// movedTo reports whether the place starting at start is named as where a
// business moved to (店搬到了城北区, 现在店搬到平安区去了, 理发店搬乐都了,
// 城东店已经并到城中区的总店了), and so where it is now; not where the
// consumer moved (我搬到城西区).
func movedTo(text string, start int) bool {
	before := strings.TrimSuffix(text[:start], "了")
	for _, w := range []string{"搬到", "搬去", "迁到", "迁至", "搬迁到", "并到", "并入", "搬"} {
		if pre, ok := strings.CutSuffix(before, w); ok {
			pre = strings.TrimSuffix(strings.TrimSuffix(pre, "都"), "也")
			// A move planned (要搬到西宁) has not happened; one of the
			// consumer's (我搬到, 我们家要搬去) is no business's.
			return !slices.ContainsFunc([]string{"我", "我们", "家", "要", "准备", "打算", "将", "会", "想"}, func(s string) bool { return strings.HasSuffix(pre, s) })
		}
	}
	return false
}

// ticketWords, after a journey's ends (西宁到玉树的大巴票), name the journey;
// railTickets are those of a journey no Qinghai business sells.
var (
	ticketWords = []string{"车票", "机票", "高铁", "动车", "班车", "大巴", "长途车", "航班", "train", "flight", "bus ticket", "coach"}
	railTickets = []string{"火车", "高铁", "动车", "机票", "航班", "train", "flight"}
	// journeyJoiners join a journey's ends (西宁到玉树, Xining to Golmud).
	journeyJoiners = []string{"到", "至", "-", " to ", " To "}
)

// journeyEnd reports whether the place text[start:end] is an end of a
// journey someone bought a ticket for that places no business: its
// destination (西宁到玉树的大巴票: 玉树), or either end of a train or flight
// (抢西宁到兰州的火车票). A coach is the company's where it sets out.
func journeyEnd(text string, start, end int) bool {
	to := hasSuffixAny(text[:start], journeyJoiners)
	from := hasPrefixAny(text[end:], journeyJoiners)
	if !to && !from {
		return false
	}
	after := text[end:min(len(text), end+30)]
	if i := clauseEndIndex(after); i >= 0 {
		after = after[:i]
	}
	// An e-bike (电动车) is no bullet train (动车).
	after = strings.ReplaceAll(lowerASCII(after), "电动车", "")
	has := func(words []string) bool {
		return containsAny(after, words)
	}
	return to && has(ticketWords) || has(railTickets)
}

// returnedTo reports whether the place starting at start is named as where
// the consumer went back to (回西宁后, 回到格尔木, a taxi back to Xining).
func returnedTo(text string, start int) bool {
	before := text[:start]
	return strings.HasSuffix(before, "回") || strings.HasSuffix(before, "回到") ||
		strings.HasSuffix(lowerASCII(text[max(0, start-16):start]), " back to ")
}

// nameEnds end a business's name (老西宁手抓馆, 格尔木大酒店, 西宁XX眼镜),
// besides businessWords.
var nameEnds = []string{"行", "楼", "城", "坊", "庄", "园", "阁", "居", "轩", "堂", "号", "王", "铺", "眼镜", "手抓", "特产"}

// inName reports whether the place text[start:end] is part of a business's
// or a brand's name in quotation marks: “老西宁手抓馆” in 格尔木, “海西柴达木”牌,
// a hotel called "Xining Grand Hotel" — a short quotation that ends like a
// name, or is followed by 牌.
func inName(text string, start, end int) bool {
	const most = 14 * 3 // bytes: a name of up to 14 characters
	from := max(0, start-most)
	open, mark, closing := -1, 0, ""
	for _, q := range [][2]string{{"“", "”"}, {"「", "」"}, {`"`, `"`}} {
		if i := strings.LastIndex(text[from:start], q[0]); i >= 0 && from+i > open {
			open, mark, closing = from+i, len(q[0]), q[1]
		}
	}
	if open < 0 {
		return false
	}
	rest := text[end:min(len(text), end+most)]
	cl := strings.Index(rest, closing)
	if cl < 0 {
		return false
	}
	name := text[open : end+cl] // the opening mark and the name
	// A Chinese name has no spaces; an English one ("Xining Grand Hotel")
	// has them between its words.
	stops := clauseEnd + " "
	if mark == 1 {
		stops = clauseEnd
	}
	if strings.ContainsAny(name[mark:], stops) {
		return false
	}
	if strings.HasPrefix(rest[cl+len(closing):], "牌") {
		return true
	}
	name = lowerASCII(name)
	for _, w := range nameEnds {
		if strings.HasSuffix(name, w) {
			return true
		}
	}
	for _, w := range businessWords {
		if strings.HasSuffix(name, w) {
			return true
		}
	}
	return false
}

// sellerWords, shortly before a place in the same clause, name it as the
// seller's (卖家说他在格尔木, 店铺资质上写的是互助县, a shop based in Tongren).
var sellerWords = []string{"卖家", "商家", "店铺", "店家", "客服说", "店就在", "店在", "店开在", "他们就在", "他家就在", "画室在", "画室就在", "工作室在", "工作室就在", "仓库在", "仓库就在", "主播", "直播间", "发货", "营业执照", "资质", "地址", "厂家",
	"影楼", "她说家就在", "他说家就在", "自己说家就在", "牧场在", "养殖场在", "作坊在", "作坊就在", "工厂在", "工厂就在", "厂子在", "厂子就在", "厂就在", "加工厂在", "实际就在", "实际在", "其实在", "其实就在", "其实是在", "实际是在", "店是", "注册地", "注册在", "登记在", "住所地", "饭店在", "餐厅在", "餐馆在", "饭馆在", "门店在", "酒店在", "宾馆在", "公司在", "公司就在", "超市在",
	"她家在", "他家在", "她家就在", "他家就在", "他们家在", "他们家就在", "主播家在", "他自己就在", "她自己就在", "他本人就在", "她本人就在",
	"seller", "shop", "store", "studio", "based", "ticket", "streamer", "farm"}

// producerWords, in the clause after a place, say that goods sold online
// are made there (城北区一个平房里有人做酸奶在抖音上卖, 丹麻镇家里酿的), sold
// from a stall there (海湖新区小区门口有人摆摊卖虫草，还开着直播) or by a
// business there (水井巷有一商户…通过抖音直播销售, as 12345 writes it): the
// seller's place.
var producerWords = []string{"一商户", "有个商户", "有家商户", "一家商户", "有人做", "有人在家做", "有人在做", "有人加工", "有人生产", "有人灌装", "有人分装", "家里做", "家里酿", "家里生产", "家里加工", "摆摊", "摆地摊", "作坊里做", "居民楼里", "民房里", "出租屋里", "院子里做", "院子里加工", "小院里做"}

// producerPlace reports whether the place ending at end is named as where
// goods sold online are made.
func producerPlace(text string, end int) bool {
	rest := text[end:min(len(text), end+60)]
	if i := clauseEndIndex(rest); i >= 0 {
		rest = rest[:i]
	}
	return containsAny(rest, producerWords)
}

// registeredAt reports whether the place starting at start is named as
// where a business is registered (注册地在德令哈, 住所写的是平安县): its place,
// wherever else the text goes.
func registeredAt(text string, start int) bool {
	return hasSuffixAny(text[:start], []string{"注册地在", "注册地是", "注册在", "登记在", "注册地址在", "注册地址是", "住所在", "住所写的是", "住所是", "经营场所在", "经营场所是", "经营地址在", "经营地址是"})
}

// ownFirm reports whether the place text[start:end], after 我是 or 我们是,
// is that of the writer's own business (我们是刚察县的一个牧民合作社) in a
// text that asks about its registration, licences, trademark, qualifications
// or whether it complies (合规, 秤要不要检定): the writer
// is then the business, not a consumer living there. A writer whose
// trademark others copy (注册商标被人印在…) is not: the copier is the
// business.
func ownFirm(text string, start, end int) bool {
	if !hasSuffixAny(text[:start], []string{"我是", "我们是"}) {
		return false
	}
	// 一个 or 一家 may follow a town (我们是玛沁县大武镇的一个合作社).
	rest := text[end:]
	head := rest[:min(len(rest), 18)]
	if i := clauseEndIndex(head); i >= 0 {
		head = head[:i]
	}
	at := strings.Index(head, "一个")
	if j := strings.Index(head, "一家"); j >= 0 && (at < 0 || j < at) {
		at = j
	}
	if at < 0 {
		return false
	}
	rest = rest[at:]
	rest = rest[:min(len(rest), 36)]
	if i := clauseEndIndex(rest); i >= 0 {
		rest = rest[:i]
	}
	return containsAny(rest, []string{"合作社", "公司", "厂", "店", "企业", "个体户", "商户", "工作室", "农家乐"}) &&
		containsAny(text, []string{"注册", "商标", "营业执照", "办证", "许可证", "备案", "执照", "手续", "资质", "合规", "检定"}) &&
		!containsAny(text, []string{"被人", "盗用", "冒用", "仿", "假冒", "侵权", "山寨", "一模一样", "我们的商标", "我们的注册商标"})
}

// sellerSays, before 人在 and a place, say it is where the seller is (卖家说人在德令哈).
var sellerSays = []string{"卖家说", "商家说", "店家说", "对方说", "卖家说他", "卖家说她", "老板说", "老板说他"}

// ownSelling reports whether text asks what a writer who wants to sell
// online needs (想在网上卖…需要办什么证, 想开网店要不要办营业执照,
// 想上外卖平台，要准备哪些证件, 想做牦牛肉干放到快手上卖, 想做手游代练).
func ownSelling(text string) bool {
	return sellSet.in(text) && intentSet.in(text) && licenceSet.in(text)
}

// sellWords, intentWords and licenceWords make up ownSelling's question:
// selling (online or in a shop) of one's own, an intention, and a licence.
var sellWords = []string{"网上卖", "开网店", "上卖自家", "上卖自己", "开个店卖", "开个网店", "直播卖", "直播间卖", "直播间里卖", "顺便卖", "平台上卖", "上外卖平台", "入驻外卖", "快手上卖", "抖音上卖", "淘宝上卖", "微信上卖", "朋友圈卖", "拼多多上卖", "闲鱼上卖", "小红书上卖", "京东上卖", "代练", "代售"}
var intentWords = []string{"想", "打算", "准备", "请问"}
var licenceWords = []string{"办什么证", "办哪些证", "办啥证", "营业执照", "要不要办", "需要办", "什么手续", "什么许可", "哪些证件", "什么证件"}

var sellSet, intentSet, licenceSet = newWordSet(sellWords), newWordSet(intentWords), newWordSet(licenceWords)

// remoteWords, right after a place, name it as where goods are to be
// delivered or serviced (商家说青海果洛是偏远地区, 果洛久治不在安装范围,
// 治多没有售后网点, 我们囊谦太偏了发不了): the buyer's.
var remoteWords = []string{"没有网点", "没网点", "没有售后", "没有维修点", "没有服务网点", "是偏远", "属于偏远", "偏远地区", "不在安装范围", "不在免费安装范围", "不在免费配送范围", "不在配送范围", "不在服务范围", "不在发货范围", "不包邮", "地区不发", "那边不发", "不发货", "太偏", "太远", "发不了", "送不了", "送不到", "不送货", "不配送"}

// sellerPlace reports whether the place starting at start is named as the
// seller's.
func sellerPlace(text string, start int) bool {
	before := clauseBefore(text, start, 36)
	for _, w := range sellerWords {
		if strings.Contains(before, w) {
			return true
		}
	}
	return false
}

// neighbourWords say that a seller lives by the buyer.
var neighbourWords = []string{"同小区", "同一个小区", "一个小区的", "同一小区", "邻居", "对面楼", "楼下", "楼上", "隔壁楼", "同一栋楼", "同楼", "隔壁单元"}

// neighbourSale reports whether text tells of a second-hand sale on Xianyu
// (闲鱼) between neighbours.
func neighbourSale(text string) bool {
	return (strings.Contains(text, "闲鱼") || strings.Contains(lowerASCII(text), "xianyu")) && containsAny(text, neighbourWords)
}

// onlineWords say that goods were bought online.
var onlineWords = []string{"网上买", "网上给", "手机上买", "主播", "小程序", "七天无理由", "7天无理由", "无理由退货", "某宝", "某东", "某猫", "某多多", "某音", "包邮", "手机上下单", "app上买", "app上约", "app上预约", "app上订", "多多上", "商品页面", "商品详情", "详情页", "网上下单", "网上订", "网上报", "网上购", "网上一家", "网上一个", "网上有家", "网上有个", "网上的店", "网购", "网店", "旗舰店", "直播", "手游", "游戏里", "游戏公司", "游戏客服", "游戏账号", "自动续费", "app会员", "视频app", "视频会员", "网盘", "mobile game", "in-game", "淘宝", "拼多多", "京东", "抖音", "快手", "闲鱼", "平台", "外卖", "团购", "拼团", "online", "pdd", "taobao", "tmall", "jd.com", "shopping app", "live stream", "livestream", "e-commerce", "on jd", "from jd", "jd store", "jd shop"}

// online reports whether text tells of a purchase made online.
func online(text string) bool {
	t := lowerASCII(text)
	if !onlineSet.in(t) {
		// Taking 卖 from 往外卖 below cannot make a word of the set.
		return ecommerce(text)
	}
	if !strings.Contains(t, "外卖") {
		return true
	}
	for _, w := range []string{"往外卖", "向外卖", "对外卖"} {
		if strings.Contains(t, w) {
			t = strings.ReplaceAll(t, w, "往外") // 以后好往外卖: selling further afield, not a takeaway (外卖)
		}
	}
	return onlineSet.in(t) || ecommerce(text)
}

// ecommerce reports whether text says 电商 (e-commerce) other than inside
// 家电商场, 家电商城 or 家电商行, which are shops.
func ecommerce(text string) bool {
	n := strings.Count(text, "电商")
	return n > 0 && n > strings.Count(text, "电商场")+strings.Count(text, "电商城")+strings.Count(text, "电商行")
}

// shopWords tell that what was bought online is used in a shop (a
// group-buy voucher for a car wash, or for a KTV room or a meal: 包厢,
// 结账时, 堂食), a room booked online is stayed in (到了前台, 只能住) or a
// ticket is used at the gate (检票口): the place named is then the shop's,
// the hotel's or the scenic area's. inShop looks for them in the text with
// its Latin letters lower-cased (KTV, Front desk).
var shopWords = []string{"到店", "去店里", "包厢", "唱歌", "ktv", "结账时", "结账的时候", "买单时", "买单的时候", "在店里吃", "堂食", "去了店里", "到了店里", "门店", "核销", "团购券", "套餐券", "团长", "社区团购", "电商服务站", "实体店", "线下", "前台", "入住", "只能住", "住了一晚", "住了两晚", "住了一夜", "检票口", "讲座", "front desk", "reception", "checked in", "at a shop", "in a shop", "at the shop", "at a store", "in a store", "when i arrived", "when we arrived"}

// kitchenWords, in a text about a takeaway (外卖), say the complaint is
// about the food and so the restaurant, which cooks near where it
// delivers, rather than about the platform's delivery.
var kitchenWords = []string{"吃出", "吃了", "吃坏", "拉肚子", "腹泻", "后厨", "厨房", "作坊", "头发", "异物", "苍蝇", "虫子", "老鼠", "变质", "馊"}

// inShop reports whether text tells of an online purchase used in a shop,
// or of a takeaway meal whose cooking is complained of.
func inShop(text string) bool {
	return shopSet.in(lowerASCII(text)) || strings.Contains(text, "外卖") && kitchenSet.in(text)
}

var onlineSet, shopSet, kitchenSet, tourSet = newWordSet(onlineWords), newWordSet(shopWords), newWordSet(kitchenWords), newWordSet(tourWords)

var businessSet = newWordSet(businessWords)

// ticketSet says that what was bought online is a ticket, which is for a
// place's scenic area or show (土族故土园的小程序上买的门票).
var ticketSet = newWordSet([]string{"门票", "套票", "演出票", "小火车票", "索道票", "ticket"})

// wordSet tells whether any of its words occurs in a text, anywhere (as
// strings.Contains would), in one pass over the text.
type wordSet struct {
	first *firstRunes[string]
}

func newWordSet(words []string) *wordSet {
	by := map[rune][]string{}
	for _, w := range words {
		r, _ := utf8.DecodeRuneInString(w)
		by[r] = append(by[r], w)
	}
	return &wordSet{first: newFirstRunes(by)}
}

// in reports whether text contains one of the set's words.
func (s *wordSet) in(text string) bool {
	_, _, ok := s.find(text, 0)
	return ok
}

// find returns the first of the set's words in text at or after byte from,
// and where it starts.
func (s *wordSet) find(text string, from int) (string, int, bool) {
	for i := from; i < len(text); {
		r, size := hanzi.DecodeRune(text, i)
		for _, w := range s.first.lookup(r) {
			if strings.HasPrefix(text[i:], w) {
				return w, i, true
			}
		}
		i += size
	}
	return "", 0, false
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// isLetter reports whether c is an ASCII letter.
func isLetter(c byte) bool { return c|0x20 >= 'a' && c|0x20 <= 'z' }

// lowerASCII lower-cases ASCII letters only, keeping byte offsets intact.
func lowerASCII(s string) string {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c >= 'A' && c <= 'Z' {
			b := []byte(s)
			for j := i; j < len(b); j++ {
				if b[j] >= 'A' && b[j] <= 'Z' {
					b[j] += 'a' - 'A'
				}
			}
			return string(b)
		}
	}
	return s
}

// hasSuffixAny reports whether s ends with one of words.
//
// A word's last byte is compared first: it tells most words apart (the
// last byte of a Han character takes 64 values), so few of the
// comparisons these lists make reach the byte-by-byte one.
func hasSuffixAny(s string, words []string) bool {
	for _, w := range words {
		if n := len(w); n <= len(s) && (n == 0 || s[len(s)-1] == w[n-1]) && s[len(s)-n:] == w {
			return true
		}
	}
	return false
}

// hasPrefixAny reports whether s begins with one of words. As in
// hasSuffixAny, the byte where the word would end is compared first.
func hasPrefixAny(s string, words []string) bool {
	for _, w := range words {
		if n := len(w); n <= len(s) && (n == 0 || s[n-1] == w[n-1]) && s[:n] == w {
			return true
		}
	}
	return false
}

// containsAny reports whether s contains one of words.
func containsAny(s string, words []string) bool {
	return slices.ContainsFunc(words, func(w string) bool { return strings.Contains(s, w) })
}
