from django.apps import AppConfig


class BallotsConfig(AppConfig):
    name = "kiemdiem.ballots"
    verbose_name = "Bỏ phiếu kín"
    default_auto_field = "django.db.models.BigAutoField"
