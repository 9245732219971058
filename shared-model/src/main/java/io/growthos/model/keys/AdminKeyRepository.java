package io.growthos.model.keys;

import java.util.Optional;
import org.springframework.data.jpa.repository.JpaRepository;

/** Operator keys. */
public interface AdminKeyRepository extends JpaRepository<AdminKey, String> {

  Optional<AdminKey> findByKeyHash(byte[] keyHash);
}
