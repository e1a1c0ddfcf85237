package region

import (
	"slices"
	"strings"
)

// outsideNames are places outside Qinghai that consumers name as where a
// business is: the other provinces (海南 and 河南 only with 省, since
// Qinghai has a 海南州 and a 河南县) and the cities Qinghai's consumers
// travel to most. The list is for telling that a business is out of the
// province; it is not a gazetteer of China.
var outsideNames = []string{
	"北京", "天津", "上海", "重庆", "河北", "山西", "内蒙古", "辽宁", "吉林", "黑龙江", "江苏", "浙江", "安徽",
	"福建", "江西", "山东", "河南省", "湖北", "湖南", "广东", "广西", "海南省", "四川", "贵州", "云南", "西藏",
	"陕西", "甘肃", "宁夏", "新疆", "香港", "澳门", "台湾",
	"兰州", "西安", "成都", "拉萨", "银川", "乌鲁木齐", "敦煌", "张掖", "武威", "临夏", "酒泉", "嘉峪关",
	"郑州", "武汉", "长沙", "广州", "深圳", "杭州", "南京", "苏州", "义乌", "昆明", "贵阳", "石家庄", "太原",
	"呼和浩特", "沈阳", "长春", "哈尔滨", "济南", "青岛", "合肥", "福州", "厦门", "南昌", "南宁", "海口", "三亚",
}

// elsewhereWords, after 外地 (elsewhere), tell of a purchase or a business
// there: 去外地旅游时在一家美妆店买的, 在外地买的手机, 在外地注册的公司.
var elsewhereWords = []string{"旅游", "旅行", "出差", "看病", "买", "一家", "的一家", "某", "的店", "的商家", "的公司", "注册"}

var outsideSet = newWordSet(outsideNames)

// Outside returns the first place outside Qinghai that text names (an
// address such as 甘肃省兰州市城关区…), if any.
func Outside(text string) (string, bool) {
	w, _, ok := outsideSet.find(text, 0)
	return w, ok
}

// outsideBusiness reports whether text names a place outside Qinghai as
// where it deals with a business: 在成都一家手机店, 拉萨一家旅行社, 去兰州出差时
// 在一家商场, 兰州市某商场, or says only that it was elsewhere (去外地旅游时
// 在一家美妆店买的, 在外地买的). A name within a Qinghai place (格尔木's 西藏路)
// or before a dish (兰州拉面, 四川火锅) is not one, nor is 外地 where the
// consumer works (在外地打工).
func outsideBusiness(text string, accepted []hit) bool {
	for at := 0; ; {
		i := strings.Index(text[at:], "外地")
		if i < 0 {
			break
		}
		at += i + len("外地")
		if hasPrefixAny(text[at:], elsewhereWords) {
			return true
		}
	}
	return anyOutside(text, accepted, func(start, end int) bool {
		before, after := text[:start], text[end:]
		return strings.HasSuffix(before, "在") || strings.HasSuffix(before, "去") ||
			hasPrefixAny(after, []string{"一家", "的一家", "某", "市", "省"})
	})
}

// anyOutside reports whether f holds for a name of outsideNames in text,
// at text[start:end], that is not within a Qinghai place accepted there
// (格尔木's 西藏路).
func anyOutside(text string, accepted []hit, f func(start, end int) bool) bool {
	for at := 0; ; {
		w, i, ok := outsideSet.find(text, at)
		if !ok {
			return false
		}
		at = i + len(w)
		if !slices.ContainsFunc(accepted, func(h hit) bool { return h.start <= i && i < h.end }) && f(i, at) {
			return true
		}
	}
}

// outsideNamesEN are places outside Qinghai that English texts name most
// as where a travel agency is.
var outsideNamesEN = []string{"beijing", "shanghai", "chengdu", "chongqing", "lanzhou", "xi'an", "xian", "guangzhou", "shenzhen", "lhasa", "dunhuang", "hangzhou", "wuhan", "kunming", "nanjing", "sichuan", "gansu", "tibet"}

// outsideAgency reports whether text names a travel agency outside Qinghai
// (重庆一家旅行社, 在成都报的团, a Beijing agency, an agency in Chengdu). On its
// tour the agency answers for the shops, hotels and stops in Qinghai, as a
// Qinghai agency does (see agencyNamed).
func outsideAgency(text string, accepted []hit) bool {
	if anyOutside(text, accepted, func(_, end int) bool {
		return containsAny(afterPlace(text, end), agencyWords) || hasPrefixAny(strings.TrimPrefix(text[end:], "市"), []string{"报的团", "报的旅游团", "报团"})
	}) {
		return true
	}
	t := lowerASCII(text)
	for _, n := range outsideNamesEN {
		for at := 0; ; {
			i := strings.Index(t[at:], n)
			if i < 0 {
				break
			}
			i += at
			at = i + len(n)
			if i > 0 && isLetter(t[i-1]) || latinAt(t, at) {
				continue // inside another word
			}
			after := afterPlace(text, at)
			if strings.HasPrefix(after, " agency") || containsAny(after, agencyWords) ||
				hasSuffixAny(t[max(0, i-24):i], []string{"agency in ", "agency from ", "agency based in ", "agency of ", "company in ", "company from "}) {
				return true
			}
		}
	}
	return false
}

// homeWords in an address field mark a home (a flat in a housing estate)
// rather than a business's premises.
var homeWords = []string{"号楼", "单元", "小区", "家属院", "宿舍", "我家", "家里", "收货地址", "收件地址"}

// Residential reports whether a business address looks like a home
// (西宁市城北区朝阳东路某小区3号楼2单元): consumers sometimes give their own
// address in the business's field.
func Residential(addr string) bool {
	in := func(w string) bool { return strings.Contains(addr, w) }
	return slices.ContainsFunc(homeWords, in) && !slices.ContainsFunc(businessWords, in) && !slices.ContainsFunc(premisesWords, in)
}

// ConsumersHome reports whether a business address is most likely the
// consumer's own: it looks like a home (Residential), and the complaint's
// text does not tell of a business run in one (WorksFromHome). The
// classifier and the router both decide with it.
func ConsumersHome(addr, text string) bool {
	return Residential(addr) && !WorksFromHome(text)
}

// WorksFromHome reports whether text tells of a business run in a home (外卖
// 店都在一个居民楼里, 在住户家的厨房里做的, 家庭作坊): then a home's address in
// the business's field is the business's.
func WorksFromHome(text string) bool {
	return containsAny(text, homeBusinessWords)
}

// homeBusinessWords tell of a business run in a home.
var homeBusinessWords = []string{"居民楼里", "住户家", "家庭作坊", "民房里", "出租屋里", "在家里做", "自家厨房"}

// premisesWords in an address mark a business's premises within a housing
// estate (某小区底商), or buildings numbered as homes are (某电商产业园3号楼).
var premisesWords = []string{"底商", "商铺", "铺面", "临街", "产业园", "工业园", "科技园", "物流园", "创业园", "孵化", "写字楼", "商务楼", "办公楼", "大厦"}

// Online reports whether text tells of a purchase made online.
func Online(text string) bool { return online(text) }
