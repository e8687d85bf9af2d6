"""Texts of the demo courses (``manage.py seed_demo_learning``): real childcare training content in Chinese.

Lesson texts use a tiny markup so that lines can be wrapped in source: blocks are separated by a
blank line; a block starting with ``## `` is a heading, a block of ``- `` lines is a list, any other
block is a paragraph (its lines are joined without spaces, as Chinese is written). ``demo.html_of``
turns it into the rich text of a lesson. The content follows the national guidance documents named
in each lesson; it is demo material, not an official curriculum.
"""

from .demo_lessons import (
    AGE_0_3,
    BUSINESS_PLAN,
    BUSINESS_POLICY,
    BUSINESS_SERVICE,
    CARE_DAILY,
    DIRECTOR_DUTIES,
    DIRECTOR_QUALITY,
    DIRECTOR_SAFETY,
    EARLY_LEARNING,
    ETHICS,
    HEALTH_CHECKS,
    HYGIENE,
    INDIVIDUAL,
    INFECTION,
    NUTRITION,
    OBSERVATION,
    RESPONSIVE,
    ROUTINE,
    SAFETY,
)


def q(prompt: str, choices: list[tuple[str, bool]], explanation: str = "") -> dict:
    return {
        "prompt": prompt,
        "choices": [{"text": text, "correct": correct} for text, correct in choices],
        "explanation": explanation,
    }


# ---- quizzes ------------------------------------------------------------------------------------

GATE_SAFETY = [
    q(
        "1岁以内的婴儿午睡时应采用哪种睡姿？",
        [("仰卧", True), ("俯卧", False), ("随意", False)],
        "仰卧睡姿、较硬的床面、床上不放松软物品，可以降低窒息和婴儿猝死的风险。",
    ),
    q(
        "下列哪些物品应上锁存放在婴幼儿接触不到的地方？（多选）",
        [("药品", True), ("消毒剂", True), ("图画书", False), ("清洁剂", True)],
        "有毒有害物品要上锁存放，也不要用饮料瓶分装。",
    ),
    q(
        "1岁以内婴儿发生气道异物梗阻时，正确的急救方法是：",
        [("5次背部叩击与5次胸部按压交替进行", True), ("倒提双脚拍打", False), ("用手指伸入喉咙掏取", False)],
        "1岁以上的幼儿采用腹部冲击法；盲目用手掏取可能把异物推得更深。",
    ),
]
PRACTICE_CARE = [
    q(
        "婴儿哭闹、大笑时可以继续喂食吗？",
        [("不可以，容易呛咳", True), ("可以，趁机多喂一口", False)],
        "进餐时保持安静，防止呛咳和窒息。",
    ),
    q(
        "换尿布时，保育人员离开尿布台去拿东西的做法是否正确？",
        [("不正确，应一只手始终扶住婴幼儿", True), ("正确，只要很快回来", False)],
    ),
]
GATE_RESPONSIVE = [
    q(
        "“养育照护框架”包括哪些方面？（多选）",
        [("良好的健康", True), ("充足的营养", True), ("回应性照护", True), ("提前识字", False)],
        "五个方面是良好的健康、充足的营养、回应性照护、早期学习机会和安全保障。",
    ),
    q(
        "孩子因为积木倒了而大哭，更恰当的回应是：",
        [
            ("“你很生气，因为积木倒了。”先接纳情绪再帮他平静", True),
            ("“不许哭!”", False),
            ("不理他，让他自己哭完", False),
        ],
    ),
]
GATE_HYGIENE = [
    q("按“七步洗手法”洗手，时间应不少于：", [("15秒", True), ("3秒", False)]),
    q("晨检“一摸二看三问四查”中的“一摸”是指：", [("摸有无发热", True), ("摸口袋里有没有零食", False)]),
]
GATE_AGE = [
    q(
        "按《托育机构设置标准（试行）》，托小班（12～24个月）保育人员与婴幼儿的比例不低于：",
        [("1:5", True), ("1:10", False), ("1:15", False)],
    ),
    q("托育工作的基本原则是：", [("保育为主、保教融合", True), ("以集体教学为主", False)]),
]
PRACTICE_OBSERVATION = [
    q(
        "写轶事记录时，下列哪一句符合“只写事实”？",
        [("午餐时，乐乐用勺子舀起米饭送进嘴里3次。", True), ("乐乐今天很乖，吃饭很棒。", False)],
    ),
]
GATE_BUSINESS = [
    q("托育机构登记后，应向哪一级卫生健康部门备案？", [("县级", True), ("省级", False), ("国家", False)]),
    q(
        "每月固定支出6万元，每个孩子每月收费2500元、变动成本500元，保本需要收托多少名婴幼儿？",
        [("30名", True), ("24名", False), ("20名", False)],
        "60000 ÷ (2500 − 500) = 30。",
    ),
]
GATE_DIRECTOR = [
    q("托育机构的视频监控录像资料至少保存多久？", [("90日", True), ("7日", False), ("30日", False)]),
    q(
        "发生食物中毒等突发事件时，负责人应当：（多选）",
        [("立即组织救治", True), ("按规定时限向主管部门报告", True), ("等事情查清楚再告诉家长", False)],
    ),
]
GATE_HEALTH = [
    q("婴幼儿离开托育机构多长时间以上，返回时应重新进行健康检查？", [("3个月", True), ("1周", False)]),
    q("食品留样每餐每样不少于多少克，冷藏保存多长时间以上？", [("125克，48小时", True), ("50克，12小时", False)]),
]
PRACTICE_NUTRITION = [
    q(
        "下列哪种食物不宜提供给托育机构的婴幼儿？",
        [("整粒坚果", True), ("软烂的面条", False)],
        "整粒坚果、果冻等容易导致窒息。",
    ),
]

# ---- courses ------------------------------------------------------------------------------------
# provider: body code of a demo TrainingProvider; lessons: (title, hours, text, video, gate, practice)
# fmt: on


def lesson(title: str, hours: str, text: str, *, video: bool = False, gate=None, practice=None) -> dict:
    return {"title": title, "hours": hours, "text": text, "video": video, "gate": gate, "practice": practice}


COURSES = [
    {
        "slug": "pre-job-care-safety",
        "provider": "QJPX",
        "kind": "pre_job",
        "occupation": "childcare_worker",
        "level": 5,
        "title": "保育人员岗前培训：生活照料与安全",
        "classroom_hours": "0",
        "summary": "新入职保育人员必修：一日生活照料、婴幼儿伤害预防和职业道德。",
        "lessons": [
            lesson("第一课 婴幼儿生活照料", "2.0", CARE_DAILY, video=True, practice=PRACTICE_CARE),
            lesson("第二课 安全与伤害预防", "2.0", SAFETY, gate=GATE_SAFETY),
            lesson("第三课 职业道德与行为规范", "1.0", ETHICS),
        ],
    },
    {
        "slug": "in-service-2026",
        "provider": "QJPX",
        "kind": "in_service",
        "occupation": "childcare_worker",
        "level": None,
        "title": "2026年度保育人员在职培训：回应性照护与早期学习",
        "classroom_hours": "0",
        "summary": "年度在职培训：回应性照护、早期学习支持、卫生保健与疾病预防。",
        "lessons": [
            lesson("第一课 回应性照护", "1.5", RESPONSIVE, video=True, gate=GATE_RESPONSIVE),
            lesson("第二课 早期学习支持", "1.5", EARLY_LEARNING),
            lesson("第三课 卫生保健与疾病预防", "1.0", HYGIENE, gate=GATE_HYGIENE),
        ],
    },
    {
        "slug": "skill-upgrade-observation",
        "provider": "YNTY",
        "kind": "skill_upgrade",
        "occupation": "infant_carer",
        "level": 3,
        "title": "育婴员技能提升（三级）：观察记录与个别化照护",
        "classroom_hours": "0",
        "summary": "面向四级育婴员：系统观察婴幼儿发展，制定个别化照护计划。",
        "lessons": [
            lesson("第一课 观察与记录的方法", "2.0", OBSERVATION, video=True, practice=PRACTICE_OBSERVATION),
            lesson("第二课 个别化照护", "2.0", INDIVIDUAL),
        ],
    },
    {
        "slug": "transfer-kindergarten",
        "provider": "YNTY",
        "kind": "transfer",
        "occupation": "childcare_worker",
        "level": None,
        "title": "幼儿园教师转岗托育：0～3岁婴幼儿照护",
        "classroom_hours": "0",
        "summary": "从幼儿园转到托育岗位：认识0～3岁婴幼儿，学会安排托育的一日生活。",
        "lessons": [
            lesson("第一课 0～3岁婴幼儿的特点与托育标准", "1.5", AGE_0_3, gate=GATE_AGE),
            lesson("第二课 一日作息与过渡环节", "1.0", ROUTINE),
        ],
    },
    {
        "slug": "entrepreneurship-basics",
        "provider": "YNTY",
        "kind": "entrepreneurship",
        "occupation": "director",
        "level": None,
        "title": "托育机构创业基础",
        "classroom_hours": "0",
        "summary": "想开办托育机构？从登记备案、成本测算到家长服务，一步步算清楚。",
        "lessons": [
            lesson("第一课 登记备案与扶持政策", "1.5", BUSINESS_POLICY),
            lesson("第二课 成本测算与风险", "1.5", BUSINESS_PLAN, video=True, gate=GATE_BUSINESS),
            lesson("第三课 服务设计与家长信任", "1.0", BUSINESS_SERVICE),
        ],
    },
    {
        "slug": "director-duties",
        "provider": "QJPX",
        "kind": "director",
        "occupation": "director",
        "level": None,
        "title": "托育机构负责人岗位培训：管理职责",
        "classroom_hours": "4.0",
        "summary": "负责人必修：管理制度、安全与应急、队伍建设；含4学时线下集中培训。",
        "lessons": [
            lesson("第一课 负责人职责与管理制度", "2.0", DIRECTOR_DUTIES),
            lesson("第二课 安全管理与应急处置", "2.0", DIRECTOR_SAFETY, video=True, gate=GATE_DIRECTOR),
            lesson("第三课 质量自评与队伍建设", "1.0", DIRECTOR_QUALITY),
        ],
    },
    {
        "slug": "health-care-staff",
        "provider": "QJPX",
        "kind": "health_care",
        "occupation": "health_care",
        "level": None,
        "title": "托育机构卫生保健人员培训",
        "classroom_hours": "0",
        "summary": "卫生保健人员上岗培训：健康检查与生长监测、传染病防控与消毒、膳食营养。",
        "lessons": [
            lesson("第一课 健康检查与生长监测", "2.0", HEALTH_CHECKS, video=True),
            lesson("第二课 传染病防控与清洁消毒", "2.0", INFECTION, gate=GATE_HEALTH),
            lesson("第三课 膳食营养与食品安全", "1.0", NUTRITION, practice=PRACTICE_NUTRITION),
        ],
    },
]

# Example yearly requirements (post, kind, hours): DEMO VALUES to show the feature, not a national rule.
EXAMPLE_REQUIREMENTS = [
    ("caregiver", "in_service", "24.0"),
    ("director", "in_service", "24.0"),
    ("health", "health_care", "16.0"),
]
