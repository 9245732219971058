package io.growthos.management.contacts;

import io.growthos.core.contacts.ContactBackfills;
import io.growthos.core.contacts.ContactChanges;
import io.growthos.core.contacts.ContactDeletion;
import io.growthos.core.contacts.ContactSuppressions;
import io.growthos.core.outbox.EventType;
import io.growthos.core.outbox.Outbox;
import io.growthos.management.paging.KeysetQuery;
import io.growthos.management.paging.Page;
import io.growthos.management.paging.Paginator;
import io.growthos.management.web.Preconditions;
import io.growthos.model.contacts.Contact;
import io.growthos.model.contacts.ContactEmail;
import io.growthos.model.contacts.ContactIdentities;
import io.growthos.model.contacts.ContactIdentity;
import io.growthos.model.contacts.Contacts;
import io.growthos.model.contacts.Groups;
import io.growthos.model.contacts.TraitPatch;
import io.growthos.model.errors.ApiException;
import io.growthos.model.errors.ErrorCode;
import io.growthos.model.errors.ErrorDetail;
import io.growthos.model.ids.WorkspaceScopedId;
import io.growthos.model.values.NumberRange;
import jakarta.persistence.EntityManager;
import jakarta.persistence.OptimisticLockException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import org.hibernate.exception.ConstraintViolationException;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.orm.ObjectOptimisticLockingFailureException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.databind.json.JsonMapper;

/**
 * Contacts of the caller's workspace: the one place where the Management API changes a contact (and
 * so calls {@link ContactChanges}). Every query is bounded by the workspace, so another workspace's
 * contact is "not found" exactly like one that never existed. The rules are the shared ones
 * (docs/contacts.md): the {@link Contact} entity applies traits and email, {@link ContactDeletion}
 * deletes.
 */
@Service
public class ContactService {

  static final String LIST = "contacts";

  private final Contacts contacts;
  private final ContactIdentities identities;
  private final Groups groups;
  private final EntityManager em;
  private final Paginator paginator;
  private final ContactDeletion deletion;
  private final ContactSuppressions suppressions;
  private final ContactBackfills backfills;
  private final ContactChanges changes;
  private final Outbox outbox;
  private final JsonMapper json;

  ContactService(
      Contacts contacts,
      ContactIdentities identities,
      Groups groups,
      EntityManager em,
      Paginator paginator,
      ContactDeletion deletion,
      ContactSuppressions suppressions,
      ContactBackfills backfills,
      ObjectProvider<ContactChanges> changes,
      Outbox outbox,
      JsonMapper json) {
    this.contacts = contacts;
    this.identities = identities;
    this.groups = groups;
    this.em = em;
    this.paginator = paginator;
    this.deletion = deletion;
    this.suppressions = suppressions;
    this.backfills = backfills;
    this.changes = changes.getIfAvailable(() -> ContactChanges.NONE);
    this.outbox = outbox;
    this.json = json;
  }

  /**
   * 400 {@code out_of_range} naming every trait number beyond {@link NumberRange} (the bound ingest
   * applies to identify's traits), which PostgreSQL's jsonb would refuse with a 500.
   */
  private static void checkNumbers(Map<String, Object> traits) {
    if (traits == null) {
      return;
    }
    List<ErrorDetail> problems = new ArrayList<>();
    NumberRange.check(traits, "traits", problems);
    if (!problems.isEmpty()) {
      throw ApiException.invalid(problems);
    }
  }

  /** Filters of the contact list; null fields do not filter. */
  public record Filters(String email, String userId, Instant createdAfter, Instant createdBefore) {}

  @Transactional(readOnly = true)
  public Page<ContactResponse> list(String workspaceId, Filters f, int limit, String cursor) {
    KeysetQuery<Contact> query =
        KeysetQuery.of(em, Contact.class, workspaceId)
            .filter("email", ContactEmail.lookup(f.email()), "lower(e.email) = lower(:email)")
            // The contact the user id finds, as ingest attaches an event naming it: the contact
            // whose user id it is, or the one it was aliased or identified to (any id of
            // contact_identities). Until 2026-12-07 only the first, so after alias(newId) the new
            // id found nothing here while a create with it was 409 (a black-box review).
            // One uncorrelated union of two index lookups, which PostgreSQL joins to the few
            // contacts it finds; the former "user id = or id in (correlated subquery)" walked every
            // contact of the workspace (2 s at 100,000 contacts, a black-box review).
            .filter(
                "userId",
                f.userId(),
                "e.id in (select c.id from Contact c where c.workspaceId = :workspaceId"
                    + " and c.userId = :userId union select i.contactId from ContactIdentity i"
                    + " where i.workspaceId = :workspaceId and i.value = :userId)")
            .filter("createdAfter", f.createdAfter(), "e.createdAt > :createdAfter")
            .filter("createdBefore", f.createdBefore(), "e.createdAt < :createdBefore");
    return paginator.page(
        LIST, workspaceId, query, limit, cursor, Contact::getId, rows -> views(workspaceId, rows));
  }

  @Transactional(readOnly = true)
  public ContactResponse get(String workspaceId, String id) {
    return view(workspaceId, find(workspaceId, id));
  }

  /**
   * The contacts with {@code ids}, in that order, as the API shows them (for lists whose ids were
   * selected elsewhere, such as a segment's contacts). Ids not in the workspace are skipped.
   */
  @Transactional(readOnly = true)
  public List<ContactResponse> byIds(String workspaceId, List<String> ids) {
    if (ids.isEmpty()) {
      return List.of();
    }
    Map<String, Contact> found = new java.util.HashMap<>();
    em.createQuery(
            "select e from Contact e where e.workspaceId = :ws and e.id in :ids", Contact.class)
        .setParameter("ws", workspaceId)
        .setParameter("ids", ids)
        .getResultList()
        .forEach(c -> found.put(c.getId(), c));
    return views(
        workspaceId, ids.stream().map(found::get).filter(java.util.Objects::nonNull).toList());
  }

  /** Whether the contact exists in the workspace. */
  @Transactional(readOnly = true)
  public boolean exists(String workspaceId, String id) {
    return contacts.findByWorkspaceIdAndId(workspaceId, id).isPresent();
  }

  /**
   * Creates a contact with its identities. A taken email, user id or anonymous id is 409 {@code
   * duplicate_resource}, also when two creates race (the unique indexes decide). Traits follow the
   * shared rules ({@link TraitPatch}); without an explicit {@code email}, the {@code email} trait
   * sets the field unless another contact holds it ({@link ContactEmail}). The history of the given
   * ids is linked to the contact in the background ({@link ContactBackfills}), and creating a
   * contact with ids of a deleted one on purpose lifts their suppression.
   */
  @Transactional
  public ContactResponse create(String workspaceId, CreateContactRequest request) {
    if (request.userId() != null && request.userId().isBlank()) {
      // Identify takes a blank userId as absent, so a contact holding one could never be reached
      // by ingest; refused as a blank anonymous id is (@NotBlank on anonymous_ids).
      throw ApiException.invalid("user_id", "required", "Field 'user_id' must not be blank.");
    }
    checkNumbers(request.traits());
    LinkedHashSet<String> distinct =
        request.anonymousIds() == null
            ? new LinkedHashSet<>()
            : new LinkedHashSet<>(request.anonymousIds());
    // The user id itself is no second id of the contact: identify does not link an anonymousId
    // equal to its userId either.
    if (request.userId() != null) {
      distinct.remove(request.userId());
    }
    List<String> anonymousIds = List.copyOf(distinct);
    String email = ContactEmail.normalize(request.email());
    if (email != null) {
      lockEmail(workspaceId, email);
      if (contacts.existsByEmail(workspaceId, email)) {
        throw duplicate("email", "A contact with this email already exists.");
      }
    }
    // An id points at one contact whatever its kind (docs/contacts.md, "Identity"): a user id that
    // is another contact's anonymous or aliased id is taken, as is an anonymous id that is another
    // contact's user id. Identify never gives such an id to a second contact either.
    if (request.userId() != null
        && (contacts.existsByWorkspaceIdAndUserId(workspaceId, request.userId())
            || identities.existsByWorkspaceIdAndValueIn(workspaceId, List.of(request.userId())))) {
      throw duplicate("user_id", USER_ID_TAKEN);
    }
    if (!anonymousIds.isEmpty()
        && identities.existsByWorkspaceIdAndValueIn(workspaceId, anonymousIds)) {
      throw duplicate("anonymous_ids", ANONYMOUS_ID_TAKEN);
    }
    TraitPatch traits = TraitPatch.of(request.traits());
    Contact contact = new Contact(workspaceId, request.userId());
    contact.mergeTraits(traits);
    if (email != null) {
      contact.changeEmail(email);
    } else {
      String offered = traits.emailCandidate();
      if (offered != null) {
        lockEmail(workspaceId, offered);
        if (!contacts.existsByEmail(workspaceId, offered)) {
          contact.changeEmail(offered);
        }
      }
    }
    try {
      em.persist(contact);
      // The contact row first: identities reference it.
      em.flush();
    } catch (DataIntegrityViolationException | jakarta.persistence.PersistenceException e) {
      throw duplicateFrom(e);
    }
    // One id, one contact, whatever its kind (the primary key of contact_identities). A create
    // that lost a race for one of its ids learns which from the insert that failed. The ids are
    // inserted in one order (by value) in every create, so two creates offering each other's ids
    // wait for one another instead of deadlocking.
    List<ContactIdentity> known = new ArrayList<>();
    if (request.userId() != null) {
      known.add(
          new ContactIdentity(
              workspaceId, ContactIdentity.USER_ID, request.userId(), contact.getId()));
    }
    for (String anonymousId : anonymousIds) {
      known.add(
          new ContactIdentity(
              workspaceId, ContactIdentity.ANONYMOUS_ID, anonymousId, contact.getId()));
    }
    known.sort(java.util.Comparator.comparing(ContactIdentity::getValue));
    for (ContactIdentity identity : known) {
      try {
        em.persist(identity);
        em.flush();
      } catch (DataIntegrityViolationException | jakarta.persistence.PersistenceException e) {
        if (constraintName(e) == null) {
          throw e;
        }
        throw ContactIdentity.USER_ID.equals(identity.getKind())
            ? duplicate("user_id", USER_ID_TAKEN)
            : duplicate("anonymous_ids", ANONYMOUS_ID_TAKEN);
      }
    }
    List<String> ids = new ArrayList<>(anonymousIds);
    if (request.userId() != null) {
      ids.add(request.userId());
      backfills.enqueue(workspaceId, contact.getId(), ContactBackfills.USER_ID, request.userId());
    }
    for (String anonymousId : anonymousIds) {
      backfills.enqueue(workspaceId, contact.getId(), ContactBackfills.ANONYMOUS_ID, anonymousId);
    }
    suppressions.lift(workspaceId, ids);
    changes.changed(workspaceId, contact.getId(), ContactChanges.Kind.CREATED);
    return emit(workspaceId, EventType.CONTACT_CREATED, view(workspaceId, contact));
  }

  /**
   * Merges traits ({@code null} removes one) and sets the email, guarded by the version (SPEC §4).
   * The explicit {@code email} is strict (409 when another contact holds it); without it, the
   * {@code email} trait sets the field unless another contact holds it, as identify does.
   */
  @Transactional
  public ContactResponse update(
      String workspaceId, String id, UpdateContactRequest request, Integer ifMatch) {
    checkNumbers(request.getTraits());
    Contact contact =
        Preconditions.lockedForChange(
            em, Contact.class, new WorkspaceScopedId(workspaceId, id), "contact", id, "id");
    Preconditions.check(contact.getVersion(), ifMatch, request.getVersion());
    TraitPatch traits = TraitPatch.of(request.getTraits());
    // Decide the email before changing the entity: a query after a change would flush it and
    // bump the version twice for one call.
    boolean setEmail = request.isEmailPresent();
    String email = ContactEmail.normalize(request.getEmail());
    if (setEmail) {
      if (email != null) {
        lockEmail(workspaceId, email);
        if (contacts.existsByEmailOtherThan(workspaceId, email, id)) {
          throw duplicate("email", "Another contact has this email.");
        }
      }
    } else {
      email = traits.emailCandidate();
      if (email != null) {
        lockEmail(workspaceId, email);
      }
      setEmail = email != null && !contacts.existsByEmailOtherThan(workspaceId, email, id);
    }
    boolean changed = contact.mergeTraits(traits);
    if (setEmail) {
      changed |= contact.changeEmail(email);
    }
    try {
      em.flush();
    } catch (OptimisticLockException | ObjectOptimisticLockingFailureException e) {
      throw Preconditions.versionConflict(contact.getVersion(), request.getVersion());
    } catch (DataIntegrityViolationException | jakarta.persistence.PersistenceException e) {
      throw duplicateFrom(e);
    }
    if (changed) {
      changes.changed(workspaceId, id, ContactChanges.Kind.UPDATED);
    }
    ContactResponse updated = view(workspaceId, contact);
    return changed ? emit(workspaceId, EventType.CONTACT_UPDATED, updated) : updated;
  }

  /**
   * Deletes the contact, every event of every id it is known by, and suppresses those ids so the
   * Ingest API never brings it back ({@link ContactDeletion}).
   */
  @Transactional
  public void delete(String workspaceId, String id) {
    ContactResponse before =
        contacts
            .findByWorkspaceIdAndId(workspaceId, id)
            .map(c -> view(workspaceId, c))
            .orElse(null);
    if (before == null || deletion.delete(workspaceId, id) == null) {
      throw ApiException.notFound("contact", id, "id");
    }
    emit(workspaceId, EventType.CONTACT_DELETED, before);
    changes.changed(workspaceId, id, ContactChanges.Kind.DELETED);
  }

  /**
   * Holds the address (case-insensitively, in the workspace) until the commit, before the check
   * whether another contact has it: two Management API calls that may set one address run that
   * check one after the other, so the second sees the first's contact. Without it both found the
   * address free and the second failed on the unique index: a 409 where an {@code email} trait
   * should just stay a trait (docs/contacts.md). A transaction takes at most one such lock.
   */
  private void lockEmail(String workspaceId, String email) {
    em.createNativeQuery(
            "select 1 from (select pg_advisory_xact_lock(hashtextextended(?1 || ' ' || lower(?2),"
                + " 0))) l")
        .setParameter(1, workspaceId)
        .setParameter(2, email)
        .getSingleResult();
  }

  /** Records the webhook event of this change in the same transaction (SPEC §9). */
  private ContactResponse emit(String workspaceId, EventType type, ContactResponse contact) {
    outbox.emit(workspaceId, type, json.writeValueAsString(contact));
    return contact;
  }

  private Contact find(String workspaceId, String id) {
    return contacts
        .findByWorkspaceIdAndId(workspaceId, id)
        .orElseThrow(() -> ApiException.notFound("contact", id, "id"));
  }

  private ContactResponse view(String workspaceId, Contact contact) {
    return views(workspaceId, List.of(contact)).get(0);
  }

  /** Responses for a page of contacts, with identities and groups in two queries, not 2n. */
  private List<ContactResponse> views(String workspaceId, List<Contact> page) {
    if (page.isEmpty()) {
      return List.of();
    }
    List<String> ids = page.stream().map(Contact::getId).toList();
    Map<String, List<String>> anonymous = new LinkedHashMap<>();
    for (ContactIdentity identity : identities.findByWorkspaceIdAndContactIdIn(workspaceId, ids)) {
      if (ContactIdentity.ANONYMOUS_ID.equals(identity.getKind())) {
        anonymous
            .computeIfAbsent(identity.getContactId(), k -> new ArrayList<>())
            .add(identity.getValue());
      }
    }
    Map<String, List<String>> memberships = new LinkedHashMap<>();
    for (Object[] row : groups.membershipsOf(workspaceId, ids)) {
      memberships.computeIfAbsent((String) row[0], k -> new ArrayList<>()).add((String) row[1]);
    }
    List<ContactResponse> out = new ArrayList<>(page.size());
    for (Contact c : page) {
      out.add(
          new ContactResponse(
              c.getId(),
              "contact",
              c.getEmail(),
              c.getUserId(),
              anonymous.getOrDefault(c.getId(), List.of()).stream().sorted().toList(),
              c.getTraits().asMap(),
              memberships.getOrDefault(c.getId(), List.of()),
              c.getFirstSeenAt(),
              c.getLastSeenAt(),
              c.getCreatedAt(),
              c.getUpdatedAt(),
              c.getVersion()));
    }
    return out;
  }

  private static final String USER_ID_TAKEN =
      "Another contact is known by this user_id (as its user id, or an anonymous or aliased id).";

  private static final String ANONYMOUS_ID_TAKEN =
      "An anonymous id is already another contact's id (its user id, or an anonymous or aliased"
          + " id).";

  static ApiException duplicate(String field, String message) {
    return new ApiException(
        ErrorCode.DUPLICATE_RESOURCE,
        message,
        List.of(ErrorDetail.of(field, "duplicate", message)));
  }

  /** Translates a unique violation lost to a concurrent writer into 409, naming the field. */
  private static ApiException duplicateFrom(RuntimeException e) {
    String constraint = constraintName(e);
    if (constraint == null) {
      throw e;
    }
    if (constraint.contains("email")) {
      return duplicate("email", "A contact with this email already exists.");
    }
    if (constraint.contains("user_id")) {
      return duplicate("user_id", "A contact with this user_id already exists.");
    }
    return duplicate("id", "The contact conflicts with an existing one.");
  }

  private static String constraintName(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof ConstraintViolationException cve && cve.getConstraintName() != null) {
        return cve.getConstraintName();
      }
      if (t instanceof java.sql.SQLException sql && "23505".equals(sql.getSQLState())) {
        String msg = String.valueOf(sql.getMessage());
        if (msg.contains("contacts_email_uq")) {
          return "contacts_email_uq";
        }
        if (msg.contains("contacts_user_id_uq")) {
          return "contacts_user_id_uq";
        }
        return "contact_identities_pkey";
      }
    }
    return null;
  }
}
