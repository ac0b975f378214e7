"""Registers the prepress checks with the build, so `kot validate` runs them as `kot build` does."""

from kaartenoptafel.build import register_check
from kaartenoptafel.check.prepress import check_prepress

register_check("prepress", check_prepress)
