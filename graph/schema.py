"""Node kinds, edge types and node keys of the govkg property graph.

The embedded graph is a ``networkx.MultiDiGraph``. Every node has the attributes
``kind`` (a ``NodeKind`` value) and ``label`` (a human-readable name); every edge
is stored with ``key`` equal to its ``EdgeType`` value and has the attribute
``type`` with the same value. Attributes are JSON-serialisable scalars or lists.

Node attributes by kind (beyond ``kind`` and ``label``):

- Report:      source, sha256, title, issuer, doc_number, published, jurisdiction,
               level, division_code, division_chain (list, province first), year, task_count
- Section:     report, number, title, level, path (list of str), span
- Task:        report, task_id, number, text, section_path (list), deadline,
               span (list [start, end]), year, jurisdiction
- Target:      report, task (None for a report-level target), text, indicator,
               measure, value, unit, comparator, period, span
- Department:  name (canonical), jurisdiction, aliases (list of printed names)
- Collective:  name, jurisdiction, aliases
- District:    name, jurisdiction (the one it lies in; None if the document's is unknown)
- Jurisdiction: name, level

Edges (source -> target):

- Report  CONTAINS  Section;  Section CONTAINS Section | Task;  Report CONTAINS Task
  (for tasks outside any section)
- Department|Collective  LEADS | ASSISTS  Task, attributes: basis
  (``explicit`` or ``first_listed``), report, span [start, end], printed,
  name (the unit name with its prefix restored, ``UnitMention.name``)
- Task HAS_TARGET Target;  Report HAS_TARGET Target (targets outside any task)
- Task CONCERNS District, attribute basis: ``unit`` (a responsible unit is the
  district's government or office) or ``text`` (the task text names the district)
- Department|Collective|District PART_OF Jurisdiction
- Department MEMBER_OF Collective (where the graph knows it)
- Department SUCCEEDED_BY Department (reform renamings; never merged)

>>> department_key("鄂州市", "发展和改革委员会")
'dept:鄂州市:发展和改革委员会'
"""

from __future__ import annotations

from enum import StrEnum


class NodeKind(StrEnum):
    REPORT = "Report"
    SECTION = "Section"
    TASK = "Task"
    TARGET = "Target"
    DEPARTMENT = "Department"
    COLLECTIVE = "Collective"
    DISTRICT = "District"
    JURISDICTION = "Jurisdiction"


class EdgeType(StrEnum):
    CONTAINS = "CONTAINS"
    LEADS = "LEADS"
    ASSISTS = "ASSISTS"
    HAS_TARGET = "HAS_TARGET"
    CONCERNS = "CONCERNS"
    PART_OF = "PART_OF"
    MEMBER_OF = "MEMBER_OF"
    SUCCEEDED_BY = "SUCCEEDED_BY"


class Basis(StrEnum):
    """Why a unit LEADS or ASSISTS a task."""

    EXPLICIT = "explicit"  # labelled 牵头 / 配合 / 责任 next to a lead
    FIRST_LISTED = "first_listed"  # undifferentiated list: first leads, the rest assist


RESPONSIBILITY_EDGES = (EdgeType.LEADS, EdgeType.ASSISTS)
UNIT_KINDS = (NodeKind.DEPARTMENT, NodeKind.COLLECTIVE)


def report_key(sha256: str) -> str:
    return f"report:{sha256[:16]}"


def section_key(sha256: str, path: tuple[str, ...] | list[str]) -> str:
    return f"section:{sha256[:16]}:{'/'.join(path)}"


def task_key(sha256: str, task_id: str) -> str:
    return f"task:{sha256[:16]}:{task_id}"


def target_key(sha256: str, task_id: str, index: int) -> str:
    return f"target:{sha256[:16]}:{task_id}:{index}"


def unplaced_scope(sha256: str) -> str:
    """Key namespace for the units of a document whose jurisdiction is unknown.

    Two such documents may come from different places, so their units never merge.

    >>> department_key(unplaced_scope("ab12cd34ef"), "商务局")
    'dept:?ab12cd34:商务局'
    """
    return f"?{sha256[:8]}"


def department_key(jurisdiction: str | None, name: str) -> str:
    return f"dept:{jurisdiction or '?'}:{name}"


def collective_key(jurisdiction: str | None, name: str) -> str:
    return f"collective:{jurisdiction or '?'}:{name}"


def district_key(jurisdiction: str | None, name: str) -> str:
    return f"district:{jurisdiction or '?'}:{name}"


def jurisdiction_key(name: str) -> str:
    return f"jurisdiction:{name}"
