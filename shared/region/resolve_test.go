package region

import (
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

func TestResolve(t *testing.T) {
	g := Default()
	tests := []struct {
		text string
		want string // expected code; "" means no match
	}{
		{"西宁市城东区东关大街某超市卖过期牛奶", "630102"},
		{"西宁城中区水井巷商场", "630103"},
		{"我在湟中县鲁沙尔镇买的酥油有问题", "630106"}, // old county name and a town
		{"湟中县多巴镇一家饭馆", "630106"},
		{"西宁市湟源县城关镇一处临街门面", "630123"}, // 大通 has a 城关镇 too: the named county decides
		{"同仁县隆务镇的商店", "632301"},
		{"黄南同仁热贡艺术品店卖假唐卡", "632301"},
		// The business's place wins over where a tour went; where goods come
		// from is not the business's place.
		{"报了西宁一家旅行社的青海湖茶卡一日游，导游带去购物店", "630100"},
		{"报了一个西宁出发的一日游，塔尔寺加日月山，导游带我们进了三个购物店", "630100"},         // a tour setting out from Xining: its agency's place
		{"参加某旅行社的青海湖加茶卡两日游，导游把我们关在玉石店里。回西宁后找旅行社，对方说导游是外聘的", ""}, // where the tourists went back to
		{"10月2日跟团游门源和祁连，导游在车上骂我们", ""},                          // a tour group's destinations
		{"西宁市城中区一家旅行社的环线游取消了翡翠湖", "630103"},
		{"We joined a tour run by a travel agency in Xining; the guide skipped Chaka Salt Lake.", "630100"},
		{"西宁来的游客在茶卡盐湖边一家饭店被宰", "632821"},
		// A tour whose agency is not placed goes to a person, not to the
		// county of a scenic spot it visited.
		{"参加某旅行社组织的青海湖、茶卡盐湖二日游，导游带进玉石店", ""},
		{"We are on a group tour to Qinghai Lake and Chaka and the guide wants extra fees.", ""},
		{"We joined a one-day tour from Xining to Kumbum Monastery. The travel agency in Xining refuses any refund.", "630100"},
		{"跟团去贵德，在贵德一家农家乐吃饭被宰", "632523"}, // a tour's stop, and a restaurant named there
		{"跟团去贵德，导游把我们拉到一家农家乐吃饭", ""},     // the guide's choice: the tour's agency answers for it
		{"Our guide left us at the Kumbum car park. The travel agency in Xining does not answer.", "630100"},
		{"导游把我们拉到湟源一家玉石店", "630123"},                                       // a shop there: its place
		{"Our guide at Kumbum Monastery asked for an extra fee", "630106"}, // a guide working there
		{"We booked a 3-day Qinghai Lake and Chaka tour through a WeChat account.", ""},
		{"We joined a group tour from Xining to Qinghai Lake and Chaka. On day two the road to Chaka was closed.", "630100"},
		{"'Hongliu Shaokao' bbq on shuijing xiang charged 6 yuan a skewer, the menu says 3", "630103"},
		{"老爷山花儿会游乐设施没人查", "630121"}, // Datong's mountain and its song festival
		{"stayed at a guesthouse in Hei Ma He town on aug 3. the owner said 280 for a double, then 680", "632521"},
		{"Erlang Jian speedboat - paid 150 pp for a 30 min lake tour, back after 12 min", "632521"},
		{"At Taer si the electric carts from the car park to the gate cost 20 each way", "630106"},
		{"yak photo 50 yuan?!? riyue shan", "630123"},
		{"Caka Salt Lake charges a drone fee of 100 that is on no price list", "632821"},
		{"Where in Xining can I get cordyceps weighed? I think a shop at Mojia market gave me short weight", "630103"},
		{"sining hostel kept my 100 key deposit. lost nothing", "630100"}, // the old spelling
		{"唐道KTV一瓶啤酒38", "630104"},
		{"大通KTV团购 包厢另收钱", "630121"}, // a group-buy voucher used in the place
		{"甘河滩加油站加油机少油", "630106"},
		{"自驾到坎布拉，在景区门口买了含游船的联票，游船停了不退，我们第二天一早要去西宁赶飞机", "632322"}, // where the consumer flies from
		{"八一路饭馆没有菜价 格尔木", "632801"},                              // Golmud's 八一路, not Xining's
		{"南大街一家游泳馆年卡卖2980，他们在城北区的分店同样的卡才1980", "630103"},         // a district beside the street's is no other city
		{"西宁新宁广场那家电影院片子放到一半停电了，只给兑换券不退钱", "630104"},
		{"西宁南川工业园区旁边有个没招牌的作坊做凉皮，地上全是污水", "630103"},
		{"西宁生物园区那边有个卖盒饭的铁皮房子，啥证照都没有", "630105"},
		{"重庆南川一家火锅店的锅底是老油", ""}, // Chongqing's 南川 district
		{"假化肥 祁连八宝", "632222"},  // 祁连 and its town 八宝 confirm each other
		{"A cafe at Niaodao by Qinghai Lake served yak milk tea with lumps and a sour smell", "632224"},
		{"The e-bike shop in De Ling Ha kept 200 of my 500 deposit as a battery charge", "632802"},
		{"Plenty of tent camps on the shore between Heimahe and Jiangxigou show no licence and no name", "632521"}, // a road with both ends in one county lies in it
		{"在京东上买了台冰箱，送货地址写的囊谦县城，送货的说乡里不送，自提还要加200块钱", ""},                                                           // where goods are delivered
		{"一家人在贵德县城西边一家饭馆吃饭，门口写着“玉树牦牛肉”，端上来是黄牛肉", "632523"},                                                         // 人在 before a restaurant: where it is, not where the family lives
		{"饭馆门口写着“纯正玉树牦牛肉”，我们一家人在贵德县城吃的，端上来是黄牛肉", "632523"},                                                         // 纯正 says where goods come from
		{"我在门源浩门镇开了个小卖部，在拼多多上批发了一批饮料，好几箱的生产日期是涂改过的", ""},                                                           // the writer's shop bought online
		{"我在城中区开了个小面馆，外卖平台强制我参加满减活动，不参加就降排名限流", ""},                                                                // the platform it sells on
		{"我们在玛沁大武镇开了个小饭馆，想上外卖平台，平台每单抽成多少有没有规定", "632621"},                                                          // a question about the writer's own shop
		{"我们是互助的一家青稞酒厂，淘宝上一家店的青稞酒瓶型标签跟我们的一模一样，店铺信息显示公司在大通县。请查处这种仿冒行为", "630121"},
		{"We took a 3-day tour from Xining to Chaka and Golmud. The hotel in Golmud was not the 3-star one promised.", "630100"},                      // the agency answers for its tour's hotels
		{"Joined a 2-day tour from Xining to Chaka, booked at an agency office in Chengbei District. The hotel in Golmud was dirty.", "630105"},       // where the agency's office is
		{"A shop on the way to Ta'er Monastery sells cordyceps with a sign saying it cures cancer.", "630106"},                                        // a shop on the road there
		{"Our tour guide took us to a jade shop on the way to Kumbum Monastery and we had to buy.", ""},                                               // the guide's choice: the agency answers
		{"I booked a day tour to Qinghai Lake and Chaka at a travel agency near Xining Railway Station. The guide took us to a jade shop.", "630102"}, // "Chaka at a travel agency": a stop, not the agency's place // stops, one named twice; the tour starts where its agency is
		{"On day two the road to Chaka was closed. We had joined a group tour to Qinghai Lake and Chaka.", ""},
		{"青海湖茶卡一日游，中午在茶卡一家饭店吃饭被宰", "632821"},                                                                                                  // a stop, then a restaurant there
		{"Our guide (tour booked with a travel agency in Xining, 3 days Qinghai Lake + Chaka) took us to a jade shop for 2 hours.", "630100"}, // brackets end a clause
		// An itinerary written with dashes starts where the agency is; a
		// scenic area on the route is a stop, not the business.
		{"报了西宁-青海湖-茶卡的二日游，旅行社把合同里的酒店换成了民宿", "630100"},
		{"Booked a winter tour Xining - Qinghai Lake - Chaka with a local agency. They swapped the hotel.", "630100"},
		{"西宁-大通一路的加油站都在涨价，大通县城的加油站涨得最多", "630121"}, // no tour: a road's ends
		{"在西宁一家旅行社报了青海湖二日游，行程里写着去二郎剑景区，导游没带我们去", "630100"},
		{"Joined a tour sold by a Xining travel agency. The itinerary promised Erlangjian scenic area, but the guide skipped it.", "630100"},
		{"二郎剑景区门票涨价了也没公示", "632521"},                    // a scenic area's own business
		{"网上买的吉他有裂缝，卖家不回消息。我人在海东乐都，是不是要找乐都的市场监管局？", ""}, // a regulator is no 市场
		// Online, a place named as the merchant's is the business's; one
		// named as where the goods go is the buyer's.
		{"外卖平台上城东区那家牦牛肉盖饭，图片上满满一层肉，到手就四五片", "630102"},
		{"在一个婚纱摄影的小程序上交了2000元定金，影楼在乐都县，说好9月拍外景", "630202"},
		{"举报外卖平台上一家家常菜，我去取过餐，实际就在城北区马坊一个居民楼里，厨房在阳台上", "630105"},
		{"外卖平台上有家小厨，照片拍得像大饭店，其实就在城中区一栋居民楼里，家里厨房做饭", "630103"},
		{"拼多多上一家店的营业执照，法定代表人写的是我，住所写的是乐都区，我从来没注册过", "630202"},
		{"扫码点餐的小程序非要授权手机号才能点菜，餐馆在德令哈河西街道", "632802"},
		{"网上订的宾馆，在玛多县花石峡住了一晚，说好有供氧，结果制氧机是坏的", "632626"},                                                                                     // a room booked online is stayed in
		{"Bought a power bank at a shop near the train station in Golmud for 260 yuan, no price tag. The same one is 89 online.", "632801"}, // bought in a shop: "online" is a price to compare
		{"有人在快手上卖自家做的辣酱，一张标签都没有，说是在湟源县城关镇家里做的", "630123"},
		{"我人在乐都，想在某宝上开个店卖自家做的馍馍，需要办哪些证", "630202"},
		{"我们是乐都开二手车行的，想在网上直播卖车，需要办什么手续", "630202"},
		{"我在刚察县沙柳河镇养羊，想在短视频平台上卖手抓羊肉，自己家里煮好装袋，需要办哪些证", "632224"},
		{"我是贵德县城开火锅店的，隔壁那家天天在短视频平台上发视频说我们用病死羊肉", "632523"}, // 我是…县城开…店的: the writer's own shop and its neighbour
		{"某手上有个主播在家里厨房做辣椒酱卖，瓶子上没有标签，她自己说家就在民和县川口镇", "630222"},
		{"外卖平台上几家店其实是一个厨房挂了好几个店名，就在城东区周家泉一栋居民楼里", "630102"},
		{"我家在湟中区多巴镇开了个小卖部，想在小程序里顺便卖点自家榨的菜籽油，要办什么许可", "630106"},
		{"团购群里接龙买的鲜奶，送奶的说自家牧场在湟中上五庄，桶上什么标签都没有", "630106"},
		{"社区团购群里卖的冻羊肉，没有检疫章，团长说是从化隆那边直接拉来的", ""},         // where goods were brought from
		{"在家政APP上约的保洁，阿姨两个小时就走了，我家在乐都", ""},              // a home service booked online: the home is the buyer's
		{"我在德令哈上班，在网上一个店铺买了加油卡充值，付了1000元，十天了卡里还没到账", ""}, // bought online: where the buyer works
		{"在旅游APP上订了西宁出发的青海湖两日游，住的是大通铺", "630100"},        // the tour's agency, though booked online
		{"网上有家店卖的“德令哈柴达木雪菊”，泡开全是小虫子，请查一下这个店", ""},        // a place in a product's quoted name, bought online
		{"在贵德团购的烤肉套餐，去了店里说套餐下架了不能用，平台又说过期不退", "632523"},  // a voucher used in a shop there
		{"城西区一个院子里有人做奶皮子在快手上卖，没有任何证，院子里还养着狗", "630104"},  // where goods sold online are made
		// Writers asking what they need to sell online are the business.
		{"我们是贵德河阴镇的，想开网店卖自家的长把梨，需要办什么证", "632523"},
		{"我是乌兰县茶卡镇种枸杞的，想在快手上卖自家晒的枸杞，要不要办营业执照", "632821"},
		{"有人用我的身份证注册了个体工商户开网店，注册地在海东市化隆县，我人一直在西宁打工", "630224"},
		{"网上买东西写的全国包邮，下单以后商家说青海果洛是偏远地区，要再补30元运费", ""},
		{"实体店买的衣服也能七天无理由退吗？在力盟商业街买的裤子，店里说概不退换", "630104"}, // a shop, whatever the rule's name
		// A business reporting another is not placed by its own place,
		// unless the other is its neighbour; where goods were taken to be
		// checked is no seller's.
		{"我们是互助县一家青稞酒厂，最近发现网上有好几家店卖的酒包装和我们的一模一样，请求查处", ""},
		{"我们是城东区做牦牛奶片的小店，隔壁一家把我们的包装仿了", "630102"},
		{"我们是互助县城开青稞酒专卖店的，同一条街的另一家店在抖音上发视频说我们卖假酒", "630223"}, // a rival on the same street, online
		{"我是湟源县开门窗店的，隔壁同行在抖音上发视频说我家门窗用的回收料", "630123"},       // 我是…开…店的: the writer's own shop, and its neighbour
		{"我是湟源县人，在网上买的门窗用的回收料", ""},                          // no shop of the writer's
		{"在网上找了一家西宁的搬家公司，从城中区南川东路搬到城东区韵家口，到了加钱", "630100"},   // both ends of the move are the consumer's
		{"We hired a moving company in Xining to move from Chengdong to the Haihu district. They never came.", "630100"},
		{"城北区一家搬家公司把我家衣柜摔坏了", "630105"},                              // the company's own place
		{"其在某电商平台购买一台空调，商家页面承诺免费安装，到货后商家称大通县不在免费安装范围", ""},           // where an online seller will not install
		{"我们是刚察县沙柳河镇的一家牧家乐，搬到新地方没来得及变更，被列进了经营异常名录，多久能移出？", "632224"}, // the writers ask about their own business
		{"214国道上海南州共和跟兴海交界那一段有个加油站，加油机有问题", "632500"},                // on the border of two counties of one prefecture
		{"共和跟兴海交界那有个小卖部卖过期饮料", "632500"},                             // the border names the prefecture: 共和 and 兴海 need no other place
		{"兴海和共和两个县交界那一块有个加油站，加油机有问题", "632500"},
		{"乐都和平安区交界处有个加油站，加油机跳得特别快", "630200"},                                                                                                   // the other side of a business's border competes with it
		{"A small shop where Gonghe and Xinghai counties meet sells fake cordyceps.", "632500"},                                                 // a border in English
		{"Stayed at a guesthouse in Jiangxigou on our Qinghai Lake ride; the owner charged 200 instead of the agreed 120.", "632521"},           // a lakeside town in pinyin
		{"We took a 2-day Qinghai Lake and Chaka tour departing from Xining; the lunch restaurant at Chaka charged us 85 yuan each.", "630100"}, // the agency answers for its tour's restaurant
		// A business on a road between two named places is in neither.
		{"从西宁去循化的路上一家饭馆吃了午饭，全家拉肚子", ""},
		{"从平安去循化的路上，路边一家饭馆一碗面片收了35元，墙上也没有价目表", ""},              // the bare 平安, not a place by itself, is still a road's end
		{"自驾从西宁去格尔木，中午在都兰县境内一个高速服务区吃饭，两碗面收了186元", "632822"},     // a business within a county on the road
		{"海东平安驿那边一个楼盘在抖音上打广告说“高铁站旁 5分钟到西宁”，实际要20多分钟", "630203"}, // a housing development advertised online
		{"Bought altitude sickness pills at a pharmacy near Kumbum Monastery, 198 yuan for one small box. The same box is about 35 yuan online.", "630106"},
		{"从西宁去格尔木的高速上，一个服务区的饭馆，面片里吃出来一只苍蝇", ""}, // a motorway between them
		{"A restaurant on the way from Xining to Huangyuan charged us 300 yuan for two dishes.", ""},
		{"A shop between Xining and Huangyuan sold us fake cordyceps.", ""},
		{"我是跑西宁到格尔木这条线的大车司机，路边一家饭馆拿臭肉做面", ""},
		{"从西宁到循化的路上，在化隆甘都镇一家饭馆吃饭拉肚子", "630224"}, // unless the business's own place is named
		{"在快手上买的“官亭土蜂蜜”，主播说是民和本地产的，收到全是糖水", ""}, // a place's produce, and where it is said to be made
		{"在快手上买的羊肉，卖家说是海晏放养的滩羊，化开一股腥臭味", ""},
		{"在抖音直播间买的虫草，主播说是果洛玛沁的头茬草，收到个头小了一大半", ""},
		{"Ordered honey in a live stream, their farm is in Huzhu they said, it tastes like sugar water", "630223"},
		{"在闲鱼上买了同小区邻居的电暖器，我们都住在城北区，用了两天就烧了", "630105"}, // a sale between neighbours
		{"我住城中区，在闲鱼上买了楼下邻居的婴儿床，说好的无损，结果床板是裂的", "630103"},
		{"我住城中区，在闲鱼上买的二手手机，卖家在广东，收到是翻新机", ""},
		{"抖音上有人卖自制的酥油，说作坊就在泽库县城，罐子上什么标签都没有", "632323"},             // the seller's workshop
		{"在德令哈市河西街道一家化妆品店买的乳液早就过期了，店员说跟他们在格尔木的连锁店是一样的货", "632802"}, // the 河西街道 written after its own city
		{"在青海湖乡附近湖边，有牧民牵着马让游客拍照，说好20块，拍完要一人一百", "632223"},          // a town named after the lake, not the lake
		{"在外地旅游时买的东西，回到西宁以后发现有质量问题，可以在西宁这边投诉吗", ""},                // where the writer would complain
		{"宁大公路城北区跟大通县交界的那一段，路边有一家修车铺，没挂牌也没执照", "630100"},
		{"外卖平台上有家烤肉店，门头照片是盗用的，其实是在城北区小桥大街一个居民楼里做的", "630105"}, // where an online seller really is
		{"外卖点了一碗牛肉面，打包费和餐盒费收了两次。店是城中区的。", "630103"},
		{"我父亲在湟中区鲁沙尔镇参加了一个健康讲座，讲的人让老人扫码进小程序买活性肽", "630106"},           // a lecture attended, goods bought online there
		{"海东市平安区古城乡那边有几户人家在院子里宰羊，宰完的肉直接拉到西宁卖给饭馆，没有任何检疫手续", "630203"},  // where the meat was taken to be sold is not where it was slaughtered
		{"看直播买的手镯，主播说是天然A货翡翠，我在西宁一家检测机构花80元做了鉴定，结果是B货", ""},           // where the buyer had it tested
		{"我是甘肃兰州的，从格尔木坐火车回家，在西宁火车站站前广场一家特产店买了两袋牦牛肉干，已经过期了", "630102"}, // where the consumer set out from by train
		{"在某电商平台买的手机，店铺显示在深圳，收货地址是我在城东区的家，到手一查是翻新机", ""},              // the buyer's home
		{"网上买的冰箱等了20天还没发货，送货地址是湟源县城，商家说厂家缺货", ""},                     // the delivery address is the buyer's
		{"在网上买了一箱枸杞原浆，商家页面写着能降血糖，送货地址填的是格尔木我家，商家在哪都不知道", ""},          // as the address filled in
		{"我是泽库县的牧民，有人开车到草场上卖煤，说是正宗的大通块煤，烧了才发现一半是煤面和石头", "632323"},     // coal named for where it is mined; the seller came to the buyer
		{"我在乌兰希里沟，自己在家织藏式坐垫，想放到拼多多上卖，需要办营业执照吗？要的话在哪办", "632821"},      // a writer who would sell online is the business
		{"我们是刚察县的一个牧民合作社，自己做风干牦牛肉，想给产品注册个商标，以后好往外卖。在州上能办吗", "632224"}, // the writer's own business asks about its trademark
		{"我们是湟中一家藏毯厂，注册商标被人印在劣质化纤地毯上，在西宁好几个市场当我们的正品卖", "630100"},      // a writer whose trademark others copy: the copiers' place
		{"藏药在网上卖需要什么资质？我们是同仁市的一家藏药店，想开个网店", "632301"},                 // the writer's own shop asks what it needs
		{"我们是玛沁县大武镇的一个虫草合作社，想在网上直播卖虫草，直播时用的秤要不要拿去检定？", "632621"},      // and whether its scale must be verified
		{"有人在快手直播卖散装青稞酒，他自己说是在互助县丹麻镇家里酿的，桶上啥标签都没有", "630223"},         // where the live-streamer brews
		{"海湖新区我们小区门口天天有人摆摊卖虫草，还架着手机开直播，问他有没有营业执照，他说不用办", "630104"},    // a stall that also streams
		{"格尔木 外卖吃坏肚子", "632801"}, // a takeaway that made someone ill: the kitchen's place
		{"小区居民楼里有家外卖店在家做饭，厨房脏得很，在城中区南川东路那一片", "630103"},  // a takeaway's dirty kitchen
		{"我们是兴海县的，想在直播间卖自家做的酥油，要不要办证？", "632524"},        // a writer who would sell in a live-stream room
		{"直播间卖风干牦牛肉的，在院子里露天晾肉，苍蝇乱飞，他们就在果洛大武镇", "632621"}, // where the online seller is
		{"主播卖唐卡，说画室就在同仁，收到一看是印刷的", "632301"},             // where the seller's studio is
		{"下单时写着包邮，付了款商家说偏远地区要补运费。我在称多县，买的是个保温壶", ""},     // the buyer's place in an online purchase
		{"从西宁自驾去格尔木，G6路上有个服务区的泡面卖15元", ""},               // a service area on the road between
		{"从西宁到格尔木的火车上买的盒饭，吃完肚子疼了一晚上", ""},                // a train's destination places no business
		{"在某电商平台买的手机，店铺显示在深圳，收货地址是我在城东区的家,到手一查是翻新机", ""}, // with a half-width comma
		{"在网上一家店买的号称诺木洪的枸杞，收货地址填的大通县桥头镇我家，打开一股霉味", ""},
		{"跟团从西宁去玉树，旅行社是格尔木的，合同上写住四星酒店，实际住的是家庭旅馆", "632801"},           // the agency's place
		{"我爸妈报了个“夕阳红”低价团，299元游青海湖和塔尔寺，结果一天进了三个购物店", ""},               // 299元游X: the stops of a tour
		{"在团购APP上买的火锅双人套餐券，到了城西区那家火锅店，服务员说套餐不参加活动了要补差价58元", "630104"}, // a voucher bought online, used at the shop there
		{"格尔木 团购券用不了", "632801"}, // a group-buy voucher is for a shop, even when the text says no more
		{"互助土族园的门票涨价了也没公示", "630223"},
		{"gym in haihu closed last week, my 2000 yuan card is gone", "630104"}, // Haihu alone, as 海湖
		{"A stall near Xiaoqiao market in Xining sells fake phone chargers", "630105"},
		{"Food made us sick at a tent restaurant by Zhaling Lake", "632626"}, // English names of places
		{"A horse trek from Zhiqingsongduo, the guide left us halfway", "632625"},
		{"A shop in Tongde county sells expired energy drinks", "632522"},
		{"Small shop in Gande county sells yak milk tea with no label", "632623"},
		{"The hotel in Gangca charged us twice for one night", "632224"},
		{"A restaurant in Dari county served us spoiled mutton", "632624"},
		{"A pharmacy in Lusar sold expired oxygen cans to tourists from Xining", "630106"},
		{"fake cordyceps sold in a shop in Lusar", "630106"}, // Lusar needs no context, as 鲁沙尔
		{"Hotel in Dawu, Golog, charged 600 for a room listed at 300", "632621"},
		{"A noodle shop in Datong outside Xining has no price list", "630121"},
		{"祁连野牛沟收羊毛的秤不准，好几家都少了十几斤", "632222"},     // 野牛沟 with its county named
		{"在重庆报的团，第二天导游在西宁带我们进了一家玉石店，待了三个小时", ""}, // a tour sold outside Qinghai is its agency's
		{"We joined a group tour run by a Beijing agency. At Chaka the guide made everyone pay 380 more", ""},
		{"fruit stall at xiaoqiao market, my 1kg was 780g", "630105"},                                     // the market, as 小桥市场
		{"a hostel near Xiaoqiao in Xining kept our deposit", "630105"},                                   // Xiaoqiao with Xining named
		{"Bought a rice cooker at an appliance shop in Xiaoqiao, it stopped heating in a week", "630105"}, // and alone
		{"A clothes shop at Li Meng refused to exchange a coat with a broken zip", "630104"},
		{"Petrol station in Xiangride charged me for more litres than my tank holds", "632822"},
		{"Qutansi vendors charge foreigners double for incense", "630202"},
		{"the guesthouse by Youning monastery has no price list", "630223"},
		{"little shop next to Jiezi mosque sells expired milk", "630225"},
		{"a studio in Wutun sold me a printed thangka as hand-painted", "632301"},
		{"restaurant on Regong art street overcharged us", "632301"},
		{"shop across from Longwu monastery refused my card", "632301"},
		{"the noodle shop at the Ping'an service area charged 68 for two bowls", "630203"},
		{"a pharmacy in Ping'an sold me expired eye drops", "630203"},
		{"hotel in Dawu charged us for breakfast that never came", "632621"},
		{"a tent at the Amne Machen trailhead charges every hiker 200 yuan with no receipt", "632621"},
		{"the souvenir stalls near Jiana Mani sell plastic beads as yak bone", "632701"},
		{"a roadside restaurant in Xiewu reuses its frying oil for days", "632723"},
		{"the shop in Xialaxiu sold us expired instant noodles", "632701"},
		{"mall escalator on wusi st xining stops suddenly", "630104"},
		{"restaurant on changjiang rd xining has no menu prices", "630103"},
		{"expired bread on the shelf at a supermarket in ping'an county", "630203"},
		{"Bought an air purifier from a store on JD, delivered to Golmud. The fan broke in 20 days", ""}, // online: the buyer's place // the county's Tu name leads the park's
		{"互助县土族故土园的小程序上买的门票，到了门口说系统里查不到，让重新买票", "630223"},                                                // a ticket bought online is for the place's scenic area
		{"网上买了门源百里油菜花海的套票，说里面包含观光车，结果观光车根本不开，这部分钱也不退", "632221"},                                         // a combined ticket (套票)
		{"自驾去久治年保玉则，景区说下雪关闭了，可是我前一天在小程序上买的门票不给退", "632625"},                                              // a ticket bought online for the place driven to
		{"自驾去年保玉则，景区说下雪关闭了，可是我前一天在小程序上买的门票不给退", "632625"},                                                // the same, the scenic area named alone
		{"自驾去贵德，路上在直播间买了一箱牦牛肉干，收到是坏的，主播不给退", ""},                                                         // goods, not a ticket: the place is the driver's
		{"Bought tickets online for the evening show at 土族故土园 in Huzhu, 160 yuan for two. Show cancelled with no notice", "630223"},
		{"在一个微信小程序上预订了年保玉则两日包车+向导，付了1500元。出发前一天久治那边下暴雪封路，景区也发了公告，小程序只退750", ""},                                                                                  // a car and guide booked online, no ticket
		{"I ordered a hand-painted thangka online, the shop said it was painted by a Rebkong artist and charged 3600 yuan. What arrived is a printed copy.", ""}, // where the maker is from
		{"在某平台报了年保玉则的跟团游，说好景区里有区间车，到了导游说车不包含", ""},                                                                                                               // …but a tour's stop stays a stop
		{"Our tour guide left our group at Erlangjian and never came back. We had to get a taxi back to Xining by ourselves, 400 yuan.", ""},                     // where the consumers went back to
		{"8月走G214路过花石峡，在路边一家特产店买了10斤牦牛肉带回西宁，是普通黄牛肉", "632626"},                                                                                                   // a waypoint's shop; where the goods were taken home
		{"在花石峡的加油站加了300块的油，油表才走了一格多", "632626"},
		{"我是玉树的牧民，在西宁小桥那边一家店买的摩托车，6500元，骑回玉树的路上前刹就不灵了", "630105"}, // 小桥 with Xining named
		{"玉树杂多一家超市卖过期奶粉", "632722"},                               // 玉树 before a county of its prefecture is the prefecture…
		{"我是玉树称多县的，想在快手上直播卖自家做的酸奶和曲拉，要办什么证？", "632723"},           // …not 玉树市, which would conflict
		{"玉树一家超市卖过期奶粉", "632701"},                                 // …and alone it is still 玉树市
		{"在拼多多买了个电暖器，到现在都没发货，商家说我们囊谦太偏了发不了，让我自己取消订单", ""},         // where the seller will not deliver
		{"在直播间买了一盒虫草，主播说是玉树杂多的，一根三克，收到一称大的才一克多", ""},
		{"抖音直播间买的枸杞，主播说枸杞是都兰的，收到全是碎的", ""},              // the goods between 说 and 是
		{"闲鱼上买的自行车，卖家说他是城北区的，可以上门自提，结果车架是裂的", "630105"}, // …but not the seller himself
		{"城中区一家文具店说这批本子是大通的厂家做的，质量差", "630103"},
		{"玉树市胜利路一家手机店卖翻新机冒充新机，拿到西宁的售后才查出来", "632701"}, // Yushu's street, not Xining's 胜利路街道
		{"西宁胜利路一家手机店卖翻新机", "630104"},
		{"网上买东西，商家一看地址是青海玛多就不发货，页面写的包邮", ""},          // the buyer's address
		{"报了个青海湖的旅游团，走到刚察导游带我们进了一家牦牛肉店，买了两斤是注水的", ""}, // a tour's stop: the agency answers
		{"我们走到刚察县城一家牦牛肉店，买了两斤是注水的", "632224"},
		{"我们是互助县的一个合作社，想把青稞酒放到西宁的超市里卖，要办什么手续", "630223"},                   // where the goods are to be sold         // what the seller says the goods are
		{"莫家街虫草掺铁粉", "630103"},                                             // a street is where goods are sold, not where they are from
		{"我们是西宁一家旅行社组的茶卡盐湖、翡翠湖两日游，行程单上写的住柴旦镇的三星级酒店，实际住的是一个招待所", "630100"},  // the agency that made the group
		{"我们是甘德县岗龙乡的一个合作社，主要做牦牛酥油和曲拉，想卖到西宁和外省的超市去，需要办食品生产许可证吗？", "632623"}, // where goods are to be sold is not the business's; the writer's own cooperative is
		{"7月去青海湖玩住在黑马河一家宾馆，订的时候电话里说标间280，退房时非要收480", "632521"},             // staying at a hotel, not living there
		{"小桥流水人家，这家民宿照片和实物不符", ""},                                         // …but not alone
		{"his phone screen was replaced at a repair shop on Xining's Nanda street; 3 days later touch stopped working", "630103"},
		{"A shop on Mojia Street in Xining tells tourists their cordyceps cures cancer and diabetes.", "630103"}, // tourists are no tour
		{"A restaurant on Wenhui Road in Xining charged us twice for one meal.", "630104"},                       // Xining's streets in English
		{"The hotel on Xiguan Street in Xining would not refund our deposit.", "630104"},
		{"I bought a used camera lens in a second-hand shop on Dongguan Street in Xining, 1500 yuan.", "630102"},
		{"A shop on Wusi Street, Xining sold me a fake yak wool scarf.", "630104"},
		{"I rent a flat in Xining and bought a sofa from a furniture shop on Haihu Road. The springs came through.", "630104"},
		{"A shop on Wenhui Road sold me fake shoes.", ""},  // …but not without Qinghai named
		{"西宁东关羊杂碎不新鲜", "630102"},                           // 东关 with Xining named
		{"东关一家羊杂碎店不新鲜", ""},                                // …but not alone: many towns have one
		{"在海晏金沙湾骑马，牵马的人说一圈30，骑完了又说是十分钟30", "632223"},       // 海晏 alone is the county on Qinghai's platform
		{"台山市海晏镇一家海鲜酒家的菜价没有明码标价", ""},                      // Guangdong's 海晏镇 is not
		{"上周去互助玩，在一家农家乐吃的手抓，结账多收了两百", "630223"},            // 去互助: the county, though 互助 alone is a common word
		{"我妈在互助养老院交了一年的费用，院方中途涨价", ""},                     // mutual-aid elderly care
		{"我们镇上小卖部卖的青稞酒，包装跟互助那边的大厂几乎一样，喝着不对", ""},           // 互助那边 may be a brand's home, not the shop's
		{"10月1号在大柴旦镇报了个翡翠湖加水上雅丹的一日游，每人400元", "632857"},     // 大柴旦镇 is the town 柴旦镇, where the tour was booked
		{"网上买的冲锋衣一个星期不发货，问客服说果洛地区不发，让我自己申请退款", ""},         // where an online seller will not ship
		{"我儿子拿我手机在一款手游里充了4次，一共2592元。我们是乐都的，游戏客服要视频证明", ""}, // a game top-up is bought online
		{"我是共和县的，视频APP自动续费扣了218元，没有任何提醒", ""},
		{"乐都区一家游戏厅里摆着几台老虎机，赢了能换现金", "630202"},                                                                                                              // …but an arcade is a place
		{"I booked a hotel in Dawu (Maqin county) through a booking app and paid online. When I arrived the front desk said there was no room.", "632621"}, // booked online, gone to
		{"我是格尔木的货车司机，在甘肃敦煌一家修理厂修了喷油泵，回到格尔木又坏了，请问我在格尔木能投诉吗？", ""},                                                                                           // where the writer asks to complain
		{"我的身份证去年在西宁丢过，最近查征信发现自己成了一家商贸公司的法人", ""},                                                                                                          // where an ID card was lost
		{"身份证丢过一次，最近发现名下有一家注册在格尔木的商贸公司", "632801"},
		{"I bought a power bank from an online store while travelling in Xining. The seller ignores me.", ""}, // a visitor's place, online
		{"带家人去二郎剑，景区附近的宾馆网上订的时候显示480，到了前台说只有1200的", "632521"},                                                 // booked online, stayed in: the hotel's place
		{"去茶卡盐湖，网上订的门票写着含区间车，到了检票口工作人员说区间车停运了，只能坐小火车", "632821"},                                              // a ticket bought online, used at the gate
		{"直播间买的翡翠手镯1680元，主播说是天然A货，拿到西宁珠宝店检测是B+C处理的", ""},
		{"我们是都兰县宗加镇的枸杞种植户，今年外地来的收购商压秤，每百斤少称七八斤", "632822"}, // growers, not goji's origin
		{"I ordered a power bank online and had it shipped to my hotel in Golmud. The seller refuses to refund.", ""},
		{"网上一家卖特产的店没有营业执照，问客服说是西宁城东区的个人在家开的", "630102"},
		{"We booked a Qinghai Lake day tour through our hostel. The driver skipped Erlangjian and asked for 100 yuan extra.", ""},
		// A tour's agency answers for where the guide took the group, and
		// a branch for its head office.
		{"报了西宁一家旅行社的青海湖茶卡两日游，第二天导游在倒淌河附近把车开进一家藏饰品店，不买不让走", "630100"},
		{"西宁一家国旅在平安区的分社组织的孟达天池一日游，到了景区又让自己买门票", "630203"},
		{"跟团去贵德，在贵德一家农家乐吃饭被宰", "632523"},                  // no agency placed: the restaurant's place
		{"报了西宁一家旅行社的青海湖两日游，导游把车开到湟源一个玉器店，不买不走", "630100"}, // a shop inside the agency's city
		{"We booked a 3-day tour with a travel agency in Xining's Chengxi district; the guide took us to a jade shop at Qinghai Lake.", "630104"},
		// A business that moved is judged where it is now; a planned move,
		// or the consumer's, changes nothing.
		{"在西宁城中区南大街一家手机维修店换屏交了定金，后来店搬到了城北区小桥大街，老板说手机找不到了", "630105"},
		{"乐都区碾伯街道一家美容院，我在那里充了卡，现在店搬到平安区去了，说卡只能去平安用", "630203"},
		{"在城北区一家连锁健身房办的卡，现在城北店并到城西区的总店了，让我们去那边练", "630104"}, // merged into a branch elsewhere
		{"德令哈的早教校区合并到格尔木校区了，不去的只退三成", "632801"},
		{"在乐都一家美术培训机构报了一年的课，上了两个月机构说要搬到西宁", "630202"},
		{"祁连县八宝镇一家舞蹈培训机构，上了半年机构就搬走了，说搬到西宁了让我们去西宁上课", "632222"}, // left the prefecture
		{"我搬到西宁城北区以后，城中区一家健身房的卡就用不上了，不给退", "630103"},
		// The ends of a journey place no business, but a coach is its
		// company's where it sets out.
		{"在订票App上订西宁到德令哈的火车票，被默认加了20元抢票加速包", ""},
		{"买了西宁到玉树的大巴票，发车前说车坏了不走了", "630100"},
		// Where the writer is, or set out from, is no business's when
		// another place is.
		{"我在西宁，网上订了北京的一家酒店，入住时又加收服务费", ""},
		{"从玉树去拉萨办事，在拉萨一家户外店买的冲锋衣，一下雨就湿透了", ""},
		{`I stayed at a hotel called "Xining Grand Hotel", which is actually in Delingha. They kept my deposit.`, "632802"},
		// A place where the writer set up a business is a business's, even
		// in a text that names a video platform.
		{"我们在互助威远镇开了个小酒坊，隔壁酒坊在抖音上发视频诋毁我们", "630223"},
		{"直播间主播说是热贡画师纯手绘的唐卡，收到是印刷的", ""}, // a style's origin, not the seller's place
		{"主播说是杂多的头草，发货地址是玉树市", "632701"}, // where cordyceps come from, and the seller's place
		// A writer who wants to sell online asks about their own licence:
		// their place is the business's.
		{"我们是格尔木郭勒木德镇的两口子，想在家里做牦牛肉干放到快手上卖，需要先办营业执照吗？", "632801"},
		{"我们几个人在德令哈开了个小工作室，想做手游代练和游戏账号代售，需要办营业执照吗？", "632802"},
		{"在二手平台上买了一个手机，卖家说人在德令哈可以同城面交，后来又说忙改成寄过来，收到发现是翻新机", "632802"}, // where the seller says they are
		{"10月在快手一个直播间买了虫草，主播说是杂多的头草，他自己就在杂多县城收货发货，收到一半是断草", "632722"}, // where the seller is, after the produce's place
		// 公司就在: the seller's company.
		{"直播间卖固体饮料，主播在直播里说他们公司就在海东乐都，请你们管一管", "630202"},
		// Video and cloud-storage memberships are bought online: the
		// writer's place is the buyer's.
		{"我是玛多的，网盘开了会员还是限速", ""},
		{"我在同德县，买了一年视频会员，电视上看还得再开个超级会员", ""},
		{"我是玛多的，视频APP开了会员还是有广告", ""},
		{"在德令哈团购的洗车套餐，到店说要预约", "632802"}, // a voucher used in a shop there
		{"A restaurant near Central Square in Xining charged for tea", "630103"},
		{"Mojia St fruit stalls no price tags, tourist price x3", "630103"},
		{"a yoga studio in Haihu New District", "630104"},
		{"a clothing store near Dashizi in Xining", "630103"},
		{"在某电商平台买的冰箱，收货地址为海南州共和县恰卜恰镇，显示已签收", ""}, // the buyer's address
		{"直播间说是玉树产的一级虫草，收到是断草", ""},
		{"网店写着玉树野生虫草 假一赔十", ""},
		{"朋友圈微商说虫草是玉树自家挖的，转了钱不发货", ""},
		{"主播说是玉树那边的头草，收到又小又轻", ""},
		{"在西宁一家旅行社报的环湖游，晚上住的是民宿的大通铺", "630100"}, // 大通铺 is a shared bed, not 大通
		{"在玉树结古镇一家店买的虫草是假的", "632701"},
		{"在玉树虫草交易市场买的虫草，称重少了", "632701"}, // a market, not the goods' origin
		{"平安县理发店搬乐都了卡咋办", "630202"},      // moved, without 到
		// A place in a quoted product name is the goods' origin in a group buy too.
		{"团购买的“大通牛场直供”鲜牛奶，包装上啥都没有，团长说是当天挤的", ""},
		// A live-streamer's home, and a yard where goods sold online are made.
		{"举报一个在直播间卖自制酸奶的账号，没有食品许可。她家在城北区廿里铺镇一个村里。", "630105"},
		{"快手上有个卖牦牛肉干的，说自己是玉树牧民，我认识他，是在西宁城北区租的一个小院子里做的", "630105"},
		{"直播间买的儿童衣柜，主播说是零甲醛，厂子就在大通县，随便测。收到后测出来甲醛超标一倍", "630121"}, // where the streamer says the factory is
		// Writers asking what they need to sell on a delivery platform.
		{"请问在外卖平台上卖自家做的辣酱需要办食品生产许可吗？我们家是大通桥头镇的。", "630121"},
		{"我们是玉树结古镇开藏餐馆的，想上外卖平台，要准备哪些证件？", "632701"},
		// A shop elsewhere (外地), and the consumer's place named again.
		{"去外地旅游时在一家美妆店买的面霜，带回玛多用了三天脸上起疹子", ""},
		{"我一直在外地打工，现在说我是格尔木一个商贸公司的法定代表人", "632801"},
		{"我是治多县的，去成都看病时在一家手机专卖店买的手机坏了。治多没有售后网点，寄回店里说不保修", ""},
		{"网上买的冰箱坏了，商家说囊谦这边没有售后网点，让我自己想办法", ""},      // 这边 between the place and the words
		{"网上买的抽油烟机，页面写免费安装，我在都兰县，厂家说都兰没有网点不给装", ""}, // where no service point is: the buyer's
		{"我父亲住在湟源县城关镇，天天去一个健康讲座，讲课的人说公司总部在西宁。请去城关镇那个讲座的地方查一查", "630123"},
		{"城北区廿里铺镇一个院子里加工牦牛肉干，拉到西宁各个旅游商店卖", "630105"}, // a county within the business's place
		{"I live in Xining and bought a tent online that never arrived", ""},
		{"家住格尔木，网上买的手机是翻新机", ""},
		{"我是曲麻莱的牧民。手机上买了个太阳能板，到了接上不出电", ""},
		{"我是共和县的，在某多多上买了20斤土豆种薯，出苗不到一半", ""},
		{"电动车是在门源浩门镇买的 三个月电机就坏了 店里让我们自己拉到西宁的厂家去修", "632221"}, // bought there
		{"老年团说是零团费 去茶卡盐湖 这个能去不能去", ""},
		{"学校组织去塔尔寺、青海湖两天研学，旅行社承办，住的是小旅馆", ""}, // a study tour's stops
		{"网上买的冰箱，到了格尔木送货师傅要另收搬运费", ""},
		{"Boots from an online store arrived in Golmud with the sole coming off", ""},
		{"A pharmacy near Xining railway station sold fake medicine", "630102"},
		{"The guide stopped at a shop near Riyue Mountain for 40 minutes", "630123"},
		{"西宁水井巷里好几家店卖高仿包", "630103"},
		{"住在德令哈一家宾馆，押金不退", "632802"}, // a hotel: the business's place
		{"我住城东区，楼下超市卖过期面包", "630102"},
		{"在热贡买的唐卡是印刷品", "632301"},
		{"金银滩草原骑马，说好100块一小时，骑了20分钟就说到时间了", "632223"},         // landmarks
		{"转阿尼玛卿雪山雇的向导半路加价800元，我们是从西宁过来的游客", "632621"},        // where visitors came from
		{"11月8日我在城北区上班，外卖点的黄焖羊肉，商家地址是城中区饮马街，吃完就吐", "630103"}, // where the consumer works
		{"外卖吃出头发 城西区", "630104"},                             // a takeaway's kitchen is local
		{"在城东区点的外卖，超时一个半小时才送到，平台只给了3块钱红包", ""},               // a platform's delivery is not
		{"大通县城关镇有个人在朋友圈和小程序上卖自己家做的卤肉", "630121"},             // someone trading there
		{"我是西宁一所高中的学生，在一个小程序上给手游充值，一直没到账", ""},               // a mini-program is online
		{"城北区朝阳街道我们小区有个社区团购的团长在卖过期酸奶", "630105"},             // a community group-buy leader is local
		{"I booked a one-day tour to Qinghai Lake and Chaka with a travel agency near Xining railway station", "630102"},
		{"Tour bus to Chaka stopped 2 hours at a jade shop, guide angry when we didnt buy", ""},
		{"青海省人民医院对面的一家药店，同一款降压药价签写45元，结账收了58元", "630102"},
		{"城北区马坊那边有个修车铺专门给电动车改装大电池，外卖小哥天天排队去改", "630105"},       // 马坊 (a sub-district) and a trader there
		{"格尔木昆仑路上那家“老西宁手抓馆”，一斤手抓菜单上写的128元，结账收了168元", "632801"}, // a place in a shop's name
		{"德令哈市的“格尔木大酒店”，订房的时候说含双早，入住后早餐要另交38元", "632802"},
		{"在网上一家叫“德令哈特产馆”的网店买的牦牛酥油，收到后颜色发白", ""},
		{"直播间说是“海西柴达木”牌的枸杞原浆", ""},                    // a brand
		{"去兰州出差时在一家商场专柜买的羽绒服，回西宁后打电话找店里，店里说要寄回去", ""}, // a business out of the province
		{"我在格尔木上班，拉萨一家旅行社在网上发广告说进藏包车5天1800元", ""},
		{"西宁一家兰州拉面馆的牛肉面里吃出了头发", "630100"}, // a dish, not a place out of the province
		{"格尔木西藏路一家超市卖过期牛奶", "632801"},
		{"大通 健身房退卡难", "630121"},
		{"我们的店从城中区搬到城西区胜利路了，营业执照上的地址要不要去变更", "630104"}, // where it moved from
		{"双十一在某东买的冰箱，付款后十天都不发。我家在互助县", ""},             // 某东 is an online shop
		{"Bought a teapot in Ta'er Monastery street, seller promised 925 silver", "630106"},
		{"在抖音直播间买的循化核桃，主播说是当年的新货，收到是陈核桃", ""},                                                                                      // a place's produce bought online
		{"在循化一家干果店买的核桃是陈的", "630225"},                                                                                              // …and bought there
		{"Stopped in Maduo on the way to Yushu. The only open restaurant charged us 150 yuan for two bowls of noodles.", "632626"}, // a destination
		{"在乌兰县茶卡镇上报了个当地一日游，行程写的是茶卡盐湖半天，结果大半天都在购物店里转", "632821"},                                                                    // where the tour was sold
		{"我们老年人跟团去塔尔寺导游把我们带到塔尔寺旁边一个卖藏药的店里关起门来讲", "630106"},                                                                         // a shop by the stop
		{"跟团去孟达天池，导游把我们拉到景区门口一家农家乐吃饭，一人收120元", "630225"},                                                                           // a shop at the stop's gate
		{"跟团去茶卡盐湖，景区门口一家“养生馆”把我们拉进去“免费体验”，卖了两盒藏药1800元", "632821"},
		{"在西宁一家旅行社报的团，跟团去茶卡盐湖，导游把我们拉到景区门口一家玉石店", "630100"}, // …but the agency answers where its place is named
		{"School trip to Kumbum monastery last weekend. A stall just outside the gate sold me a 'silver' bowl that is aluminium.", "630106"},
		{"Weekend trip to Qutan temple with friends; a vendor outside the temple sold us 'yak bone' combs that are plastic", "630202"},
		{"Our guesthouse sold us a day trip to Qinghai Lake; the driver left us at the gate and never came back", ""}, // the trip's seller is not placed
		{"Booked a tour with an agency in Xining, trip to Chaka; the guide took us to a jade shop outside the gate", "630100"},
		{"七天无理由退货商家让我自己出运费，从玉树寄回广东要45块", ""}, // where the buyer sends goods back from
		{"拼团买的牦牛肉干收到发霉了，商家说是运到玛沁路上时间太长", ""}, // where goods were carried to
		{"格尔木主播卖三无枸杞", "632801"},             // a streamer of the place
		{"A live streamer from Golmud sold me wild black goji berries, one bag was mouldy", "632801"},
		{"小桥建材城好多店都不标价，看人要价", "630105"},
		{"在同仁县隆务镇一个快递点寄了一幅唐卡到广州，画框碎了", "632301"}, // sent to a place out of the province: the business is here
		{"藏毯掉色 同仁", "632301"},    // bare 同仁 is Qinghai's on Qinghai's platform…
		{"店里说对所有顾客一视同仁，不给退", ""}, // …but not in an idiom
		{"上汽大通的车发动机异响，4S店不给修", ""},
		{"zai geermu kunlunlu yijia yanjingdian", "632801"},
		{"A restaurant near Dongguan Mosque in Xining overcharged us", "630102"}, // Rebgong, the art region of 同仁
		{"The thangka shop in Rebkong sold a print", "632301"},
		{"Tongren hotel in Qinghai overcharged us", "632301"},
		{"We stayed at a guesthouse in Babao town, Qilian county, near Zhuoer Mountain", "632222"},
		{"Tongren city, Guizhou: a hotel overcharged us", ""},                      // Guizhou's 铜仁 in pinyin
		{"Barley bread from a bakery in Tongren has little bugs inside", "632301"}, // a tourist's Tongren is Rebkong
		{"格尔木一家加油站少加油", "632801"},
		{"去玉树旅游，住的宾馆不退押金", "632701"},
		{"玉树州杂多县虫草收购点缺斤少两", "632722"},
		{"冷湖行委一家超市", "632803"},
		{"花土沟镇的手机店", "632803"},
		{"黄南州河南县的牧家乐收费过高", "632324"},
		{"黄南州河南的牧家乐", "632324"},
		{"海南州共和县恰卜恰镇", "632521"},
		{"共和县一家饭店", "632521"},
		{"青海省海南州贵德县梨园门票", "632523"},
		{"海南藏族自治州兴海县", "632524"},
		{"大通县桥头镇超市", "630121"},
		{"大通桥头镇菜市场有鬼秤", "630121"}, // a shared name confirmed by one of its own towns
		{"大通桥头镇", "630121"},
		{"淮南大通区一家超市", ""},
		// Where the consumer lives or receives goods gives way to another
		// place; a chain of names (西宁城北区) is read as one.
		{"我家在西宁城北区，出差去玉树，在结古镇一家虫草店买的虫草缺斤少两", "632701"},
		{"店铺资质写的是海东市互助县威远镇。我在西宁城西区收的货，碎了两瓶", "630223"},
		{"我住海东市化隆县，直播间主播说店就在果洛玛沁县大武镇", "632621"},
		{"网店营业执照上是民和县的，我人在西宁城北区", "630222"},
		{"抖音直播说是玉树杂多的野生虫草能治癌症", ""},       // where goods come from, also as a chain
		{"祁连县八宝镇特产店买的牦牛肉干短斤少两", "632222"}, // a 特产店 is a shop
		// Bought online: a place not named as the seller's is the buyer's.
		{"我是泽库的牧民，在快手直播间买了电热毯，一直不发货", ""},
		{"在格尔木用外卖平台点的饭，等了两个小时才送到", ""},
		{"我在城北区上班，通过外卖平台点了一份黄焖羊肉，商家页面写的地址是城中区饮马街", "630103"},
		{"闲鱼上买的二手相机，卖家说他在格尔木，收到快门是坏的", "632801"},
		{"格尔木本地一个团购群，订的牦牛肉一个月了没发", "632801"},
		{"家住湟源县，在网上一家家电旗舰店买的空气炸锅用了20天就不热了", ""},
		{"我是西宁城西区的，在拼团软件上买了美白面霜，用了过敏", ""},
		{"在二手平台上找了个德令哈的卖家买了双篮球鞋，是假的", "632802"},
		{"看直播买的藏毯，主播说是手工织的，还说他们店就在同仁热贡，收到是机织的", "632301"},
		{"城西区一家影城 网上买的3D场票 进场又让交10元买眼镜", "630104"},
		{"The online ticket for Zhuoer Mountain in Qilian needs a Chinese ID number", "632222"},
		{"都兰县香日德镇的小卖部不想干了，营业执照怎么注销，能在网上办吗", "632822"}, // not a purchase
		{"海东市乐都区碾伯街道", "630202"},
		{"平安县驿站", "630203"},
		{"德令哈市柯鲁柯镇", "632802"},
		{"大柴旦行委", "632857"},
		{"西宁市", "630100"},
		{"在海西州买的枸杞是假的", "632800"},
		{"兴海路街道一家药店", ""},          // street in 城西区, but no Qinghai context
		{"西宁市兴海路街道一家药店", "630104"}, // with context it is 城西区
		{"城东区某饭店", "630102"},       // on the Qinghai platform the four districts need no context
		{"城中区步行街", "630103"},
		{"柳州市城中区一家店", ""}, // Guangxi's 城中区 is blocked
		{"Bought a jacket in Chengxi District", "630104"},
		{"塔尔寺门口的停车场乱收费", "630106"}, // landmarks
		{"坎布拉景区索道", "632322"},
		{"茶卡盐湖的小火车", "632821"},
		{"西宁火车站旁边的宾馆", "630102"},
		{"海湖新区一家商场", "630104"},
		{"西宁中心广场有人强卖手链", "630103"},
		{"中心广场有人强卖手链", ""}, // every city has one
		// Xining's own markets and streets, known by themselves on Qinghai's
		// platform; street names every city has still need context.
		{"莫家街卖牛肉的鬼秤", "630103"},
		{"水井巷卖假虫草", "630103"},
		{"在力盟步行街一家店买的冲锋衣", "630104"},
		{"美容院不退卡 海湖", "630104"},
		{"小桥菜市场买了5斤牛肉只有4斤2两", "630105"},
		{"环青海湖骑行", "630000"}, // 海湖 inside 青海湖 is the lake
		{"长江路一家面馆", ""},
		{"西宁长江路一家面馆", "630103"},
		{"日月山景区停车收费", "630123"},
		{"年保玉则的牧家乐", "632625"},
		{"Horse riding at Nianbao Yuze: they asked 500 each", "632625"},
		{"翡翠湖景区门票", ""}, // also in Hefei: needs Qinghai context
		{"青海翡翠湖景区门票", "632857"},
		{"海南三亚的海鲜店宰客", ""},      // Hainan province
		{"河南郑州的网店卖假货", ""},      // Henan province
		{"我在河南老家买的", ""},        // bare 河南 without 黄南
		{"中华人民共和国消费者权益保护法", ""}, // 共和 inside 共和国
		{"北京同仁堂的药", ""},         // 同仁 inside 同仁堂
		{"乌兰察布的商家", ""},         // Inner Mongolia
		{"城关镇一家商店", ""},         // 城关镇 is everywhere
		// A town in full that only one Qinghai county has stands alone,
		// unless a place outside the province is named.
		{"丹麻镇小卖部卖过期方便面", "630223"},
		{"皇城乡那个收牛奶的点量奶的桶刻度不准", "632221"},
		{"官亭镇集市上买的美白霜", "630222"},
		{"马克堂镇诊所旁边那家小药店随便卖处方药", "632322"}, // a county's seat
		{"直播间卖的牦牛肉说是玉树高原散养的，其实是普通牛肉", ""}, // where the meat is said to come from
		{"在直播间买的“玉树高原黑枸杞”，收到全是碎的", ""},    // a product named after its origin
		{"在抖音直播间买了3斤“格尔木特级黑枸杞”，收到颗粒特别小", ""},
		{"在甘肃临夏官亭镇一家店买的", ""},
		{"丹麻一家小卖部", ""}, // the short name is no town name
		{"hello world 12345", ""},
		{"The hotel in Xining was dirty", "630100"},
		{"taxi driver in Golmud overcharged", "632801"},
		{"在格爾木市昆侖路一家超市買的酸奶已經過期", "632801"}, // traditional characters
		{"在玉樹市買的藏毯，老闆說是純羊毛手工的", "632701"},
		// Counties in pinyin, as tourists write them, match whole words only.
		{"The sightseeing train at Emerald Lake in Dachaidan stopped", "632857"},
		{"A hotel in Gonghe charged twice", "632521"},
		{"A restaurant in Xunhua served spoiled mutton", "630225"},
		{"Our tour guide was rude and the agency ignored us", ""}, // 贵德 is "Guide county", not any guide
		{"A hotel in Guide County by the Yellow River", "632523"},
		{"A restaurant in Xinghai county served us spoiled mutton", "632524"}, // "Xinghai" alone may be Dalian's 星海
		{"Solidarity with consumers in Ledusville", ""},                       // no county inside other words
		{"the hotel at xgolmud", ""},
		// A tour group's destination is not the business's place.
		{"我们报了去年保玉则的团，旅行社只退一半团费", ""},
		{"在年保玉则的团购套餐到店不让用", "632625"},                  // a group-buy voucher of a shop there
		{"在短视频平台上看到果洛一个牧民卖的酥油，买了5斤，收到以后变质了", "632600"}, // someone there who sells, online
		{"门源一个卖菜籽油的人在短视频平台上开店，说是自家压榨的", "632221"},
		{"大通县城关镇我们小区的团长卖的土豆，说是5斤一袋", "630121"}, // a group-buy leader (团长), no tour group (团)
		{"格尔木昆仑路我们这个小区原来的团长推了个99元的年卡", "632801"},
		{"在短视频上看到广告，9月到多巴镇一家电动车店买了一辆电动车", "630106"}, // an e-bike (电动车) is no bullet train (动车)
		// A district's short name (城北, 平安) counts once its city is named.
		{"西宁城北一家超市卖过期面包", "630105"},
		{"西宁 城西 一家奶茶店", "630104"},
		{"城北一家超市卖过期面包", ""},
		{"举报平安县一家大型超市", "630203"},
		{"海东的超市平安夜卖的平安果一个要30元", "630200"}, // Christmas Eve's apples are no district
		// Where a taxi took the consumer is not the taxi's place.
		{"在西宁坐出租车从火车站到海湖新区，司机不打表", "630100"},
		{"西宁打车到城西区，司机绕路", "630100"},
		// A prefecture's seat (州府) is its county.
		{"新车是在海西州州府的一家4S店提的，开了不到500公里变速箱就响", "632802"},
		{"果洛州府一家超市卖过期牛奶", "632621"},
		// Where the shop would have goods taken for repair is not the shop.
		{"我是天峻县的，在县城一家家电店买的洗衣机坏了，店里让我自己拉到德令哈的维修点去", "632823"},
		{"我是门源的，在县城一家电器店买的冰箱不制冷了，老板说厂家售后在西宁，让我们自己想办法", "632221"},
		{"我是杂多的牧民，在县上一家摩托车店买的摩托车，发动机漏油，店里说要拉到西宁的总代理去修", "632722"},
		// Nor is where the shop says it got the goods from.
		{"我家在祁连县八宝镇，在镇上一家小超市买的电暖器，插上就冒烟，老板说货是从西宁批发来的，让我去找厂家", "632222"},
		{"我是门源的，在县城一家鞋店买的棉鞋开胶了，老板说他们是从西宁进的货，不给换", "632221"},
		// A place named only to measure a distance from is no business's.
		{"我是化隆的，在县城一家电器店买的冰柜坏了，店里让我们找厂家，我们离西宁一百多公里", "630224"},
		{"我是刚察的，县城一家饭馆的羊肉是臭的，这里距西宁还有两百多公里，没法去别处吃", "632224"},
		// A place named only for a price compared there is no business's,
		// even when it is the only place named.
		{"村里小卖部一瓶可乐卖5块，西宁超市才3块", ""},
		{"在县城买的电动车3800，同款在西宁才卖3000", ""},
		{"酒席上一盘鱼收了398，同样的鱼在西宁的饭馆才一百多", ""},
		{"我家在大通县，楼下的加油站柴油比西宁城里贵了三毛多", "630121"},
		{"我们乐都这边的菜比西宁的还贵，菜市场随便标价", "630202"},
		// A town's short name, after its county (兴海 alone needs context).
		{"兴海河卡加油站 油不够数", "632524"},
		{"小桥夜市有好几个摊位卖仿冒运动品牌的T恤", "630105"}, // a market needs no context
		{"Jade shop in Mojia Jie, the boss said it was real", "630103"},
		{"Rented a car in Golmund for a trip to Lenghu, the tyres were bald", "632801"}, // a common misspelling
		{"yak meat short weight dongguan st xining", "630102"},
		{"bike repair shop on Wusi West Road near the university in Xining bent my derailleur", "630104"},
		{"a hair salon in Ping'an, Haidong will not honour my prepaid card", "630203"}, // Ping'an with its prefecture
		{"lift inspection sticker expired, hotel in Xihai town", "632223"},
		// Haidong towns as people name them, without 镇.
		{"群科的羊肉串是鸭肉冒充的", "630224"},
		{"川口菜市场卖羊肉的摊子秤有问题", "630222"},
		{"car wash near the oilfield base in Huatugou sold us a prepaid card and closed", "632803"}, // 花土沟
		// A business named at a place sells online from there.
		{"群众反映：城东区八一路一商户未办营业执照，长期通过快手直播销售散装熟食", "630102"},
		{"", ""},
	}
	for _, tt := range tests {
		m, ok := g.Resolve(tt.text)
		if tt.want == "" {
			if ok {
				t.Errorf("Resolve(%q) = %s (%s), want no match", tt.text, m.Code, m.Evidence)
			}
			continue
		}
		if !ok || m.Code != tt.want {
			t.Errorf("Resolve(%q) = %q %v (%s), want %s", tt.text, m.Code, ok, m.Evidence, tt.want)
		}
	}
}

func TestResolveEvidence(t *testing.T) {
	g := Default()
	// 八宝粥 is porridge, not the town 八宝 of 祁连.
	m, ok := g.Resolve("祁连县一家超市的八宝粥过期了")
	if !ok || m.Code != "632222" || strings.Contains(m.Evidence, "八宝镇") {
		t.Errorf("八宝粥: want 632222 from 祁连县 alone, got %+v", m)
	}
	// A tour bus sets out where its agency is; where it was going is a stop.
	m, ok = g.Resolve("Our tour bus from Golmud to Chaka broke down for 5 hours and the travel agency refused any refund.")
	if !ok || m.Code != "632801" || m.Ambiguous {
		t.Errorf("tour bus from Golmud: want 632801 alone, got %+v", m)
	}
	m, ok = g.Resolve("湟中县的一家超市")
	if !ok || !strings.Contains(m.Evidence, "湟中县") || !strings.Contains(m.Evidence, "630122") || !m.Place.Legacy() {
		t.Errorf("legacy evidence: %+v", m)
	}
	m, ok = g.Resolve("西宁市城西区和城北区两家店")
	if !ok || !m.Ambiguous || len(m.Others) != 1 {
		t.Errorf("want ambiguous match, got %+v", m)
	}
	// Each county of a list is named with the list's business (共和县、
	// 贵德县的一些商店): neither wins alone.
	m, ok = g.Resolve("在海南州共和县、贵德县的一些旅游商品店里发现有人卖假冒我们商标的藏毯")
	if !ok || !m.Ambiguous || len(m.Others) != 1 {
		t.Errorf("want ambiguous match for a list of counties, got %+v", m)
	}
	// Both ends of a move are the consumer's, not where a removals
	// company moved from and to.
	m, ok = g.Resolve("叫了一家搬家公司从城西区搬到城北区，到了以后说要加钱")
	if !ok || !m.Ambiguous || strings.Contains(m.Evidence, "moved") {
		t.Errorf("want ambiguous match for the ends of a move, got %+v", m)
	}
	// …also when the text says 搬家到 rather than 搬到.
	m, ok = g.Resolve("从城北区搬家到城东区，找的搬家公司把冰箱磕坏了，不给赔")
	if !ok || !m.Ambiguous || strings.Contains(m.Evidence, "moved") {
		t.Errorf("want ambiguous match for the ends of a move, got %+v", m)
	}
	// Also when one end is a town after a county's bare name (共和), which
	// is not a place by itself.
	m, ok = g.Resolve("搬家公司从贵德县城把我家搬到共和恰卜恰的新房，电话里说好整车600元，到了要加到1100")
	if !ok || !m.Ambiguous || strings.Contains(m.Evidence, "moved") {
		t.Errorf("want ambiguous match for the ends of a move, got %+v", m)
	}
	m, ok = g.Resolve("互助县一家店和共和县一家店都在卖这种假酒")
	if !ok || !m.Ambiguous || len(m.Others) != 1 {
		t.Errorf("want ambiguous match for counties of two prefectures, got %+v", m)
	}
	// A chain's branch named only to compare (跟他们在德令哈的店一样) is no
	// second county.
	m, ok = g.Resolve("在城西区一家连锁母婴店买的推车，店员说跟他们在德令哈的店一样七天包换，结果不给换")
	if !ok || m.Code != "630104" || m.Ambiguous {
		t.Errorf("want 630104 alone, the other branch set aside, got %+v", m)
	}
}

// TestEvidenceText pins the whole evidence line of each kind of match: an
// old county name, a town, enclosing names, the business, and another
// county also named.
func TestEvidenceText(t *testing.T) {
	g := Default()
	for _, c := range []struct{ text, want string }{
		{"湟中县的一家超市", `"湟中县" → 630106 湟中区 (old name 湟中县, code 630122 retired 2019)`},
		{"海西州大柴旦镇一家饭馆", `"大柴旦镇" → 632857 大柴旦行政委员会 (town 632857100 柴旦镇); confirmed by 1 enclosing place name(s); the text places the business here or in a place enclosing it`},
		{"海东市乐都区碾伯镇一家超市", `"碾伯" → 630202 乐都区 (town 630202001 碾伯街道); confirmed by 2 enclosing place name(s); the text places the business here or in a place enclosing it`},
		{"西宁市城西区和城北区两家店", `"城西区" → 630104 城西区; confirmed by 1 enclosing place name(s); the text places the business here or in a place enclosing it; also named: 630105`},
		{`"我在格尔木"买的`, `"格尔木" → 632801 格尔木市`},
	} {
		if m, _ := g.Resolve(c.text); m.Evidence != c.want {
			t.Errorf("Resolve(%q).Evidence:\n got %s\nwant %s", c.text, m.Evidence, c.want)
		}
	}
}

func TestResolveWithContext(t *testing.T) {
	g := Default()
	m, ok := g.ResolveWithContext("兴海路街道一家药店", "我是西宁的消费者")
	if !ok || m.Code != "630104" {
		t.Errorf("with context: %+v %v", m, ok)
	}
	if _, ok := g.ResolveWithContext("兴海路街道一家药店", "我在广州"); ok {
		t.Error("context without a Qinghai place accepted 兴海路")
	}
}

func TestResolveHugeInput(t *testing.T) {
	g := Default()
	text := strings.Repeat("这是一段很长的文字😀abc", 10000) + "格尔木"
	m, ok := g.Resolve("格尔木" + text)
	if !ok || m.Code != "632801" {
		t.Errorf("got %+v %v", m, ok)
	}
	if _, ok := g.Resolve(strings.Repeat("\xff\xfe", 1000)); ok {
		t.Error("invalid UTF-8 matched")
	}
}

func BenchmarkResolve(b *testing.B) {
	g := Default()
	text := "我于上周在西宁市城中区莫家街一家超市购买了过期的酸奶，要求退一赔十，商家拒绝。"
	for b.Loop() {
		g.Resolve(text)
	}
}

// TestResolveResidenceNotAmbiguous checks that where the consumer lives or
// receives goods does not make the business's place ambiguous.
func TestResolveResidenceNotAmbiguous(t *testing.T) {
	g := Default()
	for _, tt := range []struct{ text, want string }{
		{"我家在西宁城北区，8月到玉树出差，在结古镇扎西科路一家虫草店买了20克虫草，回来一称少了两克", "632701"},
		{"直播间买的青稞酒，店铺资质上写的是海东市互助县威远镇。我在西宁城西区收的货，打开碎了两瓶", "630223"},
		{"我住海东市化隆县，在直播间买了虫草，主播说直播间就在果洛玛沁县大武镇，收到少了7克", "632621"},
		{"来电人系互助县一家酒厂员工，反映民和县一家小酒厂仿冒本厂青稞酒的包装", "630222"},                                                                                                 // a hotline caller's own place
		{"在德令哈租了辆车自驾去翡翠湖，还车时押金被扣着", "632802"},                                                                                                            // where the consumer drove to
		{"我和我妈从化隆来玉树转嘉那嘛呢，在附近一家家庭旅馆住，老板让先交500块押金，提前走了押金不退", "632701"},                                                                                    // 从化隆来玉树: where they came from is theirs
		{"在城东区小区门口，从湟中来的人摆摊卖蜂蜜，说是自家土蜂蜜，回家一尝全是糖水", "630102"},                                                                                              // 从湟中来的: where a trader came from, not where the stall is
		{"Rented a car in Delingha for a week to drive to Dachaidan and Mangya. When we returned it the company kept 3000 RMB of our deposit", "632802"}, // in English
		{"Bought a down jacket in a mall in Xining for 780 yuan before heading to Yushu. On the first night the zip broke", "630100"},                    // where the consumer went next
		{"在海晏县一个风电项目工地上干活，食堂要求先充500元饭卡才能吃饭，我干了十天就被公司调到格尔木的项目了，卡里还剩380元", "632223"},                                                                       // where a worker was sent next
		{"Parking lot at Longyangxia scenic area charged us 30 yuan, no price sign anywhere and no receipt.", "632521"},
		{"高考前一周，城北区几个考点附近的酒店，平时168元的标间一下涨到888元。我们是从祁连县下来陪考的家长，实在负担不起", "630105"},                                                            // where visiting parents came from
		{"匿名举报：平安区小峡那边有个仓库，晚上有车往里拉散装白酒，灌进某知名青稞酒品牌的瓶子，往互助、乐都的小饭馆和村里的小卖部批发", "630203"},                                                        // where a wholesale goes, in a list
		{"民和县官亭镇有户人家在院子里灌散装白酒，没有标签，拉到镇上和西宁的小商店里卖", "630222"},                                                                                // where it is taken to be sold, in a list
		{"海晏县西海镇一家小超市卖的青稞酒，贴的是互助一家大酒厂的商标，价钱比别处便宜一半，喝着完全不是那个味", "632223"},                                                                    // whose brand was copied
		{"A shop on Shuijing Alley in Xining told us this was wild cordyceps from Yushu that can cure cancer. We paid 3200 yuan", "630103"}, // goods from a place, in English
		{"我是在外地打工的，户口在民和县。名下有一家商贸公司，身份证在西宁丢过，查了才知道这家公司注册在西宁市城中区", "630103"},                                                                 // where the writer is registered as resident
		{"来电人反映共和县恰卜恰镇一家液化气供应站涨价，周边牧民和饭馆都在这里灌气", "632521"},                                                                                  // 牧民和 is no 民和
		{"我在冷湖油田上班，银行说我名下有一家公司，注册地在德令哈，身份证在格尔木丢过", "632802"},                                                                                // where a company is registered, not where the writer works
		{"身份证被人注册了个体工商户，经营场所在乐都区碾伯街道，想问撤销要去乐都办还是在民和就能办", "630202"},                                                                          // where a business registered in one's name operates
		// Another branch of the chain, named beside the one complained of.
		{"西宁火车站附近几家旅馆，网上挂的价168，到了前台要368，跟他们在格尔木的连锁店一个样", "630102"},
		{"Bought silver bracelets at a shop near Dongguan Mosque. They turned green. The seller said they also have a shop in Tongren.", "630102"},
		{"在城中区一家眼镜店配的眼镜，他们在城北区也有分店", "630103"},
		{"XX家居在城西区的店卖给我的书桌，抽屉轨道坏了，店员说要按他们格尔木连锁店的规定，先寄回去检测再说", "630104"},           // their other branch's rules
		{"在超市买的一桶5升装“门源小油菜籽油”，打开后瓶底有一层沉淀。超市在城西区五四大街上，我拿着小票去退，超市说开封了不退", "630104"}, // a product's quoted name
		{"在格尔木一家电脑店买的平板坏了，店里说所属的公司注册地在德令哈，售后也在德令哈", "632802"},                     // where the company is registered
		// A place named for its price is no business's (a town's shop, compared with Xining).
		{"我父母住在尖扎马克堂镇，在镇上一家家电店买了台冰箱，交了3280元，同款冰箱在西宁才卖2600多", "632322"},
		{"在海湖新区一个讲座上给我爸买的助听器，8800元，同款在大十字一家眼镜店才2600", "630104"},
		{"我家住乐都，楼下小卖部一箱牛奶卖68，西宁才45", "630202"},                            // 才 and an amount: the shop downstairs is at home
		{"我家住大通，村里小卖部一瓶可乐卖5块，西宁超市才3块", "630121"},                          // the place's supermarkets in general
		{"我们村的电商服务站帮村民在网上代买东西，我让站长帮我订了台冰箱，交了钱两个月没到。我们是乐都区瞿昙镇的", "630202"}, // a village's e-commerce station is a shop at home
	} {
		m, ok := g.Resolve(tt.text)
		if !ok || m.Code != tt.want || m.Ambiguous {
			t.Errorf("Resolve(%q) = %s ambiguous=%v (%s), want %s and not ambiguous", tt.text, m.Code, m.Ambiguous, m.Evidence, tt.want)
		}
	}
}

// TestWordSetMatchesContains checks the one-pass word search against
// strings.Contains on texts built from pieces of the words, other text and
// invalid bytes.
func TestWordSetMatchesContains(t *testing.T) {
	pieces := []string{"网", "上", "买", "网上", "直播", "播", "淘", "宝", "到店", "店", "核销", "online", "onlin", "e", "jd", ".com", "live ", "stream",
		"西宁", "，", " ", "\xe7", "\xbd", "\x91", "\xff", "a", "😡"}
	rng := rand.New(rand.NewPCG(1, 2))
	for _, words := range [][]string{onlineWords, shopWords} {
		set := newWordSet(words)
		for n := 0; n < 20000; n++ {
			var b strings.Builder
			for k := rng.IntN(8); k >= 0; k-- {
				b.WriteString(pieces[rng.IntN(len(pieces))])
			}
			text := b.String()
			want := slices.ContainsFunc(words, func(w string) bool { return strings.Contains(text, w) })
			if got := set.in(text); got != want {
				t.Fatalf("in(%q) = %v, want %v", text, got, want)
			}
		}
	}
}

func TestResolveAddress(t *testing.T) {
	g := Default()
	tests := []struct{ addr, text, want string }{
		{"五四大街附近", "", "630104"}, // a shared street name: the field is Qinghai's
		{"五四大街 某某造型", "", "630104"},
		{"东关大街 小吃店", "米皮里有头发", "630102"},
		{"德令哈 长江路 某某干洗店", "", "632802"},    // not Xining's 长江路
		{"海西州德令哈市长江路某某家电商场", "", "632802"}, // a 家电商场 is a shop, not 电商
		{"淮南大通区一家超市", "", ""},
		{"海东市平安县（网店证照地址）", "在某购物平台买了一台洗衣机", "630203"}, // an online shop's licensed address is its place
		{"海东 平安 某某小区3号楼", "", "630203"},
		{"西宁 城北 某某小区", "", "630105"},
		// An address names the business's place even where a product
		// follows it: a market, not the goods' origin.
		{"玉树州玉树市结古街道虫草交易市场3号摊", "称重少了两根", "632701"},
		{"海西州格尔木市枸杞批发中心", "", "632801"},
	}
	for _, tt := range tests {
		m, _ := g.ResolveAddress(tt.addr, tt.text)
		if m.Code != tt.want {
			t.Errorf("ResolveAddress(%q) = %q (%s), want %q", tt.addr, m.Code, m.Evidence, tt.want)
		}
	}
	// The same words in free text are not read as Qinghai's without context.
	if m, ok := g.Resolve("五四大街附近"); ok {
		t.Errorf("Resolve(五四大街附近) = %q: a shared name in free text needs Qinghai context", m.Code)
	}
	// 大十字 is Xining's on its own (people there name it without the
	// city), but not after another city's name.
	if m, _ := g.Resolve("在大十字一家手机维修店换屏幕"); m.Code != "630103" {
		t.Errorf("Resolve(大十字…) = %q, want 630103", m.Code)
	}
	if m, ok := g.Resolve("去贵阳玩在贵阳大十字一家店买的"); ok {
		t.Errorf("Resolve(贵阳大十字) = %q, want none", m.Code)
	}
}

func TestResidential(t *testing.T) {
	for addr, want := range map[string]bool{
		"西宁市城北区朝阳东路某小区3号楼2单元":  true,
		"西宁市城北区小桥大街某小区底商":      false, // a shop on an estate's ground floor
		"城西区某小区门口的超市":          false,
		"海东市乐都区碾伯镇古城大街88号":     false,
		"收货地址：果洛州玛沁县大武镇团结路XX号": true,  // a delivery address
		"西宁市城东区韵家口镇某电商产业园3号楼":  false, // a business park numbers its buildings too
	} {
		if got := Residential(addr); got != want {
			t.Errorf("Residential(%q) = %v, want %v", addr, got, want)
		}
	}
}

func TestEcommerce(t *testing.T) {
	for text, want := range map[string]bool{
		"在某电商平台买的冰箱":            true,
		"城北区一家家电商场买的电视":         false,
		"家电商城买的洗衣机，后来又在电商上买了配件": true,
		"没有提到网购":                false,
	} {
		if got := ecommerce(text); got != want {
			t.Errorf("ecommerce(%q) = %v, want %v", text, got, want)
		}
	}
}

// TestClauseEndIndex checks the clause-mark search against the standard
// library's on texts with every mark, other multi-byte runes and invalid
// UTF-8.
func TestClauseEndIndex(t *testing.T) {
	texts := []string{
		"", "abc", "在西宁，一家店", "买的。然后", "好；坏", "真的！", "吗？", "（西宁）", "(xining)", "a,b", "a.b", "a;b", "a!b", "a?b", "line\nbreak",
		"全角ｘ", "￥100", "西宁\xff，", "\xe3\x80", "\xef\xbc", "中文、顿号", "“引号”", "—破折号",
	}
	// Every byte slice of a mixed text, cut inside runes too.
	mixed := "在西宁（城东区）买的。Bought it here, (really)! 好；坏？ｘ\n完"
	for i := range len(mixed) {
		for j := i; j <= len(mixed); j++ {
			texts = append(texts, mixed[i:j])
		}
	}
	for _, s := range texts {
		if got, want := clauseEndIndex(s), strings.IndexAny(s, clauseEnd); got != want {
			t.Errorf("clauseEndIndex(%q) = %d, want %d", s, got, want)
		}
		if got, want := clauseEndLastIndex(s), strings.LastIndexAny(s, clauseEnd); got != want {
			t.Errorf("clauseEndLastIndex(%q) = %d, want %d", s, got, want)
		}
	}
}

func TestConsumersHome(t *testing.T) {
	const home = "西宁市城北区小桥大街某小区3号楼2单元"
	for _, tt := range []struct {
		addr, text string
		want       bool
	}{
		{home, "网上买的手机壳，收到颜色完全不一样", true},
		{home, "骑手都是到同一个居民楼里取餐，就是在住户家的厨房里做的", false}, // a business run in a home
		{"海东市乐都区碾伯镇古城大街88号", "网上买的手机壳", false},
	} {
		if got := ConsumersHome(tt.addr, tt.text); got != tt.want {
			t.Errorf("ConsumersHome(%q, %q) = %v, want %v", tt.addr, tt.text, got, tt.want)
		}
	}
}

func TestWorksFromHome(t *testing.T) {
	for text, want := range map[string]bool{
		"骑手都是到同一个居民楼里取餐，就是在住户家的厨房里做的": true,
		"村里有个家庭作坊做凉皮":                 true,
		"网上买的手机壳，收到颜色完全不一样":           false,
	} {
		if got := WorksFromHome(text); got != want {
			t.Errorf("WorksFromHome(%q) = %v, want %v", text, got, want)
		}
	}
}

// TestAffixAny checks hasPrefixAny and hasSuffixAny, which compare a
// word's last byte first, against strings.HasPrefix and HasSuffix.
func TestAffixAny(t *testing.T) {
	words := []string{"我是", "我们是", "店", "a", "到了西宁"}
	for _, s := range []string{"", "我", "我是", "我们是", "我们", "西宁店", "商店", "ba", "ab", "车到了西宁", "到了西宁车"} {
		var pre, suf bool
		for _, w := range words {
			pre = pre || strings.HasPrefix(s, w)
			suf = suf || strings.HasSuffix(s, w)
		}
		if got := hasPrefixAny(s, words); got != pre {
			t.Errorf("hasPrefixAny(%q) = %v, want %v", s, got, pre)
		}
		if got := hasSuffixAny(s, words); got != suf {
			t.Errorf("hasSuffixAny(%q) = %v, want %v", s, got, suf)
		}
	}
	if !hasPrefixAny("x", []string{""}) || !hasSuffixAny("", []string{""}) {
		t.Error("the empty word begins and ends every string")
	}
}
