package io.growthos.management.paging;

import jakarta.persistence.EntityManager;
import jakarta.persistence.TypedQuery;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A JPQL keyset query over an entity whose primary key leads with {@code workspaceId} and ends with
 * a time-ordered {@code id}: {@code where workspaceId = ? [and filters] and id < ? order by id
 * desc}, which walks the primary key index backwards, so page 10,000 costs what page 1 costs. Only
 * filters that are present become clauses, so each combination gets its own plan.
 *
 * @param <E> the entity
 */
public final class KeysetQuery<E> {

  private final EntityManager em;
  private final Class<E> type;
  private final StringBuilder where = new StringBuilder();
  private final StringBuilder filters = new StringBuilder();
  private final Map<String, Object> params = new LinkedHashMap<>();

  private KeysetQuery(EntityManager em, Class<E> type) {
    this.em = em;
    this.type = type;
  }

  /** Rows of {@code type} in {@code workspaceId}; null for a table that belongs to no workspace. */
  public static <E> KeysetQuery<E> of(EntityManager em, Class<E> type, String workspaceId) {
    KeysetQuery<E> q = new KeysetQuery<>(em, type);
    if (workspaceId != null) {
      q.where.append(" and e.workspaceId = :workspaceId");
      q.params.put("workspaceId", workspaceId);
    }
    return q;
  }

  /**
   * Adds {@code clause} (JPQL over alias {@code e}, using parameter {@code :name}) when {@code
   * value} is not null.
   */
  public KeysetQuery<E> filter(String name, Object value, String clause) {
    if (value != null) {
      where.append(" and ").append(clause);
      params.put(name, value);
      filters.append(name).append('=').append(value).append('\u0000');
    }
    return this;
  }

  /** A canonical text of the filters, bound into cursors. */
  public String filters() {
    return filters.toString();
  }

  /** Up to {@code page.limit() + 1} rows, newest first. */
  public List<E> fetch(PageRequest page) {
    StringBuilder jpql = new StringBuilder("select e from ").append(type.getSimpleName());
    jpql.append(" e where 1 = 1").append(where);
    if (page.beforeId() != null) {
      jpql.append(" and e.id < :beforeId");
    }
    jpql.append(" order by e.id desc");
    TypedQuery<E> query = em.createQuery(jpql.toString(), type);
    params.forEach(query::setParameter);
    if (page.beforeId() != null) {
      query.setParameter("beforeId", page.beforeId());
    }
    return query.setMaxResults(page.limit() + 1).getResultList();
  }
}
