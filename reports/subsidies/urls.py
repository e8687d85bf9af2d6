"""Subsidy claims on the front site (caregivers' own 技能提升补贴 claims, the public 公示 list)."""

from django.urls import path

from .views import front

app_name = "subsidies"

urlpatterns = [
    path("", front.my_claims, name="my_claims"),
    path("notice/", front.public_notice, name="notice"),
]
