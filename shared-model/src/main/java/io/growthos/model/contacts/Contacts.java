package io.growthos.model.contacts;

import io.growthos.model.ids.WorkspaceScopedId;
import java.util.Optional;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Query;

/** Contacts; every finder is bounded by a workspace. */
public interface Contacts extends JpaRepository<Contact, WorkspaceScopedId> {

  Optional<Contact> findByWorkspaceIdAndId(String workspaceId, String id);

  boolean existsByWorkspaceIdAndUserId(String workspaceId, String userId);

  @Query(
      "select count(c) > 0 from Contact c where c.workspaceId = :workspaceId"
          + " and lower(c.email) = lower(:email)")
  boolean existsByEmail(String workspaceId, String email);

  @Query(
      "select count(c) > 0 from Contact c where c.workspaceId = :workspaceId"
          + " and lower(c.email) = lower(:email) and c.id <> :exceptId")
  boolean existsByEmailOtherThan(String workspaceId, String email, String exceptId);
}
