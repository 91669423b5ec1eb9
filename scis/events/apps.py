from django.apps import AppConfig


class EventsConfig(AppConfig):
    name = "scis.events"
    label = "events"
    verbose_name = "Events"
