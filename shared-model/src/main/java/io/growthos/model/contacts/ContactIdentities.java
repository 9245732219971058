package io.growthos.model.contacts;

import java.util.Collection;
import java.util.List;
import org.springframework.data.jpa.repository.JpaRepository;

/** The ids contacts are known by. */
public interface ContactIdentities extends JpaRepository<ContactIdentity, ContactIdentity.Pk> {

  List<ContactIdentity> findByWorkspaceIdAndContactIdIn(
      String workspaceId, Collection<String> contactIds);

  /** Whether any of {@code values} is an id of a contact of the workspace, of either kind. */
  boolean existsByWorkspaceIdAndValueIn(String workspaceId, Collection<String> values);
}
