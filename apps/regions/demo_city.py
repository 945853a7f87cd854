"""Name lists for the demo city built by `manage.py seed_demo`: territory, departments, people, places."""

from __future__ import annotations

from apps.accounts.roles import Role
from apps.regions.models import PointType, UnitType

CITY_CODE = "330100"
CITY_NAME = "清河市"
CITY_CENTRE = (30.275, 120.150)

# Everything the seed places stays inside this WGS-84 box.
LAT_RANGE = (30.200, 30.350)
LNG_RANGE = (120.050, 120.250)

# (code, name, centre lat, centre lng, "街道:社区 社区 …; 街道:…")
_DISTRICTS = (
    ("330102", "东城区", 30.290, 120.200, "解放街道:解放路社区 幸福里社区 南门社区 百花社区;"
     "朝阳街道:朝阳社区 东风社区 光明社区 红旗社区; 新华街道:新华社区 文化社区 书院社区 府前社区;"
     "东湖街道:东湖社区 湖滨社区 桃源社区 东岸村"),
    ("330103", "西城区", 30.290, 120.100, "人民街道:人民路社区 中山社区 和平社区 胜利社区;"
     "西园街道:西园社区 梅苑社区 竹园社区 兰亭社区; 长青街道:长青社区 青年社区 翠柳社区 西溪村"),
    ("330104", "高新区", 30.240, 120.160, "科创街道:科创社区 创业社区 智慧社区 数码社区;"
     "滨江街道:滨江社区 江岸社区 望江社区 临江村; 新城街道:新城社区 锦绣社区 金色家园社区 龙湾村"),
)  # fmt: skip


def _streets(spec: str) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """Parse "街道:社区 社区; …" into (街道, (社区, …)) pairs."""
    pairs = (part.split(":") for part in spec.split(";"))
    return tuple((street.strip(), tuple(communities.split())) for street, communities in pairs)


DISTRICTS = tuple((code, name, lat, lng, _streets(spec)) for code, name, lat, lng, spec in _DISTRICTS)

# 市直 departments: (name, short name, type).
MUNICIPAL_UNITS: tuple[tuple[str, str, UnitType], ...] = (
    ("市爱卫办", "爱卫办", UnitType.AIWEI),
    ("市卫生健康委员会", "市卫健委", UnitType.HEALTH),
    ("市城管局", "城管局", UnitType.URBAN_MGMT),
    ("市住房和城乡建设局", "市住建局", UnitType.HOUSING),
    ("市园林绿化局", "园林局", UnitType.GARDEN),
    ("市生态环境局", "生态环境局", UnitType.ECO_ENV),
    ("市水务局", "水务局", UnitType.WATER),
    ("市市场监督管理局", "市场监管局", UnitType.MARKET),
    ("市商务局", "商务局", UnitType.COMMERCE),
    ("市农业农村局", "农业农村局", UnitType.AGRI),
    ("市教育局", "教育局", UnitType.EDU),
    ("市体育局", "体育局", UnitType.SPORT),
    ("市委宣传部", "宣传部", UnitType.PUBLICITY),
    ("市文化广电旅游局", "文广旅局", UnitType.CULTURE_TOURISM),
    ("市交通运输局", "交通局", UnitType.TRANSPORT),
    ("市公安局", "公安局", UnitType.PUBLIC_SECURITY),
)
URBAN_MGMT_UNIT = "市城管局"
# 社区 whose 居委会 is registered as a unit of its own.
COMMUNITY_UNITS = ("解放路社区", "人民路社区", "科创社区")
ENTERPRISE_UNITS = (
    ("市第一人民医院", "一院"),
    ("国网清河供电公司", "供电公司"),
    ("清河水务集团有限公司", "水务集团"),
)

# Which unit answers for a point of each type; STREET_OFFICE means the 街道办 of the point's street.
STREET_OFFICE = "street_office"
RESPONSIBLE_UNIT_BY_TYPE: dict[str, str] = {
    PointType.MARKET: "市市场监督管理局",
    PointType.SMALL_FOOD: "市市场监督管理局",
    PointType.MAIN_ROAD: URBAN_MGMT_UNIT,
    PointType.TOILET: URBAN_MGMT_UNIT,
    PointType.BACKSTREET: STREET_OFFICE,
    PointType.CONSTRUCTION: "市住房和城乡建设局",
    PointType.SCHOOL: "市教育局",
    PointType.HOSPITAL: "市卫生健康委员会",
    PointType.PUBLIC_PLACE: "市卫生健康委员会",
    PointType.RESIDENTIAL: STREET_OFFICE,
    PointType.URBAN_VILLAGE: STREET_OFFICE,
    PointType.INSTITUTION: "市爱卫办",
}

# How many points of each type; sums to 1,000.
POINT_COUNTS: dict[str, int] = {
    PointType.MARKET: 25,
    PointType.TOILET: 110,
    PointType.SMALL_FOOD: 210,
    PointType.PUBLIC_PLACE: 110,
    PointType.BACKSTREET: 110,
    PointType.MAIN_ROAD: 70,
    PointType.CONSTRUCTION: 45,
    PointType.URBAN_VILLAGE: 25,
    PointType.RESIDENTIAL: 170,
    PointType.SCHOOL: 45,
    PointType.HOSPITAL: 20,
    PointType.INSTITUTION: 60,
}
# Stretches of road: their address is the road itself, not a house number.
ROAD_TYPES = frozenset({PointType.MAIN_ROAD, PointType.BACKSTREET})


def _words(text: str) -> list[str]:
    """Split a space-separated name list."""
    return text.split()


SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕丁任沈"
    "姚卢姜崔钟谭陆汪范金石廖贾夏韦方白邹孟熊秦邱江尹薛段雷侯龙史陶黎贺顾毛郝龚邵万钱严武戴孔汤"
)
GIVEN_NAMES = _words(
    "伟 芳 娜 敏 静 丽 强 磊 军 洋 勇 艳 杰 娟 涛 明 超 秀英 霞 平 刚 桂英 建华 晓燕 志强 海燕 建国 文华"
    " 玉兰 春梅 国庆 红梅 丽娟 俊杰 子涵 欣怡 浩然 宇轩 雨桐 晨曦 嘉怡 思远 志刚 立新 卫东 海波 晓东 丽萍"
    " 雪梅 宏伟 德明 秋菊 永红 小军"
)
MOBILE_PREFIXES = _words(
    "130 131 133 135 136 137 138 139 150 151 152 153 158 159 177 180 181 186 187 188 189 199"
)

ROADS = _words(
    "人民路 解放路 建设路 中山路 新华路 和平路 胜利路 文化路 青年路 朝阳路 光明路 长江路 黄河路 滨河路"
    " 迎宾大道 清河大道 工业路 学院路 健康路 东风路 团结路 民主路 五一路 北京路 上海路 南京路 环城东路"
    " 环城西路 环城北路 府前街 书院街 体育场路 凤起路 庆春路 延安路 湖滨路 秋涛路 望江路 科技大道 创业路"
)
LANES = _words(
    "仓前巷 打铜巷 柴市巷 花牌楼巷 大井巷 銮驾巷 小营巷 水亭巷 孩儿巷 酱园弄 百岁坊巷 青石巷 竹竿巷 太平巷"
    " 油局巷 石灰桥巷 狮子巷 杨柳弄 梅花碑巷 马所巷 皮市巷 鼓楼巷 直大方伯巷 刀茅巷 菩提寺巷 金钗袋巷"
    " 板儿巷 池塘巷 磨坊弄 葵巷"
)
PARKS = _words("人民公园 清河公园 滨河公园 东湖公园 儿童公园 体育公园 湿地公园 植物园 烈士陵园")
CHINESE_ORDINALS = _words("一 二 三 四 五 六 七 八 九 十 十一 十二")
MARKET_PREFIXES = _words(
    "清河 城东 城西 城南 城北 东门 西门 南门 北门 大桥 新村 老街 菜市桥 桥头 火车站 江边 新华 人民 朝阳"
    " 光明 和平 幸福"
)
MARKET_SUFFIXES = ("农贸市场", "菜市场")
FOOD_KINDS = _words(
    "面馆 小吃店 包子铺 馄饨店 米线店 烧烤店 快餐店 饺子馆 麻辣烫 卤味店 早餐店 牛肉面馆 砂锅店 炒饭店"
    " 煎饼铺 小龙虾 酸菜鱼 黄焖鸡米饭"
)
FOOD_OWNER_PATTERNS = ("老{s}", "小{s}", "阿{s}", "{s}记", "{s}家", "{s}师傅")
PLACE_BRANDS = _words("如家 悦来 金牛 新时代 红星 阳光 天天 星光 好运来 蓝天 金太阳 凯悦 名流 雅致 丽人 时尚")
PLACE_KINDS = _words("宾馆 快捷酒店 理发店 美发沙龙 足浴店 浴室 网吧 KTV 美容院 健身房 棋牌室 游泳馆")
SITE_AREAS = _words("城东 城西 城南 城北 江北 新城 高新 滨江 老城")
SITE_PROJECTS = _words(
    "锦绣华府 滨江一号 翡翠城 学府名苑 未来科技园 地铁3号线 清河中学新校区 人民医院新院区 体育中心 保障房"
    " 棚户区改造 商业综合体 中央公园 智慧产业园 污水处理厂提标改造 城市快速路 老旧小区改造 雨污分流"
)
VILLAGES = _words(
    "张家 李家 王家 陈家 沈家 马家 前庄 后庄 东桥 西桥 南塘 北塘 杨柳 桃园 石桥 下沙 上塘 河口 新塘 高桥"
    " 曹家 徐家 蒋家 周家 白杨 塘湾 柳营 双桥 三里 七里 九堡 十里"
)
ESTATE_PREFIXES = _words(
    "幸福里 阳光 锦绣 翠苑 金色 和平 朝晖 东方 绿城 春晓 香樟 紫荆 丽水 御景 碧水 学府 长青 梧桐 新华 文化"
    " 桂花 荷塘 明珠 金都 华府 银杏 海棠 枫林 天鹅湖"
)
ESTATE_SUFFIXES = _words("小区 花园 家园 苑 新村 公寓 名邸")
SCHOOL_KINDS = _words("实验小学 小学 中学 初级中学 幼儿园")
HOSPITALS = _words(
    "市第一人民医院 市第二人民医院 市第三人民医院 市中医院 市中西医结合医院 市妇幼保健院 市儿童医院"
    " 市口腔医院 市精神卫生中心 市传染病医院 市康复医院 清河同仁医院 清河仁爱医院 清河博爱医院 清河眼科医院"
    " 清河骨科医院 市急救中心 市肿瘤医院 清河协和医院 市老年病医院"
)
INSTITUTIONS = [
    *_words(
        "市人民政府 市人大常委会 市政协 市中级人民法院 市人民检察院 市税务局 市气象局 市档案馆 市图书馆"
        " 市博物馆 市科技馆 市行政服务中心 市公积金管理中心 市不动产登记中心 市社保中心 市统计局 市审计局"
        " 市财政局 市发展和改革委员会 市民政局 市司法局 市人力资源和社会保障局 市自然资源和规划局"
        " 市应急管理局 市退役军人事务局 市医疗保障局 市信访局 市机关事务管理局 市总工会 团市委 市妇联"
        " 市科协 市红十字会 市残联 市邮政管理局 清河海关 市消防救援支队 市烟草专卖局 中国银行清河分行"
        " 中国工商银行清河分行 中国建设银行清河分行 中国农业银行清河分行 中国移动清河分公司"
        " 中国电信清河分公司 市自来水公司 市公交集团 市城投集团 市广播电视台 清河日报社 市疾病预防控制中心"
    ),
    *(name for name, _, _ in MUNICIPAL_UNITS),
]

# The named demo logins: (username, real name, roles, scope for the table; blank = the seed fills it in).
DEMO_LOGINS: tuple[tuple[str, str, tuple[Role, ...], str], ...] = (
    ("admin", "系统管理员", (Role.ADMIN,), "全市（超级用户）"),
    ("office", "王晓燕", (Role.OFFICE,), "全市"),
    ("leader", "陈建国", (Role.LEADER,), "全市"),
    ("inspector", "刘志强", (Role.INSPECTOR,), "全市"),
    ("unit", "赵卫东", (Role.UNIT,), URBAN_MGMT_UNIT),
    ("street", "孙丽萍", (Role.STREET,), ""),
    ("community", "周春梅", (Role.COMMUNITY,), ""),
    ("grid", "李海波", (Role.GRID_WORKER,), ""),
    ("grid2", "张秀英", (Role.GRID_WORKER,), ""),
)
# Further 市领导 who take the 包保 of the other 街道.
EXTRA_LEADERS = (("leader2", "黄德明"), ("leader3", "吴立新"), ("leader4", "郑宏伟"))

GRID_WORKER_COUNT = 150
GRIDS_LEFT_WITHOUT_WORKER = 10
UNIT_PAIRED_COMMUNITIES = 12


def worker_usernames() -> list[str]:
    """Login names of the bulk-created grid workers."""
    return [f"gw{index:04d}" for index in range(1, GRID_WORKER_COUNT + 1)]


def community_staff_usernames() -> list[str]:
    """Login names of the 社区 staff (网格长) of the first 区, bar the `community` demo login's own 社区."""
    count = sum(len(communities) for _, communities in DISTRICTS[0][4]) - 1
    return [f"cm{index:03d}" for index in range(1, count + 1)]


def unit_staff_usernames() -> list[str]:
    """Login names of one 联络员 per unit bar 市城管局 (staffed by the `unit` demo login), in unit order."""
    streets = sum(len(streets) for *_, streets in DISTRICTS)
    count = len(MUNICIPAL_UNITS) + streets + len(COMMUNITY_UNITS) + len(ENTERPRISE_UNITS) - 1
    return [f"dw{index:03d}" for index in range(1, count + 1)]


def planned_usernames() -> list[str]:
    """Every login name the seed creates."""
    return [
        *(username for username, *_ in DEMO_LOGINS),
        *(username for username, _ in EXTRA_LEADERS),
        *worker_usernames(),
        *community_staff_usernames(),
        *unit_staff_usernames(),
    ]


def point_name_pool(point_type: str) -> list[str]:
    """Every distinct name a point of this type may get; the seed samples from it without repeats."""
    segments = ("东段", "西段", "南段", "北段")
    pools: dict[str, list[str]] = {
        PointType.MARKET: [p + s for p in MARKET_PREFIXES for s in MARKET_SUFFIXES],
        PointType.TOILET: [
            *(f"{r}公共厕所" for r in ROADS),
            *(f"{r}{n}号公厕" for r in ROADS for n in (1, 2)),
            *(f"{park}公厕" for park in PARKS),
        ],
        PointType.SMALL_FOOD: [
            p.format(s=s) + k for p in FOOD_OWNER_PATTERNS for s in SURNAMES for k in FOOD_KINDS
        ],
        PointType.PUBLIC_PLACE: [b + k for b in PLACE_BRANDS for k in PLACE_KINDS],
        PointType.BACKSTREET: [*LANES, *(f"{r}{n}弄" for r in ROADS for n in (1, 2, 3))],
        PointType.MAIN_ROAD: [*ROADS, *(f"{r}({s})" for r in ROADS for s in segments)],
        PointType.CONSTRUCTION: [f"{a}建筑工地({p}项目)" for a in SITE_AREAS for p in SITE_PROJECTS],
        PointType.URBAN_VILLAGE: [f"{v}村(城中村)" for v in VILLAGES],
        PointType.RESIDENTIAL: [p + s for p in ESTATE_PREFIXES for s in ESTATE_SUFFIXES if p[-1] != s[0]],
        PointType.SCHOOL: [f"第{o}{k}" for o in CHINESE_ORDINALS for k in SCHOOL_KINDS],
        PointType.HOSPITAL: list(HOSPITALS),
        PointType.INSTITUTION: list(INSTITUTIONS),
    }
    return pools[point_type]
