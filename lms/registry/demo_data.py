"""Pure data for the demo seed (``manage.py seed_demo``): Yunnan divisions, Chinese name tables, and
the small pure functions that draw names from them (no database).

Province, prefecture and county codes follow GB/T 2260 as far as we know them; township names
of 曲靖市 are real but their 9-digit codes are assigned in GB/T 10114 style (001-099 街道,
100-199 镇, 200-299 乡), so treat them as plausible rather than official.
"""

import random

# fmt: off
# Institution kinds (Institution.Kind values): share of institutions, and places (托位数) min/max/step.
KIND_WEIGHTS = {"public": 4, "inclusive": 32, "for_profit": 22, "employer": 8, "family": 14, "kindergarten": 20}
CAPACITY = {  # family childcare points take at most 5 children
    "public": (80, 200, 10), "inclusive": (30, 120, 5), "for_profit": (20, 100, 5),
    "employer": (20, 80, 5), "family": (3, 5, 1), "kindergarten": (20, 60, 10),
}
# Registration authority + category, the first two characters of a credit code (GB 32100):
# 12 事业单位, 52 民办非企业单位, 91 企业, 92 个体工商户. Kindergartens are drawn from 12 or 52.
REGISTRATION = {"public": "12", "inclusive": "52", "for_profit": "91", "employer": "12", "family": "92"}
# Staff by post (Post values): share of women; age low/high/mode.
FEMALE_SHARE = {"caregiver": 0.95, "director": 0.85, "health": 0.9, "other": 0.6}
AGES = {"caregiver": (21, 50, 30), "director": (28, 58, 42), "health": (23, 55, 35), "other": (21, 58, 40)}
PHONE_PREFIXES = [
    "130", "131", "132", "133", "134", "135", "136", "137", "138", "139", "150", "151", "152", "153", "157",
    "158", "159", "166", "173", "177", "180", "182", "183", "187", "188", "189", "191", "198", "199",
]

PROVINCE = ("530000", "云南省")

# Qujing (the city of seed 001): county code, name, weight (rough share of institutions), townships.
QUJING = ("530300", "曲靖市", "曲靖市")
QUJING_COUNTIES = [
    ("530302", "麒麟区", 22, ["南宁街道", "白石江街道", "建宁街道", "寥廓街道", "越州镇", "东山镇"]),
    ("530303", "沾益区", 10, ["西平街道", "龙华街道", "金龙街道", "白水镇", "盘江镇", "德泽乡"]),
    ("530304", "马龙区", 7, ["通泉街道", "鸡头村街道", "王家庄街道", "马过河镇", "月望乡"]),
    ("530322", "陆良县", 11, ["中枢街道", "同乐街道", "三岔河镇", "马街镇", "召夸镇", "活水乡"]),
    ("530323", "师宗县", 7, ["丹凤街道", "漾月街道", "竹基镇", "雄壁镇", "五龙乡"]),
    ("530324", "罗平县", 9, ["罗雄街道", "九龙街道", "阿岗镇", "板桥镇", "老厂乡"]),
    ("530325", "富源县", 9, ["中安街道", "胜境街道", "大河镇", "营上镇", "古敢水族乡"]),
    ("530326", "会泽县", 12, ["古城街道", "宝云街道", "金钟街道", "娜姑镇", "者海镇", "大海乡"]),
    ("530381", "宣威市", 13, ["宛水街道", "虹桥街道", "双龙街道", "羊场镇", "田坝镇", "杨柳乡"]),
]

# The other prefectures of Yunnan (province scale): code, full name, short name, counties (code, name).
OTHER_CITIES = [
    ("530100", "昆明市", "昆明市", [
        ("530102", "五华区"), ("530103", "盘龙区"), ("530111", "官渡区"), ("530112", "西山区"),
        ("530113", "东川区"), ("530114", "呈贡区"), ("530115", "晋宁区"), ("530124", "富民县"),
        ("530125", "宜良县"), ("530126", "石林彝族自治县"), ("530127", "嵩明县"),
        ("530128", "禄劝彝族苗族自治县"), ("530129", "寻甸回族彝族自治县"), ("530181", "安宁市"),
    ]),
    ("530400", "玉溪市", "玉溪市", [
        ("530402", "红塔区"), ("530403", "江川区"), ("530423", "通海县"), ("530424", "华宁县"),
        ("530425", "易门县"), ("530426", "峨山彝族自治县"), ("530427", "新平彝族傣族自治县"),
        ("530428", "元江哈尼族彝族傣族自治县"), ("530481", "澄江市"),
    ]),
    ("530500", "保山市", "保山市", [
        ("530502", "隆阳区"), ("530521", "施甸县"), ("530523", "龙陵县"), ("530524", "昌宁县"),
        ("530581", "腾冲市"),
    ]),
    ("530600", "昭通市", "昭通市", [
        ("530602", "昭阳区"), ("530621", "鲁甸县"), ("530622", "巧家县"), ("530623", "盐津县"),
        ("530624", "大关县"), ("530625", "永善县"), ("530626", "绥江县"), ("530627", "镇雄县"),
        ("530628", "彝良县"), ("530629", "威信县"), ("530681", "水富市"),
    ]),
    ("530700", "丽江市", "丽江市", [
        ("530702", "古城区"), ("530721", "玉龙纳西族自治县"), ("530722", "永胜县"), ("530723", "华坪县"),
        ("530724", "宁蒗彝族自治县"),
    ]),
    ("530800", "普洱市", "普洱市", [
        ("530802", "思茅区"), ("530821", "宁洱哈尼族彝族自治县"), ("530822", "墨江哈尼族自治县"),
        ("530823", "景东彝族自治县"), ("530824", "景谷傣族彝族自治县"),
        ("530825", "镇沅彝族哈尼族拉祜族自治县"), ("530826", "江城哈尼族彝族自治县"),
        ("530827", "孟连傣族拉祜族佤族自治县"), ("530828", "澜沧拉祜族自治县"), ("530829", "西盟佤族自治县"),
    ]),
    ("530900", "临沧市", "临沧市", [
        ("530902", "临翔区"), ("530921", "凤庆县"), ("530922", "云县"), ("530923", "永德县"),
        ("530924", "镇康县"), ("530925", "双江拉祜族佤族布朗族傣族自治县"), ("530926", "耿马傣族佤族自治县"),
        ("530927", "沧源佤族自治县"),
    ]),
    ("532300", "楚雄彝族自治州", "楚雄州", [
        ("532301", "楚雄市"), ("532322", "双柏县"), ("532323", "牟定县"), ("532324", "南华县"),
        ("532325", "姚安县"), ("532326", "大姚县"), ("532327", "永仁县"), ("532328", "元谋县"),
        ("532329", "武定县"), ("532331", "禄丰市"),
    ]),
    ("532500", "红河哈尼族彝族自治州", "红河州", [
        ("532501", "个旧市"), ("532502", "开远市"), ("532503", "蒙自市"), ("532504", "弥勒市"),
        ("532523", "屏边苗族自治县"), ("532524", "建水县"), ("532525", "石屏县"), ("532527", "泸西县"),
        ("532528", "元阳县"), ("532529", "红河县"), ("532530", "金平苗族瑶族傣族自治县"),
        ("532531", "绿春县"), ("532532", "河口瑶族自治县"),
    ]),
    ("532600", "文山壮族苗族自治州", "文山州", [
        ("532601", "文山市"), ("532622", "砚山县"), ("532623", "西畴县"), ("532624", "麻栗坡县"),
        ("532625", "马关县"), ("532626", "丘北县"), ("532627", "广南县"), ("532628", "富宁县"),
    ]),
    ("532800", "西双版纳傣族自治州", "西双版纳州", [
        ("532801", "景洪市"), ("532822", "勐海县"), ("532823", "勐腊县"),
    ]),
    ("532900", "大理白族自治州", "大理州", [
        ("532901", "大理市"), ("532922", "漾濞彝族自治县"), ("532923", "祥云县"), ("532924", "宾川县"),
        ("532925", "弥渡县"), ("532926", "南涧彝族自治县"), ("532927", "巍山彝族回族自治县"),
        ("532928", "永平县"), ("532929", "云龙县"), ("532930", "洱源县"), ("532931", "剑川县"),
        ("532932", "鹤庆县"),
    ]),
    ("533100", "德宏傣族景颇族自治州", "德宏州", [
        ("533102", "瑞丽市"), ("533103", "芒市"), ("533122", "梁河县"), ("533123", "盈江县"),
        ("533124", "陇川县"),
    ]),
    ("533300", "怒江傈僳族自治州", "怒江州", [
        ("533301", "泸水市"), ("533323", "福贡县"), ("533324", "贡山独龙族怒族自治县"),
        ("533325", "兰坪白族普米族自治县"),
    ]),
    ("533400", "迪庆藏族自治州", "迪庆州", [
        ("533401", "香格里拉市"), ("533422", "德钦县"), ("533423", "维西傈僳族自治县"),
    ]),
]

# Characters for synthetic township names outside Qujing (two characters + 街道/镇/乡).
PLACE_CHARS_1 = "龙凤安宁和平新兴德仁清河金石白黑青碧云华福丰乐长太永大小东西南北中上下"
PLACE_CHARS_2 = "山水江坝营屯街哨村川源溪塘桥关坡湾庄海甸场铺口田坪寨城"

# Surnames common in Yunnan, with rough weights; then rarer local ones (weight 1).
SURNAMES = [
    ("李", 80), ("王", 60), ("张", 55), ("杨", 50), ("刘", 35), ("陈", 30), ("赵", 25), ("黄", 18),
    ("周", 16), ("吴", 15), ("徐", 12), ("孙", 10), ("马", 14), ("朱", 10), ("胡", 10), ("郭", 8),
    ("何", 12), ("罗", 14), ("高", 8), ("林", 6), ("段", 8), ("普", 5), ("尹", 6), ("施", 5),
    ("钱", 4), ("毛", 4), ("邓", 6), ("许", 5), ("沈", 3), ("曾", 4), ("彭", 4),
    ("吕", 3), ("苏", 4), ("卢", 4), ("蒋", 4), ("蔡", 3), ("贾", 3), ("丁", 3), ("魏", 4),
    ("薛", 2), ("叶", 3), ("阎", 2), ("余", 4), ("潘", 3), ("杜", 3), ("戴", 3), ("夏", 3),
    ("钟", 3), ("汪", 2), ("田", 4), ("任", 3), ("姜", 2), ("范", 3), ("方", 2), ("石", 4),
    ("姚", 2), ("谭", 2), ("廖", 3), ("邹", 2), ("熊", 3), ("金", 2), ("陆", 2), ("郝", 2),
    ("孔", 2), ("白", 3), ("崔", 2), ("康", 2), ("毕", 2), ("浦", 2), ("保", 2), ("者", 1),
    ("字", 1), ("鲁", 2), ("龚", 2), ("起", 1), ("祁", 1), ("缪", 1), ("翟", 1), ("欧阳", 1),
]

GIVEN_FEMALE = "丽芳娟艳敏静燕玲秀英华霞梅红琴云慧婷雪莉萍琳娜倩颖佳欣怡雯洁瑶琼蓉兰春菊凤茜璐"
GIVEN_MALE = "伟强磊军勇杰涛明超刚平辉鹏华飞波斌宇浩俊峰林东亮成龙庆祥荣国文学建志"
GIVEN_COMMON = "晓小新子永家丽春海玉金雨思梦嘉俊雅"

# Brand words for private institutions (小太阳托育中心, 贝乐托育有限公司 ...).
BRANDS = [
    "小太阳", "贝乐", "小橡树", "童心", "阳光宝贝", "金色童年", "爱心", "七彩虹", "小星星", "蒲公英",
    "向日葵", "启蒙", "育苗", "小天使", "快乐宝贝", "童乐园", "小脚丫", "乐贝", "亲亲宝贝", "小红帽",
    "彩虹桥", "美育", "小蜜蜂", "童趣", "格林", "睿思", "小树苗", "萌宝", "春芽", "朝阳",
    "云朵", "小海豚", "牵手", "知音", "童梦", "乖乖", "未来星", "小叮当", "宝贝家", "花蕾",
]
FOR_PROFIT_SUFFIXES = ["托育有限公司", "托育服务有限公司", "早教托育中心", "婴幼儿照护服务中心", "托育园"]
INCLUSIVE_SUFFIXES = ["托育中心", "普惠托育园", "托育服务中心", "婴幼儿托育园"]
# Employers that run a staff nursery; "{county}" is replaced by the county name.
EMPLOYERS = [
    "{city}第一人民医院", "{city}第二人民医院", "{county}人民医院", "{county}妇幼保健院", "{county}人民政府机关",
    "{county}第一中学", "{city}卷烟厂", "{county}供电局", "{county}工业园区管委会", "{city}师范学院",
    "{county}中医医院", "{county}税务局",
]
EMPLOYER_SUFFIXES = ["职工托育园", "职工子女托育室", "职工托育服务点"]
KINDERGARTENS = ["第一幼儿园", "第二幼儿园", "第三幼儿园", "实验幼儿园", "机关幼儿园", "中心幼儿园"]
ROADS = [
    "建宁路", "麒麟路", "文昌路", "南宁路", "紫云路", "翠峰路", "珠江路", "寥廓路", "惠民路",
    "光华路", "胜峰路", "友谊路", "民族路", "金江路", "龙泉路", "白石江路", "学府路", "朝阳路", "太和路",
]
HEALTH_ISSUERS = ["{county}妇幼保健院", "{county}疾病预防控制中心", "{county}人民医院"]

TRAINING_PROVIDERS = [
    # name template, kind, body code, registration prefix (登记管理部门 + 机构类别)
    ("{city}职业技能培训学校", "training", "QJPX", "52"),
    ("云南{city_short}托育人才培训中心有限公司", "training", "YNTY", "91"),
    ("云南省托育服务职业技能评价中心", "assessment", "YNPJ", "52"),
]
# fmt: on


_SURNAMES, _SURNAME_WEIGHTS = [s for s, _ in SURNAMES], [w for _, w in SURNAMES]


def person_name(rng: random.Random, female: bool) -> str:
    surname = rng.choices(_SURNAMES, weights=_SURNAME_WEIGHTS)[0]
    pool = GIVEN_FEMALE if female else GIVEN_MALE
    if rng.random() < 0.3:
        return surname + rng.choice(pool)
    return surname + rng.choice(GIVEN_COMMON + pool) + rng.choice(pool)


def synthetic_townships(rng: random.Random, county_name: str) -> list[str]:
    """3-6 made-up township names: one or two 街道, then 镇, and one 乡 last."""
    names: list[str] = []
    n = rng.randint(3, 6)
    suffixes = ["街道"] * rng.randint(1, 2) + ["镇"] * n
    suffixes = suffixes[: n - 1] + ["乡"]
    while len(names) < n:
        name = rng.choice(PLACE_CHARS_1) + rng.choice(PLACE_CHARS_2) + suffixes[len(names)]
        if name[:2] not in {x[:2] for x in names} and name[:2] != county_name[:2]:
            names.append(name)
    return names


def institution_name(rng: random.Random, city: str, county: str, township: str, kind: str, centre: bool) -> str:
    """A plausible name for an institution of ``kind`` (an Institution.Kind value)."""
    area = f"{city}{county}"
    if kind == "public":
        if centre:  # every county runs a public comprehensive centre (seed 001)
            return f"{area}综合托育服务中心"
        return f"{area}{township}{rng.choice(['公办托育园', '社区托育服务站', '托育服务中心'])}"
    if kind == "inclusive":
        return f"{area}{rng.choice(BRANDS)}{rng.choice(INCLUSIVE_SUFFIXES)}"
    if kind == "for_profit":
        return f"{area}{rng.choice(BRANDS)}{rng.choice(FOR_PROFIT_SUFFIXES)}"
    if kind == "employer":
        return rng.choice(EMPLOYERS).format(city=city, county=county) + rng.choice(EMPLOYER_SUFFIXES)
    if kind == "family":
        return f"{county}{township}{rng.choice(BRANDS)}家庭托育点"
    roll = rng.random()
    if roll < 0.3:
        return f"{area}{rng.choice(KINDERGARTENS)}托班"
    if roll < 0.5:
        return f"{county}{township}中心幼儿园托班"
    return f"{area}{rng.choice(BRANDS)}幼儿园托班"
