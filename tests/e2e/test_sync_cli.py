"""Two island laptops and the city, each its own database driven through `cchc`, exchanging
signed bundles by folder (USB), by .eml files and over HTTP."""

from __future__ import annotations

import contextlib
import socket
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import cchc_env, run_cchc, run_json

NOW = {"CCHC_NOW": "2026-03-20T09:00:00+07:00"}


def progress(db: Path, stt: int) -> int:
    conn = sqlite3.connect(db)
    try:
        return int(conn.execute("SELECT progress FROM tasks WHERE stt = ?", (stt,)).fetchone()[0])
    finally:
        conn.close()


def tracked_dump(db: Path) -> list:
    conn = sqlite3.connect(db)
    try:
        return [
            conn.execute(f"SELECT * FROM {t} ORDER BY id").fetchall()
            for t in ("tasks", "task_updates", "documents", "history")
        ]
    finally:
        conn.close()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def sites(tmp_path: Path) -> dict[str, Path]:
    """city (root), island `vp` (Văn phòng UBND, unit) and `vhxh` (the consolidator), certified
    first, so the trust file vp installs names it and vp's sticks are sealed to it."""
    dbs = {name: tmp_path / f"{name}.sqlite" for name in ("city", "vp", "vhxh")}
    for db in dbs.values():
        run_cchc("--db", str(db), "init", env=NOW, check=True)
    root = run_json("--db", str(dbs["city"]), "trust", "init-root")
    assert isinstance(root, dict)
    for name, role in (("vhxh", "consolidator"), ("vp", "unit")):
        ident = run_json("--db", str(dbs[name]), "keys", "show")
        assert isinstance(ident, dict)
        unit = "vp_ubnd" if name == "vp" else "Phòng Văn hóa - Xã hội"
        trust_file = tmp_path / f"{name}.trust"
        run_cchc(
            "--db", str(dbs["city"]), "trust", "certify", "--site-id", ident["site_id"],
            "--public-key", ident["public_key"], "--enc-key", ident["enc_key"], "--unit", unit,
            "--role", role, "--out", str(trust_file), check=True,
        )  # fmt: skip
        wrong = run_cchc(
            "--db", str(dbs[name]), "trust", "install", str(trust_file),
            "--root-fingerprint", "0000-0000-0000-0000-0000-0000-0000-0000",
        )  # fmt: skip
        assert wrong.returncode != 0
        assert "không khớp" in wrong.stderr
        installed = run_json(
            "--db", str(dbs[name]), "trust", "install", str(trust_file),
            "--root-fingerprint", root["root_fingerprint"],
        )  # fmt: skip
        assert isinstance(installed, dict) and installed["role"] == role
    return dbs


def test_islands_and_city_converge_by_folder_email_and_http(
    sites: dict[str, Path], tmp_path: Path
) -> None:
    city, vp, vhxh = sites["city"], sites["vp"], sites["vhxh"]
    run_cchc("--db", str(vp), "task", "update", "3", "--progress", "30", "--by", "Lan",
             env=NOW, check=True)  # fmt: skip
    run_cchc("--db", str(vhxh), "task", "update", "4", "--progress", "50", "--by", "Hà",
             env=NOW, check=True)  # fmt: skip

    # 1. by folder (USB stick): vp -> vhxh, then vhxh answers with only what vp lacks. A stick
    # is sealed to its readers (issue 20): vp names vhxh, whose key its trust file carries
    usb = tmp_path / "usb"
    vhxh_id = run_json("--db", str(vhxh), "keys", "show")["site_id"]  # type: ignore[index]
    written = run_cchc("--db", str(vp), "sync", "export", "--to", str(usb), "--peer", vhxh_id,
                       check=True)  # fmt: skip
    files = written.stdout.split()
    assert len(files) == 1 and Path(files[0]).exists()
    report = run_json("--db", str(vhxh), "sync", "import", *files)
    assert isinstance(report, dict)
    assert report["files"][0]["applied"] > 0 and report["files"][0]["rejected"] == 0
    assert progress(vhxh, 3) == 30
    vp_id = run_json("--db", str(vp), "keys", "show")["site_id"]  # type: ignore[index]
    back = tmp_path / "usb-back"
    # (small parts: vhxh knows vp holds the same certificates, so only its own chain goes)
    run_cchc("--db", str(vhxh), "sync", "export", "--to", str(back), "--peer", vp_id,
             "--part-size", "1024", check=True)  # fmt: skip
    parts = sorted(back.iterdir())
    assert len(parts) > 1
    for part in reversed(parts):  # parts in any order, one import each
        run_cchc("--db", str(vp), "sync", "import", str(part), check=True)
    assert progress(vp, 4) == 50

    # 2. by e-mail: vhxh writes .eml files for the city, which imports them as saved
    mail = tmp_path / "mail"
    run_cchc("--db", str(vhxh), "sync", "email", "--to", "vanphong@haiphong.gov.vn",
             "--out", str(mail), "--part-size", "3000", check=True)  # fmt: skip
    emls = sorted(str(p) for p in mail.glob("*.eml"))
    assert emls
    run_cchc("--db", str(city), "sync", "import", *emls, check=True)
    assert (progress(city, 4), progress(city, 3)) == (50, 30)

    # 3. a change out of the sender's scope: vp's laptop refuses it, as its certificate says;
    # written into its file behind the app's back, the city refuses it and reports it, with a
    # non-zero exit
    local = run_cchc("--db", str(vp), "task", "update", "4", "--progress", "90", "--by", "Lan",
                     env=NOW)  # fmt: skip
    assert local.returncode == 2 and "do đơn vị khác chủ trì" in local.stderr
    assert progress(vp, 4) == 50
    tamper = sqlite3.connect(vp)
    tamper.execute("UPDATE tasks SET progress = 90 WHERE stt = 4")
    tamper.commit()
    tamper.close()
    out_of_scope = tmp_path / "oos"  # in the clear: both the city and vhxh import it below
    run_cchc("--db", str(vp), "sync", "export", "--to", str(out_of_scope), "--no-encrypt",
             check=True)  # fmt: skip
    refused = run_cchc("--db", str(city), "sync", "import", *map(str, out_of_scope.iterdir()))
    assert refused.returncode == 1
    assert "ngoài phạm vi" in refused.stdout
    assert progress(city, 4) == 50

    # 4. over HTTP: the city serves; vhxh pushes, vp pulls
    port = free_port()
    hub = subprocess.Popen(
        [sys.executable, "-m", "cchc", "--db", str(city), "sync", "serve", "--port", str(port)],
        env=cchc_env(),
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert hub.stdout is not None
        assert "127.0.0.1" in hub.stdout.readline()
        url = f"http://127.0.0.1:{port}"
        run_cchc("--db", str(vhxh), "task", "update", "2", "--progress", "70", "--by", "Hà",
                 env=NOW, check=True)  # fmt: skip
        pushed = run_json("--db", str(vhxh), "sync", "push", "--url", url)
        assert isinstance(pushed, dict) and pushed["applied"] > 0
        pulled = run_cchc("--db", str(vp), "sync", "pull", "--url", url, "--json")
        assert pulled.returncode == 0, pulled.stderr
        assert progress(vp, 2) == 70
        run_cchc("--db", str(vp), "sync", "push", "--url", url, "--json")  # acknowledges
    finally:
        hub.terminate()
        hub.wait(timeout=10)

    # the scope refusal is local to the city: both islands still hold vp's own edit of task 1,
    # so compare everything else, and compare the two islands with each other fully
    run_cchc("--db", str(vhxh), "sync", "import", *map(str, out_of_scope.iterdir()))
    status = run_json("--db", str(city), "sync", "status")
    assert isinstance(status, dict) and status["rejections"] >= 1
    assert progress(vp, 3) == progress(vhxh, 3) == progress(city, 3) == 30
    assert progress(vp, 2) == progress(vhxh, 2) == progress(city, 2) == 70


def test_import_refuses_a_damaged_bundle_and_applies_nothing(
    sites: dict[str, Path], tmp_path: Path
) -> None:
    vp, city = sites["vp"], sites["city"]
    run_cchc("--db", str(vp), "task", "update", "3", "--progress", "40", "--by", "Lan",
             env=NOW, check=True)  # fmt: skip
    usb = tmp_path / "usb"
    (path,) = run_cchc(
        "--db", str(vp), "sync", "export", "--to", str(usb), check=True
    ).stdout.split()
    data = bytearray(Path(path).read_bytes())
    data[len(data) // 2] ^= 0xFF
    Path(path).write_bytes(bytes(data))
    before = tracked_dump(city)
    proc = run_cchc("--db", str(city), "sync", "import", path, "--json")
    assert proc.returncode == 1
    assert tracked_dump(city) == before
    time.sleep(0)


def test_a_conflict_is_listed_and_reversed_from_the_command_line(
    sites: dict[str, Path], tmp_path: Path
) -> None:
    city, vp = sites["city"], sites["vp"]
    run_cchc("--db", str(city), "task", "update", "3", "--progress", "20", "--by", "Sở",
             env=NOW, check=True)  # fmt: skip
    time.sleep(0.01)
    run_cchc("--db", str(vp), "task", "update", "3", "--progress", "30", "--by", "Lan",
             env=NOW, check=True)  # fmt: skip
    for src, dst, folder in ((vp, city, "a"), (city, vp, "b")):
        (path,) = run_cchc("--db", str(src), "sync", "export", "--to", str(tmp_path / folder),
                           check=True).stdout.split()  # fmt: skip
        run_cchc("--db", str(dst), "sync", "import", path, check=True)
    assert progress(city, 3) == progress(vp, 3) == 30
    listed = run_json("--db", str(city), "sync", "conflicts")
    assert isinstance(listed, list)
    (conflict,) = [c for c in listed if c["column"] == "progress"]
    assert (conflict["kept_value"], conflict["lost_value"]) == (30, 20)
    shown = run_cchc("--db", str(city), "sync", "conflicts", check=True).stdout
    assert f"#{conflict['id']} tasks" in shown
    run_cchc("--db", str(city), "sync", "resolve", str(conflict["id"]), "--keep", "other",
             check=True)  # fmt: skip
    assert progress(city, 3) == 20
    (path,) = run_cchc("--db", str(city), "sync", "export", "--to", str(tmp_path / "c"),
                       check=True).stdout.split()  # fmt: skip
    run_cchc("--db", str(vp), "sync", "import", path, check=True)
    assert progress(vp, 3) == 20
    after = run_json("--db", str(city), "sync", "conflicts")
    assert isinstance(after, list)
    assert all(c["id"] != conflict["id"] for c in after)


@pytest.fixture
def full_stick(tmp_path: Path):
    """A real 64 KiB file system (tmpfs) almost full; skipped where mounting needs root."""
    mount = tmp_path / "stick"
    mount.mkdir()
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(mount)], capture_output=True
    )
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here (needs root): {done.stderr!r}")
    try:
        with open(mount / "filler.bin", "wb") as f, contextlib.suppress(OSError):
            f.write(b"\0" * 64 * 1024)
        yield mount
    finally:
        subprocess.run(["umount", str(mount)], check=True)


def test_an_export_to_a_full_stick_fails_cleanly_and_leaves_nothing_importable(
    sites: dict[str, Path], full_stick: Path
) -> None:
    vp = sites["vp"]
    run_cchc("--db", str(vp), "task", "update", "3", "--progress", "40", "--by", "Lan",
             env=NOW, check=True)  # fmt: skip
    proc = run_cchc("--db", str(vp), "sync", "export", "--to", str(full_stick))
    assert proc.returncode == 1
    assert "đầy" in proc.stderr.lower() or "dung lượng" in proc.stderr.lower(), proc.stderr
    assert [p.name for p in full_stick.iterdir()] == ["filler.bin"]
    (full_stick / "filler.bin").unlink()
    (path,) = run_cchc("--db", str(vp), "sync", "export", "--to", str(full_stick),
                       check=True).stdout.split()  # fmt: skip
    assert Path(path).stat().st_size > 0


def test_an_evidence_file_travels_with_its_document_to_the_city(
    sites: dict[str, Path], tmp_path: Path
) -> None:
    signed_plan = tmp_path / "ke-hoach-tuyen-truyen.pdf"
    signed_plan.write_bytes(b"%PDF-1.4 " + bytes(range(256)) * 64)
    run_cchc(
        "--db", str(sites["vhxh"]), "task", "update", "4", "--status", "done",
        "--done-on", "18/03/2026", "--by", "Lê Thị Bình", "--attach", str(signed_plan),
        "--doc-type", "Kế hoạch", "--doc-number", "12/KH-UBND", "--doc-date", "15/03/2026",
        env=NOW, check=True,
    )  # fmt: skip
    stick = tmp_path / "usb"
    run_cchc("--db", str(sites["vhxh"]), "sync", "export", "--to", str(stick), check=True)
    run_cchc("--db", str(sites["city"]), "sync", "import", str(stick), check=True)
    shown = run_json("--db", str(sites["city"]), "task", "show", "4", env=NOW)
    assert isinstance(shown, dict)
    [doc] = shown["documents"]
    copy = tmp_path / "city-copy.pdf"
    run_cchc(
        "--db", str(sites["city"]), "attachment", doc["sha256"], "--out", str(copy), check=True
    )
    assert copy.read_bytes() == signed_plan.read_bytes()
    missing = run_cchc("--db", str(sites["vp"]), "attachment", doc["sha256"])
    assert missing.returncode == 2
    assert "Chưa có tệp văn bản" in missing.stderr


def test_an_exchange_made_from_the_command_line_shows_as_the_last_exchange(
    sites: dict[str, Path], tmp_path: Path
) -> None:
    from cchc.services import sync_view
    from cchc.services.workspace import Workspace

    stick = tmp_path / "usb"
    run_cchc("--db", str(sites["vhxh"]), "sync", "export", "--to", str(stick), check=True)
    run_cchc("--db", str(sites["city"]), "sync", "import", str(stick), check=True)
    vhxh = run_json("--db", str(sites["vhxh"]), "keys", "show")
    assert isinstance(vhxh, dict)
    with Workspace.open(sites["city"]) as ws:
        seen = {e.site_id: e.how for e in sync_view.last_exchanges(ws, "Thành phố")}
    assert seen == {vhxh["site_id"]: "import"}


def test_hub_commands_refuse_bad_certificates_and_plain_http_to_another_machine(
    tmp_path: Path,
) -> None:
    db = str(tmp_path / "city.sqlite")
    made = run_cchc(
        "sync", "hub-cert", "--cert", str(tmp_path / "hub.crt"), "--key",
        str(tmp_path / "hub.key"), "--host", "127.0.0.1", check=True,
    )  # fmt: skip
    assert len([p for p in made.stdout.split() if p.count(":") == 31]) == 1  # AB:CD:… 32 pairs
    (tmp_path / "bad.crt").write_text("not a certificate")
    bad = run_cchc(
        "--db", db, "sync", "serve", "--port", "0", "--tls-cert", str(tmp_path / "bad.crt"),
        "--tls-key", str(tmp_path / "hub.key"),
    )  # fmt: skip
    assert bad.returncode == 1 and "chứng chỉ TLS" in bad.stderr and "Traceback" not in bad.stderr
    plain = run_cchc("--db", db, "sync", "push", "--url", "http://10.0.0.7:8765")
    assert plain.returncode == 1 and "https://" in plain.stderr
    typo = run_cchc(
        "--db", db, "sync", "pull", "--url", "https://127.0.0.1:9", "--hub-fingerprint", "AB:CD"
    )
    assert typo.returncode == 1 and "64 chữ số" in typo.stderr


def test_certifying_another_key_for_a_laptops_site_id_is_refused_naming_that_laptop(
    sites: dict[str, Path], tmp_path: Path
) -> None:
    city, vp = sites["city"], sites["vp"]
    real = run_json("--db", str(vp), "keys", "show")
    intruder = tmp_path / "intruder.sqlite"
    run_cchc("--db", str(intruder), "init", env=NOW, check=True)
    other = run_json("--db", str(intruder), "keys", "show")
    assert isinstance(real, dict) and isinstance(other, dict)
    out = tmp_path / "taken.trust"
    args = (
        "--db", str(city), "trust", "certify", "--site-id", real["site_id"],
        "--public-key", other["public_key"], "--unit", "vp_ubnd", "--role", "unit",
        "--out", str(out),
    )  # fmt: skip
    proc = run_cchc(*args)
    assert proc.returncode != 0
    assert real["fingerprint"] in proc.stderr  # which laptop holds the id
    assert "Văn phòng" in proc.stderr  # and for which unit
    assert not out.exists()
    # an explicit key change is accepted, and revokes the key that held the id
    run_cchc(*args, "--replace-key", check=True)
    assert out.exists()
    city_status = run_json("--db", str(city), "sync", "status")
    assert isinstance(city_status, dict)
    installed = run_json(
        "--db", str(vp), "trust", "install", str(out),
        "--root-fingerprint", city_status["root_fingerprint"],
    )  # fmt: skip
    assert isinstance(installed, dict) and installed["role"] is None  # vp's key is revoked now
