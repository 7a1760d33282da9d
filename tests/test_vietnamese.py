"""Vietnamese done right (issue 2 §3; design.md principle 8): name order and document dates."""

from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from kiemdiem.vn import long_date, name_sort_key, sort_by_name, split_name


def _order(names: list[str]) -> list[str]:
    return sort_by_name(names, lambda n: n)


def test_given_name_first_then_middle_then_family() -> None:
    """People are ordered by given name, then middle names, then family name."""
    names = ["Trần Văn Bình", "Nguyễn Văn An", "Lê Thị An", "Nguyễn Thị An", "Đỗ An"]
    assert _order(names) == [
        "Đỗ An",
        "Lê Thị An",
        "Nguyễn Thị An",
        "Nguyễn Văn An",
        "Trần Văn Bình",
    ]


def test_letters_with_marks_follow_their_base_letter() -> None:
    """Dictionary order: a < ă < â < b, d < đ < e, o < ô < ơ, u < ư (not code-point order)."""
    names = ["Lê Đông", "Lê Dung", "Lê Ấn", "Lê Ăn", "Lê An", "Lê Bắc", "Lê Ơn", "Lê Ôn", "Lê Oanh"]
    assert _order(names) == [
        "Lê An", "Lê Ăn", "Lê Ấn", "Lê Bắc", "Lê Dung", "Lê Đông", "Lê Oanh", "Lê Ôn", "Lê Ơn",
    ]  # fmt: skip
    assert _order(["Trần Ưng", "Trần Út", "Trần Uyên"]) == ["Trần Út", "Trần Uyên", "Trần Ưng"]


def test_tones_break_ties_in_dictionary_order() -> None:
    """Same letters: no tone, huyền, hỏi, ngã, sắc, nặng."""
    names = ["Vũ Ạnh", "Vũ Ánh", "Vũ Ãnh", "Vũ Ảnh", "Vũ Ành", "Vũ Anh"]
    assert _order(names) == ["Vũ Anh", "Vũ Ành", "Vũ Ảnh", "Vũ Ãnh", "Vũ Ánh", "Vũ Ạnh"]


def test_base_letters_outrank_tones() -> None:
    """A tone never outweighs a later letter: Án < Anh (the n-h letters decide first)."""
    assert _order(["Hồ Anh", "Hồ Án"]) == ["Hồ Án", "Hồ Anh"]


def test_initial_consonant_clusters_follow_their_letter() -> None:
    """Dictionaries list c before ch, g before gi, n before ng before nh, t before th before tr."""
    assert _order(["Lý Chung", "Lý Cúc", "Lý Cường"]) == ["Lý Cúc", "Lý Cường", "Lý Chung"]
    assert _order(["Lý Giang", "Lý Gấm"]) == ["Lý Gấm", "Lý Giang"]
    assert _order(["Lý Nhung", "Lý Ngọc", "Lý Nam"]) == ["Lý Nam", "Lý Ngọc", "Lý Nhung"]
    assert _order(["Lý Trang", "Lý Thu", "Lý Tâm"]) == ["Lý Tâm", "Lý Thu", "Lý Trang"]


def test_case_and_unicode_form_do_not_matter() -> None:
    """Upper case and decomposed input (as some spreadsheets save it) sort the same."""
    import unicodedata

    name = "Nguyễn Thị Ánh"
    assert name_sort_key(name.upper()) == name_sort_key(name)
    assert name_sort_key(unicodedata.normalize("NFD", name)) == name_sort_key(name)


def test_split_name() -> None:
    assert split_name("Nguyễn Thị Minh Khai") == ("Nguyễn", "Thị Minh", "Khai")
    assert split_name("  Lê   Lợi ") == ("Lê", "", "Lợi")


@given(st.lists(st.text(alphabet="aăâbcdđeêghiklmnoôơpqrstuưvxyÁÀẢÃẠáàảãạ ", max_size=20)))
def test_sort_key_is_digits_only_and_order_free(names: list[str]) -> None:
    """Keys hold digits only, so every database collation orders them alike; the order of
    people does not depend on the order they came in."""
    keys = [name_sort_key(n) for n in names]
    assert all(k.isdigit() for k in keys)
    shuffled = list(reversed(names))
    assert [name_sort_key(n) for n in _order(shuffled)] == sorted(keys)


def test_document_dates() -> None:
    """Documents write 'ngày 20 tháng 11 năm 2023'; days < 10 and months 1–2 take a zero."""
    assert long_date(dt.date(2023, 11, 20)) == "ngày 20 tháng 11 năm 2023"
    assert long_date(dt.date(2024, 2, 5)) == "ngày 05 tháng 02 năm 2024"
    assert long_date(dt.date(2024, 7, 9)) == "ngày 09 tháng 7 năm 2024"
