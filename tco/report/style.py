"""The HTML report's style sheet, inlined in the page: system fonts, no ``url()``, no
``@import``, so it loads nothing; readable on screen and in print."""

from __future__ import annotations

__all__ = ["CSS"]

CSS = """
:root { --ink: #1d2733; --muted: #5b6776; --line: #d9dee5; --accent: #1f3b63;
        --soft: #f3f6f9; --warn: #8a4b00; --warn-bg: #fff4e0; }
* { box-sizing: border-box; }
body { margin: 0; color: var(--ink); background: #fff;
       font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, Helvetica, Arial,
             sans-serif; }
main { max-width: 1040px; margin: 0 auto; padding: 24px 32px 48px; }
header h1 { font-size: 1.75rem; line-height: 1.25; margin: 0 0 6px; }
header p { margin: 4px 0; color: var(--muted); }
nav { margin: 16px 0 8px; padding: 8px 0; border-top: 1px solid var(--line);
      border-bottom: 1px solid var(--line); font-size: 0.95rem; }
nav a { color: var(--accent); text-decoration: none; margin-right: 18px; }
section { margin-top: 28px; }
h2 { font-size: 1.3rem; margin: 0 0 10px; padding-bottom: 4px;
     border-bottom: 2px solid var(--accent); color: var(--accent); }
h3 { font-size: 1.05rem; margin: 20px 0 6px; }
.headline { font-size: 1.2rem; font-weight: 600; background: var(--soft);
            border-left: 5px solid var(--accent); padding: 12px 16px; margin: 8px 0 12px; }
.subhead { font-weight: 600; }
.note { color: var(--muted); font-size: 0.93rem; }
ul.facts li { margin: 4px 0; }
li.lifecycle, .stale td, p.warn { background: var(--warn-bg); }
li.lifecycle { list-style: none; margin-left: -20px; padding: 6px 10px;
               border-left: 4px solid var(--warn); }
tr.stale td:last-child { color: var(--warn); font-weight: 600; }
p.warn { padding: 6px 10px; border-left: 4px solid var(--warn); }
table { border-collapse: collapse; margin: 8px 0 14px; font-size: 0.92rem; width: 100%; }
th, td { border-bottom: 1px solid var(--line); padding: 5px 8px; text-align: left;
         vertical-align: top; overflow-wrap: break-word; }
td.wrap { overflow-wrap: anywhere; }
th { background: var(--soft); font-weight: 600; }
td.num, th.num { text-align: right; white-space: nowrap; overflow-wrap: normal; }
tr.best td { font-weight: 600; background: #eef5ee; }
code, .repr { font: 0.85rem/1.4 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; }
.repr { color: var(--muted); overflow-wrap: anywhere; }
figure { margin: 14px 0 22px; }
figure img { display: block; width: 100%; max-width: 960px; height: auto;
             border: 1px solid var(--line); }
figcaption { color: var(--muted); font-size: 0.9rem; margin-top: 4px; }
.numbers { display: flex; flex-wrap: wrap; gap: 12px; margin: 10px 0 6px; }
.numbers div { flex: 1 1 220px; background: var(--soft); padding: 10px 14px; }
.numbers b { display: block; font-size: 1.35rem; color: var(--accent); }
footer { margin-top: 36px; padding-top: 10px; border-top: 1px solid var(--line);
         color: var(--muted); font-size: 0.88rem; }
@media print { nav { display: none; } section { break-inside: avoid-page; } }
"""
"""The style sheet (inlined in a ``<style>`` element)."""
