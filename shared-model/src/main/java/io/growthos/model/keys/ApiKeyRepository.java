package io.growthos.model.keys;

import java.util.Optional;
import org.springframework.data.jpa.repository.JpaRepository;

/** Write and secret keys. */
public interface ApiKeyRepository extends JpaRepository<ApiKey, ApiKey.Pk> {

  Optional<ApiKey> findByKeyHash(byte[] keyHash);

  Optional<ApiKey> findByWorkspaceIdAndId(String workspaceId, String id);
}
