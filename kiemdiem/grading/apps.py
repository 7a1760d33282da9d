from django.apps import AppConfig


class GradingConfig(AppConfig):
    name = "kiemdiem.grading"
    label = "grading"
    verbose_name = "Đề xuất, quyết định xếp loại và hạn mức"

    def ready(self) -> None:
        from django.apps import apps

        if apps.is_installed("kiemdiem.ballots"):
            from kiemdiem.grading.ballot_source import BallotSource
            from kiemdiem.grading.tallies import register

            register(BallotSource)
