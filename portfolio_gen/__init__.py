"""portfolio_gen: verified Open Badges into a static learner portfolio."""

__version__ = "0.1.0"

__all__ = ["__version__"]
