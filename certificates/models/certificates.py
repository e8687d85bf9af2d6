"""Certificate types and issued certificates."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .storage import certificate_storage


class Kind(models.IntegerChoices):
    """The kinds of certificate; the values are ``payload.Kind`` (they are signed into every payload)."""

    TRAINING = 1, _("Training certificate (培训合格证书)")
    SKILL = 2, _("Skill level certificate (职业技能等级证书)")
    AWARD = 3, _("Competition award certificate (竞赛获奖证书)")

    @property
    def code(self) -> str:
        """The snapshot's ``kind`` ("training", "skill", "award")."""
        return self.name.lower()


class CertificateType(models.Model):
    """A kind of certificate with its number sequence, validity rule and PDF layout (data, edited by admins).

    Seeded by a migration with one type per kind. Validity rules:

    * ``none`` — never expires (skill level certificates in China do not expire; award certificates);
    * ``years`` — expires ``validity_years`` after the issue date;
    * ``in_service_hours`` — valid while the holder keeps up the annual in-service training: expires on
      31 March of the year after the last year covered (issue year first), and is renewed once the holder's
      in-service hours for the next year meet the requirement of their post (``services.certificate_renew``).
    """

    class Validity(models.TextChoices):
        NONE = "none", _("Does not expire")
        YEARS = "years", _("A fixed number of years")
        IN_SERVICE_HOURS = "in_service_hours", _("While the annual in-service hours are met")

    class Layout(models.TextChoices):
        TRAINING = "training", _("Training certificate")
        SKILL = "skill", _("Skill level certificate")
        AWARD = "award", _("Award certificate")

    code = models.SlugField(_("code"), max_length=30, unique=True)
    kind = models.PositiveSmallIntegerField(_("kind"), choices=Kind.choices)
    name = models.CharField(_("name"), max_length=60, help_text=_("Printed as the title of the certificate."))
    number_prefix = models.CharField(
        _("number prefix"),
        max_length=2,
        blank=True,
        help_text=_(
            "Two capital letters that start training and award certificate numbers (e.g. PX, HJ). Skill level "
            "certificate numbers start with Y or S by the national rule."
        ),
    )
    validity = models.CharField(_("validity"), max_length=20, choices=Validity.choices, default=Validity.NONE)
    validity_years = models.PositiveSmallIntegerField(_("years of validity"), null=True, blank=True)
    layout = models.CharField(_("PDF layout"), max_length=20, choices=Layout.choices, default=Layout.TRAINING)
    active = models.BooleanField(_("active"), default=True, help_text=_("Inactive types issue no new certificates."))

    class Meta:
        verbose_name = _("certificate type")
        verbose_name_plural = _("certificate types")
        ordering = ["kind", "code"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(validity="years") | Q(validity_years__isnull=False, validity_years__gte=1),
                name="certificatetype_years_given",
                violation_error_message=_("Give the number of years a certificate is valid."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.kind != Kind.SKILL and not (len(self.number_prefix) == 2 and self.number_prefix.isalnum()):
            raise ValidationError({"number_prefix": _("Give two capital letters or digits.")})
        if self.number_prefix and self.number_prefix != self.number_prefix.upper():
            raise ValidationError({"number_prefix": _("Use capital letters.")})

    @property
    def kind_code(self) -> str:
        return Kind(self.kind).code


class Certificate(models.Model):
    """A signed certificate: one per holder, type and achievement (the idempotency guarantee).

    ``snapshot`` freezes what the certificate certifies at issue time (holder, masked ID, occupation, level,
    course, hours, issuer, dates) and ``digest`` is its hash signed into ``payload``: later edits of the
    person or the course change nothing here. ``expires_on`` is the *current* expiry (renewal extends it;
    the snapshot keeps the expiry as issued). Written only by ``certificates.services``.
    """

    wagtail_reference_index_ignore = True  # high-volume rows nobody looks up as a page's "usage"

    class Status(models.TextChoices):
        VALID = "valid", _("Valid")
        SUSPENDED = "suspended", _("Suspended")
        REVOKED = "revoked", _("Revoked")

    class Reason(models.TextChoices):
        BAN = "ban", _("Lifetime ban (终身禁入)")
        FRAUD = "fraud", _("Fraud")
        ERROR = "error", _("Issued in error")

    type = models.ForeignKey(
        CertificateType, verbose_name=_("certificate type"), on_delete=models.PROTECT, related_name="certificates"
    )
    holder = models.ForeignKey(
        "registry.Person", verbose_name=_("holder"), on_delete=models.PROTECT, related_name="certificates"
    )
    achievement_key = models.CharField(
        _("achievement"), max_length=80, help_text=_("What was achieved, e.g. completion:<id>.")
    )
    provider = models.ForeignKey(
        "registry.TrainingProvider",
        verbose_name=_("issuing provider"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="certificates",
    )
    # copied from the snapshot for queries (prerequisites, reports)
    occupation = models.CharField(_("occupation"), max_length=20, blank=True, editable=False)
    level = models.PositiveSmallIntegerField(_("level"), default=0, editable=False)
    number = models.CharField(_("certificate number"), max_length=24, unique=True)
    status_index = models.PositiveBigIntegerField(_("status list index"), unique=True)
    signing_key = models.ForeignKey(
        "certificates.SigningKey", verbose_name=_("signing key"), on_delete=models.PROTECT, related_name="certificates"
    )
    snapshot = models.JSONField(_("snapshot"), editable=False)
    digest = models.CharField(_("snapshot digest"), max_length=32, editable=False)
    payload = models.TextField(_("signed payload"), editable=False)
    issued_on = models.DateField(_("issued on"))
    expires_on = models.DateField(_("expires on"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.VALID)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revocation_reason = models.CharField(_("revocation reason"), max_length=10, choices=Reason.choices, blank=True)
    revocation_note = models.CharField(_("revocation note"), max_length=300, blank=True)
    suspended_at = models.DateTimeField(_("suspended at"), null=True, blank=True)
    suspension_reason = models.CharField(_("suspension reason"), max_length=10, choices=Reason.choices, blank=True)
    suspension_note = models.CharField(_("suspension note"), max_length=300, blank=True)
    renewed_at = models.DateTimeField(_("renewed at"), null=True, blank=True)
    photo = models.FileField(
        _("photo"), storage=certificate_storage, upload_to="photos/", blank=True, editable=False, max_length=200
    )
    pdf = models.FileField(
        _("PDF"), storage=certificate_storage, upload_to="pdf/", blank=True, editable=False, max_length=200
    )
    pdf_sha256 = models.CharField(_("PDF SHA-256"), max_length=64, blank=True, editable=False)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("issued by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")
        ordering = ["-issued_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["holder", "type", "achievement_key"], name="certificate_one_per_achievement"
            ),
            models.CheckConstraint(
                condition=~Q(status="revoked") | (Q(revoked_at__isnull=False) & ~Q(revocation_reason="")),
                name="certificate_revoked_has_reason",
            ),
            models.CheckConstraint(
                condition=~Q(status="suspended") | Q(suspended_at__isnull=False),
                name="certificate_suspended_has_date",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "expires_on"], name="certificate_status_expiry"),
            models.Index(fields=["achievement_key"], name="certificate_achievement"),
        ]

    def __str__(self) -> str:
        return f"{self.number} · {self.snapshot.get('holder_name', '')}"

    @property
    def kind(self) -> Kind:
        return Kind(self.type.kind)
