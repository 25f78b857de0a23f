# W12 (executemany of 100,000 rows in one transaction, then commit) on Python's aiosqlite, for the
# "executemany ahead of Python aiosqlite" target of issue #14: same table, SQL and parameters as
# the Java runner's W12, on a new file. Run it beside the runner's W12 (benchmarks/README.md):
#   pip install aiosqlite==0.22.1 && python3 benchmarks/python/w12_aiosqlite.py [rounds]
import asyncio, os, shutil, statistics, sys, tempfile, time
import aiosqlite

TOTAL = 100_000
ROUNDS = int(sys.argv[1]) if len(sys.argv) > 1 else 10

async def main():
    d = tempfile.mkdtemp()
    path = os.path.join(d, "w12-python.db")
    params = [(i, "v%d" % i) for i in range(TOTAL)]
    async with aiosqlite.connect(path) as db:
        await db.execute("create table m (id integer primary key, k integer, v text)")
        await db.commit()
        rates = []
        for r in range(ROUNDS + 3):
            await db.execute("delete from m")
            await db.commit()
            t0 = time.perf_counter()
            cur = await db.executemany("insert into m (k, v) values (?, ?)", params)
            await db.commit()
            dt = time.perf_counter() - t0
            assert cur.rowcount == TOTAL, cur.rowcount
            if r >= 3:
                rates.append(TOTAL / dt)
        async with db.execute("select count(*) * 1000000000000 + sum(k) from m") as c:
            (v,) = await c.fetchone()
            assert v == TOTAL * 1_000_000_000_000 + TOTAL * (TOTAL - 1) // 2
    shutil.rmtree(d)
    print("python aiosqlite %s (SQLite %s): executemany %.0f rows/s (median of %d; min %.0f, max %.0f)" % (
        aiosqlite.__version__, __import__("sqlite3").sqlite_version, statistics.median(rates), len(rates), min(rates), max(rates)))

asyncio.run(main())
