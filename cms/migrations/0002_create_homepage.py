from django.db import migrations

HOME_TITLE = "托育从业人员培训与持证平台"
HOME_INTRO = "<p>在线学习、考试认定、证书核验与持证上岗统计,一个平台完成。</p>"


def create_homepage(apps, schema_editor):
    ContentType = apps.get_model("contenttypes.ContentType")
    Page = apps.get_model("wagtailcore.Page")
    Site = apps.get_model("wagtailcore.Site")
    HomePage = apps.get_model("cms.HomePage")
    Locale = apps.get_model("wagtailcore.Locale")

    # Replace Wagtail's placeholder "Welcome" page.
    Page.objects.filter(depth=2, slug="home").delete()
    content_type, _ = ContentType.objects.get_or_create(model="homepage", app_label="cms")
    locale = Locale.objects.first()
    home = HomePage.objects.create(
        title=HOME_TITLE,
        draft_title=HOME_TITLE,
        slug="home",
        content_type=content_type,
        path="00010001",
        depth=2,
        numchild=0,
        url_path="/home/",
        intro=HOME_INTRO,
        locale=locale,
    )
    Site.objects.update_or_create(hostname="localhost", defaults={"root_page": home, "is_default_site": True})
    Site.objects.exclude(pk=Site.objects.get(hostname="localhost").pk).delete()


def remove_homepage(apps, schema_editor):
    apps.get_model("cms.HomePage").objects.filter(slug="home", depth=2).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("cms", "0001_initial"),
        ("wagtailcore", "0094_alter_page_locale"),
    ]

    operations = [migrations.RunPython(create_homepage, remove_homepage)]
