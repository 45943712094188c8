"""`cchc keys`, `cchc trust …`, `cchc sync …`: keys, certificates and exchanging bundles."""

from __future__ import annotations

import dataclasses
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

import click

from cchc.cli.common import EXIT_BAD_INPUT, EXIT_FAILURE, State, echo_json, fail, pass_state
from cchc.cli.common import translate_errors as sync_errors
from cchc.services import certification, exchange, hub_tls, sync_view
from cchc.services.import_summary import summary_of
from cchc.texts.errors import describe
from cchc.texts.exchange import size_text, summary_lines
from cchc.texts.sync import CLI, clock_ahead_text, rejection_reason

F = TypeVar("F", bound=Callable[..., Any])
ROLE_CHOICE = click.Choice(list(exchange.ROLES))


@contextmanager
def _ws(state: State) -> Iterator[Any]:
    with state.workspace() as ws:
        yield ws


# ------------------------------------------------------------------------------ keys


@click.group("keys")
def keys_group() -> None:
    """This laptop's keys (the private keys stay in <db>.keys/ beside the database)."""


@keys_group.command("show")
@click.option("--json", "as_json", is_flag=True)
@pass_state
@sync_errors
def keys_show(state: State, as_json: bool) -> None:
    """Show this laptop's site id, public keys and fingerprint.

    Example: cchc --db dao.sqlite keys show --json
    """
    with _ws(state) as ws:
        ident = exchange.identity(ws)
    if as_json:
        echo_json(ident)
        return
    click.echo(f"Mã máy (site_id): {ident['site_id']}")
    click.echo(f"Khóa công khai (public_key): {ident['public_key']}")
    click.echo(f"Khóa mã hóa (enc_key): {ident['enc_key']}")
    click.echo(f"Mã nhận dạng (fingerprint): {ident['fingerprint']}")


# ------------------------------------------------------------------------------ trust


@click.group("trust")
def trust_group() -> None:
    """The city's root key and the certificates of laptops."""


@trust_group.command("init-root")
@click.option("--json", "as_json", is_flag=True)
@pass_state
@sync_errors
def trust_init_root(state: State, as_json: bool) -> None:
    """Make this database the city root and print the fingerprint to read out to units.

    Example: cchc --db thanhpho.sqlite trust init-root
    """
    with _ws(state) as ws:
        out = exchange.init_root(ws)
    if as_json:
        echo_json(out)
    else:
        click.echo(CLI["root_made"].format(fingerprint=out["root_fingerprint"]))


@trust_group.command("certify")
@click.option("--site-id", required=True, help="The laptop's site id (from `keys show`).")
@click.option("--public-key", required=True, help="The laptop's public key, 64 hex digits.")
@click.option("--enc-key", help="The laptop's encryption key (for bundles encrypted to it).")
@click.option("--unit", "units", multiple=True, required=True, help="Unit code, name or alias.")
@click.option("--role", type=ROLE_CHOICE, required=True)
@click.option("--out", type=click.Path(dir_okay=False), required=True, help="Trust file to write.")
@click.option("--hub-url", help="The city's hub address, written into the trust file.")
@click.option("--hub-fingerprint", help="Its TLS certificate fingerprint (from `sync hub-cert`).")
@click.option(
    "--replace-key",
    is_flag=True,
    help="The laptop changed its key: revoke the key that holds its site id now.",
)
@click.option("--json", "as_json", is_flag=True)
@pass_state
@sync_errors
def trust_certify(
    state: State,
    site_id: str,
    public_key: str,
    enc_key: str | None,
    units: tuple[str, ...],
    role: str,
    out: str,
    hub_url: str | None,
    hub_fingerprint: str | None,
    replace_key: bool,
    as_json: bool,
) -> None:
    """Root only: certify a laptop for units and a role; writes the file it installs.

    Example: cchc trust certify --site-id 3f… --public-key 9a… --unit vp_ubnd --role unit
    --out vp.trust
    """
    with _ws(state) as ws:
        path = exchange.certify(
            ws,
            site_id=site_id,
            public_key=public_key,
            units=list(units),
            role=role,
            out=Path(out),
            enc_key=enc_key,
            hub_url=hub_url,
            hub_fingerprint=hub_fingerprint,
            replace_key=replace_key,
        )
    if as_json:
        echo_json({"path": str(path), "site_id": site_id, "role": role, "units": list(units)})
    else:
        click.echo(
            CLI["certified"].format(site_id=site_id, role=role, units=", ".join(units), path=path)
        )


@trust_group.command("install")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option("--root-fingerprint", required=True, help="As read out by the city office.")
@click.option("--json", "as_json", is_flag=True)
@pass_state
@sync_errors
def trust_install(state: State, file: str, root_fingerprint: str, as_json: bool) -> None:
    """Install the city's root key (checked against the fingerprint) and certificates.

    Example: cchc trust install vp.trust --root-fingerprint E19F-A699-…
    """
    with _ws(state) as ws:
        out = exchange.install_trust(ws, Path(file), root_fingerprint)
    if as_json:
        echo_json(out)
    else:
        click.echo(
            CLI["installed"].format(
                root_fingerprint=out["root_fingerprint"],
                role=out["role"] or "?",
                units=", ".join(out["units"]) or "—",
            )
        )
        if out.get("hub_url"):
            click.echo(CLI["installed_hub"].format(url=out["hub_url"]))


@trust_group.command("revoke")
@click.option("--site-id", required=True)
@click.option("--json", "as_json", is_flag=True)
@pass_state
@sync_errors
def trust_revoke(state: State, site_id: str, as_json: bool) -> None:
    """Root only: revoke a laptop's keys (a lost or stolen laptop).

    Example: cchc --db thanhpho.sqlite trust revoke --site-id 3f…
    """
    with _ws(state) as ws:
        count = exchange.revoke(ws, site_id)
    if as_json:
        echo_json({"site_id": site_id, "revoked_keys": count})
    else:
        click.echo(CLI["revoked"].format(count=count, site_id=site_id))


# ------------------------------------------------------------------------------ sync


@click.group("sync")
def sync_group() -> None:
    """Exchange changes with other laptops and the city: folder/USB, e-mail, HTTP."""


@sync_group.command("export")
@click.option("--to", "to_dir", required=True, type=click.Path(file_okay=False))
@click.option("--peer", help="Only what this site has not acknowledged.")
@click.option("--part-size", type=click.IntRange(min=1024), help="Split into parts of BYTES.")
@click.option(
    "--encrypt-to",
    multiple=True,
    help="Seal to this site (repeat for several; default: --peer whenever its key is known, "
    "else the next readers).",
)
@click.option(
    "--no-encrypt",
    is_flag=True,
    help="Leave the bundle readable by anyone who holds the file (signed only); by default it "
    "is sealed to --encrypt-to, else --peer, else its next readers as the trust file names "
    "them (a unit's laptop: the consolidator and the city; the consolidator: the city; the "
    "city: every laptop it certified).",
)
@click.option("--json", "as_json", is_flag=True)
@pass_state
@sync_errors
def sync_export(
    state: State,
    to_dir: str,
    peer: str | None,
    part_size: int | None,
    encrypt_to: tuple[str, ...],
    no_encrypt: bool,
    as_json: bool,
) -> None:
    """Write a bundle into a folder (a USB stick); prints the paths written.

    The bundle is sealed to --encrypt-to, else --peer when its key is known, else to its next
    readers (a unit's laptop: the consolidator and the city); stderr says to whom, or that it
    is in the clear (--no-encrypt). Example: cchc sync export --to /media/usb --part-size 9000000
    """
    if no_encrypt and encrypt_to:
        fail(CLI["encrypt_conflict"], EXIT_BAD_INPUT)
    with _ws(state) as ws:
        if not certification.is_certified(ws):  # every receiver will refuse it: say so first
            click.echo(CLI["export_uncertified"], err=True)
        paths = exchange.export_to(
            ws,
            Path(to_dir),
            peer=peer,
            part_size=part_size,
            encrypt_to=encrypt_to,
            encrypt=not no_encrypt,
        )
        _say_if_clear(ws, peer, encrypt_to, not no_encrypt)
    if as_json:
        echo_json({"paths": [str(p) for p in paths]})
        return
    for p in paths:
        click.echo(str(p))


def _reasons_in_words(found: Any) -> Any:
    """Every refused row's reason in an answer put in words (the policy gives a key with its
    parameters, `cchc.domain.refusals`), so the JSON a person reads says why in Vietnamese."""
    if isinstance(found, dict):
        for why in found.get("rejections") or []:
            if isinstance(why, dict) and "reason" in why:
                why["reason"] = rejection_reason(str(why.get("code")), str(why["reason"]))
        for value in found.values():
            _reasons_in_words(value)
    elif isinstance(found, list):
        for item in found:
            _reasons_in_words(item)
    return found


@sync_group.command("import")
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True))
@click.option("--json", "as_json", is_flag=True)
@pass_state
@sync_errors
def sync_import(state: State, paths: tuple[str, ...], as_json: bool) -> None:
    """Import bundles, parts (any order) and saved .eml files; exits 1 if anything was refused.

    Example: cchc sync import /media/usb/*.cchc
    """
    with _ws(state) as ws:
        report = exchange.import_paths(ws, [Path(p) for p in paths])
        summary = summary_of(ws, report)  # the same summary the Đồng bộ screen shows
    if as_json:
        out = report.as_dict(describe)
        out["by_unit"] = [dataclasses.asdict(u) for u in summary.units]
        echo_json(_reasons_in_words(out))
    else:
        for line in summary_lines(summary):
            click.echo(line)
        for f in report.files:
            if f.result is not None and f.result.clock_ahead_ms:
                click.echo(clock_ahead_text(f.result.clock_ahead_ms))
        for w in report.waiting:
            click.echo(
                CLI["import_waiting"].format(
                    source=", ".join(paths),
                    sha8=w["bundle"],
                    missing=", ".join(map(str, w["missing"])),
                )
            )
    if report.rejected:
        sys.exit(EXIT_FAILURE)


@sync_group.command("status")
@click.option("--json", "as_json", is_flag=True)
@pass_state
@sync_errors
def sync_status(state: State, as_json: bool) -> None:
    """What this laptop holds, from whom, and what waits."""
    with _ws(state) as ws:
        st = exchange.status(ws)
    if as_json:
        echo_json(st)
        return
    click.echo(
        CLI["status_site"].format(
            site_id=st["site_id"],
            fingerprint=st["fingerprint"],
            root=st["root_fingerprint"] or CLI["no_root"],
            role=st["role"] or "—",
            units=", ".join(st["units"]) or "—",
        )
    )
    click.echo(
        CLI["status_counts"].format(
            unsealed=st["unsealed_changes"],
            conflicts=st["open_conflicts"],
            rejections=st["rejections"],
        )
    )
    for origin, seq in sorted(st["vector"].items()):
        click.echo(CLI["status_vector"].format(origin=origin, seq=seq))
    for h in st["held"]:
        click.echo(
            CLI["status_held"].format(origin=h["origin"], first=h["first_seq"], last=h["last_seq"])
        )


@sync_group.command("conflicts")
@click.option("--json", "as_json", is_flag=True)
@pass_state
@sync_errors
def sync_conflicts(state: State, as_json: bool) -> None:
    """Cells where two laptops wrote at once: the value kept and the value replaced."""
    with _ws(state) as ws:
        items = exchange.conflicts(ws)
    if as_json:
        echo_json(items)
        return
    if not items:
        click.echo(CLI["no_conflicts"])
    for c in items:
        click.echo(
            CLI["conflict_line"].format(
                id=c["id"],
                table=c["table"],
                row_id=c["row_id"],
                column=c["column"],
                kept=c["kept_value"],
                kept_origin=c["kept_origin"][:8],
                lost=c["lost_value"],
                lost_origin=c["lost_origin"][:8],
            )
        )


@sync_group.command("resolve")
@click.argument("conflict_id", type=int)
@click.option("--keep", type=click.Choice(["other", "current"]), default="other")
@pass_state
@sync_errors
def sync_resolve(state: State, conflict_id: int, keep: str) -> None:
    """Reverse a conflict (--keep other: write the replaced value back) or close it.

    Example: cchc sync resolve 3 --keep other
    """
    with _ws(state) as ws:
        exchange.resolve(ws, conflict_id, keep)
    what = CLI["resolved_other"] if keep == "other" else CLI["resolved_current"]
    click.echo(CLI["resolved"].format(id=conflict_id, what=what))


_FILE = click.Path(exists=True, dir_okay=False)


@sync_group.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8765, type=int, show_default=True)
@click.option(
    "--data-dir",
    type=click.Path(file_okay=False),
    help="Uploads and prepared bundles (default: <db>.hub beside the database).",
)
@click.option("--tls-cert", type=_FILE, help="PEM certificate (see `sync hub-cert`).")
@click.option("--tls-key", type=_FILE, help="PEM private key of --tls-cert.")
@click.option(
    "--access-log",
    type=click.Path(dir_okay=False),
    help="Write the access log (JSON lines) to this file, rotated at 10 MB, 10 kept; "
    "default: standard error.",
)
@click.option(
    "--name",
    "public_names",
    multiple=True,
    help="A name the laptops reach this hub by (host or host:port; repeatable). Requests signed "
    "for any other name are refused, so one captured here cannot be replayed at another copy.",
)
@pass_state
@sync_errors
def sync_serve(
    state: State,
    host: str,
    port: int,
    data_dir: str | None,
    tls_cert: str | None,
    tls_key: str | None,
    access_log: str | None,
    public_names: tuple[str, ...],
) -> None:
    """Run the city's hub on this database: certified laptops push to it and pull from it.

    Example: cchc --db thanhpho.sqlite sync serve --host 0.0.0.0 --port 8443
    --tls-cert hub.crt --tls-key hub.key --data-dir /var/lib/cchc/hub
    """
    if (tls_cert is None) != (tls_key is None):
        fail(CLI["tls_pair"], EXIT_BAD_INPUT)
    _setup_access_log(access_log)
    fingerprint = hub_tls.certificate_fingerprint(Path(tls_cert)) if tls_cert else None

    def ready(url: str) -> None:
        click.echo(CLI["serving"].format(url=url))
        if fingerprint:
            click.echo(CLI["serving_fingerprint"].format(fingerprint=fingerprint))
        elif host not in ("127.0.0.1", "::1", "localhost"):
            click.echo(CLI["serving_plain"], err=True)

    with _ws(state) as ws:
        exchange.serve(
            ws,
            host,
            port,
            ready=ready,
            data_dir=Path(data_dir) if data_dir else None,
            tls_cert=Path(tls_cert) if tls_cert else None,
            tls_key=Path(tls_key) if tls_key else None,
            public_names=public_names,
        )


def _say_if_clear(
    ws: Any, peer: str | None, encrypt_to: Sequence[str] | None, encrypt: bool
) -> None:
    """Who a bundle leaving by hand is sealed to, or that it goes in the clear, on stderr."""
    engine = exchange.open_engine(ws)
    readers = exchange.carried_recipients(engine, peer, encrypt_to, encrypt)
    if readers:
        click.echo(
            CLI["export_sealed"].format(readers=sync_view.reader_names(ws, readers)), err=True
        )
    elif not encrypt:
        click.echo(CLI["export_clear"], err=True)
    elif engine.root_fingerprint() is None:
        click.echo(CLI["export_clear_no_city"], err=True)


def _setup_access_log(path: str | None) -> None:
    import logging
    import logging.handlers

    handler: logging.Handler
    if path:
        handler = logging.handlers.RotatingFileHandler(
            path, maxBytes=10 * 1024 * 1024, backupCount=10, encoding="utf-8"
        )
    else:
        handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(message)s"))
    for name in ("sync.hub.access", "sync.hub"):
        logger = logging.getLogger(name)
        logger.setLevel(logging.INFO)
        logger.addHandler(handler)
        logger.propagate = False


@sync_group.command("hub-cert")
@click.option("--cert", "cert_out", required=True, type=click.Path(dir_okay=False))
@click.option("--key", "key_out", required=True, type=click.Path(dir_okay=False))
@click.option("--host", "hosts", multiple=True, required=True, help="Name or IP laptops use.")
@click.option("--days", default=3650, show_default=True, type=click.IntRange(1, 36500))
def sync_hub_cert(cert_out: str, key_out: str, hosts: tuple[str, ...], days: int) -> None:
    """Make the hub's self-signed TLS certificate; prints the fingerprint to hand to laptops.

    Example: cchc sync hub-cert --cert hub.crt --key hub.key --host dongbo.haiphong.gov.vn
    """
    fingerprint = hub_tls.make_certificate(Path(cert_out), Path(key_out), list(hosts), days)
    click.echo(CLI["hub_cert_made"].format(cert=cert_out, key=key_out))
    click.echo(CLI["serving_fingerprint"].format(fingerprint=fingerprint))


_FINGERPRINT = click.option(
    "--hub-fingerprint",
    envvar="CCHC_HUB_FINGERPRINT",
    help="SHA-256 fingerprint of the hub's TLS certificate (remembered for this URL).",
)
_INSECURE = click.option(
    "--insecure-http", is_flag=True, help="Allow plain http:// to another machine (unsafe)."
)


@sync_group.command("push")
@click.option("--url", required=True)
@_FINGERPRINT
@_INSECURE
@click.option("--json", "as_json", is_flag=True)
@pass_state
@sync_errors
def sync_push(
    state: State, url: str, hub_fingerprint: str | None, insecure_http: bool, as_json: bool
) -> None:
    """Send the hub what it lacks (resumes after a cut). Example: cchc sync push --url https://…"""
    with _ws(state) as ws:
        out = exchange.push(ws, url, fingerprint=hub_fingerprint, insecure_http=insecure_http)
    if as_json:
        echo_json(_reasons_in_words(out))
    else:
        click.echo(
            CLI["pushed"].format(
                sha8=out["sha256"][:8],
                size=out["size"],
                url=url,
                applied=out.get("applied", 0),
                duplicate=out.get("duplicate", 0),
                rejected=out.get("rejected", 0),
            )
        )
    if out.get("rejected"):
        sys.exit(EXIT_FAILURE)


@sync_group.command("pull")
@click.option("--url", required=True)
@_FINGERPRINT
@_INSECURE
@click.option("--json", "as_json", is_flag=True)
@pass_state
@sync_errors
def sync_pull(
    state: State, url: str, hub_fingerprint: str | None, insecure_http: bool, as_json: bool
) -> None:
    """Fetch and import what the hub holds for this laptop (resumes after a cut)."""
    with _ws(state) as ws:
        out = exchange.pull(ws, url, fingerprint=hub_fingerprint, insecure_http=insecure_http)
    if as_json:
        echo_json(_reasons_in_words(out))
    elif out.get("nothing"):
        click.echo(CLI["pulled_nothing"].format(url=url))
    else:
        click.echo(CLI["pulled"].format(url=url, **{k: out[k] for k in _COUNTS}))
    if out.get("rejected"):
        sys.exit(EXIT_FAILURE)


_COUNTS = ("applied", "duplicate", "held", "rejected")


@sync_group.command("email")
@click.option("--to", "to_addr", required=True, help="Recipient address.")
@click.option("--out", "out_dir", required=True, type=click.Path(file_okay=False))
@click.option("--part-size", type=click.IntRange(min=1024), help="Cap each attached part.")
@click.option(
    "--letter-size",
    type=click.IntRange(min=1024),
    help="Cap each whole letter at BYTES, as a mail server counts it (base64 and headers).",
)
@click.option("--peer", help="Only what this site has not acknowledged.")
@click.option("--smtp-host", envvar="CCHC_SMTP_HOST", help="Send through this server too.")
@click.option("--smtp-port", envvar="CCHC_SMTP_PORT", type=int, default=587)
@click.option("--smtp-user", envvar="CCHC_SMTP_USER")
@click.option("--smtp-password", envvar="CCHC_SMTP_PASSWORD")
@click.option("--smtp-security", type=click.Choice(["starttls", "ssl", "none"]), default="starttls")
@click.option(
    "--encrypt-to",
    multiple=True,
    help="Seal to this site (repeat for several; default: --peer whenever its key is known, "
    "else the next readers).",
)
@click.option(
    "--no-encrypt",
    is_flag=True,
    help="Leave the bundle readable by anyone who holds the file (signed only); by default it "
    "is sealed to --encrypt-to, else --peer, else its next readers as the trust file names "
    "them (a unit's laptop: the consolidator and the city; the consolidator: the city; the "
    "city: every laptop it certified).",
)
@click.option("--json", "as_json", is_flag=True)
@pass_state
@sync_errors
def sync_email(
    state: State,
    to_addr: str,
    out_dir: str,
    part_size: int | None,
    letter_size: int | None,
    peer: str | None,
    smtp_host: str | None,
    smtp_port: int,
    smtp_user: str | None,
    smtp_password: str | None,
    smtp_security: str,
    encrypt_to: tuple[str, ...],
    no_encrypt: bool,
    as_json: bool,
) -> None:
    """Write .eml files (one per part) ready to send; send them when an SMTP server is given.

    Example: cchc sync email --to vanphong@haiphong.gov.vn --out ~/thu --letter-size 9000000
    """
    if no_encrypt and encrypt_to:
        fail(CLI["encrypt_conflict"], EXIT_BAD_INPUT)
    config = None
    if smtp_host:
        config = exchange.SmtpConfig(
            host=smtp_host,
            port=smtp_port,
            username=smtp_user,
            password=smtp_password,
            security=smtp_security,
        )
    with _ws(state) as ws:
        paths, sent = exchange.email_bundle(
            ws,
            to=to_addr,
            out=Path(out_dir),
            part_size=part_size,
            letter_size=letter_size,
            peer=peer,
            smtp=config,
            encrypt_to=encrypt_to,
            encrypt=not no_encrypt,
        )
        _say_if_clear(ws, peer, encrypt_to, not no_encrypt)
    if as_json:
        echo_json({"paths": [str(p) for p in paths], "sent": sent})
        return
    click.echo(CLI["emails_written"].format(count=len(paths), to=to_addr))
    for p in paths:
        click.echo(f"{p}  ({size_text(p.stat().st_size)})")
    if sent:
        click.echo(CLI["emails_sent"].format(count=sent, to=to_addr))


def register(cli: click.Group) -> None:
    for command in (keys_group, trust_group, sync_group):
        cli.add_command(command)
