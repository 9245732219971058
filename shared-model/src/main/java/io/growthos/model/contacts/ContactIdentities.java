package io.growthos.model.contacts;

import java.util.Collection;
import java.util.List;
import org.springframework.data.jpa.repository.JpaRepository;

/** The ids contacts are known by. */
public interface ContactIdentities extends JpaRepository<ContactIdentity, ContactIdentity.Pk> {

  List<ContactIdentity> findByWorkspaceIdAndContactIdIn(
      String workspaceId, Collection<String> contactIds);

  boolean existsByWorkspaceIdAndKindAndValueIn(
      String workspaceId, String kind, Collection<String> values);
}
