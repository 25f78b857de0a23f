"""Prints the reference tables that TransactionControlTest encodes.

Run it with CPython 3.12 or later (Connection.autocommit is new in 3.12):

    python3.12 core/src/test/resources/reference/transaction_control.py \
        > core/src/test/resources/reference/transaction_control.txt

Each table runs the same steps on one connection in one transaction-control mode, and prints
after each step whether a transaction is open (in_transaction) and how many rows a second
connection sees; then every change of Connection.autocommit, with and without a pending insert;
then what close() runs with a pending insert. TransactionControlTest runs the same steps through AsyncConnection and expects
exactly these lines.
"""
import os
import sqlite3
import tempfile

LEGACY = sqlite3.LEGACY_TRANSACTION_CONTROL
MODES = {
    "OFF": dict(autocommit=False),
    "ON": dict(autocommit=True),
    "LEGACY DEFERRED": dict(autocommit=LEGACY),
    "LEGACY AUTOCOMMIT": dict(autocommit=LEGACY, isolation_level=None),
}
STEPS = [
    "insert", "commit()", "insert", "rollback()", "insert", "executescript insert",
    "execute BEGIN", "insert", "commit()", "rollback()", "insert", "executescript insert",
    "execute COMMIT", "commit()", "rollback()", "insert", "isolation level AUTOCOMMIT", "insert",
    "execute BEGIN", "insert", "executescript insert", "close",
]
PY_AUTOCOMMIT = {"OFF": False, "ON": True, "LEGACY": LEGACY}


def main():
    path = os.path.join(tempfile.mkdtemp(), "reference.db")
    setup = sqlite3.connect(path, isolation_level=None)
    setup.execute("create table t(x)")
    setup.close()
    other = sqlite3.connect(path, isolation_level=None)

    def line(step, con, error=None):
        state = "closed" if step == "close" else f"in_transaction={str(con.in_transaction).lower()}"
        visible = other.execute("select count(*) from t").fetchone()[0]
        print(f"{step} | {'error: ' + error + ' | ' if error else ''}{state} | visible={visible}")

    for name, kwargs in MODES.items():
        print(f"== {name}")
        con = sqlite3.connect(path, **kwargs)
        line("connect", con)
        n = 0
        for step in STEPS:
            try:
                if step == "insert":
                    n += 1
                    con.execute(f"insert into t values({n})")
                elif step == "executescript insert":
                    n += 1
                    con.executescript(f"insert into t values({n})")
                elif step.startswith("execute "):
                    con.execute(step[len("execute "):])
                elif step == "commit()":
                    con.commit()
                elif step == "rollback()":
                    con.rollback()
                elif step == "isolation level AUTOCOMMIT":
                    con.isolation_level = None
                elif step == "close":
                    con.close()
                line(step, con)
            except sqlite3.Error as e:
                line(step, con, str(e))
        other.execute("delete from t")

    print("== transitions")
    for start in ("OFF", "ON", "LEGACY"):
        for to in ("OFF", "ON", "LEGACY"):
            for pending in (False, True):
                con = sqlite3.connect(path, autocommit=PY_AUTOCOMMIT[start])
                if pending:
                    if not con.in_transaction:
                        con.execute("BEGIN")
                    con.execute("insert into t values(1)")
                con.autocommit = PY_AUTOCOMMIT[to]
                visible = other.execute("select count(*) from t").fetchone()[0]
                print(f"{start} -> {to} | pending={str(pending).lower()} | in_transaction="
                      f"{str(con.in_transaction).lower()} | visible={visible}")
                con.close()
                other.execute("delete from t")

    print("== close with a pending insert")
    for name, kwargs in MODES.items():
        con = sqlite3.connect(path, **kwargs)
        if not con.in_transaction:
            con.execute("BEGIN")
        traced = []
        con.set_trace_callback(traced.append)
        con.execute("insert into t values(1)")
        con.close()
        visible = other.execute("select count(*) from t").fetchone()[0]
        print(f"{name} | traced={'; '.join(traced)} | visible={visible}")


main()
