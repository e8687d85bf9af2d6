"""The payment list of a batch as XLSX: approved (and paid) claims with the full ID number and bank account.

For HR officers whose region covers the batch and platform admins only (the file carries full personal and bank
data); every export is audited. Provider batches are paid to the provider's account, a caregiver's own claim to
their social-security card account.
"""

from __future__ import annotations

import io
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from lms.registry import audit

from .. import reasons, selectors
from ..models import Claim, ClaimBatch, PayeeAccount

EXPORTABLE = (ClaimBatch.Status.SUBMITTED, ClaimBatch.Status.PUBLICITY, ClaimBatch.Status.PAID)
AMOUNT_FORMAT = "#,##0.00"


def exportable(batch: ClaimBatch) -> bool:
    """Every claim decided, and some approved or paid."""
    claims = batch.claims.all()
    return (
        batch.status in EXPORTABLE
        and not claims.filter(status=Claim.Status.SUBMITTED).exists()
        and claims.filter(status__in=(Claim.Status.APPROVED, Claim.Status.PAID)).exists()
    )


def _payee(batch: ClaimBatch, claim: Claim) -> PayeeAccount | None:
    owner = {"provider_id": batch.provider_id} if batch.provider_id else {"person_id": claim.person_id}
    return PayeeAccount.objects.filter(**owner).first()


def _columns() -> list[tuple[str, int]]:
    return [
        (_("No."), 6),
        (_("Name"), 12),
        (_("ID number"), 22),
        (_("Occupation"), 24),
        (_("Level"), 26),
        (_("Certificate number"), 26),
        (_("Subsidy type"), 30),
        (_("Amount (yuan)"), 14),
        (_("Account holder"), 28),
        (_("Bank"), 28),
        (_("Account number"), 26),
    ]


def payment_xlsx(*, batch: ClaimBatch, actor=None) -> bytes:
    if actor is not None and not selectors.batches_reviewable_by(actor).filter(pk=batch.pk).exists():
        raise PermissionDenied(_("You may not export this batch's payment list."))
    if not exportable(batch):
        raise ValidationError(_("The payment list is ready once every claim is decided and at least one approved."))
    claims = list(
        batch.claims.filter(status__in=(Claim.Status.APPROVED, Claim.Status.PAID))
        .select_related("person", "certificate")
        .order_by("pk")
    )
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = (_("Payment list") + f" {batch.pk}")[:31]
    columns = _columns()
    sheet.append([str(title) for title, _width in columns])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for index, (_title, width) in enumerate(columns, start=1):
        sheet.column_dimensions[sheet.cell(row=1, column=index).column_letter].width = width
    sheet.freeze_panes = "A2"
    total = Decimal("0")
    for number, claim in enumerate(claims, start=1):
        payee = _payee(batch, claim)
        sheet.append(
            [
                number,
                claim.person.name,
                claim.person.id_number,
                reasons.occupation_label(claim.occupation),
                reasons.level_label(claim.level),
                claim.certificate.number,
                str(claim.get_subsidy_type_display()),
                claim.amount,
                payee.account_name if payee else "",
                payee.bank_name if payee else "",
                payee.number if payee else "",
            ]
        )
        sheet.cell(row=sheet.max_row, column=8).number_format = AMOUNT_FORMAT
        sheet.cell(row=sheet.max_row, column=11).number_format = "@"
        total += claim.amount
    sheet.append(["", str(_("Total amount")), "", "", "", "", "", total])
    sheet.cell(row=sheet.max_row, column=8).number_format = AMOUNT_FORMAT
    for cell in sheet[sheet.max_row]:
        cell.font = Font(bold=True)
    out = io.BytesIO()
    workbook.save(out)
    audit.record(batch, "subsidies.batch.export", actor=actor, claims=len(claims), total=str(total))
    return out.getvalue()
