"""Hostile inputs through ``govkg extract``: exit code, time, peak memory, error line.

Writes the cases of issue 12 (zip bomb, style cycle, gridSpan 2e9, stream bomb, 1 GB
sparse file, super-linear texts, wrong encodings …) to a temp folder and runs ``python -m
api.cli extract FILE`` on each, in a new session capped at 4 GB of address space and 75 s.
Peak memory is the largest VmHWM of any process in the run's tree (sampled every 20 ms).
Each time is printed with its ratio to the run on a small ordinary document (the baseline,
measured in the same run). ``--root DIR`` runs another checkout of govkg (e.g. an older
commit unpacked with ``git archive``) for a before/after table.

    python bench/hostile_bench.py                     # this checkout
    python bench/hostile_bench.py --root /tmp/old-govkg --only stylecycle.docx
"""

from __future__ import annotations

import argparse
import contextlib
import os
import resource
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from tests import hostile as h  # noqa: E402

CAP = 4 << 30
LIMIT = 75.0


def cases(folder: Path) -> list[Path]:
    """The issue's hostile files, written to ``folder`` (the first is the ordinary baseline)."""
    w = h.W_NS
    return [
        h.write(folder, "ordinary.txt", "一、重点工作\n1、推进园区建设。(责任单位:市发改委)\n".encode()),
        h.grid_span(folder), h.style_cycle(folder), h.bad_numbering(folder), h.vmerge_first_row(folder),
        h.write(folder, "gridspan_abc.docx", h.docx_bytes(
            lambda x: x.replace("<w:tcPr>", '<w:tcPr><w:gridSpan w:val="abc"/>', 1))),
        h.write(folder, "keyerror1.txt", "一、重点工作\n1、新建学校3所、医院2家。(责任单位:市教育局)\n".encode()),
        h.write(folder, "keyerror2.txt", "一、重点工作\n1、粮食产量50万吨以上、蔬菜产量20万吨。\n".encode()),
        h.write(folder, "nested1500.html", ("<html><body>" + "<div>" * 1500 + h.TASK + "</div>" * 1500).encode()),
        h.docx_xml(folder, "empty_xml.docx", ""),
        h.docx_xml(folder, "unclosed_xml.docx", f'<w:document xmlns:w="{w}"><w:body>'),
        h.docx_xml(folder, "deep_xml.docx", h.deep_xml(300)),
        h.docx_xml(folder, "laughs.docx", h.billion_laughs()),
        h.docx_xml(folder, "bigtext.docx", f'<w:document xmlns:w="{w}"><w:body><w:p><w:r><w:t>'
                   f'{"政" * 3_500_001}</w:t></w:r></w:p></w:body></w:document>'),
        h.write(folder, "review93k.txt", ("回顾\n" * 13300).encode()),
        h.write(folder, "counted47k.txt", ("一、重点工作\n建设" + "1个甲" * 6700).encode()),
        h.write(folder, "longline480k.txt", ("一、重点工作\n1、" + "推进园区建设，加快产业转型升级。" * 10000).encode()),
        h.write(folder, "clauses785k.txt", ("一、重点工作\n1、" + "一是推进建设(牵头单位:市发改委)" * 17400).encode()),
        h.write(folder, "nested88k.html", ("<html><body>" + "<div>" * 8000 + h.TASK + "</div>" * 8000).encode()),
        h.write(folder, "ordinary10m.txt", ("".join(f"{i % 900 + 1}、{h.TASK}\n" for i in range(150_000))).encode()),
        h.zip_bomb(folder, 4096), h.pdf_stream_bomb(folder, 1024), h.sparse_file(folder),
        h.write(folder, "big5.txt", "一、重點工作\n1、推進園區建設。(責任單位:市發改委)\n".encode("big5") * 20),
        h.write(folder, "utf16le_nobom.txt", "一、重点工作\n1、推进园区建设。(责任单位:市发改委)\n".encode("utf-16-le") * 20),
        h.write(folder, "wrongcharset.html", ('<meta charset="utf-8"><p>一、重點工作</p>'
                                              "<p>1、推進園區建設。(責任單位:市發改委)</p>").encode("big5")),
        h.deep_html(folder, 100_000),
    ]


def _tree(pid: int) -> list[int]:
    children: dict[int, list[int]] = {}
    for d in os.listdir("/proc"):
        if d.isdigit():
            try:
                with open(f"/proc/{d}/stat") as f:
                    ppid = int(f.read().rsplit(")", 1)[1].split()[1])
            except OSError:
                continue
            children.setdefault(ppid, []).append(int(d))
    out, stack = [], [pid]
    while stack:
        p = stack.pop()
        out.append(p)
        stack.extend(children.get(p, []))
    return out


def _hwm_mb(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) // 1024
    except OSError:
        pass
    return 0


def _capped() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (CAP, CAP))
    os.setsid()


def run(root: Path, path: Path) -> tuple[str, float, int, int, str]:
    """(exit code or 'killed', seconds, peak MB, documents printed, last stderr line)."""
    env = dict(os.environ, PYTHONPATH=str(root))
    start = time.monotonic()
    proc = subprocess.Popen([sys.executable, "-m", "govkg.api.cli", "extract", str(path)], cwd=root, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, preexec_fn=_capped)
    outs: dict[str, bytes] = {}
    readers = [threading.Thread(target=lambda n=n, s=s: outs.__setitem__(n, s.read()))
               for n, s in (("out", proc.stdout), ("err", proc.stderr))]
    for t in readers:
        t.start()
    peak, killed = 0, False
    while proc.poll() is None:
        peak = max([peak, *(_hwm_mb(p) for p in _tree(proc.pid))])
        if time.monotonic() - start > LIMIT:
            os.killpg(proc.pid, 9)
            killed = True
            proc.wait()
            break
        time.sleep(0.02)
    for t in readers:
        t.join()
    with contextlib.suppress(OSError):
        os.killpg(proc.pid, 9)  # workers left behind, if any
    seconds = time.monotonic() - start
    errors = [line for line in outs["err"].decode(errors="replace").splitlines() if line.strip()]
    code = f"killed@{LIMIT:g}s" if killed else str(proc.returncode)
    return code, seconds, peak, outs["out"].count(b"\n"), errors[-1] if errors else ""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--root", type=Path, default=REPO, help="govkg checkout to run (default: this one)")
    parser.add_argument("--only", nargs="*", help="case file names to run")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="govkg-hostile-") as tmp:
        files = cases(Path(tmp))
        baseline = None
        print(f"{'case':<20} {'exit':>10} {'seconds':>8} {'ratio':>7} {'peak MB':>8} {'docs':>5}  error")
        for path in files:
            if args.only and path.name not in args.only and baseline is not None:
                continue
            code, seconds, peak, docs, error = run(args.root, path)
            baseline = baseline or seconds
            print(f"{path.name:<20} {code:>10} {seconds:8.1f} {seconds / baseline:6.1f}x {peak:8d} {docs:5d}  "
                  f"{error[:120]}", flush=True)


if __name__ == "__main__":
    main()
