from django.urls import path

from . import views

urlpatterns = [
    path("id/<int:page_id>/event.ics", views.event_ics, name="event_ics"),
    path("calendar/upcoming.ics", views.upcoming_ics, name="upcoming_calendar"),
]
