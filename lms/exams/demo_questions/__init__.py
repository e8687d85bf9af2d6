"""Demo theory questions (理论知识考试题) for the skill-level exams, in Chinese, as Python data.

One module per occupation, following the knowledge areas of the national occupational standards:

* :mod:`.childcare_worker` — 保育师 (2021): 职业道德、基础知识、生活照料、安全健康管理、早期学习支持、
  合作共育、培训与指导;
* :mod:`.infant_carer` — 育婴员 (2019): 职业道德、基础知识、生活照料、保健与护理、早期教育 (``early_learning``)、
  培训与指导.

Each question is a dict (see :mod:`._make`): ``external_id`` (stable: ``BY-0001`` for 保育师, ``YY-0001`` for 育婴员,
numbered by knowledge area in blocks of 100), ``type``, ``stem`` (a ``____`` per blank), ``options``, ``answer``,
``reference_answer`` (short answers: the marking guide), ``explanation``, ``knowledge_area`` (a code of migration
``exams.0002``), ``difficulty`` 1-3 and ``level`` (``None`` for every level, else 5, 4 or 3).

The content follows the national standards and guidance (托育机构设置标准/管理规范/保育指导大纲（试行）, 0～5岁儿童
睡眠卫生指南, 婴幼儿喂养指南, 托儿所幼儿园卫生保健工作规范…). It is demo material, not an official item bank.
"""

from lms.learning.choices import Occupation

from .childcare_worker import QUESTIONS as CHILDCARE_WORKER
from .infant_carer import QUESTIONS as INFANT_CARER

QUESTIONS_BY_OCCUPATION: dict[str, list[dict]] = {
    Occupation.CHILDCARE_WORKER: CHILDCARE_WORKER,
    Occupation.INFANT_CARER: INFANT_CARER,
}
