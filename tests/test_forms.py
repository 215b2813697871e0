"""Document forms met in real government texts beyond the development set, each written
as a small document in the form (not copied from any one file), with the lists the
annotation rules give."""

from __future__ import annotations

from govkg.loaders import extract_text
from govkg.loaders.readers import text_of


def _roles(doc) -> list[tuple[str, list[str], list[str], list[str]]]:  # noqa: ANN001
    return [(t.text[:6], t.lead, t.assist, t.responsible) for t in doc.tasks]


def _plain(text: str):  # noqa: ANN202
    return extract_text("form.txt", text_of("form.txt", text.encode("utf-8")))


def test_plain_text_with_html_tags_and_character_references_left_in() -> None:
    doc = _plain(
        "<p>1.&nbsp;推进重点项目建设。牵头单位:&nbsp;市发改委;配合单位:市财政局、市住建局。</p>\n"
        "<p>2.&nbsp;加强耕地保护。责任单位:市自然资源局</p>\n"
        "<p>3.&nbsp;打好污染防治攻坚战。牵头单位:市生态环境局&nbsp;&nbsp;配合单位:市水利局</p>\n"
    )
    assert _roles(doc) == [
        ("推进重点项目", ["市发改委"], ["市财政局", "市住建局"], []),
        ("加强耕地保护", [], [], ["市自然资源局"]),
        ("打好污染防治", ["市生态环境局"], ["市水利局"], []),
    ]


def test_plain_text_keeps_angle_brackets_that_are_not_markup() -> None:
    doc = _plain("1.PM2.5浓度<35微克/立方米,优良天数>300天。(责任单位:市生态环境局)\n")
    assert doc.tasks[0].text.startswith("PM2.5浓度<35微克")
    assert doc.tasks[0].responsible == ["市生态环境局"]
