"""smplan: a plan-as-code linter and compiler for social-media plans."""

__version__ = "0.1.0"
