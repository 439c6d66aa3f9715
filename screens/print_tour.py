"""Tour states of the printing screens: filled from the reference platform's own demo documents, so
the tour needs no network and shows the same pages every time."""
from __future__ import annotations



def _holder() -> dict:
    from kiosk.demo import demo_identity
    identity = demo_identity()
    return {"id_number": identity.number, "name": identity.name}


def _identify(app) -> None:
    from kiosk.demo import demo_identity
    app.identified(demo_identity())


def _certificate():
    from kiosk.documents import Document
    from platform_server.document_pdf import certificate_pdf
    from platform_server.documents import DOCUMENTS, VERIFY_URL, certificate_pages
    title, issuer = DOCUMENTS["social_insurance"]
    pages = certificate_pages("social_insurance", _holder(), "2026-11-30")
    pdf = certificate_pdf(title, issuer, "HZ20261130TOUR0001", "TOUR1234", pages, VERIFY_URL)
    return Document("social_insurance", title, "HZ20261130TOUR0001", "TOUR1234", len(pages), pdf)


def _offer(flow) -> None:
    from platform_server.documents import DOCUMENTS
    flow.state.documents = [{"type": k, "title": t, "issuer": i} for k, (t, i) in DOCUMENTS.items()]
    flow.state.loaded = True


def certificate_states(app) -> list:
    """choose, preview (page 1 of 2), printing, printed."""
    def at(step: str, job_state: str = ""):
        def go(app):
            from kiosk.printing import PrintJob, preview_pages
            _identify(app)
            app.go("certificates", load=False)
            screen = app.screen("certificates")
            flow = screen.flow
            _offer(flow)
            if step != "choose":
                doc = _certificate()
                flow.state.chosen, flow.state.document = doc.type, doc
                flow.state.previews = preview_pages(doc.pdf, 900)
                flow.go_to("preview")
            if job_state:
                flow.state.job = PrintJob("tour", flow.state.document.number, 2, state=job_state)
                flow.go_to("printing")
            screen.refresh()
        return go
    return [("-choose", at("choose")), ("-preview", at("preview")), ("-printing", at("preview", "printing")),
            ("-printed", at("preview", "done"))]


def licence_states(app) -> list:
    """A licence shown large; its copy printing."""
    def at(job_state: str = ""):
        def go(app):
            from kiosk.printing import PrintJob
            from platform_server.documents import licence_list
            _identify(app)
            app.go("licences", load=False)
            screen = app.screen("licences")
            flow = screen.flow
            flow.state.licences, flow.state.loaded = licence_list(_holder()), True
            if job_state:
                flow.state.job = PrintJob("tour", "HZ20261130TOUR0002", 1, state=job_state)
                flow.go_to("printing")
            screen.refresh()
        return go
    return [("-show", at()), ("-printed", at("done"))]


def print_demo_receipt(app, demo: dict) -> None:
    """Print the tour's demo receipt on the configured receipt printer (the simulator in the tour) and,
    when it is the simulator, put the printed slip beside the tour's photos as receipt-paper.png."""
    import shutil
    printing = app.terminal.printing
    receipt = printing.build_receipt(demo["local_id"], demo["kind"], demo["note"], "城乡居民基本养老保险参保登记",
                                     "371700-20261127-000007")
    printer = app.hub.get("receipt")
    printer.print_receipt(receipt)
    printing.mark_printed(demo["local_id"])
    out_dir = getattr(app, "out_dir", None)
    if out_dir is not None and printer.can("simulate") and printer.last_png.exists():
        shutil.copy(printer.last_png, out_dir / "receipt-paper.png")
