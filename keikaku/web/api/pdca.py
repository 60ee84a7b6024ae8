"""PDCA API (token authentication): submit progress, read roll-ups."""

from ninja import Router

router = Router(tags=["pdca"])
