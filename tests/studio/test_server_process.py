"""The real server: one uvicorn process serves pages, static files, /health and the try-it socket."""
import json
import os
import subprocess
import sys

import httpx
import pytest
from websockets.sync.client import connect

from tests.servers import ROOT, uvicorn_process


@pytest.fixture
def server(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}}
    env.update(DATABASE_URL=f"sqlite:///{tmp_path}/studio.sqlite3", STUDIO_ADMIN_PASSWORD="server-test-pw")
    for command in (["migrate", "--noinput", "-v", "0"], ["seed_demo"]):
        subprocess.run([sys.executable, "manage.py", *command], cwd=ROOT, env=env, check=True,
                       capture_output=True, timeout=120)
    with uvicorn_process(env, tmp_path / "uvicorn.log") as base:
        yield base


def test_uvicorn_serves_login_static_health_and_the_socket(server):
    with httpx.Client(base_url=server, timeout=5) as client:
        assert client.get("/health").json()["database"] == "up"
        assert client.get("/static/css/studio.css").status_code == 200
        client.get("/login/")
        response = client.post("/login/", data={
            "username": "admin", "password": "server-test-pw", "csrfmiddlewaretoken": client.cookies["csrftoken"],
        }, headers={"Referer": f"{server}/login/"})
        assert (response.status_code, response.headers["location"]) == (302, "/")
        assert "Corner Café" in client.get("/").text
        session = client.cookies["sessionid"]

    ws_url = server.replace("http://", "ws://") + "/ws/assistants/corner-cafe/tryit/"
    with connect(ws_url, additional_headers={"Cookie": f"sessionid={session}", "Origin": server}) as ws:
        ws.send(json.dumps({"type": "ping"}))
        assert json.loads(ws.recv(timeout=5)) == {"type": "pong"}
