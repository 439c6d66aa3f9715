"""House rules of docs/architecture.md that a reader notices: small modules, documented screens."""
import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("common", "devices", "offline_cache", "platform_server", "kiosk", "screens")
MAX_LINES = 400


def test_no_module_over_400_lines():
    big = [f"{p.relative_to(ROOT)} ({n} lines)" for package in PACKAGES for p in (ROOT / package).rglob("*.py")
           if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_LINES]
    assert not big, big


# Kivy's own callbacks, documented by Kivy
KIVY_CALLBACKS = {"build", "on_start", "on_stop", "on_pause", "on_resume", "on_enter", "on_pre_enter", "on_leave",
                  "on_pre_leave", "on_kv_post", "on_touch_down", "on_touch_move", "on_touch_up", "on_size", "on_pos",
                  "on_parent", "on_press", "on_release", "on_text", "on_focus", "on_texture", "on_open", "on_dismiss",
                  "on_request_close", "on_key_down", "on_keyboard", "on_resize", "on_state"}


def _protocol(trees: dict) -> tuple[set[str], set[str]]:
    """The Kivy properties declared in screens/ (an `on_<property>` method observes one) and the methods the
    bases in screens/widgets/ document (an override there says nothing new: prepare, clear_personal …)."""
    props, documented = set(), set()
    for path, tree in trees.items():
        for node in ast.walk(tree):
            if not isinstance(node, ast.ClassDef):
                continue
            for item in node.body:
                if isinstance(item, ast.Assign) and isinstance(item.value, ast.Call) and \
                        getattr(item.value.func, "id", "").endswith("Property"):
                    props.update(t.id for t in item.targets if isinstance(t, ast.Name))
                if isinstance(item, ast.FunctionDef) and "widgets" in path.parts and ast.get_docstring(item):
                    documented.add(item.name)
    return props, documented


def _undocumented(path: Path, props: set[str] = frozenset(), documented: set[str] = frozenset()) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    missing = []
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.ClassDef)) and not node.name.startswith("_"):
            if ast.get_docstring(node) is None:
                missing.append(node.name)
            if isinstance(node, ast.ClassDef):
                for item in node.body:
                    name = getattr(item, "name", "_")
                    if isinstance(item, ast.FunctionDef) and not name.startswith("_") and \
                            ast.get_docstring(item) is None and not _explained(name, props, documented):
                        missing.append(f"{node.name}.{name}")
    return missing


def _explained(name: str, props: set[str], documented: set[str]) -> bool:
    """A method without its own docstring is explained elsewhere: a Kivy callback, the observer of a declared
    property, an override of a method documented on its base, or a step builder (StepScreen: build_<step>)."""
    return name in KIVY_CALLBACKS or (name.startswith("on_") and name[3:] in props) or name in documented \
        or name.startswith("build_")


def test_every_public_class_and_function_in_screens_has_a_docstring():
    trees = {p: ast.parse(p.read_text(encoding="utf-8")) for p in (ROOT / "screens").rglob("*.py")}
    props, documented = _protocol(trees)
    missing = [f"{p.relative_to(ROOT)}: {name}" for p in trees for name in _undocumented(p, props, documented)]
    assert not missing, missing


def test_the_docstring_check_finds_a_missing_docstring(tmp_path):
    sample = tmp_path / "s.py"
    sample.write_text('class A:\n    """ok"""\n    def tap(self):\n        pass\n\n    def on_event(self):\n        pass\n'
                      '\n    def on_enter(self):\n        pass\n\ndef b():\n    pass\n')
    assert _undocumented(sample) == ["A.tap", "A.on_event", "b"]
    assert _undocumented(sample, props={"event"}) == ["A.tap", "b"]
