from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "kiemdiem.web"
    label = "web"
    verbose_name = "Giao diện"

    def ready(self) -> None:
        # The start-up refusal on a demo or short SECRET_KEY (issue 13 §3).
        from kiemdiem.config import safety  # noqa: F401
