"""The `kiemdiem` command.

Rule-engine commands (`classify`, `profiles`) run without Django so they start fast and work on
files alone; everything else is a Django management command (`migrate`, `demo`,
`import-members`, `runserver`, ...).
"""

from __future__ import annotations

import os
import sys

PURE_COMMANDS = {"classify", "profiles"}


def main(argv: list[str] | None = None) -> None:
    args = list(sys.argv[1:] if argv is None else argv)
    if args and args[0] in PURE_COMMANDS:
        from kiemdiem.batch import main as batch_main

        sys.exit(batch_main(args))
    if args and not args[0].startswith("-"):
        # Django command names never hold a dash: `import-members` is `import_members`.
        args[0] = args[0].replace("-", "_")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kiemdiem.config.settings")
    from django.conf import settings
    from django.core.exceptions import ImproperlyConfigured
    from django.core.management import execute_from_command_line

    try:
        # Load the settings here, so a wrong environment reads as one line, not a traceback.
        settings.DATABASES  # noqa: B018
    except ImproperlyConfigured as error:
        print(f"Lỗi cấu hình: {error}", file=sys.stderr)
        sys.exit(2)

    execute_from_command_line(["kiemdiem", *args])


if __name__ == "__main__":
    main()
