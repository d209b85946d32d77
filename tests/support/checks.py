"""Pass/fail bookkeeping for the Python test scripts (tests/deploy, tests/e2e).

    check = Checks()
    check(condition, "what it means")   # prints FAILED: ... to stderr when false
    check.finish()                      # prints "N passed, N failed"; exits 1 on a failure
"""
import sys


class Checks:
    def __init__(self):
        self.passed = 0
        self.failed = 0

    def __call__(self, ok, what):
        if ok:
            self.passed += 1
        else:
            self.failed += 1
            print(f"FAILED: {what}", file=sys.stderr)
        return ok

    def finish(self):
        print(f"{self.passed} passed, {self.failed} failed")
        sys.exit(1 if self.failed else 0)
