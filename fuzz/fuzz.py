"""Coverage-guided fuzzing with atheris: ``python fuzz/fuzz.py TARGET [libFuzzer args]``.

Targets are in fuzz/harness.py; ``fuzz/run.sh SECONDS`` runs them all.
"""

from __future__ import annotations

import sys
from pathlib import Path

import atheris

sys.path.insert(0, str(Path(__file__).resolve().parent))

with atheris.instrument_imports(include=["smplan"]):
    import harness


def main() -> None:
    if len(sys.argv) < 2 or sys.argv[1] not in harness.TARGETS:
        print(f"usage: fuzz.py TARGET [libFuzzer args]; targets: {', '.join(harness.TARGETS)}")
        raise SystemExit(2)
    target = harness.TARGETS[sys.argv[1]]
    atheris.Setup([sys.argv[0], *sys.argv[2:]], target)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
