"""证明打印 and 一码亮证 on the reference platform: the documents and e-licences a citizen can get.

A Flask blueprint (registered by platform_server/app.py in one line). The demo platform knows no
real registers: what it issues is derived from the holder's ID number, the same every time, so
tests and the tour see stable documents. Issued documents are remembered only by number, type,
verification code and a hash of the holder (verification needs no personal data).

  POST /api/v1/documents/available   {"holder"}                  -> {"documents": [{type, title, issuer}]}
  POST /api/v1/documents/issue       {"type", "holder"}          -> application/pdf, X-Document-No,
                                                                    X-Verification-Code, X-Page-Count
  GET  /api/v1/documents/verify/<no>?code=...                    -> {"valid", "type", "title", "issued_at"}
  POST /api/v1/licences/list         {"holder"}                  -> {"licences": [{id, title, issuer,
                                                                    number_masked, valid_to, fields}]}
  POST /api/v1/licences/copy         {"licence_id", "holder"}    -> application/pdf as issue
holder = {"id_number": "<18 characters>", "name": "..."}. The issuing POSTs need an Idempotency-Key;
a retry with the same key gets the same document number back.
"""
from __future__ import annotations

import hashlib
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

from typing import Annotated, TypeVar

from flask import Blueprint, Response, g, jsonify, request
from pydantic import BaseModel, ConfigDict, Field, StrictStr

from platform_server import db
from platform_server.bodies import json_body
from platform_server.document_pdf import certificate_pdf, licence_copy_pdf
from platform_server.schemas import validate

CST = timezone(timedelta(hours=8))
M = TypeVar("M", bound=BaseModel)
VERIFY_URL = "https://zwfw.heze.gov.cn/zm"
DOCUMENTS = {
    "social_insurance": ("社保参保证明", "菏泽市社会保险事业中心"),
    "housing_fund": ("公积金缴存证明", "菏泽市住房公积金管理中心"),
    "real_estate": ("不动产登记信息查询结果", "菏泽市不动产登记中心"),
    "marriage": ("婚姻登记记录证明", "菏泽市民政局婚姻登记处"),
}
LICENCES = {
    "id_card": ("居民身份证电子证照", "菏泽市公安局"),
    "driving": ("机动车驾驶证电子证照", "菏泽市公安局交通警察支队"),
    "sscard": ("社会保障卡电子证照", "菏泽市人力资源和社会保障局"),
    "hukou": ("居民户口簿电子证照", "菏泽市公安局"),
    "marriage": ("结婚证电子证照", "菏泽市民政局"),
    "property": ("不动产权证书电子证照", "菏泽市不动产登记中心"),
}
SCHEMA = """
CREATE TABLE IF NOT EXISTS issued_documents (
    document_no  TEXT PRIMARY KEY,
    idem_key     TEXT NOT NULL UNIQUE,
    body_hash    TEXT NOT NULL,
    type         TEXT NOT NULL,
    code         TEXT NOT NULL,
    holder_hash  TEXT NOT NULL,
    issued_at    TEXT NOT NULL,
    terminal_id  TEXT NOT NULL
)"""


def _err(status: int, code: str, message: str) -> Response:
    resp = jsonify({"error": {"code": code, "message": message}})
    resp.status_code = status
    return resp


def _seed(id_number: str, salt: str) -> int:
    return int(hashlib.sha256(f"{salt}:{id_number}".encode()).hexdigest()[:12], 16)


def _mask(number: str) -> str:
    return number[:3] + "*" * (len(number) - 7) + number[-4:] if len(number) > 8 else "****"


class Holder(BaseModel):
    """The identified citizen (kiosk/documents.py `_holder`, kiosk/benefits.py): an 18-character ID number."""
    model_config = ConfigDict(extra="forbid", strict=True)
    id_number: Annotated[StrictStr, Field(pattern=r"^[0-9]{17}[0-9Xx]$")]
    name: Annotated[StrictStr, Field(max_length=64)] | None = None

    def as_dict(self) -> dict:
        return {"id_number": self.id_number, "name": (self.name or "")[:30]}


class HolderBody(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)
    holder: Holder


class IssueBody(HolderBody):
    type: Annotated[StrictStr, Field(min_length=1, max_length=64)]


class CopyBody(HolderBody):
    licence_id: Annotated[StrictStr, Field(min_length=1, max_length=64)]


def read_body(model: type[M], codes: tuple[tuple[str, str], ...] = ()) -> M:
    """The request's JSON body as `model`; anything else is a 422 with the refused fields (one log line,
    platform_server/app.py): `invalid_holder` when the holder is what is wrong, else the first of `codes`
    naming a refused field, else `invalid_request`."""
    return validate(model, json_body(), "invalid_request", codes=(("holder", "invalid_holder"), *codes))


def certificate_pages(kind: str, holder: dict, issued: str) -> list[list[str]]:
    """The demo content of a certificate, stable for one holder."""
    s = _seed(holder["id_number"], kind)
    who = [f"姓名：{holder['name'] or '（未提供）'}", f"公民身份号码：{holder['id_number']}", ""]
    if kind == "social_insurance":
        start = 2008 + s % 10
        months = (2026 - start) * 12 + 10
        page1 = who + ["## 参保情况", f"企业职工基本养老保险　参保缴费　{start} 年 3 月起　累计 {months} 个月",
                       f"职工基本医疗保险　　　参保缴费　{start} 年 3 月起", f"失业保险　　　　　　　参保缴费　{start + 1} 年 1 月起",
                       "工伤保险　　　　　　　参保缴费", "", "特此证明。", f"出具日期：{issued}"]
        page2 = ["## 近 24 个月缴费明细（养老保险，单位：元）"]
        base = 3200 + s % 2000
        for i in range(24):
            year, month = 2024 + (10 + i) // 12, (10 + i) % 12 + 1
            page2.append(f"{year} 年 {month:02d} 月　缴费基数 {base}　个人 {base * 8 // 100}　单位 {base * 16 // 100}")
        return [page1, page2]
    if kind == "housing_fund":
        return [who + ["## 缴存情况", f"缴存状态：正常缴存　开户日期：{2010 + s % 12} 年 {s % 12 + 1} 月",
                       f"月缴存额：{600 + s % 900} 元　缴存比例：单位 12% 个人 12%",
                       f"连续缴存：{12 + s % 60} 个月", "", "特此证明。", f"出具日期：{issued}"]]
    if kind == "real_estate":
        record = ["## 登记信息", f"不动产单元号：371702{s % 10 ** 6:06d}GB00001F0001{s % 1000:04d}",
                  f"坐落：牡丹区中华路 {s % 300 + 1} 号 {s % 20 + 1} 号楼 {s % 6 + 1} 单元",
                  f"权利类型：国有建设用地使用权/房屋所有权　建筑面积：{80 + s % 70}.{s % 100:02d} ㎡",
                  "抵押登记：无　查封登记：无"] if s % 3 else ["## 登记信息", "经查询，未发现该申请人名下的不动产登记记录。"]
        return [who + record + ["", f"查询日期：{issued}"]]
    if kind == "marriage":
        return [who + ["## 婚姻登记记录", f"{2005 + s % 15} 年 {s % 12 + 1} 月 {s % 28 + 1} 日　结婚登记　菏泽市牡丹区民政局",
                       "", "以上为本机关婚姻登记信息系统中的记录。", f"出具日期：{issued}"]]
    raise KeyError(kind)


def _id_number(region: str, birth: str, seq: int) -> str:
    """A made-up 18-character ID number with a valid GB 11643 check digit."""
    body = f"{region}{birth}{seq % 1000:03d}"
    total = sum(int(d) * w for d, w in zip(body, (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)))
    return body + "10X98765432"[total % 11]


def licence_register(holder: dict) -> list[dict]:
    """Every e-licence linked to a holder, with its full `data` (for an application, with consent) and its
    masked `fields` (for showing). Demo: an ID card, a 户口簿 and a social security card for everyone,
    sometimes a driving licence, a 结婚证 and a 不动产权证书 — derived from the number, stable."""
    number, name = holder["id_number"], holder["name"]
    s = _seed(number, "licence")
    street = ("中华路", "人民路", "和平路", "长城路")[s % 4]
    address = f"山东省菏泽市牡丹区{street}{s % 300 + 1}号"
    card = f"H{s % 10 ** 8:08d}"
    items = [("id_card", number, f"{2030 + s % 10}-0{s % 9 + 1}-15",
              [("姓名", name), ("公民身份号码", _mask(number)), ("签发机关", "菏泽市公安局牡丹分局")],
              {"name": name, "number": number, "address": address})]
    if s % 2:
        items.append(("driving", number, f"{2028 + s % 6}-11-30",
                      [("姓名", name), ("证号", _mask(number)), ("准驾车型", "C1")], {"name": name, "class": "C1"}))
    items.append(("sscard", card, "长期", [("姓名", name), ("社会保障号码", _mask(number)), ("卡号", _mask(card))],
                  {"name": name, "card_number": card}))
    items.append(("hukou", number, "长期", [("户主", name), ("住址", address[:9] + "……")],
                  {"name": name, "address": address, "household_head": name, "relation": "户主"}))
    if s % 3 != 1:
        spouse = ("李", "王", "刘", "陈")[s % 4] + ("秀英", "桂兰", "建国", "志强")[(s // 4) % 4]
        spouse_number = _id_number("371702", f"{1950 + s % 45}{s % 12 + 1:02d}{s % 28 + 1:02d}", s)
        married = f"{2005 + s % 15}-{s % 12 + 1:02d}-{s % 28 + 1:02d}"
        items.append(("marriage", f"J371702-{married[:4]}-{s % 10 ** 6:06d}", "长期",
                      [("持证人", name), ("登记日期", married), ("配偶", spouse[0] + "*" * (len(spouse) - 1))],
                      {"marital_status": "已婚", "spouse_name": spouse, "spouse_id_number": spouse_number,
                       "married_on": married}))
    if s % 5 in (1, 2, 3):
        where = f"牡丹区{street}{s % 300 + 1}号{s % 20 + 1}号楼"
        items.append(("property", f"鲁（{2015 + s % 10}）菏泽市不动产权第{s % 10 ** 7:07d}号", "长期",
                      [("权利人", name), ("坐落", where)], {"property_address": where}))
    return [{"id": f"{kind}-{_seed(number, kind) % 10 ** 8:08d}", "type": kind, "title": LICENCES[kind][0],
             "issuer": LICENCES[kind][1], "number_masked": _mask(num), "valid_to": valid,
             "fields": [[k, v] for k, v in fields + [("有效期至", valid)]], "data": data}
            for kind, num, valid, fields, data in items]


def licence_list(holder: dict) -> list[dict]:
    """The e-licences linked to a holder, for showing (一码亮证): numbers masked, no `data`."""
    return [{k: v for k, v in item.items() if k != "data"} for item in licence_register(holder)]


def make_documents_blueprint(db_path: str | Path) -> Blueprint:
    """The blueprint; `db_path` is the platform's database (SQLite file or URL; one table of its own)."""
    bp = Blueprint("documents", __name__)
    db_path = str(db_path)
    # loading the CJK font takes a second or two: do it now, not while the first citizen waits
    import threading

    from common.pdf_fonts import cjk_font
    threading.Thread(target=cjk_font, name="documents-font", daemon=True).start()
    db.run_script(db_path, SCHEMA)

    def issue(kind: str, title: str, issuer: str, holder: dict, render) -> Response:
        key = request.headers.get("Idempotency-Key", "").strip()
        if not key or len(key) > 128:
            return _err(400, "idempotency_key_missing", "请求缺少幂等键")
        key = f"{g.terminal_id}\n{key}"   # keys are per terminal: another terminal's key is another request
        body_hash = hashlib.sha256(g.get("raw_body", b"")).hexdigest()
        holder_hash = hashlib.sha256(holder["id_number"].encode()).hexdigest()
        now = datetime.now(CST)
        conn = db.connect(db_path)
        try:
            with db.write(conn):
                row = conn.execute("SELECT document_no, body_hash, code, issued_at FROM issued_documents "
                                   "WHERE idem_key=?", (key,)).fetchone()
                if row is not None and row[1] != body_hash:
                    return _err(422, "idempotency_mismatch", "同一幂等键对应的请求内容不一致")
                if row is None:
                    digest = hashlib.sha256(f"{key}:{time.time_ns()}".encode()).hexdigest().upper()
                    number = f"HZ{now:%Y%m%d}{digest[:8]}"
                    row = (number, body_hash, digest[8:16], now.isoformat(timespec="seconds"))
                    conn.execute("INSERT INTO issued_documents VALUES (?,?,?,?,?,?,?,?)",
                                 (number, key, body_hash, kind, row[2], holder_hash, row[3], g.terminal_id))
        finally:
            conn.close()
        number, _, code, issued_at = row
        pdf, pages = render(number, code, issued_at[:10])
        resp = Response(pdf, mimetype="application/pdf")
        resp.headers.update({"X-Document-No": number, "X-Verification-Code": code, "X-Page-Count": str(pages),
                             "X-Document-Type": kind})
        return resp

    @bp.post("/api/v1/documents/available")
    def available():
        read_body(HolderBody)
        return jsonify({"documents": [{"type": k, "title": t, "issuer": i} for k, (t, i) in DOCUMENTS.items()]})

    @bp.post("/api/v1/documents/issue")
    def issue_document():
        body = read_body(IssueBody)
        holder, kind = body.holder.as_dict(), body.type
        if kind not in DOCUMENTS:
            return _err(404, "document_unknown", "没有这种证明")
        title, issuer = DOCUMENTS[kind]

        def render(number, code, issued):
            pages = certificate_pages(kind, holder, issued)
            return certificate_pdf(title, issuer, number, code, pages, VERIFY_URL), len(pages)
        return issue(kind, title, issuer, holder, render)

    @bp.get("/api/v1/documents/verify/<number>")
    def verify(number: str):
        conn = db.connect(db_path)
        try:
            row = conn.execute("SELECT type, code, issued_at FROM issued_documents WHERE document_no=?",
                               (number,)).fetchone()
        finally:
            conn.close()
        if row is None or row[1] != request.args.get("code", "").upper():
            return jsonify({"valid": False})
        title = DOCUMENTS.get(row[0], LICENCES.get(row[0].split(":")[-1], ("", "")))[0]
        return jsonify({"valid": True, "type": row[0], "title": title, "issued_at": row[2]})

    @bp.post("/api/v1/licences/list")
    def licences():
        return jsonify({"licences": licence_list(read_body(HolderBody).holder.as_dict())})

    @bp.post("/api/v1/licences/copy")
    def licence_copy():
        body = read_body(CopyBody)
        holder = body.holder.as_dict()
        licence = next((item for item in licence_list(holder) if item["id"] == body.licence_id), None)
        if licence is None:
            return _err(404, "licence_unknown", "没有找到这个证照")

        def render(number, code, issued):
            fields = [tuple(f) for f in licence["fields"]]
            return licence_copy_pdf(licence["title"], licence["issuer"], number, code, fields, VERIFY_URL), 1
        return issue(f"licence:{licence['type']}", licence["title"], licence["issuer"], holder, render)

    return bp


__all__ = ["make_documents_blueprint", "DOCUMENTS", "LICENCES"]
