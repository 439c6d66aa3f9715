"""Kivy-free citizen flows: one state machine per service (kiosk/flows/base.py), fields in the Session.

FLOWS maps a flow's name to "module:Class"; the terminal core opens them by name.
"""
from __future__ import annotations

import importlib

FLOWS: dict[str, str] = {
    "apply": "kiosk.flows.application:ApplicationFlow",
    "postal": "kiosk.flows.postal:PostalFlow",
    "appointment": "kiosk.flows.appointment:AppointmentFlow",
    "help": "kiosk.flows.help:HelpFlow",
    "evaluation": "kiosk.flows.evaluation:EvaluationFlow",
    "complaint": "kiosk.flows.complaint:ComplaintFlow",
    "tracking": "kiosk.flows.tracking_flow:TrackingFlow",
    "certificates": "kiosk.flows.certificates:CertificatesFlow",
    "licences": "kiosk.flows.licences:LicencesFlow",
    "benefits": "kiosk.flows.benefits:BenefitsFlow",
    "idcopy": "kiosk.flows.idcopy:IdCopyFlow",
}


def flow_class(name: str):
    """The Flow subclass registered as `name` (KeyError for an unknown flow)."""
    module, _, cls = FLOWS[name].partition(":")
    return getattr(importlib.import_module(module), cls)
