package io.growthos.core.contacts;

/**
 * The one hook of a service through which every contact change passes, called inside the
 * transaction that makes the change (so an outbox row written here commits or rolls back with it).
 * The Ingest API calls it from {@code ContactLinker}, the Management API from {@code
 * ContactService}, both services from the {@link ContactBackfills} worker.
 */
@FunctionalInterface
public interface ContactChanges {

  /** What happened to a contact. */
  enum Kind {
    CREATED,
    UPDATED,
    DELETED
  }

  /** Does nothing: the default until something listens. */
  ContactChanges NONE = (workspaceId, contactId, kind) -> {};

  void changed(String workspaceId, String contactId, Kind kind);
}
