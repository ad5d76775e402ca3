"""Buurtwijs core: the bottom layer. Helpers every app shares; no models, and no
import of any other app of ours (import-linter holds it)."""
