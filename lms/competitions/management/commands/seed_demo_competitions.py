"""``manage.py seed_demo_competitions``: a finished competition with published results and an in-progress one."""

from lms.exams.demo_sittings import DEFAULT_PASSWORD
from lms.registry.management.demo_command import DemoSeedCommand

from ...demo import seed_competition_demo
from ...demo_reset import reset_competitions


class Command(DemoSeedCommand):
    help = (
        "Load the competitions demo through the real services, on top of the registry demo (run seed_demo first): "
        "2026年曲靖市托育服务职业技能竞赛, finished, with published results, prizes, organization awards, upgrade "
        "recommendations and award certificates; 2026年云南省托育职业技能大赛（曲靖选拔赛）, under way on --as-of, "
        "theory scored and the practical half marked (judge1 has contestants to mark). Idempotent: a competition "
        "that exists is left as it is."
    )
    data, demo = "competitions data", "competitions demo"
    reset_help = (
        "Delete ALL competitions data first, then seed (run seed_demo_certificates --clear before it: the "
        "award certificates of the deleted entries would stay)."
    )
    clear_help = "Only delete all competitions data."
    as_of_help = "The in-progress competition's day (YYYY-MM-DD)."
    default_password = DEFAULT_PASSWORD

    def reset(self):
        return reset_competitions()

    def seed(self, **kwargs):
        return seed_competition_demo(**kwargs)

    def hint(self, password):
        return (
            "Log in as judge1 and open /competitions/judge/ to mark the contestants still waiting (judge1 is the "
            "chief judge: the chief's overview shows every judge's totals and can reopen a sheet); watch "
            "/competitions/ for the live scoreboard and the published results; hr (or admin) runs both "
            "competitions from the admin's Competitions menu, institution registers its staff; winner finds the "
            f"award certificate at /certificates/my/ (password {password} for new accounts)."
        )
