"""The bottom layer: small pieces every other package may import (events, submission kinds).

Nothing here imports another package of the project.
"""
