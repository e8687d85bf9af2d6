"""``manage.py seed_demo_exams``: demo exam content, a completed sitting with results and an open sitting."""

from lms.registry.management.demo_command import DemoSeedCommand

from ...demo_reset import reset_exams
from ...demo_sittings import DEFAULT_PASSWORD, seed_exam_demo


class Command(DemoSeedCommand):
    help = (
        "Load the exam demo through the real services, on top of the registry demo (run seed_demo first): question "
        "banks, blueprints and rubrics; a completed 保育师 五级 theory sitting (answered, marked, published) with "
        "its practical assessment and published level results (the passed get skill level certificates); an open "
        "online quiz the demo caregiver can take at /exams/. Idempotent: what exists is left as it is."
    )
    data, demo = "exams data", "exam demo"
    reset_help = (
        "Delete ALL exams data first, then seed (run seed_demo_certificates --clear before it: the skill "
        "certificates of the deleted results would stay)."
    )
    clear_help = "Only delete all exams data (banks included)."
    default_password = DEFAULT_PASSWORD

    def reset(self):
        return reset_exams()

    def seed(self, **kwargs):
        return seed_exam_demo(**kwargs)

    def hint(self, password):
        return (
            "Log in as caregiver and open /exams/ to take the open quiz; examinee01..examinee10 see their published "
            "results, examiner1..examiner3 their sessions at /exams/practical/, assessment and marker the Exams menu "
            f"of /admin/ (password {password} for new accounts)."
        )
