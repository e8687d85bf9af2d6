"""Classroom check-in pages (rotating QR codes), mounted at /learn/class/."""

from django.urls import path

from .views import classroom

urlpatterns = [
    path("<int:pk>/qr/", classroom.qr_page, name="class_qr"),
    path("<int:pk>/qr.svg", classroom.qr_svg, name="class_qr_svg"),
    path("<int:pk>/<str:kind>/<str:token>/", classroom.checkin_page, name="class_checkin"),
]
