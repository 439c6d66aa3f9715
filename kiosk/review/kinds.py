"""The kinds of material the pre-review knows and the checks each makes (no heavy imports: the
content-pack loader and lint use it at start)."""
from __future__ import annotations

KINDS: dict[str, tuple[str, ...]] = {
    "id_card_front": ("readable", "name_matches", "id_number_matches"),
    "id_card_back": ("readable", "not_expired"),
    "hukou_page": ("readable", "name_matches", "id_number_matches"),
    "form": ("readable", "filled", "signed"),
    "generic": ("readable",),
}
CHECKS = ("readable", "name_matches", "id_number_matches", "not_expired", "filled", "signed")
