"""kaartenoptafel: turn the content of the network game *Kaarten op Tafel* into print-ready PDFs.

The pipeline, one package per stage, plain data between stages:
load (YAML -> validated model) -> resolve (overlays, variables, counts) -> layout (fitted boxes)
-> render (reportlab drawing) -> impose (sheets, marks, duplex, tiles, booklets) -> write (atomic files).
"""

__version__ = "0.1.0"
