package io.growthos.model.ids;

import java.io.Serializable;
import java.util.Objects;

/**
 * The composite primary key {@code (workspace_id, id)} of workspace-owned tables: the workspace
 * leads so the tables can be distributed by it.
 */
public class WorkspaceScopedId implements Serializable {
  private static final long serialVersionUID = 1L;
  private String workspaceId;
  private String id;

  protected WorkspaceScopedId() {}

  public WorkspaceScopedId(String workspaceId, String id) {
    this.workspaceId = workspaceId;
    this.id = id;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof WorkspaceScopedId other
        && Objects.equals(workspaceId, other.workspaceId)
        && Objects.equals(id, other.id);
  }

  @Override
  public int hashCode() {
    return Objects.hash(workspaceId, id);
  }
}
