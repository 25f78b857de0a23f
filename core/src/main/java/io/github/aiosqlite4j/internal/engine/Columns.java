package io.github.aiosqlite4j.internal.engine;

import io.github.aiosqlite4j.Column;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The column names of a result, shared by all its rows; name lookup is case-insensitive. */
public final class Columns {
    public static final Columns NONE = new Columns(new String[0], new String[0]);

    final String[] names;
    private final String[] declaredTypes;
    private volatile List<String> nameList;
    private volatile List<Column> description;
    private volatile Map<String, Integer> index;

    Columns(String[] names, String[] declaredTypes) {
        this.names = names;
        this.declaredTypes = declaredTypes;
    }

    /** {@return the names as an unmodifiable list (built on first use: most results never ask)} */
    List<String> nameList() {
        List<String> l = nameList;
        if (l == null) {
            l = Collections.unmodifiableList(Arrays.asList(names.clone()));
            nameList = l;
        }
        return l;
    }

    /** {@return the cursor description (built on first use)} */
    public List<Column> description() {
        List<Column> d = description;
        if (d == null) {
            List<Column> built = new ArrayList<>(names.length);
            for (int i = 0; i < names.length; i++) {
                built.add(new Column(names[i], declaredTypes[i]));
            }
            d = Collections.unmodifiableList(built);
            description = d;
        }
        return d;
    }

    int size() {
        return names.length;
    }

    /** {@return the index of the first column with this name, case-insensitively, or -1} */
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
