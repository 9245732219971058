package io.growthos.model.events;

import io.growthos.model.ids.WorkspaceScopedId;
import java.util.Optional;
import org.springframework.data.jpa.repository.JpaRepository;

/** Stored events; every finder is bounded by a workspace. */
public interface Events extends JpaRepository<Event, WorkspaceScopedId> {

  Optional<Event> findByWorkspaceIdAndId(String workspaceId, String id);
}
