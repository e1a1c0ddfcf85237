package classify

import (
	"bytes"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/open12315/intake/shared/hanzi"
	"github.com/open12315/intake/shared/region"
)

func mustDefault(t testing.TB) *Classifier {
	t.Helper()
	c, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestTaxonomy(t *testing.T) {
	tx, err := DefaultTaxonomy()
	if err != nil {
		t.Fatal(err)
	}
	if tx.Version == "" || len(tx.Natures) != 10 || len(tx.CCAGoods) != 10 || len(tx.CCAServices) != 13 || len(tx.Lines) != 13 {
		t.Errorf("taxonomy sizes: natures %d goods %d services %d lines %d", len(tx.Natures), len(tx.CCAGoods), len(tx.CCAServices), len(tx.Lines))
	}
	for _, code := range []string{"finance", "telecom", "labour", "housing", "health", "transport", "police"} {
		a, ok := tx.Agency(code)
		if !ok || a.Name == "" || a.Contact == "" {
			t.Errorf("agency %s: %+v %v", code, a, ok)
		}
	}
	if _, err := ParseTaxonomy([]byte(`{"version":""}`)); err == nil {
		t.Error("empty taxonomy accepted")
	}
}

// Every label in the shipped examples must be a taxonomy label, and the set
// must be large and varied enough to train on. The cases come without their
// class (see ShippedExamples), which the file still holds.
func TestShippedExamples(t *testing.T) {
	tx, _ := DefaultTaxonomy()
	ex, err := ShippedExamples()
	if err != nil {
		t.Fatal(err)
	}
	cases := loadCases(t)
	if len(ex) < 400+len(cases) {
		t.Errorf("only %d examples besides %d cases", len(ex)-len(cases), len(cases))
	}
	g := region.Default()
	for i, c := range cases {
		e := ex[len(ex)-len(cases)+i]
		if e.ID != c.ID || e.CCAClass != "" || !tx.Valid(FieldCCAClass, c.CCAClass) {
			t.Fatalf("case %s: trained as %s with class %q, file's class %q", c.ID, e.ID, e.CCAClass, c.CCAClass)
		}
		if r, ok := g.Record(c.Region); c.Region != "" && (!ok || r.Legacy()) {
			t.Errorf("case %s: region %q is not a current code", c.ID, c.Region)
		}
	}
	lines, english, short := map[string]int{}, 0, 0
	ids := map[string]bool{}
	for i, e := range ex {
		if ids[e.ID] {
			t.Errorf("duplicate id %s", e.ID)
		}
		ids[e.ID] = true
		if i >= len(ex)-len(cases) {
			e.CCAClass = cases[i-(len(ex)-len(cases))].CCAClass
		}
		for _, f := range Fields {
			if f != FieldAgency && !tx.Valid(f, e.Label(f)) {
				t.Errorf("%s: %s %q not in taxonomy", e.ID, f, e.Label(f))
			}
		}
		// A referral names its agency; no other case has one.
		if e.Line == "referral" && !tx.Valid(FieldAgency, e.Agency) {
			t.Errorf("%s: referral without a known agency %q", e.ID, e.Agency)
		}
		if e.Line != "referral" && e.Agency != "" {
			t.Errorf("%s: agency %q on a %s case", e.ID, e.Agency, e.Line)
		}
		lines[e.Line]++
		if !strings.ContainsFunc(e.Text, func(r rune) bool { return r > 0x2E80 }) {
			english++
		}
		if len([]rune(e.Text)) <= 15 {
			short++
		}
	}
	for _, l := range tx.Lines {
		if lines[l.Code] < 10 {
			t.Errorf("line %s has %d examples", l.Code, lines[l.Code])
		}
	}
	if english < 8 || short < 30 {
		t.Errorf("english %d, short %d", english, short)
	}
}

// TestCatalogueClasses checks goods and service classes that catalogue
// words decide where the model, which learns the class from the
// hand-written examples alone, reads them otherwise: coal, pet food and
// wool are daily goods, street food is food, a ski resort is a sports
// service. The last four rows already held before their words were added
// (the cases, whose classes the model does not train on, label them so).
func TestCatalogueClasses(t *testing.T) {
	c := mustDefault(t)
	for _, tt := range []struct{ text, want string }{
		{"买了两吨块煤，里面掺了一半石头", "日用商品类"},
		{"蜂窝煤一百块里有二十块是碎的", "日用商品类"},
		{"宠物店买的狗粮过期了", "日用商品类"},
		{"说是纯羊毛的围巾，烧了一下是化纤", "日用商品类"},
		{"路边摊买的凉皮吃完拉肚子", "食品类"},
		{"滑雪场租的雪具是坏的，押金也不退", "文化、娱乐、体育服务类"},
		{"化隆一家牛肉面馆的面里吃出了头发", "生活、社会服务类"},
		{"在干洗店洗的羽绒服洗完缩水了", "生活、社会服务类"},
		{"汽配店卖的刹车片是翻新的", "交通工具类"},
		{"小区旁边的液化气站缺斤少两", "公共设施服务类"},
		{"小区的充电桩充一次多扣了十块", "公共设施服务类"},
		{"新装的塑钢窗一冬天就变形了", "房屋及建材类"},
		{"实木门用了半年裂了好几道缝", "房屋及建材类"},
	} {
		if got := c.Classify(Input{Text: tt.text}).CCAClass.Label; got != tt.want {
			t.Errorf("%q: class %s, want %s", tt.text, got, tt.want)
		}
	}
}

func TestClassifyCases(t *testing.T) {
	c := mustDefault(t)
	// An empty typ is not checked: a referral goes to its agency whatever
	// its type, and for scams and public works the realistic cases are
	// labelled either way (the 81 pyramid-scheme cases all as reports).
	tests := []struct {
		in                Input
		typ, line, region string
		agency            string
	}{
		{Input{Text: "举报城北区一家饭店使用地沟油，请依法查处。西宁"}, "report", "food", "630105", ""},
		// (Its type is not checked: the cases label lifts that trap people
		// reports 70 times and complaints 43 times.)
		{Input{Text: "小区电梯经常困人，物业不管。", BusinessAddress: "西宁市城西区胜利路"}, "", "special_equipment", "630104", ""},
		// A home's address in the business's field: the text's place wins,
		// and an online purchase has none.
		{Input{Text: "上周去德令哈出差，在火车站附近一家宾馆住了一晚，床单上有血迹，前台态度很差还骂人。", BusinessAddress: "西宁市城北区朝阳街道某小区5号楼301"}, "complaint", "contract_service", "632802", ""},
		{Input{Text: "网上买的手机壳，收到颜色完全不一样", BusinessAddress: "西宁市城西区胜利路某小区"}, "complaint", "online", "", ""},
		// …unless the text says the business is run in a home.
		{Input{Text: "举报外卖平台上好几家店，骑手都是到同一个居民楼里取餐，就是在住户家的厨房里做的，请去查一下", BusinessAddress: "西宁市城北区小桥大街某小区3号楼2单元"}, "report", "food", "630105", ""},
		{Input{Text: "米皮里有头发", BusinessAddress: "东关大街 小吃店"}, "complaint", "food", "630102", ""},
		// An address that names only the prefecture is made precise by a county of it in the text.
		{Input{Text: "在香日德镇路边摊买的红枸杞，泡了一下水全红了，手上也染色，怀疑是拿色素泡过的，要求退钱。", BusinessAddress: "海西州"}, "complaint", "food", "632822", ""},
		// An address out of the province wins over the consumer's home in the text.
		{Input{Text: "我是海东乐都的，在一家眼镜店配了隐形眼镜，戴了两天眼睛红肿，店家说是我自己不会戴。", BusinessAddress: "甘肃省兰州市城关区某某路18号"}, "complaint", "drug", "", ""},
		{Input{Text: "菜市场的摊主用鬼秤，二斤肉少了三两。", BusinessRegion: "632801"}, "complaint", "metrology", "632801", ""},
		{Input{Text: "请问预付卡商家跑路了能退钱吗？"}, "inquiry", "contract_service", "", ""},
		{Input{Text: "家具城广告写全省第一 能举报不"}, "inquiry", "advertising", "", ""},
		// Asking after a report's reward is an inquiry, not a report.
		{Input{Text: "我举报的卖过期食品的超市被罚了2万，举报奖励是按罚款的百分之几算？"}, "inquiry", "food", "", ""},
		{Input{Text: "举报卖假种子的查实了，奖金怎么领？"}, "inquiry", "quality", "", ""},
		{Input{Text: "举报无证小作坊做馒头有奖金吗"}, "inquiry", "food", "", ""},
		// So is asking whether the business will learn who reported it,
		// or which number to call.
		{Input{Text: "想举报楼下饭馆后厨脏，举报人信息会告诉老板吗？"}, "inquiry", "food", "", ""},
		{Input{Text: "超市卖过期面包，应该打12315还是12345"}, "inquiry", "food", "", ""},
		{Input{Text: "来电咨询怎么查企业信用"}, "inquiry", "licensing", "", ""},                               // a business's public record, not a bank's credit                         // asks whether one may report
		{Input{Text: "网上买的帐篷到了杆子是断的，卖家让我自己出80块运费寄回去，这合理吗？我要求免费退货"}, "complaint", "online", "", ""}, // a question, but a demand too
		// A school's lunch from an outside caterer is a food-safety matter, not the education bureau's.
		{Input{Text: "我孩子在城中区一所小学上学，学校中午的饭是外面一家配送公司送来的。孩子最近老说吃到没熟的土豆和发酸的米饭，上周五班上有六七个孩子下午肚子疼。希望市场监管局去查一下这家配送公司的资质"}, "report", "food", "630103", ""},
		{Input{Text: "手机话费每个月多扣三十元，运营商说我订了增值业务。"}, "complaint", "referral", "", "telecom"},
		{Input{Text: "网贷公司暴力催收，天天打电话骚扰我的家人。"}, "complaint", "referral", "", "finance"},
		{Input{Text: "老板拖欠工资三个月了"}, "complaint", "referral", "", "labour"},
		{Input{Text: "一家装修公司拖欠我工钱，我给他们贴了两个月瓷砖，一万二一直拖着"}, "complaint", "referral", "", "labour"},
		// A ride-hailing driver who never came; a scam asking for a top-up card's password.
		{Input{Text: "司机一直不来，等了二十分钟我取消订单还扣了我5块钱，凭啥"}, "complaint", "referral", "", "transport"},
		{Input{Text: "接到电话说充值送话费，让我把充值卡上的密码发过去，结果话费没到，电话关机了"}, "", "referral", "", "police"},
		// A car broken into, a fight, a phone cut off over a few yuan, a
		// lost EMS letter, a teacher's insults, a fake operator's app.
		{Input{Text: "商场地下停车场我的车被撬了，丢了个包，停车场说不负责"}, "complaint", "referral", "", "police"},
		{Input{Text: "在城中区一家KTV跟隔壁包间的人打起来了，我被打了好几拳，KTV保安看着不管"}, "complaint", "referral", "630103", "police"},
		{Input{Text: "就欠了两块钱就停机了，充了钱半天也不开"}, "complaint", "referral", "", "telecom"},
		{Input{Text: "孩子的EMS录取通知书丢了"}, "complaint", "referral", "", "postal"},
		{Input{Text: "老师当着全班同学的面骂我娃是笨蛋，娃现在不想去上学"}, "complaint", "referral", "", "education"},
		{Input{Text: "接到自称运营商客服的电话，说号码违规要停机，让我下载一个会议软件"}, "", "referral", "", "police"},
		// A loan taken out in the buyer's name behind their back is for the
		// police; a dispute over a bride price is for neither market nor money.
		{Input{Text: "卖手机的拿我身份证偷偷办了贷款，我一分钱没拿到，现在每个月扣我钱"}, "complaint", "referral", "", "police"},
		{Input{Text: "店员趁我不注意用我的名字多办了一部手机的分期贷款，现在让我还两份钱"}, "complaint", "referral", "", "police"},
		{Input{Text: "男方说好的彩礼钱现在又要退回去一半，这种事能管吗"}, "inquiry", "referral", "", "general"},
		// English: a fapiao refused (tax), a phone top-up or home internet
		// (telecom), a residence permit or a foreign driving permit (police).
		{Input{Text: "The restaurant refused to give us a fapiao for our company dinner, who do I report this to?"}, "", "referral", "", "general"},
		{Input{Text: "I topped up my phone with 100 yuan yesterday and the money still has not arrived"}, "complaint", "referral", "", "telecom"},
		{Input{Text: "home internet not working 3 days now, nobody came"}, "complaint", "referral", "", "telecom"},
		{Input{Text: "My residence permit runs out next month. Where can I extend it?"}, "inquiry", "referral", "", "police"},
		{Input{Text: "Can I drive a rented car here with my international driving permit?"}, "inquiry", "referral", "", "police"},
		{Input{Text: "The restaurant keeps the fire exit locked"}, "", "referral", "", "general"},
		// English: the tea-house scam, a pickpocket, a pyramid scheme.
		{Input{Text: "Two students asked to practise English with me and took me to a tea ceremony, the bill was 900 yuan"}, "complaint", "referral", "", "police"},
		{Input{Text: "pickpocket on the bus stop at the market, my wallet gone"}, "", "referral", "", "police"},
		{Input{Text: "An MLM group keeps recruiting students in our building, please check"}, "report", "referral", "", "police"},
		// English: airlines and lost luggage (transport).
		{Input{Text: "flight cancelled and the airline still has not refunded me after a month"}, "complaint", "referral", "", "transport"},
		{Input{Text: "lost lugage, nobody answers my emails"}, "complaint", "referral", "", "transport"},
		// English: a fake monk asking for money (police), not a fake brand;
		// a lift misspelt (电悌) is still a lift.
		{Input{Text: "fake monk at the monastery gate asking tourists 100 yuan for a blessing"}, "", "referral", "", "police"},
		{Input{Text: "小区电悌停运一周没人管"}, "", "special_equipment", "", ""},
		// English: an insurer that will not pay a claim (finance).
		{Input{Text: "The insurer will pay only 30% of my hail damage claim in Golmud, my policy says full cover"}, "", "referral", "632801", "finance"},
		// A hidden camera in a hotel room (police), roaming charges
		// (telecom), a parcel posted at the post office (postal).
		{Input{Text: "there was a hidden camera in the smoke detector of our hotel room"}, "", "referral", "", "police"},
		{Input{Text: "roaming charge 260 yuan on my bill, I never turned roaming on"}, "", "referral", "", "telecom"},
		{Input{Text: "在邮局寄了一斤虫草给亲戚，对方收到一称少了60克，邮局工作人员说封口完好不赔"}, "", "referral", "", "postal"},
		// Fuel short of what was paid for is metrology's, even when the
		// station also refused an invoice (tax).
		{Input{Text: "互助县城一家加油站，加的油不够数，还不给开发票"}, "", "metrology", "630223", ""},
		// A nanny who beat the old person she cared for (police), though a
		// housekeeping agency placed her.
		{Input{Text: "家政公司介绍的保姆趁我们不在家打我爸，老人胳膊上全是淤青，公司说不归他们管"}, "", "referral", "", "police"},
		{Input{Text: "装修公司的人打我爸手机说还要加钱"}, "", "contract_service", "", ""}, // a phone call (打…手机) is no blow
		// English: taxi meters that run fast (metrology), in the plural too.
		{Input{Text: "Taxi meters in Golmud jump far too fast, please test them"}, "", "metrology", "632801", ""},
		// Questions about reporting (rewards, being named, being blamed)
		// are inquiries, however often they say 举报.
		{Input{Text: "举报收病死猪做腊肠的能奖多少钱"}, "inquiry", "food", "", ""},
		{Input{Text: "举报了隔壁做凉皮的黑作坊，老板会知道是我吗"}, "inquiry", "food", "", ""},
		// English: a swimming pool's water (health).
		{Input{Text: "the pool water at the sports centre stinks of chlorine and my eyes burn after every swim"}, "", "referral", "", "health"},
		{Input{Text: "在汽修厂干活砸伤了手，老板不给算工伤"}, "", "referral", "", "labour"},                                           // an injury at work
		{Input{Text: "warranty card not stamped by the shop, still valid?"}, "inquiry", "contract_service", "", ""}, // a question in English
		// A courier named by its brand, or its transit centre (postal).
		{Input{Text: "申通的件卡在转运中心五天了，打客服没人接"}, "", "referral", "", "postal"},
		// Illegal lotteries and gambling machines (police).
		{Input{Text: "大通有个小卖部后头卖私彩"}, "", "referral", "630121", "police"},
		{Input{Text: "湟源一家小卖部里摆着老虎机"}, "", "referral", "630123", "police"},
		// A securities firm's adviser mis-selling a fund (securities).
		{Input{Text: "the securities company branch sold me a fund as low risk and it lost a third"}, "", "referral", "", "securities"},
		// English: a dentist (health). (Its type is not checked: the model
		// reads it as a complaint or a report by a hair, 0.49 to 0.51.)
		{Input{Text: "the dentist refuses to redo my filling that fell out after a week"}, "", "referral", "", "health"},
		// English: police registration and a visa (police), a shop that
		// refuses cash or a loan app (finance), a cancelled number (telecom).
		{Input{Text: "do i need police registration if i stay at a friends flat?"}, "inquiry", "referral", "", "police"},
		{Input{Text: "tourist visa ends next week how long to extend"}, "inquiry", "referral", "", "police"},
		{Input{Text: "shop refuses cash, only wechat, allowed?"}, "inquiry", "referral", "", "finance"},
		{Input{Text: "a loan app keeps texting my friends that I owe money, I never borrowed"}, "", "referral", "", "finance"},
		{Input{Text: "my number was cancelled after my visa renewal, lost all my messages"}, "complaint", "referral", "", "telecom"},
		// Asking for the fire brigade to inspect.
		{Input{Text: "宾馆房间的烟雾报警器是坏的，电线都露在外面，请消防的来查一下"}, "", "referral", "", "general"},
		// Door-to-door sellers who say the government requires their goods.
		{Input{Text: "有人挨家挨户卖取暖炉，说是政府指定的，不买就不给补贴"}, "", "advertising", "", ""},
		// A school canteen's food, in English, is the regulator's.
		{Input{Text: "Where can I complain about my daughter's school canteen? The rice is often cold and undercooked"}, "inquiry", "food", "", ""},
		// Referrals without the agency's usual words: wages without 工资, a
		// parcel locker's fee, a pyramid scheme, a courier in English.
		{Input{Text: "在火锅店当服务员干了两个月，老板一直拖着不给钱"}, "complaint", "referral", "", "labour"},
		{Input{Text: "小区的快递驿站取件要收两块钱，不给不让取"}, "complaint", "referral", "", "postal"},
		{Input{Text: "在城东区一家餐馆当服务员，干了三个月，老板只发了第一个月的钱"}, "complaint", "referral", "630102", "labour"},
		{Input{Text: "有个项目交3万块入门费，拉够人头就能拿分红，请你们管管"}, "report", "referral", "", "police"},
		// Driving licences and driving tests are the traffic police's (车管所).
		{Input{Text: "驾驶证过期了忘了换怎么办"}, "", "referral", "", "police"},
		{Input{Text: "科目三约考两个月都约不上，驾校说名额是车管所放的"}, "", "referral", "", "police"},
		// Child labour is the labour bureau's, whatever the business.
		{Input{Text: "有家拉面馆让十三四岁的娃娃端盘子洗碗，一天干十几个小时，应该是童工"}, "", "referral", "", "labour"},
		// Prostitution is the police's, whatever the business is called.
		{Input{Text: "小区对面有家洗浴中心晚上搞不正当服务，进进出出的人很杂"}, "", "referral", "", "police"},
		{Input{Text: "在商场停车场被碰瓷，硬说我刮了他的车，讹了我1500"}, "", "referral", "", "police"},
		// An unlicensed internet café is the culture bureau's (via 12345).
		{Input{Text: "来电举报城东区小巷子里有个黑网吧"}, "", "referral", "630102", "general"},
		// A mechanical parking space is special equipment (起重机械).
		{Input{Text: "小区地下车库的机械车位载车板突然掉下来，把下面的车砸了"}, "", "special_equipment", "", ""},
		{Input{Text: "The courier lost my parcel and their hotline hangs up on me."}, "complaint", "referral", "", "postal"},
		{Input{Text: "从西宁寄到茫崖花土沟的一箱冬衣，显示网点已签收，我们根本没收到，网点说不是他们签的，快一个月了没人管。"}, "complaint", "referral", "632803", "postal"},
		// A private top-up shop's fee is a price matter, not the telecom regulator's.
		{Input{Text: "民和县川口镇有个手机充值的小店，我过年回来给我妈和我自己的手机各充了100元话费，结账的时候老板要另收10元手续费，说是现在都收。"}, "complaint", "price", "630222", ""},
		{Input{Text: "化隆县我们乡上自来水三天没来了，问村里说管子冻了，也没人来修"}, "complaint", "referral", "630224", "general"}, // water supply
		{Input{Text: "老人手机被乱扣增值费"}, "complaint", "referral", "", "telecom"},
		{Input{Text: "寄回老家的枸杞被快递摔烂了"}, "complaint", "referral", "", "postal"},
		{Input{Text: "我侄子在海东被人拉进一个搞什么连锁销售的组织，天天上课，交了三万多，人还不让走"}, "", "referral", "630200", "police"}, // a pyramid scheme by another name
		{Input{Text: "今天有人打电话说是市场监管局的，说我的网店要被注销得先交保证金，我转了2000块过去，这是你们的人吗？现在该怎么办？"}, "inquiry", "referral", "", "police"},
		{Input{Text: "海东一家县医院的住院收费清单看不懂，一天护理费就好几百，这个去哪查是不是乱收费"}, "inquiry", "referral", "630200", "health"},
		{Input{Text: "昨天下午两个穿工作服的人冒充燃气公司上门，说免费安检，结果说我家燃气表老化要换，收了480元现金，后来燃气公司的人说换上去的表根本不是他们的，这两个人电话也打不通了"}, "", "referral", "", "police"}, // impostors
		{Input{Text: "今年小区开始按热量表收暖气费，我家的表显示这个月用了2.8吉焦，隔壁一样的户型才1.5吉焦，怀疑表不准"}, "complaint", "metrology", "", ""},                            // a heat meter
		{Input{Text: "湟源县一个村卫生室给我家老人打针，打完屁股肿了一大块化脓了，去县医院说是注射不规范感染的，卫生室不承认。"}, "complaint", "referral", "630123", "health"},                // a village clinic
		{Input{Text: "接到自称网购平台客服的电话，说商品有问题要给我理赔，让我下了个软件转了3000元，然后就联系不上了"}, "complaint", "referral", "", "police"},
		{Input{Text: "Can I return a jacket I bought at a mall in Xining yesterday? Tags are still on, but the shop says sale items cannot be returned. Is that allowed?"}, "inquiry", "contract_service", "630100", ""},
		{Input{Text: "Bought 'top grade' cordyceps near Dashizi for 2,600 yuan as a gift. At home we found thin metal wires inside several pieces, obviously to add weight."}, "complaint", "food", "630103", ""},
		// Civil-service exam classes and app subscriptions are market matters, not the education or telecom regulator's.
		{Input{Text: "在城中区报了公务员考试协议班，交了16800元，合同写笔试没过退80%。我没过，申请退费，机构说我缺课两次算违约，只退20%。这两次我都提前跟班主任请了假，有聊天记录为证。"}, "complaint", "contract_service", "630103", ""},
		{Input{Text: "孩子拿我手机在某学习App上开了连续包月会员，每个月自动扣68元，扣了5个月我才发现，要求退款"}, "complaint", "online", "", ""},
		// A shop's own instalments and buy-back promise are its contracts, not a bank's.
		{Input{Text: "8月在互助县威远镇一家家具城分期买了一套沙发加茶几，总价8600元，首付2000，剩下的每月还1100。店员说这是店里自己的分期，不走银行不查征信。合同写15天内送货，现在快三个月了还没送来，每个月的钱照样从我卡上扣。要求退还已付的钱，解除分期。"}, "complaint", "contract_service", "630223", ""},
		{Input{Text: "2023年在西宁西大街一家金店买了100克金条，店员当时说'本店承诺随时按当天金价回购，比存银行还划算'，我就买了。现在想卖回去，店里说回购每克要扣20元手续费。要求按当时的承诺回购。"}, "complaint", "contract_service", "630103", ""},
		{Input{Text: "在二手平台卖衣服，买家说付不了款，发来一个客服链接让我开通保证金，我按步骤操作，被分三次转走了3000元，对方已经把我拉黑了"}, "complaint", "referral", "", "police"}, // a fake buyer's scam
		{Input{Text: "手机套餐被偷偷改了"}, "complaint", "referral", "", "telecom"}, // 被偷偷 is not 被偷 (theft)
		{Input{Text: "在一个网络借贷平台借款5000元，扣了服务费只到账3500元"}, "complaint", "referral", "", "finance"},
		{Input{Text: "买车险的时候业务员给我加了一份意外险，说是送的，今年才知道多扣了380元"}, "complaint", "referral", "", "finance"},
		{Input{Text: "贵德ATM吞卡 周末没人管 卡到现在拿不回来"}, "complaint", "referral", "632523", "finance"},
		// As elderly callers put it: a pension scheme is social insurance, a
		// caller posing as a grandson is a scam, a 牙所 is a clinic.
		{Input{Text: "来电人为六旬农民，咨询城乡居民养老保险每年交多少钱、交满多少年能领，以及到哪里办理。"}, "inquiry", "referral", "", "labour"},
		{Input{Text: "有人冒充我孙子打电话 说在外头打了人要赔钱 让我转五万 我没转 你们查一下"}, "report", "referral", "", "police"},
		{Input{Text: "隆务街上的牙所给老人镶的牙老是掉 找他们说要再交钱"}, "complaint", "referral", "632301", "health"},
		{Input{Text: "有个培训机构周末偷偷给小学生上语文数学课"}, "report", "referral", "", "education"},
		// A school making every pupil buy its uniform is the education
		// bureau's, however poor the uniform; a 'vet station' that calls for
		// a transfer by QR code is a scam.
		{Input{Text: "开学学校让每个学生交300元统一买校服，质量很差洗一次就掉色"}, "complaint", "referral", "", "education"},
		{Input{Text: "有人打电话说是县畜牧站的，牛羊打防疫针要先交钱，让我扫码转了800元"}, "complaint", "referral", "", "police"},
		// A gas company threatening to cut the gas unless its parts are
		// bought stays a market matter.
		{Input{Text: "燃气公司上门安检，说燃气管要换，一米收85元，不换就停气"}, "complaint", "price", "", ""},
		// The housing and utilities desk: a second-hand flat's agent and a
		// property company that cuts the water are housing's, a neighbour's
		// renovation is 12345's; a gas company's opening fee, a taxi's rigged
		// meter and a care home's refund stay market matters.
		{Input{Text: "通过中介买的二手房，房子有银行抵押没告诉我们，现在过户办不了，中介费也不退"}, "complaint", "referral", "", "housing"},
		{Input{Text: "物业说我家欠了物业费，直接把我家的水给停了，已经三天了"}, "complaint", "referral", "", "housing"},
		{Input{Text: "楼上装修每天早上7点就开始砸墙打孔，周末也不停，找物业说了好几次都没用"}, "complaint", "referral", "", "general"},
		{Input{Text: "平安区燃气公司上门开通天然气，每户收480元开通费，也没有收费依据"}, "complaint", "price", "630203", ""},
		{Input{Text: "西宁的出租车计价器跳得特别快，同样的路程比平时多了一半，怀疑改了计价器，请查一下"}, "report", "metrology", "630100", ""},
		{Input{Text: "互助县城一个养老院，一次交了一年的费用，老人住了4个月就去世了，养老院只肯退一万块钱"}, "complaint", "contract_service", "630223", ""},
		// A school sending parents to its chosen shop, a self-styled travel
		// agency, a card surcharge, cordyceps stuffed with bamboo sticks.
		{Input{Text: "乐都区一所小学要求家长必须到学校指定的店买校服，一套380元"}, "complaint", "referral", "630202", "education"},
		{Input{Text: "在共和县倒淌河镇有人自称旅行社拉我们包车游青海湖，怎么知道他们是不是正规的"}, "inquiry", "referral", "632521", "culture_tourism"},
		{Input{Text: "Is a shop allowed to charge 5% extra if I pay by card instead of WeChat?"}, "inquiry", "price", "", ""},
		{Input{Text: "买了10根虫草，回家泡水发现有4根里面插着细竹签"}, "complaint", "food", "", ""},
		// A guesthouse's cold radiator is the guesthouse's; whether a guide
		// is licensed is the tourism department's.
		{Input{Text: "Stayed at a guesthouse in Golmud, the room was advertised with heating but the radiator was cold all night. They refused any refund."}, "complaint", "contract_service", "632801", ""},
		{Input{Text: "How can I check whether a tour guide is licensed? We are coming to Qinghai next month and someone offered us a private guide."}, "inquiry", "referral", "630000", "culture_tourism"},
		{Input{Text: "在结古摊位买的虫草里插了细铁丝增重，摊主不认，要求退一半钱"}, "complaint", "food", "632701", ""},
		// Faking halal is food labelling, not posing as a person; posing as a
		// guide is the tourism department's; phone signal, satellite TV, 黑车
		// and a loan app's harassment are referrals.
		{Input{Text: "尖扎县非清真冒充清真"}, "report", "food", "632322", ""},
		// (Its type is not checked: the cases hold this very text as a
		// report, and the model now agrees with them.)
		{Input{Text: "泽库县和日镇石经墙有人冒充导游收讲解费，一个人要200，请问他们有导游证吗"}, "", "referral", "632323", "culture_tourism"},
		{Input{Text: "久治 信号差"}, "complaint", "referral", "632625", "telecom"},
		{Input{Text: "兴海县河卡镇户户通收不到台，打电话也没人来修"}, "complaint", "referral", "632524", "general"},
		{Input{Text: "黑车宰客"}, "", "referral", "", "transport"}, // a complaint or a report: the model wavers (0.50)
		{Input{Text: "在一个叫速享借的APP上借了3000元，到手只有2100，还不上就给我通讯录里的亲戚发短信。我在格尔木打工"}, "complaint", "referral", "632801", "finance"},
		{Input{Text: "Is it legal to sell beef labelled halal without any certificate? I saw this at a butcher in Minhe."}, "inquiry", "food", "630222", ""},
		// A stall at a kindergarten's gate is not the kindergarten; a text
		// from "12315" with a link is a scam; noise, a misspelt 暖气 (暖器),
		// fireworks stalls and a hit-and-run are other agencies' matters; a
		// private training school is not a school.
		{Input{Text: "湟中鲁沙尔幼儿园门口卖的棉花糖色素太重 孩子嘴都染红了 请管管"}, "report", "food", "630106", ""},
		{Input{Text: "收到短信说我有12315投诉退款 让点链接 是你们发的吗"}, "inquiry", "referral", "", "police"},
		{Input{Text: "被片了 网上刷单 转了4800 对方拉黑"}, "complaint", "referral", "", "police"},
		{Input{Text: "黄南州同仁市隆务镇我家楼下的KTV每天晚上唱到凌晨两三点，找过他们好几次都没用"}, "complaint", "referral", "632301", "general"},
		{Input{Text: "暖器不热 城东区"}, "complaint", "referral", "630102", "general"},
		{Input{Text: "楼上装修天天吵"}, "complaint", "referral", "", "general"},
		{Input{Text: "楼下新开的烤肉店油烟直接往我们窗户里排，晚上吵到一两点"}, "complaint", "referral", "", "general"},
		{Input{Text: "我们小区门口有人搭个棚子卖烟花爆竹，旁边就是加油站，问他有没有证他说不用，请管一管"}, "report", "referral", "", "general"},
		{Input{Text: "骑电动车下班被一辆面包车撞了，腿骨折，司机跑了，路口有监控，这个事找你们还是找交警？"}, "inquiry", "referral", "", "police"},
		// (Its type is not checked: the cases label a school's advertising
		// reports 51 times and complaints 24 times.)
		{Input{Text: "城西区一家厨师培训学校广告上说包就业、月薪过万，学完给介绍的工作一个月才3000"}, "", "advertising", "630104", ""},
		// A crash is the police's, unless it is an insurer's refusal to pay;
		// a finished car loan's release fee is the lender's.
		{Input{Text: "在宁大高速上被后车追尾，对方不肯赔钱，这种事该找谁处理"}, "inquiry", "referral", "", "police"},
		{Input{Text: "买车的时候4s店让一起买的车险，上个月在高速上追尾了前车，保险公司说我这个情况在免责条款里不赔"}, "complaint", "referral", "", "finance"},
		{Input{Text: "车贷还完了，金融公司还要收2000元解押费和GPS拆除费，不交就不给解押"}, "complaint", "referral", "", "finance"},
		{Input{Text: "8月在西宁城东区一家4S店买车，销售说必须在店里办贷款才有优惠，办完又收了3000元“金融服务费”和1500元“上牌服务费”"}, "complaint", "price", "630102", ""},
		// Foreigners' words: Jiegu is Yushu's town; loud music, a landlord
		// and a fake note are other agencies' matters.
		{Input{Text: "The food at a restaurant in Jiegu had a long hair and a dead insect inside the noodles. Waiter just took it away."}, "complaint", "food", "632701", ""},
		{Input{Text: "I am an English teacher in Xining. My landlord in Haihu New District refuses to return my rent deposit of 3000 yuan."}, "complaint", "referral", "630104", "housing"},
		{Input{Text: "The taxi driver in Delingha gave me a fake 100 yuan note as change. What can I do?"}, "inquiry", "referral", "632802", "police"},
		// Older consumers' matters: outages and phone charges are other
		// agencies', a cemetery's fees are a market matter, a "pension
		// subsidy" group is a scam.
		{Input{Text: "门源县北山乡这个月老停电，一天停好几次，也不提前通知，冰柜里的牛肉都化了"}, "complaint", "referral", "632221", "general"},
		{Input{Text: "在湟源县一家陵园给父母买了双穴墓地，合同写的38000元，交钱时又多收了5000元管理费"}, "complaint", "price", "630123", ""},
		{Input{Text: "我妈被拉进一个微信群，说是国家发养老补贴，交299元会费就能领，交完群就没了"}, "", "referral", "", "police"},
		{Input{Text: "老人机乱扣费"}, "complaint", "referral", "", "telecom"},
		{Input{Text: "西宁出租车计价器做了手脚"}, "report", "metrology", "630100", ""}, // a taxi's meter is a measuring instrument
		{Input{Text: "We booked a lakeside homestay in Heimahe through a travel app for two nights. When we arrived late at night the owner said the lake-view room was taken and put us in a small room with no heating. He refused to refund the difference of about 300 yuan."}, "complaint", "contract_service", "632521", ""}, // a cold room is the homestay's, not the heating company's
		{Input{Text: "Took a ride-hailing car from Xining railway station to my hotel. The driver went a long way around, the fare was 96 yuan. Who should I complain to?"}, "complaint", "referral", "630102", "transport"},
		{Input{Text: "I bought a new flat in Haidong and the developer says handover is next month, but it has been delayed twice. Who can I complain to?"}, "inquiry", "referral", "630200", "housing"},
		{Input{Text: "I worked two months on a building site in Golmud and the contractor still refuses to pay me 9000 yuan. He says the developer has not paid him."}, "complaint", "referral", "632801", "labour"},
		{Input{Text: "I bought a 20-session swimming card at a pool near Xining railway station and the pool closed after 5 sessions. They refuse to refund."}, "complaint", "contract_service", "630102", ""},
		{Input{Text: "Menyuan rapeseed fields: a roadside stall sold us two jars of pure rapeseed honey for 120 yuan. It tastes like sugar syrup and there is no label."}, "complaint", "food", "632221", ""},
		// Property services, streets and heating are the housing bureau's and
		// 12345's; a school's charges are the education bureau's.
		{Input{Text: "12345转来：城中区南川东路某小区物业公司半年不清运垃圾，楼道里堆满东西，业主要求督促物业履行服务职责。"}, "complaint", "referral", "630103", "housing"},
		{Input{Text: "平安区平安大街上的路灯坏了一个多月，晚上黑漆漆的，孩子放学不安全，请尽快修。"}, "", "referral", "630203", "general"},
		{Input{Text: "格尔木的供热站按房产证面积收暖气费，阁楼没暖气片也算进去了，这个归哪个部门管？"}, "inquiry", "referral", "632801", "general"},
		{Input{Text: "学校让每个学生交冬季取暖费200元，合理吗，该找谁？"}, "inquiry", "referral", "", "education"},
		// A prize that needs a deposit is a scam for the police; a surcharge
		// for paying by phone is a price matter, not a bank's; asking which
		// number to call is an inquiry even when it says 投诉.
		{Input{Text: "抖音直播间有人私信说我中了免单奖，让加QQ交500元保证金才能退款"}, "complaint", "referral", "", "police"},
		{Input{Text: "店里收微信付款要另加2%手续费，这合法吗"}, "inquiry", "price", "", ""},
		{Input{Text: "网店是广东汕头的，我人在德令哈，要投诉的话打哪里？"}, "inquiry", "online", "", ""},
		{Input{Text: "我们乡的光伏电站冬天不供电，已经十几天没电了"}, "complaint", "referral", "", "general"},        // power supply
		{Input{Text: "街上推销个人POS机，扣了299元押金不退，费率也偷偷涨了"}, "complaint", "referral", "", "finance"}, // card terminals are the banks' regulator's
		{Input{Text: "提前还贷被收了违约金"}, "complaint", "referral", "", "finance"},
		{Input{Text: "在坎布拉门口有人说自己是持证导游，讲解一次200，怎么查是不是真导游"}, "inquiry", "referral", "632322", "culture_tourism"}, // guides' licences
		{Input{Text: "想问一下冬天带团去年保玉则的导游需要什么证？有人没证也在带团收钱"}, "inquiry", "referral", "632625", "culture_tourism"},
		{Input{Text: "班玛县有个人无证带团，一个人收800"}, "", "referral", "632622", "culture_tourism"},
		// Where fireworks may be let off is a question for 12345.
		{Input{Text: "想问一下今年过年西宁市区到底能不能放烟花？听说有的区禁放有的区不禁，孩子天天闹着要买。另外正规的烟花在哪里能买到，路边那些小摊卖的是不是合法的？"}, "inquiry", "referral", "630100", "general"},
		// Impostors of a carrier's shop are the police's.
		{Input{Text: "有人冒充营业厅打电话，说我的套餐可以免费升级还送话费，让我报了个验证码，结果第二天发现被开通了一个消费贷，借了5000元。请公安查一下这个号码。"}, "", "referral", "", "police"},
		{Input{Text: "My phone number keeps getting charged 10 yuan every month for a 'video ringtone' I never ordered. How do I stop it and get my money back?"}, "", "referral", "", "telecom"},
		// A surcharge for paying by card is the price desk's; a swapped
		// payment code is theft; pawnshops are the financial regulator's.
		{Input{Text: "吃饭用信用卡付钱，老板说要加收2个点的手续费，用微信就不用，这样合法吗？"}, "inquiry", "price", "", ""},
		{Input{Text: "付款码被调包了找谁"}, "", "referral", "", "police"},
		{Input{Text: "身份证丢了能赎当吗？当票还在手上"}, "inquiry", "referral", "", "finance"},
		{Input{Text: "当铺把我的金镯子卖了"}, "", "referral", "", "finance"},
		// A diner pushed down and hit is the police's, whatever the dish.
		{Input{Text: "在大十字附近的饭馆吃饭，我说菜里有头发，老板和伙计不但不认，还把我推倒在地上打了几下，手机也摔坏了"}, "complaint", "referral", "630103", "police"},
		// An impostor lama is the police's; a bar too loud to sleep (吵的, as
		// people type 吵得) is 12345's; whether an agency holds its licence is
		// the tourism department's.
		{Input{Text: "塔尔寺假活佛算卦骗钱"}, "", "referral", "630106", "police"},
		{Input{Text: "茶卡镇上住的宾馆旁边有个酒吧，半夜两点还在唱歌，吵的根本睡不着"}, "complaint", "referral", "632821", "general"},
		{Input{Text: "来电人咨询：准备报名参加环青海湖的自驾团，怎么查询组织的旅行社是否有正规经营许可。"}, "inquiry", "referral", "630000", "culture_tourism"},
		{Input{Text: "My travel insurance (bought together with the tour) refuses to pay for 2 days in hospital in Xining for altitude sickness, they say 'high altitude is excluded' but nobody told me that. 4300 yuan."}, "complaint", "referral", "630100", "finance"},
		// Practising medicine without a licence is the health department's,
		// though the text also says there is no business licence.
		{Input{Text: "西宁东关大街附近有家无证诊所，就一个人挂个牌子在家里给人输液打针，没有任何执照，请有关部门查一查"}, "report", "referral", "630102", "health"},
		// Seasonal goji pickers' pay is labour's.
		{Input{Text: "在都兰县一个枸杞园摘了一个月枸杞，老板说好一天150，结账只给一天100，还扣着500押金不退。"}, "complaint", "referral", "632822", "labour"},
		{Input{Text: "在营地露营，晚上放在帐篷外的包被人偷了，营地说不关他们的事"}, "complaint", "referral", "", "police"}, // a theft
		{Input{Text: "接到电话说能领农机补贴，要先交手续费才能发下来"}, "", "referral", "", "police"},                // a fee before a subsidy
		{Input{Text: "楼下烧烤店油烟太呛，晚上窗户都不敢开"}, "complaint", "referral", "", "general"},
		{Input{Text: "我要投诉西宁1路公交的司机，看老人刷老年卡就不耐烦，没坐稳就开车"}, "complaint", "referral", "630100", "transport"}, // a senior's bus pass is no gym's 年卡
		{Input{Text: "暑假在超市当促销员，说好一天120，干完了说是试用期只给一半"}, "complaint", "referral", "", "labour"},            // a promoter's pay
		{Input{Text: "闲鱼上卖东西，买家让我先交“保证金”才能解冻货款"}, "complaint", "referral", "", "police"},                  // quotation marks hide no rule's words
		{Input{Text: "店里接到电话，对方自称是市场监管局的，说年报逾期要罚款，让转到一个个人账户"}, "", "referral", "", "police"},              // an impostor of the regulator
		{Input{Text: "有人上门给我爸推销以房养老，说房子抵押出去每月能领一万"}, "", "referral", "", "police"},
		{Input{Text: "每天接到好几个推销贷款的骚扰电话，拉黑了又换号打"}, "complaint", "referral", "", "telecom"}, // blocking a caller is no scammer's blocking
		// For the elderly: a carer who hits a resident is the police's, an
		// annuity's cooling-off period the finance regulator's, a hearing
		// aid a medical device, a tutoring school's licence the education
		// bureau's.
		{Input{Text: "养老院的护工打老人，胳膊上都是淤青，院里不让看监控"}, "", "referral", "", "police"},
		{Input{Text: "老人买的年金险过了犹豫期还能退吗"}, "inquiry", "referral", "", "finance"},
		{Input{Text: "My mother's hearing aid from a shop in Xining stopped working after a week and they refuse to repair it."}, "complaint", "drug", "630100", ""},
		{Input{Text: "孩子想报个数学提高班，怎么查机构有没有办学资质"}, "inquiry", "referral", "", "education"},
		// At home: a property company that does not sweep is housing's,
		// callers whom the gas company never sent are the police's, a
		// cleaner paid for one month of two is the labour bureau's.
		{Input{Text: "物业不扫楼道"}, "complaint", "referral", "", "housing"},
		{Input{Text: "上门换燃气管的人收了我300，燃气公司说没派过人"}, "", "referral", "", "police"},
		{Input{Text: "在家政公司干保洁，说好一个月3500，干了两个月只发了一个月的"}, "complaint", "referral", "", "labour"},
		// A card used by a thief is the bank's matter; a landlord who keeps
		// a deposit is housing's.
		{Input{Text: "信用卡被盗刷了三千多，银行说让我先报警"}, "", "referral", "", "finance"},
		{Input{Text: "退租了，房东押金1500不退，说墙上有钉子眼"}, "complaint", "referral", "", "housing"},
		// Pawnshops are the finance regulator's; unpaid sales commission is
		// a wage.
		{Input{Text: "在城中区一家典当行当了金项链，赎回的时候多收了一笔保管费"}, "complaint", "referral", "630103", "finance"},
		{Input{Text: "在二手车公司干销售，说好每台提成800，干了四个月提成一分没发"}, "complaint", "referral", "", "labour"},
		// In English: broadband, a phone plan, a teacher's salary, a
		// kindergarten, taxis that will not use the meter.
		{Input{Text: "Broadband down for 4 days, nobody answers the hotline"}, "complaint", "referral", "", "telecom"},
		{Input{Text: "The training school has not paid my salary for two months."}, "complaint", "referral", "", "labour"},
		{Input{Text: "Our son’s kindergarten keeps a 2000 yuan deposit and will not refund it. Who handles this?"}, "", "referral", "", "education"},
		{Input{Text: "Taxis at Xining station refuse to use the meter and ask 40 yuan."}, "", "referral", "630102", "transport"},
		// A surcharge for paying by credit card or phone is a price
		// matter, not a bank's; so is a lift fee (电梯费), not a lift's
		// safety; a loan a finance company made (放的款) is the finance
		// regulator's.
		{Input{Text: "超市刷信用卡要加收2%手续费，不想加就只能付现金，这个合理吗"}, "inquiry", "price", "", ""},
		{Input{Text: "电梯费凭啥一楼也要交"}, "", "price", "", ""},
		{Input{Text: "在玉树买摩托车办的分期，一个金融公司放的款，每月多扣200说是服务费"}, "", "referral", "632701", "finance"},
		// A caller who says he is the platform's customer service is a
		// scammer.
		{Input{Text: "接到电话说是平台客服，说我订单异常要退款，让我开什么百万保障"}, "", "referral", "", "police"},
		// Goods that were stolen are the police's; student loans and an
		// interest rate are the finance regulator's; a contract phone from
		// a carrier's shop is the telecom regulator's.
		{Input{Text: "小区门口有人专门收二手电动车，很多锁都是撬开的，一看就是偷来的"}, "", "referral", "", "police"},
		{Input{Text: "学校门口有人发学生贷传单"}, "", "referral", "", "finance"},
		{Input{Text: "手机上借的钱，年利率算下来超过36%了，超出的部分还要还吗"}, "inquiry", "referral", "", "finance"},
		{Input{Text: "营业厅办的合约机，说好每月返话费50，半年一分没返"}, "complaint", "referral", "", "telecom"},
		// Asking where to report or complain is a question, whatever it
		// names.
		{Input{Text: "无照经营到哪举报"}, "inquiry", "licensing", "", ""},
		{Input{Text: "过期食品哪里举报"}, "inquiry", "food", "", ""},
		// Asking how to claim one's rights, or whether something is legal.
		{Input{Text: "电动车电池半年就坏了，店里不给保修，我该怎么维权？"}, "inquiry", "contract_service", "", ""},
		{Input{Text: "有人给老人推销量子床垫说能治病，这种宣传违不违法？"}, "inquiry", "advertising", "", ""},
		{Input{Text: "导游强制我们去购物店，不买不让走。"}, "complaint", "tourism", "", ""},
		{Input{Text: "The travel agency in Xining forced us to shop and we want a refund."}, "complaint", "tourism", "630100", ""},
		// Property services: a repair fund (维修基金) is no investment fund, an
		// idle property company is housing's even with a broken street lamp,
		// a dirty water tank is 12345's; a bus that is no bus company's, an
		// insurance policy sold at a bank counter, a guard who pushes a
		// resident down; a hotel's heating fee is a price matter.
		{Input{Text: "顶楼漏水两年了，物业说维修基金申请不下来，让我们自己找人修"}, "complaint", "referral", "", "housing"},
		{Input{Text: "小区物业不作为，楼道从来不打扫，路灯坏了半年也没人修"}, "complaint", "referral", "", "housing"},
		{Input{Text: "小区二次供水的水箱好几年没洗过了，放出来的水发黄"}, "complaint", "referral", "", "general"},
		{Input{Text: "县城到乡里的私人面包车天天在车站门口拉客，一个人收30，七座车塞十来个人"}, "", "referral", "", "transport"},
		{Input{Text: "我妈去银行存钱，被工作人员说成高息存款，签回来是一份分红保险，现在退只能退一点"}, "complaint", "referral", "", "finance"},
		{Input{Text: "小区保安因为停车费拦着不让进，跟他理论了几句就把我推倒在地，胳膊擦破了"}, "complaint", "referral", "", "police"},
		{Input{Text: "Hotel charged a heating fee at checkout, not in the booking."}, "", "price", "", ""},
		// Apps that sell rides and credit are the transport and finance
		// regulators' business.
		{Input{Text: "叫车软件乱扣我取消费"}, "complaint", "referral", "", "transport"},
		// A migrant worker's words (打工) do not make a bank's fee, a phone
		// plan or a late flat a labour matter; a site's boss who waits for
		// the main contractor (甲方) owes wages; a loan app that texts the
		// borrower's contacts is the finance regulator's, even when it calls
		// the borrower a cheat (骗子).
		{Input{Text: "在外地打工，每个月往家里汇钱，银行跨行汇款手续费有没有上限"}, "", "referral", "", "finance"},
		{Input{Text: "我在外地打工，我妈去银行取钱说银行卡被冻结了，要本人去才能解冻"}, "", "referral", "", "finance"},
		{Input{Text: "我在外打工给我爸办了个融合套餐，说好每月59，现在扣109，说是合约期内不能改"}, "complaint", "referral", "", "telecom"},
		{Input{Text: "打工攒钱交了首付，开发商说要延期交房"}, "", "referral", "", "housing"},
		{Input{Text: "工地干完活老板不给钱"}, "complaint", "referral", "", "labour"},
		{Input{Text: "在西宁工地干了两个月，一天260，老板说剩下的要等甲方结了账再给"}, "complaint", "referral", "630100", "labour"},
		{Input{Text: "借了个网贷才逾期三天，他们就给我通讯录里的亲戚发短信说我是骗子"}, "complaint", "referral", "", "finance"},
		// A buyer who shows a faked transfer, or pays in fake notes, is the
		// police's; an insurer slow to pay, the finance regulator's; a
		// boarding school's charges, the education bureau's.
		{Input{Text: "收虫草的老板给我看了转账成功的截图，拿着草就走了，银行一查一分钱没到"}, "complaint", "referral", "", "police"},
		{Input{Text: "收草的用假钞"}, "", "referral", "", "police"},
		{Input{Text: "摩托车上了全险，撞了以后保险公司理赔拖了三个月还没下来"}, "complaint", "referral", "", "finance"},
		{Input{Text: "孩子上的寄宿小学每学期额外收500元伙食费，不是有营养餐补助吗"}, "", "referral", "", "education"},
		{Input{Text: "买手机的时候开了先用后付，现在每个月多了分期服务费，这个找谁"}, "", "referral", "", "finance"},
		{Input{Text: "湟中县鲁沙尔镇一家商店买的饮料过期了", BusinessRegion: "630122"}, "complaint", "food", "630106", ""},
		// Insurance and car finance, traffic, vehicle transfer, funeral
		// grants, spam texts and waste oil, found in fresh batches 182a–184b.
		{Input{Text: "车撞了护栏，报了保险，保险公司定损只给6000，修理厂要9000，两边推来推去"}, "complaint", "referral", "", "finance"},
		{Input{Text: "一家卖车的店说零首付，签完才知道是融资租赁，车登记在他们公司名下，现在想退要赔两万"}, "", "referral", "", "finance"},
		{Input{Text: "续保时业务员说送一次免费保养和洗车卡，礼品一样都没兑现"}, "complaint", "referral", "", "finance"},
		{Input{Text: "骑电动车送外卖的闯红灯把我撞倒了，人跑了"}, "", "referral", "", "police"},
		{Input{Text: "婚车司机是酒驾"}, "", "referral", "", "police"},
		{Input{Text: "二手车过户要带什么"}, "inquiry", "referral", "", "police"},
		{Input{Text: "丧葬补助金怎么领"}, "inquiry", "referral", "", "labour"},
		{Input{Text: "注册了团购平台后每天收到十几条推销短信，退订也没用"}, "", "referral", "", "telecom"},
		{Input{Text: "城北区一个汽修店天天往下水道倒废机油，味道很大"}, "", "referral", "630105", "general"},
		// A marriage agency and a repair by post are market matters.
		{Input{Text: "在一家婚介所交了8000会员费，介绍的人都是托"}, "complaint", "contract_service", "", ""},
		{Input{Text: "寄修三个月没回音"}, "complaint", "contract_service", "", ""},
		{Input{Text: "学校毕业典礼请了一家演出公司，音响一直啸叫，主持人念错名字，要求退一部分费用"}, "complaint", "contract_service", "", ""}, // a school's supplier
		// Locksmiths and hotels that check no papers, money taken through a
		// game's "free gift", broadband speed, landlords and estate managers,
		// surrendered insurance, casual work; a school named only as where
		// something is. Found in fresh batches 186a–188a.
		{Input{Text: "开锁的不看身份证也不看房产证，谁叫都给开门"}, "", "referral", "", "police"},
		{Input{Text: "开锁的不看证件就开门"}, "", "referral", "", "police"},
		{Input{Text: "学校周边的小旅馆不登记身份证就让住，这个归谁管"}, "inquiry", "referral", "", "police"},
		{Input{Text: "孩子在游戏里看到免费送皮肤，扫码领取，结果用我的微信转走了2000块"}, "", "referral", "", "police"},
		{Input{Text: "网速只有20M 说好的300M"}, "complaint", "referral", "", "telecom"},
		{Input{Text: "房子是在城北区租的，退租时房东以地板有划痕为理由，把我1500元押金全扣了，要求退还"}, "complaint", "referral", "630105", "housing"},
		{Input{Text: "小区物业不让送家具的车进小区，只能从大门口搬"}, "complaint", "referral", "", "housing"},
		{Input{Text: "退保险扣了一大半手续费，合理吗"}, "inquiry", "referral", "", "finance"},
		{Input{Text: "发传单的兼职说好日结，干了5天一分没给"}, "complaint", "referral", "", "labour"},
		{Input{Text: "中介在学校门口招暑假工，每人收300服装费，交完就没消息了"}, "", "referral", "", "labour"},
		{Input{Text: "从学校打网约车去机场，软件上显示65元，司机非要收150现金"}, "complaint", "referral", "", "transport"},
		{Input{Text: "学校旁边一家诊所打了减肥针，第二天脸上全是疹子，诊所不管"}, "complaint", "referral", "", "health"},
		{Input{Text: "湟中上五庄镇的水暖工给我家装暖气片，说好包工包料3500，装完又要加1200"}, "complaint", "contract_service", "630106", ""},
		// Where to claim the government's trade-in subsidy (found in fresh batch 189a).
		{Input{Text: "请问家电以旧换新的国家补贴去哪里申请？店里买的时候没给减，说要我们自己去申请"}, "inquiry", "referral", "", "general"},
		{Input{Text: "以旧换新时旧手机也能抵吗？县城的家电店说补贴只能在他们店用，补贴是不是只能在指定的店用？"}, "inquiry", "referral", "", "general"},
		// Medical beauty, a doctor without a licence, insurance cards in a
		// pharmacy, a carrier's services, spam texts and scams (fresh
		// batches 190a–193a).
		{Input{Text: "上个月在一个美容工作室打的瘦脸针，打完嘴角歪了，要求退钱赔偿"}, "complaint", "referral", "", "health"},
		{Input{Text: "美容院可以给人打玻尿酸吗？需要什么资质"}, "inquiry", "referral", "", "health"},
		{Input{Text: "做光子嫩肤以后脸上留了斑"}, "complaint", "referral", "", "health"},
		{Input{Text: "Is it legal for a beauty salon to do botox injections? A salon offered me one for 1500 yuan"}, "", "referral", "", "health"},
		{Input{Text: "美容院给我做激光脱毛，腿上烫出了水泡"}, "complaint", "referral", "", "health"},
		{Input{Text: "达日县吉迈镇一家药店里有个老中医坐诊给人扎针，听说没有医师资格证"}, "", "referral", "632624", "health"},
		{Input{Text: "接到电话说是医保中心的，说我医保卡被人盗刷了要冻结，让我把钱转到安全账户"}, "", "referral", "", "police"},
		{Input{Text: "药店让用医保卡刷保健品，这样可以吗"}, "inquiry", "referral", "", "general"},
		{Input{Text: "我妈的手机里莫名其妙开通了好几个收费业务，每个月扣二三十块"}, "", "referral", "", "telecom"},
		{Input{Text: "身份证被人办了手机卡怎么办"}, "inquiry", "referral", "", "telecom"},
		{Input{Text: "China Mobile added a data package to my number without asking me"}, "complaint", "referral", "", "telecom"},
		{Input{Text: "美容院关门了，每天还给我发充值优惠的短信，退订也没用"}, "", "referral", "", "telecom"},
		{Input{Text: "接到电话说酒厂搞回馈活动，交398元运费就送两箱酒，我转了钱就再也联系不上了"}, "", "referral", "", "police"},
		// Wages owed by a school or a heating plant, commission unpaid,
		// heating fees raised, a driving school's noise, an overloaded van
		// and a clinic's doctor (fresh batches 194a–197a).
		{Input{Text: "我在一家培训学校当老师，老板欠我工资八千多"}, "complaint", "referral", "", "labour"},
		{Input{Text: "在供热站烧了一冬天锅炉，工资老板到现在还欠着"}, "complaint", "referral", "", "labour"},
		{Input{Text: "在商场珠宝柜台做导购，提成到现在还没给"}, "complaint", "referral", "", "labour"},
		{Input{Text: "今年暖气费涨了五毛，也没开听证会"}, "", "price", "", ""},
		{Input{Text: "暖气费多收了三百"}, "complaint", "price", "", ""},
		{Input{Text: "楼下驾校每天一早就练车，吵得人没法睡觉"}, "", "referral", "", "general"},
		{Input{Text: "保健品店用一辆小面包车拉老人去听讲座，一车坐十几个人，明显超载"}, "", "referral", "", "transport"},
		{Input{Text: "城西区虎台那边一个私人诊所的大夫给我爸开了自己熬的“中药”，一个疗程4800元，吃了两个疗程一点效果没有。"}, "complaint", "referral", "630104", "health"},
		// Pets: a pet hospital is a market matter or, as this one (a
		// pet's death after treatment), the veterinary bureau's through
		// 12345, never the health commission's; dogs
		// off the lead are 12345's, poisoned dogs the police's (fresh
		// batch 198a).
		{Input{Text: "平安区一家宠物医院给猫输液，猫当晚就死了，医院说是猫体质问题"}, "complaint", "referral", "630203", "general"},
		{Input{Text: "城西区一家宠物诊所给狗做手术的人不是执业兽医"}, "report", "referral", "630104", "general"},
		{Input{Text: "遛狗不拴绳 没人管"}, "", "referral", "", "general"},
		{Input{Text: "小区有人下药毒狗"}, "", "referral", "", "police"},
		// Broadband on a new estate, flats sold before the presale
		// permit, tradesmen unpaid, sheep wormers (fresh batches 202a,
		// 205a).
		{Input{Text: "新房交房后办宽带，营业厅说小区只能用一家的，价格贵了一倍"}, "complaint", "referral", "", "telecom"},
		{Input{Text: "大通县城关镇有个楼盘还没拿到预售证就开始收钱卖房了，说交5万能锁房"}, "", "referral", "630121", "housing"},
		{Input{Text: "我们三个给装修公司干水电的，活都干完了，公司说业主还没付钱所以不给我们结账"}, "complaint", "referral", "", "labour"},
		{Input{Text: "在镇上兽药店买的驱虫针，给羊打了一点用都没有"}, "complaint", "referral", "", "general"},
		// Slimming injections and laser brows, texts that do not stop,
		// vice and gambling, noise from a parcel
		// depot, a courier who helps himself (fresh batches 206a–209a).
		{Input{Text: "减肥针打完吐了 咋办"}, "", "referral", "", "health"},
		{Input{Text: "在一家纹身店用激光洗眉毛，洗完留了两道疤"}, "complaint", "referral", "", "health"},
		{Input{Text: "天天收到推销减肥药的短信，回TD退订了还在发"}, "complaint", "referral", "", "telecom"},
		{Input{Text: "城北区洗浴会所有色情服务"}, "", "referral", "630105", "police"},
		{Input{Text: "汗蒸馆里聚赌 德令哈"}, "", "referral", "632802", "police"},
		{Input{Text: "马坊那边的快递分拣场天天半夜装卸货，吵得整栋楼睡不着"}, "", "referral", "", "general"},
		{Input{Text: "快递点的店员把别人的快递拆开拿里面的东西"}, "", "referral", "", "police"},
		// School buses and a school's check-up clinic (fresh batch 208a).
		{Input{Text: "湟源校车超载"}, "", "referral", "630123", "transport"},
		{Input{Text: "学校组织新生体检，去的一家民营体检机构，每人收了260元，抽血根本没做"}, "", "referral", "", "health"},
		// Renting: a fake landlord, a rent loan, a hidden camera (fresh
		// batch 211a).
		{Input{Text: "假房东骗了我三千押金"}, "", "referral", "", "police"},
		{Input{Text: "签租房合同的时候中介让我在手机上“认证一下身份”，后来才知道是办了一笔租金贷，每个月从我银行卡里扣。现在公寓公司人去楼空，房东要收房"}, "", "referral", "", "finance"},
		{Input{Text: "日租房里发现偷拍摄像头"}, "", "referral", "", "police"},
		// Air luggage, airport coaches and ticket touts (fresh batch 210b).
		{Input{Text: "飞机行李延误三天没送到"}, "complaint", "referral", "", "transport"},
		{Input{Text: "机场大巴放个行李箱还要另收10元，售票的说不交就放不了"}, "complaint", "referral", "", "transport"},
		{Input{Text: "火车站广场有人倒卖火车票，一张加价200，天天都在"}, "", "referral", "", "police"},
		// Cars, renovation and spam texts (fresh batches 214a–216a): a
		// dealer's insurance tie-in stays a market matter; padded repair
		// bills, a driving licence and a case the consumer wants passed to
		// the police are the police's; a property company that will not
		// let a charger in is housing's; a neighbour's renovation 12345's.
		{Input{Text: "大通修车被宰了"}, "complaint", "price", "630121", ""},
		{Input{Text: "二手车过户费乱收，收了我1500"}, "complaint", "price", "", ""},
		{Input{Text: "买的二手车是泡水车，车行没说，能要求退一赔三吗"}, "inquiry", "contract_service", "", ""}, // a 车行: 商家 alone reads as an online seller
		{Input{Text: "车险快到期了，4S店说必须在店里续保，不然质保不管了，是这样吗"}, "inquiry", "contract_service", "", ""},
		{Input{Text: "修理厂让我在单子上多签几个零件，说能多找保险公司赔点，这是骗保吧"}, "", "referral", "", "police"},
		{Input{Text: "驾照快到期了去哪换"}, "", "referral", "", "police"},
		{Input{Text: "刷单返现骗了我3000"}, "", "referral", "", "police"},
		{Input{Text: "车贷都还完半年了，金融公司一直不给办解押，打电话就说要再交2000元解押手续费才给办，合同里根本没有这一条。车押在他们名下我卖也卖不了、过户也过不了，问他们要合同依据也拿不出来。"}, "", "referral", "", "finance"},
		{Input{Text: "装修公司收了定金人就找不到了，好几家都被骗了，请转给公安"}, "", "referral", "", "police"},
		{Input{Text: "晚上停在楼下的车让人把电瓶偷了"}, "", "referral", "", "police"},
		{Input{Text: "物业不让装充电桩，车位是我自己买的"}, "", "referral", "", "housing"},
		{Input{Text: "楼上邻居装修把我家天花板泡了"}, "", "referral", "", "general"},
		{Input{Text: "网上买的瓷砖送到碎了，快递员说我签收了就不管了，可他不让先验货再签"}, "complaint", "referral", "", "postal"},
		{Input{Text: "卖茶叶的短信天天发，退订还发"}, "complaint", "referral", "", "telecom"},
		// Schools' staff, exams and visas, a village post office,
		// resettlement housing (fresh batches 217a and 220a).
		{Input{Text: "我在城西区一家培训学校当美术老师，说好每月10号发工资，三个月没发过，一共欠我一万多"}, "", "referral", "630104", "labour"},
		{Input{Text: "在一家早教中心上班，试用期三个月不给签合同"}, "", "referral", "", "labour"},
		{Input{Text: "有人在学校门口卖中考题，说是内部泄的题"}, "", "referral", "", "police"},
		{Input{Text: "英语培训班的外教没有工作签证"}, "", "referral", "", "police"},
		{Input{Text: "乡上的邮政代办点把我的包裹弄丢了，只赔邮费"}, "", "referral", "", "postal"},
		{Input{Text: "易地搬迁的房子住了一年墙就裂了，找哪个部门"}, "", "referral", "", "housing"},
		// Work traps and looks (fresh batches 218a and 219a): job agencies,
		// an employer who keeps the ID card, injuries at work and wages are
		// labour's; "capital operation" schemes and paid typing jobs the
		// police's; medical beauty and acupuncture health's.
		{Input{Text: "交了300给职介所，一个月了也不给找活"}, "", "referral", "", "labour"},
		{Input{Text: "饭馆老板把我身份证押着不还，说干满半年才给"}, "", "referral", "", "labour"},
		{Input{Text: "在洗车店干活受伤了，老板一分医药费不出"}, "", "referral", "", "labour"},
		{Input{Text: "在辅导班当兼职老师，上了64节课，负责人跑了，想把工资要回来"}, "", "referral", "", "labour"},
		{Input{Text: "亲戚拉我去搞资本运作，说交六万九五年赚几百万"}, "", "referral", "", "police"},
		{Input{Text: "网上招兼职打字员，先交会员费才派单"}, "", "referral", "", "police"},
		{Input{Text: "A work from home job paid me 20 yuan, then told me to top up to unlock premium tasks"}, "", "referral", "", "police"},
		{Input{Text: "在医疗美容门诊做了鼻综合，花了两万多，现在鼻子歪了，要求赔偿"}, "", "referral", "", "health"},
		{Input{Text: "做医美时办的分期，手术取消了，贷款怎么取消"}, "", "referral", "", "finance"},
		{Input{Text: "普通美容院能做皮秒吗"}, "", "referral", "", "health"},
		{Input{Text: "卖保健品的短信和电话天天来，怎么投诉"}, "", "referral", "", "telecom"},
		{Input{Text: "小区里的针灸馆给我妈扎针扎出了血肿"}, "", "referral", "", "health"},
		// Scams (fresh batch 223a): impostors of the police, the fire
		// service, enforcement officers and couriers, bail money, romance
		// investment scams, fees to raise a card's limit or unlock a loan,
		// buying ID cards, loans taken out in someone's name; checking
		// which phone numbers one's ID card holds is telecom's.
		{Input{Text: "自称公检法的人打电话说我的账户涉案"}, "", "referral", "", "police"},
		{Input{Text: "说孙子被抓了，让交保释金"}, "", "referral", "", "police"},
		{Input{Text: "网上认识的人带我炒黄金，投了5万提不出来，是杀猪盘吧"}, "", "referral", "", "police"},
		{Input{Text: "打电话说能给信用卡提额，先交提额服务费300"}, "", "referral", "", "police"},
		{Input{Text: "借款APP说不看征信，先交会员费激活额度"}, "", "referral", "", "police"},
		{Input{Text: "学校附近有人收购身份证和银行卡"}, "", "referral", "", "police"},
		{Input{Text: "手机店的店员用我的身份证贷款了两万"}, "", "referral", "", "police"},
		{Input{Text: "两个人说是消防检查，逼店里买他们的灭火器"}, "", "referral", "", "police"},
		{Input{Text: "冒充执法人员到店里罚款"}, "", "referral", "", "police"},
		{Input{Text: "收到短信说ETC认证要更新"}, "", "referral", "", "police"},
		{Input{Text: "A caller pretending to be from my hotel said my booking failed"}, "", "referral", "", "police"},
		{Input{Text: "怎么查我名下有几张电话卡"}, "", "referral", "", "telecom"},
		// Pets and leisure (fresh batches 221a and 224a): a pet clinic's
		// treatment, licence and waste and wild birds for sale are
		// 12345's (its fees stay a market matter); minors in internet
		// cafes 12345's; touts, bar fights and paid hostesses the
		// police's.
		{Input{Text: "宠物诊所把猫治死了"}, "", "referral", "", "general"},
		{Input{Text: "宠物医院给狗开刀的人根本不是兽医，坐诊的也没证"}, "", "referral", "", "general"},
		{Input{Text: "宠物医院把用过的针头扔在小区垃圾桶里"}, "", "referral", "", "general"},
		{Input{Text: "鸟市上有人卖野生的百灵和猫头鹰"}, "", "referral", "", "general"},
		{Input{Text: "网吧里天天有穿校服的初中生，也不查身份证"}, "", "referral", "", "general"},
		{Input{Text: "演唱会的票全被黄牛加价卖"}, "", "referral", "", "police"},
		{Input{Text: "酒吧里有人拿酒瓶砸人，保安不管"}, "", "referral", "", "police"},
		{Input{Text: "城西区有家KTV有陪唱的"}, "", "referral", "630104", "police"},
		// Phone numbers (fresh batch 226a): a line cut off without arrears
		// is telecom's, SIM cards registered in others' names the police's.
		{Input{Text: "手机没欠费被停机了"}, "", "referral", "", "telecom"},
		{Input{Text: "网上有人卖代实名的手机卡"}, "", "referral", "", "police"},
		// Owners and their property company (fresh batch 227a).
		{Input{Text: "我们想成立业委会换掉物业，找哪个部门"}, "", "referral", "", "housing"},
		{Input{Text: "物业把欠费业主的名字和门牌号贴在单元门口"}, "", "referral", "", "housing"},
		// Late noise and a deposit taken from a new employee (fresh batches
		// 229a and 232a).
		{Input{Text: "隔壁的民宿每晚放音乐闹到一两点"}, "", "referral", "", "general"},
		// Electricity paid at a counter, an unlicensed travel agency (fresh
		// batches 234a and 236a).
		{Input{Text: "在营业厅交了电费，表里没到账"}, "", "referral", "", "general"},
		{Input{Text: "城北区有个旅行社没资质，天天在群里招人"}, "", "referral", "630105", "culture_tourism"},
		// A hotel that turns foreigners away: a question for the police's
		// exit-entry office (fresh batch 240a).
		{Input{Text: "宾馆说不接待外国人，我朋友有护照"}, "", "referral", "", "police"},
		{Input{Text: "Hotel in Maqin refused me, they say foreigner cannot stay. Is this the law?"}, "", "referral", "632621", "police"},
		// A bus card's deposit and balance are the transport department's
		// (fresh batch 239a).
		{Input{Text: "公交卡押金不给退，格尔木"}, "", "referral", "632801", "transport"},
		{Input{Text: "Bus card deposit not refunded in Golmud"}, "", "referral", "632801", "transport"},
		{Input{Text: "在美容院上班，入职时老板收了2000元培训押金，说干满一年退，现在辞职了不退"}, "", "referral", "", "labour"},
		// Fresh batch 278a: a gambling den, a punch in a restaurant, an
		// unlicensed dentist and loan-selling calls go to their agencies.
		{Input{Text: "民和川口镇有人在居民楼里开赌场，每天晚上人来人往"}, "", "referral", "630222", "police"},
		{Input{Text: "在大通一家饭馆吃饭，说菜咸了老板的儿子出来给了我老公一拳，去医院花了800"}, "", "referral", "630121", "police"},
		{Input{Text: "平安区有个没有执照的牙医在家里给人拔牙，器械都不消毒"}, "", "referral", "630203", "health"},
		{Input{Text: "有个号码一天十几次打电话推销贷款，拉黑了又换号打"}, "", "referral", "", "telecom"},
	}
	for _, tt := range tests {
		r := c.Classify(tt.in)
		agency := ""
		if r.Agency != nil {
			agency = r.Agency.Code
		}
		if (tt.typ != "" && r.Type.Label != tt.typ) || r.Line.Label != tt.line || r.Region != tt.region || agency != tt.agency {
			t.Errorf("%q: got type=%s line=%s region=%s agency=%s, want %s %s %s %s\nevidence %v", tt.in.Text, r.Type.Label, r.Line.Label, r.Region, agency, tt.typ, tt.line, tt.region, tt.agency, r.Evidence)
		}
		if len(r.Evidence) == 0 || len(r.Line.Top) == 0 || r.Version == "" {
			t.Errorf("%q: missing evidence or suggestions: %+v", tt.in.Text, r)
		}
	}
}

// TestTraditionalCharacters checks that a complaint typed in traditional
// characters is classified and placed as its simplified twin is.
func TestTraditionalCharacters(t *testing.T) {
	c := mustDefault(t)
	for _, pair := range [][2]string{
		{"在格爾木市昆侖路一家超市買的酸奶，回家才發現已經過期三天了，超市只願意換一盒新的。", "在格尔木市昆仑路一家超市买的酸奶，回家才发现已经过期三天了，超市只愿意换一盒新的。"},
		{"在年保玉則景區門口，牽馬的人說好一人50元，騎完了又說一人300元", "在年保玉则景区门口，牵马的人说好一人50元，骑完了又说一人300元"},
	} {
		tr, si := c.Classify(Input{Text: pair[0]}), c.Classify(Input{Text: pair[1]})
		if tr.Type.Label != si.Type.Label || tr.Line.Label != si.Line.Label || tr.Type.Confidence != si.Type.Confidence || tr.CCAClass.Label != si.CCAClass.Label || tr.Region != si.Region || si.Region == "" {
			t.Errorf("%q: got %s/%s/%s/%q, simplified twin %s/%s/%s/%q", pair[0],
				tr.Type.Label, tr.Line.Label, tr.CCAClass.Label, tr.Region, si.Type.Label, si.Line.Label, si.CCAClass.Label, si.Region)
		}
	}
}

func TestBadInput(t *testing.T) {
	c := mustDefault(t)
	huge := strings.Repeat("这家店卖的牛奶过期了，要求退款。", 7000) // ≈ 100 KB
	tests := []struct {
		name       string
		in         Input
		wantTriage bool
	}{
		{"empty", Input{}, true},
		{"spaces", Input{Text: " \t\n　"}, true},
		{"emoji", Input{Text: "😡😡😡🙏"}, true},
		{"digits", Input{Text: "13800138000 123456"}, true},
		{"invalid utf8", Input{Text: "\xff\xfe\xfd"}, true},
		{"invalid region code", Input{Text: "西宁市城东区超市卖过期酸奶，要求退一赔十。", BusinessRegion: "99999x"}, true},
		{"huge", Input{Text: huge}, false},
		{"mixed scripts", Input{Text: "在Xining买的iPhone屏幕broken了，商家不给退款！！ཀཁག"}, false},
	}
	for _, tt := range tests {
		start := time.Now()
		r := c.Classify(tt.in)
		if r.Triage != tt.wantTriage {
			t.Errorf("%s: triage %v (%v), want %v", tt.name, r.Triage, r.TriageReasons, tt.wantTriage)
		}
		if r.Triage && len(r.TriageReasons) == 0 {
			t.Errorf("%s: triage without a reason", tt.name)
		}
		if d := time.Since(start); d > time.Second {
			t.Errorf("%s took %v", tt.name, d)
		}
	}
}

// TestMarketNotReferral checks market matters whose words suggest another
// agency (a hospital named in a trek's story): whatever their line, they are
// not referred.
func TestMarketNotReferral(t *testing.T) {
	c := mustDefault(t)
	for _, text := range []string{
		"报名了果洛大武镇一家户外俱乐部组织的阿尼玛卿转山，5天收了2600元，说有专业领队和后勤车。第三天队友高反严重，领队说“自己坚持”，让我们先走，把病人留在一个牧民帐篷里，后来是我们自己花钱找车送到玛沁县医院。这种领队根本不专业，要求退还后两天的费用、承担送医车费800元。",
		// A car dealer's "financial service fee" is the dealer's price, even
		// though a bank lends the money.
		"在城北区一家4S店贷款买车，店里另外收了3000元金融服务费，不交不给提车",
		// A shop's own instalments, without a bank.
		"在乐都区一家电动车店分期买的车，店里自己做的分期没经过银行，晚交两天就把车拖走了",
		// A scenic area's sightseeing bus is the scenic area's service.
		"Paid for the sightseeing bus at Kanbula scenic area, the bus broke down halfway and the staff refused to refund us.",
		// Movers are no referral (the case, dev100-a-0037, is labelled
		// price; the model wavers between price and contract services
		// from one retraining to the next, and both are the bureau's).
		"We hired a moving company in Xining to move our stuff to Golmud. They quoted 2,500 yuan on the phone, but after loading the truck they demanded another 1,200 yuan for long-distance packing.",
	} {
		if r := c.Classify(Input{Text: text}); r.Line.Label == "referral" {
			t.Errorf("Classify(%q): referred to %v; want a market line", text, r.Agency)
		}
	}
}

// TestQuestionsAboutOwnDispute checks that a consumer who tells of a
// dispute but asks whether the business is right (是这样吗, 运费应该谁出),
// whether something is lawful (犯不犯法) or whether the regulator handles
// such things (归不归你们管), is asking: an inquiry, answered without finding
// the business.
func TestQuestionsAboutOwnDispute(t *testing.T) {
	c := mustDefault(t)
	for _, text := range []string{
		"买的电饭锅坏了，商家说内胆不在保修范围，是这样吗",
		"网上买的鞋子不合适要退，来回运费应该谁出？商家让我出",
		"菜市场门口那些卖熟食的小推车归不归你们管？没有任何标签", // whether it is the regulator's to handle
		"开服装店的，想在门口广告牌上写“全县最低价”，这样写犯不犯法？",
	} {
		if r := c.Classify(Input{Text: text}); r.Type.Label != "inquiry" {
			t.Errorf("Classify(%q): type %s; want inquiry\nevidence %v", text, r.Type.Label, r.Evidence)
		}
	}
}

// TestConfidentReferrals checks matters plainly outside market regulation
// that the classifier refers without sending them to triage.
func TestConfidentReferrals(t *testing.T) {
	c := mustDefault(t)
	for _, tt := range []struct{ text, agency string }{
		{"乡卫生院给我打针后腿上肿了一大块，卫生院说不关他们的事", "health"},            // a township clinic's care
		{"请问怎么查旅行社有没有经营资质？我们想报团去果洛", "culture_tourism"},      // a travel agency's licence
		{"在售楼处交了2万认筹金，说能优先选房，结果开盘好房全没了，认筹金也拖着不退", "housing"}, // a developer's sales office
		{"物业停我家水了，说不交物业费就不给来", "housing"},
		{"乐都碾伯镇有个无证牙医在家里给人镶牙拔牙", "health"},
		{"种牙出了问题该找哪个部门", "health"},
		{"有人加我微信自称是药监局的，说我买的保健品有问题可以退钱，让我先交手续费", "police"}, // an impostor of the drug regulator
		{"小区门口的公共车位被几家店私自装了地锁，不让别人停", "general"},
		{"车险理赔被拒了，保险公司说出事故时我超速，交警认定书上根本没有", "finance"}, // an accident named, but the insurer refuses
		{"驾校教练暗示学员给他买烟，不买就不让上车练", "transport"},
		{"My number was suspended for real-name verification and the operator's office keeps charging me. My bank app needs this number.", "telecom"},
		{"同德县停电一整天了", "general"},                   // a power cut, by SMS
		{"去应聘饭店服务员，老板让先交200元押金和工服费才能上岗", "labour"}, // a fee to start a job
	} {
		r := c.Classify(Input{Text: tt.text})
		if r.Line.Label != "referral" || r.Agency == nil || r.Agency.Code != tt.agency || r.Triage {
			t.Errorf("Classify(%q): line %s, agency %v, triage %v %v; want a referral to %s", tt.text, r.Line.Label, r.Agency, r.Triage, r.TriageReasons, tt.agency)
		}
	}
}

func TestMixedComplaintAndReport(t *testing.T) {
	c := mustDefault(t)
	r := c.Classify(Input{Text: "我要投诉并举报这家超市卖过期食品，要求退款，并请依法查处。"})
	if !r.Mixed {
		t.Errorf("not marked mixed: %+v", r)
	}
}

func TestLowConfidenceTriage(t *testing.T) {
	c := mustDefault(t)
	strict := New(c.Model, c.Rules, c.Taxonomy, c.Gazetteer)
	strict.Thresholds = Thresholds{Type: 1.01, Line: 1.01, LineFloor: 1.01} // nothing is ever this sure
	r := strict.Classify(Input{Text: "买的东西有问题"})
	if !r.Triage || len(r.Line.Top) != 3 || len(r.Type.Top) != 3 {
		t.Errorf("want triage with top-3 suggestions, got %+v", r)
	}
	if r.Line.Top[0].Confidence < r.Line.Top[1].Confidence {
		t.Errorf("suggestions not ordered: %+v", r.Line.Top)
	}
}

func TestTriageThresholds(t *testing.T) {
	c := mustDefault(t)
	const shop = "城东区一家店卖的东西有问题"
	const lost = "网购的衣服一直没到，快递说丢了" // online first, the postal regulator runner-up
	if r := c.Classify(Input{Text: shop}); r.Line.Label == "referral" {
		t.Fatalf("%q classified as a referral", shop)
	}
	tests := []struct {
		name       string
		text       string
		th         Thresholds
		triage     bool
		typeDoubt  int
		reasonHint string
	}{
		{"type doubt with likely alternatives is left to the router", shop, Thresholds{Type: 1.01, TypeAlt: 0}, false, 2, ""},
		{"type doubt with no likely alternative is triage", shop, Thresholds{Type: 1.01, TypeAlt: 1.01}, true, 0, "type confidence"},
		{"line below the floor is triage", shop, Thresholds{LineFloor: 1.01}, true, 0, "line confidence"},
		{"a likely runner-up referral is triage", lost, Thresholds{Referral: 0}, true, 0, "referral"},
		{"an uncertain line alone is not triage", shop, Thresholds{Line: 1.01, Referral: 1.01}, false, 0, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cc := New(c.Model, c.Rules, c.Taxonomy, c.Gazetteer)
			cc.Thresholds = tt.th
			r := cc.Classify(Input{Text: tt.text})
			if r.Triage != tt.triage || len(r.TypeDoubt) != tt.typeDoubt {
				t.Fatalf("triage %v, type doubt %v; want %v, %d (%v)", r.Triage, r.TypeDoubt, tt.triage, tt.typeDoubt, r.TriageReasons)
			}
			if tt.triage && !strings.Contains(strings.Join(r.TriageReasons, ";"), tt.reasonHint) {
				t.Errorf("reasons %v, want %q", r.TriageReasons, tt.reasonHint)
			}
		})
	}
}

func TestModelRoundTrip(t *testing.T) {
	c := mustDefault(t)
	data, err := c.Model.MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	m, err := LoadModel(data)
	if err != nil {
		t.Fatal(err)
	}
	again, _ := m.MarshalBinary()
	if !bytes.Equal(data, again) {
		t.Error("round trip changed the model")
	}
	for _, n := range []int{0, 5, 8, len(data) / 2, len(data) - 1} {
		if _, err := LoadModel(data[:n]); err == nil {
			t.Errorf("truncated model (%d bytes) loaded", n)
		}
	}
	if _, err := LoadModel(append(bytes.Clone(data), 0)); err == nil {
		t.Error("model with trailing data loaded")
	}
}

func TestTrainDeterministicAndFromJSONL(t *testing.T) {
	in := `{"text":"超市卖过期牛奶","line":"food","type":"complaint"}
not json
{"text":"   "}
{"text":"电梯困人","line":"special_equipment","type":"complaint"}
{"text":"举报无照经营","line":"licensing","type":"report"}
`
	cfg := DefaultTrainConfig()
	m1, skipped, err := TrainFromJSONL(strings.NewReader(in), cfg)
	if err != nil || skipped != 2 {
		t.Fatalf("err %v skipped %d", err, skipped)
	}
	m2, _, _ := TrainFromJSONL(strings.NewReader(in), cfg)
	b1, _ := m1.MarshalBinary()
	b2, _ := m2.MarshalBinary()
	if !bytes.Equal(b1, b2) {
		t.Error("training is not deterministic")
	}
	if got := strings.Join(m1.Fields(), ","); got != "type,line" {
		t.Errorf("fields %s", got)
	}
	if _, _, err := TrainFromJSONL(strings.NewReader("bad\n"), cfg); err == nil {
		t.Error("training on nothing succeeded")
	}
	lr := cfg
	lr.Algorithm = LogReg
	if _, _, err := TrainFromJSONL(strings.NewReader(in), lr); err != nil {
		t.Errorf("logreg: %v", err)
	}
}

func TestEvaluate(t *testing.T) {
	c := mustDefault(t)
	ex := []Example{
		{Text: "电梯困人一个小时", Line: "special_equipment", Type: "complaint"},
		{Text: "举报一家饭店用地沟油", Line: "food", Type: "report"},
	}
	rep := Evaluate(c, ex)
	f, ok := rep.Field(FieldLine)
	if !ok || f.N != 2 {
		t.Fatalf("line report %+v", f)
	}
	var buf bytes.Buffer
	if err := rep.WriteText(&buf); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(buf.String(), "line: accuracy") || !strings.Contains(buf.String(), "special_equipment") {
		t.Errorf("report:\n%s", buf.String())
	}
}

func TestCorrections(t *testing.T) {
	tx, _ := DefaultTaxonomy()
	cs := []Correction{
		{CaseID: "c1", Text: "饭店乱收费", Field: "line", From: "food", To: "price", By: "s1"},
		{CaseID: "c2", Text: "电梯坏了", Field: "type", From: "inquiry", To: "complaint", By: "s1"},
		{CaseID: "c1", Field: "nature", From: "其他问题", To: "价格问题", By: "s2"},
	}
	for _, c := range cs {
		if err := c.Validate(tx); err != nil {
			t.Error(err)
		}
	}
	bad := []Correction{{CaseID: "x", Field: "line", To: "weather"}, {CaseID: "x", Field: "colour", To: "red"}, {Field: "line", To: "food"}, {CaseID: "x", Field: "agency", To: "nasa"}}
	for _, c := range bad {
		if c.Validate(tx) == nil {
			t.Errorf("%+v validated", c)
		}
	}
	ex := ExamplesFromCorrections(cs)
	if len(ex) != 2 || ex[0].Line != "price" || ex[0].Nature != "价格问题" || ex[0].Text != "饭店乱收费" || ex[1].Type != "complaint" {
		t.Fatalf("examples %+v", ex)
	}
	var buf bytes.Buffer
	if err := WriteExamples(&buf, ex); err != nil {
		t.Fatal(err)
	}
	back, skipped, err := ReadExamples(&buf)
	if err != nil || skipped != 0 || len(back) != 2 || back[0].Line != "price" {
		t.Errorf("read back %+v %d %v", back, skipped, err)
	}
}

func TestFeaturize(t *testing.T) {
	tests := []struct {
		in   string
		want int // number of features
	}{
		{"", 0},
		{"牛奶", 3},              // 2 unigrams + 1 bigram
		{"过期牛奶", 4 + 3 + 2},    // uni + bi + tri
		{"milk is bad", 2 + 1}, // words (stopword "is" dropped) + word bigram
		{"😀😀", 1},              // symbols only form a window bigram
	}
	for _, tt := range tests {
		if got := len(featurize(nil, normalize(tt.in))); got != tt.want {
			t.Errorf("featurize(%q) = %d features, want %d", tt.in, got, tt.want)
		}
	}
	if normalize("ＡＢＣ１２３") != "abc000" {
		t.Errorf("normalize full-width: %q", normalize("ＡＢＣ１２３"))
	}
}

// gramHashOf is gramHash of the character n-gram s (one to three runes).
func gramHashOf(s string) uint64 {
	var k uint64
	for _, r := range s {
		k = k<<21 | uint64(r)
	}
	return gramHash(k)
}

// TestGramHash checks that featurize hashes each character n-gram as
// gramHashOf its text, digits as the 0 that normalize makes of them, and
// that n-grams of different lengths hash apart.
func TestGramHash(t *testing.T) {
	text := normalize("过期牛奶，退钱!")
	for _, f := range featurize(nil, text) {
		if g := text[f.start:f.end]; f.h != gramHashOf(g) {
			t.Errorf("%q: hash %x, want gramHashOf's %x", g, f.h, gramHashOf(g))
		}
	}
	digits := normalize("买了3个")
	if !slices.ContainsFunc(featurize(nil, digits), func(f feature) bool { return f.h == gramHashOf("了0") }) {
		t.Errorf("%q: no bigram of 了 and its digit", digits)
	}
	seen := map[uint64]string{}
	for _, g := range []string{"牛", "牛牛", "牛牛牛", "奶", "牛奶", "奶牛", "，", "牛，", "，牛", "0", "了0"} {
		h := gramHashOf(g)
		if o, ok := seen[h]; ok {
			t.Errorf("%q and %q hash alike", g, o)
		}
		seen[h] = g
	}
}

// TestScriptOf checks scriptOf against the Unicode tables for every rune:
// its shortcut for the CJK block must agree with them.
func TestScriptOf(t *testing.T) {
	for r := rune(0); r <= unicode.MaxRune; r++ {
		var want script
		switch {
		case r == '0':
			want = scDigit
		case r < utf8.RuneSelf:
			if r >= 'a' && r <= 'z' {
				want = scLatin
			}
		case unicode.Is(unicode.Han, r):
			want = scHan
		case unicode.IsLetter(r):
			want = scLatin
		}
		if got := scriptOf(r); got != want {
			t.Fatalf("scriptOf(%U) = %d, want %d", r, got, want)
		}
	}
}

// TestLengthFeature checks the bands of lengthFeature, their names in the
// evidence, and that a model trained where length tells the classes apart
// learns it from the feature alone.
func TestLengthFeature(t *testing.T) {
	bands := []struct {
		n    int
		want string
	}{
		{0, "[length:<6]"}, {5, "[length:<6]"}, {6, "[length:6-9]"}, {9, "[length:6-9]"},
		{10, "[length:10-14]"}, {249, "[length:150-249]"}, {250, "[length:250+]"}, {100000, "[length:250+]"},
	}
	for _, b := range bands {
		f := lengthFeature(b.n, "牛奶")
		if f.start != 6 || f.end != 6 {
			t.Errorf("lengthFeature(%d): span %d-%d, want the empty one at the text's end", b.n, f.start, f.end)
		}
		if got, ok := lengthEvidence(f.h); !ok || got != b.want {
			t.Errorf("lengthFeature(%d) shows as %q, %v; want %q", b.n, got, ok, b.want)
		}
	}
	if s, ok := lengthEvidence(hashString('1', "牛")); ok {
		t.Errorf("an n-gram shows as length %q", s)
	}
	// Two classes whose texts have the same n-grams and differ in length:
	// only the length feature tells them apart.
	var train []Example
	for i := range 40 {
		short, long := "东西不好，东西不好", strings.Repeat("东西不好，", 8)
		train = append(train,
			Example{ID: "s" + strconv.Itoa(i), Text: short, CCAClass: "食品类"},
			Example{ID: "l" + strconv.Itoa(i), Text: long, CCAClass: "服装鞋帽类"})
	}
	cfg, err := TrainingConfig()
	if err != nil {
		t.Fatal(err)
	}
	// Naive Bayes, whose weights the evidence shows, keeps all n-grams
	// here: the long texts hold 89% of the n-grams, so the long band, which
	// only they have, is spread over the classes almost as all n-grams are,
	// and NBSelect would drop it.
	cfg.NBSelect = 0
	m, err := Train(train, cfg)
	if err != nil {
		t.Fatal(err)
	}
	base := mustDefault(t)
	c := New(m, base.Rules, base.Taxonomy, base.Gazetteer)
	for text, want := range map[string]string{"东西不好，东西不好": "食品类", strings.Repeat("东西不好，", 7): "服装鞋帽类"} {
		r := c.Classify(Input{Text: text})
		if r.CCAClass.Label != want {
			t.Errorf("%q: cca_class %s, want %s (evidence %v)", text, r.CCAClass.Label, want, r.Evidence)
		}
		if !slices.ContainsFunc(r.Evidence, func(e string) bool { return strings.Contains(e, `"[length:`) }) {
			t.Errorf("%q: the evidence does not name the length: %v", text, r.Evidence)
		}
	}
}

// TestFarmInputsClass checks that farm inputs (农资) are 农用生产资料类: the
// class head learns from the hand-written examples alone, which have few,
// so the catalogue decides (from fresh batch 293a, where 36 of 130 were
// taken for food or appliances; 13 of them still are).
func TestFarmInputsClass(t *testing.T) {
	c := mustDefault(t)
	for _, text := range []string{
		"我们这边有人在路边摆摊卖兽药，牛羊的针剂都有，没有任何手续，便宜得很，请有关部门查处",
		"我在民和县川口镇养了三十多头猪，3月份从镇上一家饲料店买了育肥猪饲料，一次拉了40袋，每袋168元。喂了一个礼拜猪就不爱吃了",
		"4月2日在互助县威远镇一家农资门市买了20袋复合肥，每袋标50公斤，拉回家自己称了几袋都只有46、47公斤",
		"去年10月在平安县一家农机公司买了一台拖拉机，花了38600元，说三包一年。今年春耕刚用了没几天，变速箱就挂不上挡",
		"鸡饲料里有石子",
	} {
		if got := c.Classify(Input{Text: text}).CCAClass.Label; got != "农用生产资料类" {
			t.Errorf("%s: cca_class %s, want 农用生产资料类", text, got)
		}
	}
}

// TestCatalogueEvidence checks that a catalogue feature shows as its word
// in brackets in every field's evidence, not only where it names the
// class picked: the line of a phone bill's text is decided by 话费, which
// is the telecom class's catalogue word.
func TestCatalogueEvidence(t *testing.T) {
	r := mustDefault(t).Classify(Input{Text: "话费莫名其妙多扣了50元，找谁管"})
	i := slices.IndexFunc(r.Evidence, func(e string) bool { return strings.HasPrefix(e, "line=") })
	if i < 0 || !strings.Contains(r.Evidence[i], `"[catalogue:话费]"`) {
		t.Errorf("the line's evidence does not name the catalogue word: %v", r.Evidence)
	}
}

// TestResultsShareNothing checks that a result owns what it holds: the
// fields' Top lists share one array, so appending to one must not reach
// the next, and a later classification must not change an earlier result
// (the classifier reuses its buffers).
func TestResultsShareNothing(t *testing.T) {
	c := mustDefault(t)
	first := c.Classify(Input{Text: benchTexts[0]})
	line := slices.Clone(first.Line.Top)
	evidence := slices.Clone(first.Evidence)
	first.Type.Top = append(first.Type.Top, Scored{"x", 1}, Scored{"y", 1})
	if !slices.Equal(first.Line.Top, line) {
		t.Fatalf("appending to Type.Top changed Line.Top: %v, was %v", first.Line.Top, line)
	}
	for _, text := range benchTexts[1:] {
		c.Classify(Input{Text: text})
	}
	if !slices.Equal(first.Line.Top, line) || !slices.Equal(first.Evidence, evidence) {
		t.Fatalf("later classifications changed an earlier result")
	}
}

// TestAppendQuote checks the quick quoting against strconv.AppendQuote,
// and that every character of the range it passes through unescaped is
// printable, as strconv sees it.
func TestAppendQuote(t *testing.T) {
	for r := rune(0x4E00); r <= 0x9FFF; r++ {
		if !strconv.IsPrint(r) {
			t.Fatalf("%U is not printable: appendQuote must escape it", r)
		}
	}
	for _, s := range []string{"", "过期", "abc 12", `a"b`, `a\b`, "tab\there", "混合mixed", "é", "\u3000", "\x00", "🙂", "\xff"} {
		if got, want := string(appendQuote([]byte("x"), s)), string(strconv.AppendQuote([]byte("x"), s)); got != want {
			t.Errorf("appendQuote(%q) = %s, want %s", s, got, want)
		}
	}
}

// normalizeRef is normalize as first written, rune by rune: the reference
// for TestNormalizeMatchesReference.
func normalizeRef(s string) string {
	var b strings.Builder
	n := 0
	for _, r := range s {
		if n >= maxRunes {
			break
		}
		n++
		r = hanzi.Simplified(r)
		switch {
		case r == utf8.RuneError:
			r = ' '
		case r >= 0xFF01 && r <= 0xFF5E:
			r -= 0xFEE0
		case r == 0x3000:
			r = ' '
		}
		if r >= '0' && r <= '9' {
			r = '0'
		} else if r < utf8.RuneSelf {
			r = unicode.ToLower(r)
		}
		b.WriteRune(r)
	}
	return b.String()
}

// TestNormalizeMatchesReference checks the byte-wise normalize against the
// rune-by-rune reference on the realistic cases, on edge cases and on
// random bytes, valid UTF-8 or not.
func TestNormalizeMatchesReference(t *testing.T) {
	texts := []string{"", "ＡＢＣ１２３", "Xining 西宁 ＸＩＮＩＮＧ", "\u3000全角\u3000空格", "\ufffd", "\xe4\xb8", "\xe4\xb8\x41", "\xed\xa0\x80",
		"\xe4\xb8\xad\xe6", strings.Repeat("中", maxRunes+5), strings.Repeat("a中", maxRunes), "在格爾木市昆侖路買的", "㑯薴苧 ＡＢ"}
	for _, e := range loadCases(t) {
		texts = append(texts, e.Text)
	}
	rng := rand.New(rand.NewPCG(7, 9))
	alphabet := []byte{'A', 'z', '5', ' ', 0xE4, 0xE9, 0xEF, 0xE3, 0xB8, 0xAD, 0x80, 0xBC, 0xBD, 0xBF, 0xFF, 0xC3, 0xA9}
	for range 20000 {
		b := make([]byte, rng.IntN(12))
		for i := range b {
			b[i] = alphabet[rng.IntN(len(alphabet))]
		}
		texts = append(texts, string(b))
	}
	for _, s := range texts {
		if got, want := normalize(s), normalizeRef(s); got != want {
			t.Fatalf("normalize(%q) = %q, want %q", s, got, want)
		}
	}
}

// TestAgencyFromModel checks that the model names a referral's agency where
// no rule does, and that a model without an agency head (one trained before
// it had one) leaves the choice to the rules, as before.
func TestAgencyFromModel(t *testing.T) {
	c := mustDefault(t)
	in := Input{Text: "干了两个月活一分钱没拿到"}
	var rules []string
	c.Rules.match(normalize(in.Text), func(r rule, term string, _, _ int) {
		if r.field == FieldAgency {
			rules = append(rules, term)
		}
	})
	if len(rules) != 0 {
		t.Fatalf("%q: agency rules %v fire; the test needs a text that none names", in.Text, rules)
	}
	if r := c.Classify(in); r.Agency == nil || r.Agency.Code != "labour" {
		t.Errorf("%q: agency %+v, want labour from the model", in.Text, r.Agency)
	}
	noModel := New(nil, c.Rules, c.Taxonomy, c.Gazetteer)
	if r := noModel.Classify(Input{Text: "被骗了三千块"}); r.Agency == nil || r.Agency.Code != "police" {
		t.Errorf("without a model: agency %+v, want police from the rules", r.Agency)
	}
}
