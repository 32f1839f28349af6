from django.apps import AppConfig


class DeskConfig(AppConfig):
    name = "childfirst.desk"
    label = "desk"

    def ready(self):
        from childfirst.desk import permissions  # noqa: F401
        from childfirst.desk.services.queue import (
            clock_breached_receiver,
            mentions_moved_receiver,
            notices_screened_receiver,
        )
        from childfirst.people.signals import mentions_moved
        from childfirst.screening.signals import notices_screened
        from childfirst.timescales.signals import clock_breached

        notices_screened.connect(notices_screened_receiver, dispatch_uid="desk.queue_notices")
        clock_breached.connect(clock_breached_receiver, dispatch_uid="desk.clock_breached")
        mentions_moved.connect(mentions_moved_receiver, dispatch_uid="desk.child_follows_merge")
