package io.growthos.management.campaigns;

import io.growthos.model.ids.WorkspaceScopedId;
import java.util.Optional;
import org.springframework.data.jpa.repository.JpaRepository;

/** Campaigns; every finder is bounded by a workspace. */
interface Campaigns extends JpaRepository<Campaign, WorkspaceScopedId> {

  Optional<Campaign> findByWorkspaceIdAndId(String workspaceId, String id);
}
