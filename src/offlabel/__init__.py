"""offlabel: what is really known about alternative and off-label treatments."""

__version__ = "0.1.0"
