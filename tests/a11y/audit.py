"""Print the axe-core audit of a running app: ``python -m tests.a11y.audit http://127.0.0.1:8050``.

One row per page, language and width: the number of critical and serious violations (rules and
nodes), then the details of each. Used for the figures of the accessibility statement; the test
suite (``tests/a11y/test_pages.py``) asserts the same thing.
"""

from __future__ import annotations

import argparse
import json
import sys

from tests.a11y.helpers import (
    CHROMIUM,
    CHROMIUM_ARGS,
    PAGES,
    WIDTHS,
    axe_results,
    blocking,
    describe,
    wait_rendered,
    with_lang,
)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("base", help="app address, e.g. http://127.0.0.1:8050")
    parser.add_argument("--only", help="comma-separated page names", default="")
    parser.add_argument("--json", help="write every violation to this file", default="")
    parser.add_argument("--extra", action="append", default=[], help="name=path of another page")
    args = parser.parse_args(argv)
    from playwright.sync_api import sync_playwright

    pages = PAGES + [tuple(e.split("=", 1)) for e in args.extra]
    if args.only:
        wanted = set(args.only.split(","))
        pages = [p for p in pages if p[0] in wanted]
    report: dict[str, list] = {}
    total = rules_passed = rules_failed = all_nodes = to_review = 0
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for width, (w, h) in WIDTHS.items():
            context = browser.new_context(viewport={"width": w, "height": h})
            page = context.new_page()
            for name, path in pages:
                for lang in ("fr", "en"):
                    page.goto(args.base + with_lang(path, lang))
                    try:
                        wait_rendered(page)
                    except Exception as exc:  # noqa: BLE001 - reported, audit goes on
                        print(f"{name} {lang} {width}: not rendered ({exc})", file=sys.stderr)
                    full = axe_results(page)
                    found = blocking(full["violations"])
                    rules_passed += len(full["passes"])
                    rules_failed += len(full["violations"])
                    to_review += len(full.get("incomplete", []))
                    all_nodes += sum(len(v["nodes"]) for v in full["violations"])
                    nodes = sum(len(v["nodes"]) for v in found)
                    total += nodes
                    key = f"{name} {lang} {width}"
                    report[key] = found
                    print(
                        f"{key:32} rules={len(found):2} nodes={nodes:3}  {','.join(v['id'] for v in found)}"
                    )
            context.close()
        browser.close()
    print(f"views: {len(report)}; critical+serious nodes: {total}; nodes of any impact: {all_nodes}")
    rate = rules_passed / max(1, rules_passed + rules_failed)
    print(f"applicable rule checks passed: {rules_passed}/{rules_passed + rules_failed} ({rate:.1%})")
    print(f"rule checks axe could not decide (incomplete, to review by hand): {to_review}")
    for key, found in report.items():
        if found:
            print(f"\n== {key}\n{describe(found)}")
    if args.json:
        with open(args.json, "w", encoding="utf-8") as fh:
            json.dump(report, fh, indent=1)
    return 1 if total else 0


if __name__ == "__main__":
    raise SystemExit(main())
