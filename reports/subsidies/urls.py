"""Subsidy claims on the front site (caregivers' own 技能提升补贴 claims, the public 公示 list)."""

urlpatterns: list = []
