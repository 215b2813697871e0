"""``GET /api/tasks/{task_id}/source``: a task's source text, for the page's task panel.

The passage of the stored report text around the task (``govkg.queries.source``), with the
clause that names its units and every unit with its role and the rules that found it.
"""

from __future__ import annotations

from fastapi import APIRouter, HTTPException

from govkg.api import models as m
from govkg.api.deps import Index, State
from govkg.queries.source import task_source


def router() -> APIRouter:
    """The source-text endpoint under ``/api``."""
    api = APIRouter(prefix="/api", responses={code: {"model": m.Problem} for code in (404, 422)})  # type: ignore[misc]

    @api.get("/tasks/{task_id}/source", response_model=m.TaskSource, tags=["tasks"])
    def task_source_text(
        index: Index,
        state: State,
        task_id: str,
    ) -> m.TaskSource:
        """The task, the passage of its report around it (segments: in the task or not, in a clause
        naming units or not, the unit printed there and its role), the clause ranges, and its units
        with role, basis and evidence. ``text_stored`` is false for a report stored before the
        store kept texts (``govkg build --fresh`` stores it again); its excerpts are then empty."""
        if task_id not in index.tasks:
            raise HTTPException(404, f"no task {task_id!r}")
        info = index.tasks[task_id]
        text = state.text(info.report)
        report = index.reports.get(info.report, {})
        task = m.Task.model_validate(info)
        if text is None:
            return m.TaskSource(task=task, source=report.get("source"), text_stored=False, excerpts=[], clauses=[])
        found = task_source(text, info)
        return m.TaskSource(
            task=task,
            source=report.get("source"),
            excerpts=[
                m.ExcerptOut(start=e.start, end=e.end, segments=m.SegmentOut.each(e.segments)) for e in found.excerpts
            ],
            clauses=[list(c) for c in found.clauses],
        )

    return api
