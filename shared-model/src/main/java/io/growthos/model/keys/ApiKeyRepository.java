package io.growthos.model.keys;

import io.growthos.model.ids.WorkspaceScopedId;
import java.util.Optional;
import org.springframework.data.jpa.repository.JpaRepository;

/** Write and secret keys. */
public interface ApiKeyRepository extends JpaRepository<ApiKey, WorkspaceScopedId> {

  Optional<ApiKey> findByKeyHash(byte[] keyHash);

  Optional<ApiKey> findByWorkspaceIdAndId(String workspaceId, String id);
}
