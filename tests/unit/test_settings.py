import pytest

from kiosk.settings import SettingsError, load_settings


def test_defaults_are_documented_and_typed(tmp_path):
    s = load_settings(env={})
    assert s.getint("ui", "idle_timeout") == 60
    assert s.getint("ui", "idle_warning") == 15
    assert s.get("terminal", "level") in {"city", "county", "township", "village"}
    assert s.window_size == (1920, 1080)
    assert s.kiosk_lock is True


def test_config_file_then_environment_override(tmp_path):
    cfg = tmp_path / "village.ini"
    cfg.write_text("[terminal]\nlevel = village\n[ui]\norientation = portrait\nidle_timeout = 90\n", encoding="utf-8")
    s = load_settings(cfg, env={"KIOSK_UI_IDLE_TIMEOUT": "120", "KIOSK_STORAGE_DATA_DIR": str(tmp_path / "d")})
    assert s.get("terminal", "level") == "village"
    assert s.window_size == (1080, 1920)
    assert s.getint("ui", "idle_timeout") == 120, "environment beats the config file"
    assert s.data_dir == (tmp_path / "d").resolve() and s.data_dir.is_dir()
    assert oct(s.data_dir.stat().st_mode & 0o777) == "0o700"


def test_unknown_key_in_config_file_is_refused_with_its_name(tmp_path):
    cfg = tmp_path / "bad.ini"
    cfg.write_text("[ui]\nidle_timout = 5\n", encoding="utf-8")
    with pytest.raises(SettingsError, match="idle_timout"):
        load_settings(cfg, env={})


def test_bad_values_say_which_key():
    s = load_settings(env={"KIOSK_UI_IDLE_TIMEOUT": "soon", "KIOSK_UI_FULLSCREEN": "maybe"})
    with pytest.raises(SettingsError, match="idle_timeout"):
        s.getfloat("ui", "idle_timeout")
    with pytest.raises(SettingsError, match="fullscreen"):
        s.getbool("ui", "fullscreen")


def test_demo_unlocks_unless_lock_asked_for_explicitly():
    assert load_settings(env={"KIOSK_TERMINAL_DEMO": "1"}).kiosk_lock is False
    assert load_settings(env={"KIOSK_TERMINAL_DEMO": "1", "KIOSK_UI_KIOSK_LOCK": "on"}).kiosk_lock is True


def test_every_key_in_default_ini_has_a_comment():
    from config import DEFAULT_INI
    lines = DEFAULT_INI.read_text(encoding="utf-8").splitlines()
    for i, line in enumerate(lines):
        if "=" in line and not line.lstrip().startswith(";"):
            assert lines[i - 1].lstrip().startswith(";") or "=" in lines[i - 1], f"undocumented: {line}"


def test_terminal_profiles_load_and_only_use_documented_keys():
    from config import CONFIG_DIR
    profiles = sorted((CONFIG_DIR / "profiles").glob("*.ini"))
    assert {p.stem for p in profiles} >= {"hall", "village"}
    for profile in profiles:
        s = load_settings(profile, env={})
        assert s.get("idcard", "driver") == "sam"
    village = load_settings(CONFIG_DIR / "profiles" / "village.ini", env={})
    assert village.getbool("ui", "elderly_default") and village.get("terminal", "level") == "village"
