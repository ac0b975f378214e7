"""Layout stage: a layout spec (YAML) plus resolved cards -> positioned, fitted boxes."""
