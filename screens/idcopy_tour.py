"""Tour states of 身份证复印 (screens/idcopy.py), driven with the simulated document camera: the live
picture shows a blurred card (so the tour photographs the refusal, not an automatic shot); the taken
sides are generated specimens (样本) laid straight into the flow."""
from __future__ import annotations


def _sides():
    from kiosk.demo import demo_identity
    from kiosk.review import specimens
    who = demo_identity()
    return specimens.id_card_front(who.name, who.number), specimens.id_card_back("2016.01.01", "2036.01.01")


def idcopy_tour_states() -> list:
    """purpose, writing a purpose, the front live (blurred), the front taken (with glare), the back
    taken, the A4 preview, printing, printed."""
    def at(step: str, purpose: str = "", writing: bool = False, front: bool = False, back: bool = False,
           glare: bool = False, job_state: str = ""):
        def go(app):
            from kiosk.printing import PrintJob
            app.go("idcopy")
            screen = app.screen("idcopy")
            flow = screen.flow
            if purpose:
                flow.set_purpose(purpose)
            card_front, card_back = _sides()
            if front:
                flow.take("front", card_front, ("glare",) if glare else ())
            if back:
                flow.take("back", card_back, ())
            if step in ("preview", "printing"):
                flow.compose()
            flow.go_to(step)
            screen.writing = writing
            if job_state:
                flow.state.job = PrintJob("tour", "FY20261130TOUR", 1, state=job_state)
            camera = screen._doccam()
            if step == "front" and not front and camera.can("place"):
                from devices.doccam import synthetic       # blurred: refused, never taken by itself
                screen.demo_desk = False
                camera.place(synthetic.photo(card_front, seed=2, blur=5.0).frame, as_photo=True)
            screen.refresh()
        return go
    return [("", at("purpose")), ("-chosen", at("purpose", "办理社保")), ("-write", at("purpose", writing=True)),
            ("-front", at("front", "办理社保")), ("-front-taken", at("front", "办理社保", front=True, glare=True)),
            ("-back-taken", at("back", "办理社保", front=True, back=True)),
            ("-preview", at("preview", "办理社保", front=True, back=True)),
            ("-printing", at("printing", "办理社保", front=True, back=True, job_state="printing")),
            ("-printed", at("printing", "办理社保", front=True, back=True, job_state="done"))]
