"""The package's version, recorded in every report and PDF."""

__version__ = "0.1.0"
