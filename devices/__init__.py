"""Hardware drivers, each with a simulator twin in devices/sim/. No Kivy here."""
