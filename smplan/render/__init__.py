"""Compile a plan into documents: Markdown, HTML and PDF from one theme.

Everything here is imported only by ``smplan build``: Jinja2, markdown-it,
Babel and WeasyPrint stay out of ``smplan lint``'s start-up time.
"""
