"""Flowstudio's CALM engine: a pure-Python runtime that behaves like Rasa Pro 3.21."""
