package io.growthos.management.paging;

import java.util.List;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * One page of a list (SPEC §4). {@code next_cursor} is null exactly when {@code has_more} is false.
 *
 * @param <T> the resource
 */
public record Page<T>(List<T> data, boolean hasMore, @Nullable String nextCursor) {

  /**
   * The page from {@code rows} fetched with {@code limit + 1}: the extra row only says that more
   * exist.
   */
  public static <R, T> Page<T> of(
      List<R> rows,
      int limit,
      Function<R, String> idOf,
      Function<String, String> cursorAfter,
      Function<List<R>, List<T>> toResponses) {
    boolean more = rows.size() > limit;
    List<R> kept = more ? rows.subList(0, limit) : rows;
    String next = more ? cursorAfter.apply(idOf.apply(kept.get(kept.size() - 1))) : null;
    return new Page<>(toResponses.apply(kept), more, next);
  }
}
