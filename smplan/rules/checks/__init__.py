"""Python check functions named by rule files (``check: module.function``)."""
