"""The web application: pages over `dispatch_gen.api`, for the văn thư who works in a browser.

Every route reads its input, calls api functions and renders a page; the rules (validation,
numbering, revisions, year-end) are the api's. Safety lives here: sign-in when reachable beyond
this computer, a CSRF token on every POST, upload size limits, paths confined to their folder,
and errors shown as a page with one message while the log keeps the detail.
"""
from __future__ import annotations

import datetime as dt
import difflib
import hashlib
import io
import logging
import os
import secrets
import tempfile
import threading
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from flask import (Flask, abort, g, jsonify, redirect, render_template, request, send_file, session,
                   url_for)
from flask.sessions import SecureCookieSessionInterface
from markupsafe import Markup
from werkzeug.exceptions import HTTPException

from .. import api
from ..errors import ConverterError, DataError, DispatchGenError, Problem
from ..model import Document
from . import forms
from .jobs import Jobs
from .labels import OUTCOMES, STATUSES, kind_label, label_of, message_vi
from .safety import PathRefused, confined, safe_name

log = logging.getLogger("dispatch_gen.web")

DATA_SUFFIXES = (".yaml", ".yml")
MB = 1024 * 1024


@dataclass
class WebConfig:
    """Where the server reads and writes, and who may use it."""

    data: Path
    output: Path = Path("output")
    registry: str | None = None
    templates: Path | None = None
    users_file: Path | None = None
    max_upload_mb: int = 20
    https_proxy: bool = False
    cache: Path | None = None
    signing: Path | None = None
    """A signing configuration (see `dispatch_gen.sign.config`): offers "Ký số" on issued
    documents; its passphrases and PINs come from the server's environment."""
    secret_key: bytes = field(default_factory=lambda: secrets.token_bytes(32))

    def __post_init__(self) -> None:
        self.data = Path(self.data)
        self.output = Path(self.output)
        if self.registry is None:
            env = os.environ.get("DISPATCH_GEN_REGISTRY", "").strip()
            self.registry = env or str(self.data / "registry.sqlite")
        if self.cache is None:
            self.cache = self.output / ".web-cache"
        if self.signing is not None:
            self.signing = Path(self.signing)


class _Session(SecureCookieSessionInterface):
    """The session cookie is Secure whenever the request came over HTTPS."""

    def get_cookie_secure(self, app: Flask) -> bool:
        return bool(app.config.get("SESSION_COOKIE_SECURE")) or request.is_secure


_ERRORS = {
    400: "Yêu cầu không hợp lệ.",
    403: "Bạn không có quyền thực hiện thao tác này.",
    404: "Không tìm thấy trang hoặc tệp này.",
    405: "Thao tác này không dùng được theo cách đó.",
    413: "Tệp tải lên quá lớn.",
}


def create_app(config: WebConfig) -> Flask:
    app = Flask(__name__)
    app.config.update(
        SECRET_KEY=config.secret_key,
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Strict",
        SESSION_COOKIE_NAME="dispatch_gen_session",
        MAX_CONTENT_LENGTH=config.max_upload_mb * MB,
        MAX_FORM_MEMORY_SIZE=config.max_upload_mb * MB,
        MAX_FORM_PARTS=50_000,  # a long document's form has a field per paragraph, list and box
        TEMPLATES_AUTO_RELOAD=False,
    )
    app.session_interface = _Session()
    if config.https_proxy:
        from werkzeug.middleware.proxy_fix import ProxyFix

        app.wsgi_app = ProxyFix(app.wsgi_app, x_proto=1, x_host=1)  # type: ignore[method-assign]
    app.jinja_env.globals.update(signing=config.signing is not None, label_of=label_of, kind_label=kind_label, STATUSES=STATUSES, message_vi=message_vi)
    app.jinja_env.filters["vi"] = message_vi
    app.jinja_env.filters["anchor"] = lambda f: "f-" + forms.form_path(f).replace(".", "-")
    app.extensions["dispatch_gen"] = config
    jobs = Jobs()
    users: dict[str, str] = {}
    if config.users_file is not None:
        from .users import read_users

        users = read_users(config.users_file)
    preview_lock = threading.Lock()

    # --- safety -----------------------------------------------------------------------------

    def csrf_token() -> str:
        if "csrf" not in session:
            session["csrf"] = secrets.token_urlsafe(32)
        return session["csrf"]

    app.jinja_env.globals["csrf_token"] = csrf_token

    @app.before_request
    def _guard():
        g.user = session.get("user")
        if config.users_file is not None and g.user is None and request.endpoint not in ("login", "static"):
            if request.method == "GET":
                return redirect(url_for("login", next=request.full_path if request.query_string else request.path))
            abort(403)
        if request.method not in ("GET", "HEAD", "OPTIONS"):
            sent = request.headers.get("X-CSRF-Token") or request.form.get("csrf_token", "")
            expected = session.get("csrf")
            if not expected or not secrets.compare_digest(str(sent), str(expected)):
                log.warning("CSRF token missing or wrong: %s %s", request.method, request.path)
                return error_page("Phiên làm việc đã hết hạn hoặc yêu cầu không hợp lệ (thiếu mã bảo vệ CSRF). "
                                  "Hãy tải lại trang rồi thử lại.", 400)

    @app.after_request
    def _headers(response):
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("X-Frame-Options", "SAMEORIGIN")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        response.headers.setdefault(
            "Content-Security-Policy",
            "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; frame-ancestors 'self'")
        return response

    def error_page(message: str, status: int, lines: list[str] | None = None):
        return render_template("error.html", message=message, lines=lines or []), status

    @app.errorhandler(PathRefused)
    def _refused(exc: PathRefused):
        log.warning("path refused: %s", exc)
        return error_page(exc.lines[0], 404)

    @app.errorhandler(DispatchGenError)
    def _user_error(exc: DispatchGenError):
        log.info("refused: %s", exc)
        return error_page("Không thực hiện được:", 400, [message_vi(line) for line in exc.lines])

    @app.errorhandler(HTTPException)
    def _http(exc: HTTPException):
        return error_page(_ERRORS.get(exc.code or 500, exc.name), exc.code or 500)

    @app.errorhandler(Exception)
    def _crash(exc: Exception):
        log.exception("error on %s %s", request.method, request.path)
        return error_page("Đã xảy ra lỗi trong máy chủ. Chi tiết đã được ghi vào nhật ký máy chủ.", 500)

    # --- helpers ----------------------------------------------------------------------------

    def data_path(rel: str, must_exist: bool = True) -> Path:
        return confined(config.data, rel, DATA_SUFFIXES, must_exist)

    def rel_of(path: Path) -> str:
        return path.resolve().relative_to(config.data.resolve()).as_posix()

    def output_url(path: Path) -> str | None:
        try:
            rel = Path(path).resolve().relative_to(config.output.resolve()).as_posix()
        except ValueError:
            return None
        return url_for("output_file", rel=rel)

    app.jinja_env.globals["output_url"] = output_url

    def uploaded(name: str, suffixes: tuple[str, ...]):
        file = request.files.get(name)
        if file is None or not file.filename:
            raise DataError("chưa chọn tệp để tải lên")
        if not file.filename.lower().endswith(suffixes):
            raise DataError(f"{file.filename}: chỉ nhận tệp {', '.join(suffixes)}")
        return file

    def edit_page(rel: str, text: str, base_hash: str, problems: list[Problem] | None = None,
                  notice: str | None = None, stale_diff: str | None = None, tab: str = "form", status: int = 200,
                  signed_pdf: str | None = None):
        problems = problems or []
        try:
            api.load_yaml_text(text, rel)  # under the data limits first: no alias, no deep nesting
            raw = forms.load_rt(text)
        except DataError:  # a YAML syntax error or a broken limit: the problems list says where
            raw = None
        form_off = not isinstance(raw, dict)
        if form_off:
            tab = "source"
        widgets = forms.build(Document, raw)
        by_field: dict[str, list[str]] = {}
        for p in problems:
            by_field.setdefault(forms.form_path(p.field), []).append(message_vi(p.message))
        lines = {p.line for p in problems if p.line}
        doc_id = raw.get("id") if isinstance(raw, dict) else None
        entry = None
        if doc_id:
            entry = next((e for e in catalog_entries() if e.doc_id == doc_id), None)
        return render_template(
            "edit.html", rel=rel, widgets=widgets, text=text, base_hash=base_hash, problems=problems,
            by_field=by_field, bad_lines=lines, notice=notice, stale_diff=stale_diff, tab=tab,
            entry=entry, text_hash=forms_hash(text), form_off=form_off, signed_pdf=signed_pdf), status

    def catalog_entries():
        return api.registry_entries(config.registry)

    def forms_hash(text: str) -> str:
        return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]

    # --- pages ------------------------------------------------------------------------------

    @app.route("/login", methods=["GET", "POST"])
    def login():
        message = None
        if request.method == "POST":
            from .users import verify

            name = request.form.get("name", "").strip()
            if verify(users, name, request.form.get("password", "")):
                session.clear()
                session["user"] = name
                session["csrf"] = secrets.token_urlsafe(32)
                target = request.args.get("next") or "/"
                if not target.startswith("/") or target.startswith("//"):
                    target = "/"
                log.info("sign-in: %s", name)
                return redirect(target)
            log.warning("failed sign-in for %r from %s", name, request.remote_addr)
            message = "Tên đăng nhập hoặc mật khẩu không đúng."
        return render_template("login.html", message=message), (401 if message else 200)

    @app.post("/logout")
    def logout():
        session.clear()
        return redirect(url_for("login") if config.users_file else url_for("documents"))

    @app.get("/")
    def documents():
        files = api.documents(config.data, config.registry)
        q = request.args.get("q", "").strip().casefold()
        year = request.args.get("year", "")
        kind = request.args.get("kind", "")
        status = request.args.get("status", "")
        years = sorted({f.year for f in files if f.year}, reverse=True)
        kinds = sorted({f.kind for f in files})
        shown = [f for f in files
                 if (not q or q in f"{f.rel} {f.doc_id} {f.title} {f.number_text}".casefold())
                 and (not year or str(f.year) == year)
                 and (not kind or f.kind == kind)
                 and (not status or f.status == status)]
        shown.sort(key=lambda f: (-(f.year or 0), f.rel))
        return render_template("documents.html", files=shown, total=len(files), q=request.args.get("q", ""),
                               year=year, kind=kind, status=status, years=years, kinds=kinds)

    @app.get("/doc/<path:rel>")
    def edit(rel: str):
        path = data_path(rel)
        current = api.read_data_text(path)
        tab = request.args.get("tab", "form")
        notice = session.pop("notice", None)
        signed_pdf = session.pop("signed_pdf", None)
        _, problems = api.data_problems(path, current.text)
        return edit_page(rel, current.text, current.hash, problems, notice=notice, tab=tab, signed_pdf=signed_pdf)

    @app.post("/doc/<path:rel>/save")
    def save(rel: str):
        path = data_path(rel)
        base_hash = request.form.get("base_hash", "")
        current = api.read_data_text(path)
        if request.form.get("mode") == "source":
            text = request.form.get("source", "").replace("\r\n", "\n")
            if "\r\n" in current.text:
                text = text.replace("\n", "\r\n")
            tab = "source"
        else:
            _, problems = api.data_problems(path, current.text)
            if problems and "YAML" in problems[0].message:
                raise DataError("tệp đang có lỗi cú pháp YAML: hãy sửa trong tab Nguồn")
            pairs = [(k, v) for k, vs in request.form.lists() for v in vs]
            text = forms.apply_form(current.text, pairs, Document)
            tab = "form"
        try:
            api.save_data_text(path, text, base_hash)
        except api.StaleError as exc:
            diff = "".join(difflib.unified_diff(exc.current.splitlines(True), text.splitlines(True),
                                                "tệp hiện tại (người khác đã lưu)", "bản của bạn"))
            return edit_page(rel, text, base_hash, [], stale_diff=diff or "(không khác)", tab=tab, status=409)
        except DataError as exc:
            return edit_page(rel, text, base_hash, list(p for p in exc.problems if isinstance(p, Problem)),
                             tab=tab, status=422)
        session["notice"] = "Đã lưu."
        return redirect(url_for("edit", rel=rel, tab=tab))

    @app.get("/doc/<path:rel>/preview")
    def preview(rel: str):
        path = data_path(rel)
        text = api.read_data_text(path).text
        doc, problems = api.data_problems(path, text)
        if doc is None:
            return render_template("preview.html", problems=problems, pages=[], paragraphs=[], notice=None)
        data = api.render(doc, config.templates)
        digest = hashlib.sha256(data).hexdigest()
        folder = Path(config.cache) / "preview" / digest
        pages = sorted(folder.glob("page-*.png"), key=lambda p: int(p.stem.split("-")[1])) if folder.is_dir() else []
        notice = None
        if not pages:
            try:
                with preview_lock:
                    pages = _make_preview(data, folder)
            except ConverterError as exc:
                log.info("preview without page images: %s", exc)
                notice = ("Máy chủ chưa có LibreOffice nên chỉ hiện nội dung chữ của văn bản; "
                          "cài libreoffice-writer để xem các trang như khi in.")
        if pages:
            return render_template("preview.html", problems=[], notice=None, paragraphs=[],
                                   pages=[url_for("preview_image", digest=digest, page=p.stem.split("-")[1])
                                          for p in pages])
        from ..readers.docx_text import paragraphs

        return render_template("preview.html", problems=[], pages=[], notice=notice, paragraphs=paragraphs(data))

    def _make_preview(data: bytes, folder: Path) -> list[Path]:
        folder.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory(dir=folder.parent, prefix=".tmp-") as tmp:
            docx = Path(tmp) / "van-ban.docx"
            docx.write_bytes(data)
            out = Path(tmp) / "png"
            out.mkdir()
            made = api.preview(docx, out_dir=out, dpi=80)
            for png in made:
                png.rename(out / f"page-{png.stem.rsplit('-p', 1)[1]}.png")
            try:
                out.rename(folder)
            except OSError:
                pass  # another request made it first
        return sorted(folder.glob("page-*.png"), key=lambda p: int(p.stem.split("-")[1]))

    @app.get("/preview/<digest>/<int:page>.png")
    def preview_image(digest: str, page: int):
        if len(digest) != 64 or any(c not in "0123456789abcdef" for c in digest):
            abort(404)
        png = Path(config.cache) / "preview" / digest / f"page-{page}.png"
        if not png.is_file():
            abort(404)
        response = send_file(png, mimetype="image/png", max_age=31536000)
        return response

    # --- issue, build, history, downloads ---------------------------------------------------

    @app.route("/doc/<path:rel>/issue", methods=["GET", "POST"])
    def issue(rel: str):
        path = data_path(rel)
        when = request.values.get("date", "").strip()
        date = None
        if when:
            try:
                date = dt.date.fromisoformat(when)
            except ValueError:
                raise DataError(f"“{when}” không phải ngày hợp lệ (năm-tháng-ngày)") from None
        if request.method == "GET":
            plan = api.issue_plan(path, config.registry, date)
            return render_template("issue.html", rel=rel, plan=plan, date=date or plan.date,
                                   base_hash=api.read_data_text(path).hash)
        if request.form.get("base_hash") and request.form["base_hash"] != api.read_data_text(path).hash:
            raise DataError("tệp dữ liệu vừa được người khác sửa; hãy xem lại rồi cấp số")
        signing = config.signing if config.signing is not None and request.form.get("sign") else None
        outcome = api.issue(path, config.output, config.templates, config.registry, date=date,
                            pdf=signing is not None, sign=signing)
        session["notice"] = f"{outcome.number_line} — " + OUTCOMES[outcome.status].format(rev=outcome.revision)
        if signing is not None:
            session["notice"] += "; " + _signed_notice(outcome)
        return redirect(url_for("edit", rel=rel))

    def _signed_notice(outcome) -> str:
        said = [n for n in outcome.notes if n.startswith(("signed as", "signed PDF unchanged"))]
        who = "; ".join(n.replace("signed as signer: ", "người có thẩm quyền ")
                        .replace("signed as organisation: ", "cơ quan ")
                        .replace("signed PDF unchanged: nothing written", "bản PDF đã ký trước đó vẫn giữ nguyên")
                        for n in said)
        return f"đã ký số ({who})" if who else "đã ký số"

    @app.post("/doc/<path:rel>/sign")
    def sign(rel: str):
        if config.signing is None:
            abort(404)
        path = data_path(rel)
        outcome = api.sign_issued(path, config.signing, config.output, config.templates, config.registry)
        session["notice"] = f"{outcome.number_line} — " + _signed_notice(outcome)
        session["signed_pdf"] = output_url(outcome.pdf) if outcome.pdf else None
        return redirect(url_for("edit", rel=rel))

    @app.post("/doc/<path:rel>/build")
    def build(rel: str):
        path = data_path(rel)
        outcome = api.build(path, config.output, config.templates, config.registry)
        session["notice"] = f"{outcome.number_line} — " + OUTCOMES[outcome.status].format(rev=outcome.revision)
        return redirect(url_for("edit", rel=rel))

    def doc_of(rel: str) -> Document:
        return api.load_document(data_path(rel))

    @app.get("/doc/<path:rel>/history")
    def history(rel: str):
        doc = doc_of(rel)
        try:
            revisions = api.history(doc.id, config.registry)
        except DispatchGenError:
            revisions = []
        a = request.args.get("a", type=int)
        b = request.args.get("b", type=int)
        table = None
        if len(revisions) >= 2:
            by_rev = {r.rev: r for r in revisions}
            a = a if a in by_rev else revisions[-2].rev
            b = b if b in by_rev else revisions[-1].rev
            html = difflib.HtmlDiff().make_table(
                by_rev[a].paragraphs, by_rev[b].paragraphs, f"Bản {a}", f"Bản {b}", context=True, numlines=1)
            table = Markup(html.replace("&nbsp;", " ").replace(' nowrap="nowrap"', ""))  # the page wraps the text
        return render_template("history.html", rel=rel, doc=doc, revisions=revisions, a=a, b=b, table=table)

    def _docx_of(rel: str, rev: int | None) -> tuple[bytes, str]:
        doc = doc_of(rel)
        if rev is not None:
            return api.revision_docx(doc.id, rev, config.registry), f"{doc.id}-ban-{rev}"
        return api.render(doc, config.templates), api.output_name(doc)[:-5]

    @app.get("/doc/<path:rel>/download.docx")
    def download_docx(rel: str):
        data, name = _docx_of(rel, request.args.get("rev", type=int))
        return send_file(io.BytesIO(data), as_attachment=True, download_name=f"{name}.docx",
                         mimetype="application/vnd.openxmlformats-officedocument.wordprocessingml.document")

    @app.get("/doc/<path:rel>/download.pdf")
    def download_pdf(rel: str):
        data, name = _docx_of(rel, request.args.get("rev", type=int))
        pdf = _pdf_of(data)
        return send_file(pdf, as_attachment=True, download_name=f"{name}.pdf", mimetype="application/pdf")

    def _pdf_of(data: bytes) -> Path:
        digest = hashlib.sha256(data).hexdigest()
        target = Path(config.cache) / "pdf" / f"{digest}.pdf"
        if target.is_file():
            return target
        target.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory(dir=target.parent, prefix=".tmp-") as tmp:
            docx = Path(tmp) / f"{digest}.docx"
            docx.write_bytes(data)
            with preview_lock:
                [made] = api.convert_to_pdf([docx], Path(tmp) / "out")
            made.replace(target)
        return target

    @app.route("/doc/<path:rel>/rollover", methods=["GET", "POST"])
    def rollover(rel: str):
        path = data_path(rel)
        doc = api.load_document(path)
        year = request.values.get("year", type=int) or doc.campaign_year + 1
        old = str(doc.campaign_year)
        name = path.name.replace(old, str(year)) if old in path.name else f"{path.stem}-{year}{path.suffix}"
        target_rel = rel_of(path.parent / name)
        if request.method == "GET":
            return render_template("rollover.html", rel=rel, doc=doc, year=year, target=target_rel, result=None)
        target = data_path(target_rel, must_exist=False)
        result = api.rollover(path, year, target)
        return render_template("rollover.html", rel=rel, doc=doc, year=year, target=target_rel, result=result)

    # --- check, import ----------------------------------------------------------------------

    @app.route("/check", methods=["GET", "POST"])
    def check():
        report = None
        name = None
        if request.method == "POST":
            file = uploaded("file", (".docx",))
            name = file.filename
            with tempfile.TemporaryDirectory(prefix="dispatch-gen-check-") as tmp:
                local = Path(tmp) / safe_name(file.filename, ".docx")
                file.save(local)
                report = api.check_file(local)
        return render_template("check.html", report=report, name=name)

    @app.route("/import", methods=["GET", "POST"])
    def import_():
        if request.method == "GET":
            return render_template("import.html", result=None)
        file = uploaded("file", (".docx", ".txt"))
        suffix = Path(file.filename).suffix.lower()
        wanted = request.form.get("name", "").strip() or Path(file.filename).stem
        target_rel = safe_name(wanted, ".yaml")
        target = data_path(target_rel, must_exist=False)
        if target.exists():
            raise DataError(f"{target_rel}: đã có tệp này trong thư mục dữ liệu; hãy đặt tên khác")
        with tempfile.TemporaryDirectory(prefix="dispatch-gen-import-") as tmp:
            local = Path(tmp) / safe_name(Path(file.filename).stem, suffix)
            file.save(local)
            result = api.import_document(local, target, profile=request.form.get("profile") or None)
        return render_template("import.html", result=result, target=target_rel)

    # --- year-end ---------------------------------------------------------------------------

    def _year_end_files():
        files = api.documents(config.data, config.registry)
        return ([f for f in files if f.status != "results"], [f for f in files if f.status == "results"])

    def _uploaded_workbook(results_rel: str) -> Path:
        return Path(config.cache) / "workbooks" / (results_rel.replace("/", "__") + ".xlsx")

    def _sources(args) -> tuple[str, Path, str, Path, Path]:
        campaign_rel = args.get("campaign", "")
        results_rel = args.get("results", "")
        campaign = data_path(campaign_rel)
        results = data_path(results_rel)
        source = results
        if args.get("source") == "workbook":
            book = _uploaded_workbook(results_rel)
            if not book.is_file():
                raise DataError("chưa tải lên bảng kết quả (.xlsx) cho tệp kết quả này")
            source = api.results_with_workbook(results, book, book.with_suffix(".yaml"))
        return campaign_rel, campaign, results_rel, results, source

    @app.get("/year-end")
    def year_end():
        launches, results_files = _year_end_files()
        campaign_rel = request.args.get("campaign") or next(
            (f.rel for f in launches if any(r.doc_id == f.doc_id for r in results_files)), "")
        results_rel = request.args.get("results") or next(
            (r.rel for r in results_files if campaign_rel and any(
                f.rel == campaign_rel and f.doc_id == r.doc_id for f in launches)), "")
        checked, problems = None, []
        source = request.args.get("source", "yaml")
        has_workbook = bool(results_rel) and _uploaded_workbook(results_rel).is_file()
        if campaign_rel and results_rel:
            try:
                _, campaign, _, _, src = _sources({"campaign": campaign_rel, "results": results_rel, "source": source})
                checked = api.results_check(campaign, src)
            except DataError as exc:
                problems = exc.lines
        return render_template("year_end.html", launches=launches, results_files=results_files,
                               campaign=campaign_rel, results=results_rel, checked=checked, problems=problems,
                               source=source, has_workbook=has_workbook, jobs=jobs.recent(),
                               made=session.pop("made", None))

    @app.get("/year-end/workbook.xlsx")
    def workbook_download():
        _, campaign, _, results, _ = _sources(request.args)
        with tempfile.TemporaryDirectory(prefix="dispatch-gen-xlsx-") as tmp:
            target = Path(tmp) / "ket-qua.xlsx"
            fill = request.args.get("fill") == "1"
            api.results_workbook(campaign, target, [], results if not fill else None, results if fill else None)
            data = target.read_bytes()
        doc = api.load_document(campaign)
        return send_file(io.BytesIO(data), as_attachment=True, download_name=f"ket-qua-{doc.id}.xlsx",
                         mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")

    @app.post("/year-end/upload")
    def workbook_upload():
        campaign_rel = request.form.get("campaign", "")
        results_rel = request.form.get("results", "")
        campaign = data_path(campaign_rel)
        results = data_path(results_rel)
        file = uploaded("file", (".xlsx",))
        target = _uploaded_workbook(results_rel)
        target.parent.mkdir(parents=True, exist_ok=True)
        staged = target.with_name(f".{secrets.token_hex(4)}-{target.name}")
        file.save(staged)
        try:
            source = api.results_with_workbook(results, staged, staged.with_suffix(".yaml"))
            api.results_check(campaign, source)
        except DataError as exc:
            staged.unlink(missing_ok=True)
            staged.with_suffix(".yaml").unlink(missing_ok=True)
            launches, results_files = _year_end_files()
            lines = [message_vi(line.replace(str(staged.resolve()), file.filename).replace(str(staged), file.filename)
                                .replace(staged.name, file.filename)) for line in exc.lines]
            return render_template("year_end.html", launches=launches, results_files=results_files,
                                   campaign=campaign_rel, results=results_rel, checked=None, problems=lines,
                                   source="workbook", has_workbook=target.is_file(), jobs=jobs.recent(),
                                   made=None, upload_failed=file.filename), 422
        finally:
            staged.with_suffix(".yaml").unlink(missing_ok=True)
        staged.replace(target)
        return redirect(url_for("year_end", campaign=campaign_rel, results=results_rel, source="workbook"))

    @app.post("/year-end/<what>")
    def year_end_make(what: str):
        if what not in ("report", "decision", "certificates"):
            abort(404)
        campaign_rel, campaign, results_rel, _, source = _sources(request.form)
        issue_it = request.form.get("issue") == "1"
        pdf = request.form.get("pdf") == "1"
        back = url_for("year_end", campaign=campaign_rel, results=results_rel, source=request.form.get("source", "yaml"))
        if what in ("report", "decision"):
            def work(job):
                job.start(1)
                made = getattr(api, what)(campaign, source, config.output, config.templates, config.registry,
                                          issue_it, None, False, pdf)
                job.advance()
                return {"paths": [str(p) for p in made.paths], "warnings": [str(w) for w in made.warnings],
                        "status": OUTCOMES[made.outcome.status].format(rev=made.outcome.revision),
                        "number_line": made.outcome.number_line}
            title = "Báo cáo tổng kết" if what == "report" else "Quyết định công nhận danh hiệu"
        else:
            def work(job):
                made = api.certificates(campaign, source, config.output, config.templates, config.registry,
                                        False, pdf, None, progress=job.advance, on_start=job.start)
                return {"paths": [str(p) for p in made.paths], "pdf": str(made.pdf) if made.pdf else None,
                        "warnings": [str(w) for w in made.warnings], "notes": made.notes,
                        "folder": str(made.paths[0].parent) if made.paths else None}
            title = "Giấy khen" + (" và tệp PDF để in" if pdf else "")
        job = jobs.start(title, work, g.user)
        return redirect(url_for("job_page", job_id=job.id, back=back))

    @app.get("/jobs/<job_id>")
    def job_page(job_id: str):
        job = jobs.get(job_id) or abort(404)
        back = request.args.get("back", "")
        if not back.startswith("/") or back.startswith("//"):
            back = url_for("year_end")
        return render_template("job.html", job=job, back=back)

    @app.get("/jobs/<job_id>.json")
    def job_json(job_id: str):
        job = jobs.get(job_id) or abort(404)
        return jsonify(job.as_dict())

    @app.get("/jobs/<job_id>/giay-khen.zip")
    def job_zip(job_id: str):
        job = jobs.get(job_id) or abort(404)
        if job.state != "done" or not job.result.get("folder"):
            abort(404)
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
            for p in job.result["paths"]:
                path = Path(p)
                if path.is_file():
                    zf.write(path, path.name)
        buf.seek(0)
        return send_file(buf, as_attachment=True, download_name="giay-khen.zip", mimetype="application/zip")

    @app.get("/output/<path:rel>")
    def output_file(rel: str):
        path = confined(config.output, rel, (".docx", ".pdf", ".xlsx", ".png"))
        return send_file(path, as_attachment=True, download_name=path.name)

    return app
