"""Kitchen display: the open rounds per station with the minutes they wait, their lines by course (held
courses greyed until fired); bump when ready."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import Response

from sce.web.pos import actions
from sce.web.pos.kitchen_board import course_groups, minutes_since
from sce.web.pos.pages import form_change, form_of, need_session, render
from sce.web.pos.security import Session

router = APIRouter(include_in_schema=False)


@router.get("/kitchen")
def kitchen(request: Request) -> Response:
    session = need_session(request)
    if not isinstance(session, Session):
        return session
    rt = request.app.state.runtime
    station = request.query_params.get("station") or None
    names = [str(s.get("name") or s["id"]) for s in rt.kitchen.stations()]
    cards = [
        {
            **vars(card),
            "minutes": minutes_since(card.at),
            "groups": course_groups(card.lines),
        }
        for card in rt.kitchen.board(station)
    ]
    fires = rt.kitchen.fire_notices(station)
    return render(
        request, "kitchen.html", {"stations": names, "station": station, "cards": cards, "fires": fires}
    )


@router.post("/kitchen/bump")
async def bump(request: Request) -> Response:
    form = await form_of(request)
    rt = request.app.state.runtime
    station = str(form.get("station") or "")
    return await run_in_threadpool(
        form_change,
        request,
        form,
        lambda s: actions.bump(rt, s, str(form.get("key", ""))),
        f"/kitchen?station={station}" if station else "/kitchen",
        "/kitchen",
    )
