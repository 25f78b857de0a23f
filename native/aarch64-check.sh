#!/usr/bin/env bash
# Runs the committed linux-aarch64 library under emulation: Debian's arm64 OpenJDK 17 (with the
# arm64 libc, zlib, libgcc and libstdc++ it needs, fetched with `apt-get download` and unpacked
# into a sysroot under target/) runs in qemu-user a small program that opens a connection, and
# uses the authorizer, blob I/O and sqlite3_txn_state through the native library.
#
#   native/aarch64-check.sh     (after `mvn package` or `verify`: uses core/target/classes)
#
# Needs root the first time (apt-get install qemu-user, dpkg --add-architecture arm64). Slow:
# the JVM is emulated (about 30 s).
set -euo pipefail
cd "$(dirname "$0")/.."

classes="core/target/classes"
[ -d "$classes/io/github/aiosqlite4j/native/linux-aarch64" ] || {
  echo "aarch64-check.sh: build the core first (mvn -pl core package)" >&2
  exit 1
}
jdbc_version="$(sed -n 's:.*<sqlite-jdbc.version>\(.*\)</sqlite-jdbc.version>.*:\1:p' pom.xml)"
jdbc_jar="$HOME/.m2/repository/org/xerial/sqlite-jdbc/$jdbc_version/sqlite-jdbc-$jdbc_version.jar"
[ -f "$jdbc_jar" ] || { echo "aarch64-check.sh: no $jdbc_jar (run mvn first)" >&2; exit 1; }

if ! command -v qemu-aarch64 > /dev/null; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends qemu-user > /dev/null
fi
root="$PWD/target/aarch64-sysroot"
jdk="$root/usr/lib/jvm/java-17-openjdk-arm64"
if [ ! -x "$jdk/bin/java" ]; then
  if ! dpkg --print-foreign-architectures | grep -qx arm64; then
    dpkg --add-architecture arm64
  fi
  apt-get update -qq
  mkdir -p "$root/debs"
  (cd "$root/debs" && apt-get download -qq openjdk-17-jre-headless:arm64 libc6:arm64 zlib1g:arm64 \
    libgcc-s1:arm64 libstdc++6:arm64 2> /dev/null)
  for deb in "$root"/debs/*.deb; do dpkg -x "$deb" "$root"; done
fi

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cat > "$work/ArmCheck.java" << 'EOF'
import io.github.aiosqlite4j.AioSqlite;
import io.github.aiosqlite4j.AsyncBlob;
import io.github.aiosqlite4j.AsyncConnection;
import io.github.aiosqlite4j.Authorizer;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

public final class ArmCheck {
    public static void main(String[] args) throws Exception {
        System.out.println("os.arch " + System.getProperty("os.arch"));
        System.out.println("features " + AioSqlite.nativeFeatures());
        try (AsyncConnection db = AioSqlite.connect(":memory:").get()) {
            db.executeScript("create table t (a, secret); insert into t values (1, 2);"
                    + "create table b (data blob); insert into b values (x'0102030405');").get();
            List<String> reads = new ArrayList<>();
            db.setAuthorizer((action, a1, a2, schema, source) -> {
                if (action == Authorizer.SQLITE_READ) {
                    reads.add(a1 + "." + a2);
                    return "secret".equals(a2) ? Authorizer.SQLITE_IGNORE : Authorizer.SQLITE_OK;
                }
                return Authorizer.SQLITE_OK;
            }).get();
            System.out.println("row " + db.executeFetchAll("select a, secret from t").get().get(0));
            System.out.println("authorizer reads " + reads);
            db.setAuthorizer(null).get();
            try (AsyncBlob blob = db.blobOpen("b", "data", 1, false).get()) {
                blob.seek(1);
                blob.write(new byte[] {9}).get();
                blob.seek(0);
                System.out.println("blob " + HexFormat.of().formatHex(blob.read(-1).get()));
            }
            System.out.println("txn_state " + db.txnState("main").get());
            // Rows read many per call (the library's readRows): every storage class.
            List<String> values = new ArrayList<>();
            for (io.github.aiosqlite4j.Row r : db.executeFetchAll("select 1 << 40, 2.5, 'h' || char(233, 128512),"
                    + " x'0102', null union all select -1, -0.5, '', x'', 7").get()) {
                for (Object v : r.values()) {
                    values.add(v instanceof byte[] ? "x" + HexFormat.of().formatHex((byte[]) v)
                            : v instanceof String ? "s" + ((String) v).codePoints().boxed().toList() : String.valueOf(v));
                }
            }
            System.out.println("rows " + values);
        }
    }
}
EOF
cp_="$PWD/$classes:$jdbc_jar"
javac --release 17 -cp "$cp_" -d "$work" "$work/ArmCheck.java"
out="$(qemu-aarch64 -L "$root" "$jdk/bin/java" -XX:TieredStopAtLevel=1 -cp "$work:$cp_" ArmCheck 2>&1)"
echo "$out"
expected=$'os.arch aarch64
features native linux-aarch64 [authorizer, trace, profile, blob, backup, txn_state, db_config, db_status, stmt_status, wal_hook]
row Row{a=1, secret=NULL}
authorizer reads [t.a, t.secret]
blob 0109030405
txn_state NONE
rows [1099511627776, 2.5, s[104, 233, 128512], x0102, null, -1, -0.5, s[], x, 7]'
if [ "$out" != "$expected" ]; then
  echo "aarch64-check.sh: the emulated run's output differs from the expected:" >&2
  echo "$expected" >&2
  exit 1
fi
echo "linux-aarch64: the native library loads and works (under qemu-user)"
