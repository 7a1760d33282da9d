from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "kiemdiem.accounts"
    label = "accounts"
    verbose_name = "Tài khoản và phân quyền"

    def ready(self) -> None:
        from axes.signals import user_locked_out

        from kiemdiem.accounts.throttle import audit_lockout

        user_locked_out.connect(audit_lockout, dispatch_uid="kiemdiem-audit-lockout")
