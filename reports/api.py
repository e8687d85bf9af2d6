"""The bureau JSON API (DRF): the same tables as the dashboards and exports, for bureau systems to pull.

Authentication: ``Authorization: Token <key>`` (``rest_framework.authtoken``; officers browsing from the admin
use their session). Only health and HR officers (over their regions) and platform admins may read; a region
outside the caller's scope answers 403. One endpoint per indicator, plus the regions the caller may report on
and target progress. The OpenAPI document is at ``/reports/api/v1/schema/``.
"""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from lms.registry.models import Region

from . import exports
from .selectors import statistics
from .selectors.scope import LEVEL_NAME


class CanReport(BasePermission):
    message = _("Only health and HR officers and platform administrators may read statistics.")

    def has_permission(self, request, view) -> bool:
        return statistics.can_report(request.user)


class TableQuery(serializers.Serializer):
    region = serializers.CharField(help_text="Division code (GB/T 2260), e.g. 530300.")
    by = serializers.ChoiceField(
        choices=statistics.LEVELS,
        required=False,
        help_text="Row level: province, city, county, township or institution (default: one level down).",
    )
    year = serializers.IntegerField(required=False, min_value=2000, max_value=2100, help_text="Default: this year.")
    on = serializers.DateField(
        required=False, help_text="Report date (ISO). Default: 31 December of the year, or today if earlier."
    )


class ColumnOut(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()


class TableOut(serializers.Serializer):
    indicator = serializers.CharField()
    title = serializers.CharField()
    unit = serializers.CharField()
    value_key = serializers.CharField(help_text="The column holding the indicator's main figure.")
    columns = ColumnOut(many=True)
    rows = serializers.ListField(
        child=serializers.DictField(), help_text="One object per row: column key -> value (null when undefined)."
    )
    target = serializers.CharField(allow_null=True, help_text="The region's target for the year (decimal).")
    targets = serializers.DictField(child=serializers.CharField(), help_text="Target per measure ('' = main).")
    meta = serializers.DictField()


class RegionOut(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    level = serializers.CharField()
    parent = serializers.CharField(allow_null=True)


class ProgressQuery(serializers.Serializer):
    region = serializers.CharField()
    indicator = serializers.ChoiceField(choices=list(statistics.INDICATORS))
    year = serializers.IntegerField(min_value=2000, max_value=2100)
    measure = serializers.CharField(
        required=False, allow_blank=True, default="", help_text="The target's figure ('' = the main one)."
    )
    on = serializers.DateField(required=False, help_text="Report date (ISO). Default as for the indicators.")


class ProgressOut(serializers.Serializer):
    region = serializers.CharField()
    name = serializers.CharField()
    actual = serializers.FloatField(allow_null=True)
    target = serializers.CharField(allow_null=True)
    target_date = serializers.DateField(allow_null=True)
    projected = serializers.FloatField(allow_null=True)
    will_miss = serializers.BooleanField()


def _query(serializer_class, request):
    query = serializer_class(data=request.query_params)
    query.is_valid(raise_exception=True)
    return query.validated_data


def _region(code: str) -> Region:
    return get_object_or_404(Region, code=code)


class StatisticsView(APIView):
    permission_classes = [IsAuthenticated, CanReport]


class IndicatorView(StatisticsView):
    indicator = ""

    def get(self, request):
        params = _query(TableQuery, request)
        region = _region(params["region"])
        by = params.get("by") or LEVEL_NAME.get(region.level + 1, "institution")
        year = params.get("year") or (params["on"].year if params.get("on") else timezone.localdate().year)
        try:
            table = statistics.indicator_table(
                request.user, self.indicator, region=region, by=by, year=year, on=params.get("on")
            )
        except ValueError as exc:
            raise ValidationError({"by": [str(exc)]}) from None
        return Response(exports.to_json(table))


def indicator_view(code: str):
    """The endpoint of one indicator (its own OpenAPI operation)."""
    spec = statistics.INDICATORS[code]

    @extend_schema(
        operation_id=f"indicator_{code}",
        summary=str(spec.label),
        parameters=[TableQuery],
        responses=TableOut,
        tags=["indicators"],
    )
    def get(self, request):
        return IndicatorView.get(self, request)

    name = f"{code.title().replace('_', '')}View"
    return type(name, (IndicatorView,), {"indicator": code, "get": get}).as_view()


class RegionsView(StatisticsView):
    @extend_schema(operation_id="regions", responses=RegionOut(many=True), tags=["regions"])
    def get(self, request):
        regions = statistics.regions_for(request.user).select_related("parent").order_by("code")
        return Response(
            [
                {
                    "code": r.code,
                    "name": r.name,
                    "level": LEVEL_NAME[r.level],
                    "parent": r.parent.code if r.parent else None,
                }
                for r in regions
            ]
        )


class ProgressView(StatisticsView):
    @extend_schema(
        operation_id="target_progress",
        parameters=[ProgressQuery],
        responses=ProgressOut(many=True),
        tags=["targets"],
    )
    def get(self, request):
        params = _query(ProgressQuery, request)
        rows = statistics.target_progress(
            request.user,
            region=_region(params["region"]),
            indicator=params["indicator"],
            year=params["year"],
            measure=params["measure"],
            on=params.get("on"),
        )
        return Response(
            [
                {
                    "region": row.region.code,
                    "name": row.region.name,
                    "actual": row.actual,
                    "target": None if row.target is None else str(row.target),
                    "target_date": row.target_date,
                    "projected": row.projected,
                    "will_miss": row.will_miss,
                }
                for row in rows
            ]
        )
