"""Server hardening: who may write (Host, Origin, GOVKG_TOKEN), body limits, upload names,
hostile uploads answered with a 4xx naming the file, one error schema, temp files cleaned."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from govkg.api.app import UPLOADS, create_app
from govkg.api.security import Policy, rewrite_filename_star, safe_filename
from govkg.loaders.limits import Limits
from tests import hostile as h
from tests.support import stored

GOOD = "一、重点工作\n1、推进园区建设。(责任单位:市发改委)\n2、新建基站。(牵头单位:市工信局)\n".encode()
LOCAL = "http://127.0.0.1"


@pytest.fixture
def graph_file(sample_documents, tmp_path: Path) -> Path:
    return stored(sample_documents, tmp_path / "data")


def _client(graph_file: Path, policy: Policy | None = None, limits: Limits | None = None, base: str = LOCAL):
    return TestClient(create_app(graph_file, policy, limits), base_url=base)


def _upload(client: TestClient, name: str, data: bytes, **headers: str):
    return client.post("/api/documents", files={"file": (name, data)}, headers=headers)


def test_loopback_upload_is_accepted(graph_file: Path) -> None:
    r = _upload(_client(graph_file), "good.txt", GOOD)
    assert r.status_code == 201, r.text
    assert r.json()["source"] == "good.txt"


@pytest.mark.parametrize("base", ["http://evil.example", "http://127.0.0.1.evil.example:8000"])
def test_foreign_host_cannot_write(graph_file: Path, base: str) -> None:
    client = _client(graph_file, base=base)
    r = _upload(client, "good.txt", GOOD)
    assert r.status_code == 403 and "not allowed" in r.json()["detail"]
    assert client.get("/api/reports").status_code == 200  # reading is not refused


@pytest.mark.parametrize("origin", ["http://evil.example", "null", "file://", "http://localhost.evil.example"])
def test_cross_site_origin_cannot_write(graph_file: Path, origin: str) -> None:
    r = _upload(_client(graph_file), "good.txt", GOOD, origin=origin)
    assert r.status_code == 403 and "cross-site" in r.json()["detail"]


def test_same_origin_can_write(graph_file: Path) -> None:
    r = _upload(_client(graph_file), "good.txt", GOOD, origin="http://localhost:8000")
    assert r.status_code == 201


def test_allowed_hosts_are_configurable(graph_file: Path) -> None:
    policy = Policy.from_env("127.0.0.1", {"GOVKG_ALLOWED_HOSTS": "kg.example.org"})
    client = _client(graph_file, policy, base="https://kg.example.org")
    assert _upload(client, "good.txt", GOOD, origin="https://kg.example.org").status_code == 201


def test_token_is_required_when_set(graph_file: Path) -> None:
    policy = Policy.from_env("0.0.0.0", {"GOVKG_TOKEN": "s3cret", "GOVKG_ALLOWED_HOSTS": "kg.example.org"})
    client = _client(graph_file, policy, base="http://kg.example.org")
    assert _upload(client, "good.txt", GOOD).status_code == 401
    assert _upload(client, "good.txt", GOOD, authorization="Bearer wrong").status_code == 401
    assert _upload(client, "good.txt", GOOD, authorization="Bearer s3cret").status_code == 201


def test_beyond_loopback_without_token_refuses_writes(graph_file: Path) -> None:
    policy = Policy.from_env("0.0.0.0", {})
    r = _upload(_client(graph_file, policy), "good.txt", GOOD)
    assert r.status_code == 403 and "GOVKG_TOKEN" in r.json()["detail"]


def test_body_over_the_limit_is_413(graph_file: Path) -> None:
    limits = Limits(max_file_bytes=100_000)
    client = _client(graph_file, Policy.from_env("127.0.0.1", {}, max_file_bytes=100_000), limits)
    r = _upload(client, "big.txt", GOOD * 2000)
    assert r.status_code == 413 and "too large" in r.json()["detail"]


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("../../etc/passwd.txt", "passwd.txt"),
        ("..", "upload.txt"),
        ("a\x00b.txt", "a b.txt"),
        ("line\nbreak.txt", "line break.txt"),
        ("C:\\Users\\x\\报告.docx", "报告.docx"),
        ("关于" + "印发重点工作责任分解" * 12 + ".docx", None),
    ],
)
def test_safe_filename(given: str, expected: str | None) -> None:
    name = safe_filename(given)
    assert "/" not in name and "\\" not in name and name not in (".", "..")
    assert all(c.isprintable() for c in name) and len(name.encode()) <= 255
    if expected is not None:
        assert name == expected
    else:
        assert name.endswith(".docx") and name.startswith("关于印发")


@pytest.mark.parametrize("name", ["..", "a\x00b.txt", "bad\nname.txt", "关于" + "印发重点工作责任分解" * 12 + ".txt"])
def test_hostile_upload_names_are_stored_sanitised(graph_file: Path, name: str) -> None:
    r = _upload(_client(graph_file), name, GOOD)
    assert r.status_code == 201, r.text
    source = r.json()["source"]
    assert "\n" not in source and "\x00" not in source and len(source.encode()) <= 255


def test_rfc5987_filename_is_accepted(graph_file: Path) -> None:
    body = (
        b"--XX\r\nContent-Disposition: form-data; name=\"file\"; filename*=UTF-8''%E9%80%9A%E7%9F%A5.txt\r\n"
        b"Content-Type: text/plain\r\n\r\n" + GOOD + b"\r\n--XX--\r\n"
    )
    r = _client(graph_file).post(
        "/api/documents", content=body, headers={"content-type": "multipart/form-data; boundary=XX"}
    )
    assert r.status_code == 201, r.text
    assert r.json()["source"] == "通知.txt"


def test_filename_star_wins_over_plain_filename() -> None:
    head = b"Content-Disposition: form-data; name=\"file\"; filename=\"a.txt\"; filename*=UTF-8''%E9%80%9A.txt"
    assert rewrite_filename_star(head) == 'Content-Disposition: form-data; name="file"; filename="通.txt"'.encode()


HOSTILE_UPLOADS = [
    ("zip bomb", lambda d: h.zip_bomb(d, 100), 422, "inflates beyond"),
    ("grid span", h.grid_span, 201, ""),
    ("style cycle", h.style_cycle, 201, ""),
    ("billion laughs", lambda d: h.docx_xml(d, "laughs.docx", h.billion_laughs()), 422, "not well-formed"),
    ("stream bomb", lambda d: h.pdf_stream_bomb(d, 100), 422, "inflate beyond"),
    ("deep html", lambda d: h.deep_html(d, 20_000), 201, ""),
    ("parser crash", lambda d: h.write(d, "crash.txt", "一、重点工作\n1、新建学校3所、医院2家。\n".encode()), None, ""),
]


@pytest.mark.parametrize(("case", "make", "status", "reason"), HOSTILE_UPLOADS, ids=[c[0] for c in HOSTILE_UPLOADS])
def test_hostile_upload_answers_4xx_naming_the_file(graph_file: Path, tmp_path: Path, case, make, status, reason) -> None:
    path = make(tmp_path)
    r = _upload(_client(graph_file, limits=Limits(max_inflated_bytes=64 << 20)), path.name, path.read_bytes())
    if status is None:  # a parser bug: a 422 naming the file, or (once fixed) a normal answer
        assert r.status_code in (200, 201, 422), r.text
    else:
        assert r.status_code == status, r.text
    if r.status_code >= 400:
        detail = r.json()["detail"]
        assert detail.startswith(path.name + ":") and reason in detail and "\n" not in detail


def test_slow_upload_is_cut_by_the_time_budget(graph_file: Path) -> None:
    client = _client(graph_file, limits=Limits(parse_seconds=1))
    r = _upload(client, "slow.txt", ("回顾\n" * 200_000).encode())
    assert r.status_code == 422 and "longer than 1 s" in r.json()["detail"]


def test_validation_errors_use_the_one_error_schema(graph_file: Path) -> None:
    client = _client(graph_file)
    for r in (client.get("/api/tasks?limit=0"), client.post("/api/documents")):
        assert r.status_code == 422
        body = r.json()
        assert isinstance(body["detail"], str) and body["detail"] and isinstance(body["errors"], list)
    spec = client.get("/openapi.json").json()
    upload = spec["paths"]["/api/documents"]["post"]["responses"]
    for code in ("401", "403", "413", "422"):
        assert upload[code]["content"]["application/json"]["schema"]["$ref"].endswith("/Problem")
    assert "HTTPValidationError" not in spec["components"]["schemas"]


def test_upload_temp_folder_is_emptied_at_start_up(graph_file: Path) -> None:
    left = graph_file.parent / UPLOADS / "upload-killed"
    left.mkdir(parents=True)
    (left / "document.docx").write_bytes(b"x" * 1000)
    client = _client(graph_file)
    assert not left.exists()
    _upload(client, "good.txt", GOOD)
    _upload(client, "bad.docx", b"PK not a zip")
    assert list((graph_file.parent / UPLOADS).iterdir()) == []


def test_server_answers_reads_while_slow_uploads_parse(graph_file: Path) -> None:
    import threading

    client = _client(graph_file, limits=Limits(parse_seconds=2, workers=1))
    slow = ("回顾\n" * 200_000).encode()
    answers: list[int] = []
    uploads = [
        threading.Thread(target=lambda: answers.append(_upload(client, "slow.txt", slow).status_code))
        for _ in range(3)
    ]
    for t in uploads:
        t.start()
    reads = [client.get("/api/reports").status_code for _ in range(5)]
    busy = any(t.is_alive() for t in uploads)
    for t in uploads:
        t.join(60)
    assert reads == [200] * 5 and busy  # reads were answered while the uploads were parsing
    assert answers == [422, 422, 422]
