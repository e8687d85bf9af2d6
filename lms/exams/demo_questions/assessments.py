"""Demo exam blueprints (组卷规则) and practical rubrics (操作技能考核评分表), as data for ``lms.exams.demo``.

Theory papers follow the usual layout of a 职业技能等级认定 theory exam: 判断题, 单选题 (spread over the knowledge
areas of the level), 多选题, 填空题 and 简答题, 100 points, 60 to pass, 90 minutes. Every section asks for at most
half of the bank's questions that fit it, so each candidate's draw can differ. The course quizzes (课程测验) are
short papers from one knowledge area, for any level.

Rubrics list the operations a candidate performs in front of the examiner panel; their maximum points add up to 100.
"""

from lms.learning.choices import Occupation


def section(qtype: str, count: int, points: str, area: str | None = None, difficulty: int | None = None) -> dict:
    """``count`` questions of ``qtype`` (from knowledge area ``area``, at ``difficulty``), ``points`` each."""
    return {"type": qtype, "count": count, "points": points, "area": area, "difficulty": difficulty}


def theory(singles: list[tuple[str, int]]) -> list[dict]:
    """判断题 20×1, 单选题 40×1 (by area), 多选题 10×2, 填空题 5×2, 简答题 2×5: 100 points."""
    if sum(n for _area, n in singles) != 40:
        raise ValueError("the single-choice sections of a theory paper add up to 40 questions")
    return [
        section("true_false", 20, "1"),
        *(section("single", n, "1", area) for area, n in singles),
        section("multiple", 10, "2"),
        section("fill_blank", 5, "2"),
        section("short_answer", 2, "5"),
    ]


def quiz(area: str) -> list[dict]:
    """判断题 5×4, 单选题 10×5, 多选题 5×6 from one knowledge area: 100 points."""
    return [section("true_false", 5, "4", area), section("single", 10, "5", area), section("multiple", 5, "6", area)]


CW, IC = Occupation.CHILDCARE_WORKER, Occupation.INFANT_CARER

BLUEPRINTS = [
    {
        "name": "保育师（五级/初级工）理论知识考试",
        "occupation": CW,
        "level": 5,
        "duration_minutes": 90,
        "sections": theory(
            [("ethics", 5), ("basics", 8), ("life_care", 11), ("safety_health", 10), ("early_learning", 6)]
        ),
    },
    {
        "name": "保育师（四级/中级工）理论知识考试",
        "occupation": CW,
        "level": 4,
        "duration_minutes": 90,
        "sections": theory(
            [
                ("ethics", 4),
                ("basics", 7),
                ("life_care", 10),
                ("safety_health", 10),
                ("early_learning", 6),
                ("family_cooperation", 3),
            ]
        ),
    },
    {
        "name": "育婴员（五级/初级工）理论知识考试",
        "occupation": IC,
        "level": 5,
        "duration_minutes": 90,
        "sections": theory(
            [("ethics", 5), ("basics", 8), ("life_care", 12), ("health_care", 10), ("early_learning", 5)]
        ),
    },
    {
        "name": "育婴员（四级/中级工）理论知识考试",
        "occupation": IC,
        "level": 4,
        "duration_minutes": 90,
        "sections": theory(
            [("ethics", 4), ("basics", 8), ("life_care", 10), ("health_care", 11), ("early_learning", 7)]
        ),
    },
    {
        "name": "保育师课程测验：安全健康管理",
        "occupation": CW,
        "level": None,
        "duration_minutes": 20,
        "sections": quiz("safety_health"),
    },
    {
        "name": "育婴员课程测验：保健与护理",
        "occupation": IC,
        "level": None,
        "duration_minutes": 20,
        "sections": quiz("health_care"),
    },
]


def criterion(title: str, points: str, description: str) -> dict:
    return {"title": title, "max_points": points, "description": description}


PREPARATION = (
    "着装整洁、便于操作，修剪指甲、摘除饰物，按七步洗手法洗手；用物准备齐全、摆放有序；与婴幼儿交流时语言亲切。"
)
INFANT_CHOKING = criterion(
    "婴儿气道异物梗阻急救",
    "15",
    "识别梗阻表现并呼救；婴儿面朝下趴在前臂上、头低于躯干，在两肩胛骨之间背部叩击5次；翻转后在两乳头连线中点稍下方"
    "用两指胸部按压5次，交替进行，部位、力度正确；口述婴儿失去反应时立即心肺复苏，事后送医并报告。",
)

RUBRICS = [
    {
        "name": "保育师（五级/初级工）操作技能考核评分表",
        "occupation": CW,
        "level": 5,
        "criteria": [
            criterion("操作准备与职业素养", "10", PREPARATION),
            criterion(
                "婴幼儿进餐照料",
                "20",
                "餐前桌面清洁消毒、组织洗手；检查饭菜温度和性状；喂食姿势正确，一口量和速度适宜，观察吞咽；"
                "鼓励自主进食，不催促、不强迫；餐后清洁口、手和桌面，记录进食情况。",
            ),
            criterion(
                "更换纸尿裤与臀部护理",
                "15",
                "备齐用物，一只手始终扶住婴儿；由前向后清洁，观察皮肤和大小便；必要时涂护臀霜；"
                "纸尿裤松紧适宜；污物处理、洗手、记录。",
            ),
            criterion(
                "午睡照料",
                "10",
                "睡前如厕、检查口袋和口中有无异物；1岁以内仰卧，床上无松软物品，被子不遮口鼻；"
                "口述巡视内容（面色、呼吸、睡姿）并记录。",
            ),
            criterion(
                "玩具与物体表面消毒",
                "15",
                "按给定原液浓度正确计算并配制含氯消毒液，戴手套、现配现用；清洗、浸泡或擦拭，作用时间足够，"
                "清水冲净残留、晾干；消毒液标识清楚，存放在婴幼儿接触不到处。",
            ),
            criterion(
                "婴儿气道异物梗阻急救",
                "20",
                INFANT_CHOKING["description"],
            ),
            criterion(
                "早期学习支持：儿歌或绘本共读",
                "10",
                "选择适龄的儿歌或绘本；面对面、语调生动，配合动作和指认；积极回应婴幼儿的声音和动作；时间适宜。",
            ),
        ],
    },
    {
        "name": "保育师（四级/中级工）操作技能考核评分表",
        "occupation": CW,
        "level": 4,
        "criteria": [
            criterion("操作准备与职业素养", "5", PREPARATION),
            criterion(
                "一日生活观察与记录",
                "15",
                "观看一段进餐或游戏视频，用轶事记录法写出时间、情境和婴幼儿的行为、语言，只写事实不加主观评价；"
                "据此作出合理分析并提出照护建议。",
            ),
            criterion(
                "晨检与健康观察",
                "10",
                "按“一摸二看三问四查”完成晨检，测量体温方法正确；发现疑似传染病（如手足口病）时隔离、报告、"
                "通知家长并记录。",
            ),
            criterion(
                "发热婴幼儿的照护",
                "15",
                "腋温测量与读数正确；减少衣被、补充水分，不用酒精擦浴；说明委托喂药的核对要求；"
                "观察精神状态，说出需要立即就医的情况并记录。",
            ),
            criterion(
                "幼儿海姆立克急救与心肺复苏",
                "25",
                "1岁以上幼儿腹部冲击法部位、手法正确；失去反应时放平，胸外按压部位正确、深度约5cm、频率100～120次/分，"
                "按压与通气比30:2；开放气道，人工呼吸见胸廓抬起；流程连贯、减少中断。",
            ),
            criterion(
                "食物过敏幼儿的个别化进餐照料",
                "10",
                "核对过敏信息与餐食，避免交叉接触；识别荨麻疹、口唇肿胀、呼吸困难等表现，说出处置与报告流程。",
            ),
            criterion(
                "设计并组织游戏活动",
                "20",
                "目标符合月龄和发展水平；材料安全、充足；过程体现示范、自主操作、个别指导和积极回应；"
                "观察婴幼儿表现并调整；全程安全看护。",
            ),
        ],
    },
    {
        "name": "育婴员（五级/初级工）操作技能考核评分表",
        "occupation": IC,
        "level": 5,
        "criteria": [
            criterion("操作准备", "5", PREPARATION),
            criterion(
                "配方奶冲调与奶瓶喂养",
                "20",
                "先加温水后加奶粉，比例准确，轻摇溶解；滴在手腕内侧试温；半坐位喂养，奶瓶倾斜使奶嘴充满奶液；"
                "喂后竖抱空心掌拍嗝；说明剩奶处理。",
            ),
            criterion(
                "奶具清洗与消毒",
                "10",
                "用奶瓶刷清洗瓶身、奶嘴和瓶盖；煮沸或蒸汽消毒方法正确；晾干、加盖存放。",
            ),
            criterion(
                "婴儿盆浴",
                "20",
                "关好门窗，室温适宜；先放冷水后放热水，水温38～40℃；由内眼角向外眼角擦眼，洗头时按住耳廓防止进水，"
                "按顺序洗身体、注意皮肤褶皱；全程不离手，5～10分钟完成；浴后脐部和臀部护理。",
            ),
            criterion(
                "婴儿抚触",
                "15",
                "室温26～28℃，暖手、取润肤油；按头面部、胸部、腹部（顺时针，避开未愈合的脐部）、四肢、背部的顺序，"
                "力度适中；与婴儿目光交流；婴儿哭闹时暂停。",
            ),
            criterion(
                "更换尿布",
                "10",
                "备齐用物，一手始终扶住婴儿；由前向后清洁，观察皮肤和大小便；尿布松紧适宜；污物处理、洗手。",
            ),
            criterion(
                "婴儿被动操",
                "5",
                "选择婴儿清醒愉快时；按节拍做上肢、下肢等动作，动作轻柔、有节奏；边做边与婴儿说话。",
            ),
            INFANT_CHOKING,
        ],
    },
    {
        "name": "育婴员（四级/中级工）操作技能考核评分表",
        "occupation": IC,
        "level": 4,
        "criteria": [
            criterion("操作准备", "5", PREPARATION),
            criterion(
                "辅食制作与喂养",
                "15",
                "按月龄选择食材（如肉泥、菜泥），清洗、切配、蒸煮、研磨规范，性状适宜，不加盐和糖；用小勺喂，"
                "回应婴儿的饥饱信号，说明新食物观察2～3天。",
            ),
            criterion(
                "体温测量与发热护理",
                "10",
                "电子体温计腋温测量方法、读数正确；减少衣被、补充水分，不用酒精擦浴；说出需要立即就医的情况。",
            ),
            criterion(
                "腹泻护理与口服补液",
                "10",
                "按说明书冲调口服补液盐Ⅲ，少量多次喂服；观察尿量、精神等脱水表现；便后臀部护理；记录大便情况。",
            ),
            criterion(
                "生长发育测量与评价",
                "15",
                "体重、身长（卧位）、头围测量方法正确，读数准确到规定精度；在生长曲线上标记，作出简单评价并向家长说明。",
            ),
            criterion(
                "婴儿心肺复苏",
                "20",
                "判断反应和呼吸，呼救；两乳头连线中点稍下方两指按压，深度约4cm，频率100～120次/分，充分回弹；"
                "开放气道，口对口鼻人工呼吸见胸廓抬起；按压与通气比30:2，流程连贯。",
            ),
            criterion(
                "亲子语言游戏或绘本共读",
                "15",
                "材料适合月龄；面对面互动，语调生动，运用扩展、平行谈话等方法；积极回应婴幼儿；向家长说明在家如何延伸。",
            ),
            criterion(
                "精细动作训练游戏",
                "10",
                "根据月龄设计抓握、对捏、放入取出等游戏；材料安全、无小部件误吞风险；示范与鼓励得当，全程看护。",
            ),
        ],
    },
]
