"""The commands that start the Kivy front end (run, demo, tour); the staff tools live in kiosk/commands/."""
