package io.github.aiosqlite4j.internal;

import io.github.aiosqlite4j.Column;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The column names of a result, shared by all its rows; name lookup is case-insensitive. */
final class Columns {
    static final Columns NONE = new Columns(new String[0], new String[0]);

    final String[] names;
    final List<String> nameList;
    final List<Column> description;
    private volatile Map<String, Integer> index;

    Columns(String[] names, String[] declaredTypes) {
        this.names = names;
        this.nameList = Collections.unmodifiableList(Arrays.asList(names));
        List<Column> d = new ArrayList<>(names.length);
        for (int i = 0; i < names.length; i++) {
            d.add(new Column(names[i], declaredTypes[i]));
        }
        this.description = Collections.unmodifiableList(d);
    }

    int size() {
        return names.length;
    }

    /** @return the index of the first column with this name, case-insensitively, or -1 */
    int indexOf(String name) {
        Map<String, Integer> map = index;
        if (map == null) {
            map = new HashMap<>();
            for (int i = names.length - 1; i >= 0; i--) {
                map.put(names[i].toLowerCase(Locale.ROOT), i);
            }
            index = map;
        }
        Integer i = map.get(name.toLowerCase(Locale.ROOT));
        return i == null ? -1 : i;
    }
}
