"""Write examples/<profile>.xlsx from examples/<profile>.json: the same cell as a workbook
(`kiemdiem classify` reads either). Run: .venv/bin/python examples/make_xlsx.py [ID ...]"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from kiemdiem.batch_input import input_to_xlsx

HERE = Path(__file__).parent


def main(ids: list[str]) -> None:
    for profile_id in ids or ["thanhlien-2023"]:
        data = json.loads((HERE / f"{profile_id}.json").read_text(encoding="utf-8"))
        target = HERE / f"{profile_id}.xlsx"
        target.write_bytes(input_to_xlsx(data))
        print(target)


if __name__ == "__main__":
    main(sys.argv[1:])
