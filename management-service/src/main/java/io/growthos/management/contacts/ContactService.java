package io.growthos.management.contacts;

import io.growthos.core.outbox.EventType;
import io.growthos.core.outbox.Outbox;
import io.growthos.management.paging.KeysetQuery;
import io.growthos.management.paging.Page;
import io.growthos.management.paging.Paginator;
import io.growthos.management.web.JsonDocuments;
import io.growthos.management.web.Preconditions;
import io.growthos.model.contacts.Contact;
import io.growthos.model.contacts.ContactIdentities;
import io.growthos.model.contacts.ContactIdentity;
import io.growthos.model.contacts.Contacts;
import io.growthos.model.contacts.Groups;
import io.growthos.model.errors.ApiException;
import io.growthos.model.errors.ErrorCode;
import io.growthos.model.errors.ErrorDetail;
import jakarta.persistence.EntityManager;
import jakarta.persistence.OptimisticLockException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import org.hibernate.exception.ConstraintViolationException;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.orm.ObjectOptimisticLockingFailureException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.databind.json.JsonMapper;

/**
 * Contacts of the caller's workspace. Every query is bounded by the workspace, so another
 * workspace's contact is "not found" exactly like one that never existed.
 */
@Service
public class ContactService {

  static final String LIST = "contacts";

  private final Contacts contacts;
  private final ContactIdentities identities;
  private final Groups groups;
  private final EntityManager em;
  private final Paginator paginator;
  private final JsonDocuments documents;
  private final Outbox outbox;
  private final JsonMapper json;

  ContactService(
      Contacts contacts,
      ContactIdentities identities,
      Groups groups,
      EntityManager em,
      Paginator paginator,
      JsonDocuments documents,
      Outbox outbox,
      JsonMapper json) {
    this.contacts = contacts;
    this.identities = identities;
    this.groups = groups;
    this.em = em;
    this.paginator = paginator;
    this.documents = documents;
    this.outbox = outbox;
    this.json = json;
  }

  /** Filters of the contact list; null fields do not filter. */
  public record Filters(String email, String userId, Instant createdAfter, Instant createdBefore) {}

  @Transactional(readOnly = true)
  public Page<ContactResponse> list(String workspaceId, Filters f, int limit, String cursor) {
    KeysetQuery<Contact> query =
        KeysetQuery.of(em, Contact.class, workspaceId)
            .filter("email", f.email(), "lower(e.email) = lower(:email)")
            .filter("userId", f.userId(), "e.userId = :userId")
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
   * Creates a contact with its identities. A taken email, user id or anonymous id is 409 {@code
   * duplicate_resource}, also when two creates race (the unique indexes decide).
   */
  @Transactional
  public ContactResponse create(String workspaceId, CreateContactRequest request) {
    List<String> anonymousIds =
        request.anonymousIds() == null
            ? List.of()
            : List.copyOf(new LinkedHashSet<>(request.anonymousIds()));
    if (request.email() != null && contacts.existsByEmail(workspaceId, request.email())) {
      throw duplicate("email", "A contact with this email already exists.");
    }
    if (request.userId() != null
        && (contacts.existsByWorkspaceIdAndUserId(workspaceId, request.userId())
            || identities.existsByWorkspaceIdAndKindAndValueIn(
                workspaceId, ContactIdentity.USER_ID, List.of(request.userId())))) {
      throw duplicate("user_id", "A contact with this user_id already exists.");
    }
    if (!anonymousIds.isEmpty()
        && identities.existsByWorkspaceIdAndKindAndValueIn(
            workspaceId, ContactIdentity.ANONYMOUS_ID, anonymousIds)) {
      throw duplicate("anonymous_ids", "An anonymous id is already linked to another contact.");
    }
    Contact contact =
        new Contact(
            workspaceId,
            request.userId(),
            request.email(),
            documents.write(withoutNulls(request.traits())));
    try {
      em.persist(contact);
      // The contact row first: identities reference it.
      em.flush();
      if (request.userId() != null) {
        em.persist(
            new ContactIdentity(
                workspaceId, ContactIdentity.USER_ID, request.userId(), contact.getId()));
      }
      for (String anonymousId : anonymousIds) {
        em.persist(
            new ContactIdentity(
                workspaceId, ContactIdentity.ANONYMOUS_ID, anonymousId, contact.getId()));
      }
      em.flush();
    } catch (DataIntegrityViolationException | jakarta.persistence.PersistenceException e) {
      throw duplicateFrom(e);
    }
    return emit(workspaceId, EventType.CONTACT_CREATED, view(workspaceId, contact));
  }

  /** Merges traits and replaces the email, guarded by the version (SPEC §4). */
  @Transactional
  public ContactResponse update(
      String workspaceId, String id, UpdateContactRequest request, Integer ifMatch) {
    Contact contact = find(workspaceId, id);
    int versionBefore = contact.getVersion();
    Preconditions.check(contact.getVersion(), ifMatch, request.getVersion());
    String email = request.isEmailPresent() ? request.getEmail() : contact.getEmail();
    if (request.isEmailPresent()
        && email != null
        && contacts.existsByEmailOtherThan(workspaceId, email, id)) {
      throw duplicate("email", "Another contact has this email.");
    }
    Map<String, Object> traits = new LinkedHashMap<>(documents.read(contact.getTraits()));
    if (request.getTraits() != null) {
      request
          .getTraits()
          .forEach(
              (k, v) -> {
                if (v == null) {
                  traits.remove(k);
                } else {
                  traits.put(k, v);
                }
              });
    }
    String traitsJson = documents.write(traits);
    if (!traitsJson.equals(documents.write(documents.read(contact.getTraits())))
        || !java.util.Objects.equals(email, contact.getEmail())) {
      contact.update(traitsJson, email);
    }
    try {
      em.flush();
    } catch (OptimisticLockException | ObjectOptimisticLockingFailureException e) {
      throw Preconditions.versionConflict(contact.getVersion(), request.getVersion());
    } catch (DataIntegrityViolationException | jakarta.persistence.PersistenceException e) {
      throw duplicateFrom(e);
    }
    ContactResponse updated = view(workspaceId, contact);
    return updated.version() == versionBefore
        ? updated
        : emit(workspaceId, EventType.CONTACT_UPDATED, updated);
  }

  /** Deletes the contact and, in the same transaction, its events. */
  @Transactional
  public void delete(String workspaceId, String id) {
    Contact contact = find(workspaceId, id);
    emit(workspaceId, EventType.CONTACT_DELETED, view(workspaceId, contact));
    contacts.deleteEventsOf(workspaceId, id);
    em.remove(contact);
    try {
      em.flush();
    } catch (OptimisticLockException | ObjectOptimisticLockingFailureException e) {
      throw Preconditions.versionConflict(contact.getVersion(), null);
    }
  }

  /** Records the webhook event of this change in the same transaction (SPEC §9). */
  private ContactResponse emit(String workspaceId, EventType type, ContactResponse contact) {
    outbox.emit(workspaceId, type, json.writeValueAsString(contact));
    return contact;
  }

  private Contact find(String workspaceId, String id) {
    return contacts
        .findByWorkspaceIdAndId(workspaceId, id)
        .orElseThrow(() -> ApiException.notFound("contact", id));
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
              documents.read(c.getTraits()),
              memberships.getOrDefault(c.getId(), List.of()),
              c.getFirstSeenAt(),
              c.getLastSeenAt(),
              c.getCreatedAt(),
              c.getUpdatedAt(),
              c.getVersion()));
    }
    return out;
  }

  private static Map<String, Object> withoutNulls(Map<String, Object> traits) {
    Map<String, Object> out = new LinkedHashMap<>();
    if (traits != null) {
      traits.forEach(
          (k, v) -> {
            if (v != null) {
              out.put(k, v);
            }
          });
    }
    return out;
  }

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
    if (constraint.contains("contact_identities")) {
      return duplicate("anonymous_ids", "An id is already linked to another contact.");
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
