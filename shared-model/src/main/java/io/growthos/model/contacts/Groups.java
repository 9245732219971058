package io.growthos.model.contacts;

import io.growthos.model.ids.WorkspaceScopedId;
import java.util.Collection;
import java.util.List;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Query;

/** Groups and, through memberships, which contacts belong to them. */
public interface Groups extends JpaRepository<Group, WorkspaceScopedId> {

  /** Pairs of (contact id, client group id) for the given contacts. */
  @Query(
      "select m.contactId, g.groupId from GroupMembership m, Group g"
          + " where g.workspaceId = m.workspaceId and g.id = m.groupId"
          + " and m.workspaceId = :workspaceId and m.contactId in :contactIds"
          + " order by g.groupId")
  List<Object[]> membershipsOf(String workspaceId, Collection<String> contactIds);
}
