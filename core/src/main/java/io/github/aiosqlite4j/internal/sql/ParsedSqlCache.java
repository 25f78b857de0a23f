package io.github.aiosqlite4j.internal.sql;

import java.util.Iterator;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A bounded, thread-safe cache of parsed SQL texts that never blocks: a hit is one {@link
 * ConcurrentHashMap} lookup; a miss parses on the calling thread, holding no lock, and keeps the
 * first result cached for the text (threads racing on a new text all get that one).
 *
 * <p>It holds at most about {@code maxEntries} texts (a few more while threads add at once):
 * beyond that, each text added drops an arbitrary other one. Texts longer than {@code maxLength}
 * characters are parsed on every call and never kept, so the cached texts total at most {@code
 * maxEntries * maxLength} characters whatever the application sends. A dropped text is parsed
 * again when next asked for; a parse is immutable, so two of the same text are interchangeable.
 */
final class ParsedSqlCache {
    private final int maxEntries;
    private final int maxLength;
    private final ConcurrentHashMap<String, ParsedSql> map;

    /**
     * An empty cache.
     *
     * @param maxEntries how many texts it holds at most (about)
     * @param maxLength the longest text it keeps, in characters
     */
    ParsedSqlCache(int maxEntries, int maxLength) {
        this.maxEntries = maxEntries;
        this.maxLength = maxLength;
        this.map = new ConcurrentHashMap<>(2 * maxEntries);
    }

    /**
     * Returns the parsed text, from the cache when it is there.
     *
     * @param sql the SQL text, not {@code null}
     * @return its parse
     */
    ParsedSql get(String sql) {
        ParsedSql hit = map.get(sql);
        if (hit != null) {
            return hit;
        }
        ParsedSql parsed = new ParsedSql(sql);
        if (sql.length() > maxLength) {
            return parsed;
        }
        ParsedSql first = map.putIfAbsent(sql, parsed);
        if (first != null) {
            return first;
        }
        if (map.size() > maxEntries) {
            evict(sql);
        }
        return parsed;
    }

    /** Drops arbitrary entries, other than the one just added, until the cache is in bounds. */
    private void evict(String added) {
        Iterator<String> keys = map.keySet().iterator();
        while (map.size() > maxEntries && keys.hasNext()) {
            if (keys.next() != added) { // the very key this thread put
                keys.remove();
            }
        }
    }

    /** Whether the text is cached (tests). */
    boolean contains(String sql) {
        return map.containsKey(sql);
    }

    /** The number of cached texts. */
    int size() {
        return map.size();
    }
}
