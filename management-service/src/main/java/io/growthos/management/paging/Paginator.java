package io.growthos.management.paging;

import java.util.List;
import java.util.function.Function;
import org.springframework.stereotype.Component;

/** Runs a {@link KeysetQuery} for the {@code limit} and {@code cursor} parameters of a list. */
@Component
public class Paginator {

  private final Cursors cursors;

  public Paginator(Cursors cursors) {
    this.cursors = cursors;
  }

  /**
   * One page of {@code query}.
   *
   * @param list the list's name, bound into its cursors
   * @param tenant the caller's workspace (or operator namespace), bound into its cursors
   */
  public <E, T> Page<T> page(
      String list,
      String tenant,
      KeysetQuery<E> query,
      int limit,
      String cursor,
      Function<E, String> idOf,
      Function<List<E>, List<T>> toResponses) {
    PageRequest.checkLimit(limit);
    String filters = query.filters();
    String before =
        cursor == null || cursor.isEmpty() ? null : cursors.decode(cursor, list, tenant, filters);
    List<E> rows = query.fetch(new PageRequest(limit, before));
    return Page.of(
        rows, limit, idOf, last -> cursors.encode(list, tenant, filters, last), toResponses);
  }
}
