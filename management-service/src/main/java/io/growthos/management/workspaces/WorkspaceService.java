package io.growthos.management.workspaces;

import io.growthos.management.keys.ApiKeyResponse;
import io.growthos.management.keys.ApiKeyService;
import io.growthos.management.keys.CreateApiKeyRequest;
import io.growthos.management.paging.KeysetQuery;
import io.growthos.management.paging.Page;
import io.growthos.management.paging.Paginator;
import io.growthos.management.web.Preconditions;
import io.growthos.model.errors.ApiException;
import io.growthos.model.keys.ApiKey;
import io.growthos.model.keys.ApiKeys;
import io.growthos.model.keys.KeyType;
import io.growthos.model.plans.Plan;
import io.growthos.model.workspaces.Workspace;
import io.growthos.model.workspaces.Workspaces;
import io.growthos.platform.auth.KeyAuthenticator;
import jakarta.persistence.EntityManager;
import jakarta.persistence.OptimisticLockException;
import java.util.List;
import org.springframework.orm.ObjectOptimisticLockingFailureException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Workspaces, for operators (admin keys): create with first keys, list, rename, change plan. */
@Service
public class WorkspaceService {

  static final String LIST = "workspaces";

  /** Operators own no workspace: their cursors are bound to this namespace instead. */
  static final String OPERATOR_TENANT = "";

  private final Workspaces workspaces;
  private final EntityManager em;
  private final Paginator paginator;
  private final KeyAuthenticator authenticator;
  private final ApiKeyService keys;

  WorkspaceService(
      Workspaces workspaces,
      EntityManager em,
      Paginator paginator,
      KeyAuthenticator authenticator,
      ApiKeyService keys) {
    this.workspaces = workspaces;
    this.em = em;
    this.paginator = paginator;
    this.authenticator = authenticator;
    this.keys = keys;
  }

  @Transactional
  public WorkspaceCreatedResponse create(CreateWorkspaceRequest request) {
    Workspace workspace = new Workspace(request.name(), plan(request.plan()));
    em.persist(workspace);
    String writeKey = ApiKeys.generate(KeyType.WRITE);
    String secretKey = ApiKeys.generate(KeyType.SECRET);
    em.persist(
        new ApiKey(workspace.getId(), KeyType.WRITE, "first write key", List.of(), writeKey));
    em.persist(
        new ApiKey(workspace.getId(), KeyType.SECRET, "first secret key", List.of("*"), secretKey));
    em.flush();
    return new WorkspaceCreatedResponse(view(workspace), writeKey, secretKey);
  }

  /**
   * A new write or secret key in the workspace, for an operator: the way back into a workspace
   * whose keys are all lost (404 naming {@code id} for a workspace that does not exist).
   */
  @Transactional
  public ApiKeyResponse createKey(String id, CreateApiKeyRequest request) {
    find(id);
    return keys.createForOperator(id, request);
  }

  @Transactional(readOnly = true)
  public Page<WorkspaceResponse> list(int limit, String cursor) {
    return paginator.page(
        LIST,
        OPERATOR_TENANT,
        KeysetQuery.of(em, Workspace.class, null),
        limit,
        cursor,
        Workspace::getId,
        rows -> rows.stream().map(WorkspaceService::view).toList());
  }

  @Transactional(readOnly = true)
  public WorkspaceResponse get(String id) {
    return view(find(id));
  }

  @Transactional
  public WorkspaceResponse update(String id, UpdateWorkspaceRequest request, Integer ifMatch) {
    Workspace workspace =
        Preconditions.lockedForChange(em, Workspace.class, id, "workspace", id, "id");
    Preconditions.check(workspace.getVersion(), ifMatch, request.version());
    if (request.name() != null && !request.name().equals(workspace.getName())) {
      workspace.rename(request.name());
    }
    if (request.plan() != null) {
      Plan plan = plan(request.plan());
      if (plan != workspace.getPlan()) {
        workspace.changePlan(plan);
        // The authentication cache of every copy holds the plan, which sets rate limits.
        authenticator.changeCommitsWithThisTransaction();
      }
    }
    try {
      em.flush();
    } catch (OptimisticLockException | ObjectOptimisticLockingFailureException e) {
      throw Preconditions.versionConflict(workspace.getVersion(), request.version());
    }
    return view(workspace);
  }

  private Workspace find(String id) {
    return workspaces.findById(id).orElseThrow(() -> ApiException.notFound("workspace", id, "id"));
  }

  static Plan plan(String wireName) {
    return Plan.ofWireName(wireName)
        .orElseThrow(
            () ->
                ApiException.invalid(
                    "plan",
                    "invalid_value",
                    "Field 'plan' must be one of: " + Plan.allowedValues() + "."));
  }

  static WorkspaceResponse view(Workspace w) {
    return new WorkspaceResponse(
        w.getId(),
        "workspace",
        w.getName(),
        w.getPlan().wireName(),
        w.getTimezone(),
        w.getAllowedOrigins(),
        w.getAllowedOrigins(),
        w.getDedupeWindowSeconds(),
        w.getVersion(),
        w.getCreatedAt(),
        w.getUpdatedAt());
  }
}
