from django.apps import AppConfig


class EditorConfig(AppConfig):
    name = "editor"
    verbose_name = "内容编辑"

    def ready(self) -> None:
        from django.core.signals import request_started

        from editor import checks, sync  # noqa: F401  (checks registers the anchor check)

        # Started lazily, in the process that serves (gunicorn forks after loading the app, and
        # a thread does not survive a fork).
        request_started.connect(sync.start_poller, dispatch_uid="editor-poller")
