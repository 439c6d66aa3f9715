from kiosk.demo import demo_identity
from kiosk.logs import install_redaction, redact
from kiosk.redact import Redactor
from kiosk.session import Session


def test_wipe_leaves_nothing_and_notifies():
    redactor = Redactor()
    install_redaction(redactor)
    session = Session(redactor=redactor)
    calls = []
    session.on_wipe(lambda: calls.append(1))
    person = demo_identity()
    name = person.name
    session.identify(person)
    session.forms["apply"] = {"phone": "13905301234"}
    session.attachments.append({"name": "户口簿.jpg", "data": b"\xff\xd8"})
    session.scratch["step"] = 3
    old_id = session.id
    assert redact(f"hello {name}") == "hello ***"
    session.wipe()
    assert calls == [1]
    assert session.is_empty() and session.id != old_id
    assert person.name == "" and person.number == "" and person.details == {}
    assert redactor.known_count() == 0


def test_identity_repr_is_masked():
    person = demo_identity()
    text = repr(person)
    assert person.name not in text and person.number not in text
    assert person.greeting == "您好，张*兰"
