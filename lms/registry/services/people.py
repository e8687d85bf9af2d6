"""People, employments and health checks."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import audit, crypto
from ..masking import mask_id_number, mask_name, mask_phone
from ..models import Employment, HealthCheck, Institution, Person, Post
from ..validators import IdNumber, parse_id_number, validate_phone


def _parse_id(id_number: str) -> IdNumber:
    try:
        return parse_id_number(id_number)
    except ValueError as exc:
        raise ValidationError({"id_number": str(exc)}) from None


def _clean_phone(phone: str) -> str:
    if not phone:
        return ""
    try:
        return validate_phone(phone)
    except ValueError as exc:
        raise ValidationError({"phone": str(exc)}) from None


def id_fields(ident: IdNumber, *, id_hash: str | None = None) -> dict:
    """The stored fields for an ID number: encrypted, hashed, masked, and what it encodes."""
    return {
        "id_number_encrypted": crypto.encrypt(ident.value),
        "id_number_hash": id_hash or crypto.lookup_hash(ident.value),
        "id_number_masked": mask_id_number(ident.value),
        "birth_date": ident.birth_date,
        "gender": ident.gender,
    }


def phone_fields(phone: str) -> dict:
    return {
        "phone_encrypted": crypto.encrypt(phone) if phone else "",
        "phone_masked": mask_phone(phone) if phone else "",
    }


def _name_mismatch(person: Person, name: str) -> ValidationError:
    return ValidationError(
        {
            "name": _("This ID number is registered as “%(registered)s”, not “%(given)s”.")
            % {"registered": mask_name(person.name), "given": name}
        }
    )


@transaction.atomic
def person_register(*, name: str, id_number: str, phone: str = "", photo=None, actor=None) -> Person:
    """Register a new person; refuses an ID number that is already registered."""
    ident = _parse_id(id_number)
    name = name.strip()
    if not name:
        raise ValidationError({"name": _("The name is empty.")})
    phone = _clean_phone(phone)
    if Person.objects.filter(id_number_hash=crypto.lookup_hash(ident.value)).exists():
        raise ValidationError({"id_number": _("A person with this ID number is already registered.")})
    try:
        with transaction.atomic():
            person = Person.objects.create(name=name, photo=photo or "", **id_fields(ident), **phone_fields(phone))
    except IntegrityError:
        raise ValidationError({"id_number": _("A person with this ID number is already registered.")}) from None
    audit.record(person, "registry.person.register", actor=actor)
    return person


UNCHANGED = object()


@transaction.atomic
def person_update(
    *,
    person: Person,
    name: str | None = None,
    id_number: str | None = None,
    phone: str | None = None,
    photo=UNCHANGED,
    actor=None,
) -> Person:
    """Correct a person's name, ID number or phone (each None = leave as is); set or clear (falsy) the photo."""
    changed: list[str] = []
    if photo is not UNCHANGED:
        person.photo = photo or ""
        changed.append("photo")
    if name is not None and name.strip() and name.strip() != person.name:
        person.name = name.strip()
        changed.append("name")
    if id_number:
        ident = _parse_id(id_number)
        new_hash = crypto.lookup_hash(ident.value)
        if new_hash != person.id_number_hash:
            if Person.objects.filter(id_number_hash=new_hash).exclude(pk=person.pk).exists():
                raise ValidationError({"id_number": _("A person with this ID number is already registered.")})
            for key, value in id_fields(ident, id_hash=new_hash).items():
                setattr(person, key, value)
            changed.append("id_number")
    if phone is not None:
        phone = _clean_phone(phone)
        if phone != person.phone:
            for key, value in phone_fields(phone).items():
                setattr(person, key, value)
            changed.append("phone")
    if changed:
        person.save()
        audit.record(person, "registry.person.update", actor=actor, fields=changed)
    return person


def _check_post(post: str) -> None:
    if post not in Post.values:
        raise ValidationError({"post": _("Choose one of the posts in the list.")})


@transaction.atomic
def person_link_user(*, person: Person, user, actor=None) -> Person:
    """Give a person their own login (the caregiver role): they then see their record on the site."""
    if person.user_id == user.pk:
        return person
    if Person.objects.filter(user=user).exclude(pk=person.pk).exists():
        raise ValidationError({"user": _("This account already belongs to another person.")})
    person.user = user
    person.save(update_fields=["user", "updated_at"])
    audit.record(person, "registry.person.link_user", actor=actor, username=user.get_username())
    return person


def _check_dates(start_date: date, end_date: date | None) -> None:
    if end_date and end_date < start_date:
        raise ValidationError({"end_date": _("The end date is before the start date.")})


@transaction.atomic
def employment_register(
    *,
    institution: Institution,
    name: str,
    id_number: str,
    post: str,
    start_date: date,
    end_date: date | None = None,
    phone: str = "",
    actor=None,
) -> tuple[Employment, bool]:
    """Add a staff member to an institution, registering the person if new.

    Idempotent: the same person, post and start date at the same institution is the same
    employment (its end date is updated). Returns (employment, created).
    """
    ident = _parse_id(id_number)
    _check_post(post)
    _check_dates(start_date, end_date)
    person = Person.objects.select_for_update().filter(id_number_hash=crypto.lookup_hash(ident.value)).first()
    if person is None:
        person = person_register(name=name, id_number=ident.value, phone=phone, actor=actor)
    elif person.name != name.strip():
        raise _name_mismatch(person, name.strip())
    elif phone:
        person_update(person=person, phone=phone, actor=actor)
    employment, created = Employment.objects.get_or_create(
        person=person, institution=institution, post=post, start_date=start_date, defaults={"end_date": end_date}
    )
    if created:
        audit.record(employment, "registry.employment.register", actor=actor)
    elif employment.end_date != end_date:
        employment.end_date = end_date
        employment.save(update_fields=["end_date", "updated_at"])
        audit.record(employment, "registry.employment.update", actor=actor, end_date=str(end_date or ""))
    return employment, created


@transaction.atomic
def employment_update(
    *, employment: Employment, post: str, start_date: date, end_date: date | None, actor=None
) -> Employment:
    _check_post(post)
    _check_dates(start_date, end_date)
    employment.post, employment.start_date, employment.end_date = post, start_date, end_date
    try:
        with transaction.atomic():
            employment.save()
    except IntegrityError:
        raise ValidationError(_("This person already has this post from this date.")) from None
    audit.record(employment, "registry.employment.update", actor=actor)
    return employment


@transaction.atomic
def health_check_record(
    *, person: Person, checked_on: date, certificate_number: str = "", issued_by: str = "", actor=None
) -> tuple[HealthCheck, bool]:
    """Record a health certificate; the same person and date is the same record (idempotent)."""
    if checked_on > timezone.localdate():
        raise ValidationError({"checked_on": _("The examination date is in the future.")})
    check, created = HealthCheck.objects.get_or_create(
        person=person,
        checked_on=checked_on,
        defaults={"certificate_number": certificate_number, "issued_by": issued_by},
    )
    if created:
        audit.record(check, "registry.health_check.record", actor=actor)
    elif (check.certificate_number, check.issued_by) != (certificate_number, issued_by):
        check.certificate_number, check.issued_by = certificate_number, issued_by
        check.save(update_fields=["certificate_number", "issued_by"])
        audit.record(check, "registry.health_check.record", actor=actor)
    return check, created
