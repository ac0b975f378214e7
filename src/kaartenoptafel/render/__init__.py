"""Render stage: draw laid-out cards, backs and pages with reportlab."""
