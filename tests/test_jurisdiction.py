"""Jurisdiction against the division table: found from the text, given by the user, scored on ../shared/dev."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from govkg.loaders import Level, extract_text, load_document
from govkg.loaders.divisions import by_name, chain, division, mentions
from govkg.loaders.metadata import UnknownJurisdiction, resolve_jurisdiction
from tests.conftest import SAMPLES
from tests.test_cli import govkg

TASK = "一、重点工作\n1、推进项目建设。(责任单位:区发改局、区财政局)\n2、抓好安全生产。(责任单位:区应急局)\n"


def test_table_has_codes_and_chains():
    d = division("420204")
    assert d is not None and d.name == "下陆区" and d.level == "district"
    assert [x.code for x in chain(d)] == ["420000", "420200", "420204"]
    assert len(by_name("鼓楼区")) >= 4  # namesakes in several cities
    assert [n for _, n in mentions("长沙市区域建设")] == ["长沙市"]  # not 沙市区


def test_user_given_jurisdiction_resolves():
    place = resolve_jurisdiction("黄石市下陆区")
    assert (place.name, place.code, place.chain, place.level) == (
        "下陆区", "420204", ("湖北省", "黄石市", "下陆区"), Level.DISTRICT
    )  # fmt: skip
    assert resolve_jurisdiction("南京市鼓楼区").code == "320106"
    assert resolve_jurisdiction("国务院").level is Level.NATIONAL
    with pytest.raises(UnknownJurisdiction, match="ambiguous: .*南京市鼓楼区.*福州市鼓楼区"):
        resolve_jurisdiction("鼓楼区")
    with pytest.raises(UnknownJurisdiction, match="did you mean .*下陆区"):
        resolve_jurisdiction("下路区")


def test_found_from_header_paragraphs_and_body():
    # a Word notice whose header names the district only in running text
    doc = extract_text("a.txt", "各有关单位:\n现将黄石市下陆区2023年重点工作分解如下。\n" + TASK)
    assert (doc.metadata.jurisdiction, doc.metadata.division_code) == ("下陆区", "420204")
    assert doc.metadata.division_chain == ("湖北省", "黄石市", "下陆区")
    # the 文号 names it by its short name
    doc = extract_text("b.txt", "关于印发重点工作的通知\n下陆政办发〔2023〕3号\n" + TASK)
    assert doc.metadata.division_code == "420204"
    # traditional characters
    doc = extract_text("c.txt", "廣州市人民政府關於印發重點工作的通知\n" + TASK)
    assert (doc.metadata.jurisdiction, doc.metadata.level) == ("广州市", Level.CITY)


def test_namesake_is_told_apart_by_its_city():
    body = "鼓楼区人民政府办公室关于印发2023年重点工作的通知\n为落实福州市部署,福州市要求……\n" + TASK
    assert extract_text("a.txt", body).metadata.division_code == "350102"
    alone = extract_text("b.txt", "鼓楼区人民政府办公室关于印发2023年重点工作的通知\n" + TASK).metadata
    assert (alone.jurisdiction, alone.division_code) == ("鼓楼区", None)


def test_unknown_stays_unknown_and_override_wins():
    text = "关于做好重点工作的通知\n" + TASK
    assert extract_text("a.txt", text).metadata.jurisdiction is None
    given = extract_text("a.txt", text, jurisdiction="黄石市下陆区").metadata
    assert (given.jurisdiction, given.division_code) == ("下陆区", "420204")


def test_cli_option_and_unknown_warning(tmp_path: Path):
    sample = SAMPLES / "004_3d56d1888d1ed129.txt"
    built = govkg("build", sample, "--fresh", "--data-dir", tmp_path)
    [line] = [ln for ln in built.stdout.splitlines() if sample.name in ln]  # the build summary names it
    assert built.returncode == 0 and "jurisdiction unknown" in line
    out = govkg("extract", sample, "--jurisdiction", "黄石市下陆区")
    meta = json.loads(out.stdout)["metadata"]
    assert (meta["jurisdiction"], meta["division_code"], meta["division_chain"]) == (
        "下陆区", "420204", ["湖北省", "黄石市", "下陆区"]
    )  # fmt: skip
    bad = govkg("extract", sample, "--jurisdiction", "鼓楼区")
    assert bad.returncode == 1 and bad.stderr.count("\n") == 1 and "南京市鼓楼区" in bad.stderr


def test_upload_with_jurisdiction(tmp_path: Path):
    from fastapi.testclient import TestClient

    from govkg.api.app import create_app
    from tests.support import stored

    path = stored([load_document(SAMPLES / "001_6ae365a741fde3ec.txt")], tmp_path)
    client = TestClient(create_app(path), base_url="http://127.0.0.1")
    data = (SAMPLES / "004_3d56d1888d1ed129.txt").read_bytes()
    bad = client.post("/api/documents", files={"file": ("x.txt", data)}, data={"jurisdiction": "下路区"})
    assert bad.status_code == 422 and "x.txt" in bad.json()["detail"] and "下陆区" in bad.json()["detail"]
    ok = client.post("/api/documents", files={"file": ("x.txt", data)}, data={"jurisdiction": "黄石市下陆区"})
    assert ok.status_code == 201
    reports = {r["source"]: r for r in client.get("/api/reports").json()}
    assert reports["x.txt"]["division_chain"] == ["湖北省", "黄石市", "下陆区"]


def _right(gold: str, meta) -> bool:
    """Gold 达州市大竹县 is matched by a chain ending 达州市, 大竹县; 国务院… by the national level."""
    if gold.startswith("国务院"):
        return meta.level is Level.NATIONAL
    return any("".join(meta.division_chain[k:]) == gold for k in range(len(meta.division_chain)))


def test_dev_documents_against_gold(shared_dir: Path):
    gold = {d["source"]: d["jurisdiction"] for d in json.loads((shared_dir / "dev/gold.json").read_text())["documents"]}
    named = {s: j for s, j in gold.items() if j != "?"}
    right, wrong = [], []
    for source, jurisdiction in sorted(named.items()):
        try:
            meta = load_document(shared_dir / "dev/docs" / source).metadata
        except Exception:  # noqa: BLE001 - a parser failure elsewhere counts as not found
            continue
        (right if _right(jurisdiction, meta) else wrong).append(source)
        if meta.division_chain and not _right(jurisdiction, meta):
            wrong.append(f"{source}: {meta.division_chain}")
    print(f"jurisdiction right on {len(right)} of {len(named)} dev documents")
    assert len(right) >= 32
    assert not [w for w in wrong if ":" in w]  # never a wrong division: unknown rather than wrong
