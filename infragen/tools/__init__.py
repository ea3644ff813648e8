"""Wrappers around external tools. Each is an argv builder or library call plus a result parser."""
