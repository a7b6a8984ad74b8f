"""The Nu HTML checker finds no errors on the editors' pages (list, editor with a preview,
conflict, history, the tree, a new guide)."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from django.contrib.auth.models import Group

from editor import files

ROOT = Path(__file__).resolve().parents[2]
VNU = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
GUIDE = "unlock-locked-terminal"
URL = f"/staff/content/guides/{GUIDE}/"


@pytest.mark.django_db
def test_the_nu_checker_reports_no_errors_on_the_editors_pages(
    client, django_user_model, content_dir, tmp_path
):
    from editor import sync

    sync.forget()
    java = shutil.which("java")
    assert VNU.exists() and java
    user = django_user_model.objects.create_user("wang", password="pw-123456", is_staff=True)
    user.groups.add(Group.objects.get_or_create(name="editors")[0])
    client.force_login(user)
    text = (content_dir / "guides" / f"{GUIDE}.md").read_text(encoding="utf-8")
    base = files.digest(text)
    pages = {
        "list": client.get("/staff/content/"),
        "editor": client.get(URL + "?line=3"),
        "preview": client.post(
            URL, {"text": text + "见[x](/guides/nope/)\n", "base": base, "action": "preview"}
        ),
        "new": client.post("/staff/content/new/", {"slug": "paper-jam"}),
        "tree": client.get("/staff/content/triage/"),
    }
    client.post(URL, {"text": text + "一\n", "base": base, "action": "publish"})
    pages["conflict"] = client.post(URL, {"text": text + "二\n", "base": base, "action": "publish"})
    pages["history"] = client.get(URL + "history/")
    paths = []
    for name, response in pages.items():
        assert response.status_code in (200, 409), name
        path = tmp_path / f"{name}.html"
        path.write_bytes(response.content)
        paths.append(str(path))
    result = subprocess.run(
        [java, "-jar", str(VNU), "--errors-only", "--format", "json", *paths],
        capture_output=True,
        text=True,
        timeout=180,
    )
    messages = json.loads(result.stderr or "{}").get("messages", [])
    errors = [
        f"{Path(m['url']).name}:{m.get('lastLine')}: {m['message']}"
        for m in messages
        if m.get("type") == "error"
    ]
    assert not errors, "\n".join(errors)
