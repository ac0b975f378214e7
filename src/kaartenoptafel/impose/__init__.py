"""Impose stage: place faces on sheets (grids, duplex backs, marks, tiles, booklets)."""
