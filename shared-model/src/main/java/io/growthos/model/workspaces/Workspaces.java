package io.growthos.model.workspaces;

import org.springframework.data.jpa.repository.JpaRepository;

/** Workspaces, by id. */
public interface Workspaces extends JpaRepository<Workspace, String> {}
