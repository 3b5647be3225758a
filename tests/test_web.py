"""The web desk: the API with FastAPI's test client, and a real uvicorn server in headless chromium."""

from __future__ import annotations

import html
import json
import re
import socket
import threading
import time
from pathlib import Path

import pytest

fastapi = pytest.importorskip("fastapi", reason="the web desk needs the 'web' extra")
from fastapi.testclient import TestClient  # noqa: E402

from newsdigest.apps.web.app import create_app  # noqa: E402
from newsdigest.apps.web.desk import Desk  # noqa: E402
from newsdigest.ingest import load_documents  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
EXAMPLE = REPO / "examples" / "syria"
PAYLOAD_SCRIPT = "<script>window.__pwned=1</script>"
PAYLOAD_IMG = '<img src=x onerror="window.__pwned=1">'
PAYLOAD_LINK = "[click me](javascript:window.__pwned=1)"


def seed_articles() -> list[dict]:
    documents, problems = load_documents([EXAMPLE])
    assert not [p for p in problems if p.fatal]
    return [
        {"id": d.id, "title": d.title, "source": d.source, "url": d.url,
         "date": d.date.isoformat() if d.date else None, "text": d.text}
        for d in documents
    ]


HOSTILE = {
    "id": "hostile-1",
    "title": f"Breaking {PAYLOAD_IMG}",
    "source": f"Evil Outlet {PAYLOAD_SCRIPT}",
    "url": "javascript:window.__pwned=1",
    "text": (
        f"A factory fire in the harbour district burned for six hours on Tuesday {PAYLOAD_SCRIPT}.\n"
        f"Firefighters from three towns fought the blaze until dawn, the fire chief said {PAYLOAD_IMG}.\n"
        f"Nobody was hurt in the fire at the harbour factory, officials said {PAYLOAD_LINK}."
    ),
}


@pytest.fixture
def desk(tmp_path):
    d = Desk(str(tmp_path / "desk.sqlite"), words=120)
    yield d
    d.close()


@pytest.fixture
def client(desk):
    with TestClient(create_app(desk)) as c:
        yield c


def post_and_wait(client, desk, payload):
    response = client.post("/api/articles", json=payload)
    assert response.status_code == 201, response.text
    assert desk.wait_idle(timeout=120)
    return response.json()


def test_seed_articles_form_one_story_whose_digest_matches_summarize(client, desk):
    from newsdigest import summarize_documents

    body = post_and_wait(client, desk, seed_articles())
    assert len(body["articles"]) == 5 and body["problems"] == []
    story_ids = {a["story"] for a in body["articles"]}
    assert len(story_ids) == 1
    (story_id,) = story_ids

    listing = client.get("/api/stories").json()["stories"]
    assert [s["id"] for s in listing] == [story_id]
    assert sorted(a["id"] for a in listing[0]["articles"]) == sorted(a["id"] for a in body["articles"])

    story = client.get(f"/api/stories/{story_id}").json()
    documents, _ = load_documents([EXAMPLE])
    expected = summarize_documents(documents, words=120)
    assert story["digest"]["summary"] == expected.text
    from markupsafe import escape

    assert str(escape(story["digest"]["sentences"][0]["text"])) in client.get("/").text  # the list shows its lead
    analysis = client.get(f"/api/stories/{story_id}/analysis").json()
    assert analysis["entities"]

    article = client.get(f"/api/articles/{body['articles'][0]['id']}").json()
    assert article["story"] == story_id and article["text"]


def test_posting_the_same_articles_twice_adds_nothing(client, desk):
    first = post_and_wait(client, desk, seed_articles())
    second = post_and_wait(client, desk, seed_articles())
    assert [a["story"] for a in second["articles"]] == [a["story"] for a in first["articles"]]
    assert client.get("/healthz").json()["articles"] == 5


def test_bad_requests_get_clear_status_codes(client):
    assert client.post("/api/articles", content=b"{not json", headers={"content-type": "application/json"}).status_code == 422
    wrong_type = client.post("/api/articles", json={"text": 123})
    assert wrong_type.status_code == 422 and "text" in wrong_type.json()["detail"]
    too_big = client.post("/api/articles", content=b"x" * (10 * 1024 * 1024 + 1), headers={"content-type": "application/json"})
    assert too_big.status_code == 413
    empty = client.post("/api/articles", json={"title": "no body"})
    assert empty.status_code == 201 and empty.json()["problems"] and not empty.json()["articles"]
    assert client.get("/api/stories/nope").status_code == 404
    assert client.get("/api/articles/nope").status_code == 404
    assert client.get("/api/stories?limit=5000").status_code == 422


def test_feed_urls_to_private_hosts_are_refused(client):
    response = client.post("/api/feeds", json={"url": "http://127.0.0.1:9/feed.xml"})
    assert response.status_code == 400
    assert "private" in response.json()["detail"] or "loopback" in response.json()["detail"]
    assert client.post("/api/feeds", json={"url": "file:///etc/passwd"}).status_code == 400


def test_search_and_paging(client, desk):
    post_and_wait(client, desk, [*seed_articles(), HOSTILE])
    found = client.get("/api/stories", params={"q": "harbour factory"}).json()["stories"]
    assert [s["articles"][0]["id"] for s in found] == ["hostile-1"]
    assert client.get("/api/stories", params={"limit": 1}).json()["stories"][0]["sources"]
    assert len(client.get("/api/stories", params={"limit": 1, "offset": 1}).json()["stories"]) == 1
    assert client.get("/api/stories", params={"q": "zebra giraffe"}).json()["stories"] == []


def test_pages_escape_article_text_and_forbid_inline_script(client, desk):
    post_and_wait(client, desk, [*seed_articles(), HOSTILE])
    hostile_story = client.get("/api/articles/hostile-1").json()["story"]
    for path in ("/", f"/stories/{hostile_story}", "/articles/hostile-1", "/?q=harbour"):
        page = client.get(path)
        assert page.status_code == 200, path
        assert "script-src" not in page.headers["content-security-policy"]
        assert "default-src 'none'" in page.headers["content-security-policy"]
        assert "<script" not in page.text and "<img" not in page.text, path
        assert 'href="javascript:' not in page.text, path
    assert "&lt;script&gt;" in client.get(f"/stories/{hostile_story}").text
    docs = client.get("/docs")
    assert docs.status_code == 200 and "swagger-ui-bundle.js" in docs.text
    assets = re.findall(r'(?:src|href)="([^"]+)"', docs.text)
    assert assets and all(a.startswith(("http://testserver/", "/")) for a in assets)  # no CDN: every asset served here
    assert "<script>" not in docs.text  # no inline script, so the CSP needs none
    assert client.get("/openapi.json").json()["paths"]["/api/articles"]


def test_an_article_id_with_slashes_and_url_characters_has_working_pages(client, desk):
    from urllib.parse import quote

    odd = "wire/2012/08?x=1#frag <b>"
    post_and_wait(client, desk, [{**HOSTILE, "id": odd}])
    found = client.get("/api/articles/" + quote(odd))
    assert found.status_code == 200 and found.json()["id"] == odd
    story = client.get(f"/stories/{found.json()['story']}")
    assert story.status_code == 200
    links = [html.unescape(h) for h in re.findall(r'href="([^"]*/articles/[^"]*)"', story.text)]
    assert len(links) == 1
    page = client.get(links[0])
    assert page.status_code == 200 and "harbour district" in page.text


def test_a_lone_surrogate_or_an_edge_date_in_a_post_is_a_warning_not_a_500(client, desk):
    body = '[{"id": "s1", "title": "Fire \\ud800", "date": "9999-12-31", "text": %s}]' % json.dumps(HOSTILE["text"])
    response = client.post("/api/articles", content=body, headers={"content-type": "application/json"})
    assert response.status_code == 201, response.text
    assert desk.wait_idle(timeout=120)
    assert [p["severity"] for p in response.json()["problems"]] == ["warning"]
    article = client.get("/api/articles/s1").json()
    assert article["title"] == "Fire \ufffd" and article["date"] is None
    assert client.get(f"/stories/{article['story']}").status_code == 200


def test_concurrent_posts_lose_nothing(client, desk):
    articles = [
        {"id": f"bulk-{k}", "source": f"Outlet {k % 7}", "title": f"Report {k}",
         "text": f"Council meeting number {k} approved budget line {k * 3} for the river bridge repairs on Monday. "
                 f"Members voted {k} to {k + 1} after a debate about the tolls."}
        for k in range(60)
    ]
    errors = []

    def post(chunk):
        r = client.post("/api/articles", json=chunk)
        if r.status_code != 201:
            errors.append(r.status_code)

    threads = [threading.Thread(target=post, args=(articles[k::6],)) for k in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert errors == []
    assert desk.wait_idle(timeout=180)
    assert client.get("/healthz").json()["articles"] == 60
    for a in articles:
        assert client.get(f"/api/articles/{a['id']}").status_code == 200


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def live_server(desk):
    import uvicorn

    port = free_port()
    server = uvicorn.Server(uvicorn.Config(create_app(desk), host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    assert server.started
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)


@pytest.mark.browser
def test_desk_in_headless_chromium(live_server, desk, tmp_path, chromium):
    import httpx

    r = httpx.post(f"{live_server}/api/articles", json=[*seed_articles(), HOSTILE], timeout=60)
    assert r.status_code == 201
    assert desk.wait_idle(timeout=180)
    outside = []
    page = chromium.new_page(viewport={"width": 1100, "height": 900})
    page.on("request", lambda req: outside.append(req.url) if not req.url.startswith(live_server) else None)
    page.goto(live_server + "/")
    assert page.locator("ol.stories li").count() == 2
    # the seed story (five outlets) is listed first, most covered first
    first = page.locator("ol.stories a.title").first
    first.click()
    page.wait_for_load_state("load")
    assert "/stories/" in page.url
    assert page.get_by_role("heading", name="Summary", exact=True).is_visible()
    cite = page.locator("#summary a.cite").first
    cite.hover()
    tip = page.locator("#summary a.cite .tip").first
    assert tip.is_visible() and tip.inner_text().strip()
    # keyboard: focusing a citation shows its source sentence too
    page.mouse.move(0, 0)
    page.locator("#summary a.cite").nth(1).focus()
    assert page.locator("#summary a.cite .tip").nth(1).is_visible()
    page.screenshot(path=str(tmp_path / "story.png"), full_page=False)
    save_readme_screenshot(tmp_path / "story.png")
    # search
    page.goto(live_server + "/")
    page.fill("input[type=search]", "harbour factory")
    page.click("form.search button")
    page.wait_for_load_state("load")
    assert page.locator("ol.stories li").count() == 1
    # the hostile story and article pages execute nothing
    for link in ("ol.stories a.title",):
        page.click(link)
        page.wait_for_load_state("load")
        assert page.evaluate("window.__pwned") is None
        assert PAYLOAD_SCRIPT in page.inner_text("body")
    page.goto(live_server + "/articles/hostile-1")
    assert page.evaluate("window.__pwned") is None
    assert page.evaluate("document.querySelectorAll('script').length") == 0
    assert page.evaluate("document.querySelectorAll('img').length") == 0
    assert outside == []


def save_readme_screenshot(path: Path) -> None:
    """Keep docs/desk-story.png (shown in the README) current: written only when missing or told to."""
    import os

    target = REPO / "docs" / "desk-story.png"
    if os.environ.get("NEWSDIGEST_UPDATE_SCREENSHOT") == "1" or not target.exists():
        target.write_bytes(path.read_bytes())


def test_serve_refuses_bad_options_in_one_line(tmp_path):
    from typer.testing import CliRunner

    from newsdigest.apps.cli import app

    runner = CliRunner()
    too_often = runner.invoke(app, ["serve", "--db", str(tmp_path / "d.sqlite"), "--poll", "1s"])
    assert too_often.exit_code == 2 and "at least 10 seconds" in too_often.output
    assert "Traceback" not in too_often.output
    nowhere = runner.invoke(app, ["serve", "--db", str(tmp_path / "missing" / "d.sqlite")])
    assert nowhere.exit_code == 2 and "d.sqlite" in nowhere.output and "Traceback" not in nowhere.output
    assert len(nowhere.output.strip().splitlines()) == 1
