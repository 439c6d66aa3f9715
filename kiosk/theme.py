"""The kiosk's theme values, in normal mode and in 长辈模式 (elderly mode). Kivy-free."""

# Theme: (normal, elderly). Font sizes in sp, targets in dp. Elderly mode meets the MIIT minimums
# (body >= 18 pt ~ 24 sp, main functions >= 30 pt ~ 40 sp, targets >= 60 dp, contrast >= 7:1).
THEME = {
    "fs_small": (22, 28),
    "fs_body": (26, 34),
    "fs_button": (32, 44),
    "fs_title": (44, 58),
    "target_h": (88, 120),
    "pad": (20, 28),
}
COLOURS = {
    #            normal                          elderly (higher contrast)
    "col_bg": ((0.955, 0.965, 0.98, 1), (1, 1, 1, 1)),
    "col_card": ((1, 1, 1, 1), (1, 1, 1, 1)),
    "col_fg": ((0.10, 0.12, 0.16, 1), (0, 0, 0, 1)),
    "col_muted": ((0.29, 0.33, 0.40, 1), (0.15, 0.15, 0.15, 1)),
    "col_primary": ((0.04, 0.33, 0.64, 1), (0.0, 0.20, 0.45, 1)),
    "col_primary_fg": ((1, 1, 1, 1), (1, 1, 1, 1)),
    "col_brand": ((0.70, 0.11, 0.11, 1), (0.55, 0.05, 0.05, 1)),
    "col_warn": ((0.66, 0.15, 0.12, 1), (0.50, 0.05, 0.05, 1)),
    "col_ok": ((0.05, 0.42, 0.20, 1), (0.0, 0.30, 0.12, 1)),
}
