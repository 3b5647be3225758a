"""The web desk: a FastAPI app over the story store (API + pages).

Pages are Jinja2 templates (``templates/``, autoescaped) with one local
stylesheet and no script; the story page reuses the HTML report's blocks.
Every response carries a Content-Security-Policy without inline script, and
request bodies over 10 MB are refused with 413 before they are read whole.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import Body, FastAPI, HTTPException, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from pydantic import BaseModel, ConfigDict, Field, StrictStr

from newsdigest.apps.web.desk import Desk, documents_from_objects
from newsdigest.errors import NewsdigestError

MAX_BODY_BYTES = 10 * 1024 * 1024
HERE = Path(__file__).parent

# Pages: no script at all. /docs: Swagger UI's own files, served from here.
PAGE_CSP = (
    "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; "
    "base-uri 'none'; frame-ancestors 'none'"
)
DOCS_CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; base-uri 'none'; frame-ancestors 'none'"
)


class ArticleIn(BaseModel):
    """One article to add: ``text``, or ``html`` to extract as the HTML reader does."""

    model_config = ConfigDict(extra="ignore")
    id: StrictStr | None = None
    title: StrictStr | None = None
    source: StrictStr | None = None
    url: StrictStr | None = None
    date: StrictStr | None = None
    text: StrictStr | None = None
    html: StrictStr | None = None


class FeedIn(BaseModel):
    url: StrictStr = Field(description="An RSS/Atom feed (http or https).")


class BodyLimit:
    """ASGI middleware: 413 for a body over ``limit`` bytes, by header or by counting."""

    def __init__(self, app, limit: int = MAX_BODY_BYTES) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        headers = dict(scope.get("headers") or [])
        declared = headers.get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.limit:
            return await _too_large(send)
        seen = 0

        async def counted_receive():
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.limit:
                    raise _BodyTooLarge
            return message

        try:
            await self.app(scope, counted_receive, send)
        except _BodyTooLarge:
            await _too_large(send)


class _BodyTooLarge(Exception):
    pass


async def _too_large(send) -> None:
    body = json.dumps({"detail": f"request body over {MAX_BODY_BYTES // (1024 * 1024)} MB"}).encode()
    await send({"type": "http.response.start", "status": 413,
                "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body})


def create_app(desk: Desk) -> FastAPI:
    """The desk's web app; ``desk`` holds the store and the background digester."""
    app = FastAPI(
        title="newsdigest desk",
        summary="Stories from many outlets, each with a cited digest and a cross-source analysis.",
        docs_url=None,
        redoc_url=None,
    )
    app.state.desk = desk
    templates = Jinja2Templates(directory=str(HERE / "templates"))

    @app.get("/static/report.css", include_in_schema=False)
    def report_stylesheet() -> Response:
        from newsdigest.render.analysis_html import stylesheet

        return Response(stylesheet(), media_type="text/css")

    app.mount("/static", StaticFiles(directory=str(HERE / "static")), name="static")
    app.add_middleware(BodyLimit)

    @app.middleware("http")
    async def security_headers(request: Request, call_next):
        response = await call_next(request)
        docs = request.url.path == "/docs" or request.url.path.startswith("/static/swagger")
        response.headers["Content-Security-Policy"] = DOCS_CSP if docs else PAGE_CSP
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "no-referrer"
        return response

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, exc: RequestValidationError):
        messages = []
        for error in exc.errors():
            where = ".".join(str(p) for p in error.get("loc", ()) if p != "body") or "body"
            messages.append(f"{where}: {error.get('msg', 'invalid')}")
        return JSONResponse({"detail": "; ".join(messages) or "invalid request"}, status_code=422)

    # --- API ---------------------------------------------------------------------------

    @app.get("/healthz", tags=["service"])
    def healthz() -> dict:
        return {"status": "ok", **desk.counts()}

    @app.post("/api/articles", status_code=201, tags=["articles"])
    def post_articles(articles: Annotated[ArticleIn | list[ArticleIn], Body()]) -> dict:
        """Add one article or a list; each joins a story (its digest is rewritten in the background)."""
        items = articles if isinstance(articles, list) else [articles]
        documents, problems = documents_from_objects(a.model_dump(exclude_none=True) for a in items)
        assigned = desk.add_documents(documents) if documents else []
        return {
            "articles": [{"id": a, "story": s} for a, s in assigned],
            "problems": [p.to_dict() for p in problems],
        }

    @app.post("/api/feeds", status_code=201, tags=["feeds"])
    def post_feed(feed: FeedIn) -> dict:
        """Fetch a feed now and keep polling it."""
        try:
            assigned, problems = desk.add_feed(feed.url)
        except NewsdigestError as exc:
            raise HTTPException(status_code=400, detail=str(exc)) from None
        if problems and not assigned and any(p.fatal for p in problems):
            raise HTTPException(status_code=400, detail="; ".join(p.message for p in problems))
        return {
            "feed": feed.url,
            "articles": [{"id": a, "story": s} for a, s in assigned],
            "problems": [p.to_dict() for p in problems],
        }

    @app.get("/api/stories", tags=["stories"])
    def list_stories(
        limit: Annotated[int, Query(ge=1, le=1000)] = 50,
        offset: Annotated[int, Query(ge=0)] = 0,
        q: Annotated[str | None, Query(max_length=500, description="Full-text search (SQLite FTS5).")] = None,
        since: Annotated[dt.date | None, Query(description="Only stories with an article on or after this date.")] = None,
        order: Annotated[str, Query(pattern="^(covered|newest)$")] = "covered",
    ) -> dict:
        """Stories, most covered first (distinct outlets, then recency), or newest first."""
        try:
            stories = desk.stories(limit=limit, offset=offset, q=q, since=since, order=order)
        except NewsdigestError as exc:
            raise HTTPException(status_code=422, detail=str(exc)) from None
        return {"stories": [story_summary(s) for s in stories], "limit": limit, "offset": offset}

    @app.get("/api/stories/{story_id}", tags=["stories"])
    def get_story(story_id: str) -> dict:
        story = _story_or_404(desk, story_id)
        digest = desk.digest(story_id)
        out = story_summary(story)
        out["digest"] = _without_analysis(digest)
        out["digest_pending"] = desk.is_pending(story_id)
        return out

    @app.get("/api/stories/{story_id}/analysis", tags=["stories"])
    def get_analysis(story_id: str) -> dict:
        _story_or_404(desk, story_id)
        digest = desk.digest(story_id) or {}
        analysis = digest.get("analysis")
        if analysis is None:
            raise HTTPException(status_code=404, detail="no analysis yet for this story")
        return analysis

    @app.get("/api/articles/{article_id:path}", tags=["articles"])
    def get_article(article_id: str) -> dict:
        found = desk.article(article_id)
        if found is None:
            raise HTTPException(status_code=404, detail=f"no article {article_id!r}")
        document, story_id = found
        return {**document.to_dict(), "story": story_id}

    # --- pages -------------------------------------------------------------------------

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    def index(
        request: Request,
        q: Annotated[str | None, Query(max_length=500)] = None,
        order: Annotated[str, Query(pattern="^(covered|newest)$")] = "covered",
        offset: Annotated[int, Query(ge=0)] = 0,
    ):
        page = 50
        try:
            stories = desk.stories(limit=page + 1, offset=offset, q=q or None, order=order)
        except NewsdigestError:
            stories = []
        rows = []
        for s in stories[:page]:
            row = story_summary(s)
            row["lead"] = desk.digest_lead(s.id) or ""
            row["digest_pending"] = desk.is_pending(s.id)
            rows.append(row)
        base = {k: v for k, v in (("q", q), ("order", order)) if v}
        return templates.TemplateResponse(
            request,
            "index.html",
            {
                "stories": rows,
                "q": q,
                "order": order,
                "offset": offset,
                "more": len(stories) > page,
                "prev_query": urlencode({**base, "offset": max(0, offset - page)}),
                "next_query": urlencode({**base, "offset": offset + page}),
            },
        )

    @app.get("/stories/{story_id}", response_class=HTMLResponse, include_in_schema=False)
    def story_page(request: Request, story_id: str):
        story = _story_or_404(desk, story_id)
        digest = desk.digest(story_id) or {}
        return templates.TemplateResponse(
            request,
            "story.html",
            {
                "story": story_summary(story),
                "pending": desk.is_pending(story_id),
                "report": desk.report_html(story_id),
                "error": digest.get("error"),
            },
        )

    @app.get("/articles/{article_id:path}", response_class=HTMLResponse, include_in_schema=False)
    def article_page(request: Request, article_id: str):
        found = desk.article(article_id)
        if found is None:
            raise HTTPException(status_code=404, detail=f"no article {article_id!r}")
        document, story_id = found
        used = _used_spans(desk.digest(story_id) if story_id else None, document.id)
        return templates.TemplateResponse(
            request,
            "article.html",
            {
                "article": document.to_dict(),
                "story_id": story_id,
                "paragraphs": marked_paragraphs(document.text, used),
                "used": len(used),
            },
        )

    @app.get("/docs", response_class=HTMLResponse, include_in_schema=False)
    def swagger_ui_html(request: Request):
        return templates.TemplateResponse(request, "docs.html", {"openapi_url": app.openapi_url})

    swagger = _swagger_ui_path()
    if swagger is not None:
        app.mount("/static/swagger", StaticFiles(directory=str(swagger)), name="swagger")
    return app


def _swagger_ui_path() -> Path | None:
    try:
        import swagger_ui_bundle
    except ImportError:
        return None
    return Path(str(swagger_ui_bundle.swagger_ui_path))


def _story_or_404(desk: Desk, story_id: str):
    story = desk.story(story_id)
    if story is None:
        raise HTTPException(status_code=404, detail=f"no story {story_id!r}")
    return story


def _without_analysis(digest: dict | None) -> dict | None:
    if digest is None:
        return None
    return {k: v for k, v in digest.items() if k != "analysis"}


def story_summary(story) -> dict[str, Any]:
    """A story as the API lists it: ids, title, outlets, dates, its articles."""
    return {
        "id": story.id,
        "title": story.title,
        "sources": story.sources,
        "start": story.start.isoformat() if story.start else None,
        "end": story.end.isoformat() if story.end else None,
        "updated": story.end.isoformat() if story.end else None,
        "articles": [
            {"id": a.id, "source": a.source, "title": a.title, "date": a.date.isoformat() if a.date else None}
            for a in story.articles
        ],
    }


def _used_spans(digest: dict | None, document_id: str) -> list[tuple[int, int]]:
    """Character spans of this article's sentences that the digest uses (as origin or support)."""
    spans = set()
    for s in (digest or {}).get("sentences") or []:
        for ref in (s, *s.get("support", ())):
            if ref.get("document") == document_id:
                spans.add((ref["start"], ref["end"]))
    return sorted(spans)


def marked_paragraphs(text: str, used: list[tuple[int, int]]) -> list[list[dict]]:
    """The article as paragraphs of pieces, each piece marked when a digest uses it."""
    paragraphs: list[list[dict]] = []
    position = 0
    for line in text.split("\n"):
        start, end = position, position + len(line)
        position = end + 1
        if not line.strip():
            continue
        pieces, cursor = [], start
        for a, b in used:
            a, b = max(a, start), min(b, end)
            if a >= b:
                continue
            if a > cursor:
                pieces.append({"text": text[cursor:a], "used": False})
            pieces.append({"text": text[a:b], "used": True})
            cursor = b
        if cursor < end:
            pieces.append({"text": text[cursor:end], "used": False})
        paragraphs.append(pieces)
    return paragraphs
